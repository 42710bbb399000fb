// Delegated services that depend on a service NHS England retains (the `depends_on_retained`
// findings of networks.check_delegation, warnings): a DEPENDS_ON of any level but 'none' from a
// service planned as delegated to one planned as retained by NHS England (or one of its regions
// or hubs) for the same ICB population. One row per co-dependency and pair of arrangements.
// $model: model id
// $plan:  the plan as a list of {service_id, commissioner_id, status, tier, valid_from} (valid_from
//         an ISO date or null), or null for the model's COMMISSIONS relationships
// $as_at: ISO date: the model in force that day and the plan rows started by then; or null
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
// -- plan arrangements (the same block wherever a plan is resolved, as networks.plans does): each
// -- plan row (of $plan, or the COMMISSIONS in force when $plan is null) plans its service for
// -- the ICB populations its commissioner covers; for one service and ICB the row with the
// -- latest valid_from that has started by $as_at applies.
WITH collect({commissioner_id: o.id, commissioner_kind: o.kind, icb_id: icb_id}) AS coverage
WITH coverage,
     CASE WHEN $plan IS NULL
       THEN [(c:CareGraph {model: $model})-[co:COMMISSIONS]->(s:Service {model: $model})
             WHERE all(e IN [c, co, s] WHERE $as_at IS NULL OR ((e.valid_from IS NULL OR e.valid_from <= $as_at)
                                                                AND (e.valid_to IS NULL OR $as_at <= e.valid_to)))
             | {service_id: s.id, commissioner_id: c.id, status: co.status, tier: co.tier,
                valid_from: co.valid_from}]
       ELSE $plan
     END AS plan
UNWIND plan AS row
UNWIND [c IN coverage WHERE c.commissioner_id = row.commissioner_id
                        AND ($as_at IS NULL OR row.valid_from IS NULL OR row.valid_from <= $as_at)] AS c
WITH row.service_id AS service_id, c.icb_id AS icb_id,
     collect({commissioner_id: c.commissioner_id, commissioner_kind: c.commissioner_kind, status: row.status,
              tier: row.tier, start: coalesce(row.valid_from, '')}) AS rows
WITH service_id, icb_id,
     reduce(latest = rows[0], x IN rows | CASE WHEN x.start > latest.start THEN x ELSE latest END) AS latest
WITH collect(latest {.*, service_id: service_id, icb_id: icb_id}) AS arrangements
// -- end of plan arrangements
MATCH (a:Service {model: $model})-[d:DEPENDS_ON]->(b:Service {model: $model})
WHERE d.level <> 'none'
  AND all(e IN [a, d, b] WHERE $as_at IS NULL OR ((e.valid_from IS NULL OR e.valid_from <= $as_at)
                                                  AND (e.valid_to IS NULL OR $as_at <= e.valid_to)))
UNWIND [x IN arrangements WHERE x.service_id = a.id AND x.status = 'delegated'] AS x
UNWIND [y IN arrangements WHERE y.service_id = b.id AND y.icb_id = x.icb_id AND y.status = 'retained'
                                AND y.commissioner_kind IN ['NHSEngland', 'NHSERegion', 'CommissioningHub']] AS y
WITH a.id AS service_id, b.id AS depends_on, coalesce(a.name, '') + ';' + coalesce(b.name, '') AS service_names,
     d.level AS level, coalesce(d.evidence, '') AS evidence,
     CASE x.commissioner_id WHEN x.icb_id THEN '' ELSE x.commissioner_id END AS who_a, x.status AS status_a,
     x.tier AS tier_a, y.commissioner_id AS who_b, y.status AS status_b, y.tier AS tier_b, x.icb_id AS icb
WITH service_id, depends_on, service_names, level, evidence, who_a, status_a, tier_a, who_b, status_b, tier_b,
     reduce(sorted = [], v IN collect(icb) | CASE WHEN v IN sorted THEN sorted
                                                 ELSE [u IN sorted WHERE u < v] + [v] + [u IN sorted WHERE u > v] END)
       AS areas
WITH service_id, depends_on, service_names, level, evidence,
     reduce(text = '', v IN areas | text + CASE text WHEN '' THEN '' ELSE ';' END + v) AS areas,
     reduce(sorted = [], v IN CASE who_a WHEN '' THEN areas ELSE [] END + [w IN [who_a, who_b] WHERE w <> '']
            | CASE WHEN v IN sorted THEN sorted
                   ELSE [u IN sorted WHERE u < v] + [v] + [u IN sorted WHERE u > v] END) AS commissioners,
     status_a + ', ' + tier_a + ', by ' + CASE who_a WHEN '' THEN 'each ICB for itself' ELSE who_a END AS plan_a,
     status_b + ', ' + tier_b + ', by ' + who_b AS plan_b
RETURN 'depends_on_retained' AS check, 'warning' AS severity, service_id + ';' + depends_on AS services, service_names,
       reduce(text = '', v IN commissioners | text + CASE text WHEN '' THEN '' ELSE ';' END + v) AS commissioners,
       '' AS sites, areas, level,
       'for ' + areas + ', ' + service_id + ' (' + plan_a + ') depends on ' + depends_on + ' (' + level
         + '), which NHS England retains (' + plan_b + ')' AS message,
       evidence
ORDER BY services, areas
