"""Pathway diagrams for board papers: swimlanes, patient flows, hand-offs and budget crossings.

``plot_pathway`` draws one pathway as at one date:

- **swimlanes**, one per providing organisation, paying budget or care
  setting (or none); budgets joined by a pool in force are framed together
  under the pool's name and legal basis;
- **boxes** for the steps in flow order (columns), each with the step's
  name, the budget paying for it (or its provider), patients a year and
  the patients leaving the pathway there; a box's colour is its setting;
- **arrows** as wide as their patients a year (the key shows the scale),
  each labelled with its patients; a **hand-off** is red; a **budget
  boundary crossing** carries a yellow badge with the money crossing a
  year; a **loop** back to an earlier step (a back edge of a depth-first
  search from the entry, see ``figures.pathway_grid``) is dashed.

Every number comes from the analyses (``figures.pathway_data``); this
module only draws. The layout (``figures.pathway_grid``,
``pathway_routes``, ``pathway_geometry``) is sized from the measured text,
and of a few widths and foldings the one that fits an A4 landscape page
with no text under 7 pt, closest to its proportions, is kept (a pathway
that no layout fits is cut into pages by ``figures.pathway_pages``). Arrows
run only through the gaps and channels between boxes. Figures are
``matplotlib.figure.Figure`` objects on the Agg canvas (no ``pyplot``);
``cg.save_figure`` writes PNG, SVG or PDF.

Examples
--------
>>> import tempfile, pathlib
>>> import caregraph as cg
>>> fig = cg.plot_pathway(cg.load_model("tests/fixtures/small_model"), "chest-pain", as_at="2024-03-31")
>>> with tempfile.TemporaryDirectory() as folder:
...     out = pathlib.Path(folder) / "chest-pain.svg"
...     cg.save_figure(fig, out)
...     print(out.read_text()[:5])
<?xml
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator
from dataclasses import dataclass, replace

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Rectangle
from matplotlib.path import Path as Curve

from networks.dates import AsAt
from networks.graph import CareGraph

from .keys import Key, draw_keys, draw_lines, inch_figure, key_rows, text_lines
from .pathway_data import PathwayPicture, pathway_picture
from .pathway_geometry import EDGE, LABEL_PAD_PT, MAX_LINE_PT, PAD, Body, Detail, arrow_width, body_geometry
from .pathway_grid import Grid, pathway_grid
from .style import (
    A4_LANDSCAPE_INCHES,
    BUDGET_COLOURS,
    FIGURE_MARGIN,
    FLOW_GREY,
    HANDOFF_RED,
    INK,
    LIGHT_INK,
    NHS,
    SETTING_COLOURS,
    SETTING_NAMES,
    SIZES,
    key_values,
    patients_text,
    printed_scale,
    saved_size,
)
from .text import line_width

__all__ = ["MARKER_FILL", "Page", "best_page", "box_colours", "page_figure", "plot_pathway"]

_BOX_WIDTHS = (1.45, 1.05, 1.9)  # inches: a box's width at first, the least it is cut to before lanes, the most
_LANE_WIDTH, _LANE_MIN, _LANE_MAX = 1.2, 0.95, 1.9  # inches: the lane label column, at first, least and most
_MIN_BOX = 0.9
_LANE_WORDS = {"organisation": "provider organisation", "budget": "paying budget", "setting": "care setting"}
_MARGIN = FIGURE_MARGIN
_CORNER = 0.05
_MARKER_EDGE = (0, (3, 2))
_SHRUNK = 100.0
"""The least misfit of a layout whose text would print under 7 pt: more than any misfit of proportions alone."""
MARKER_FILL = "white"
"""The fill of a continuation marker (a step drawn on another page): white, with a dashed edge."""


@dataclass
class Page:
    """One page's layout: the body and its wrapped title, subtitle, keys and note, with their heights."""

    body: Body
    title: str
    subtitle: str
    note: str
    keys: list[Key]
    title_h: float
    subtitle_h: float
    keys_h: float
    note_h: float

    @property
    def width(self) -> float:
        return self.body.width

    @property
    def height(self) -> float:
        return (2 * _MARGIN + self.title_h + self.subtitle_h + 0.1 + self.body.height + 0.1 + self.keys_h + 0.1
                + self.note_h)


