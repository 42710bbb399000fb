"""Shared pieces for registering ``caregraph`` sub-commands.

Each area of the library has its module of commands (``model``,
``pathways``, ...) with a ``register(commands)`` function that calls
``add_command`` for each sub-command. A handler takes the parsed arguments
and returns a DataFrame (printed in the chosen ``--format``), a
``(DataFrame, exit status)`` pair when the command decides its own status,
or ``None`` when it writes files instead (it then says what it wrote on
standard error).

Command modules reach the library only through ``import caregraph as cg``,
whose names load on first use: registering every command imports nothing
heavy, so ``caregraph --help`` answers at once and a command imports only
what it runs.

Analyses that also run in Neo4j take ``--backend networkx|neo4j``
(``add_backend``); their handler opens the model with ``open_model``: the
folder loaded into a ``CareGraph``, or a ``Neo4jBackend`` on the model id
(``--model``, default the folder's name) that ``caregraph neo4j load``
wrote.

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
import importlib.util
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import caregraph as cg
from pathways.choices import BY_OPTIONS

from ..output import FORMATS, Result

if TYPE_CHECKING:
    import pandas as pd

    from networks.graph import CareGraph
    from networks.query_runner import QueryRunner

__all__ = [
    "BACKENDS",
    "Handler",
    "add_as_at",
    "add_backend",
    "add_by",
    "add_command",
    "add_connection",
    "add_group",
    "column_list",
    "for_people",
    "fraction",
    "open_model",
    "positive_int",
    "say",
]

BACKENDS = ("networkx", "neo4j")
"""Where ``--backend`` analyses run: on the model folder in memory (default) or in Neo4j."""

Handler = Callable[[argparse.Namespace], "Result | tuple[Result, int] | None"]


def global_options(table: bool) -> argparse.ArgumentParser:
    """The options every command also takes after its name: ``-v``, and ``--format`` where it prints a table.

    Their defaults are suppressed, so a value given before the command name
    is kept unless it is given again after it.
    """
    parent = argparse.ArgumentParser(add_help=False)
    if table:
        parent.add_argument("--format", choices=FORMATS, default=argparse.SUPPRESS,
                            help="output format: table (default), csv or json")
        parent.add_argument("--columns", type=column_list, default=argparse.SUPPRESS, metavar="A,B,...",
                            help="only these columns, in this order")
    parent.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS,
                        help="log progress to standard error")
    return parent


def column_list(text: str) -> list[str]:
    """Parse ``--columns A,B,...``."""
    columns = [c.strip() for c in text.split(",") if c.strip()]
    if not columns:
        raise argparse.ArgumentTypeError("give column names separated by commas")
    return columns


def for_people(frame: pd.DataFrame, model: CareGraph | QueryRunner | None = None, *, names: Sequence[str] = (),
               total: bool = False, empty: str | None = None) -> pd.DataFrame:
    """A result as a table for people: names beside the ``names`` id columns, whether a total row means
    something, and what an empty result means."""
    result = cg.add_names(frame, model, names) if model is not None and names else frame
    result.attrs["total"] = total
    if empty is not None:
        result.attrs["empty"] = empty
    return result


def add_command(
    commands: argparse._SubParsersAction,
    name: str,
    summary: str,
    example: str,
    handler: Handler,
    *,
    table: bool = True,
) -> argparse.ArgumentParser:
    """Add one sub-command with a help text, a usage example and the global options.

    Parameters
    ----------
    commands : argparse sub-parsers
        Where to add it (``parser.add_subparsers()`` or a nested group).
    name, summary : str
        Command name and one-line description.
    example : str
        A complete example command line, shown at the end of ``--help``.
    handler : callable
        ``handler(args) -> table | (table, status) | None``, where a table
        is a DataFrame or a list of records.
    table : bool
        Whether the command prints a table (and so takes ``--format``);
        commands that write files do not.

    Returns
    -------
    argparse.ArgumentParser
        The command's parser, to add its own arguments to.
    """
    parser: argparse.ArgumentParser = commands.add_parser(
        name,
        help=summary,
        description=summary,
        parents=[global_options(table)],
        epilog=f"example:\n  {example}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.set_defaults(handler=handler, prints_table=table)
    return parser


def add_group(
    commands: argparse._SubParsersAction,
    name: str,
    summary: str,
    examples: list[str],
) -> argparse._SubParsersAction:
    """Add a command group (``caregraph NAME SUBCOMMAND ...``) and return its sub-commands.

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


def fraction(text: str) -> float:
    """Parse a number from 0 to 1 for an option such as ``--containment-threshold``.

    Examples
    --------
    >>> fraction("0.5")
    0.5
    """
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number from 0 to 1")
    return value


AS_AT_HELP = "the model as in force on DATE (YYYY-MM-DD); default: today; 'all': every date, whatever its dates"


