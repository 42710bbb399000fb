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

__all__ = ["Handler", "add_as_at", "add_command", "add_group", "positive_int"]

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


def positive_int(text: str) -> int:
    """Parse a whole number of at least 1 for an option such as ``-k``.

    Examples
    --------
    >>> positive_int("3")
    3
    """
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value}: must be at least 1")
    return value


def add_as_at(parser: argparse.ArgumentParser, help_text: str = "only what is in force on DATE (YYYY-MM-DD)") -> None:
    """Add the ``--as-at DATE`` option every dated command shares."""
    parser.add_argument("--as-at", metavar="DATE", help=help_text)


def add_group(
    commands: argparse._SubParsersAction,
    name: str,
    summary: str,
    examples: list[str],
) -> argparse._SubParsersAction:
    """Add a command group (``caregraph NAME SUBCOMMAND ...``) and return its sub-commands.

    Parameters
    ----------
    commands : argparse sub-parsers
        Where to add the group.
    name, summary : str
        Group name and one-line description.
    examples : list of str
        Complete example command lines, shown at the end of the group's ``--help``.

    Examples
    --------
    >>> import argparse
    >>> sub = argparse.ArgumentParser(prog="demo").add_subparsers()
    >>> group = add_group(sub, "pools", "pooling what-ifs", ["demo pools suggest x -k 2"])
    >>> isinstance(group, argparse._SubParsersAction)
    True
    """
    parser = commands.add_parser(
        name,
        help=summary,
        description=summary,
        epilog="examples:\n" + "".join(f"  {example}\n" for example in examples),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    return parser.add_subparsers(dest=f"{name}_command", required=True, metavar="COMMAND")
