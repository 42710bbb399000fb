"""Measuring and wrapping text before it is drawn, with matplotlib's own renderer.

Layouts are computed in inches from the measured size of every label, so
boxes, lanes and gaps are made to fit their text rather than the text being
squeezed into them.

Examples
--------
>>> lines = wrap("Invasive coronary angiography at the Freeman Hospital", 1.2, 7.5)
>>> lines
['Invasive coronary', 'angiography at the', 'Freeman Hospital']
>>> w, h = text_size("\\n".join(lines), 7.5)
>>> w <= 1.2, round(h, 2)
(True, 0.38)
"""

from __future__ import annotations

import functools

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

__all__ = ["LINE_SPACING", "line_width", "text_size", "wrap"]

LINE_SPACING = 1.2
"""Line spacing of every multi-line label (matplotlib's default)."""

_DPIS = (100.0, 200.0, 720.0)
"""Text is measured as drawn on screen (100 dpi), in a PNG file (200 dpi) and nearly unhinted (720 dpi, as in SVG
and PDF): letters fitted to whole pixels make a line up to 5% wider or narrower, so the widest is kept."""
_RENDERERS = [(figure, FigureCanvasAgg(figure).get_renderer()) for figure in (Figure(dpi=dpi) for dpi in _DPIS)]


@functools.lru_cache(maxsize=2_000)
def _measured(text: str, size: float, weight: str) -> tuple[float, float]:
    """The size matplotlib's renderer gives ``text``, in inches: the largest at any of ``_DPIS``."""
    sizes = []
    for figure, renderer in _RENDERERS:
        artist = Text(0, 0, text, fontsize=size, fontweight=weight, linespacing=LINE_SPACING)
        artist.set_figure(figure)
        box = artist.get_window_extent(renderer)
        sizes.append((float(box.width) / figure.dpi, float(box.height) / figure.dpi))
    return max(w for w, _ in sizes), max(h for _, h in sizes)


def text_size(text: str, size: float, weight: str = "normal") -> tuple[float, float]:
    """Width and height in inches of ``text`` (lines split at ``\\n``) at ``size`` points.

    The width is the widest line's (its words measured once each); the
    height is that of as many lines of the tallest letters and signs used
    in labels, so it is never less than the text's own.
    """
    if not text:
        return 0.0, 0.0
    lines = text.split("\n")
    return max(line_width(line, size, weight) for line in lines), _measured(
        "\n".join([_TALL] * len(lines)), size, weight)[1]


_TALL = "Élp(£)|"


@functools.lru_cache(maxsize=50_000)
def _word_width(word: str, size: float, weight: str) -> float:
    return _measured(word, size, weight)[0]


def line_width(line: str, size: float, weight: str = "normal") -> float:
    """Width in inches of one line of text: its words measured once each, and the spaces between them."""
    words = line.split(" ")
    return sum(_word_width(w, size, weight) for w in words if w) + (len(words) - 1) * _word_width(
        "a a", size, weight) - (len(words) - 1) * 2 * _word_width("a", size, weight)


def _pack(parts: list[str], width: float, size: float, weight: str) -> list[str]:
    """Join consecutive parts into pieces no wider than ``width`` (a part wider alone stays alone)."""
    pieces = [parts[0]]
    for part in parts[1:]:
        if line_width(pieces[-1] + part, size, weight) > width:
            pieces.append(part)
        else:
            pieces[-1] += part
    return pieces


def _split_word(word: str, width: float, size: float, weight: str) -> list[str]:
    """Cut a word wider than ``width`` into pieces that fit: after its hyphens, and where need be anywhere."""
    if line_width(word, size, weight) <= width:
        return [word]
    syllables = [part + "-" for part in word.split("-")]
    syllables[-1] = syllables[-1][:-1]
    pieces = _pack([s for s in syllables if s], width, size, weight)
    return [cut for piece in pieces
            for cut in ([piece] if line_width(piece, size, weight) <= width else _pack(list(piece), width, size,
                                                                                       weight))]


def wrap(text: str, width: float, size: float, weight: str = "normal", max_lines: int | None = None) -> list[str]:
    """Break ``text`` into lines no wider than ``width`` inches, greedily by words.

    A word wider than the line is cut (after a hyphen where it has one).
    With ``max_lines``, text beyond the last line is dropped and the last
    line ends in an ellipsis.
    """
    return list(_wrap(text, width, size, weight, max_lines))


@functools.lru_cache(maxsize=20_000)
def _wrap(text: str, width: float, size: float, weight: str, max_lines: int | None) -> tuple[str, ...]:
    words = [piece for word in text.split() for piece in _split_word(word, width, size, weight)]
    lines: list[str] = []
    for word in words:
        if lines and line_width(f"{lines[-1]} {word}", size, weight) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    if max_lines is not None and len(lines) > max_lines:
        last = lines[max_lines - 1]
        while last and line_width(last + "…", size, weight) > width:
            last = last[:-1].rstrip()
        lines = [*lines[: max_lines - 1], last + "…"]
    return tuple(lines)
