"""Sizes and positions, in inches, of everything in a pathway diagram's body.

Every size comes from the text it must hold (measured, ``figures.text``):
a box is as tall as its name, detail and patients, and as its ports need
for the labels of the arrows leaving it; a row is as tall as its tallest
box; a lane as its label; a gap between columns holds the labels of the
arrows leaving the column on its left, one track per arrow turning in it,
and room for the arrowheads; a channel between rows holds its tracks (and
a pool's heading above it), and a row those of the corridor through it. Coordinates run right and *down* from the top
left of the body; the figure turns them up.

Examples
--------
>>> import caregraph as cg
>>> from caregraph.figures.pathway_data import pathway_picture
>>> from caregraph.figures.pathway_grid import pathway_grid
>>> picture = pathway_picture(cg.load_model("tests/fixtures/small_model"), "chest-pain", as_at="2024-06-01")
>>> body = body_geometry(picture, pathway_grid(picture), Detail(box_width=1.2))
>>> round(body.boxes["chest-pain/gp"].width, 2), len(body.boxes), len(body.arrows)
(1.2, 4, 5)
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass, field

from .pathway_data import START, PathwayPicture
from .pathway_grid import Grid
from .pathway_routes import Route, assign_tracks, plan_routes, strip_tracks
from .style import LIGHT_INK, SIZES, money_text, patients_text
from .text import line_width, text_size, wrap

__all__ = ["LABEL_PAD_PT", "MAX_LINE_PT", "Arrow", "Body", "BoxGeometry", "Detail", "FlowLabel", "LaneBand",
           "PoolFrame", "TextBlock", "arrow_width", "body_geometry"]

PAD = 0.035  # inside a box, around its text
TEXT_GAP = 0.015  # between the text blocks of a box
LABEL_PAD_PT = 1.2  # around an arrow label, inside its background
LABEL_GAP = 0.03  # between a box (or the left edge) and the labels of the arrows leaving it
TRACK_GAP = 0.05  # between tracks, besides the lines' own width
LEG_GAP = 0.05  # between two legs sharing a track
ENTRY = 0.12  # between the last track of a gap and the box an arrow enters: the arrowhead's room
PORT_INSET, IN_PITCH = 0.04, 0.08
CHANNEL_MIN, CHANNEL_EDGE, BAND_BREAK = 0.1, 0.04, 0.2
LANE_PAD = 0.06
EDGE = 0.04  # outer margin of the body
MIN_LINE_PT, MAX_LINE_PT = 0.8, 5.0

Key = tuple[str, str]


@dataclass(frozen=True)
class Detail:
    """How wide each box is and how much it says; the layout tries several and keeps the best fit."""

    box_width: float = 1.3
    detail_lines: int = 3  # at most, for the provider or budget (0: the budget only by the box's colour, the
    # provider only by its code, named in the footnote)
    lane_width: float = 1.2
    badge_lines: int = 2  # a crossing's patients and money on two lines, or on one


@dataclass
class TextBlock:
    text: str
    size: float
    weight: str = "normal"
    colour: str = "#231F20"
    x: float = 0.0
    y: float = 0.0  # centre


@dataclass
class BoxGeometry:
    node: str
    width: float
    height: float
    texts: list[TextBlock]
    x: float = 0.0
    y: float = 0.0  # top


@dataclass
class FlowLabel:
    text: str
    x: float  # left of the background
    y: float  # centre
    crossing: bool


@dataclass
class Arrow:
    route: Route
    points: list[tuple[float, float]]
    width_pt: float
    label: FlowLabel


@dataclass
class LaneBand:
    key: str
    band: int
    top: float
    bottom: float
    lines: list[str]
    shade: int


@dataclass
class PoolFrame:
    header_top: float
    top: float  # below the heading
    bottom: float
    lines: list[str]


@dataclass
class Body:
    width: float
    height: float
    lanes_width: float  # the lane label column, from EDGE
    boxes: dict[str, BoxGeometry]
    arrows: list[Arrow]
    lanes: list[LaneBand]
    pools: list[PoolFrame]
    max_patients: float
    band_tops: list[float] = field(default_factory=list)


def arrow_width(patients: float, biggest: float) -> float:
    """Arrow width in points: proportional to patients a year, from 0.8 (a trickle) to 5 (the biggest flow)."""
    if biggest <= 0:
        return MIN_LINE_PT
    return max(MIN_LINE_PT, MAX_LINE_PT * patients / biggest)


def _box_texts(picture: PathwayPicture, node: str, detail: Detail) -> list[TextBlock]:
    """The text blocks of a box, top to bottom, wrapped to its width."""
    inner = detail.box_width - 2 * PAD
    step = picture.steps[node]
    if step.marker:  # where the step is (its detail), then its name
        return [TextBlock("\n".join(wrap(f"{step.detail} {step.name}", inner, SIZES["detail"])), SIZES["detail"])]

    def amount(value: float) -> str:
        return patients_text(value / picture.entrants if picture.per_patient else value, picture.per_patient)

    unit = "of entrants" if picture.per_patient else "a year"
    volume = f"{amount(step.visits)} {unit}"
    if not detail.detail_lines and picture.lanes_by != "organisation":
        volume = f"{step.provider} · {volume}"
    if step.leaving > 0:
        leave = f"{amount(step.leaving)} leave"
        joined = f"{volume}; {leave}"
        volume = joined if line_width(joined, SIZES["detail"]) <= inner else f"{volume}\n{leave}"
    blocks = [TextBlock("\n".join(wrap(step.name, inner, SIZES["name"], "bold")), SIZES["name"], "bold")]
    if detail.detail_lines:
        blocks.append(TextBlock("\n".join(wrap(step.detail, inner, SIZES["detail"], max_lines=detail.detail_lines)),
                                SIZES["detail"], colour=LIGHT_INK))
    volume = "\n".join(line for part in volume.split("\n") for line in wrap(part, inner, SIZES["detail"]))
    return [*blocks, TextBlock(volume, SIZES["detail"])]


def _texts_height(blocks: list[TextBlock]) -> float:
    return sum(text_size(b.text, b.size, b.weight)[1] for b in blocks) + TEXT_GAP * (len(blocks) - 1)


def _place_texts(box: BoxGeometry) -> None:
    """Stack a box's text blocks, centred in the box."""
    y = box.y + (box.height - _texts_height(box.texts)) / 2
    for block in box.texts:
        h = text_size(block.text, block.size, block.weight)[1]
        block.x, block.y = box.x + box.width / 2, y + h / 2
        y += h + TEXT_GAP


