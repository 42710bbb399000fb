// Every service in force (networks.delegation_frames, frame `services`).
// $model: model id
// $as_at: ISO date to keep only what is in force that day, or null for everything
MATCH (s:Service {model: $model})
WHERE $as_at IS NULL OR ((s.valid_from IS NULL OR s.valid_from <= $as_at)
                         AND (s.valid_to IS NULL OR $as_at <= s.valid_to))
RETURN s.id AS service_id, s.name AS name, coalesce(s.specialised, false) AS specialised,
       coalesce(s.highly_specialised, false) AS highly_specialised, s.service_code AS service_code,
       s.crg_code AS crg_code
ORDER BY service_id
