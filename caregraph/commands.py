"""Shared pieces for registering ``caregraph`` sub-commands.

Each area of the library has its own module of commands (``model_commands``,
...) with a ``register(commands)`` function that calls ``add_command`` for
each sub-command. A handler takes the parsed arguments and returns a
DataFrame (printed in the chosen ``--format``), a ``(DataFrame, exit status)``
pair when the command decides its own status, or ``None``.

Examples
--------
>>> import argparse
>>> parser = argparse.ArgumentParser(prog="demo")
>>> sub = parser.add_subparsers()
>>> cmd = add_command(sub, "hello", "say hello", "demo hello", lambda args: None)
>>> cmd.prog
'demo hello'
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

import pandas as pd

from .output import FORMATS

__all__ = ["Handler", "add_command"]

Handler = Callable[[argparse.Namespace], "pd.DataFrame | tuple[pd.DataFrame, int] | None"]


def _format_option() -> argparse.ArgumentParser:
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("--format", choices=FORMATS, default=argparse.SUPPRESS,
                        help="output format: table (default), csv or json")
    return parent


def add_command(
    commands: argparse._SubParsersAction,
    name: str,
    summary: str,
    example: str,
    handler: Handler,
) -> argparse.ArgumentParser:
    """Add one sub-command with ``--format``, a help text and a usage example.

    Parameters
    ----------
    commands : argparse sub-parsers
        Where to add it (``parser.add_subparsers()`` or a nested group).
    name, summary : str
        Command name and one-line description.
    example : str
        A complete example command line, shown at the end of ``--help``.
    handler : callable
        ``handler(args) -> DataFrame | (DataFrame, status) | None``.

    Returns
    -------
    argparse.ArgumentParser
        The command's parser, to add its own arguments to.
    """
    parser: argparse.ArgumentParser = commands.add_parser(
        name,
        help=summary,
        description=summary,
        parents=[_format_option()],
        epilog=f"example:\n  {example}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.set_defaults(handler=handler)
    return parser
