"""Commands on pathway hand-offs and diagrams: ``handoffs list|summary|routes|hotspots``, ``plot pathway``.

``handoffs list``, ``summary`` and ``hotspots`` also run on a model loaded
into Neo4j (``--backend neo4j``), with the same rows.

Examples
--------
>>> from caregraph.cli import main
>>> main(["handoffs", "summary", "tests/fixtures/small_model", "--by", "sector", "--format", "csv"])
... # doctest: +ELLIPSIS
pathway,by,entrants,per_patient,transitions,handoff_transitions,handoffs_per_year,handoffs_per_patient
chest-pain,sector,1000.0,False,4,2,18.98...
0
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from loaders import load_model
from pathways.diagrams import DIAGRAM_SUFFIXES, draw_pathway
from pathways.handoffs import BY_OPTIONS, find_handoffs, handoff_hotspots, handoff_summary, top_routes

from .commands import add_as_at, add_backend, add_command, add_group, open_model, positive_int

__all__ = ["register"]

_MODEL = "examples/cardiology"


def _list(args: argparse.Namespace) -> pd.DataFrame:
    with open_model(args) as model:
        return find_handoffs(model, args.pathway, by=args.by, as_at=args.as_at)


def _summary(args: argparse.Namespace) -> pd.DataFrame:
    with open_model(args) as model:
        return handoff_summary(model, args.pathway, by=args.by, as_at=args.as_at)


def _routes(args: argparse.Namespace) -> pd.DataFrame:
    return top_routes(load_model(args.path), args.pathway, k=args.k, by=args.by, max_visits=args.max_visits,
                      as_at=args.as_at)


def _hotspots(args: argparse.Namespace) -> pd.DataFrame:
    with open_model(args) as model:
        return handoff_hotspots(model, args.pathway, by=args.by, as_at=args.as_at)


def _plot_pathway(args: argparse.Namespace) -> pd.DataFrame:
    draw_pathway(load_model(args.path), args.pathway, by=args.by, as_at=args.as_at, path=args.out)
    return pd.DataFrame([{"written": args.out, "pathway": args.pathway, "by": args.by}])


def _diagram_path(text: str) -> str:
    if Path(text).suffix.lower() not in DIAGRAM_SUFFIXES:
        raise argparse.ArgumentTypeError(f"'{text}': the file name must end in {' or '.join(DIAGRAM_SUFFIXES)}")
    return text


def _common(parser: argparse.ArgumentParser, pathway_required: bool = False, backend: bool = False) -> None:
    parser.add_argument("path", help="model folder" + (" (with --backend neo4j: names the model)" if backend else ""))
    parser.add_argument("--pathway", metavar="ID", required=pathway_required,
                        help="the pathway" if pathway_required else "only this pathway (default: all)")
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
    _common(routes, pathway_required=True)
    routes.add_argument("-k", type=positive_int, default=10, metavar="N", help="how many routes (default: 10)")
    routes.add_argument("--max-visits", type=positive_int, metavar="N",
                        help="only routes visiting no step more than N times (default: no limit)")
    _common(add_command(handoffs, "hotspots", "providers, sites, ... ranked by patients handed in and out",
                        examples["hotspots"], _hotspots), backend=True)

    example = f"caregraph plot pathway {_MODEL} --pathway chest-pain-to-pci chest-pain.png"
    plot = add_group(commands, "plot", "diagrams for board papers (PNG or SVG)", [example])
    pathway = add_command(plot, "pathway", "draw a pathway: steps by depth, patients a year, hand-offs in red",
                          example, _plot_pathway)
    _common(pathway, pathway_required=True)
    pathway.add_argument("out", type=_diagram_path, help="output file ending in .png or .svg")
