"""caregraph on Neo4j: connect, load a model (batched, idempotent), read it back, run queries.

The pieces, one module each: ``settings`` (where the server is, from
arguments or ``CAREGRAPH_NEO4J_*``), ``errors`` (``Neo4jError``, one line,
no password), ``backend`` (``Neo4jBackend``: ``run_query``, ``run_named``),
``statements`` (Cypher generated from ``networks.schema``), ``writer``
(``write_graph``, ``delete_model``) and ``reader`` (``read_graph``,
``list_models``, ``check_loaded``).

``Neo4jBackend(model=...)`` is a ``networks.QueryRunner``: pass it instead
of a ``CareGraph`` to the analyses that have Cypher versions
(``find_handoffs``, ``find_budget_crossings``, ``check_delegation``,
``delegation_bundles``, ...) to run them on the database, with the same
rows.

Examples
--------
With a running Neo4j (shown, not run as a doctest)::

    from loaders import load_model
    from loaders.neo4j import Neo4jBackend, Neo4jSettings, read_graph, write_graph
    graph = load_model("tests/fixtures/small_model")
    settings = Neo4jSettings.from_env(uri="bolt://127.0.0.1:7687", environ={})
    with Neo4jBackend(settings) as db:
        write_graph(graph, db, "small")
        read_graph(db, "small") == graph
    # True
"""

from .backend import COUNTERS, Neo4jBackend, QueryResult, plain
from .errors import Neo4jError, explain
from .reader import check_loaded, list_models, read_graph
from .settings import DEFAULT_DATABASE, ENV_DATABASE, ENV_PASSWORD, ENV_URI, ENV_USER, Neo4jSettings
from .statements import (
    BASE_LABEL,
    MODEL_LABEL,
    NODE_RESERVED,
    RELATIONSHIP_RESERVED,
    SCHEMA_QUERY,
    node_query,
    relationship_query,
    schema_cypher,
    schema_statements,
    split_statements,
)
from .writer import LoadResult, check_model_id, delete_model, ensure_schema, write_graph

__all__ = [
    "BASE_LABEL",
    "COUNTERS",
    "DEFAULT_DATABASE",
    "ENV_DATABASE",
    "ENV_PASSWORD",
    "ENV_URI",
    "ENV_USER",
    "MODEL_LABEL",
    "NODE_RESERVED",
    "RELATIONSHIP_RESERVED",
    "SCHEMA_QUERY",
    "LoadResult",
    "Neo4jBackend",
    "Neo4jError",
    "Neo4jSettings",
    "QueryResult",
    "check_loaded",
    "check_model_id",
    "delete_model",
    "ensure_schema",
    "explain",
    "list_models",
    "node_query",
    "plain",
    "read_graph",
    "relationship_query",
    "schema_cypher",
    "schema_statements",
    "split_statements",
    "write_graph",
]
