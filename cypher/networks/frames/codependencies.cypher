// Clinical co-dependencies between services (networks.delegation_frames, frame `codependencies`):
// one row per DEPENDS_ON, with its level (co-located, in-reach, networked, none) and evidence.
// $model: model id
// $as_at: ISO date to keep only what is in force that day, or null for everything
MATCH (a:Service {model: $model})-[d:DEPENDS_ON]->(b:Service {model: $model})
WHERE all(e IN [a, d, b] WHERE $as_at IS NULL OR ((e.valid_from IS NULL OR e.valid_from <= $as_at)
                                                  AND (e.valid_to IS NULL OR $as_at <= e.valid_to)))
RETURN a.id AS service_id, b.id AS depends_on, d.level AS level, d.evidence AS evidence, d.note AS note
ORDER BY service_id, depends_on