def box_colours(picture: PathwayPicture) -> dict[str, str]:
    """The fill of each step's box: its care setting when the lanes are budgets, else the budget paying for it.

    A continuation marker is white (``MARKER_FILL``).
    """
    colour = dict(zip(picture.budgets, itertools.cycle(BUDGET_COLOURS), strict=False))
    return {s.id: MARKER_FILL if s.marker else SETTING_COLOURS[s.setting] if picture.lanes_by == "budget"
            else colour[s.budget] for s in picture.steps.values()}


def _keys(picture: PathwayPicture, body: Body) -> list[Key]:
    if picture.lanes_by == "budget":
        settings = sorted({s.setting for s in picture.steps.values() if not s.marker}, key=list(SETTING_COLOURS).index)
        keys = [Key("box", SETTING_NAMES[setting] if n else f"Box colour: {SETTING_NAMES[setting]}",
                    SETTING_COLOURS[setting]) for n, setting in enumerate(settings)]
    else:
        keys = [Key("box", label if n else f"Box colour: the budget paying, {label}", colour)
                for n, (label, colour) in enumerate(zip(picture.budgets.values(), itertools.cycle(BUDGET_COLOURS),
                                                        strict=False))]
    if picture.page:
        keys.append(Key("box", "a step on another page", MARKER_FILL, style=_MARKER_EDGE))
    keys += [Key("line", f"same {picture.by}", FLOW_GREY, 2.0),
             Key("line", f"hand-off: the {picture.by} changes", HANDOFF_RED, 2.0),
             Key("line", "loop back to an earlier step", FLOW_GREY, 1.5, (0, (4, 2))),
             Key("badge", "crosses a budget boundary: patients and money a year", badge="£")]
    if picture.pools and picture.lanes_by == "budget":
        keys.append(Key("frame", "budgets pooled in force: moving between them is no crossing", NHS["aqua_green"],
                        1.5))
    unit = "% of patients entering" if picture.per_patient else "patients a year"
    for value in key_values(body.max_patients)[:2]:
        share = value / picture.entrants if picture.per_patient else value
        keys.append(Key("line", f"{patients_text(share, picture.per_patient)} {unit}", FLOW_GREY,
                        arrow_width(value, body.max_patients)))
    return keys


def _texts(picture: PathwayPicture, detail: Detail) -> tuple[str, str]:
    lanes = f"Lanes: {_LANE_WORDS[picture.lanes_by]}. " if picture.lanes_by else ""
    day = f"as at {picture.day}" if picture.day else "every date (pools and holders counted whatever their dates)"
    per = "as shares of the patients entering" if picture.per_patient else "a year"
    entering = ("Patients enter from the left. " if picture.per_patient else
                f"{patients_text(picture.entrants)} patients a year enter from the left. ")
    if picture.page:
        number = picture.page[0]
        entering = (entering if number == 1 else f"Continued from page {number - 1}. ") + (
            "A dashed box is a step on another page. ")
    money = "money crossing budget boundaries per patient entering" if picture.per_patient else (
        "money crossing budget boundaries a year")
    subtitle = f"{entering}{lanes}Hand-offs: a change of {picture.by}. Patients {per} and {money}, {day}."
    note = ("In a box: the step, the " + ("budget paying for it" if picture.lanes_by == "organisation" else
                                         "provider delivering it")
            + f", patients {per} and how many leave the pathway there. Flows are exact expectations (an absorbing "
            "Markov chain); a loop counts each time it is taken.")
    if not detail.detail_lines and picture.lanes_by != "organisation":
        note += " Providers: " + "; ".join(f"{code} {name.removesuffix(f' ({code})')}"
                                          for code, name in picture.providers.items()) + "."
    if picture.pools and picture.lanes_by != "budget":
        note += " Pooled in force, so moving between their budgets is no crossing: " + "; ".join(
            group.label.removeprefix("Pooled: ") for group in picture.pools) + "."
    return subtitle, note


def _title(picture: PathwayPicture) -> str:
    return picture.title + (f" (page {picture.page[0]} of {picture.page[1]})" if picture.page else "")


