"""Commands on delegation of specialised services: ``caregraph delegation check|bundles|assess``.

``check`` exits with status 1 when there are findings at or above
``--fail-on`` (default ``error``), 0 otherwise, and 2 for invalid input.
All three also run on a model loaded into Neo4j (``--backend neo4j``): the
frames they analyse are read with Cypher, and the findings are the same.

Examples
--------
>>> from caregraph.cli import main
>>> main(["delegation", "bundles", "examples/delegation-south-london", "--format", "csv"])  # doctest: +ELLIPSIS
bundle,services,n_services,n_links,n_providers,spend_gbp,spend_known,split,split_areas
bundle-1,svc-acute-medicine;svc-adult-critical-care;...,11,13,7,,0 of 11,False,
bundle-2,svc-emergency-department;svc-emergency-surgery;svc-trauma-unit,3,2,7,,0 of 3,False,
bundle-3,svc-fetal-medicine;svc-nicu;svc-specialist-obstetrics,3,2,3,,0 of 3,False,
0
"""

from __future__ import annotations

import argparse

import pandas as pd

from networks.assessment import assess_services
from networks.codependencies import delegation_bundles
from networks.criteria import read_criteria
from networks.delegation import SEVERITIES, DelegationChecker, findings_at_or_above
from networks.delegation_inputs import read_flows, read_spend
from networks.frames_delegation import DelegationFrames, delegation_frames
from networks.plans import read_plan

from .commands import add_as_at, add_backend, add_command, add_group, open_model, positive_int

__all__ = ["EXIT_FINDINGS", "register"]

EXIT_FINDINGS = 1
"""Exit status of ``delegation check`` when findings reach ``--fail-on``."""


def _frames(args: argparse.Namespace) -> DelegationFrames:
    with open_model(args) as model:
        return delegation_frames(model, args.as_at)


def _check(args: argparse.Namespace) -> tuple[pd.DataFrame, int]:
    frames = _frames(args)
    plan = None if args.plan is None else read_plan(args.plan, frames)
    flows = None if args.flows is None else read_flows(args.flows, frames)
    checker = DelegationChecker(frames, as_at=args.as_at, flows=flows, min_providers=args.min_providers,
                                containment_threshold=args.containment_threshold)
    found = checker.check(plan)
    return found, EXIT_FINDINGS if not findings_at_or_above(found, args.fail_on).empty else 0


def _bundles(args: argparse.Namespace) -> pd.DataFrame:
    frames = _frames(args)
    plan = None if args.plan is None else read_plan(args.plan, frames)
    spend = None if args.spend is None else read_spend(args.spend, frames)
    return delegation_bundles(frames, plan, as_at=args.as_at, spend=spend)


def _assess(args: argparse.Namespace) -> pd.DataFrame:
    frames = _frames(args)
    criteria = read_criteria(args.criteria)
    flows = None if args.flows is None else read_flows(args.flows, frames)
    return assess_services(frames, criteria, flows=flows)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", help="model folder (with --backend neo4j: names the model)")
    add_as_at(parser, "the model and plan as in force on DATE (YYYY-MM-DD)")
    add_backend(parser)


def _fraction(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number from 0 to 1")
    return value


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
    check.add_argument("--fail-on", choices=SEVERITIES[:2], default="error",
                       help="exit with status 1 when findings at or above this severity exist (default: error)")
    check.add_argument("--min-providers", type=positive_int, default=2, metavar="N",
                       help="report ICS-tier ICBs with fewer providers than N (default: 2)")
    check.add_argument("--containment-threshold", type=_fraction, default=0.5, metavar="X",
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
