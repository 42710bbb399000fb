// Every caregraph model in the database, with its load status and size.
MATCH (m:CareGraphModel)
RETURN m.model AS model, m.name AS name, m.status AS status,
       m.nodes AS nodes, m.relationships AS relationships
ORDER BY model
