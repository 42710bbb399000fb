"""The ``caregraph`` command: a thin layer over the library.

Every command calls library functions and prints their DataFrame result as a
table, CSV or JSON (``--format``, before or after the command). Invalid
input prints one line per problem on standard error and exits with status 2;
nothing prints a traceback.

Examples
--------
>>> main(["--format", "csv", "reference", "regions", "--as-at", "2026-05-01"])  # doctest: +ELLIPSIS
region_code,name,ons_code,n_icbs
...
0
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from networks import CareGraphError, ValidationError

from .output import FORMATS, render

__all__ = ["COMMAND_MODULES", "EXIT_INVALID", "EXIT_OK", "build_parser", "main"]

EXIT_OK = 0
EXIT_INVALID = 2

_EXAMPLES = """\
examples:
  caregraph validate examples/cardiology
  caregraph summary examples/cardiology --as-at 2026-05-01
  caregraph reference icbs --as-at 2026-05-01 --format csv
"""

COMMAND_MODULES: dict[str, str] = {
    "validate": "model_commands",
    "summary": "model_commands",
    "export": "model_commands",
    "reference": "model_commands",
    "handoffs": "pathway_commands",
    "plot": "pathway_commands",
    "crossings": "budget_commands",
    "pools": "budget_commands",
    "appraise": "budget_commands",
    "delegation": "delegation_commands",
    "eventlog": "eventlog_commands",
    "neo4j": "neo4j_commands",
    "query": "neo4j_commands",
}
"""Which module of ``caregraph`` registers each top-level command.

Only the module of the command being run is imported, so ``caregraph
eventlog handoffs`` does not pay for importing matplotlib or the Neo4j driver;
``--help`` on its own imports them all.
"""


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """Return the argument parser of the ``caregraph`` command.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments about to be parsed: when they name a command, only the
        module registering it is imported. Without them every command is
        registered.
    """
    parser = argparse.ArgumentParser(
        prog="caregraph",
        description="NHS care pathways, networks, commissioners and budgets as one graph.",
        epilog=_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--format", choices=FORMATS, default="table",
                        help="output format: table (default), csv or json")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to standard error")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    chosen = next((arg for arg in argv or () if arg in COMMAND_MODULES), None)
    modules = [COMMAND_MODULES[chosen]] if chosen else list(dict.fromkeys(COMMAND_MODULES.values()))
    for module in modules:
        importlib.import_module(f"{__package__}.{module}").register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments without the program name (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        0 on success; 2 for invalid input, as argparse uses for bad usage;
        a command that returns ``(frame, status)`` sets its own status.
    """
    arguments = sys.argv[1:] if argv is None else list(argv)
    args = build_parser(arguments).parse_args(arguments)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="caregraph: %(message)s")
    try:
        result = args.handler(args)
    except ValidationError as exc:
        for problem in exc.problems:
            print(f"caregraph: {problem}", file=sys.stderr)
        print(f"caregraph: {len(exc.problems)} problem(s) found", file=sys.stderr)
        return EXIT_INVALID
    except (CareGraphError, ValueError, OSError) as exc:
        print(f"caregraph: {exc}", file=sys.stderr)
        return EXIT_INVALID
    status = EXIT_OK
    if isinstance(result, tuple):
        result, status = result
    if result is not None:
        sys.stdout.write(render(result, args.format))
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
