"""Pathway diagrams for board papers: steps, patient flows and hand-offs (matplotlib, Agg).

``draw_pathway`` lays a pathway out left to right:

- a *loop* is a transition back to a step listed no later in the pathway
  (a readmission or re-referral); it is drawn as a dashed, curved arc
  (``networkx.draw_networkx_edges`` with an ``arc3`` connection);
- without the loops the pathway is a directed acyclic graph, and a step's
  column is its *depth*: the longest chain of forward transitions from the
  start (``networkx.topological_generations``), so every forward arrow
  points right; ``networkx.multipartite_layout`` places the columns;
- a forward transition that skips columns runs through a waypoint in each
  column it crosses (placed in a gap between boxes, as near the straight
  line as the boxes allow), so it never hides behind a box; a few
  barycentre sweeps order each column to reduce crossings;
- boxes are coloured by care setting and show the step's value of ``by``
  and its visits a year; arrows are labelled with patients a year (or the
  percentage of entrants when the pathway gives no volume), their width
  grows with the flow, and hand-offs under ``by`` (see
  ``pathways.handoffs``) are red.

Figures are ``matplotlib.figure.Figure`` objects on the Agg canvas: no
``pyplot`` state and no display are needed. ``loaders.figure_files`` writes
them as PNG, SVG or PDF.

Examples
--------
>>> import tempfile, pathlib
>>> import caregraph as cg
>>> fig = cg.draw_pathway(cg.load_model("tests/fixtures/small_model"), "chest-pain", as_at="2024-03-31")
>>> with tempfile.TemporaryDirectory() as folder:
...     out = pathlib.Path(folder) / "chest-pain.svg"
...     cg.save_figure(fig, out)
...     print(out.read_text()[:5])
<?xml
"""

from __future__ import annotations

import itertools
import textwrap
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Patch
from matplotlib.path import Path as Curve

from networks.graph import CareGraph
from networks.pathway_flows import PathwayFlows, entry_table, pathway_flows, step_table

from .handoffs import handoffs_from_tables, responsible_values
from .tables import budget_holders

__all__ = ["SETTING_COLOURS", "draw_pathway"]

