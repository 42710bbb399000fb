// Delete up to $limit nodes of one model (and any relationship still touching them);
// repeat until it deletes 0. Nodes without the CareGraph label, or of other models,
// are never matched.
// $model: the model id; $limit: batch size
MATCH (n:CareGraph {model: $model})
WITH n LIMIT $limit
DETACH DELETE n
RETURN count(*) AS deleted
