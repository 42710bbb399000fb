// How many nodes of each kind and relationships of each type one model holds
// (the same rows as CareGraph.summary() and `caregraph summary`).
// $model: model id, e.g. 'cardiology'
OPTIONAL MATCH (n:CareGraph {model: $model})
WITH n.kind AS name, count(n) AS count
ORDER BY name
WITH collect(CASE WHEN name IS NULL THEN null ELSE {element: 'node', name: name, count: count} END) AS nodes
OPTIONAL MATCH (:CareGraph {model: $model})-[r]->(:CareGraph {model: $model})
WHERE r.model = $model
WITH nodes, type(r) AS name, count(r) AS count
ORDER BY name
WITH nodes, collect(CASE WHEN name IS NULL THEN null
                         ELSE {element: 'relationship', name: name, count: count} END) AS relationships
UNWIND nodes + relationships AS row
RETURN row.element AS element, row.name AS name, row.count AS count
