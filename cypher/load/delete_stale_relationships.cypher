// Delete up to $limit relationships of one model (between its nodes, with its model id) that are
// older than the load now finishing; repeat until it deletes 0. Relationships that are not the
// model's (without its model id) are left alone.
// $model: the model id; $generation: this load's; $limit: batch size
MATCH (:CareGraph {model: $model})-[r]->(:CareGraph {model: $model})
WHERE r.model = $model AND coalesce(r.load_generation, 0) < $generation
WITH r LIMIT $limit
DELETE r
RETURN count(*) AS deleted
