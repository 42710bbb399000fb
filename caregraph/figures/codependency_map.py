"""The co-dependency map of a delegation plan: which services lean on which, who commissions them, what is wrong.

``plot_codependencies`` draws each specialised service (and each service
they depend on) as a box coloured by its planned commissioning status
(retained by NHS England, delegated to ICBs, joint; "differs" when ICBs are
planned differently) with its planning tier written in it and shown by the
colour of its border. An arrow runs from a service to each service it
depends on, its line showing the co-dependency level: solid for
co-located, dashed for in-reach, dotted for networked. Services joined by
co-located or in-reach links are the **bundles** that must move together
(``networks.delegation.bundles.bundle_membership``): each is framed.

The findings of ``check_delegation`` are numbered and listed under the map,
and each is marked on what it names: the co-dependency between two of its
services (the arrow turns red for an error, orange for a warning, blue for
information, with the finding's number on it), or the service it is about;
a site it names is written in the list.

Examples
--------
>>> import caregraph as cg
>>> folder = "examples/delegation-south-london"
>>> fig = cg.plot_codependencies(cg.load_model(folder), cg.read_plan(f"{folder}/plan.csv"), as_at="2026-05-01")
>>> fig.texts[0].get_text()
'Co-dependent specialised services and the delegation plan'
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from networks.dates import AsAt, resolve_as_at
from networks.delegation.bundles import bundle_membership
from networks.delegation.checks import check_delegation
from networks.delegation.plans import plan_from_graph, resolve_plan, validate_plan
from networks.delegation.tables import DelegationFrames, delegation_frames
from networks.graph import CareGraph
from networks.query_runner import QueryRunner

from .keys import Key, draw_keys, draw_lines, inch_figure, key_rows, text_lines
from .style import A4_LANDSCAPE_INCHES, FIGURE_MARGIN, INK, LIGHT_INK, NHS, SIZES
from .text import text_size, wrap

__all__ = ["LEVEL_STYLES", "SEVERITY_COLOURS", "STATUS_COLOURS", "TIER_COLOURS", "plot_codependencies"]

STATUS_COLOURS = {"retained": "#CBBFE3", "delegated": "#C8E6A0", "joint": "#FFF0A8", "differs": "#F6C3DB",
                  "not planned": "#FFFFFF"}
TIER_COLOURS = {"national": NHS["dark_blue"], "region": NHS["purple"], "multi-ics": NHS["aqua_green"],
                "ics": NHS["orange"], "differs": NHS["pink"], "not planned": NHS["mid_grey"]}
LEVEL_STYLES: dict[str, str | tuple[float, tuple[float, ...]]] = {"co-located": "-", "in-reach": (0, (5, 2.5)),
                                                                  "networked": (0, (1, 2))}
SEVERITY_COLOURS = {"error": NHS["red"], "warning": NHS["orange"], "info": NHS["bright_blue"]}

_BOX_W, _GAP_X, _PAD, _PAGE_W = 1.3, 0.35, 0.15, 11.3
_TITLE = "Co-dependent specialised services and the delegation plan"
_GAPS_Y = (0.45, 0.35, 0.25)  # inches between layers of a bundle: the first that lets the page fit A4
_BADGE = 0.12  # half the width of a finding's numbered badge, with room to spare


@dataclass
class _Group:
    """A bundle (or the services in none) laid out in layers, with its size in inches."""

    title: str
    services: list[str]
    pos: dict[str, tuple[float, float]]  # box centre, relative to the group's top left, y down
    width: float
    height: float
    x: float = 0.0
    y: float = 0.0


def _one(values: pd.Series) -> str:
    unique = sorted(set(values))
    return unique[0] if len(unique) == 1 else "differs"


def _box_text(name: str, status: str, tier: str) -> tuple[str, str]:
    planned = "not in the plan" if status == "not planned" else f"{status}, {tier}"
    return "\n".join(wrap(name, _BOX_W - 0.1, SIZES["name"], "bold")), planned


def _layers(links: nx.DiGraph) -> list[list[str]]:
    """Services in layers: those depended on below those depending on them (mutual ones side by side)."""
    condensed = nx.condensation(links)
    depth: dict[int, int] = {}
    for node in nx.topological_sort(condensed):
        depth[node] = max((depth[u] + 1 for u in condensed.predecessors(node)), default=0)
    layers: list[list[str]] = [[] for _ in range(max(depth.values(), default=-1) + 1)]
    for node, d in depth.items():
        layers[d] += sorted(condensed.nodes[node]["members"])
    for _ in range(2):
        for upper, lower in itertools.pairwise(layers):
            rank = {s: i for i, s in enumerate(upper)}
            lower.sort(key=lambda s: (np.mean([rank[u] for u in links.predecessors(s) if u in rank] or [len(upper)]),
                                      s))
    return layers


def _group(title: str, services: list[str], links: nx.DiGraph, heights: dict[str, float], gap: float) -> _Group:
    layers = _layers(links.subgraph(services).copy()) if len(services) > 1 else [services]
    widest = max(len(layer) for layer in layers)
    width = widest * _BOX_W + (widest - 1) * _GAP_X
    pos, y = {}, text_size(title, SIZES["lane"], "bold")[1] + 0.12
    for layer in layers:
        row_h = max(heights[s] for s in layer)
        left = (width - (len(layer) * _BOX_W + (len(layer) - 1) * _GAP_X)) / 2
        for i, service in enumerate(layer):
            pos[service] = (left + i * (_BOX_W + _GAP_X) + _BOX_W / 2, y + row_h / 2)
        y += row_h + gap
    return _Group(title, services, {s: (x + _PAD, yy + _PAD) for s, (x, yy) in pos.items()}, width + 2 * _PAD,
                  y - gap + 2 * _PAD)


def _pack_in(order: list[_Group], width: float) -> float:
    """Place groups in this order, each at the lowest free spot (then leftmost) beside or below those placed."""
    placed: list[_Group] = []
    for group in order:
        spots = [(0.0, 0.0), *((p.x + p.width + 0.2, p.y) for p in placed), *((p.x, p.y + p.height + 0.2)
                                                                              for p in placed)]
        fitting = [(y + group.height, x, y) for x, y in spots if x + group.width <= width + 1e-9
                   and not any(x < p.x + p.width + 0.1 and p.x < x + group.width + 0.1 and y < p.y + p.height + 0.1
                               and p.y < y + group.height + 0.1 for p in placed)]
        _, group.x, group.y = min(fitting or [(0.0, 0.0, max((p.y + p.height + 0.2 for p in placed), default=0.0))])
        placed.append(group)
    return max((g.y + g.height for g in order), default=0.0)


def _pack(groups: list[_Group], width: float) -> float:
    """Place groups no wider than ``width``, none overlapping: of a few orders, the one giving the lowest height."""
    orders = [sorted(groups, key=key) for key in (lambda g: -g.width * g.height, lambda g: -g.height,
                                                 lambda g: -g.width)]
    best = min(orders, key=lambda order: _pack_in(order, width))
    return _pack_in(best, width)


def _finding_line(number: int, row: pd.Series, names: dict[str, str], sites: dict[str, str]) -> str:
    services = " and ".join(names.get(s, s) for s in str(row["services"]).split(";") if s)
    words = f"{number}. {row['severity'].capitalize()}, {row['check'].replace('_', ' ')}"
    if row["level"]:
        words += f" ({row['level']})"
    words += f": {services}"
    if row["sites"]:
        words += " at " + ", ".join(sites.get(s, s) for s in str(row["sites"]).split(";"))
    if row["areas"]:
        words += f"; for {str(row['areas']).replace(';', ', ')}"
    return words


def _badge_point(a: np.ndarray, b: np.ndarray, taken: list[tuple[float, float, float, float]]) -> np.ndarray:
    """Where a finding's badge goes: on the line from ``a`` to ``b`` or just beside it, clear of ``taken`` (extents)."""
    along = (b - a) / max(float(np.hypot(*(b - a))), 1e-9)
    normal = np.array([-along[1], along[0]])
    for side, t in itertools.product((0.0, 0.28, -0.28, 0.56, -0.56),
                                     (0.5, 0.4, 0.6, 0.3, 0.7, 0.45, 0.55, 0.35, 0.65, 0.25, 0.75, 0.2, 0.8)):
        x, y = a + t * (b - a) + side * normal
        if all(x + _BADGE < x0 or x - _BADGE > x1 or y + _BADGE < y0 or y - _BADGE > y1 for x0, y0, x1, y1 in taken):
            return np.array([x, y])
    return a + 0.5 * (b - a)


