// Write one batch of relationships of one type (used by loaders.neo4j.write_graph).
// __TYPE__ is filled in by loaders.neo4j.relationship_query with a type from
// networks.schema; every value is a parameter. Both ends must already be loaded.
// $model: the model id; $generation: the load's (begin_model)
// $rows:  [{source, target, key, properties}], key being the CareGraph edge key
//         (type, or type@valid_from) and properties its schema properties
UNWIND $rows AS row
MATCH (a:CareGraph {model: $model, id: row.source})
MATCH (b:CareGraph {model: $model, id: row.target})
MERGE (a)-[r:__TYPE__ {key: row.key}]->(b)
SET r = row.properties, r.key = row.key, r.model = $model, r.load_generation = $generation
RETURN count(r) AS written
