"""Where each box of a pathway diagram goes: a column by flow order and a row in its swimlane.

* **Loops** (drawn dashed) are decided by the graph alone, never by the
  order steps are written in: while the transitions left still form a
  cycle, the loop is, among the transitions on a cycle, one into a step
  nearer the entry (in transitions, ``networkx`` shortest paths) than the
  step it leaves -- a readmission, a re-referral -- carrying the fewest
  patients (failing that, one into a step as near as the step it leaves).
  A step repeating itself is always a loop. (The back edges of a
  depth-first search from the entry cannot do this: on the cardiology
  example's chest-pain pathway every such search, whatever order it visits
  the steps in, makes a main forward flow a loop -- acute admission ->
  angiography or CT -> angiography -- because the rapid access clinic and
  the admission both lead on to angiography, and from there to the steps
  that loop back to them.)
* Without the loops the pathway is acyclic and a step's **column** is the
  longest chain of transitions from the entry, so every other arrow points
  right. A step sharing its lane's cell with another moves to a free column
  between its predecessors and successors when there is one. Patients
  enter from the left edge (the entry has column -1 and no box).
* A long pathway may be **folded** into bands, like lines of text, each
  band holding consecutive columns: of the foldings into bands of about
  equal width, the one with the fewest arrows between bands.
* Each band lists its **lanes** in order (the lane where patients start
  first, budgets in one pool together); a lane has as many **rows** as its
  fullest cell, and steps take the rows nearest their neighbours
  (barycentre sweeps).

Examples
--------
>>> import caregraph as cg
>>> from caregraph.figures.pathway_data import pathway_picture
>>> g = cg.load_model("tests/fixtures/small_model")
>>> grid = pathway_grid(pathway_picture(g, "chest-pain", None, as_at="all"), bands=1)
>>> sorted(grid.loops), [grid.col[s] for s in ("chest-pain/gp", "chest-pain/pci", "chest-pain/care")]
([('chest-pain/care', 'chest-pain/pci')], [0, 1, 3])
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from dataclasses import dataclass

import networkx as nx

from .pathway_data import START, PathwayPicture

__all__ = ["Grid", "Row", "flow_graph", "loop_edges", "pathway_grid"]

Edge = tuple[str, str]
_SWEEPS = 3


@dataclass(frozen=True)
class Row:
    band: int
    lane: str
    sub: int


@dataclass
class Grid:
    """Columns and rows of every node (``START`` and the steps)."""

    loops: set[Edge]
    depth: dict[str, int]
    bands: int
    columns: int  # columns per band
    col: dict[str, int]
    row: dict[str, int]
    rows: list[Row]
    lane_order: list[str]


def flow_graph(picture: PathwayPicture) -> nx.DiGraph:
    """The entry and the steps, with an edge per arrow carrying its patients a year."""
    flow = nx.DiGraph()
    flow.add_node(START)
    flow.add_nodes_from(sorted(picture.steps))
    for move in picture.moves:
        flow.add_edge(move.source, move.target, patients=move.patients)
    return flow


def _returning(source: int, target: int) -> int:
    """0 for a transition back towards the entry, 1 for one sideways, 2 for one onwards (by distance)."""
    return 0 if target < source else 1 if target == source else 2


def loop_edges(flow: nx.DiGraph) -> set[Edge]:
    """The transitions drawn as loops (see the module notes); ``flow`` edges carry ``patients``."""
    near = nx.single_source_shortest_path_length(flow, START)
    far = len(flow)
    loops = {(u, v) for u, v in flow.edges if u == v}
    rest = nx.DiGraph(e for e in flow.edges if e not in loops)
    rest.add_nodes_from(flow)
    while True:
        cyclic = [c for c in nx.strongly_connected_components(rest) if len(c) > 1]
        if not cyclic:
            return loops
        on_cycles = [e for c in cyclic for e in rest.subgraph(c).edges]
        loop = min(on_cycles, key=lambda e: (_returning(near.get(e[0], far), near.get(e[1], far)),
                                             flow.edges[e]["patients"], e))
        loops.add(loop)
        rest.remove_edge(*loop)


def _depths(flow: nx.DiGraph, loops: set[Edge]) -> dict[str, int]:
    """Longest chain of forward transitions from the entry (depth 0); steps nobody reaches get depth 1."""
    dag = nx.DiGraph(e for e in flow.edges if e not in loops)
    dag.add_nodes_from(flow)
    depth: dict[str, int] = {}
    for node in nx.topological_sort(dag):
        before = [depth[u] + 1 for u in dag.predecessors(node)]
        depth[node] = 0 if node == START else max([1, *before])
    return depth


def _spread(dag: nx.DiGraph, depth: dict[str, int], lane: dict[str, str]) -> None:
    """Move steps out of crowded cells into free columns their transitions allow (in place)."""
    last = max(depth.values())
    for _ in range(len(depth)):
        cells: dict[tuple[str, int], int] = defaultdict(int)
        for node, d in depth.items():
            cells[(lane[node], d)] += 1
        moved = False
        for node in sorted(depth, key=lambda n: (depth[n], n)):
            if node == START or cells[(lane[node], depth[node])] < 2:
                continue
            low = max([1, *(depth[u] + 1 for u in dag.predecessors(node))])
            high = min([last, *(depth[v] - 1 for v in dag.successors(node))])
            here = cells[(lane[node], depth[node])]
            options = [d for d in range(low, high + 1) if cells[(lane[node], d)] + 1 < here]
            if options:
                target = min(options, key=lambda d: (abs(d - depth[node]), d))
                cells[(lane[node], depth[node])] -= 1
                cells[(lane[node], target)] += 1
                depth[node] = target
                moved = True
        if not moved:
            return


def _lane_order(picture: PathwayPicture, depth: dict[str, int], lane: dict[str, str]) -> list[str]:
    """Lanes in the order patients meet them; budgets joined by a pool kept together."""
    key = {}
    for name in picture.lanes:
        steps = [s for s in picture.steps.values() if s.lane == name]
        key[name] = (min(depth[s.id] for s in steps), -sum(s.visits for s in steps), name)
    pools = picture.pools if picture.lanes_by == "budget" else []
    group_of = {member: n for n, group in enumerate(pools) for member in group.lanes}
    group_key = {n: min(key[m] for m in group.lanes) for n, group in enumerate(pools)}
    return sorted(picture.lanes, key=lambda n: (group_key[group_of[n]] if n in group_of else key[n], key[n]))


def _place_rows(grid: Grid, dag: nx.DiGraph, cells: dict[tuple[int, str, int], list[str]],
                first_row: dict[tuple[int, str], int], height: dict[tuple[int, str], int]) -> None:
    """Give each node of a cell a row of its lane, nearest the mean row of its neighbours."""
    for sweep in range(2 * _SWEEPS):
        forward = sweep % 2 == 0
        for (band, lane, _), nodes in sorted(cells.items(), key=lambda c: (c[0][0], c[0][2]),
                                                reverse=not forward):
            near = [list(dag.predecessors(n) if forward else dag.successors(n)) for n in nodes]
            wanted = [sum(grid.row[m] for m in ns) / len(ns) if ns else grid.row[n] for n, ns in zip(nodes, near,
                                                                                                   strict=True)]
            order = sorted(range(len(nodes)), key=lambda i: (wanted[i], nodes[i]))
            top, rows = first_row[(band, lane)], height[(band, lane)]
            previous = -1
            for rank, i in enumerate(order):
                sub = min(max(round(wanted[i] - top), previous + 1), rows - (len(nodes) - rank))
                grid.row[nodes[i]] = top + sub
                previous = sub


def _fold(flow: nx.DiGraph, depth: dict[str, int], bands: int) -> list[int]:
    """The first depth of each band: the narrowest foldings, and of those the one with fewest arrows between bands."""
    last = max(depth.values())
    width = math.ceil(last / bands)
    best: tuple[tuple[int, int], list[int]] | None = None
    for sizes in itertools.product(range(max(1, width - 1), width + 2), repeat=bands):
        if sum(sizes) != last:
            continue
        starts = [1 + sum(sizes[:b]) for b in range(bands)]
        band = {n: sum(1 for first in starts if first <= max(d, 1)) for n, d in depth.items()}
        crossing = sum(1 for u, v in flow.edges if u != START and band[u] != band[v])
        key = (max(sizes), crossing)
        if best is None or key < best[0]:
            best = (key, starts)
    return best[1] if best else [1]


def pathway_grid(picture: PathwayPicture, bands: int = 1, *, loops: set[Edge] | None = None,
                 lanes: list[str] | None = None) -> Grid:
    """Lay the pathway's nodes out in columns and lane rows, folded into ``bands`` bands (see the module notes).

    A page of a longer pathway (``figures.pathway_pages``) gives the
    ``loops`` and the order of the ``lanes`` found on the whole pathway, so
    that every page has the same.
    """
    flow = flow_graph(picture)
    loops = loop_edges(flow) if loops is None else loops & set(flow.edges)
    depth = _depths(flow, loops)
    dag = nx.DiGraph(e for e in flow.edges if e not in loops)
    dag.add_nodes_from(flow)
    lane = {s.id: s.lane for s in picture.steps.values()}
    entries = [m for m in picture.moves if m.source == START]
    heaviest = max(entries, key=lambda m: (m.patients, m.target)).target if entries else ""
    lane[START] = lane.get(heaviest, "")
    _spread(dag, depth, lane)
    order = _lane_order(picture, depth, lane) if lanes is None else lanes
    starts = _fold(flow, depth, bands)
    band_of = {n: max(b for b, first in enumerate(starts) if first <= max(d, 1)) for n, d in depth.items()}
    col = {n: depth[n] - starts[band_of[n]] for n in picture.steps}
    per_band = max(col.values(), default=0) + 1
    cells: dict[tuple[int, str, int], list[str]] = defaultdict(list)
    for node in sorted(picture.steps):
        cells[(band_of[node], lane[node], col[node])].append(node)
    rows: list[Row] = []
    first_row, height = {}, {}
    for band in range(bands):
        for name in order:
            size = max((len(nodes) for (b, n, _), nodes in cells.items() if b == band and n == name), default=0)
            first_row[(band, name)], height[(band, name)] = len(rows), size
            rows += [Row(band, name, sub) for sub in range(size)]
    grid = Grid(loops, depth, bands, per_band, {START: -1, **col}, {}, rows, order)
    for (band, name, _), nodes in cells.items():
        for sub, node in enumerate(sorted(nodes)):
            grid.row[node] = first_row[(band, name)] + sub
    grid.row[START] = grid.row[heaviest] if entries else 0
    _place_rows(grid, dag, cells, first_row, height)
    grid.row[START] = grid.row[heaviest] if entries else 0
    return grid
