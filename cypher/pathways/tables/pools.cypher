// Every pool (pathways.pool_table): legal basis, dates and member budgets.
// $model: model id
// $as_at: ISO date to keep only pools, memberships and budgets in force that day, or null for all
MATCH (pool:Pool {model: $model})
WHERE $as_at IS NULL OR ((pool.valid_from IS NULL OR pool.valid_from <= $as_at)
                         AND (pool.valid_to IS NULL OR $as_at <= pool.valid_to))
OPTIONAL MATCH (b:Budget {model: $model})-[member:IN_POOL]->(pool)
WHERE all(e IN [b, member] WHERE $as_at IS NULL OR ((e.valid_from IS NULL OR e.valid_from <= $as_at)
                                                    AND (e.valid_to IS NULL OR $as_at <= e.valid_to)))
WITH pool, b
ORDER BY b.id
RETURN pool.id AS pool, pool.name AS name, pool.legal_basis AS legal_basis, pool.valid_from AS valid_from,
       pool.valid_to AS valid_to, collect(DISTINCT b.id) AS members
ORDER BY pool
