"""Commands on pathway hand-offs and diagrams: ``handoffs list|summary|routes|hotspots``, ``plot pathway``.

``handoffs list``, ``summary`` and ``hotspots`` also run on a model loaded
into Neo4j (``--backend neo4j``), with the same rows.

Examples
--------
>>> from caregraph.cli import main
>>> main(["handoffs", "summary", "tests/fixtures/small_model", "--by", "sector", "--as-at", "2024-06-01",
...       "--format", "csv"])  # doctest: +ELLIPSIS
pathway,pathway_name,by,entrants,per_patient,transitions,handoff_transitions,handoffs_per_year,...
chest-pain,Chest pain to PCI (hand-made test pathway),sector,1000.0,False,4,2,18.98...
0
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

import caregraph as cg
from pathways.choices import BY_OPTIONS, DIAGRAM_SUFFIXES

from .common import add_as_at, add_backend, add_command, add_group, for_people, open_model, positive_int, say

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["register"]

_MODEL = "examples/cardiology"


def _list(args: argparse.Namespace) -> pd.DataFrame:
    with open_model(args) as model:
        return for_people(cg.find_handoffs(model, args.pathway, by=args.by, as_at=args.as_at), model,
                          names=["from_step", "to_step", "from_value", "to_value"], total=True,
                          empty=f"no transition changes {args.by} on any pathway in force")


def _summary(args: argparse.Namespace) -> pd.DataFrame:
    with open_model(args) as model:
        return for_people(cg.handoff_summary(model, args.pathway, by=args.by, as_at=args.as_at), model,
                          names=["pathway"], total=True, empty="the model has no pathway in force")


def _routes(args: argparse.Namespace) -> pd.DataFrame:
    graph = cg.load_model(args.path)
    return for_people(cg.top_routes(graph, args.pathway, k=args.k, by=args.by, max_visits=args.max_visits,
                                    as_at=args.as_at), graph, names=["pathway"],
                      empty="the model has no pathway in force")


def _hotspots(args: argparse.Namespace) -> pd.DataFrame:
    with open_model(args) as model:
        return for_people(cg.handoff_hotspots(model, args.pathway, by=args.by, as_at=args.as_at), model,
                          names=["value"], empty=f"no transition changes {args.by} on any pathway in force")


def _plot_pathway(args: argparse.Namespace) -> None:
    graph = cg.load_model(args.path)
    out = Path(args.out)
    pathways = [args.pathway] if args.pathway else [n for n in graph.nodes_of("Pathway")]
    if not pathways:
        raise cg.ArgumentError(f"the model {args.path} has no pathway to draw")
    figures = {p: cg.draw_pathway(graph, p, by=args.by, as_at=args.as_at) for p in pathways}
    suffix = out.suffix.lower()
    if suffix in DIAGRAM_SUFFIXES and len(figures) == 1:
        cg.save_figure(next(iter(figures.values())), out)
        written = [str(out)]
    elif suffix == ".pdf":
        cg.save_figures_pdf(figures.values(), out)
        written = [f"{out} ({len(figures)} pages)"]
    elif suffix in DIAGRAM_SUFFIXES:
        raise cg.ArgumentError(f"'{out}': {len(figures)} pathways make {len(figures)} diagrams; give a folder "
                               "(one file a pathway) or a .pdf (one page a pathway), or choose one with --pathway")
    else:
        out.mkdir(parents=True, exist_ok=True)
        written = []
        for pathway, figure in figures.items():
            target = out / f"{pathway}.{args.image_format}"
            cg.save_figure(figure, target)
            written.append(str(target))
    say("wrote " + ", ".join(written))


def _common(parser: argparse.ArgumentParser, pathway_help: str = "only this pathway (default: every pathway)",
            backend: bool = False) -> None:
    parser.add_argument("path", help="model folder" + (" (with --backend neo4j: names the model)" if backend else ""))
    parser.add_argument("--pathway", metavar="ID", help=pathway_help)
    parser.add_argument("--by", choices=BY_OPTIONS, default="provider",
                        help="what a hand-off is: a change of provider (default), site (a step without a site "
                             "counts as at its provider), setting, sector (health or social care; public health "
                             "counts as health) or commissioner (holder of the paying budget)")
    add_as_at(parser)
    if backend:
        add_backend(parser)


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``handoffs`` (``list``, ``summary``, ``routes``, ``hotspots``) and ``plot pathway``."""
    examples = {
        "list": f"caregraph handoffs list {_MODEL} --pathway chest-pain-to-pci --by commissioner",
        "summary": f"caregraph handoffs summary {_MODEL} --by setting",
        "routes": f"caregraph handoffs routes {_MODEL} --pathway heart-failure -k 5",
        "hotspots": f"caregraph handoffs hotspots {_MODEL} --by site --format csv",
    }
    handoffs = add_group(commands, "handoffs", "hand-offs: pathway transitions where responsibility changes",
                         list(examples.values()))
    _common(add_command(handoffs, "list", "every transition where responsibility changes, with patients a year",
                        examples["list"], _list), backend=True)
    _common(add_command(handoffs, "summary", "per pathway: entrants, transitions and hand-offs per patient",
                        examples["summary"], _summary), backend=True)
    routes = add_command(handoffs, "routes", "the most frequent routes from entry to exit, with their hand-offs",
                         examples["routes"], _routes)
    _common(routes)
    routes.add_argument("-k", type=positive_int, default=10, metavar="N",
                        help="how many routes a pathway (default: 10)")
    routes.add_argument("--max-visits", type=positive_int, metavar="N",
                        help="only routes visiting no step more than N times (default: no limit)")
    _common(add_command(handoffs, "hotspots", "providers, sites, ... ranked by patients handed in and out",
                        examples["hotspots"], _hotspots), backend=True)

    example = f"caregraph plot pathway {_MODEL} chest-pain.png --pathway chest-pain-to-pci"
    plot = add_group(commands, "plot", "diagrams for board papers (PNG, SVG or PDF)",
                     [example, f"caregraph plot pathway {_MODEL} diagrams.pdf"])
    pathway = add_command(plot, "pathway", "draw pathways: steps by depth, patients a year, hand-offs in red",
                          example, _plot_pathway, table=False)
    _common(pathway, "the pathway to draw (default: every pathway, one file or page each)")
    pathway.add_argument("out", help="a .png, .svg or .pdf file (a .pdf takes every pathway, a page each), or a "
                                     "folder to write one file a pathway into")
    pathway.add_argument("--image-format", choices=[s.lstrip(".") for s in DIAGRAM_SUFFIXES], default="png",
                         help="file type when OUT is a folder (default: png)")
