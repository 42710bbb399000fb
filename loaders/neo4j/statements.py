"""Cypher generated from ``networks.schema``: constraints, indexes and the per-kind load queries.

Labels and relationship types cannot be Cypher parameters, so the load
queries in ``cypher/load/`` carry a placeholder (``__LABELS__``,
``__TYPE__``) that only this module fills in, and only with names taken from
the schema and checked to be plain identifiers. Every value stays a
``$parameter``.

How models are kept apart: every caregraph node has the base label
``CareGraph`` and the properties ``model`` (the model id) and ``id``; the
uniqueness constraint on ``(model, id)`` (Neo4j Community supports composite
uniqueness constraints) makes one node per id per model, so two models that
both contain ``QHM`` coexist. Relationships carry ``model`` and ``key`` (the
``CareGraph`` edge key, unique between two nodes). Both carry
``load_generation``, the generation of the load that last wrote them. One
``CareGraphModel`` node per model records its name, whether its load
finished and the generation of its latest load.

Examples
--------
>>> print(node_query("ICB").splitlines()[2].split(", ")[-1])
n:`Organisation`:`Commissioner`:`ICB`
>>> print(relationship_query("PART_OF").splitlines()[4])
MERGE (a)-[r:`PART_OF` {key: properties.key}]->(b)
>>> node_query("Hospital")
Traceback (most recent call last):
...
networks.errors.SchemaError: unknown node kind 'Hospital'
"""

from __future__ import annotations

import re

from cypher import load_query
from networks.errors import SchemaError
from networks.schema import LABELS, NODE_KINDS, RELATIONSHIP_TYPES

__all__ = [
    "BASE_LABEL",
    "MODEL_LABEL",
    "NODE_RESERVED",
    "RELATIONSHIP_RESERVED",
    "SCHEMA_QUERY",
    "node_query",
    "relationship_query",
    "schema_cypher",
    "schema_statements",
    "split_statements",
]

#: The label every caregraph node carries besides its schema labels.
BASE_LABEL = "CareGraph"
#: The label of the one node per model that records the model's load.
MODEL_LABEL = "CareGraphModel"
#: Node properties written by the loader; no schema property may use these names.
NODE_RESERVED = ("model", "id", "kind", "load_generation")
#: Relationship properties written by the loader.
RELATIONSHIP_RESERVED = ("model", "key", "type", "load_generation")
#: The shipped file ``schema_cypher()`` must equal.
SCHEMA_QUERY = "schema/constraints"

_IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_HEADER = """\
// caregraph's Neo4j constraints and indexes, generated from networks.schema by
// loaders.neo4j.schema_cypher() (a test keeps this file equal to it).
// loaders.neo4j.write_graph runs them before every load; each is idempotent.
"""


def _name(name: str) -> str:
    """Return a schema label or type as a quoted Cypher name, refusing anything but an identifier."""
    if not _IDENTIFIER.fullmatch(name):
        raise SchemaError(f"'{name}' is not a plain identifier and cannot be a label or type")
    return f"`{name}`"


def schema_statements() -> list[str]:
    """Return the constraint and index statements, one string each, derived from the schema.

    Returns
    -------
    list of str
        The identity constraints (nodes by ``(model, id)``, model records by
        ``model``), an index on ``model`` and one ``id`` index per schema
        label, so ``MATCH (t:NHSTrust {id: 'RTD'})`` is an index seek.

    Examples
    --------
    >>> schema_statements()[2]
    'CREATE INDEX caregraph_node_model IF NOT EXISTS FOR (n:`CareGraph`) ON (n.model)'
    """
    base, record = _name(BASE_LABEL), _name(MODEL_LABEL)
    statements = [
        f"CREATE CONSTRAINT caregraph_node_identity IF NOT EXISTS "
        f"FOR (n:{base}) REQUIRE (n.model, n.id) IS UNIQUE",
        f"CREATE CONSTRAINT caregraph_model_identity IF NOT EXISTS "
        f"FOR (m:{record}) REQUIRE m.model IS UNIQUE",
        f"CREATE INDEX caregraph_node_model IF NOT EXISTS FOR (n:{base}) ON (n.model)",
    ]
    statements += [
        f"CREATE INDEX caregraph_{label.lower()}_id IF NOT EXISTS FOR (n:{_name(label)}) ON (n.id)"
        for label in LABELS
    ]
    return statements


def schema_cypher() -> str:
    """Return the text of ``cypher/schema/constraints.cypher`` as the schema says it should be.

    Examples
    --------
    >>> import caregraph as cg
    >>> schema_cypher() == cg.load_query(SCHEMA_QUERY)
    True
    """
    return _HEADER + "\n" + "".join(f"{statement};\n" for statement in schema_statements())


def split_statements(text: str) -> list[str]:
    """Split a ``.cypher`` file of ``;``-terminated statements, dropping ``//`` comment lines.

    Examples
    --------
    >>> split_statements("// two\\nRETURN 1;\\nRETURN 2;\\n")
    ['RETURN 1', 'RETURN 2']
    """
    code = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//"))
    return [part.strip() for part in code.split(";") if part.strip()]


def _fill(query: str, names: dict[str, str]) -> str:
    """Return a load template without its comments and with its placeholders filled in."""
    template = "\n".join(line for line in load_query(query).splitlines() if not line.lstrip().startswith("//"))
    for placeholder, value in names.items():
        if template.count(placeholder) != 1:  # pragma: no cover - guarded by the shipped files' tests
            raise SchemaError(f"cypher/{query}.cypher must contain {placeholder} exactly once")
        template = template.replace(placeholder, value)
    return template


def node_query(kind: str) -> str:
    """Return the batched ``UNWIND $rows ... MERGE`` query for nodes of one kind.

    Parameters
    ----------
    kind : str
        A kind of ``networks.schema.NODE_KINDS``; its labels are written in.

    Returns
    -------
    str
        ``cypher/load/nodes.cypher`` with the kind's labels (and every other
        schema label to remove); it takes ``$model``, ``$generation`` and
        ``$rows`` (``[{id, kind, ...properties}]``).

    Raises
    ------
    SchemaError
        If ``kind`` is not a schema kind.
    """
    if kind not in NODE_KINDS:
        raise SchemaError(f"unknown node kind '{kind}'")
    labels = NODE_KINDS[kind].labels
    others = [label for label in LABELS if label not in labels]
    return _fill("load/nodes", {"__LABELS__": ":".join(_name(label) for label in labels),
                                "__OTHER_LABELS__": ":".join(_name(label) for label in others)})


def relationship_query(rel_type: str) -> str:
    """Return the batched ``UNWIND $rows ... MERGE`` query for relationships of one type.

    Parameters
    ----------
    rel_type : str
        A type of ``networks.schema.RELATIONSHIP_TYPES``.

    Returns
    -------
    str
        ``cypher/load/relationships.cypher`` with the type written in; it
        takes ``$model``, ``$generation`` and ``$rows``
        (``[[source, target, {key, ...properties}]]``).

    Raises
    ------
    SchemaError
        If ``rel_type`` is not a schema type.

    Examples
    --------
    >>> "MERGE (a)-[r:`PART_OF` {key: properties.key}]->(b)" in relationship_query("PART_OF")
    True
    """
    if rel_type not in RELATIONSHIP_TYPES:
        raise SchemaError(f"unknown relationship type '{rel_type}'")
    return _fill("load/relationships", {"__TYPE__": _name(rel_type)})
