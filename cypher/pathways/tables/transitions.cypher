// The designed transitions between pathway steps (pathways.transition_table), with the branch
// probability or patients a year as given (loops included).
// $model:   model id
// $pathway: pathway id, or null for every pathway
// $as_at:   ISO date to keep only what is in force that day, or null for everything
MATCH (p:Pathway {model: $model})-[h:HAS_STEP]->(a:Step {model: $model})-[move:NEXT]->(b:Step {model: $model})
WHERE ($pathway IS NULL OR p.id = $pathway)
  AND all(e IN [p, h, a, move, b] WHERE $as_at IS NULL OR ((e.valid_from IS NULL OR e.valid_from <= $as_at)
                                                           AND (e.valid_to IS NULL OR $as_at <= e.valid_to)))
RETURN p.id AS pathway, a.id AS from_step, b.id AS to_step, move.probability AS probability,
       move.patients_per_year AS patients_per_year
ORDER BY pathway, from_step, to_step
