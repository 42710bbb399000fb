// One row per pathway step (pathways.step_table): the service, the organisation delivering it,
// the site, the care setting, the budget paying and the unit cost. Each link comes as a list of
// ids: pathways.single_step_links keeps the one id, or reports a step with several in force.
// $model:   model id
// $pathway: pathway id, or null for every pathway
// $as_at:   ISO date to keep only what is in force that day (a step, link or target not in
//           force is left out), or null for everything
MATCH (p:Pathway {model: $model})-[h:HAS_STEP]->(s:Step {model: $model})
WHERE ($pathway IS NULL OR p.id = $pathway)
  AND all(e IN [p, h, s] WHERE $as_at IS NULL OR ((e.valid_from IS NULL OR e.valid_from <= $as_at)
                                                  AND (e.valid_to IS NULL OR $as_at <= e.valid_to)))
OPTIONAL MATCH (s)-[r:OF_SERVICE]->(service:Service {model: $model})
WHERE all(e IN [r, service] WHERE $as_at IS NULL OR ((e.valid_from IS NULL OR e.valid_from <= $as_at)
                                                     AND (e.valid_to IS NULL OR $as_at <= e.valid_to)))
WITH p, h, s, collect(DISTINCT service.id) AS service
OPTIONAL MATCH (s)-[r:DELIVERED_BY]->(provider:Organisation {model: $model})
WHERE all(e IN [r, provider] WHERE $as_at IS NULL OR ((e.valid_from IS NULL OR e.valid_from <= $as_at)
                                                      AND (e.valid_to IS NULL OR $as_at <= e.valid_to)))
WITH p, h, s, service, collect(DISTINCT provider.id) AS provider
OPTIONAL MATCH (s)-[r:AT_SITE]->(site:Site {model: $model})
WHERE all(e IN [r, site] WHERE $as_at IS NULL OR ((e.valid_from IS NULL OR e.valid_from <= $as_at)
                                                  AND (e.valid_to IS NULL OR $as_at <= e.valid_to)))
WITH p, h, s, service, provider, collect(DISTINCT site.id) AS site
OPTIONAL MATCH (s)-[r:PAID_FROM]->(budget:Budget {model: $model})
WHERE all(e IN [r, budget] WHERE $as_at IS NULL OR ((e.valid_from IS NULL OR e.valid_from <= $as_at)
                                                    AND (e.valid_to IS NULL OR $as_at <= e.valid_to)))
WITH p, h, s, service, provider, site, collect(DISTINCT budget.id) AS budget
RETURN p.id AS pathway, s.id AS step, s.name AS name, service, provider, site, s.setting AS setting,
       budget, s.unit_cost AS unit_cost
ORDER BY pathway, step
