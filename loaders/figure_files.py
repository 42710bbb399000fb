"""Writing figures (pathway diagrams, network maps, charts) as PNG, SVG or PDF.

A figure is written whole or not at all (``loaders.output_files``); several
figures can go into one multi-page PDF, one figure a page; the pages of one
diagram (``cg.plot_pathway_pages``) go into one PDF or a PNG or SVG file a
page.

Examples
--------
>>> import caregraph as cg
>>> import tempfile, pathlib
>>> from matplotlib.figure import Figure
>>> fig = Figure(figsize=(2, 1))
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> cg.save_figure(fig, folder / "a.svg")
>>> cg.save_figures_pdf([fig, fig], folder / "both.pdf")
>>> [p.name for p in cg.save_pages([fig, fig], folder / "pages.png")]
['pages-p1.png', 'pages-p2.png']
>>> sorted(p.name for p in folder.iterdir())
['a.svg', 'both.pdf', 'pages-p1.png', 'pages-p2.png']
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from networks.errors import ArgumentError

from .choices import DIAGRAM_SUFFIXES
from .output_files import output_file

__all__ = ["FIGURE_DPI", "page_files", "save_figure", "save_figures_pdf", "save_pages"]

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


def page_files(path: str | Path, pages: int) -> list[Path]:
    """The files ``save_pages`` writes ``pages`` pages to: ``path`` itself for a PDF or a single page, else
    ``name-p1.png``, ``name-p2.png``... beside it.

    Examples
    --------
    >>> [str(p) for p in page_files("out/chest-pain.svg", 2)], [str(p) for p in page_files("out/all.pdf", 2)]
    (['out/chest-pain-p1.svg', 'out/chest-pain-p2.svg'], ['out/all.pdf'])
    """
    path = Path(path)
    if pages == 1 or path.suffix.lower() == ".pdf":
        return [path]
    return [path.with_name(f"{path.stem}-p{n}{path.suffix}") for n in range(1, pages + 1)]


def save_pages(figures: Sequence[Figure], path: str | Path) -> list[Path]:
    """Write the pages of one diagram (``cg.plot_pathway_pages``); return the files written.

    A ``.pdf`` takes every page, in order. A ``.png`` or ``.svg`` is written
    a file a page, ``name-p1.png``, ``name-p2.png``... beside ``path``; a
    single page goes to ``path`` itself.

    Raises
    ------
    networks.errors.ArgumentError
        Another suffix, or no pages.
    networks.errors.OutputError
        A file cannot be written.
    """
    if not figures:
        raise ArgumentError(f"'{path}': no pages to write")
    files = page_files(path, len(figures))
    if Path(path).suffix.lower() == ".pdf" and len(figures) > 1:
        save_figures_pdf(figures, path)
        return files
    if Path(path).suffix.lower() not in DIAGRAM_SUFFIXES:
        raise ArgumentError(f"'{path}': a figure file name must end in {', '.join(DIAGRAM_SUFFIXES)}")
    for figure, file in zip(figures, files, strict=True):
        save_figure(figure, file)
    return files
