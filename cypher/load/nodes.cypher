// Write one batch of nodes of one kind (used by loaders.neo4j.write_graph).
// __LABELS__ is filled in by loaders.neo4j.node_query with the kind's labels from
// networks.schema (e.g. `Organisation`:`Commissioner`:`ICB`), __OTHER_LABELS__ with every other
// schema label (a node that changed kind loses its old ones); every value is a parameter.
// $model: the model id; $generation: the load's (begin_model)
// $rows:  [{id, kind, ...}], one map per node: its id, kind and schema properties, which replace
//         whatever the node held (its identity, model and id, is never removed and re-added)
UNWIND $rows AS row
MERGE (n:CareGraph {model: $model, id: row.id})
SET n = row {.*, model: $model, load_generation: $generation}, n:__LABELS__
REMOVE n:__OTHER_LABELS__
RETURN count(n) AS written
