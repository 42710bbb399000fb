"""Writing figures (pathway diagrams, network maps, charts) as PNG, SVG or PDF.

A figure is written whole or not at all (``loaders.output_files``); several
figures can go into one multi-page PDF, one figure a page.

Examples
--------
>>> import caregraph as cg
>>> import tempfile, pathlib
>>> from matplotlib.figure import Figure
>>> fig = Figure(figsize=(2, 1))
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> cg.save_figure(fig, folder / "a.svg")
>>> cg.save_figures_pdf([fig, fig], folder / "both.pdf")
>>> sorted(p.name for p in folder.iterdir())
['a.svg', 'both.pdf']
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from networks.errors import ArgumentError

from .choices import DIAGRAM_SUFFIXES
from .output_files import output_file

__all__ = ["FIGURE_DPI", "save_figure", "save_figures_pdf"]

FIGURE_DPI = 200
"""Resolution of PNG files: sharp when printed on A4."""

def save_figure(fig: Figure, path: str | Path) -> None:
    """Write one figure; the suffix of ``path`` (``.png``, ``.svg`` or ``.pdf``) chooses the format.

    Raises
    ------
    networks.errors.ArgumentError
        Another suffix.
    networks.errors.OutputError
        The file cannot be written.
    """
    suffix = Path(path).suffix.lower()
    if suffix not in DIAGRAM_SUFFIXES:
        raise ArgumentError(f"'{path}': a figure file name must end in {', '.join(DIAGRAM_SUFFIXES)}")
    with output_file(path) as temp:
        fig.savefig(temp, format=suffix[1:], dpi=FIGURE_DPI, bbox_inches="tight", facecolor="white")


def save_figures_pdf(figures: Iterable[Figure], path: str | Path) -> None:
    """Write figures into one PDF, one a page.

    Raises
    ------
    networks.errors.ArgumentError
        ``path`` does not end in ``.pdf``.
    networks.errors.OutputError
        The file cannot be written.
    """
    if Path(path).suffix.lower() != ".pdf":
        raise ArgumentError(f"'{path}': several figures go into one file only as .pdf")
    with output_file(path) as temp, PdfPages(temp) as pdf:
        for fig in figures:
            pdf.savefig(fig, bbox_inches="tight", facecolor="white")
