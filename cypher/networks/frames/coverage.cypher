// Which ICB populations each commissioner plans for (networks.delegation_frames, frame `coverage`):
// an ICB its own, a sub-ICB location its ICB's, an NHS England region (or its commissioning hub)
// the ICBs that are PART_OF the region, NHS England every ICB. Councils and CCGs cover none.
// $model: model id
// $as_at: ISO date to keep only what is in force that day, or null for everything
// -- commissioner coverage (the same block wherever coverage is needed, as networks.frames_delegation
// -- computes it): the ICB populations `icb_id` each commissioner `o` plans for.
MATCH (icb:ICB {model: $model})
WHERE $as_at IS NULL OR ((icb.valid_from IS NULL OR icb.valid_from <= $as_at)
                         AND (icb.valid_to IS NULL OR $as_at <= icb.valid_to))
OPTIONAL MATCH (icb)-[r:PART_OF]->(region:NHSERegion {model: $model})
WHERE all(e IN [r, region] WHERE $as_at IS NULL OR ((e.valid_from IS NULL OR e.valid_from <= $as_at)
                                                    AND (e.valid_to IS NULL OR $as_at <= e.valid_to)))
WITH icb, min(region.id) AS region
WITH collect({icb: icb.id, region: region}) AS icbs
MATCH (o:Commissioner {model: $model})
WHERE $as_at IS NULL OR ((o.valid_from IS NULL OR o.valid_from <= $as_at)
                         AND (o.valid_to IS NULL OR $as_at <= o.valid_to))
OPTIONAL MATCH (o:CommissioningHub)-[r:PART_OF]->(region:NHSERegion {model: $model})
WHERE all(e IN [r, region] WHERE $as_at IS NULL OR ((e.valid_from IS NULL OR e.valid_from <= $as_at)
                                                    AND (e.valid_to IS NULL OR $as_at <= e.valid_to)))
WITH icbs, o, min(region.id) AS hub_region
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
WITH icbs, o, hub_region, min([n IN nodes(route) | n.id]) AS route_ids
UNWIND CASE o.kind
         WHEN 'ICB' THEN [o.id]
         WHEN 'SubICBLocation' THEN [id IN [last(route_ids)] WHERE id IS NOT NULL]
         WHEN 'NHSEngland' THEN [x IN icbs | x.icb]
         WHEN 'NHSERegion' THEN [x IN icbs WHERE x.region = o.id | x.icb]
         WHEN 'CommissioningHub' THEN [x IN icbs WHERE x.region = hub_region | x.icb]
         ELSE []
       END AS icb_id
// -- end of commissioner coverage
RETURN o.id AS commissioner_id, o.kind AS commissioner_kind, icb_id
ORDER BY commissioner_id, icb_id
