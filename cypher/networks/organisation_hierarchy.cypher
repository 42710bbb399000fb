// Everything below one organisation or geography in the PART_OF hierarchy
// (practice -> PCN -> sub-ICB location -> ICB -> region -> NHS England; site -> trust),
// how many levels down it sits, and its chain of ids up to the top.
// $model: model id
// $root:  id of the top, e.g. an ICB ('QHM') or region ('Y63') code
// $as_at: ISO date ('2026-05-01') to follow only links in force that day, or null for all
MATCH path = (child:CareGraph {model: $model})-[:PART_OF*1..]->(top:CareGraph {model: $model, id: $root})
WHERE all(r IN relationships(path) WHERE r.model = $model
          AND ($as_at IS NULL OR ((r.valid_from IS NULL OR r.valid_from <= $as_at)
                                  AND (r.valid_to IS NULL OR $as_at <= r.valid_to))))
RETURN child.id AS id, child.kind AS kind, child.name AS name, length(path) AS depth,
       [n IN reverse(nodes(path)) | n.id] AS chain
ORDER BY depth, id
