"""pandas in, pandas out: ``graph_from_frames`` and ``graph_to_frames``.

The node frame has one row per node (``id``, ``kind`` and any properties as
columns); the edge frame one row per relationship (``source``, ``target``,
``type`` and properties). Blank cells mean "no value". Column names are
keyword arguments, as in ``networkx.from_pandas_edgelist``.

Examples
--------
>>> import caregraph as cg
>>> import pandas as pd
>>> nodes = pd.DataFrame({"id": ["QHM", "Y63"], "kind": ["ICB", "NHSERegion"]})
>>> edges = pd.DataFrame({"source": ["QHM"], "target": ["Y63"], "type": ["PART_OF"]})
>>> g = cg.graph_from_frames(nodes, edges)
>>> g.successors("QHM", "PART_OF")
['Y63']
>>> cg.graph_to_frames(g)[1]
  source target     type
0    QHM    Y63  PART_OF
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import networkx as nx
import pandas as pd

from .graph import CareGraph
from .records import EdgeRecord, NodeRecord, Origin, build_graph

__all__ = ["graph_from_frames", "graph_to_frames"]


def graph_from_frames(
    nodes: pd.DataFrame,
    edges: pd.DataFrame | None = None,
    *,
    id_col: str = "id",
    kind_col: str = "kind",
    source_col: str = "source",
    target_col: str = "target",
    type_col: str = "type",
    name: str | None = None,
) -> CareGraph:
    """Build a ``CareGraph`` from a node frame and an edge frame.

    Parameters
    ----------
    nodes : pandas.DataFrame
        One row per node; every column other than ``id_col`` and
        ``kind_col`` is a property (blank cells are skipped).
    edges : pandas.DataFrame, optional
        One row per relationship; every column other than the three named
        ones is a property.
    id_col, kind_col, source_col, target_col, type_col : str
        Column names.
    name : str, optional
        The model's name.

    Returns
    -------
    CareGraph

    Raises
    ------
    networks.errors.ValidationError
        Every problem at once, each naming the frame ("nodes" or "edges"),
        the row's index label and the column.
    """
    node_records = [
        NodeRecord(keys[0], keys[1], props, Origin("nodes", f"row {index}"), id_col, kind_col)
        for index, keys, props in _rows(nodes, (id_col, kind_col))
    ]
    edge_records = []
    if edges is not None:
        edge_records = [
            EdgeRecord(keys[0], keys[1], str(keys[2]), props, Origin("edges", f"row {index}"), source_col, target_col)
            for index, keys, props in _rows(edges, (source_col, target_col, type_col))
        ]
    return build_graph(node_records, edge_records, name)


def _rows(frame: pd.DataFrame, keys: tuple[str, ...]) -> Iterator[tuple[Any, list[Any], dict[str, Any]]]:
    """Each row's index label, its key columns' values, and its other cells that are not missing (None, NaN)."""
    key_values = [frame[k].tolist() for k in keys]
    others = [(str(c), frame[c].tolist()) for c in frame.columns if c not in keys]
    for i, index in enumerate(frame.index):
        props = {}
        for name, values in others:
            value = values[i]
            if value is not None and not (isinstance(value, float) and value != value):
                props[name] = value
        yield index, [values[i] for values in key_values], props


def graph_to_frames(graph: CareGraph) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the node and edge frames of a ``CareGraph``.

    Parameters
    ----------
    graph : CareGraph

    Returns
    -------
    nodes : pandas.DataFrame
        Columns ``id``, ``kind``, then every property in use, sorted.
    edges : pandas.DataFrame
        Columns ``source``, ``target``, ``type``, then properties, sorted.
    """
    return frames_of_networkx(graph.nx)


def frames_of_networkx(view: nx.MultiDiGraph) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return node and edge frames of any NetworkX multigraph laid out as a CareGraph is."""
    node_rows = [{"id": n, **a} for n, a in view.nodes(data=True)]
    edge_rows = [{"source": u, "target": v, **a} for u, v, a in view.edges(data=True)]
    return _frame(node_rows, ["id", "kind"]), _frame(edge_rows, ["source", "target", "type"])


def _frame(rows: list[dict[str, object]], leading: list[str]) -> pd.DataFrame:
    extra = sorted({c for row in rows for c in row} - set(leading))
    return pd.DataFrame(rows, columns=leading + extra)