@dataclass
class _Vertical:
    """Row tops and heights; channel tops (below any pool heading), heights (without it) and headings."""

    tops: list[float]
    row_h: list[float]
    channel_tops: list[float]
    channel_h: list[float]
    heading: list[float]
    breaks: list[int]  # the channels where a band of a folded diagram starts: a gap of BAND_BREAK above all else
    starts: list[float]  # where each channel's space begins: its band break, then any heading, then the channel


class _Layout:
    """Builds a ``Body`` in order: boxes, rows and channels, ports, gaps, then the arrows."""

    def __init__(self, picture: PathwayPicture, grid: Grid, detail: Detail) -> None:
        self.picture, self.grid, self.detail = picture, grid, detail
        self.routes = plan_routes(grid, picture.moves)
        self.biggest = picture.biggest or max((m.patients for m in picture.moves), default=0.0)
        self.width_pt = {r.key: arrow_width(r.move.patients, self.biggest) for r in self.routes}
        self.labels: dict[Key, str] = {}
        self.label_size: dict[Key, tuple[float, float]] = {}
        for route in self.routes:
            move = route.move
            lines = [patients_text(move.share if picture.per_patient else move.patients, picture.per_patient)]
            if move.crossing:
                lines.append(money_text(move.money))
            self.labels[route.key] = ("\n" if detail.badge_lines == 2 else " · ").join(lines)
            w, h = text_size(self.labels[route.key], SIZES["flow"])
            self.label_size[route.key] = (w + 2 * LABEL_PAD_PT / 72, h + 2 * LABEL_PAD_PT / 72)
        self.lane_lines = {} if picture.lanes_by is None else {
            (row.band, row.lane): wrap(picture.lanes[row.lane].label, detail.lane_width, SIZES["lane"], "bold")
            for row in grid.rows}
        self.pools = picture.pools if picture.lanes_by == "budget" else []
        self.pool_lines = [wrap(group.label, detail.lane_width, SIZES["legend"]) for group in self.pools]

    def boxes(self) -> dict[str, BoxGeometry]:
        """Each box's size and text: tall enough for its text, its arrows' labels and its arrowheads."""
        out_pitch: dict[str, float] = defaultdict(float)
        outs: dict[str, int] = defaultdict(int)
        ins: dict[str, int] = defaultdict(int)
        for route in self.routes:
            u, v = route.key
            out_pitch[u] = max(out_pitch[u], self.label_size[route.key][1] + 0.02)
            outs[u] += 1
            ins[v] += 1
        boxes = {}
        for node in self.picture.steps:
            texts = _box_texts(self.picture, node, self.detail)
            height = max(_texts_height(texts) + 2 * PAD, outs[node] * out_pitch[node] + 2 * PORT_INSET,
                         ins[node] * IN_PITCH + 2 * PORT_INSET)
            boxes[node] = BoxGeometry(node, self.detail.box_width, height, texts)
        return boxes

    def strip_sizes(self) -> tuple[dict[tuple[float, int], float], dict[float, float]]:
        """The height of each strip track, and of each strip's tracks together."""
        counts = strip_tracks(self.routes, self.grid)
        track_h: dict[tuple[float, int], float] = defaultdict(float)
        for route in self.routes:
            if route.strip is not None:
                key = (route.strip, route.track)
                track_h[key] = max(track_h[key], self.width_pt[route.key] / 72 + TRACK_GAP)
        return track_h, {s: sum(track_h[(s, t)] for t in range(n)) for s, n in counts.items()}

    def vertical(self, boxes: dict[str, BoxGeometry], tracks_h: dict[float, float]) -> _Vertical:
        """Rows as tall as their boxes, lanes as their labels, strips as their tracks, pools' headings."""
        rows = self.grid.rows
        row_h = [tracks_h.get(float(r), 0.0) + 2 * CHANNEL_EDGE for r in range(len(rows))]
        for node, box in boxes.items():
            row_h[self.grid.row[node]] = max(row_h[self.grid.row[node]], box.height)
        channel_h = [max(CHANNEL_MIN, tracks_h.get(c - 0.5, 0.0) + 2 * CHANNEL_EDGE) for c in range(len(rows) + 1)]
        breaks = [i for i in range(1, len(rows)) if rows[i].band != rows[i - 1].band]
        for key, lines in self.lane_lines.items():
            members = [i for i, row in enumerate(rows) if (row.band, row.lane) == key]
            need = text_size("\n".join(lines), SIZES["lane"], "bold")[1] + 2 * LANE_PAD
            have = (sum(row_h[i] for i in members) + sum(channel_h[i] for i in members[1:])
                    + (channel_h[members[0]] + channel_h[members[-1] + 1]) / 2)
            for i in members:
                row_h[i] += max(0.0, need - have) / len(members)
        heading = [0.0] * (len(rows) + 1)
        for group, lines in zip(self.pools, self.pool_lines, strict=True):
            for band in range(self.grid.bands):
                members = [i for i, row in enumerate(rows) if row.band == band and row.lane in group.lanes]
                if members:
                    need = text_size("\n".join(lines), SIZES["legend"])[1] + 2 * LANE_PAD
                    heading[members[0]] = max(heading[members[0]], need)
        tops, channel_tops, starts, y = [], [], [], EDGE
        for r in range(len(rows) + 1):
            starts.append(y)
            y += heading[r] + (BAND_BREAK if r in breaks else 0.0)
            channel_tops.append(y)
            y += channel_h[r]
            if r < len(rows):
                tops.append(y)
                y += row_h[r]
        return _Vertical(tops, row_h, channel_tops, channel_h, heading, breaks, starts)


