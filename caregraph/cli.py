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
import logging
import sys
from collections.abc import Sequence

from networks import CareGraphError, ValidationError

from . import budget_commands, delegation_commands, model_commands, pathway_commands
from .output import FORMATS, render

__all__ = ["EXIT_INVALID", "EXIT_OK", "build_parser", "main"]

EXIT_OK = 0
EXIT_INVALID = 2

_EXAMPLES = """\
examples:
  caregraph validate examples/cardiology
  caregraph summary examples/cardiology --as-at 2026-05-01
  caregraph reference icbs --as-at 2026-05-01 --format csv
"""


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``caregraph`` command."""
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
    model_commands.register(commands)
    pathway_commands.register(commands)
    budget_commands.register(commands)
    delegation_commands.register(commands)
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
    args = build_parser().parse_args(argv)
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
