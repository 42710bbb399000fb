"""Commands on patient flows: ``caregraph flows containment|crossboundary|money-shift|footprints|spof``.

The flows are a table (``FLOWS``: ``commissioner_id, provider_id,
activity`` and optional ``service``, ``service_name``, ``cost_gbp`` or
``unit_cost_gbp``, ``period``), or with ``--rtt`` the NHS England
referral-to-treatment return for April 2026 shipped with caregraph. With
``--engine spark`` the table is read by Spark (CSV only; the RTT return is
handed to Spark) and checked and summed there. The
organisations are NHS England's reference data with the RTT providers and
commissioning hubs (``cg.rtt_graph()``), or a model folder's (``--model``).
Each command says on standard error which date's geography it used, what
the activity counts, and any rows skipped with ``--skip-unknown``.

Examples
--------
>>> from caregraph.cli import main
>>> main(["flows", "containment", "--rtt", "--geography", "2022", "--format", "csv"])  # doctest: +ELLIPSIS
area_code,area_name,area_kind,footprint,region_code,population,activity,...
QKK,NHS South East London Integrated Care Board,ICB,QKK,Y56,2016131.0,223066.0,...
...
0
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

import caregraph as cg
from loaders.choices import RTT_PART_NAMES
from networks.choices import FLOW_LEVELS, GEOGRAPHIES, SPOF_FOOTPRINTS
from networks.errors import ArgumentError

from .common import add_as_at, add_command, add_engine, add_group, positive_int, say, start_spark

if TYPE_CHECKING:
    import pandas as pd

    from networks.graph import CareGraph

__all__ = ["register"]

_SPARK_READS = "FLOWS as CSV (.csv, .csv.gz), or --rtt; not with --geography both"


def _flows(args: argparse.Namespace) -> Any:
    """The flow table: a pandas DataFrame, or with ``--engine spark`` a Spark DataFrame."""
    if (args.flows is None) == (not args.rtt):
        raise ArgumentError("give a flow table (FLOWS) or --rtt for the shipped RTT return, not both or neither")
    spark = getattr(args, "engine", "duckdb") == "spark"
    if args.rtt:
        flows = cg.rtt_flows(args.rtt_part, by_specialty=args.by_specialty)
        say(f"flows: {flows.attrs['activity']} (shipped with caregraph)")
        return cg.spark_flow_table(start_spark(), flows) if spark else flows
    if args.by_specialty or args.rtt_part != "Part_2":
        raise ArgumentError("--rtt-part and --by-specialty apply only with --rtt")
    return cg.read_spark_flow_table(start_spark(), args.flows) if spark else cg.read_flow_table(args.flows)


def _graph(args: argparse.Namespace) -> CareGraph:
    return cg.load_model(args.model) if args.model else cg.rtt_graph()


def _unknown(args: argparse.Namespace) -> str:
    return "skip" if args.skip_unknown else "error"


def _report(result: pd.DataFrame, args: argparse.Namespace) -> pd.DataFrame:
    """Say what was skipped (the date used is said with every result); return the result."""
    skipped = result.attrs.get("skipped")
    if skipped is not None:
        source = Path(args.flows).name if args.flows else "the RTT return"
        for line in cg.describe_skipped(skipped, source, "an organisation of the model"):
            say(line)
    return result


def _day(args: argparse.Namespace) -> str:
    if args.geography == "both":
        raise ArgumentError("--geography both applies only to 'flows containment'")
    return cg.geography_as_at(args.geography, args.as_at)


def _containment(args: argparse.Namespace) -> pd.DataFrame:
    flows, graph = _flows(args), _graph(args)
    if args.geography == "both":
        if args.level != "icb":
            raise ArgumentError("--geography both compares ICBs: use it with --level icb")
        both = cg.compare_geographies(graph, flows, after=cg.geography_as_at("2026", args.as_at),
                                      unknown=_unknown(args), period=args.period)
        say(f"42 ICBs as at {both.attrs['before']} beside 36 ICBs as at {both.attrs['after']}")
        return both
    network = cg.flow_network(graph, flows, args.level, _day(args), unknown=_unknown(args), period=args.period)
    return _report(network.containment(), args)


def _crossboundary(args: argparse.Namespace) -> pd.DataFrame:
    network = cg.flow_network(_graph(args), _flows(args), args.level, _day(args), unknown=_unknown(args),
                              period=args.period)
    crossing = _report(network.cross_boundary(args.top), args)
    say(f"{crossing.attrs['unplaced_activity']:,.0f} activity whose patients' home is not given "
        "(NHS England hubs and regions, NONC) cannot cross a boundary: see 'flows containment'")
    return crossing


def _money_shift(args: argparse.Namespace) -> pd.DataFrame:
    costs = None if args.costs is None else cg.read_unit_costs(args.costs)
    shift = cg.money_shift(_graph(args), _flows(args), _day(args), unit_costs=costs, unknown=_unknown(args),
                           period=args.period)
    say(f"money: {shift.attrs['cost_basis']}")
    return _report(shift, args)


def _footprints(args: argparse.Namespace) -> pd.DataFrame:
    network = cg.flow_network(_graph(args), _flows(args), "icb", _day(args), unknown=_unknown(args),
                              period=args.period)
    found = cg.discover_footprints(network, min_population=args.min_population, seed=args.seed,
                                   resolution=args.resolution, min_link_pct=args.min_link_pct,
                                   arrangements=cg.joint_arrangements())
    say(f"footprints: Louvain communities, seed {args.seed}, resolution {args.resolution}; linked at "
        f"{args.min_link_pct:g}% of an ICB's residents' activity; minimum population {args.min_population:,.0f} "
        "(2021 registered list sizes)")
    found.attrs["skipped"] = network.skipped
    return _report(found, args)


def _spof(args: argparse.Namespace) -> pd.DataFrame:
    found = cg.single_points_of_failure(cg.load_model(args.path), args.as_at, footprint=args.footprint)
    say(f"model as at {found.attrs['as_at']}; footprint: {args.footprint}")
    return found


def _non_negative(text: str) -> float:
    try:
        value = float(text.replace(",", ""))
    except ValueError:
        value = -1.0
    if value < 0:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number >= 0")
    return value


def _source(parser: argparse.ArgumentParser, geographies: tuple[str, ...]) -> None:
    parser.add_argument("flows", nargs="?", metavar="FLOWS",
                        help="flow table (CSV, .csv.gz or .xlsx): commissioner_id, provider_id, activity"
                             "[, service, service_name, cost_gbp | unit_cost_gbp, period]")
    parser.add_argument("--rtt", action="store_true",
                        help="use the NHS England RTT return of April 2026 shipped with caregraph")
    parser.add_argument("--rtt-part", choices=RTT_PART_NAMES, default="Part_2",
                        help="with --rtt: which part (default Part_2, the waiting list: incomplete pathways)")
    parser.add_argument("--by-specialty", action="store_true",
                        help="with --rtt: the waiting list by treatment function (service column)")
    parser.add_argument("--model", metavar="PATH",
                        help="model folder whose organisations place the flows (default: NHS reference data "
                             "with the RTT providers and NHS England commissioning hubs)")
    parser.add_argument("--geography", choices=geographies,
                        help="2022: the 42 ICBs (as at 2026-03-31); 2026: the 36 ICBs (as at --as-at or today)"
                             + ("; both: side by side" if "both" in geographies else ""))
    add_as_at(parser, "the geography in force on DATE (YYYY-MM-DD; default today)")
    parser.add_argument("--period", help="the period to analyse when the table has several")
    parser.add_argument("--skip-unknown", action="store_true",
                        help="skip rows naming ids that are not organisations of the model (listed on standard "
                             "error) instead of stopping")


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``flows`` with its ``containment``, ``crossboundary``, ``money-shift``, ``footprints``, ``spof``."""
    sub = add_group(commands, "flows", "patient flows between where people live and where they are treated", [
        "caregraph flows containment --rtt --geography both",
        "caregraph flows crossboundary --rtt --top 20",
        "caregraph flows money-shift --rtt --geography 2026",
        "caregraph flows footprints --rtt --min-population 1000000 --seed 1",
        "caregraph flows spof examples/cardiology --as-at 2026-05-01",
    ])
    containment = add_command(sub, "containment",
                              "share of each area's residents' activity treated inside its footprint, and where "
                              "the rest goes", "caregraph flows containment --rtt --geography both", _containment)
    _source(containment, GEOGRAPHIES)
    add_engine(containment, _SPARK_READS)
    containment.add_argument("--level", choices=FLOW_LEVELS, default="icb",
                             help="residents' areas: icb (default), sub_icb, region, or icb with providers as "
                                  "destinations (provider)")

    crossing = add_command(sub, "crossboundary", "flows of residents to providers outside their footprint, largest "
                                                 "first", "caregraph flows crossboundary --rtt --top 20",
                           _crossboundary)
    _source(crossing, GEOGRAPHIES[:2])
    add_engine(crossing, _SPARK_READS)
    crossing.add_argument("--level", choices=FLOW_LEVELS, default="icb", help="as for containment (default icb)")
    crossing.add_argument("--top", type=positive_int, metavar="N", help="only the N largest flows")

    money = add_command(sub, "money-shift", "money each ICB would hold on a hosted and a population basis, and the "
                                            "net shift", "caregraph flows money-shift --rtt --geography 2026",
                        _money_shift)
    _source(money, GEOGRAPHIES[:2])
    money.add_argument("--costs", metavar="COSTS.csv",
                       help="unit costs: service, unit_cost_gbp (default: the flows' cost column, else an "
                            "ILLUSTRATIVE flat cost, labelled as such)")

    footprints = add_command(sub, "footprints", "propose multi-ICB planning footprints from the ICB flow network",
                             "caregraph flows footprints --rtt --min-population 1000000 --seed 1", _footprints)
    _source(footprints, GEOGRAPHIES[:2])
    add_engine(footprints, _SPARK_READS)
    footprints.add_argument("--min-population", type=_non_negative, default=1_000_000, metavar="N",
                            help="each footprint's population at least N (default 1,000,000)")
    footprints.add_argument("--seed", type=int, default=1, help="seed of the community detection (default 1)")
    footprints.add_argument("--resolution", type=_non_negative, default=1.0,
                            help="Louvain resolution: below 1 larger footprints, above 1 smaller (default 1)")
    footprints.add_argument("--min-link-pct", type=_non_negative, default=1.0, metavar="P",
                            help="ICBs are linked when P%% of one's residents' activity goes to the other "
                                 "(default 1)")

    spof = add_command(sub, "spof", "providers or sites whose loss leaves a service with no provider or a pathway "
                                    "with no route in their footprint",
                       "caregraph flows spof examples/cardiology --as-at 2026-05-01", _spof)
    spof.add_argument("path", metavar="MODEL", help="model folder (provision and pathways)")
    add_as_at(spof, "the model as in force on DATE (YYYY-MM-DD; default today; 'all' for every date)")
    spof.add_argument("--footprint", choices=SPOF_FOOTPRINTS, default="icb",
                      help="look for another provider in the same ICB (default) or region")
