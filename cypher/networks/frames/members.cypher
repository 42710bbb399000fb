// Network membership (networks.delegation_frames, frame `members`): one row per MEMBER_OF.
// $model: model id
// $as_at: ISO date to keep only what is in force that day, or null for everything
MATCH (o:CareGraph {model: $model})-[m:MEMBER_OF]->(n:CareGraph {model: $model})
WHERE all(e IN [o, m, n] WHERE $as_at IS NULL OR ((e.valid_from IS NULL OR e.valid_from <= $as_at)
                                                  AND (e.valid_to IS NULL OR $as_at <= e.valid_to)))
RETURN n.id AS network_id, o.id AS organisation_id, m.role AS role
ORDER BY network_id, organisation_id
