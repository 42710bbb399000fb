"""caregraph on Neo4j: connect, load a model (batched, idempotent), read it back, run queries.

The pieces, one module each: ``settings`` (where the server is, from
arguments or ``CAREGRAPH_NEO4J_*``), ``driver_errors`` (the driver's
exceptions as one-line, password-free ``Neo4jError`` messages), ``backend``
(``Neo4jBackend``: ``run_query``, ``run_named``), ``statements`` (Cypher
generated from ``networks.schema``), ``writer`` (``write_graph``,
``delete_model``) and ``reader`` (``read_graph``, ``list_models``,
``check_loaded``).

``Neo4jBackend(model=...)`` is a ``networks.query_runner.QueryRunner``: pass
it instead of a ``CareGraph`` to the analyses that have Cypher versions
(``find_handoffs``, ``find_budget_crossings``, ``check_delegation``,
``delegation_bundles``, ...) to run them on the database, with the same rows.

Examples
--------
With a running Neo4j (shown, not run as a doctest)::

    import caregraph as cg
    graph = cg.load_model("tests/fixtures/small_model")
    with cg.Neo4jBackend(cg.Neo4jSettings.from_env(uri="bolt://127.0.0.1:7687", environ={})) as db:
        cg.write_graph(graph, db, "small")
        cg.read_graph(db, "small") == graph
    # True
"""
