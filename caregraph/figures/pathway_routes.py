"""Which way each arrow of a pathway diagram runs: orthogonal routes through the gaps between boxes.

Every arrow leaves the right side of its box and enters the left side of
the next, so boxes are never crossed:

* to the next column, it turns once in the **gap** between the two columns;
* anywhere else (a column further on, a loop back, the next band of a
  folded diagram) it runs up or down the gap after its box to a **strip**
  running across the diagram, along the strip, and down or up the gap
  before the box it enters. A strip is a **channel** (the free space
  between two rows) or a **corridor** (a row whose cells are empty all the
  way along the run). A strip between the rows of the two ends costs no
  detour; the least used of those is taken, a loop within one row
  preferring the strip above it and an arrow onwards the one below;
* patients entering come in from the left edge: straight into a step of
  the first column, or along a strip to any other.

A strip is named by its position in rows, counted down from 0: a corridor
``r`` is row ``r``, a channel ``r - 0.5`` is the one above row ``r``.

Each arrow gets its own track (a lane of a gap or a strip), so no two
arrows share a line; ``assign_tracks`` gives arrows whose stretches overlap
different tracks (interval colouring, greedy by start), and the ports down
a box's side follow the order of where the arrows go, to keep crossings few.

Examples
--------
>>> assign_tracks([(0.0, 1.0), (0.5, 2.0), (1.5, 3.0)])
[0, 1, 0]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from .pathway_data import START, Move
from .pathway_grid import Grid

__all__ = ["Route", "assign_tracks", "plan_routes", "strip_tracks"]


@dataclass
class Route:
    """One arrow's way: where it leaves and enters, and the gaps and strip it runs in."""

    move: Move
    loop: bool
    gap_out: int  # the gap right of the source column
    gap_in: int  # the gap left of the target column (-1: left of the first column)
    strip: float | None = None  # None: straight through one gap; else the strip's position in rows
    out_rank: tuple[int, int] = (0, 1)  # (port index from the top, ports on that side)
    in_rank: tuple[int, int] = (0, 1)
    track: int = 0  # the track within the strip

    @property
    def key(self) -> tuple[str, str]:
        return self.move.source, self.move.target

    @property
    def span(self) -> tuple[int, int]:
        """The gaps the strip run goes between, in order."""
        return min(self.gap_out, self.gap_in), max(self.gap_out, self.gap_in)


def assign_tracks(intervals: Sequence[tuple[float, float]], margin: float = 0.0) -> list[int]:
    """Give each interval a track so that intervals on one track are more than ``margin`` apart."""
    order = sorted(range(len(intervals)), key=lambda i: (intervals[i][0], intervals[i][1], i))
    ends: list[float] = []
    tracks = [0] * len(intervals)
    for i in order:
        start, end = intervals[i]
        track = next((t for t, last in enumerate(ends) if last + margin < start), len(ends))
        if track == len(ends):
            ends.append(end)
        ends[track] = end
        tracks[i] = track
    return tracks


def _empty_corridor(grid: Grid, occupied: set[tuple[int, int]], row: int, span: tuple[int, int]) -> bool:
    """Whether row ``row`` has no box in the columns a run between gaps ``span`` crosses."""
    return all((row, c) not in occupied for c in range(span[0] + 1, span[1] + 1))


def _choose_strip(route: Route, ru: int, rv: int, grid: Grid, occupied: set[tuple[int, int]],
                  load: dict[float, list[tuple[int, int]]]) -> float:
    """The strip for a route that cannot turn in one gap (see the module notes)."""
    span = route.span
    top, bottom = min(ru, rv), max(ru, rv)
    if route.move.source == START:
        candidates = {rv - 0.5: 0.0, rv + 0.5: 0.0}
    elif ru == rv:
        candidates = {ru - 0.5: 0.0 if route.loop else 0.5, ru + 0.5: 0.5 if route.loop else 0.0}
    else:
        candidates = {c - 0.5: 0.0 if top < c <= bottom else 2.0 for c in range(top, bottom + 2)}
    for row in range(top, bottom + 1):
        if _empty_corridor(grid, occupied, row, span):
            candidates[float(row)] = -0.25

    def cost(strip: float) -> tuple[float, float]:
        busy = sum(1 for a, b in load[strip] if a <= span[1] and span[0] <= b)
        return busy + candidates[strip], abs(2 * strip - ru - rv)

    return min(candidates, key=cost)


def plan_routes(grid: Grid, moves: Sequence[Move]) -> list[Route]:
    """Route every arrow (see the module notes) and rank the ports down each box's sides."""
    occupied = {(grid.row[n], grid.col[n]) for n in grid.row if n != START}
    load: dict[float, list[tuple[int, int]]] = defaultdict(list)
    routes = []
    for move in sorted(moves, key=lambda m: (-m.patients, m.source, m.target)):
        u, v = move.source, move.target
        cu, cv = grid.col[u], grid.col[v]
        route = Route(move, (u, v) in grid.loops, cu, cv - 1)
        if cv != cu + 1:
            ru = grid.row[v] if u == START else grid.row[u]
            route.strip = _choose_strip(route, ru, grid.row[v], grid, occupied, load)
            load[route.strip].append(route.span)
        routes.append(route)
    _rank_ports(grid, routes)
    return routes


def _rank_ports(grid: Grid, routes: list[Route]) -> None:
    """Order each box's ports from the top by where the arrows go next (rows count down the page)."""
    outs: dict[str, list[tuple[float, str, Route]]] = defaultdict(list)
    ins: dict[str, list[tuple[float, str, Route]]] = defaultdict(list)
    for route in routes:
        u, v = route.key
        outs[u].append((grid.row[v] if route.strip is None else route.strip, v, route))
        ins[v].append((grid.row[v if u == START else u] if route.strip is None else route.strip, u, route))
    for ports, attr in ((outs, "out_rank"), (ins, "in_rank")):
        for entries in ports.values():
            entries.sort(key=lambda e: (e[0], e[1]))
            for rank, (_, _, route) in enumerate(entries):
                setattr(route, attr, (rank, len(entries)))


def _above(grid: Grid, route: Route, strip: float) -> int:
    """How many ends of a route are in rows above the strip (the entry counts as its step's row)."""
    target = grid.row[route.move.target]
    source = target if route.move.source == START else grid.row[route.move.source]
    return (source < strip) + (target < strip)


def strip_tracks(routes: list[Route], grid: Grid) -> dict[float, int]:
    """Give the routes in each strip tracks (in place); return the number of tracks per strip.

    Routes joining rows above the strip at both ends take the top tracks,
    those joining rows below at both ends the bottom ones, so runs cross
    as few legs as they can.
    """
    counts: dict[float, int] = {}
    by_strip: dict[float, list[Route]] = defaultdict(list)
    for route in routes:
        if route.strip is not None:
            by_strip[route.strip].append(route)
    for strip, members in by_strip.items():
        offset = 0
        for side in (2, 1, 0):  # both ends above, one above, none above
            group = [r for r in members if _above(grid, r, strip) == side]
            tracks = assign_tracks([r.span for r in group])
            for route, track in zip(group, tracks, strict=True):
                route.track = offset + track
            offset += max(tracks, default=-1) + 1
        counts[strip] = offset
    return counts
