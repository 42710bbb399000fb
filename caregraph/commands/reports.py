"""The ``report`` command: one self-contained HTML page, or an Excel workbook, for a board paper.

Examples
--------
>>> import tempfile, pathlib
>>> from caregraph.cli import main
>>> out = pathlib.Path(tempfile.mkdtemp()) / "small.xlsx"
>>> main(["report", "tests/fixtures/small_model", "-o", str(out), "--as-at", "2024-06-01"])
0
"""

from __future__ import annotations

import argparse
from pathlib import Path

import caregraph as cg

from .common import add_as_at, add_command, say

__all__ = ["register"]

_SUFFIXES = (".html", ".xlsx")


def _report(args: argparse.Namespace) -> None:
    written = cg.report(args.path, args.out, as_at=args.as_at, scenarios=args.scenarios or (), plan=args.plan,
                        flows=args.flows)
    say(f"wrote {written}")


def _out(text: str) -> str:
    if Path(text).suffix.lower() not in _SUFFIXES:
        raise argparse.ArgumentTypeError(f"'{text}': a report is written as {' or '.join(_SUFFIXES)}")
    return text


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``report`` to the command line."""
    report = add_command(commands, "report", "write a report for a board paper: HTML (self-contained) or Excel",
                         "caregraph report examples/cardiology -o cardiology.html --as-at 2026-05-01", _report,
                         table=False)
    report.add_argument("path", help="model folder")
    report.add_argument("-o", "--out", required=True, type=_out, metavar="FILE",
                        help="the report: a .html page (opens with no network access) or a .xlsx workbook")
    add_as_at(report, "the model as in force on DATE (YYYY-MM-DD); default: today (the report says which)")
    report.add_argument("--scenarios", metavar="SCENARIOS.yaml", help="commissioning options to appraise")
    report.add_argument("--plan", metavar="PLAN.csv", help="a delegation plan to check")
    report.add_argument("--flows", metavar="FLOWS.csv", help="resident flows, for the delegation checks")
