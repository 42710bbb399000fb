"""Reading a model back from Neo4j into a ``CareGraph``, and listing the models loaded.

The read goes through ``networks.records.build_graph``, so what comes back passes
the same schema checks as a model folder; a node edited in Neo4j Browser
into something the schema does not allow is reported, not returned.

Examples
--------
With a running Neo4j (shown, not run as a doctest)::

    from loaders.neo4j import Neo4jBackend
    with Neo4jBackend() as db:
        graph = read_graph(db, "cardiology")
        list_models(db)
    # model        name    status  nodes  relationships
    # 0  cardiology  cardiology  complete     74            229
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from cypher import load_query
from networks.errors import Neo4jError
from networks.graph import CareGraph
from networks.records import EdgeRecord, NodeRecord, Origin, build_graph
from networks.schema import RELATIONSHIP_TYPES

from .backend import Neo4jBackend
from .statements import NODE_RESERVED, RELATIONSHIP_RESERVED
from .writer import check_model_id

__all__ = ["check_loaded", "list_models", "read_graph"]


def list_models(backend: Neo4jBackend) -> pd.DataFrame:
    """List the caregraph models in the database.

    Returns
    -------
    pandas.DataFrame
        Columns ``model``, ``name``, ``status`` (``complete``, or
        ``loading`` for a load that has not finished), ``nodes`` and
        ``relationships``, one row per model, sorted by model id.

    Examples
    --------
    With a running Neo4j (shown, not run as a doctest)::

        list_models(db)["model"].tolist()
        # ['cardiology']
    """
    return backend.run_query(load_query("load/models"))


def _without(properties: dict[str, Any], reserved: tuple[str, ...]) -> dict[str, Any]:
    return {name: value for name, value in properties.items() if name not in reserved}


def check_loaded(backend: Neo4jBackend, model_id: str) -> str:
    """Check that the database holds a complete model under ``model_id``; return its name.

    Raises
    ------
    Neo4jError
        No such model (the message lists the models there are), or its
        load has not finished.

    Examples
    --------
    With a running Neo4j (shown, not run as a doctest)::

        check_loaded(db, "cardiology")
        # 'cardiology'
    """
    model = check_model_id(model_id)
    record = backend.execute(load_query("load/model"), {"model": model})
    if not record.rows:
        known = ", ".join(str(row[0]) for row in backend.execute(load_query("load/models")).rows)
        raise Neo4jError(f"Neo4j at {backend.settings.uri} has no model '{model}' "
                         f"(models: {known or 'none'})")
    _, name, status, _, _ = record.rows[0]
    if status != "complete":
        raise Neo4jError(f"the load of model '{model}' has not finished (status '{status}'): "
                         "run the load again to complete it")
    return str(name)


def read_graph(backend: Neo4jBackend, model_id: str) -> CareGraph:
    """Read one model back from Neo4j.

    Parameters
    ----------
    backend : Neo4jBackend
    model_id : str
        The id it was written under (``write_graph``).

    Returns
    -------
    CareGraph
        Equal (``==``) to the graph that was written, named as it was.

    Raises
    ------
    Neo4jError
        No such model, or its load has not finished.
    networks.errors.ValidationError
        What the database holds for the model breaks the schema.

    Examples
    --------
    With a running Neo4j (shown, not run as a doctest)::

        read_graph(db, "cardiology") == load_model("examples/cardiology")
        # True
    """
    model = check_model_id(model_id)
    name = check_loaded(backend, model)
    where = f"Neo4j model '{model}'"
    nodes = backend.execute(load_query("load/read_nodes"), {"model": model}).rows
    edges = backend.execute(load_query("load/read_relationships"),
                            {"model": model, "types": list(RELATIONSHIP_TYPES)}).rows
    node_records = [
        NodeRecord(node_id, kind, _without(properties, NODE_RESERVED), Origin(where, f"node {node_id}"))
        for node_id, kind, properties in sorted(nodes, key=lambda row: str(row[0]))
    ]
    edge_records = [
        EdgeRecord(source, target, rel_type, _without(properties, RELATIONSHIP_RESERVED),
                   Origin(where, f"relationship {source}-[{rel_type}]->{target}"))
        for source, target, rel_type, properties in sorted(
            edges, key=lambda row: (str(row[0]), str(row[1]), str(row[3].get("key"))))
    ]
    return build_graph(node_records, edge_records, name)