def _ports(layout: _Layout, boxes: dict[str, BoxGeometry], strip_y: dict[Key, float]) -> dict[tuple[str, str, str],
                                                                                                float]:
    """The height of each arrow's start and end: spread evenly down the box sides in rank order."""
    port_y = {}
    for route in layout.routes:
        u, v = route.key
        in_box = boxes[v]
        rank, count = route.in_rank
        port_y[(u, v, "in")] = in_box.y + PORT_INSET + (rank + 0.5) * (in_box.height - 2 * PORT_INSET) / count
        if u == START:
            port_y[(u, v, "out")] = strip_y.get(route.key, port_y[(u, v, "in")])
        else:
            rank, count = route.out_rank
            port_y[(u, v, "out")] = boxes[u].y + PORT_INSET + (rank + 0.5) * (boxes[u].height - 2 * PORT_INSET) / count
    return port_y


def _legs(layout: _Layout, port_y: dict[tuple[str, str, str], float],
          strip_y: dict[Key, float]) -> dict[int, list[tuple[int, Key, str, float, float]]]:
    """The vertical legs in each gap: (side, route, leg, top, bottom).

    ``side`` orders the tracks: 0 (left) for legs whose run along a strip
    goes left, 2 (right) for those whose run goes right, 1 for turns between
    neighbouring columns; so runs cross few legs.
    """
    legs: dict[int, list[tuple[int, Key, str, float, float]]] = defaultdict(list)
    for route in layout.routes:
        u, v = route.key
        y_out, y_in = port_y[(u, v, "out")], port_y[(u, v, "in")]
        entry = u == START
        if route.strip is None:
            if not entry:
                legs[route.gap_out].append((1, route.key, "turn", min(y_out, y_in), max(y_out, y_in)))
            continue
        y_ch = strip_y[route.key]
        rightward = route.gap_in > route.gap_out
        if not entry:
            legs[route.gap_out].append((2 if rightward else 0, route.key, "out", min(y_out, y_ch), max(y_out, y_ch)))
        legs[route.gap_in].append((0 if rightward else 2, route.key, "in", min(y_in, y_ch), max(y_in, y_ch)))
    return legs


