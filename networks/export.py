"""Writing a ``CareGraph`` to GraphML and to NetworkX node-link JSON, and reading JSON back.

GraphML keeps each node's ``kind`` and each edge's ``type`` and key, so
Gephi, yEd or Cytoscape users see the schema; node-link JSON round-trips
exactly through ``read_node_link_json``.

Examples
--------
>>> import tempfile, pathlib
>>> from networks import CareGraph
>>> g = CareGraph("demo")
>>> g.add_node("QHM", "ICB", population=3000000)
>>> path = pathlib.Path(tempfile.mkdtemp()) / "g.json"
>>> write_node_link_json(g, path)
>>> read_node_link_json(path) == g
True
"""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx

from .frames import frames_of_networkx, graph_from_frames
from .graph import CareGraph

__all__ = ["read_node_link_json", "write_graphml", "write_node_link_json"]


def write_graphml(graph: CareGraph, path: str | Path) -> None:
    """Write the graph as GraphML (properties become GraphML attributes).

    Parameters
    ----------
    graph : CareGraph
    path : str or Path
        Output file.
    """
    nx.write_graphml(graph.nx, str(path))


def write_node_link_json(graph: CareGraph, path: str | Path) -> None:
    """Write the graph as NetworkX node-link JSON (``edges`` key, edge keys kept).

    Parameters
    ----------
    graph : CareGraph
    path : str or Path
        Output file (UTF-8).
    """
    data = nx.node_link_data(graph.nx, edges="edges")
    Path(path).write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")


def read_node_link_json(path: str | Path) -> CareGraph:
    """Read node-link JSON written by ``write_node_link_json``, validating it.

    Parameters
    ----------
    path : str or Path

    Returns
    -------
    CareGraph

    Raises
    ------
    networks.ValidationError
        If the file's content breaks the schema.
    """
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    loaded = nx.node_link_graph(data, directed=True, multigraph=True, edges="edges")
    nodes, edges = frames_of_networkx(loaded)
    return graph_from_frames(nodes, edges, name=loaded.graph.get("name"))
