// Read back one model's relationships of the schema's types (used by loaders.neo4j.read_graph).
// $model: the model id; $types: the relationship types of networks.schema
MATCH (a:CareGraph {model: $model})-[r]->(b:CareGraph {model: $model})
WHERE r.model = $model AND type(r) IN $types
RETURN a.id AS source, b.id AS target, type(r) AS type, properties(r) AS properties
