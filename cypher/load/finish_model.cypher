// Record that a model's load finished, with what it holds; no row if a later load of the same
// model has started since (its generation is newer), which then finishes it instead.
// $model: the model id; $generation: this load's; $nodes, $relationships: counts written
MATCH (m:CareGraphModel {model: $model})
WHERE m.generation = $generation
SET m.status = 'complete', m.nodes = $nodes, m.relationships = $relationships
RETURN m.generation AS generation
