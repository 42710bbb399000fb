"""Flow maps: organisations (or ICBs) as circles, patient flows between them as arrows as wide as the flow.

``plot_flows`` takes one row per flow -- ``from_id, from_name, to_id,
to_name, activity`` -- and draws each organisation as a circle whose area
follows the activity it sends and receives, and each flow as a curved
arrow whose width follows its activity (the key gives the scale; a flow
and its reverse curve apart, so both show). Where the organisations have
coordinates -- given as ``positions``, else looked up from the packaged
hospital sites (``loaders.reference.sites.organisation_coordinates``) --
the map follows geography (longitude scaled by the cosine of the mean
latitude), circles nudged apart only as far as needed not to overlap;
organisations without a known place are put in a row along the bottom, and
the footnote names them. Only the largest flows are drawn (``top``); the
footnote says how many are left out and their share. Activity within one organisation (a
flow to itself) is not drawn, and the footnote says how much there was.
Labels are placed clear of the circles and of each other; the biggest
flows are labelled with their activity.

Examples
--------
>>> import pandas as pd
>>> import caregraph as cg
>>> flows = pd.DataFrame({"from_id": ["QWE", "QWE", "QKK"], "from_name": ["SW London ICB", "SW London ICB",
...                       "SE London ICB"], "to_id": ["RJ7", "RJZ", "RJZ"], "to_name": ["St George's",
...                       "King's College Hospital", "King's College Hospital"], "activity": [900, 120, 1500]})
>>> fig = cg.plot_flows(flows, title="Residents' waiting lists by provider")
>>> fig.texts[0].get_text()
"Residents' waiting lists by provider"
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping

import networkx as nx
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyArrowPatch
from matplotlib.transforms import Bbox

from loaders.reference.sites import organisation_coordinates
from networks.errors import Problem, ValidationError

from .keys import Key, draw_keys, draw_lines, inch_figure, key_rows, text_lines
from .style import A4_LANDSCAPE_INCHES, FIGURE_MARGIN, FLOW_GREY, INK, LIGHT_INK, NHS, SIZES, key_values
from .text import text_size, wrap

__all__ = ["FLOW_MAP_COLUMNS", "plot_flows"]

FLOW_MAP_COLUMNS = ["from_id", "from_name", "to_id", "to_name", "activity"]
_MAP_W, _MAP_H = 9.6, 5.6  # inches: the largest the map itself is drawn (less when the page needs)
_MAX_LINE, _MIN_LINE = 7.0, 0.6
_LABELLED = 12


def _check(flows: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in FLOW_MAP_COLUMNS if c not in flows.columns]
    problems = [Problem("flows", None, c, "column missing") for c in missing]
    if not missing:
        activity = pd.to_numeric(flows["activity"], errors="coerce")
        bad = flows.index[activity.isna() | (activity < 0)]
        problems += [Problem("flows", f"index {i}", "activity",
                             f"{str(flows.at[i, 'activity'])!r} is not a number of 0 or more") for i in bad]
    if problems:
        raise ValidationError(problems)
    return flows.assign(activity=pd.to_numeric(flows["activity"]), from_id=flows["from_id"].astype(str),
                        to_id=flows["to_id"].astype(str))


def _positions(ids: list[str], given: Mapping[str, tuple[float, float]] | None) -> tuple[dict[str, np.ndarray], str]:
    """Map positions (x east, y north) of the organisations that have one, and how they were found."""
    if given is not None:
        return {i: np.array(given[i], dtype=float) for i in ids if i in given}, "positions as given"
    places = organisation_coordinates(ids)
    mid = math.radians(float(places["latitude"].mean())) if len(places) else 0.0
    known = {i: np.array([lon * math.cos(mid), lat])
             for i, lat, lon in zip(places["id"], places["latitude"], places["longitude"], strict=True)}
    return known, "positions by the hospital sites of each organisation (NHS Choices, 2018)"


def _layout(ids: list[str], known: dict[str, np.ndarray], radius: dict[str, float],
            area: tuple[float, float]) -> dict[str, np.ndarray]:
    """Inches on the map: known places scaled to fit, nudged apart until no circles overlap.

    The scale is set by the middle 80% of places (widened by half): places
    far beyond them are put at the edge of the map, in their direction
    (``_far`` names them).

    Organisations with no known place (or all of them, when none has one)
    go on a circle (``networkx.circular_layout``) of their own.
    """
    placed = [i for i in ids if i in known]
    if len(placed) < 2:
        ring = nx.circular_layout(sorted(ids))
        pos = {i: (np.asarray(ring[i]) + 1) * [area[0] / 2 - 0.5, area[1] / 2 - 0.5] for i in ids}
        return _apart(pos, radius)
    points = np.array([known[i] for i in placed])
    low, high = np.quantile(points, 0.1, axis=0), np.quantile(points, 0.9, axis=0)
    margin = np.maximum(0.5 * (high - low), 1e-6)
    low, high = np.maximum(points.min(axis=0), low - margin), np.minimum(points.max(axis=0), high + margin)
    span = np.where(high - low > 0, high - low, 1.0)
    scale = min(area[0] / span[0], area[1] / span[1])
    pos = {i: (np.clip(known[i], low, high) - low) * scale for i in placed}
    lost = [i for i in ids if i not in known]
    for n, i in enumerate(lost):
        pos[i] = np.array([n * 0.9, -0.9])
    return _apart(pos, radius)


def _far(ids: list[str], known: dict[str, np.ndarray]) -> list[str]:
    """The places ``_layout`` puts at the edge of the map rather than to scale."""
    placed = [i for i in ids if i in known]
    if len(placed) < 2:
        return []
    points = np.array([known[i] for i in placed])
    low, high = np.quantile(points, 0.1, axis=0), np.quantile(points, 0.9, axis=0)
    margin = np.maximum(0.5 * (high - low), 1e-6)
    return [i for i in placed if np.any(known[i] < low - margin) or np.any(known[i] > high + margin)]


def _apart(pos: dict[str, np.ndarray], radius: dict[str, float]) -> dict[str, np.ndarray]:
    """Push overlapping circles apart, a little at a time, so each keeps near its place."""
    ids = list(pos)
    for _ in range(200):
        moved = False
        for a, b in itertools.combinations(ids, 2):
            gap = pos[b] - pos[a]
            dist = float(np.hypot(*gap))
            need = radius[a] + radius[b] + 0.06
            if dist < need:
                push = (gap / dist if dist > 1e-9 else np.array([1.0, 0.0])) * (need - dist) / 2
                pos[a], pos[b] = pos[a] - push, pos[b] + push
                moved = True
        if not moved:
            break
    low = np.min(np.array(list(pos.values())) - 0.3, axis=0)
    return {i: p - low for i, p in pos.items()}


def plot_flows(
    flows: pd.DataFrame,
    positions: Mapping[str, tuple[float, float]] | None = None,
    *,
    title: str = "Patient flows between organisations",
    unit: str = "activity",
    top: int | None = 40,
) -> Figure:
    """Draw a flow map (see the module notes).

    Parameters
    ----------
    flows : pandas.DataFrame
        Columns ``FLOW_MAP_COLUMNS``; rows with the same ends are added up.
    positions : mapping of id to (x, y), optional
        Where each organisation goes (any units, x east and y north, such
        as longitude and latitude); by default looked up from the packaged
        hospital sites.
    title : str
    unit : str
        What ``activity`` counts, for the key (e.g. ``"patients waiting"``).
    top : int or None
        Draw only the largest ``top`` flows (default 40); the footnote says
        how many were left out and their share. None draws every flow.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    networks.errors.ValidationError
        A missing column, or an activity that is not a number of 0 or more.
    """
    flows = _check(flows)
    names = dict(zip(flows["from_id"], flows["from_name"], strict=True))
    names.update(zip(flows["to_id"], flows["to_name"], strict=True))
    within = flows[flows["from_id"] == flows["to_id"]]
    moving = flows[flows["from_id"] != flows["to_id"]].groupby(["from_id", "to_id"], as_index=False)["activity"].sum()
    moving = moving[moving["activity"] > 0].sort_values("activity", ascending=False, kind="mergesort")
    left_out = moving.iloc[top:] if top is not None else moving.iloc[:0]
    moving = moving.iloc[:top] if top is not None else moving
    ids = sorted(set(moving["from_id"]) | set(moving["to_id"])) or sorted(names)
    known, how = _positions(ids, positions)
    total = {i: float(moving.loc[(moving.from_id == i) | (moving.to_id == i), "activity"].sum()) for i in ids}
    biggest_node = max(total.values(), default=0.0) or 1.0
    biggest_flow = float(moving["activity"].max()) if len(moving) else 1.0
    radius = {i: 0.06 + 0.22 * math.sqrt(total[i] / biggest_node) for i in ids}
    lost = [i for i in ids if i not in known]
    inner = _MAP_W + 1.6
    width = inner + 2 * FIGURE_MARGIN
    heading, heading_h = text_lines(title, inner, SIZES["title"], "bold")
    note = f"{len(ids)} organisations, {len(moving)} flows; {how}."
    far = _far(ids, known)
    if far:
        note += f" Far away, at the edge of the map rather than to scale: {', '.join(far)}."
    if lost:
        note += f" With no known place, along the bottom: {', '.join(lost)}."
    if len(left_out):
        share = left_out["activity"].sum() / (left_out["activity"].sum() + moving["activity"].sum())
        note += (f" Not drawn: the {len(left_out)} smallest flows ({left_out['activity'].sum():,.0f}, "
                 f"{share:.0%} of all between organisations).")
    if len(within):
        note += f" Activity within an organisation, not drawn: {within['activity'].sum():,.0f}."
    note_text, note_h = text_lines(note, inner, SIZES["note"])
    keys = [Key("line", f"{v:,.0f} {unit}", FLOW_GREY, max(_MIN_LINE, _MAX_LINE * v / biggest_flow))
            for v in key_values(biggest_flow)]
    keys.append(Key("box", "circle area: all activity in and out", NHS["light_blue"]))
    keys_h, _ = key_rows(keys, inner)
    around = 2 * FIGURE_MARGIN + heading_h + keys_h + note_h + 0.3 + 0.8
    room = min(_MAP_H, A4_LANDSCAPE_INCHES[1] - 0.2 - around)
    for _ in range(4):  # nudging circles apart (and a row of places unknown) can make the map taller: shrink to fit
        pos = _layout(ids, known, radius, (_MAP_W, room))
        over = max(p[1] for p in pos.values()) - (A4_LANDSCAPE_INCHES[1] - 0.2 - around)
        if over <= 0:
            break
        room -= over
    map_h = max(p[1] for p in pos.values()) + 0.8
    height = around - 0.8 + map_h
    fig, ax, y = inch_figure(width, height, heading)
    y -= 0.1
    origin = np.array([FIGURE_MARGIN + 0.8, y - map_h + 0.45])
    centres = {i: origin + p for i, p in pos.items()}
    circles = {}
    for i in ids:
        circles[i] = Circle(tuple(centres[i]), radius[i], facecolor=NHS["light_blue"], edgecolor=NHS["dark_blue"],
                            linewidth=0.8, alpha=0.9, zorder=3, gid=f"place:{i}")
        ax.add_patch(circles[i])
    for rank, (source, target, activity) in enumerate(moving.itertuples(index=False)):
        ax.add_patch(FancyArrowPatch(tuple(centres[source]), tuple(centres[target]), patchA=circles[source],
                                     patchB=circles[target], connectionstyle="arc3,rad=0.18", arrowstyle="-|>",
                                     mutation_scale=8 + activity / biggest_flow * 8,
                                     linewidth=max(_MIN_LINE, _MAX_LINE * activity / biggest_flow),
                                     color=NHS["dark_blue"] if rank < _LABELLED else FLOW_GREY, alpha=0.75,
                                     zorder=2, gid=f"flow:{source}->{target}"))
    taken = [Bbox.from_extents(*(centres[i] - radius[i]), *(centres[i] + radius[i])) for i in ids]
    bounds = Bbox.from_extents(FIGURE_MARGIN, y - map_h, width - FIGURE_MARGIN, y)
    _label_places(ax, ids, names, centres, radius, taken, bounds)
    _label_flows(ax, moving, centres, taken, bounds)
    y -= map_h + 0.1
    y -= draw_keys(ax, keys, FIGURE_MARGIN, y, inner) + 0.1
    draw_lines(ax, note_text, FIGURE_MARGIN, y, SIZES["note"], colour=LIGHT_INK)
    return fig


def _free(box: Bbox, taken: list[Bbox], bounds: Bbox) -> bool:
    inside = bounds.x0 <= box.x0 and box.x1 <= bounds.x1 and bounds.y0 <= box.y0 and box.y1 <= bounds.y1
    return inside and not any(box.overlaps(other) for other in taken)


def _label_places(ax: Axes, ids: list[str], names: dict[str, object], centres: dict[str, np.ndarray],
                  radius: dict[str, float], taken: list[Bbox], bounds: Bbox) -> None:
    """Name each organisation beside its circle, on the first side clear of circles and other labels."""
    for i in sorted(ids, key=lambda n: -radius[n]):
        name = str(names.get(i) or i)
        text = "\n".join(wrap(f"{name} ({i})" if name != i else i, 1.5, SIZES["legend"]))
        w, h = text_size(text, SIZES["legend"])
        c = centres[i]
        spots = [(dx, dy, radius[i] + 0.03 + ring) for ring in (0.0, 0.25, 0.5, 0.8, 1.2)
                 for dx, dy in ((1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (-1, 1), (1, -1), (-1, -1))]
        for dx, dy, r in spots:
            x0 = c[0] + (r if dx > 0 else -r - w if dx < 0 else -w / 2)
            y0 = c[1] + (r if dy > 0 else -r - h if dy < 0 else -h / 2)
            box = Bbox.from_bounds(x0, y0, w, h)
            if _free(box, taken, bounds):
                break
        else:
            continue  # no room anywhere: the name is left to the footnote's count rather than overwritten
        taken.append(box)
        if r > radius[i] + 0.1:
            ax.plot([c[0], min(max(c[0], box.x0), box.x1)], [c[1], min(max(c[1], box.y0), box.y1)], color=LIGHT_INK,
                    linewidth=0.5, zorder=2.5)
        ax.text(box.x0, box.y0 + h / 2, text, fontsize=SIZES["legend"], ha="left", va="center", color=INK, zorder=4,
                linespacing=1.2, gid=f"name:{i}")


def _label_flows(ax: Axes, moving: pd.DataFrame, centres: dict[str, np.ndarray], taken: list[Bbox],
                 bounds: Bbox) -> None:
    """Write the activity of the biggest flows near their middles, where that is clear."""
    for source, target, activity in moving.head(_LABELLED).itertuples(index=False):
        text = f"{activity:,.0f}"
        w, h = text_size(text, SIZES["flow"])
        a, b = centres[source], centres[target]
        normal = np.array([-(b - a)[1], (b - a)[0]])
        middle = (a + b) / 2 - 0.09 * normal
        for shift in (0.0, 0.15, -0.15, 0.3, -0.3):
            point = middle + shift * (b - a) / max(np.hypot(*(b - a)), 1e-9)
            box = Bbox.from_bounds(point[0] - w / 2 - 0.02, point[1] - h / 2 - 0.02, w + 0.04, h + 0.04)
            if _free(box, taken, bounds):
                taken.append(box)
                ax.text(point[0], point[1], text, fontsize=SIZES["flow"], ha="center", va="center",
                        color=INK, zorder=5, gid=f"activity:{source}->{target}",
                        bbox={"boxstyle": "square,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.85})
                break
