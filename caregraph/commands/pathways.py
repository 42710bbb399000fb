"""Commands on pathway hand-offs: ``handoffs list|summary|routes|hotspots``.

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
from typing import TYPE_CHECKING

import caregraph as cg

from .common import (
    add_as_at,
    add_backend,
    add_by,
    add_command,
    add_group,
    for_people,
    open_model,
    positive_int,
)

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


def _common(parser: argparse.ArgumentParser, pathway_help: str = "only this pathway (default: every pathway)",
            backend: bool = False) -> None:
    parser.add_argument("path", help="model folder" + (" (with --backend neo4j: names the model)" if backend else ""))
    parser.add_argument("--pathway", metavar="ID", help=pathway_help)
    add_by(parser)
    add_as_at(parser)
    if backend:
        add_backend(parser)


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``handoffs`` (``list``, ``summary``, ``routes``, ``hotspots``)."""
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