def add_as_at(parser: argparse.ArgumentParser, help_text: str = AS_AT_HELP) -> None:
    """Add the ``--as-at DATE`` option every dated command shares (default today; the output says the date)."""
    parser.add_argument("--as-at", metavar="DATE", help=help_text)


def add_by(parser: argparse.ArgumentParser, default: str = "provider") -> None:
    """Add ``--by``: what a hand-off is a change of."""
    parser.add_argument("--by", choices=BY_OPTIONS, default=default,
                        help=f"what a hand-off is (default: {default}): a change of provider, site (a step without a "
                             "site counts as at its provider), setting, sector (health or social care; public health "
                             "counts as health) or commissioner (holder of the paying budget)")


def add_connection(parser: argparse.ArgumentParser) -> None:
    """Add ``--uri``, ``--user`` and ``--database``; the password only ever comes from the environment."""
    group = parser.add_argument_group("Neo4j connection (password only from CAREGRAPH_NEO4J_PASSWORD)")
    group.add_argument("--uri", help="bolt:// or neo4j+s:// URI (default $CAREGRAPH_NEO4J_URI)")
    group.add_argument("--user", help="user name (default $CAREGRAPH_NEO4J_USER)")
    group.add_argument("--database", help="database (default $CAREGRAPH_NEO4J_DATABASE, else neo4j)")


def add_model_id(parser: argparse.ArgumentParser, help_text: str) -> None:
    """Add ``--model ID``: how every command names a model held in Neo4j."""
    parser.add_argument("--model", metavar="ID", help=help_text)


def add_backend(parser: argparse.ArgumentParser) -> None:
    """Add ``--backend networkx|neo4j``, ``--model`` and the Neo4j connection options.

    Examples
    --------
    >>> parser = argparse.ArgumentParser()
    >>> add_backend(parser)
    >>> args = parser.parse_args(["--backend", "neo4j", "--model", "cardiology"])
    >>> args.backend, args.model
    ('neo4j', 'cardiology')
    """
    parser.add_argument("--backend", choices=BACKENDS, default="networkx",
                        help="run on the model folder in memory (networkx, default) or on the model loaded "
                             "into Neo4j with 'caregraph neo4j load' (neo4j): the same rows")
    add_model_id(parser, "with --backend neo4j: the model's id in Neo4j (default: the folder's name)")
    add_connection(parser)


def neo4j_settings(args: argparse.Namespace) -> cg.Neo4jSettings:
    """The server named by ``--uri``/``--user``/``--database`` and the ``CAREGRAPH_NEO4J_*`` variables."""
    return cg.Neo4jSettings.from_env(uri=args.uri, user=args.user, database=args.database)


@contextmanager
def open_model(args: argparse.Namespace) -> Iterator[CareGraph | QueryRunner]:
    """Open the model a ``--backend`` command analyses, and close it afterwards.

    Parameters
    ----------
    args : argparse.Namespace
        With ``path`` (the model folder) and the options of ``add_backend``.

    Yields
    ------
    CareGraph or QueryRunner
        The folder loaded (``networkx``), or a ``Neo4jBackend`` scoped to the
        model id (``neo4j``).

    Raises
    ------
    networks.errors.ValidationError
        The folder is not a valid model (``networkx``).
    networks.errors.Neo4jError
        Neo4j cannot be reached, or holds no complete model with that id.

    Examples
    --------
    >>> args = argparse.Namespace(path="tests/fixtures/small_model", backend="networkx")
    >>> with open_model(args) as model:
    ...     model.number_of_nodes()
    21
    """
    if args.backend == "networkx":
        yield cg.load_model(args.path)
        return
    model = args.model or Path(args.path).name  # as `caregraph neo4j load` names it
    with cg.Neo4jBackend(neo4j_settings(args), model=model) as backend:
        cg.check_loaded(backend, model)
        yield backend


ENGINES = ("duckdb", "spark")
"""Where the commands that touch every row of a large table (``eventlog``, ``flows``) run: on this machine, or Spark."""


def add_engine(parser: argparse.ArgumentParser, what: str) -> None:
    """Add ``--engine duckdb|spark``; ``what`` says what Spark reads (``"CSV only"``)."""
    parser.add_argument("--engine", choices=ENGINES, default="duckdb",
                        help=f"where to work: duckdb (default, on this machine) or spark (a local Spark session; "
                             f"{what}; needs pip install 'caregraph[spark]' and Java 17)")


def start_spark(memory_limit: str | None = None) -> Any:
    """The Spark session for ``--engine spark``: a clear error when PySpark is not installed."""
    if importlib.util.find_spec("pyspark") is None:
        raise cg.ArgumentError("--engine spark needs PySpark: pip install 'caregraph[spark]' (and Java 17 or later)")
    return cg.spark_session(memory_limit=memory_limit)


def say(message: str) -> None:
    """Tell the user something on standard error (what was written, which date was used)."""
    print(f"caregraph: {message}", file=sys.stderr)
