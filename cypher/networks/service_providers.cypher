// Who provides one service: each provider (a trust, practice or one of their sites) with a
// PROVIDES relationship to it, the organisation a site is part of, and where the provider
// is located (a site without its own LOCATED_IN takes its organisation's).
// $model:   model id
// $service: service id, e.g. 'pci'
// $as_at:   ISO date to keep only provision in force that day, or null for all
MATCH (p:Provider {model: $model})-[pr:PROVIDES]->(:Service {model: $model, id: $service})
WHERE pr.model = $model
  AND ($as_at IS NULL OR ((pr.valid_from IS NULL OR pr.valid_from <= $as_at)
                          AND (pr.valid_to IS NULL OR $as_at <= pr.valid_to)))
OPTIONAL MATCH (p)-[:PART_OF]->(parent:Organisation {model: $model})
OPTIONAL MATCH (p)-[:LOCATED_IN]->(home:CareGraph {model: $model})
OPTIONAL MATCH (parent)-[:LOCATED_IN]->(parent_home:CareGraph {model: $model})
WITH p, parent, collect(DISTINCT home.id) AS own, collect(DISTINCT parent_home.id) AS inherited
RETURN p.id AS provider, p.kind AS kind, p.name AS name, parent.id AS part_of,
       CASE WHEN size(own) > 0 THEN own ELSE inherited END AS located_in
ORDER BY provider
