// Where each ICB and provider sits (networks.delegation_frames, frame `locations`): its ICB (an
// ICB itself; a provider's LOCATED_IN ICB or sub-ICB location, else through its PART_OF parents,
// e.g. a site through its trust) and that ICB's NHS England region. Those in no ICB are left out.
// $model: model id
// $as_at: ISO date to keep only what is in force that day, or null for everything
MATCH (o:CareGraph {model: $model})
WHERE (o:ICB OR o:Provider)
  AND ($as_at IS NULL OR ((o.valid_from IS NULL OR o.valid_from <= $as_at)
                          AND (o.valid_to IS NULL OR $as_at <= o.valid_to)))
// -- ICB route (the same block wherever the ICB of an organisation `o` is needed, as in
// -- networks.frames_delegation): a LOCATED_IN ICB or sub-ICB location decides (the first by id);
// -- without one, the first PART_OF parent by id that leads to an ICB. Of the routes that follow
// -- these rules, the one with the smallest ids (min below) is the one the Python search takes.
OPTIONAL MATCH route = (o)-[:LOCATED_IN|PART_OF*0..]->(:ICB {model: $model})
WHERE all(e IN nodes(route) + relationships(route)
          WHERE e.model = $model AND ($as_at IS NULL OR ((e.valid_from IS NULL OR e.valid_from <= $as_at)
                                                         AND (e.valid_to IS NULL OR $as_at <= e.valid_to))))
  AND all(i IN range(0, length(route) - 1) WHERE any(here IN [nodes(route)[i]] WHERE here.kind <> 'ICB'
      AND any(located IN [[(here)-[l:LOCATED_IN]->(t:CareGraph {model: $model})
                           WHERE t.kind IN ['ICB', 'SubICBLocation']
                             AND all(e IN [l, t] WHERE $as_at IS NULL
                                     OR ((e.valid_from IS NULL OR e.valid_from <= $as_at)
                                         AND (e.valid_to IS NULL OR $as_at <= e.valid_to))) | t.id]]
              WHERE CASE size(located)
                      WHEN 0 THEN type(relationships(route)[i]) = 'PART_OF'
                                  AND nodes(route)[i + 1].kind IN ['NHSTrust', 'Site', 'GPPractice', 'PCN',
                                                                   'IndependentProvider', 'VoluntaryProvider',
                                                                   'SubICBLocation', 'ICB']
                                  AND NOT nodes(route)[i + 1] IN nodes(route)[..i + 1]
                      ELSE type(relationships(route)[i]) = 'LOCATED_IN'
                           AND nodes(route)[i + 1].id = reduce(least = located[0], id IN located |
                                                               CASE WHEN id < least THEN id ELSE least END)
                    END)))
// -- end of ICB route
WITH o, min([n IN nodes(route) | n.id]) AS route_ids
WHERE route_ids IS NOT NULL
OPTIONAL MATCH (:ICB {model: $model, id: last(route_ids)})-[r:PART_OF]->(region:NHSERegion {model: $model})
WHERE all(e IN [r, region] WHERE $as_at IS NULL OR ((e.valid_from IS NULL OR e.valid_from <= $as_at)
                                                    AND (e.valid_to IS NULL OR $as_at <= e.valid_to)))
RETURN o.id AS organisation_id, last(route_ids) AS icb_id, min(region.id) AS region_id
ORDER BY organisation_id
