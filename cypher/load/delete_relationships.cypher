// Delete up to $limit relationships leaving one model's nodes; repeat until it deletes 0.
// $model: the model id; $limit: batch size
MATCH (:CareGraph {model: $model})-[r]->()
WITH r LIMIT $limit
DELETE r
RETURN count(*) AS deleted
