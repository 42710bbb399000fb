// Hand-offs: the pathway transitions where responsibility for the patient changes, with the
// responsible value of the step left (from_value) and of the step entered (to_value); the same
// transitions as pathways.find_handoffs, which adds the yearly patients from the flow solve.
// What is responsible depends on $by:
//   provider     the organisation a step is DELIVERED_BY
//   site         the site a step is AT_SITE, else its provider
//   setting      the step's care setting
//   sector       'social_care' for the social_care setting, 'health' for every other one
//   commissioner the holder (HELD_BY) of the budget the step is PAID_FROM
// Steps without the value (or with a budget of several holders) are left out: the Python
// function reports them as problems instead.
// $model:   model id
// $pathway: pathway id, or null for every pathway
// $by:      'provider', 'site', 'setting', 'sector' or 'commissioner'
// $as_at:   ISO date to keep only what is in force that day, or null for everything
MATCH (p:Pathway {model: $model})-[h:HAS_STEP]->(s:Step {model: $model})
WHERE ($pathway IS NULL OR p.id = $pathway)
  AND all(e IN [p, h, s] WHERE $as_at IS NULL OR ((e.valid_from IS NULL OR e.valid_from <= $as_at)
                                                  AND (e.valid_to IS NULL OR $as_at <= e.valid_to)))
OPTIONAL MATCH (s)-[r:DELIVERED_BY]->(provider:Organisation {model: $model})
WHERE all(e IN [r, provider] WHERE $as_at IS NULL OR ((e.valid_from IS NULL OR e.valid_from <= $as_at)
                                                      AND (e.valid_to IS NULL OR $as_at <= e.valid_to)))
WITH s, min(provider.id) AS provider
OPTIONAL MATCH (s)-[r:AT_SITE]->(site:Site {model: $model})
WHERE all(e IN [r, site] WHERE $as_at IS NULL OR ((e.valid_from IS NULL OR e.valid_from <= $as_at)
                                                  AND (e.valid_to IS NULL OR $as_at <= e.valid_to)))
WITH s, provider, min(site.id) AS site
OPTIONAL MATCH (s)-[r:PAID_FROM]->(budget:Budget {model: $model})
WHERE all(e IN [r, budget] WHERE $as_at IS NULL OR ((e.valid_from IS NULL OR e.valid_from <= $as_at)
                                                    AND (e.valid_to IS NULL OR $as_at <= e.valid_to)))
WITH s, provider, site, min(budget.id) AS budget
OPTIONAL MATCH (:Budget {model: $model, id: budget})-[held:HELD_BY]->(holder:CareGraph {model: $model})
WHERE all(e IN [held, holder] WHERE $as_at IS NULL OR ((e.valid_from IS NULL OR e.valid_from <= $as_at)
                                                       AND (e.valid_to IS NULL OR $as_at <= e.valid_to)))
WITH s, provider, site, collect(DISTINCT holder.id) AS holders
WITH collect({step: s.id,
              value: CASE $by
                       WHEN 'provider' THEN provider
                       WHEN 'site' THEN coalesce(site, provider)
                       WHEN 'setting' THEN s.setting
                       WHEN 'sector' THEN CASE s.setting WHEN 'social_care' THEN 'social_care' ELSE 'health' END
                       WHEN 'commissioner' THEN CASE size(holders) WHEN 1 THEN holders[0] END
                     END}) AS responsible
MATCH (p:Pathway {model: $model})-[h:HAS_STEP]->(a:Step {model: $model})-[move:NEXT]->(b:Step {model: $model})
WHERE ($pathway IS NULL OR p.id = $pathway)
  AND all(e IN [p, h, a, move, b] WHERE $as_at IS NULL OR ((e.valid_from IS NULL OR e.valid_from <= $as_at)
                                                           AND (e.valid_to IS NULL OR $as_at <= e.valid_to)))
WITH p, a, b, [x IN responsible WHERE x.step = a.id][0].value AS from_value,
     [x IN responsible WHERE x.step = b.id][0].value AS to_value
WHERE from_value <> to_value
RETURN p.id AS pathway, a.id AS from_step, b.id AS to_step, $by AS by, from_value, to_value,
       from_value + ' -> ' + to_value AS kind
ORDER BY pathway, from_step, to_step
