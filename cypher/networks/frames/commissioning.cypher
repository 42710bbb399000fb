// Commissioning responsibilities (networks.delegation_frames, frame `commissioning`): one row per
// COMMISSIONS, with status, planning tier and dates.
// $model: model id
// $as_at: ISO date to keep only what is in force that day, or null for everything
MATCH (c:CareGraph {model: $model})-[co:COMMISSIONS]->(s:Service {model: $model})
WHERE all(e IN [c, co, s] WHERE $as_at IS NULL OR ((e.valid_from IS NULL OR e.valid_from <= $as_at)
                                                   AND (e.valid_to IS NULL OR $as_at <= e.valid_to)))
RETURN c.id AS commissioner_id, s.id AS service_id, co.status AS status, co.tier AS tier,
       co.valid_from AS valid_from, co.valid_to AS valid_to
ORDER BY commissioner_id, service_id, valid_from
