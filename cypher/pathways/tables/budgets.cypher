// Every budget (pathways.budget_table): its stream and the commissioner holding it. `holders`
// lists every holder; more than one (dated HELD_BY, $as_at null) needs a date to choose.
// $model: model id
// $as_at: ISO date to keep only what is in force that day, or null for everything
MATCH (b:Budget {model: $model})
WHERE $as_at IS NULL OR ((b.valid_from IS NULL OR b.valid_from <= $as_at)
                         AND (b.valid_to IS NULL OR $as_at <= b.valid_to))
OPTIONAL MATCH (b)-[held:HELD_BY]->(c:CareGraph {model: $model})
WHERE all(e IN [held, c] WHERE $as_at IS NULL OR ((e.valid_from IS NULL OR e.valid_from <= $as_at)
                                                  AND (e.valid_to IS NULL OR $as_at <= e.valid_to)))
WITH b, collect(DISTINCT {id: c.id, kind: c.kind}) AS found
WITH b, [h IN found WHERE h.id IS NOT NULL] AS holders
WITH b, holders, reduce(first = null, h IN holders | CASE WHEN first IS NULL OR h.id < first.id THEN h
                                                          ELSE first END) AS holder
RETURN b.id AS budget, b.name AS name, b.stream AS stream, holder.id AS holder, holder.kind AS holder_kind,
       [h IN holders | h.id] AS holders
ORDER BY budget
