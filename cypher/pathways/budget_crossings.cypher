// Budget boundary crossings: the pathway transitions where the paying budget (PAID_FROM) changes
// and the two budgets are not members of one pool, with the budgets' holders and streams, the
// legal basis under which a pool could join them, and the unit cost of the step entered; the same
// transitions as pathways.find_budget_crossings, which adds patients a year and money from the
// flow solve. With $as_at null every pool counts whatever its dates; with a date only pools,
// memberships, holders and steps in force that day. Steps without a budget are left out, and a
// budget with several holders shows no holder (the Python function reports both as problems).
// Legal basis (pathways.legal_bases): s75 for an ICB, sub-ICB location or CCG with a council;
// s65Z5 for NHS England (its regions and hubs included) with an ICB, or ICBs together; s13V for
// NHS England with a CCG; none otherwise, or for two budgets of one holder.
// $model:   model id
// $pathway: pathway id, or null for every pathway
// $as_at:   ISO date, or null
MATCH (p:Pathway {model: $model})-[h:HAS_STEP]->(a:Step {model: $model})-[move:NEXT]->(b:Step {model: $model})
WHERE ($pathway IS NULL OR p.id = $pathway)
  AND all(e IN [p, h, a, move, b] WHERE $as_at IS NULL OR ((e.valid_from IS NULL OR e.valid_from <= $as_at)
                                                           AND (e.valid_to IS NULL OR $as_at <= e.valid_to)))
OPTIONAL MATCH (a)-[r:PAID_FROM]->(budget:Budget {model: $model})
WHERE all(e IN [r, budget] WHERE $as_at IS NULL OR ((e.valid_from IS NULL OR e.valid_from <= $as_at)
                                                    AND (e.valid_to IS NULL OR $as_at <= e.valid_to)))
WITH p, a, move, b, min(budget.id) AS from_budget
OPTIONAL MATCH (b)-[r:PAID_FROM]->(budget:Budget {model: $model})
WHERE all(e IN [r, budget] WHERE $as_at IS NULL OR ((e.valid_from IS NULL OR e.valid_from <= $as_at)
                                                    AND (e.valid_to IS NULL OR $as_at <= e.valid_to)))
WITH p, a, move, b, from_budget, min(budget.id) AS to_budget
WHERE from_budget <> to_budget
  AND NOT EXISTS {
    MATCH (:Budget {model: $model, id: from_budget})-[x:IN_POOL]->(pool:Pool {model: $model})
          <-[y:IN_POOL]-(:Budget {model: $model, id: to_budget})
    WHERE all(e IN [x, pool, y] WHERE $as_at IS NULL OR ((e.valid_from IS NULL OR e.valid_from <= $as_at)
                                                         AND (e.valid_to IS NULL OR $as_at <= e.valid_to)))
  }
UNWIND [from_budget, to_budget] AS paying
MATCH (budget:Budget {model: $model, id: paying})
OPTIONAL MATCH (budget)-[held:HELD_BY]->(holder:CareGraph {model: $model})
WHERE all(e IN [held, holder] WHERE $as_at IS NULL OR ((e.valid_from IS NULL OR e.valid_from <= $as_at)
                                                       AND (e.valid_to IS NULL OR $as_at <= e.valid_to)))
WITH p, a, move, b, from_budget, to_budget, budget, collect(DISTINCT {id: holder.id, kind: holder.kind}) AS holders
WITH p, a, move, b, from_budget, to_budget,
     collect({budget: budget.id, stream: budget.stream,
              holder: CASE size(holders) WHEN 1 THEN holders[0] END}) AS ends
WITH p, a, b, from_budget, to_budget, [x IN ends WHERE x.budget = from_budget][0] AS payer,
     [x IN ends WHERE x.budget = to_budget][0] AS receiver
WITH p, a, b, from_budget, to_budget, payer, receiver,
     [x IN [payer.holder, receiver.holder] |
        CASE x.kind
          WHEN 'NHSEngland' THEN 'nhs_england' WHEN 'NHSERegion' THEN 'nhs_england'
          WHEN 'CommissioningHub' THEN 'nhs_england' WHEN 'ICB' THEN 'icb' WHEN 'SubICBLocation' THEN 'icb'
          WHEN 'CCG' THEN 'ccg' WHEN 'LocalAuthority' THEN 'local_authority'
        END] AS groups
RETURN p.id AS pathway, a.id AS from_step, b.id AS to_step, from_budget, to_budget,
       payer.holder.id AS from_holder, receiver.holder.id AS to_holder, payer.stream AS from_stream,
       receiver.stream AS to_stream,
       CASE
         WHEN payer.holder.id IS NULL OR receiver.holder.id IS NULL OR payer.holder.id = receiver.holder.id
              OR any(g IN groups WHERE g IS NULL) THEN null
         WHEN 'local_authority' IN groups THEN CASE WHEN any(g IN groups WHERE g IN ['icb', 'ccg']) THEN 's75' END
         WHEN all(g IN groups WHERE g IN ['nhs_england', 'icb']) AND 'icb' IN groups THEN 's65Z5'
         WHEN 'nhs_england' IN groups AND 'ccg' IN groups THEN 's13V'
       END AS legal_basis,
       b.unit_cost AS unit_cost_gbp
ORDER BY pathway, from_step, to_step