SETTING_COLOURS = {
    "primary": "#b3de69",
    "community": "#8dd3c7",
    "acute": "#80b1d3",
    "specialised": "#bebada",
    "mental_health": "#fdb462",
    "social_care": "#fccde5",
    "public_health": "#ffffb3",
}
_HANDOFF_COLOUR = "#c0392b"
_FLOW_COLOUR = "#6b6b6b"
_COLUMN_INCHES, _ROW_INCHES = 2.0, 1.3
_BOX_WIDTH, _BOX_HEIGHT = 0.72, 0.72  # fractions of the column and row spacing
_LOOP_BULGE = 0.6  # how far (in row spacings) a loop arc bends away from the straight line
_MARGIN_SIDE, _MARGIN_BOTTOM, _MARGIN_TOP = 0.5, 0.55, 0.55 + _LOOP_BULGE  # in column / row spacings
_SWEEPS = 4  # barycentre passes ordering the boxes within columns
_LABEL_BOX = {"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.9}


@dataclass(frozen=True)
class _Start:
    """The 'patients entering' box (a node that can never collide with a step id)."""


@dataclass(frozen=True)
class _Waypoint:
    """Where a forward transition crosses a column it skips."""

    transition: tuple[str, str]
    level: int


_START = _Start()
Node = Hashable
Edge = tuple[Node, Node]


@dataclass
class _Layout:
    pos: dict[Node, np.ndarray]
    columns: dict[int, list[Node]]
    chains: dict[Edge, list[Node]]  # forward transitions: [from, waypoints..., to]
    loops: list[Edge]
    unit: float  # layout distance between neighbouring columns (and rows)


def _flow_graph(flows: PathwayFlows, steps: pd.DataFrame, entries: pd.DataFrame) -> nx.DiGraph:
    """The start, the steps and the transitions with their yearly volume and share of entrants."""
    flow = nx.DiGraph()
    flow.add_node(_START)
    flow.add_nodes_from(steps["step"])
    moves = flows.transitions.groupby(["from_step", "to_step"], sort=False, as_index=False)[
        ["patients_per_year", "share"]].sum()
    for u, v, volume, share in moves.itertuples(index=False):
        flow.add_edge(u, v, volume=volume, share=share)
    starts = entries.groupby("step", sort=False, as_index=False)[["probability", "patients_per_year"]].sum()
    for step, probability, volume in starts.itertuples(index=False):
        share = volume / flows.entrants if volume else probability
        flow.add_edge(_START, step, volume=share * flows.entrants, share=share)
    return flow


def _order_columns(drawing: nx.DiGraph, columns: dict[int, list[Node]]) -> None:
    """Reorder each column by the mean row of its neighbours in the previous column, sweeping both ways."""
    for sweep in range(_SWEEPS):
        forward = sweep % 2 == 0
        for level in sorted(columns, reverse=not forward)[1:]:
            near = columns[level - 1 if forward else level + 1]
            row = {n: i - (len(near) - 1) / 2 for i, n in enumerate(near)}
            here = columns[level]
            keys = {}
            for i, node in enumerate(here):
                linked = [row[n] for n in (drawing.predecessors(node) if forward else drawing.successors(node))
                          if n in row]
                keys[node] = sum(linked) / len(linked) if linked else i - (len(here) - 1) / 2
            here.sort(key=keys.__getitem__)


def _straighten(layout: _Layout) -> None:
    """Move each waypoint to the free height nearest the straight line between its transition's ends.

    Free heights are the line itself, the gaps between a column's boxes and
    just above or below them; a waypoint with no free height keeps its slot.
    """
    pos, clearance = layout.pos, (_BOX_HEIGHT / 2 + 0.1) * layout.unit
    for (u, v), chain in layout.chains.items():
        for waypoint in chain[1:-1]:
            assert isinstance(waypoint, _Waypoint)
            boxes = sorted(float(pos[n][1]) for n in layout.columns[waypoint.level] if not isinstance(n, _Waypoint))
            t = (pos[waypoint][0] - pos[u][0]) / (pos[v][0] - pos[u][0])
            line = float(pos[u][1] + t * (pos[v][1] - pos[u][1]))
            candidates = [line, *((a + b) / 2 for a, b in itertools.pairwise(boxes))]
            if boxes:
                candidates += [boxes[0] - clearance - 0.05 * layout.unit, boxes[-1] + clearance + 0.05 * layout.unit]
            free = [y for y in candidates if all(abs(y - b) > clearance for b in boxes)]
            if free:
                pos[waypoint] = np.array([pos[waypoint][0], min(free, key=lambda y: abs(y - line))])


def _layout(flow: nx.DiGraph, order: list[str]) -> tuple[_Layout, nx.DiGraph]:
    """Place the start and the steps in columns by depth; return the layout and the graph of segments."""
    rank = {step: i for i, step in enumerate(order)}
    loops = sorted(((u, v) for u, v in flow.edges if u != _START and rank[v] <= rank[u]), key=str)
    dag = nx.DiGraph(e for e in flow.edges if e not in set(loops))
    dag.add_nodes_from(flow)
    dag.add_edges_from((_START, s) for s in order if dag.in_degree(s) == 0)  # steps entered only by loops
    depth: dict[Node, int] = {n: d for d, nodes in enumerate(nx.topological_generations(dag)) for n in nodes}
    drawing = nx.DiGraph()
    drawing.add_nodes_from(flow)
    chains: dict[Edge, list[Node]] = {}
    for u, v in flow.edges:
        if (u, v) in set(loops):
            continue
        waypoints = [_Waypoint((u, v), d) for d in range(depth[u] + 1, depth[v])]
        depth.update((w, w.level) for w in waypoints)
        chains[(u, v)] = [u, *waypoints, v]
        drawing.add_edges_from(itertools.pairwise(chains[(u, v)]))
    columns: dict[int, list[Node]] = {d: [] for d in range(max(depth.values()) + 1)}
    for node in drawing:
        columns[depth[node]].append(node)
    _order_columns(drawing, columns)
    pos = nx.multipartite_layout(drawing, subset_key=columns)
    unit = abs(float(pos[columns[1][0]][0] - pos[_START][0]))  # columns and rows are spaced alike
    layout = _Layout(pos, columns, chains, loops, unit)
    _straighten(layout)
    return layout, drawing


def _label_text(name: str, value: str, visits: float, per_patient: bool) -> str:
    volume = f"{visits:.0%} of entrants" if per_patient else f"{visits:,.0f} a year"
    return "\n".join([*textwrap.wrap(name, 21, max_lines=4, placeholder="..."), f"{value} | {volume}"])


def _flow_text(volume: float, share: float, per_patient: bool) -> str:
    if per_patient:
        return f"{share:.1%}" if share < 0.1 else f"{share:.0%}"
    return f"{volume:,.1f}" if volume < 10 else f"{volume:,.0f}"


def _style(attrs: dict[str, Any], handoff: bool) -> dict[str, Any]:
    """Line width by share of entrants, red for a hand-off."""
    return {"linewidth": 0.8 + 4 * min(1.0, attrs["share"]) ** 0.5,
            "color": _HANDOFF_COLOUR if handoff else _FLOW_COLOUR}


def _point_at(a: np.ndarray, b: np.ndarray, x: float) -> tuple[float, float]:
    """The point at ``x`` on the curve from ``a`` to ``b`` with horizontal tangents at both ends."""
    t = np.linspace(0.0, 1.0, 201)
    xs = a[0] + (b[0] - a[0]) * (1.5 * t * (1 - t) + t**3)
    ys = a[1] + (b[1] - a[1]) * (3 * (1 - t) * t**2 + t**3)
    return x, float(np.interp(x, xs, ys))


def _ports(
    layout: _Layout, drawing: nx.DiGraph, boxes: dict[Node, FancyBboxPatch]
) -> tuple[dict[Edge, np.ndarray], dict[Edge, np.ndarray]]:
    """Where each segment leaves and enters a box: spread down its side in the order of the other ends."""
    leave: dict[Edge, np.ndarray] = {}
    enter: dict[Edge, np.ndarray] = {}
    for node, box in boxes.items():
        for ports, edges, other, x in ((leave, list(drawing.out_edges(node)), 1, box.get_x() + box.get_width()),
                                       (enter, list(drawing.in_edges(node)), 0, box.get_x())):
            edges.sort(key=lambda e, o=other: (float(layout.pos[e[o]][1]), str(e[o])))  # type: ignore[misc]
            for i, edge in enumerate(edges):
                offset = 0.6 * box.get_height() * ((i + 0.5) / len(edges) - 0.5)
                ports[edge] = np.array([x, layout.pos[node][1] + offset])
    return leave, enter


def _draw_forward(
    ax: Axes, layout: _Layout, drawing: nx.DiGraph, flow: nx.DiGraph, boxes: dict[Node, FancyBboxPatch],
    handed: set[Edge], per_patient: bool,
) -> None:
    """Draw forward transitions as smooth curves from the right of one box to the left of another.

    A transition crosses each column it skips at its waypoint's height,
    bending only in the gaps between columns; its label sits in the first
    gap.
    """
    width = next(iter(boxes.values())).get_width()
    leave, enter = _ports(layout, drawing, boxes)
    for (u, v), chain in layout.chains.items():
        lanes = [layout.pos[w] + (dx, 0.0) for w in chain[1:-1] for dx in (-width / 2, width / 2)]
        points = [leave[(u, chain[1])], *lanes, enter[(chain[-2], v)]]
        verts = [points[0]]
        for a, b in itertools.pairwise(points):
            half = (b[0] - a[0]) / 2
            verts += [np.array([a[0] + half, a[1]]), np.array([b[0] - half, b[1]]), b]
        attrs = flow.edges[u, v]
        codes = [Curve.MOVETO] + [Curve.CURVE4] * (len(verts) - 1)
        ax.add_patch(FancyArrowPatch(path=Curve(np.array(verts), codes), arrowstyle="-|>", mutation_scale=11,
                                     zorder=1.5, **_style(attrs, (u, v) in handed)))
        x, y = _point_at(points[0], points[1], float(points[0][0] + (layout.unit - width) / 2))
        ax.text(x, y, _flow_text(attrs["volume"], attrs["share"], per_patient), fontsize=7, ha="center",
                va="center", color="#222222", zorder=4, bbox=_LABEL_BOX)


def _draw_loop(
    ax: Axes, layout: _Layout, flow: nx.DiGraph, edge: Edge, boxes: dict[Node, FancyBboxPatch], handoff: bool,
    per_patient: bool,
) -> None:
    """Draw a loop as a dashed arc clipped at the boxes, labelled just outside the box it points to.

    A step that repeats itself gets an arch over its own box.
    """
    u, v = edge
    attrs = flow.edges[edge]
    text = _flow_text(attrs["volume"], attrs["share"], per_patient)
    if u == v:
        box = boxes[u]
        left, right = box.get_x() + box.get_width() / 4, box.get_x() + 3 * box.get_width() / 4
        top, rise = box.get_y() + box.get_height(), 0.6 * box.get_height()
        arch = Curve([(right, top), (right, top + rise), (left, top + rise), (left, top)], [Curve.MOVETO] +
                     [Curve.CURVE4] * 3)
        ax.add_patch(FancyArrowPatch(path=arch, arrowstyle="-|>", mutation_scale=11, linestyle="--", zorder=1.5,
                                     **_style(attrs, handoff)))
        ax.text((left + right) / 2, top + 0.75 * rise, text, fontsize=7, ha="center", va="center",
                color="#222222", zorder=4, bbox=_LABEL_BOX)
        return
    length = float(np.hypot(*(layout.pos[v] - layout.pos[u])))
    connection = f"arc3,rad={min(0.5, 2 * _LOOP_BULGE * layout.unit / max(layout.unit, length)):.3f}"
    style = _style(attrs, handoff)
    (arrow,) = nx.draw_networkx_edges(flow, layout.pos, edgelist=[edge], ax=ax, arrows=True, arrowstyle="-|>",
                                      arrowsize=11, node_size=0, width=style["linewidth"], edge_color=style["color"],
                                      style="dashed", connectionstyle=connection, min_target_margin=2)
    arrow.set_patchA(boxes[u])
    arrow.set_patchB(boxes[v])
    near = float(np.hypot(boxes[v].get_width(), boxes[v].get_height())) / 2 + 0.1 * boxes[v].get_width()
    texts = nx.draw_networkx_edge_labels(
        flow, layout.pos, ax=ax, connectionstyle=connection, font_size=7, rotate=False, node_size=0,
        label_pos=1 - near / max(length, 2 * near), bbox=_LABEL_BOX, font_color="#222222",
        edge_labels={edge: text})
    for text in texts.values():
        text.set_zorder(4)


def _new_axes(columns: int, rows: float) -> Axes:
    """Axes sized so a column is ``_COLUMN_INCHES`` wide and a row ``_ROW_INCHES`` high."""
    width = (columns - 1 + 2 * _MARGIN_SIDE) * _COLUMN_INCHES
    height = (rows - 1 + _MARGIN_BOTTOM + _MARGIN_TOP) * _ROW_INCHES
    top, bottom = 0.6, 1.0  # inches for the title, and for the legend and footnote
    fig = Figure(figsize=(width, height + top + bottom))
    FigureCanvasAgg(fig)
    return fig.add_axes((0.0, bottom / (height + top + bottom), 1.0, height / (height + top + bottom)))


def _decorate(ax: Axes, graph: CareGraph, pathway: str, by: str, steps: pd.DataFrame, values: pd.Series,
              per_patient: bool) -> None:
    """Title, legend of settings and arrow kinds, and a footnote naming the organisations."""
    ax.set_axis_off()
    unit_text = "% of patients entering" if per_patient else "patients a year"
    title = graph.node(pathway).get("name", pathway)
    ax.set_title(f"{title}\nArrows: {unit_text}; red arrows are hand-offs between {by} values; "
                 "dashed arcs are loops back to an earlier step", loc="left", fontsize=9)
    present = set(steps["setting"])
    legend: list[Artist] = [Patch(facecolor=colour, edgecolor="#333333", label=setting.replace("_", " "))
                            for setting, colour in SETTING_COLOURS.items() if setting in present]
    legend += [Line2D([], [], color=_HANDOFF_COLOUR, lw=2.5, label=f"hand-off ({by} changes)"),
               Line2D([], [], color=_FLOW_COLOUR, lw=2.5, label=f"same {by}"),
               Line2D([], [], color=_FLOW_COLOUR, lw=1.5, ls="--", label="loop")]
    ax.legend(handles=legend, loc="upper center", bbox_to_anchor=(0.5, 0.02), ncol=min(len(legend), 5),
              fontsize=7.5, frameon=False)
    named = sorted({str(v) for v in values if v in graph and graph.node(v).get("name")})
    if by in ("provider", "site", "commissioner") and named:
        footnote = "; ".join(f"{v}: {graph.node(v)['name']}" for v in named)
        ax.annotate("\n".join(textwrap.wrap(footnote, 170)), xy=(0, 0), xycoords="axes fraction",
                    xytext=(4, -38), textcoords="offset points", va="top", fontsize=6.5, color="#444444")


def draw_pathway(
    graph: CareGraph,
    pathway: str,
    *,
    by: str = "provider",
    as_at: str | None = None,
    ax: Axes | None = None,
) -> Figure:
    """Draw one pathway: steps by depth, flows on the arrows, hand-offs highlighted.

    Parameters
    ----------
    graph : CareGraph
    pathway : str
        Pathway id.
    by : {"provider", "site", "setting", "sector", "commissioner"}
        Which change of responsibility is a hand-off (drawn in red); each
        box also shows the step's value of ``by`` and its visits a year.
    as_at : str, optional
        ISO date: draw only what is in force that day.
    ax : matplotlib.axes.Axes, optional
        Draw into these axes; by default a new figure sized to the pathway
        (2 inches a column, 1.3 inches a row).

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    networks.errors.ArgumentError
        Unknown ``by``.
    networks.errors.ValidationError
        Unknown pathway, no start step, a loop patients never leave or
        steps lacking the ``by`` value.

    Examples
    --------
    >>> import caregraph as cg
    >>> fig = cg.draw_pathway(cg.load_model("examples/cardiology"), "heart-failure", by="setting")
    >>> fig.axes[0].get_title(loc="left").splitlines()[0]
    'Suspected heart failure to specialist and community care (Newcastle)'
    """
    graph = graph if as_at is None else graph.as_at(as_at)
    flows = pathway_flows(graph, pathway)
    steps = step_table(graph, pathway)
    holders = budget_holders(graph) if by == "commissioner" else None
    values = responsible_values(steps, by, holders)
    handoffs = handoffs_from_tables(steps, flows.transitions, by, holders)
    handed: set[Edge] = set(zip(handoffs["from_step"], handoffs["to_step"], strict=True))

    flow = _flow_graph(flows, steps, entry_table(graph, pathway))
    layout, drawing = _layout(flow, steps["step"].tolist())
    ys = [float(y) for _, y in layout.pos.values()]
    if ax is None:
        ax = _new_axes(len(layout.columns), (max(ys) - min(ys)) / layout.unit + 1)
    fig = ax.get_figure()
    assert isinstance(fig, Figure)

    width, height = _BOX_WIDTH * layout.unit, _BOX_HEIGHT * layout.unit
    boxes = {}
    for node in flow:
        x, y = layout.pos[node]
        colour = "#ffffff" if node == _START else SETTING_COLOURS[graph.node(node)["setting"]]
        boxes[node] = FancyBboxPatch((x - width / 2, y - height / 2), width, height, mutation_scale=layout.unit,
                                     boxstyle="round,pad=0,rounding_size=0.04", facecolor=colour,
                                     edgecolor="#333333", linewidth=0.8, zorder=2)
        ax.add_patch(boxes[node])
    names = dict(zip(steps["step"], steps["name"].fillna(steps["step"]), strict=True))
    labels: dict[Node, str] = {s: _label_text(str(names[s]), str(values[s]), flows.visits[s], flows.per_patient)
                               for s in steps["step"]}
    labels[_START] = "Patients entering\n" + ("per patient" if flows.per_patient else f"{flows.entrants:,.0f} a year")
    nx.draw_networkx_labels(flow, layout.pos, labels=labels, font_size=7.5, ax=ax)
    _draw_forward(ax, layout, drawing, flow, boxes, handed, flows.per_patient)
    for edge in layout.loops:
        _draw_loop(ax, layout, flow, edge, boxes, edge in handed, flows.per_patient)

    xs = [float(x) for x, _ in layout.pos.values()]
    ax.set_xlim(min(xs) - _MARGIN_SIDE * layout.unit, max(xs) + _MARGIN_SIDE * layout.unit)
    ax.set_ylim(min(ys) - _MARGIN_BOTTOM * layout.unit, max(ys) + _MARGIN_TOP * layout.unit)
    _decorate(ax, graph, pathway, by, steps, values, flows.per_patient)
    return fig
