"""A pathway too long for one A4 landscape page at 7 pt, drawn as pages in flow order, as a board paper prints it.

``plot_pathway_pages`` draws a pathway that fits one A4 landscape page with
no text under 7 pt as ``plot_pathway`` does, on one page. A longer one is
cut into pages of consecutive columns (steps in flow order), each page
taking as many columns as fit it at 7 pt. Every page:

- has the pathway's title with ``(page 2 of 3)``, the subtitle, the keys
  (a dashed box: a step on another page) and the note;
- has the lanes in the same order as the whole pathway, and the same arrow
  widths for the same patients; a lane with nothing on a page is left out
  of it (twelve lanes, most of them empty, leave no room at 7 pt for the
  steps);
- shows each of its steps once. An arrow to or from a step on another page
  ends at a **continuation marker**, a white box with a dashed edge in that
  step's lane, saying where it is and naming it (``on to page 2: Invasive
  coronary angiography``, ``from page 1: GP review``; for loops ``back to
  page 1: ...`` and ``back from page 3: ...``). The arrow is drawn on both
  pages, with its patients and, when it is one, as a hand-off (red), a
  budget crossing (badge) or a loop (dashed).

A page may be folded into two bands, as a one-page diagram is (a long
chain of steps in few lanes then takes half the pages). The loops are those
of the whole pathway. A single column too tall for a page at 7 pt (no
example comes near) is drawn on its own page, smaller.

Examples
--------
>>> import caregraph as cg
>>> pages = cg.plot_pathway_pages(cg.load_model("examples/cardiology"), "chest-pain-to-pci", "budget",
...                               as_at="2026-05-01")
>>> len(pages), pages[0].texts[0].get_text()[:33]
(1, 'Suspected cardiac chest pain to P')
"""

from __future__ import annotations

from dataclasses import replace

from matplotlib.figure import Figure

from networks.dates import AsAt
from networks.graph import CareGraph

from .pathway_data import START, Move, PathwayPicture, StepBox, pathway_picture
from .pathway_figure import Page, best_page, page_figure
from .pathway_grid import pathway_grid

__all__ = ["pathway_pages", "plot_pathway_pages"]

Edge = tuple[str, str]
_PAGE_FOLDS = (1, 2)
"""A page is folded into two bands when that fits more of a long, narrow pathway on it."""


def _marker(step: StepBox, key: str, where: str) -> StepBox:
    return replace(step, id=key, detail=where, visits=0.0, leaving=0.0, marker=True)


def _page_picture(picture: PathwayPicture, page_of: dict[str, int], number: int, count: int,
                  loops: set[Edge]) -> tuple[PathwayPicture, set[Edge]]:
    """The steps of page ``number`` (from 0), with markers for the steps on other pages; and the page's loops."""
    steps = {s: box for s, box in picture.steps.items() if page_of[s] == number}
    moves: list[Move] = []
    page_loops = set()
    for move in picture.moves:
        u, v = move.source, move.target
        if v in steps and (u == START or u in steps):
            drawn = move
        elif u in steps:
            key, page = f"continues:{v}", page_of[v]
            where = f"back to page {page + 1}:" if page < number else f"on to page {page + 1}:"
            steps.setdefault(key, _marker(picture.steps[v], key, where))
            drawn = replace(move, target=key)
        elif v in steps:
            key, page = f"from:{u}", page_of[u]
            where = f"from page {page + 1}:" if page < number else f"back from page {page + 1}:"
            steps.setdefault(key, _marker(picture.steps[u], key, where))
            drawn = replace(move, source=key)
        else:
            continue
        moves.append(drawn)
        if (u, v) in loops:
            page_loops.add((drawn.source, drawn.target))
    biggest = max((m.patients for m in picture.moves), default=0.0)
    return replace(picture, steps=steps, moves=moves, biggest=biggest, page=(number + 1, count)), page_loops


class _Cutter:
    """Cuts the columns of the whole pathway's grid into pages, and lays a page out."""

    def __init__(self, picture: PathwayPicture) -> None:
        self.picture = picture
        self.whole = pathway_grid(picture, 1)

    def page(self, starts: list[int], number: int, count: int) -> tuple[PathwayPicture, Page, bool]:
        """Page ``number`` of the cut starting pages at the columns ``starts``: its picture and layout, and if it
        fits."""
        col = self.whole.col
        page_of = {s: sum(1 for first in starts[1:] if first <= col[s]) for s in self.picture.steps}
        part, loops = _page_picture(self.picture, page_of, number, count, self.whole.loops)
        page, fits = best_page(part, _PAGE_FOLDS, loops=loops, lanes=self.whole.lane_order)
        return part, page, fits

    def starts(self) -> list[int]:
        """The first column of each page: each page takes as many columns as fit (at least one)."""
        starts, columns = [0], self.whole.columns
        while True:
            first = starts[-1]
            end = first + 1  # the page's columns are first .. end - 1
            while end < columns and self.page([*starts[:-1], first, end + 1], len(starts) - 1, columns)[2]:
                end += 1
            if end >= columns:
                return starts
            starts.append(end)


def pathway_pages(picture: PathwayPicture) -> list[tuple[PathwayPicture, Page]]:
    """Each page's picture and layout: one page when the pathway fits one, else pages of as many columns as fit.

    A page of a single column too tall to fit is drawn smaller.
    """
    page, fits = best_page(picture)
    if fits:
        return [(picture, page)]
    cutter = _Cutter(picture)
    starts = cutter.starts()
    return [cutter.page(starts, n, len(starts))[:2] for n in range(len(starts))]


def plot_pathway_pages(
    graph: CareGraph,
    pathway: str,
    lanes: str | None = "organisation",
    *,
    by: str = "provider",
    as_at: AsAt = None,
) -> list[Figure]:
    """Draw one pathway for a board paper on as many A4 landscape pages as it needs at 7 pt, in flow order.

    The same diagram as ``plot_pathway`` when it fits one page; else
    pages of consecutive steps joined by continuation markers (see the
    module notes). Write them with ``cg.save_pages``: a multi-page PDF, or
    a PNG or SVG file a page.

    Parameters
    ----------
    graph, pathway, lanes, by, as_at
        As ``plot_pathway``.

    Returns
    -------
    list of matplotlib.figure.Figure
        The pages in order, each fitting an A4 landscape page with no
        text under 7 pt.

    Raises
    ------
    networks.errors.ArgumentError
        Unknown ``lanes`` or ``by``, or a bad ``as_at``.
    networks.errors.ValidationError
        As ``plot_pathway``.

    Examples
    --------
    >>> import caregraph as cg
    >>> pages = cg.plot_pathway_pages(cg.load_model("tests/fixtures/small_model"), "chest-pain", as_at="2024-06-01")
    >>> len(pages), pages[0].texts[0].get_text()
    (1, 'Chest pain to PCI (hand-made test pathway)')
    """
    picture = pathway_picture(graph, pathway, lanes, by=by, as_at=as_at)
    return [page_figure(part, page) for part, page in pathway_pages(picture)]
