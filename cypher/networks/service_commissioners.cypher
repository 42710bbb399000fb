// Who commissions one service, with the status (retained, delegated, joint), planning tier
// and dates of each commissioning responsibility.
// $model:   model id
// $service: service id, e.g. 'pci'
// $as_at:   ISO date to keep only responsibilities in force that day, or null for all
MATCH (c:Commissioner {model: $model})-[co:COMMISSIONS]->(s:Service {model: $model, id: $service})
WHERE co.model = $model
  AND ($as_at IS NULL OR ((co.valid_from IS NULL OR co.valid_from <= $as_at)
                          AND (co.valid_to IS NULL OR $as_at <= co.valid_to)))
RETURN c.id AS commissioner, c.kind AS kind, c.name AS name, co.status AS status, co.tier AS tier,
       co.valid_from AS valid_from, co.valid_to AS valid_to
ORDER BY valid_from, commissioner
