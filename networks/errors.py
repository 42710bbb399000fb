"""caregraph's exceptions: one root, ``CareGraphError``, and the located problems a validation collects.

Every error caused by the input or the environment (a bad file, an unknown
id, a server that cannot be reached, a file that cannot be written) is a
``CareGraphError``; the command line prints it in one line and exits with
status 2. Anything else that escapes is a bug in caregraph: the command line
shows its traceback and exits with status 1.

Each subclass also inherits the built-in exception a Python user would
expect to catch (``ValueError`` for bad values, ``KeyError`` for an unknown
name, ``OSError`` for a file that cannot be written).

Examples
--------
>>> import caregraph as cg
>>> err = cg.ValidationError([cg.Problem("services.csv", 3, "specialised", "'maybe' is not yes/no")])
>>> print(err)
1 problem:
  services.csv, row 3, field 'specialised': 'maybe' is not yes/no
>>> isinstance(err, ValueError)
True
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "ArgumentError",
    "CareGraphError",
    "Neo4jError",
    "OutputError",
    "Problem",
    "QueryNotFound",
    "SchemaError",
    "ValidationError",
]


class CareGraphError(Exception):
    """Base class of every error caregraph raises on purpose: the input or the environment is at fault."""


class SchemaError(CareGraphError, ValueError):
    """A node or relationship does not fit the schema."""


class ArgumentError(CareGraphError, ValueError):
    """An argument is not one the function or command accepts (an unknown option, a number out of range)."""


class QueryNotFound(CareGraphError, KeyError):
    """No shipped Cypher query has the name asked for.

    Examples
    --------
    >>> import caregraph as cg
    >>> str(cg.QueryNotFound("no Cypher query named 'nope'"))
    "no Cypher query named 'nope'"
    """

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class Neo4jError(CareGraphError, RuntimeError):
    """A one-line, password-free account of something that went wrong with Neo4j.

    Raised for a server that cannot be reached, refused credentials, a
    missing database, an error in a query (syntax, a write in read-only
    mode, a missing parameter), or a model that cannot be read back.
    """


class OutputError(CareGraphError, OSError):
    """A result could not be written (a missing folder, no permission, a full disk)."""


@dataclass(frozen=True)
class Problem:
    """One problem found in the input, with where it is.

    Parameters
    ----------
    file : str
        The file (or table) the problem is in.
    row : int or str or None
        Row number as a spreadsheet shows it (header is row 1), or a YAML
        path such as ``steps[2].provider``; ``None`` for the whole file.
    field : str or None
        The column or property at fault.
    message : str
        What is wrong, in one line.
    severity : {"error", "warning"}
        A warning is reported but does not stop the input being used.
    """

    file: str
    row: int | str | None
    field: str | None
    message: str
    severity: str = "error"

    def sort_key(self) -> tuple[str, int, int, str]:
        """Order problems by file, then row (whole-file problems first, YAML paths last)."""
        if self.row is None:
            return (self.file, 0, 0, "")
        if isinstance(self.row, int):
            return (self.file, 1, self.row, "")
        return (self.file, 2, 0, self.row)

    def __str__(self) -> str:
        parts = [self.file]
        if self.row is not None:
            parts.append(f"row {self.row}" if isinstance(self.row, int) else str(self.row))
        if self.field is not None:
            parts.append(f"field '{self.field}'")
        return f"{', '.join(parts)}: {self.message}"


class ValidationError(CareGraphError, ValueError):
    """All the problems found in one input, raised together.

    Attributes
    ----------
    problems : list of Problem
        Every problem found, ordered by file and row.
    """

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(problems, key=Problem.sort_key)
        count = len(self.problems)
        lines = [f"{count} problem{'s' if count != 1 else ''}:"]
        lines += [f"  {problem}" for problem in self.problems]
        super().__init__("\n".join(lines))
