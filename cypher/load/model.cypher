// The record of one model: no row if it was never loaded.
// $model: the model id
MATCH (m:CareGraphModel {model: $model})
RETURN m.model AS model, m.name AS name, m.status AS status,
       m.nodes AS nodes, m.relationships AS relationships
