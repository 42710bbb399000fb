"""Commands on delegation of specialised services: ``caregraph delegation check|bundles|assess``.

``check`` exits with status 3 when there are findings at or above
``--fail-on`` (default ``error``), 0 otherwise, and 2 for invalid input
(1 is kept for a bug in caregraph).
All three also run on a model loaded into Neo4j (``--backend neo4j``): the
frames they analyse are read with Cypher, and the findings are the same.

Examples
--------
>>> from caregraph.cli import main
>>> main(["delegation", "bundles", "examples/delegation-south-london", "--as-at", "2025-06-01",
...       "--format", "csv"])  # doctest: +ELLIPSIS
bundle,services,n_services,n_links,n_providers,split,split_areas
bundle-1,svc-acute-medicine;svc-adult-critical-care;...,11,13,7,False,
bundle-2,svc-emergency-department;svc-emergency-surgery;svc-trauma-unit,3,2,7,False,
bundle-3,svc-fetal-medicine;svc-nicu;svc-specialist-obstetrics,3,2,3,False,
0
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

import caregraph as cg
from networks.choices import SEVERITIES

from .common import (
    add_as_at,
    add_backend,
    add_command,
    add_group,
    for_people,
    fraction,
    open_model,
    positive_int,
    say,
)

if TYPE_CHECKING:
    import pandas as pd

    from networks.delegation.tables import DelegationFrames

__all__ = ["EXIT_FINDINGS", "register"]

EXIT_FINDINGS = 3
"""Exit status of ``delegation check`` when findings reach ``--fail-on`` (1 means a bug, 2 bad input)."""


def _frames(args: argparse.Namespace) -> DelegationFrames:
    with open_model(args) as model:
        return cg.delegation_frames(model, args.as_at)


def _flows(args: argparse.Namespace, frames: DelegationFrames) -> pd.DataFrame | None:
    """The flows file, its unknown providers an error or, with --skip-unknown, left out and said."""
    if args.flows is None:
        return None
    flows = cg.read_flows(args.flows, frames.organisations(), unknown="skip" if args.skip_unknown else "error")
    for line in cg.describe_skipped(flows.attrs["skipped"], flows.attrs["source"], cg.UNKNOWN_PROVIDER):
        say(line)
    return flows


def _check(args: argparse.Namespace) -> tuple[pd.DataFrame, int]:
    plan = None if args.plan is None else cg.read_plan(args.plan)
    frames = _frames(args)
    checker = cg.DelegationChecker(frames, as_at=args.as_at, flows=_flows(args, frames),
                                   min_providers=args.min_providers,
                                   containment_threshold=args.containment_threshold)
    found = for_people(checker.check(plan), empty="no finding: the plan passes every check")
    return found, EXIT_FINDINGS if not cg.findings_at_or_above(found, args.fail_on).empty else 0


def _bundles(args: argparse.Namespace) -> pd.DataFrame:
    plan = None if args.plan is None else cg.read_plan(args.plan)
    spend = None if args.spend is None else cg.read_spend(args.spend)
    bundles = cg.delegation_bundles(_frames(args), plan, as_at=args.as_at, spend=spend)
    if spend is None:  # unknown is not zero: without spend, say nothing of it
        bundles = bundles.drop(columns=["spend_gbp", "spend_known"])
    return for_people(bundles, empty="no co-located or in-reach co-dependency binds services together")


def _assess(args: argparse.Namespace) -> pd.DataFrame:
    criteria = cg.read_criteria(args.criteria)
    frames = _frames(args)
    return cg.assess_services(frames, criteria, flows=_flows(args, frames), published=cg.published_decisions())


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", help="model folder (with --backend neo4j: names the model)")
    add_as_at(parser, "the model and plan as in force on DATE (YYYY-MM-DD); default: today; 'all': every date")
    add_backend(parser)


def _unknown_providers(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--skip-unknown", action="store_true",
                        help="skip flow rows naming a provider that is neither in the model nor an NHS provider "
                             "code (listed on standard error) instead of stopping")


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``delegation`` with its ``check``, ``bundles`` and ``assess`` sub-commands."""
    folder = "examples/delegation-south-london"
    sub = add_group(commands, "delegation",
                    "check delegation plans for specialised services, list bundles, assess services", [
                        f"caregraph delegation check {folder} --plan {folder}/plan.csv",
                        f"caregraph delegation bundles {folder}",
                        f"caregraph delegation assess {folder} --criteria {folder}/criteria.yaml",
                    ])

    check = add_command(sub, "check", "check a delegation plan against co-dependencies, providers and networks",
                        f"caregraph delegation check {folder} --plan {folder}/plan.csv --flows {folder}/flows.csv",
                        _check)
    _common(check)
    check.add_argument("--plan", metavar="PLAN.csv",
                       help="plan: service_id, commissioner_id, status, tier[, valid_from] "
                            "(default: the model's commissioning.csv)")
    check.add_argument("--flows", metavar="FLOWS.csv",
                       help="resident flows: service_id, commissioner_id, provider_id, activity")
    _unknown_providers(check)
    check.add_argument("--fail-on", choices=SEVERITIES[:2], default="error",
                       help="exit with status 3 when findings at or above this severity exist (default: error)")
    check.add_argument("--min-providers", type=positive_int, default=2, metavar="N",
                       help="report ICS-tier ICBs with fewer providers than N (default: 2)")
    check.add_argument("--containment-threshold", type=fraction, default=0.5, metavar="X",
                       help="report ICS-tier ICBs keeping less than X of residents' activity (default: 0.5)")

    bundles = add_command(sub, "bundles", "list groups of services joined by co-located or in-reach links",
                          f"caregraph delegation bundles {folder} --plan {folder}/plan.csv", _bundles)
    _common(bundles)
    bundles.add_argument("--plan", metavar="PLAN.csv", help="show which bundles this plan splits")
    bundles.add_argument("--spend", metavar="SPEND.csv", help="annual spend: service_id, spend_gbp")

    assess = add_command(sub, "assess", "classify specialised services: suitable and ready, not yet ready, neither",
                         f"caregraph delegation assess {folder} --criteria {folder}/criteria.yaml", _assess)
    _common(assess)
    assess.add_argument("--criteria", required=True, metavar="FILE",
                        help="criteria YAML (weights, thresholds, analyst scores file)")
    assess.add_argument("--flows", metavar="FLOWS.csv", help="resident flows, for footprint containment")
    _unknown_providers(assess)
