// Where patients enter each pathway (pathways.entry_table): the start steps with the share of
// entrants or patients a year given there, and the pathway's own patients a year.
// $model:   model id
// $pathway: pathway id, or null for every pathway
// $as_at:   ISO date to keep only what is in force that day, or null for everything
MATCH (p:Pathway {model: $model})-[start:STARTS_AT]->(s:Step {model: $model})
WHERE ($pathway IS NULL OR p.id = $pathway)
  AND all(e IN [p, start, s] WHERE $as_at IS NULL OR ((e.valid_from IS NULL OR e.valid_from <= $as_at)
                                                      AND (e.valid_to IS NULL OR $as_at <= e.valid_to)))
RETURN p.id AS pathway, s.id AS step, start.probability AS probability,
       start.patients_per_year AS patients_per_year, p.patients_per_year AS pathway_patients
ORDER BY pathway, step
