// The steps of one care pathway as a table: setting, service, who delivers it and where,
// the budget that pays, unit cost, whether patients enter there, and where they go next.
// $model:   model id
// $pathway: pathway id, e.g. 'chest-pain'
MATCH (p:Pathway {model: $model, id: $pathway})-[:HAS_STEP]->(s:Step {model: $model})
OPTIONAL MATCH (s)-[:OF_SERVICE]->(service:Service {model: $model})
OPTIONAL MATCH (s)-[:DELIVERED_BY]->(org:Organisation {model: $model})
OPTIONAL MATCH (s)-[:AT_SITE]->(site:Site {model: $model})
OPTIONAL MATCH (s)-[:PAID_FROM]->(budget:Budget {model: $model})
OPTIONAL MATCH (s)-[move:NEXT]->(to:Step {model: $model})
WITH p, s, service, org, site, budget, move, to
ORDER BY to.id
RETURN s.id AS step, s.name AS name, s.setting AS setting, service.id AS service,
       org.id AS delivered_by, site.id AS site, budget.id AS budget, s.unit_cost AS unit_cost,
       EXISTS { (p)-[:STARTS_AT]->(s) } AS entry,
       collect(CASE WHEN to IS NULL THEN null
                    ELSE {to: to.id, probability: move.probability,
                          patients_per_year: move.patients_per_year} END) AS next
ORDER BY step
