"""Commands on model folders and NHS reference data: validate, summary, export, reference.

Examples
--------
>>> from caregraph.cli import main
>>> main(["summary", "tests/fixtures/small_model", "--format", "csv"])  # doctest: +ELLIPSIS
element,name,count
node,Budget,3
...
0
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

import caregraph as cg
from loaders.choices import GRAPH_FILE_SUFFIXES, REFERENCE_KINDS
from networks.dates import as_at_label, dated, resolve_as_at

from .common import add_as_at, add_command, for_people, say

if TYPE_CHECKING:
    import pandas as pd

    from ..output import Result

__all__ = ["register"]


def _validate(args: argparse.Namespace) -> Result:
    graph, problems = cg.check_model(args.path)
    if graph is None:
        raise cg.ValidationError(problems)
    for problem in problems:
        say(f"warning: {problem}")
    return [{"model": graph.name, "valid": True, "warnings": len(problems), "nodes": graph.number_of_nodes(),
             "relationships": graph.number_of_edges()}]


def _summary(args: argparse.Namespace) -> pd.DataFrame:
    day = resolve_as_at(args.as_at)
    graph = cg.load_model(args.path)
    return dated((graph if day is None else graph.as_at(day)).summary(), as_at_label(day))


def _reference(args: argparse.Namespace) -> pd.DataFrame:
    return for_people(cg.reference_table(args.kind, as_at=args.as_at), total=args.kind == "regions",
                      empty=f"no {args.kind} in force that day")


def _export(args: argparse.Namespace) -> None:
    graph = cg.load_model(args.path, as_at=args.as_at)
    writer = cg.write_graphml if Path(args.out).suffix.lower() == ".graphml" else cg.write_node_link_json
    writer(graph, args.out)
    say(f"wrote {args.out} ({graph.number_of_nodes()} nodes, {graph.number_of_edges()} relationships)")


def _export_path(text: str) -> str:
    if Path(text).suffix.lower() not in GRAPH_FILE_SUFFIXES:
        raise argparse.ArgumentTypeError(f"'{text}': the file name must end in {' or '.join(GRAPH_FILE_SUFFIXES)}")
    return text


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``validate``, ``summary``, ``export`` and ``reference`` to the command line."""
    validate = add_command(commands, "validate", "check a model folder and report every problem in it",
                           "caregraph validate examples/cardiology", _validate)
    validate.add_argument("path", help="model folder (organisations.csv, ..., pathways/*.yaml)")

    summary = add_command(commands, "summary", "count nodes by kind and relationships by type",
                          "caregraph summary examples/cardiology --as-at 2026-05-01", _summary)
    summary.add_argument("path", help="model folder")
    add_as_at(summary)

    export = add_command(commands, "export", "write a model as GraphML or node-link JSON",
                         "caregraph export examples/cardiology cardiology.graphml", _export, table=False)
    export.add_argument("path", help="model folder")
    export.add_argument("out", type=_export_path, help="output file ending in .graphml or .json")
    add_as_at(export, "only what is in force on DATE (YYYY-MM-DD); default: the whole model, every date")

    reference = add_command(commands, "reference", "list NHS reference organisations shipped with caregraph",
                            "caregraph reference icbs --as-at 2026-05-01", _reference)
    reference.add_argument("kind", choices=REFERENCE_KINDS, help="which organisations to list")
    add_as_at(reference)