def _page(picture: PathwayPicture, body: Body, detail: Detail) -> Page:
    width = body.width - 2 * _MARGIN
    title, title_h = text_lines(_title(picture), width, SIZES["title"], "bold")
    subtitle_text, note_text = _texts(picture, detail)
    subtitle, subtitle_h = text_lines(subtitle_text, width, SIZES["subtitle"])
    note, note_h = text_lines(note_text, width, SIZES["note"])
    keys = _keys(picture, body)
    keys_h, _ = key_rows(keys, width)
    return Page(body, title, subtitle, note, keys, title_h, subtitle_h, keys_h, note_h)


def _misfit(page: Page) -> float:
    """0 for a page that fits A4 landscape with no text shrunk, in proportions near A4's; more the further off."""
    scale = printed_scale(*saved_size(page.width + 0.03, page.height + 0.03))  # a hair to spare
    aspect = page.width / page.height
    shape = max(0.0, math.log(aspect / 1.9)) + max(0.0, math.log(1.05 / aspect))
    return (0.0 if scale >= 1 else _SHRUNK + 10 / scale) + 3 * shape


def _widest_word(texts: list[str], size: float) -> float:
    return max((line_width(w, size, "bold") for text in texts for w in text.split()), default=0.0)


@dataclass(frozen=True)
class _Limits:
    """How narrow a box and the lane column may be (their longest word), and how wide a lane label is."""

    box: float
    lane: float
    longest_lane: float

    @classmethod
    def of(cls, picture: PathwayPicture) -> _Limits:
        labels = [lane.label for lane in picture.lanes.values()] if picture.lanes_by else []
        word = _widest_word(labels, SIZES["lane"]) + 0.01
        longest = max((line_width(label, SIZES["lane"], "bold") for label in labels), default=0.0) + 0.01
        box = max(_MIN_BOX, _widest_word([s.name for s in picture.steps.values()], SIZES["name"]) + 2 * PAD + 0.01)
        return cls(box, word, longest)


def _sized(picture: PathwayPicture, grid: Grid, first: Detail, limits: _Limits) -> Iterator[Page]:
    """Pages of one folding and one amount of words: as first sized, then made to use an A4 page's width.

    The width of a body is fixed by its gaps plus its boxes and lane column,
    so the boxes and lanes are widened into the room an A4 page leaves (a
    page too tall: lanes first, up to ``_LANE_MAX``, then boxes, up to the
    widest box), or narrowed to fit it (a page too wide: boxes down to
    ``_BOX_WIDTHS[1]``, then lanes down to ``_LANE_MIN``, then boxes down
    to their longest word).
    """
    page = _page(picture, body_geometry(picture, grid, first), first)
    yield page
    room = A4_LANDSCAPE_INCHES[0] - saved_size(page.width, page.height)[0] - 0.06
    tall = saved_size(page.width, page.height)[1] > A4_LANDSCAPE_INCHES[1]
    lane, box = first.lane_width, first.box_width
    if room > 0.05 and tall:
        grow = min(room, max(0.0, min(limits.longest_lane, _LANE_MAX) - lane)) if picture.lanes_by else 0.0
        lane, box = lane + grow, min(_BOX_WIDTHS[2], box + (room - grow) / grid.columns)
    elif room < 0:
        over = -room
        for low_box, low_lane in ((max(limits.box, _BOX_WIDTHS[1]), lane), (box, max(limits.lane, _LANE_MIN)),
                                  (limits.box, max(limits.lane, _LANE_MIN))):
            cut = min(over / grid.columns, max(0.0, box - low_box))
            box, over = box - cut, over - cut * grid.columns
            if picture.lanes_by:
                cut = min(over, max(0.0, lane - low_lane))
                lane, over = lane - cut, over - cut
    else:
        return
    fitted = replace(first, box_width=round(box - 0.005, 2), lane_width=round(lane - 0.005, 2))
    if fitted != first:
        yield _page(picture, body_geometry(picture, grid, fitted), fitted)


