// Delete a model's record (after its nodes: see delete_nodes).
// $model: the model id
MATCH (m:CareGraphModel {model: $model})
DELETE m
RETURN count(*) AS deleted
