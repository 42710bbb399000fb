// The services each clinical network coordinates (networks.delegation_frames, frame `networks`).
// $model: model id
// $as_at: ISO date to keep only what is in force that day, or null for everything
MATCH (n:Network {model: $model})-[r:NETWORK_FOR]->(s:Service {model: $model})
WHERE all(e IN [n, r, s] WHERE $as_at IS NULL OR ((e.valid_from IS NULL OR e.valid_from <= $as_at)
                                                  AND (e.valid_to IS NULL OR $as_at <= e.valid_to)))
RETURN n.id AS network_id, n.kind AS network_kind, n.name AS network_name, s.id AS service_id
ORDER BY network_id, service_id