def best_page(picture: PathwayPicture, folds: tuple[int, ...] = (1, 2, 3, 4), *,
              loops: set[tuple[str, str]] | None = None, lanes: list[str] | None = None) -> tuple[Page, bool]:
    """The first layout that fits A4 landscape at 7 pt: fewest bands, then most words in the boxes, then two-line
    badges; and whether it fits.

    If none fits, the one that comes closest. ``folds`` are the numbers of
    bands tried; ``loops`` and ``lanes`` go to ``pathway_grid``.
    """
    limits = _Limits.of(picture)
    lane = max(limits.lane, min(_LANE_WIDTH, limits.longest_lane))
    best: tuple[float, Page] | None = None
    columns = pathway_grid(picture, 1, loops=loops, lanes=lanes).columns
    for bands in folds:
        if bands > 1 and columns < 2.5 * bands:
            continue
        grid = pathway_grid(picture, bands, loops=loops, lanes=lanes)
        for lines in (3, 1, 0):
            for badge in (2, 1):
                first = Detail(max(limits.box, _BOX_WIDTHS[0]), lines, lane, badge)
                for page in _sized(picture, grid, first, limits):
                    misfit = _misfit(page)
                    if misfit == 0:
                        return page, True
                    if best is None or misfit < best[0]:
                        best = (misfit, page)
    assert best is not None
    return best[1], best[0] < _SHRUNK  # printed at 7 pt, if not in A4's proportions


def _rounded(points: list[tuple[float, float]]) -> Curve:
    """An orthogonal polyline with its corners rounded (quadratic Bezier curves)."""
    verts, codes = [points[0]], [Curve.MOVETO]
    for a, b, c in zip(points, points[1:], points[2:], strict=False):
        r = min(_CORNER, math.dist(a, b) / 2, math.dist(b, c) / 2)
        ab = np.subtract(b, a) / max(math.dist(a, b), 1e-12)
        bc = np.subtract(c, b) / max(math.dist(b, c), 1e-12)
        verts += [tuple(np.subtract(b, r * ab)), b, tuple(np.add(b, r * bc))]
        codes += [Curve.LINETO, Curve.CURVE3, Curve.CURVE3]
    verts.append(points[-1])
    codes.append(Curve.LINETO)
    return Curve(verts, codes)


def _draw_body(ax: Axes, picture: PathwayPicture, body: Body, top: float) -> None:
    """Draw lanes, pools, boxes and arrows; ``top`` is the y of the body's top edge (y up, inches)."""
    def up(y: float) -> float:
        return top - y

    left, right = EDGE, body.width - EDGE
    if picture.lanes_by is not None:
        for lane in body.lanes:
            fill = NHS["pale_grey"] if lane.shade == 0 else "#F6F8F8"
            ax.add_patch(Rectangle((left, up(lane.bottom)), right - left, lane.bottom - lane.top, facecolor=fill,
                                   edgecolor="none", zorder=0, gid=f"lane:{lane.key}"))
            ax.text(left + 0.05, up((lane.top + lane.bottom) / 2), "\n".join(lane.lines), fontsize=SIZES["lane"],
                    fontweight="bold", ha="left", va="center", color=NHS["dark_blue"], linespacing=1.2, zorder=3)
    for pool in body.pools:
        ax.add_patch(Rectangle((left, up(pool.bottom)), right - left, pool.bottom - pool.header_top,
                               facecolor="none", edgecolor=NHS["aqua_green"], linewidth=1.5, zorder=0.5,
                               gid="pool"))
        ax.text(left + 0.05, up((pool.header_top + pool.top) / 2), "\n".join(pool.lines), fontsize=SIZES["legend"],
                ha="left", va="center", color="#00695F", linespacing=1.2, zorder=3)
    for fold in body.band_tops:
        ax.plot([left, right], [up(fold)] * 2, color=NHS["mid_grey"], linewidth=0.8, linestyle=(0, (1, 2)),
                zorder=0.5, gid="fold")
        ax.text(left + 0.05, up(fold), "continued", fontsize=SIZES["note"], fontstyle="italic", ha="left",
                va="center", color=LIGHT_INK, zorder=3, bbox={"boxstyle": "square,pad=0.1", "fc": "white",
                                                              "ec": "none"})
    fills = box_colours(picture)
    for node, box in body.boxes.items():
        marker = picture.steps[node].marker
        ax.add_patch(FancyBboxPatch((box.x, up(box.y + box.height)), box.width, box.height,
                                    boxstyle="round,pad=0,rounding_size=0.05", facecolor=fills[node],
                                    edgecolor=LIGHT_INK, linewidth=0.8, linestyle=_MARKER_EDGE if marker else "-",
                                    zorder=2, gid=f"step:{node}"))
        for block in box.texts:
            ax.text(block.x, up(block.y), block.text, fontsize=block.size, fontweight=block.weight, ha="center",
                    va="center", color=block.colour, linespacing=1.2, zorder=3)
    pad = LABEL_PAD_PT / SIZES["flow"]
    for arrow in body.arrows:
        move = arrow.route.move
        gid = f"{move.source}->{move.target}"
        colour = HANDOFF_RED if move.handoff else FLOW_GREY
        ax.add_patch(FancyArrowPatch(path=_rounded([(x, up(y)) for x, y in arrow.points]),
                                     arrowstyle="-|>,head_length=0.45,head_width=0.22",
                                     mutation_scale=10 + 2 * arrow.width_pt / MAX_LINE_PT, linewidth=arrow.width_pt,
                                     color=colour, linestyle=(0, (4, 2)) if arrow.route.loop else "-",
                                     joinstyle="round", capstyle="butt", zorder=1.5, gid=f"arrow:{gid}"))
        label = arrow.label
        bbox = ({"boxstyle": f"round,pad={pad:.3f}", "fc": NHS["warm_yellow"], "ec": INK, "lw": 0.6}
                if label.crossing else {"boxstyle": f"square,pad={pad:.3f}", "fc": "white", "ec": "none"})
        ax.text(label.x + LABEL_PAD_PT / 72, up(label.y), label.text, fontsize=SIZES["flow"], ha="left",
                va="center", color=INK, linespacing=1.2, zorder=4, bbox=bbox,
                gid=("crossing:" if label.crossing else "flow:") + gid)


