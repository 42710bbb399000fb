"""The ``caregraph`` command: a thin layer over the library.

Every command calls library functions and prints their result as a table,
CSV or JSON (``--format`` and ``-v`` go before or after the command), or
writes files and says so on standard error. Errors caused by the input or
the environment (``networks.errors.CareGraphError``) print one line per
problem on standard error and exit with status 2, as argparse does for bad
usage; anything else is a bug in caregraph: its traceback is shown, with a
request to report it, and the exit status is 1.

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
import os
import shutil
import sys
import traceback
from collections.abc import Sequence

from networks.errors import CareGraphError, ValidationError

from .commands import budgets, delegation, eventlog, flows, model, neo4j, pathways, plots, reports
from .commands.common import column_list
from .output import FORMATS, as_at_of, describe_as_at, render

__all__ = ["EXIT_BUG", "EXIT_INVALID", "EXIT_OK", "build_parser", "main"]

EXIT_OK = 0
EXIT_BUG = 1
EXIT_INVALID = 2

_EXAMPLES = """\
examples:
  caregraph report examples/cardiology -o cardiology.html --as-at 2026-05-01
  caregraph validate examples/cardiology
  caregraph summary examples/cardiology --as-at 2026-05-01
  caregraph handoffs summary examples/cardiology --as-at 2026-05-01
  caregraph reference icbs --as-at 2026-05-01 --format csv
"""

_COMMAND_MODULES = (reports, model, pathways, budgets, delegation, flows, eventlog, neo4j, plots)


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``caregraph`` command, with every sub-command."""
    parser = argparse.ArgumentParser(
        prog="caregraph",
        description="NHS care pathways, networks, commissioners and budgets as one graph.",
        epilog=_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--format", choices=FORMATS, default=None,
                        help="output format of commands that print a table: table (default), csv or json")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to standard error")
    parser.add_argument("--columns", type=column_list, default=None, metavar="A,B,...",
                        help="only these columns of the table, in this order")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in _COMMAND_MODULES:
        module.register(commands)
    return parser


def _command_name(args: argparse.Namespace) -> str:
    parts = [args.command]
    parts += [value for key, value in vars(args).items() if key.endswith("_command") and value]
    return " ".join(parts)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments without the program name (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        0 on success; 2 for invalid input or an environment that stops the
        command (as argparse uses for bad usage); 1 for a bug in caregraph.
        A command that returns ``(table, status)`` sets its own status.
    """
    parser = build_parser()
    arguments = sys.argv[1:] if argv is None else list(argv)
    args = parser.parse_args(arguments)
    if not args.prints_table and args.format is not None:
        parser.error(f"--format does not apply to '{_command_name(args)}', which writes files")
    logging.basicConfig(format="caregraph: %(message)s")
    logging.getLogger().setLevel(logging.INFO if args.verbose else logging.WARNING)
    try:
        result = args.handler(args)
        status = EXIT_OK
        if isinstance(result, tuple):
            result, status = result
        if result is not None:
            fmt = args.format or "table"
            as_at = as_at_of(result)
            if as_at is not None and fmt == "csv":
                print(f"caregraph: {describe_as_at(as_at)}", file=sys.stderr)
            width = shutil.get_terminal_size().columns if sys.stdout.isatty() else None
            sys.stdout.write(render(result, fmt, columns=getattr(args, "columns", None), width=width))
            sys.stdout.flush()
    except ValidationError as exc:
        for problem in exc.problems:
            print(f"caregraph: {'warning: ' if problem.severity == 'warning' else ''}{problem}", file=sys.stderr)
        errors = sum(problem.severity == "error" for problem in exc.problems)
        warnings = len(exc.problems) - errors
        also = f" (and {warnings} warning{'s' if warnings != 1 else ''})" if warnings else ""
        print(f"caregraph: {errors} problem{'s' if errors != 1 else ''} found{also}", file=sys.stderr)
        return EXIT_INVALID
    except CareGraphError as exc:
        print(f"caregraph: {exc}", file=sys.stderr)
        return EXIT_INVALID
    except BrokenPipeError:  # the reader of the output went away (e.g. `| head`): nothing more to say
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        print("caregraph: interrupted", file=sys.stderr)
        return 130
    except Exception:
        traceback.print_exc()
        print("caregraph: this is a bug in caregraph, not a problem with your input; please report it to the "
              "caregraph developers with the traceback above and the command you ran", file=sys.stderr)
        return EXIT_BUG
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
