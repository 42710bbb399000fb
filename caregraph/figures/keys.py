"""Keys (legends), text blocks and the figure they go on, laid out in inches, so they fit and never overlap.

A key is a list of ``Key`` entries -- a small glyph (a coloured box, a line
of some width and style, a badge) and its words -- laid out left to right in
rows no wider than the figure. Titles and footnotes are wrapped the same
way. Everything is drawn in axes whose data units are inches, y upwards.

Examples
--------
>>> keys = [Key("line", "hand-off", colour="#DA291C"), Key("box", "acute care", colour="#A9CBEA")]
>>> height, placed = key_rows(keys, width=3.0)
>>> len(placed), round(height, 2)
(2, 0.16)
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyBboxPatch, Rectangle

from .style import FIGURE_MARGIN, INK, LIGHT_INK, NHS, SIZES
from .text import text_size, wrap

__all__ = ["GLYPH", "Key", "draw_keys", "draw_lines", "inch_figure", "key_rows", "text_lines"]

GLYPH = 0.32  # width of a key's glyph, inches
_GAP, _SPACE, _ROW_GAP = 0.06, 0.22, 0.05


@dataclass(frozen=True)
class Key:
    """One key entry: ``kind`` is ``box``, ``line``, ``badge`` or ``frame``."""

    kind: str
    text: str
    colour: str = LIGHT_INK
    width_pt: float = 1.5
    style: str | tuple[float, tuple[float, ...]] = "-"
    badge: str = ""
    edge: str = "#425563"


def key_rows(keys: list[Key], width: float) -> tuple[float, list[tuple[Key, float, float]]]:
    """Lay keys out in rows no wider than ``width``, wrapping a key's words when they alone are too wide.

    Returns the height and each key (its text wrapped) with its x and the
    y of its centre, measured down from the top.
    """
    entries = []
    for key in keys:
        text = "\n".join(wrap(key.text, width - GLYPH - _GAP, SIZES["legend"]))
        w, h = text_size(text, SIZES["legend"])
        entries.append((replace(key, text=text), GLYPH + _GAP + w, max(0.16, h + 0.04)))
    rows: list[list[tuple[Key, float, float, float]]] = [[]]
    x = 0.0
    for key, w, h in entries:
        if rows[-1] and x + w > width:
            rows.append([])
            x = 0.0
        rows[-1].append((key, x, w, h))
        x += w + _SPACE
    placed, top = [], 0.0
    for row in rows:
        height = max((h for *_, h in row), default=0.0)
        placed += [(key, x, top + height / 2) for key, x, _, _ in row]
        top += height + _ROW_GAP
    return max(0.0, top - _ROW_GAP), placed


def _glyph(ax: Axes, key: Key, x: float, y: float) -> None:
    style: Any = key.style
    if key.kind == "box":
        ax.add_patch(FancyBboxPatch((x + 0.04, y - 0.055), GLYPH - 0.08, 0.11,
                                    boxstyle="round,pad=0,rounding_size=0.02", facecolor=key.colour,
                                    edgecolor=key.edge, linewidth=0.7, linestyle=style, gid="key"))
    elif key.kind == "frame":
        ax.add_patch(Rectangle((x + 0.02, y - 0.06), GLYPH - 0.04, 0.12, facecolor="none", edgecolor=key.colour,
                               linewidth=key.width_pt, gid="key"))
    elif key.kind == "badge":
        ax.text(x + GLYPH / 2, y, key.badge, fontsize=SIZES["legend"], ha="center", va="center", color=INK,
                gid="key", bbox={"boxstyle": "round,pad=0.17", "fc": NHS["warm_yellow"], "ec": INK, "lw": 0.6})
    else:
        ax.add_line(Line2D([x, x + GLYPH], [y, y], color=key.colour, linewidth=key.width_pt, linestyle=style,
                           solid_capstyle="butt", gid="key"))


def draw_keys(ax: Axes, keys: list[Key], left: float, top: float, width: float) -> float:
    """Draw keys in rows from (``left``, ``top``) downwards (y up, inches); return the height used."""
    height, placed = key_rows(keys, width)
    for key, x, y in placed:
        _glyph(ax, key, left + x, top - y)
        ax.text(left + x + GLYPH + _GAP, top - y, key.text, fontsize=SIZES["legend"], ha="left", va="center",
                color=INK)
    return height


def text_lines(text: str, width: float, size: float, weight: str = "normal") -> tuple[str, float]:
    """Wrap ``text`` to ``width`` inches: the wrapped text and its height."""
    wrapped = "\n".join(line for paragraph in text.split("\n") for line in wrap(paragraph, width, size, weight))
    return wrapped, text_size(wrapped, size, weight)[1]


def draw_lines(ax: Axes, text: str, left: float, top: float, size: float, weight: str = "normal",
               colour: str = INK) -> None:
    """Draw already wrapped text with its top left at (``left``, ``top``) (y up, inches)."""
    ax.text(left, top, text, fontsize=size, fontweight=weight, ha="left", va="top", color=colour,
            linespacing=1.2)


def inch_figure(width: float, height: float, title: str) -> tuple[Figure, Axes, float]:
    """A figure on the Agg canvas (no ``pyplot``) with one axes over it all in inches (y up), and its title.

    The title (already wrapped) is the figure's first text, at the top left.
    Returns the figure, the axes, and the y just below the title.
    """
    fig = Figure(figsize=(width, height))
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(0, height)
    ax.set_axis_off()
    top = height - FIGURE_MARGIN
    fig.text(FIGURE_MARGIN / width, top / height, title, fontsize=SIZES["title"], fontweight="bold", ha="left",
             va="top", color=NHS["dark_blue"], linespacing=1.2)
    return fig, ax, top - text_size(title, SIZES["title"], "bold")[1]
