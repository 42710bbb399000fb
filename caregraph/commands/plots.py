"""Figures for board papers: ``caregraph plot pathway|codependencies|options``.

Each command draws with the library (``cg.plot_pathway_pages``,
``cg.plot_codependencies``, ``cg.plot_options``) and writes PNG, SVG or PDF
with ``cg.save_figure`` (``cg.save_pages`` for a pathway too long for one A4
page at 7 pt: a PDF of its pages, or ``NAME-p1.png``, ``NAME-p2.png``...):
whole files or nothing, and nothing at all when an input is wrong (every
figure is drawn before any file is written). The command says which files
it wrote.

Examples
--------
>>> import tempfile, pathlib
>>> from caregraph.cli import main
>>> with tempfile.TemporaryDirectory() as folder:
...     out = pathlib.Path(folder) / "chest-pain.svg"
...     main(["plot", "pathway", "tests/fixtures/small_model", str(out), "--lanes", "budget",
...           "--as-at", "2024-06-01"])
...     out.read_text()[:5]
0
'<?xml'
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

import caregraph as cg
from caregraph.figures.choices import LANE_OPTIONS
from loaders.choices import DIAGRAM_SUFFIXES

from .common import add_as_at, add_by, add_command, add_group, fraction, positive_int, say

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["register"]

_MODEL = "examples/cardiology"
_DELEGATION = "examples/delegation-south-london"
_OPTIONS = "examples/cornwall-options"


def _figure_file(out: str) -> Path:
    path = Path(out)
    if path.suffix.lower() not in DIAGRAM_SUFFIXES:
        raise cg.ArgumentError(f"'{out}': a figure file name must end in {', '.join(DIAGRAM_SUFFIXES)}")
    return path


def _write(diagrams: dict[str, list[Figure]], out: Path, image_format: str) -> list[str]:
    """Write each pathway's pages: one pathway to a file (or a file a page), several into one PDF or into a folder;
    say what was written."""
    suffix = out.suffix.lower()
    if suffix and suffix not in DIAGRAM_SUFFIXES:
        raise cg.ArgumentError(f"'{out}': give a .png, .svg or .pdf file, or a folder")
    pages = [page for figures in diagrams.values() for page in figures]
    if suffix == ".pdf" and len(pages) > 1:
        cg.save_figures_pdf(pages, out)
        return [f"{out} ({len(pages)} pages)"]
    if suffix and len(diagrams) == 1:
        return [str(file) for file in cg.save_pages(pages, out)]
    if suffix:
        raise cg.ArgumentError(f"'{out}': {len(diagrams)} pathways make {len(diagrams)} diagrams; give a folder "
                               "(a file a pathway) or a .pdf (every pathway, a page or more each), or choose one with "
                               "--pathway")
    out.mkdir(parents=True, exist_ok=True)
    return [str(file) for name, figures in diagrams.items()
            for file in cg.save_pages(figures, out / f"{name}.{image_format}")]


def _plot_pathway(args: argparse.Namespace) -> None:
    graph = cg.load_model(args.path)
    out = Path(args.out)
    pathways = [args.pathway] if args.pathway else list(graph.nodes_of("Pathway"))
    if not pathways:
        raise cg.ArgumentError(f"the model {args.path} has no pathway to draw")
    lanes = None if args.lanes == "none" else args.lanes
    diagrams = {p: cg.plot_pathway_pages(graph, p, lanes, by=args.by, as_at=args.as_at) for p in pathways}
    say("wrote " + ", ".join(_write(diagrams, out, args.image_format)))


def _plot_codependencies(args: argparse.Namespace) -> None:
    out = _figure_file(args.out)
    flows = None if args.flows is None else cg.read_flows(args.flows)
    figure = cg.plot_codependencies(cg.load_model(args.path), cg.read_plan(args.plan), flows=flows,
                                    as_at=args.as_at, min_providers=args.min_providers,
                                    containment_threshold=args.containment_threshold)
    cg.save_figure(figure, out)
    say(f"wrote {out}")


def _plot_options(args: argparse.Namespace) -> None:
    out = _figure_file(args.out)
    table = cg.appraise(cg.load_model(args.path), cg.read_scenarios(args.scenarios), as_at=args.as_at, by=args.by)
    cg.save_figure(cg.plot_options(table, as_at=args.as_at), out)
    say(f"wrote {out}")


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``plot`` with its ``pathway``, ``codependencies`` and ``options`` sub-commands."""
    examples = {
        "pathway": f"caregraph plot pathway {_MODEL} chest-pain.png --pathway chest-pain-to-pci --lanes budget",
        "codependencies": f"caregraph plot codependencies {_DELEGATION} codependencies.png "
                          f"--plan {_DELEGATION}/plan.csv --flows {_DELEGATION}/flows.csv",
        "options": f"caregraph plot options {_OPTIONS} {_OPTIONS}/scenarios.yaml options.png --as-at 2018-06-01",
    }
    plot = add_group(commands, "plot", "figures for board papers (PNG, SVG or PDF)",
                     [*examples.values(), f"caregraph plot pathway {_MODEL} diagrams.pdf"])

    pathway = add_command(plot, "pathway", "draw pathways: swimlanes, patients a year, hand-offs and budget crossings",
                          examples["pathway"], _plot_pathway, table=False)
    pathway.add_argument("path", help="model folder")
    pathway.add_argument("out", help="a .png, .svg or .pdf file (a .pdf takes every pathway), or a folder to write "
                                     "a file a pathway into. A pathway too long for one A4 landscape page at 7 pt is "
                                     "cut into pages in flow order: a .pdf takes them all, a .png or .svg is written "
                                     "a file a page (NAME-p1.png, NAME-p2.png, ...)")
    pathway.add_argument("--pathway", metavar="ID", help="the pathway to draw (default: every pathway)")
    pathway.add_argument("--lanes", choices=[*LANE_OPTIONS, "none"], default="organisation",
                         help="one swimlane per providing organisation (default), paying budget (pooled budgets "
                              "framed together) or care setting; none for no lanes")
    add_by(pathway)
    add_as_at(pathway, "draw the model as in force on DATE (YYYY-MM-DD; default: today; 'all': every date)")
    pathway.add_argument("--image-format", choices=[s.lstrip(".") for s in DIAGRAM_SUFFIXES], default="png",
                         help="file type when OUT is a folder (default: png)")

    codependencies = add_command(plot, "codependencies",
                                 "map co-dependent services, the plan's status and tier, bundles and findings",
                                 examples["codependencies"], _plot_codependencies, table=False)
    codependencies.add_argument("path", help="model folder")
    codependencies.add_argument("out", help="a .png, .svg or .pdf file")
    codependencies.add_argument("--plan", required=True, metavar="PLAN.csv",
                                help="plan: service_id, commissioner_id, status, tier[, valid_from]")
    codependencies.add_argument("--flows", metavar="FLOWS.csv",
                                help="resident flows: service_id, commissioner_id, provider_id, activity")
    codependencies.add_argument("--min-providers", type=positive_int, default=2, metavar="N",
                                help="report ICS-tier ICBs with fewer providers than N (default: 2)")
    codependencies.add_argument("--containment-threshold", type=fraction, default=0.5, metavar="X",
                                help="report ICS-tier ICBs keeping less than X of residents' activity (default: 0.5)")
    add_as_at(codependencies, "the model and plan as in force on DATE (YYYY-MM-DD; default: today; 'all': every "
                              "date)")

    options = add_command(plot, "options", "chart an options appraisal: crossings, money crossing, hand-offs",
                          examples["options"], _plot_options, table=False)
    options.add_argument("path", help="model folder")
    options.add_argument("scenarios", metavar="SCENARIOS.yaml", help="the options, as scenarios")
    options.add_argument("out", help="a .png, .svg or .pdf file")
    add_by(options)
    add_as_at(options, "apply the options to the model as in force on DATE (YYYY-MM-DD); default: the model as "
                       "given, every pool counting whatever its dates")