def plot_codependencies(
    graph: CareGraph | QueryRunner | DelegationFrames,
    plan: pd.DataFrame | None = None,
    *,
    flows: pd.DataFrame | None = None,
    as_at: AsAt = None,
    min_providers: int = 2,
    containment_threshold: float = 0.5,
) -> Figure:
    """Draw the co-dependency map of a delegation plan with the findings of its check (see the module notes).

    Parameters
    ----------
    graph : CareGraph, QueryRunner or DelegationFrames
        The model.
    plan : pandas.DataFrame, optional
        A delegation plan (``cg.read_plan``); default: the model's
        ``COMMISSIONS``.
    flows : pandas.DataFrame, optional
        Resident flows (``cg.read_flows``), for the containment check.
    as_at : str, datetime.date or None
        The date: None for today, an ISO date, or ``"all"``; the subtitle
        says which.
    min_providers, containment_threshold
        As for ``check_delegation``.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    networks.errors.ValidationError
        An invalid plan or flows (as ``check_delegation``).
    networks.errors.ArgumentError
        A bad ``as_at``.
    """
    day = resolve_as_at(as_at)
    when = "all" if day is None else day
    frames = graph if isinstance(graph, DelegationFrames) else delegation_frames(graph, when)
    findings = check_delegation(frames, plan, as_at=when, flows=flows, min_providers=min_providers,
                                containment_threshold=containment_threshold)
    checked = plan_from_graph(frames) if plan is None else validate_plan(plan, frames)
    arranged = resolve_plan(checked, frames, when)
    links = frames.codependencies[frames.codependencies["level"].isin(LEVEL_STYLES)]
    shown = sorted(set(links["service_id"]) | set(links["depends_on"]) | set(arranged["service_id"]))
    names = {s: str(n) if isinstance(n, str) and n else s
             for s, n in zip(frames.services["service_id"], frames.services["name"], strict=True)}
    status = {str(s): str(v) for s, v in arranged.groupby("service_id")["status"].agg(_one).items()}
    tier = {str(s): str(v) for s, v in arranged.groupby("service_id")["tier"].agg(_one).items()}
    texts = {s: _box_text(names.get(s, s), status.get(s, "not planned"), tier.get(s, "not planned")) for s in shown}
    heights = {s: text_size(a, SIZES["name"], "bold")[1] + text_size(b, SIZES["detail"])[1] + 0.12
               for s, (a, b) in texts.items()}
    directed = nx.DiGraph()
    directed.add_nodes_from(shown)
    directed.add_edges_from(zip(links["service_id"], links["depends_on"], strict=True))
    members = bundle_membership(frames.codependencies)
    sites = {}
    for site in frames.provision["site_id"].dropna():
        name = graph.node(site).get("name") if isinstance(graph, CareGraph) and site in graph else None
        sites[str(site)] = f"{name} ({site})" if name else f"site {site}"
    page = _Page(findings, names, sites, day)
    loose = [s for s in shown if s not in set(members["service_id"])]
    for gap in _GAPS_Y:
        groups = [_group(f"Bundle {str(b).removeprefix('bundle-')}: must move together", list(m["service_id"]),
                         directed, heights, gap) for b, m in members.groupby("bundle", sort=False)]
        if loose:
            groups.append(_group("Not bundled", loose, directed, heights, gap))
        body_h = _pack(groups, _PAGE_W)
        if page.height(body_h) + 0.2 <= A4_LANDSCAPE_INCHES[1] - 0.03:
            break
    return _draw(page, groups, texts, status, tier, links, body_h)


