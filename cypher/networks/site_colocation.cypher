// Sites missing a co-located dependency (the `site_colocation` findings of
// networks.check_delegation, errors; independent of any plan): a site PROVIDES a service that
// DEPENDS_ON another at level 'co-located', but neither the site nor its provider organisation
// (without naming a site) provides that other service. `areas` is the site's ICB.
// $model: model id
// $as_at: ISO date to keep only what is in force that day, or null for everything
MATCH (site:Site {model: $model})-[provides:PROVIDES]->(s:Service {model: $model})
      -[d:DEPENDS_ON]->(dependency:Service {model: $model})
WHERE d.level = 'co-located'
  AND all(e IN [site, provides, s, d, dependency] WHERE $as_at IS NULL
          OR ((e.valid_from IS NULL OR e.valid_from <= $as_at) AND (e.valid_to IS NULL OR $as_at <= e.valid_to)))
  AND NOT EXISTS {
    MATCH (site)-[there:PROVIDES]->(dependency)
    WHERE $as_at IS NULL OR ((there.valid_from IS NULL OR there.valid_from <= $as_at)
                             AND (there.valid_to IS NULL OR $as_at <= there.valid_to))
  }
OPTIONAL MATCH (site)-[r:PART_OF]->(parent:Provider {model: $model})
WHERE NOT parent:Site
  AND all(e IN [r, parent] WHERE $as_at IS NULL OR ((e.valid_from IS NULL OR e.valid_from <= $as_at)
                                                    AND (e.valid_to IS NULL OR $as_at <= e.valid_to)))
WITH site, s, d, dependency, coalesce(min(parent.id), site.id) AS provider
WHERE NOT EXISTS {
    MATCH (organisation:CareGraph {model: $model, id: provider})-[elsewhere:PROVIDES]->(dependency)
    WHERE NOT organisation:Site
      AND all(e IN [organisation, elsewhere] WHERE $as_at IS NULL
              OR ((e.valid_from IS NULL OR e.valid_from <= $as_at) AND (e.valid_to IS NULL OR $as_at <= e.valid_to)))
  }
WITH site AS o, s, dependency, provider, min(coalesce(d.evidence, '')) AS evidence
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
WITH o, s, dependency, provider, evidence, min([n IN nodes(route) | n.id]) AS route_ids
RETURN 'site_colocation' AS check, 'error' AS severity, s.id + ';' + dependency.id AS services,
       coalesce(s.name, '') + ';' + coalesce(dependency.name, '') AS service_names,
       '' AS commissioners, o.id AS sites, coalesce(last(route_ids), '') AS areas, 'co-located' AS level,
       provider + ' offers ' + s.id + ' at site ' + o.id + ', but ' + dependency.id
         + ', a co-located dependency of ' + s.id + ', is not provided at ' + o.id AS message,
       evidence
ORDER BY services, areas, sites
