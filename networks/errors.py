"""caregraph's exceptions and the located problems a validation collects.

Examples
--------
>>> err = ValidationError([Problem("services.csv", 3, "specialised", "'maybe' is not yes/no")])
>>> print(err)
1 problem:
  services.csv, row 3, field 'specialised': 'maybe' is not yes/no
>>> isinstance(err, ValueError)
True
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["CareGraphError", "Problem", "SchemaError", "ValidationError"]


class CareGraphError(Exception):
    """Base class of every error caregraph raises on purpose."""


class SchemaError(CareGraphError, ValueError):
    """A node or relationship does not fit the schema."""


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
    """

    file: str
    row: int | str | None
    field: str | None
    message: str

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