class _Page:
    """The texts around the map -- title, subtitle, key, the numbered findings -- laid out on an A4-wide page."""

    def __init__(self, findings: pd.DataFrame, names: dict[str, str], sites: dict[str, str], day: str | None) -> None:
        self.findings = findings
        self.width = _PAGE_W + 2 * FIGURE_MARGIN
        inner = _PAGE_W
        lines = [_finding_line(n, row, names, sites) for n, (_, row) in enumerate(findings.iterrows(), start=1)]
        halves = [lines[: (len(lines) + 1) // 2], lines[(len(lines) + 1) // 2:]] if len(lines) > 6 else [lines]
        self.column = (inner - 0.2 * (len(halves) - 1)) / len(halves)
        self.listings = [text_lines("\n".join(half) or "The plan has no findings.", self.column, SIZES["note"])
                         for half in halves]
        counts = findings["severity"].value_counts()
        summary = ", ".join(f"{counts.get(s, 0)} {s}{'s' if counts.get(s, 0) != 1 and s != 'info' else ''}"
                            for s in SEVERITY_COLOURS)
        self.subtitle, self.subtitle_h = text_lines(
            f"{len(findings)} findings of the plan's check ({summary}), as at {day or 'every date'}. Arrows run "
            "from a service to the services it depends on.", inner, SIZES["subtitle"])
        self.keys = ([Key("box", s if s != "differs" else "differs between ICBs", c) for s, c in STATUS_COLOURS.items()]
                     + [Key("frame", f"tier: {t}" if t != "differs" else "tier differs", c, 2.0)
                        for t, c in TIER_COLOURS.items()]
                     + [Key("line", level, INK, 1.2, style) for level, style in LEVEL_STYLES.items()]
                     + [Key("line", f"finding: {s}", c, 2.5) for s, c in SEVERITY_COLOURS.items()])
        self.keys_h = key_rows(self.keys, inner)[0]
        self.title_h = text_size(_TITLE, SIZES["title"], "bold")[1]

    def height(self, body_h: float) -> float:
        listing_h = max(h for _, h in self.listings)
        return (2 * FIGURE_MARGIN + self.title_h + self.subtitle_h + 0.15 + body_h + 0.15 + self.keys_h + 0.12
                + listing_h)


def _draw(page: _Page, groups: list[_Group], texts: dict[str, tuple[str, str]], status: dict[str, str],
          tier: dict[str, str], links: pd.DataFrame, body_h: float) -> Figure:
    fig, ax, y = inch_figure(page.width, page.height(body_h), _TITLE)
    draw_lines(ax, page.subtitle, FIGURE_MARGIN, y, SIZES["subtitle"], colour=LIGHT_INK)
    y -= page.subtitle_h + 0.15
    marked = _findings_by_target(page.findings, links)
    boxes = _draw_groups(ax, groups, texts, status, tier, FIGURE_MARGIN, y, marked)
    _draw_links(ax, links, boxes, marked)
    y -= body_h + 0.15
    y -= draw_keys(ax, page.keys, FIGURE_MARGIN, y, _PAGE_W) + 0.12
    for n, (listing, _) in enumerate(page.listings):
        draw_lines(ax, listing, FIGURE_MARGIN + n * (page.column + 0.2), y, SIZES["note"])
    return fig


def _findings_by_target(findings: pd.DataFrame, links: pd.DataFrame) -> dict[object, list[tuple[int, str]]]:
    """What each finding is marked on: the co-dependencies between its services, else each of its services."""
    pairs = set(zip(links["service_id"], links["depends_on"], strict=True))
    marked: dict[object, list[tuple[int, str]]] = {}
    for number, (services, severity) in enumerate(zip(findings["services"], findings["severity"], strict=True),
                                                    start=1):
        named = [s for s in str(services).split(";") if s]
        edges = [(a, b) for a, b in itertools.permutations(named, 2) if (a, b) in pairs]
        for target in edges or named:
            marked.setdefault(target, []).append((number, severity))
    return marked


def _draw_groups(ax: Axes, groups: list[_Group], texts: dict[str, tuple[str, str]], status: dict[str, str],
                 tier: dict[str, str], left: float, top: float,
                 marked: dict[object, list[tuple[int, str]]]) -> dict[str, FancyBboxPatch]:
    boxes = {}
    for group in groups:
        gx, gy = left + group.x, top - group.y
        ax.add_patch(FancyBboxPatch((gx, gy - group.height), group.width, group.height,
                                    boxstyle="round,pad=0,rounding_size=0.08", facecolor=NHS["pale_grey"],
                                    edgecolor=NHS["mid_grey"], linewidth=0.8, zorder=0, gid=f"group:{group.title}"))
        ax.text(gx + _PAD, gy - 0.08, group.title, fontsize=SIZES["lane"], fontweight="bold", ha="left", va="top",
                color=NHS["dark_blue"], zorder=3)
        for service in group.services:
            cx, cy = gx + group.pos[service][0], gy - group.pos[service][1]
            name, planned = texts[service]
            h = text_size(name, SIZES["name"], "bold")[1] + text_size(planned, SIZES["detail"])[1] + 0.12
            box = FancyBboxPatch((cx - _BOX_W / 2, cy - h / 2), _BOX_W, h, boxstyle="round,pad=0,rounding_size=0.05",
                                 facecolor=STATUS_COLOURS[status.get(service, "not planned")],
                                 edgecolor=TIER_COLOURS[tier.get(service, "not planned")], linewidth=2.0, zorder=2,
                                 gid=f"service:{service}")
            ax.add_patch(box)
            boxes[service] = box
            ax.text(cx, cy + h / 2 - 0.05, name, fontsize=SIZES["name"], fontweight="bold", ha="center", va="top",
                    color=INK, zorder=3)
            ax.text(cx, cy - h / 2 + 0.05, planned, fontsize=SIZES["detail"], ha="center", va="bottom",
                    color=LIGHT_INK, zorder=3)
            for k, (number, severity) in enumerate(marked.get(service, [])):
                ax.text(cx + _BOX_W / 2 - 0.1 - 0.22 * k, cy + h / 2 + 0.11, str(number), fontsize=SIZES["legend"],
                        fontweight="bold", ha="center", va="center", color="white", zorder=5,
                        gid=f"finding:{number}:{service}",
                        bbox={"boxstyle": "circle,pad=0.2", "fc": SEVERITY_COLOURS[severity], "ec": "none"})
    return boxes


def _draw_links(ax: Axes, links: pd.DataFrame, boxes: dict[str, FancyBboxPatch],
                marked: dict[object, list[tuple[int, str]]]) -> None:
    order = {s: n for n, s in enumerate(SEVERITY_COLOURS)}
    taken = [(b.get_x(), b.get_y(), b.get_x() + b.get_width(), b.get_y() + b.get_height() + 0.22)
             for b in boxes.values()]  # a box and the badges on its top edge
    for service, needed, level in links[["service_id", "depends_on", "level"]].itertuples(index=False):
        a, b = boxes[service], boxes[needed]
        found = sorted(marked.get((service, needed), []), key=lambda f: order[f[1]])
        colour = SEVERITY_COLOURS[found[0][1]] if found else NHS["dark_grey"]
        start = np.array([a.get_x() + a.get_width() / 2, a.get_y() + a.get_height() / 2])
        end = np.array([b.get_x() + b.get_width() / 2, b.get_y() + b.get_height() / 2])
        same_layer = abs(start[1] - end[1]) < 1e-6
        ax.add_patch(FancyArrowPatch(tuple(start), tuple(end), patchA=a, patchB=b, arrowstyle="-|>",
                                     mutation_scale=10, linewidth=2.2 if found else 1.1, color=colour,
                                     linestyle=LEVEL_STYLES[level], zorder=1,
                                     connectionstyle=f"arc3,rad={0.25 if same_layer else 0.0}",
                                     gid=f"link:{service}->{needed}"))
        for number, severity in found:
            point = _badge_point(start, end, taken)
            taken.append((point[0] - _BADGE, point[1] - _BADGE, point[0] + _BADGE, point[1] + _BADGE))
            ax.text(point[0], point[1], str(number), fontsize=SIZES["legend"], fontweight="bold", ha="center",
                    va="center", color="white", zorder=5, gid=f"finding:{number}:{service}->{needed}",
                    bbox={"boxstyle": "circle,pad=0.2", "fc": SEVERITY_COLOURS[severity], "ec": "none"})
