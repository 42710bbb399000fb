// Delete up to $limit nodes of one model that are older than the load now finishing (written by
// an earlier load, not by this one), with any relationship touching them; repeat until it deletes
// 0. Nodes of other models, of later loads and without the CareGraph label are never matched.
// $model: the model id; $generation: this load's; $limit: batch size
MATCH (n:CareGraph {model: $model})
WHERE coalesce(n.load_generation, 0) < $generation
WITH n LIMIT $limit
DETACH DELETE n
RETURN count(*) AS deleted
