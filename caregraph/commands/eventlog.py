"""Commands on event logs: ``eventlog handoffs`` and ``eventlog compare``.

Examples
--------
>>> from caregraph.cli import main
>>> main(["eventlog", "handoffs", "tests/data/mimic_iii_demo/transfers.csv", "--case-col", "hadm_id",
...       "--resource-col", "curr_careunit", "--timestamp-col", "intime", "--format", "csv"])
... # doctest: +ELLIPSIS
from,to,count
CCU,MICU,2
...
0
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

import caregraph as cg
from pathways.choices import STEP_RESOURCES

from .common import add_command, add_engine, add_group, for_people, start_spark

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    import pandas as pd

    from loaders.event_logs import EventTable

__all__ = ["register"]

_LOG = "tests/data/mimic_iii_demo/transfers.csv"
_COLUMNS = "--case-col hadm_id --resource-col curr_careunit --timestamp-col intime"
_NO_HANDOFF = "no hand-off in the log"


def _open(args: argparse.Namespace) -> AbstractContextManager[EventTable]:
    return cg.open_event_log(args.log, case=args.case_col, resource=args.resource_col, timestamp=args.timestamp_col,
                             order=args.order_col, delimiter=args.delimiter, memory_limit=args.memory_limit)


def _spark_log(args: argparse.Namespace) -> Any:
    spark = start_spark(args.memory_limit)
    return cg.read_spark_event_log(spark, args.log, case=args.case_col, resource=args.resource_col,
                                   timestamp=args.timestamp_col, order=args.order_col, delimiter=args.delimiter)


def _handoffs(args: argparse.Namespace) -> pd.DataFrame | None:
    """Count in DuckDB; CSV of every column is written by DuckDB itself (pandas is never imported)."""
    if args.engine == "spark":
        counts = cg.eventlog_handoffs(_spark_log(args), include_self=args.include_self,
                                      blank_resource=args.blank_resource)
        return for_people(counts, total=True, empty=_NO_HANDOFF)
    with _open(args) as events:
        found = cg.eventlog_handoff_counts(events, include_self=args.include_self, blank_resource=args.blank_resource)
        if args.format == "csv" and not args.columns:
            events.write_csv(found.select, sys.stdout)
            return None
        return for_people(events.query(found.select), total=True, empty=_NO_HANDOFF)


def _count(args: argparse.Namespace) -> pd.DataFrame:
    if args.engine == "spark":
        return cg.eventlog_handoffs(_spark_log(args), blank_resource=args.blank_resource)
    with _open(args) as events:
        return cg.eventlog_handoffs(events, blank_resource=args.blank_resource)


def _compare(args: argparse.Namespace) -> pd.DataFrame:
    graph = cg.load_model(args.model)
    return cg.compare_with_pathway(_count(args), graph, args.pathway, step_resource=args.step_resource)


def _log_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("log", help="event log: CSV (.csv, .csv.gz) or XES (.xes, .xes.gz)")
    parser.add_argument("--case-col", metavar="C", default="case:concept:name",
                        help="case id column (default: case:concept:name, the XES trace name)")
    parser.add_argument("--resource-col", metavar="R", default="org:resource",
                        help="resource column: care unit, department, provider or site (default: org:resource)")
    parser.add_argument("--timestamp-col", metavar="T", default="time:timestamp",
                        help="ISO 8601 timestamp column (default: time:timestamp)")
    parser.add_argument("--order-col", metavar="O",
                        help="numeric column ordering events with equal timestamps (default: file order)")
    parser.add_argument("--delimiter", default=",", help="CSV field separator (default: ,)")
    parser.add_argument("--memory-limit", metavar="SIZE",
                        help="memory to use before spilling to disk, e.g. 2GB (default: 80%% of RAM)")
    add_engine(parser, "CSV only")
    parser.add_argument("--blank-resource", metavar="NAME",
                        help="count events with a blank resource as a resource of this name, e.g. '(blank)' "
                             "(default: skip them, as PM4Py does, and say how many on standard error)")


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``eventlog`` (``handoffs``, ``compare``) to the command line."""
    handoffs_example = f"caregraph eventlog handoffs {_LOG} {_COLUMNS} --format csv"
    compare_example = ("caregraph eventlog compare log.csv examples/cardiology --pathway chest-pain-to-pci "
                       "--case-col case --resource-col provider --timestamp-col time")
    eventlog = add_group(commands, "eventlog", "journeys from event logs: hand-offs between resources",
                         [handoffs_example, compare_example])

    handoffs = add_command(eventlog, "handoffs",
                           "count direct hand-offs between resources within each case (columns from,to,count)",
                           handoffs_example, _handoffs)
    _log_arguments(handoffs)
    handoffs.add_argument("--include-self", action="store_true",
                          help="also count consecutive events at the same resource")

    compare = add_command(eventlog, "compare",
                          "set hand-offs seen in an event log against a designed pathway's transitions",
                          compare_example, _compare)
    _log_arguments(compare)
    compare.add_argument("model", help="model folder holding the pathway")
    compare.add_argument("--pathway", required=True, metavar="ID", help="pathway id")
    compare.add_argument("--step-resource", choices=STEP_RESOURCES, default="provider",
                         help="what a step's resource is in the log's terms (default: provider)")
