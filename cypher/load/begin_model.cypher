// Record that a model's load has started (its status stays 'loading' until finish_model).
// $model: the model id; $name: the model's name
MERGE (m:CareGraphModel {model: $model})
SET m.name = $name, m.status = 'loading'
