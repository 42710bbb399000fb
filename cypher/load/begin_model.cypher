// Record that a model's load has started: status 'loading' (until finish_model) and a new
// generation, larger than any before it (the server's clock in milliseconds, or one more than the
// last generation should the clock have gone back). Every node and relationship the load writes
// is stamped with it; what it did not write is then deleted by delete_stale_*, which a load
// into a model that held nothing (had_elements false) can skip.
// $model: the model id; $name: the model's name
MERGE (m:CareGraphModel {model: $model})
WITH m, coalesce(m.generation, 0) AS last
SET m.name = $name, m.status = 'loading',
    m.generation = CASE WHEN timestamp() > last THEN timestamp() ELSE last + 1 END
RETURN m.generation AS generation, EXISTS { MATCH (:CareGraph {model: $model}) } AS had_elements