def body_geometry(picture: PathwayPicture, grid: Grid, detail: Detail) -> Body:
    """Size and place the boxes, lanes, pools and arrows of one layout (see the module notes)."""
    layout = _Layout(picture, grid, detail)
    boxes = layout.boxes()
    track_h, tracks_h = layout.strip_sizes()
    vertical = layout.vertical(boxes, tracks_h)
    for node, box in boxes.items():
        r = grid.row[node]
        box.y = vertical.tops[r] + (vertical.row_h[r] - box.height) / 2
    strip_y: dict[Key, float] = {}
    for route in layout.routes:
        if route.strip is not None:
            s = route.strip
            if s.is_integer():
                top, height = vertical.tops[int(s)], vertical.row_h[int(s)]
            else:
                top, height = vertical.channel_tops[int(s + 0.5)], vertical.channel_h[int(s + 0.5)]
            first = top + (height - tracks_h[s]) / 2
            before = sum(track_h[(s, t)] for t in range(route.track))
            strip_y[route.key] = first + before + track_h[(s, route.track)] / 2
    port_y = _ports(layout, boxes, strip_y)

    gap_tracks: dict[int, list[float]] = defaultdict(list)
    leg_track: dict[tuple[Key, str], tuple[int, int]] = {}
    for gap, members in _legs(layout, port_y, strip_y).items():
        for side in (0, 1, 2):
            chosen = [m for m in members if m[0] == side]
            tracks = assign_tracks([(m[3], m[4]) for m in chosen], margin=LEG_GAP)
            offset = len(gap_tracks[gap])
            gap_tracks[gap] += [0.0] * (max(tracks, default=-1) + 1)
            for m, t in zip(chosen, tracks, strict=True):
                leg_track[(m[1], m[2])] = (gap, offset + t)
                gap_tracks[gap][offset + t] = max(gap_tracks[gap][offset + t], layout.width_pt[m[1]] / 72 + TRACK_GAP)

    label_zone: dict[int, float] = defaultdict(float)
    for route in layout.routes:
        label_zone[grid.col[route.key[0]]] = max(label_zone[grid.col[route.key[0]]],
                                                 layout.label_size[route.key][0] + LABEL_GAP + 0.02)
    lanes_width = detail.lane_width + 0.1 if picture.lanes_by is not None else 0.0
    x = EDGE + lanes_width
    entry_x = x
    gap_left, column_left = {}, {}
    for gap in range(-1, grid.columns):
        if gap >= 0:
            column_left[gap] = x
            x += detail.box_width
        gap_left[gap] = x + label_zone[gap]
        x = gap_left[gap] + sum(gap_tracks[gap]) + (ENTRY if gap < grid.columns - 1 else 0.06)
    width = x + EDGE
    for node, box in boxes.items():
        box.x = column_left[grid.col[node]]
        _place_texts(box)

    def track_x(key: Key, leg: str) -> float:
        gap, t = leg_track[(key, leg)]
        return gap_left[gap] + sum(gap_tracks[gap][:t]) + gap_tracks[gap][t] / 2

    arrows = []
    for route in layout.routes:
        u, v = route.key
        start = (entry_x if u == START else boxes[u].x + boxes[u].width, port_y[(u, v, "out")])
        end = (boxes[v].x, port_y[(u, v, "in")])
        if route.strip is None:
            points = [start, end] if u == START else [start, (track_x(route.key, "turn"), start[1]),
                                                      (track_x(route.key, "turn"), end[1]), end]
        else:
            xi, yc = track_x(route.key, "in"), strip_y[route.key]
            middle = [] if u == START else [(track_x(route.key, "out"), start[1]), (track_x(route.key, "out"), yc)]
            points = [start, *middle, (xi, yc), (xi, end[1]), end]
        label = FlowLabel(layout.labels[route.key], start[0] + LABEL_GAP, start[1], route.move.crossing)
        arrows.append(Arrow(route, _simplify(points), layout.width_pt[route.key], label))

    lanes, pools = _bands(layout, vertical)
    band_tops = [vertical.starts[i] + BAND_BREAK / 2 for i in vertical.breaks]
    height = vertical.channel_tops[-1] + vertical.channel_h[-1] + EDGE
    return Body(width, height, lanes_width, boxes, arrows, lanes, pools, layout.biggest, band_tops)


