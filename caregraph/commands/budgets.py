"""Commands on budgets and commissioning: crossings, pools what-if, pools suggest, appraise, compare-dates.

``crossings`` also runs on a model loaded into Neo4j (``--backend neo4j``),
with the same rows.

Examples
--------
>>> from caregraph.cli import main
>>> main(["crossings", "tests/fixtures/small_model", "--summary", "--as-at", "2024-06-01", "--format", "csv"])
... # doctest: +ELLIPSIS
pathway,pathway_name,entrants,per_patient,transitions,crossings,patients_crossing,money_crossing_gbp,...
chest-pain,Chest pain to PCI (hand-made test pathway),1000.0,False,4,3,381.71...
0
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

import caregraph as cg
from pathways.choices import POOL_METHODS

from .common import add_as_at, add_backend, add_by, add_command, add_group, for_people, open_model, positive_int

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["register"]


def _crossings(args: argparse.Namespace) -> pd.DataFrame:
    empty = "no transition crosses a budget boundary on any pathway in force"
    with open_model(args) as model:
        if args.summary:
            return for_people(cg.crossing_summary(model, args.pathway, as_at=args.as_at), model, names=["pathway"],
                              total=True, empty="the model has no pathway in force")
        return for_people(cg.find_budget_crossings(model, args.pathway, as_at=args.as_at), model,
                          names=["from_step", "to_step", "from_budget", "to_budget", "from_holder", "to_holder"],
                          total=True, empty=empty)


def _what_if(args: argparse.Namespace) -> pd.DataFrame:
    return cg.pool_what_if(cg.load_model(args.path), args.budgets, legal_basis=args.legal_basis, as_at=args.as_at)


def _suggest(args: argparse.Namespace) -> pd.DataFrame:
    return for_people(cg.suggest_pools(cg.load_model(args.path), args.k, as_at=args.as_at, method=args.method),
                      total=True, empty="no legal pool would remove a crossing")


def _appraise(args: argparse.Namespace) -> pd.DataFrame:
    scenarios = cg.read_scenarios(args.scenarios)
    return cg.appraise(cg.load_model(args.path), scenarios, as_at=args.as_at, by=args.by)


def _compare_dates(args: argparse.Namespace) -> pd.DataFrame:
    model = cg.load_model(args.path)
    return for_people(cg.compare_dates(model, args.dates, by=args.by, pathway=args.pathway), model,
                      names=["pathway"], total=False)


def _budget_list(text: str) -> list[str]:
    budgets = [item.strip() for item in text.split(",") if item.strip()]
    if len(budgets) < 2:
        raise argparse.ArgumentTypeError(f"'{text}': give two or more budget ids separated by commas")
    return budgets


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", help="model folder")
    add_as_at(parser)


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``crossings``, ``pools what-if|suggest``, ``appraise`` and ``compare-dates`` to the command line."""
    crossings = add_command(commands, "crossings", "list pathway transitions that cross a budget boundary",
                            "caregraph crossings examples/cardiology --as-at 2026-05-01", _crossings)
    _common(crossings)
    crossings.add_argument("--pathway", metavar="ID", help="only this pathway")
    crossings.add_argument("--summary", action="store_true", help="one row per pathway instead of per crossing")
    add_backend(crossings)

    pools = add_group(commands, "pools", "what pooling budgets would change", [
        "caregraph pools what-if examples/cardiology --budgets bud-nhse-specialised,bud-qhm-core",
        "caregraph pools suggest examples/cardiology -k 2",
    ])
    what_if = add_command(pools, "what-if", "crossings, patients and money a new pool of budgets would remove",
                          "caregraph pools what-if examples/cardiology --budgets bud-nhse-specialised,bud-qhm-core",
                          _what_if)
    _common(what_if)
    what_if.add_argument("--budgets", type=_budget_list, required=True, metavar="A,B[,...]",
                         help="the budgets to pool, separated by commas")
    what_if.add_argument("--legal-basis", metavar="BASIS", help="pool under this basis (default: the first allowed)")
    suggest = add_command(pools, "suggest", "the k legal, disjoint pools that remove the most crossing patients",
                          "caregraph pools suggest examples/cardiology -k 2 --method exhaustive", _suggest)
    _common(suggest)
    suggest.add_argument("-k", type=positive_int, required=True, metavar="N", help="how many pools at most")
    suggest.add_argument("--method", choices=POOL_METHODS, default="greedy", help="search method (default: greedy)")

    appraise_parser = add_command(
        commands, "appraise", "compare commissioning scenarios: hand-offs and budget crossings against the model",
        "caregraph appraise examples/cornwall-options examples/cornwall-options/scenarios.yaml --as-at 2018-04-01",
        _appraise)
    _common(appraise_parser)
    appraise_parser.add_argument("scenarios", help="scenario file (YAML)")
    add_by(appraise_parser)

    compare = add_command(
        commands, "compare-dates", "before and after: each pathway's hand-offs, crossings and money as at each date",
        "caregraph compare-dates examples/devon-integrated-commissioning 2019-03-31 2019-04-01 2022-07-01",
        _compare_dates)
    compare.add_argument("path", help="model folder")
    compare.add_argument("dates", nargs="+", metavar="DATE", help="two or more days (YYYY-MM-DD), the first the one "
                         "changes are counted from")
    compare.add_argument("--pathway", metavar="ID", help="only this pathway")
    add_by(compare, default="commissioner")
