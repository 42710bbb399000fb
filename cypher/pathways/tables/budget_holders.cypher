// Who holds each budget (pathways.budget_holders): one row per HELD_BY relationship.
// $model: model id
// $as_at: ISO date to keep only what is in force that day, or null for everything
MATCH (b:Budget {model: $model})-[held:HELD_BY]->(c:CareGraph {model: $model})
WHERE all(e IN [b, held, c] WHERE $as_at IS NULL OR ((e.valid_from IS NULL OR e.valid_from <= $as_at)
                                                     AND (e.valid_to IS NULL OR $as_at <= e.valid_to)))
RETURN b.id AS budget, c.id AS holder
ORDER BY budget, holder
