// Who provides each service (networks.delegation_frames, frame `provision`): one row per PROVIDES,
// with the provider organisation (for a site: the provider it is PART_OF, the first by id) and
// the site (null when the provider does not name one).
// $model: model id
// $as_at: ISO date to keep only what is in force that day, or null for everything
MATCH (p:CareGraph {model: $model})-[provides:PROVIDES]->(s:Service {model: $model})
WHERE all(e IN [p, provides, s] WHERE $as_at IS NULL OR ((e.valid_from IS NULL OR e.valid_from <= $as_at)
                                                         AND (e.valid_to IS NULL OR $as_at <= e.valid_to)))
OPTIONAL MATCH (p:Site)-[r:PART_OF]->(parent:Provider {model: $model})
WHERE NOT parent:Site
  AND all(e IN [r, parent] WHERE $as_at IS NULL OR ((e.valid_from IS NULL OR e.valid_from <= $as_at)
                                                    AND (e.valid_to IS NULL OR $as_at <= e.valid_to)))
WITH p, provides, s, min(parent.id) AS parent
RETURN CASE WHEN p:Site THEN coalesce(parent, p.id) ELSE p.id END AS provider_id,
       CASE WHEN p:Site THEN p.id END AS site_id, s.id AS service_id
ORDER BY provider_id, site_id, service_id