def plot_pathway(
    graph: CareGraph,
    pathway: str,
    lanes: str | None = "organisation",
    *,
    by: str = "provider",
    as_at: AsAt = None,
) -> Figure:
    """Draw one pathway for a board paper: swimlanes, flows, hand-offs and budget crossings.

    Parameters
    ----------
    graph : CareGraph
    pathway : str
        Pathway id.
    lanes : {"organisation", "budget", "setting"} or None
        One swimlane per providing organisation, paying budget (pooled
        budgets framed together) or care setting; None draws no lanes.
    by : {"provider", "site", "setting", "sector", "commissioner"}
        What a hand-off is a change of (red arrows).
    as_at : str, datetime.date or None
        The date drawn: None for today, an ISO date, or ``"all"`` for
        every date (every pool counting whatever its dates). The subtitle
        says which.

    Returns
    -------
    matplotlib.figure.Figure
        Sized to be printed: it fits an A4 landscape page with no text
        under 7 pt when the pathway fits one (folded into up to four bands
        if need be). A longer pathway comes out larger, printed smaller than
        7 pt on one page; ``cg.plot_pathway_pages`` cuts it into A4 pages
        instead.

    Raises
    ------
    networks.errors.ArgumentError
        Unknown ``lanes`` or ``by``, or a bad ``as_at``.
    networks.errors.ValidationError
        Unknown pathway, no start step, a loop patients never leave, a
        step without a budget, or steps lacking the ``by`` value.

    Examples
    --------
    >>> import caregraph as cg
    >>> g = cg.load_model("examples/cardiology")
    >>> fig = cg.plot_pathway(g, "heart-failure", "budget", as_at="2026-05-01")
    >>> fig.texts[0].get_text()
    'Suspected heart failure to specialist and community care (Newcastle)'
    """
    picture = pathway_picture(graph, pathway, lanes, by=by, as_at=as_at)
    return page_figure(picture, best_page(picture)[0])


def page_figure(picture: PathwayPicture, page: Page) -> Figure:
    """Draw one laid-out page: title, subtitle, the body, the keys and the note."""
    fig, ax, y = inch_figure(page.width, page.height, page.title)
    draw_lines(ax, page.subtitle, _MARGIN, y, SIZES["subtitle"], colour=LIGHT_INK)
    y -= page.subtitle_h + 0.1
    _draw_body(ax, picture, page.body, y)
    y -= page.body.height + 0.1
    y -= draw_keys(ax, page.keys, _MARGIN, y, page.width - 2 * _MARGIN) + 0.1
    draw_lines(ax, page.note, _MARGIN, y, SIZES["note"], colour=LIGHT_INK)
    return fig
