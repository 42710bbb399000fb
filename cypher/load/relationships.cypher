// Write one batch of relationships of one type (used by loaders.neo4j.write_graph).
// __TYPE__ is filled in by loaders.neo4j.relationship_query with a type from
// networks.schema; every value is a parameter. Both ends must already be loaded; they are found
// through the (model, id) uniqueness constraint of :CareGraph.
// $model: the model id; $generation: the load's (begin_model)
// $rows:  [[source, target, {key, ...}]], the properties holding the CareGraph edge key (type,
//         or type@valid_from) and the schema properties, which replace whatever it held
UNWIND $rows AS row
WITH row[0] AS source, row[1] AS target, row[2] AS properties
MATCH (a:CareGraph {model: $model, id: source})
MATCH (b:CareGraph {model: $model, id: target})
MERGE (a)-[r:__TYPE__ {key: properties.key}]->(b)
SET r = properties {.*, model: $model, load_generation: $generation}
RETURN count(r) AS written
