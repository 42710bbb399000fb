// The names of the given nodes of a model (networks.names.node_names): names beside codes in results.
// $model: model id
// $ids: the node ids
MATCH (n:CareGraph {model: $model})
WHERE n.id IN $ids
RETURN n.id AS id, n.name AS name
ORDER BY id
