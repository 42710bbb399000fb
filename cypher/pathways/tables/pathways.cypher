// The ids of the pathways in force (pathways.pathway_ids): which pathways the other tables cover.
// $model: model id
// $as_at: ISO date ('2026-05-01') to keep only what is in force that day, or null for everything
MATCH (p:Pathway {model: $model})
WHERE $as_at IS NULL OR ((p.valid_from IS NULL OR p.valid_from <= $as_at)
                         AND (p.valid_to IS NULL OR $as_at <= p.valid_to))
RETURN p.id AS pathway
ORDER BY pathway
