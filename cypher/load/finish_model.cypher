// Record that a model's load finished, with what it holds.
// $model: the model id; $nodes, $relationships: counts written
MATCH (m:CareGraphModel {model: $model})
SET m.status = 'complete', m.nodes = $nodes, m.relationships = $relationships
