// Read back one model's nodes (used by loaders.neo4j.read_graph).
// $model: the model id
MATCH (n:CareGraph {model: $model})
RETURN n.id AS id, n.kind AS kind, properties(n) AS properties