def _simplify(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Drop repeated points and the middle of straight runs (a turn of no height is no turn)."""
    kept = [points[0]]
    for p in points[1:]:
        if abs(p[0] - kept[-1][0]) > 1e-9 or abs(p[1] - kept[-1][1]) > 1e-9:
            kept.append(p)
    result = [kept[0]]
    for b, c in itertools.pairwise(kept[1:]):
        a = result[-1]
        straight = (abs(a[0] - b[0]) < 1e-9 and abs(b[0] - c[0]) < 1e-9) or (
            abs(a[1] - b[1]) < 1e-9 and abs(b[1] - c[1]) < 1e-9)
        if not straight:
            result.append(b)
    return [*result, kept[-1]] if len(kept) > 1 else result


def _bands(layout: _Layout, vertical: _Vertical) -> tuple[list[LaneBand], list[PoolFrame]]:
    """The lane backgrounds and pool frames.

    Neighbouring lanes meet in the middle of the channel between them, or
    at a pool's heading, which belongs to the pool's frame.
    """
    rows = layout.grid.rows
    tops, heights, heading = vertical.channel_tops, vertical.channel_h, vertical.heading
    lanes = []
    shade: dict[int, int] = defaultdict(int)
    for band, lane in dict.fromkeys((row.band, row.lane) for row in rows):
        members = [i for i, row in enumerate(rows) if (row.band, row.lane) == (band, lane)]
        first, below = members[0], members[-1] + 1
        top = tops[first] if heading[first] else tops[first] + heights[first] / 2
        plain = not heading[below] and below not in vertical.breaks
        bottom = tops[below] + heights[below] / 2 if plain else vertical.starts[below]
        lanes.append(LaneBand(lane, band, top, bottom, layout.lane_lines.get((band, lane), []), shade[band] % 2))
        shade[band] += 1
    pools = []
    for group, lines in zip(layout.pools, layout.pool_lines, strict=True):
        for band in range(layout.grid.bands):
            framed = [lane for lane in lanes if lane.band == band and lane.key in group.lanes]
            if framed:
                top = min(lane.top for lane in framed)
                first = next(i for i, r in enumerate(rows) if r.band == band and r.lane in group.lanes)
                pools.append(PoolFrame(top - heading[first], top, max(lane.bottom for lane in framed), lines))
    return lanes, pools
