"""Writing a ``CareGraph`` to GraphML and to NetworkX node-link JSON, and reading JSON back.

GraphML keeps each node's ``kind`` and each edge's ``type`` and key, so
Gephi, yEd or Cytoscape users see the schema; node-link JSON round-trips
exactly through ``read_node_link_json``.

Examples
--------
>>> import caregraph as cg
>>> import tempfile, pathlib
>>> g = cg.CareGraph("demo")
>>> g.add_node("QHM", "ICB", population=3000000)
>>> path = pathlib.Path(tempfile.mkdtemp()) / "g.json"
>>> cg.write_node_link_json(g, path)
>>> cg.read_node_link_json(path) == g
True
"""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx

from networks.errors import Problem, ValidationError
from networks.frames import frames_of_networkx, graph_from_frames
from networks.graph import CareGraph

from .output_files import output_file

__all__ = ["read_node_link_json", "write_graphml", "write_node_link_json"]


def write_graphml(graph: CareGraph, path: str | Path) -> None:
    """Write the graph as GraphML (properties become GraphML attributes).

    Parameters
    ----------
    graph : CareGraph
    path : str or Path
        Output file.

    Raises
    ------
    networks.errors.OutputError
        The file cannot be written (nothing is left half-written).
    """
    with output_file(path) as temp:
        nx.write_graphml(graph.nx, str(temp))


def write_node_link_json(graph: CareGraph, path: str | Path) -> None:
    """Write the graph as NetworkX node-link JSON (``edges`` key, edge keys kept).

    Parameters
    ----------
    graph : CareGraph
    path : str or Path
        Output file (UTF-8).

    Raises
    ------
    networks.errors.OutputError
        The file cannot be written (nothing is left half-written).
    """
    data = nx.node_link_data(graph.nx, edges="edges")
    with output_file(path) as temp:
        temp.write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")


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
    networks.errors.ValidationError
        The file cannot be read, is not node-link JSON, or its content
        breaks the schema.
    """
    label = Path(path).name
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        loaded = nx.node_link_graph(data, directed=True, multigraph=True, edges="edges")
    except FileNotFoundError:
        raise ValidationError([Problem(label, None, None, "no such file")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationError([Problem(label, None, None, f"cannot be read: {exc}")]) from None
    except json.JSONDecodeError as exc:
        raise ValidationError([Problem(label, f"line {exc.lineno}", None, f"is not JSON: {exc.msg}")]) from None
    except (KeyError, TypeError, AttributeError, nx.NetworkXError) as exc:
        raise ValidationError([Problem(label, None, None, f"is not node-link JSON ({exc!r})")]) from None
    nodes, edges = frames_of_networkx(loaded)
    return graph_from_frames(nodes, edges, name=loaded.graph.get("name"))
