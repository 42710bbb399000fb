"""Printing results for the command line: an aligned table for people, CSV or JSON for programs.

A result is a DataFrame (what every analysis returns) or a list of records;
either is printed without importing pandas, so the command line stays fast.
A date-dependent result says which date it used (``attrs["as_at"]``): the
table starts with an "As at" line and JSON is an object with ``as_at`` and
``rows``; CSV stays a clean table (the command line says the date on
standard error).
CSV and JSON keep full precision (15 significant digits, which drops the
noise of binary arithmetic such as ``0.15675000000000003``); the table
rounds for reading by each column's unit (``caregraph.display``), adds a
total row where the result asks for one (``attrs["total"]``), fits the
terminal's width by wrapping its columns into blocks, and explains an empty
result (``attrs["empty"]``). Missing values are blank (``null`` in JSON).

Examples
--------
>>> print(render([{"name": "ICB", "count": 42, "share": 0.15675000000000003}], "csv"), end="")
name,count,share
ICB,42,0.15675
>>> print(render([{"name": "ICB", "patients": 1234.56}, {"name": "region", "patients": 7.0}], "table"), end="")
name    patients
ICB      1,234.6
region         7
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Union

from networks.dates import ALL_DATES, today
from networks.errors import ArgumentError

from .display import shown, total_row

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["FORMATS", "Result", "as_at_of", "describe_as_at", "plain_table", "render"]

FORMATS = ("table", "csv", "json")
"""The output formats of every command that prints a table."""

Result = Union["pd.DataFrame", Sequence[Mapping[str, Any]]]


def _plain(value: Any) -> Any:
    """A value as plain Python: numpy scalars unwrapped, every kind of missing value ``None``."""
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        with contextlib.suppress(ValueError, TypeError):
            value = value.item()
    if value is None:
        return None
    try:
        if value != value:  # NaN, NaT
            return None
    except TypeError:  # pandas.NA cannot be compared
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def plain_table(result: Result) -> tuple[list[str], list[list[Any]]]:
    """Column names and rows of plain Python values (missing values ``None``) of a DataFrame or records."""
    if hasattr(result, "itertuples") and hasattr(result, "columns"):
        columns = [str(c) for c in result.columns]
        rows = [list(row) for row in result.itertuples(index=False, name=None)]
    else:
        records = list(result)
        columns = list(dict.fromkeys(str(k) for record in records for k in record))
        rows = [[record.get(c) for c in columns] for record in records]
    return columns, [[_plain(v) for v in row] for row in rows]


def _exact(value: Any) -> Any:
    """A float to 15 significant digits, the precision a double carries without arithmetic noise."""
    if isinstance(value, float):
        return float(f"{value:.15g}") if math.isfinite(value) else None
    return value


def _csv(columns: list[str], rows: list[list[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if v is None else repr(_exact(v)) if isinstance(v, float) else v for v in row])
    return out.getvalue()


def _records(columns: list[str], rows: list[list[Any]]) -> list[dict[str, Any]]:
    return [{c: _exact(v) for c, v in zip(columns, row, strict=True)} for row in rows]


def _aligned(columns: list[str], rows: list[list[Any]], width: int | None) -> str:
    """The rows as aligned text; wider than ``width``, the columns wrap into blocks that repeat the first."""
    numeric = [all((isinstance(row[i], (int, float)) and not isinstance(row[i], bool)) or row[i] is None
                   for row in rows) for i in range(len(columns))]
    cells = [columns] + [[shown(v, c) for v, c in zip(row, columns, strict=True)] for row in rows]
    widths = [max(len(line[i]) for line in cells) for i in range(len(columns))]
    blocks: list[list[int]] = [[0]]
    for i in range(1, len(columns)):
        used = sum(widths[j] + 2 for j in blocks[-1])
        if width is not None and len(blocks[-1]) > 1 and used + widths[i] > width:
            blocks.append([0])
        blocks[-1].append(i)
    text = []
    for block in blocks:
        for line in cells:
            parts = [line[i].rjust(widths[i]) if numeric[i] else line[i].ljust(widths[i]) for i in block]
            text.append("  ".join(parts).rstrip())
        text.append("")
    return "\n".join(text[:-1]) + "\n"


def _chosen(columns: list[str], rows: list[list[Any]], wanted: Sequence[str] | None) -> tuple[list[str],
                                                                                             list[list[Any]]]:
    if not wanted:
        return columns, rows
    unknown = [c for c in wanted if c not in columns]
    if unknown:
        raise ArgumentError(f"--columns: no column {', '.join(unknown)}; the columns are {', '.join(columns)}")
    index = [columns.index(c) for c in wanted]
    return list(wanted), [[row[i] for i in index] for row in rows]


def as_at_of(result: Result) -> str | None:
    """The date a result says it used (an ISO date or ``"all"``), or ``None`` for an undated result."""
    attrs = getattr(result, "attrs", None)
    return attrs.get("as_at") if isinstance(attrs, dict) else None


def describe_as_at(as_at: str) -> str:
    """``"as at 2026-12-01 (today)"``, ``"as at 2026-05-01"`` or ``"every date (as_at 'all')"``.

    Examples
    --------
    >>> describe_as_at("all")
    "every date (as_at 'all')"
    """
    if as_at == ALL_DATES:
        return "every date (as_at 'all')"
    return f"as at {as_at}" + (" (today)" if as_at == today() else "")


def render(result: Result, fmt: str, *, columns: Sequence[str] | None = None, width: int | None = None) -> str:
    """Return a result as text in one of ``FORMATS``.

    Parameters
    ----------
    result : pandas.DataFrame or list of mappings
        The result to show; a DataFrame's index is not written.
    fmt : {"table", "csv", "json"}
        ``table`` is aligned text for people (missing values blank), ``csv``
        has a header row (missing values empty), and ``json`` is a list of
        records (missing values ``null``).
    columns : sequence of str, optional
        Only these columns, in this order.
    width : int, optional
        The terminal's width: a wider table wraps its columns into blocks.

    Returns
    -------
    str
        The text, ending with a newline.

    Raises
    ------
    networks.errors.ArgumentError
        An unknown format.

    Examples
    --------
    >>> render([{"a": 1, "b": None}], "json")
    '[{"a":1,"b":null}]\\n'
    """
    if fmt not in FORMATS:
        raise ArgumentError(f"unknown format '{fmt}'; choose one of {', '.join(FORMATS)}")
    names, rows = _chosen(*plain_table(result), columns)
    as_at = as_at_of(result)
    if fmt == "csv":
        return _csv(names, rows)
    if fmt == "json":
        records = _records(names, rows)
        document = records if as_at is None else {"as_at": as_at, "rows": records}
        return json.dumps(document, ensure_ascii=False, separators=(",", ":"), allow_nan=False) + "\n"
    attrs = getattr(result, "attrs", None) or {}
    heading = "" if as_at is None else describe_as_at(as_at).capitalize() + "\n"
    if not rows:
        return heading + f"({attrs.get('empty') or 'no rows'})\n"
    total = total_row(names, rows) if attrs.get("total") and len(rows) > 1 else None
    return heading + _aligned(names, rows + ([total] if total else []), width)
