"""The one reader for every table a user gives caregraph: CSV (optionally gzipped) or a sheet of an .xlsx workbook.

Model tables, delegation plans, flows, spend, analyst scores and activity
tables are all read here, so every table follows the same rules:

* rows are numbered as a spreadsheet shows them: the header is row 1, the
  first data row row 2 (a gap left by a blank row keeps the numbering true);
* blank rows are skipped;
* column names are stripped, and a name given twice is a problem;
* a row with more cells than the header is a problem naming that row
  (fewer cells leave the missing ones blank);
* a file that cannot be read at all (missing, empty, not UTF-8, an
  unterminated quote, a damaged workbook, a sheet that does not exist) gives
  one problem and no rows, so that nothing that follows from it is reported.

Cells stay as read: text from CSV; text, numbers, dates or ``None`` from
Excel. Checking values is the job of whoever asked for the table.

Examples
--------
>>> import caregraph as cg
>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "services.csv"
>>> _ = path.write_text("id,name,specialised\\nsvc-pci,PCI,yes\\n\\nsvc-cabg,CABG,yes,extra\\n")
>>> table = cg.read_table(path)
>>> table.header, table.rows
(['id', 'name', 'specialised'], [(2, {'id': 'svc-pci', 'name': 'PCI', 'specialised': 'yes'})])
>>> [str(p) for p in table.problems]
['services.csv, row 4: 4 cells where the header has 3 columns']
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import zipfile
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd

from networks.errors import Problem, ValidationError
from networks.values import tidy_frame

from .text_files import DAMAGED_FILE_ERRORS, damaged_file_problem, first_line, not_utf8_problem

__all__ = ["TABLE_SUFFIXES", "Table", "excel_sheet_names", "read_checked_frame", "read_input_frame", "read_table"]

TABLE_SUFFIXES = (".csv", ".csv.gz", ".xlsx")
"""The file names a table may have."""

Row = tuple[int, dict[str, Any]]



@dataclass
class Table:
    """A table as read: its header, numbered rows and the problems that stopped or spoiled the reading.

    Attributes
    ----------
    label : str
        How problems name the table: the file name, or ``book.xlsx[sheet]``.
    header : list of str
        Column names, stripped (empty when the table could not be read).
    rows : list of (row number, {column: value})
        Data rows; blank rows and rows of the wrong width are left out.
    broken : list of (row number, {column: value})
        The rows left out for having too many cells, read as far as the
        header goes: their ids are known, so references to them are not
        reported again.
    problems : list of Problem
        Problems with the file itself (unreadable, duplicate column names,
        rows with too many cells).
    readable : bool
        False when nothing at all could be read (the header is unknown).
    """

    label: str
    header: list[str] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    broken: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    readable: bool = True

    def column_problems(self, required: Sequence[str], optional: Sequence[str] = ()) -> list[Problem]:
        """Unknown and missing columns, naming row 1 (the header).

        Examples
        --------
        >>> import caregraph as cg
        >>> table = cg.Table("spend.csv", ["service_id", "spend"])
        >>> [str(p) for p in table.column_problems(["service_id", "spend_gbp"])]  # doctest: +NORMALIZE_WHITESPACE
        ["spend.csv, row 1, field 'spend': unknown column; allowed: service_id, spend_gbp",
         "spend.csv, row 1, field 'spend_gbp': missing column"]
        """
        if not self.readable:
            return []
        allowed = [*required, *optional]
        problems = [Problem(self.label, 1, c, f"unknown column; allowed: {', '.join(allowed)}")
                    for c in self.header if c not in allowed]
        problems += [Problem(self.label, 1, c, "missing column") for c in required if c not in self.header]
        return problems

    def frame(self, columns: Sequence[str]) -> pd.DataFrame:
        """The rows as a frame of ``columns`` (stripped, blanks ``None``; absent columns blank) plus ``row``.

        Examples
        --------
        >>> import caregraph as cg
        >>> cg.Table("t.csv", ["a"], [(2, {"a": " x "}), (4, {"a": ""})]).frame(["a", "b"]).values.tolist()
        [['x', None, 2], [None, None, 4]]
        """
        raw = pd.DataFrame({c: [row.get(c) for _, row in self.rows] for c in columns}, dtype=object)
        raw["row"] = [number for number, _ in self.rows]
        return tidy_frame(raw, columns)


def excel_sheet_names(path: str | Path) -> list[str]:
    """Return the sheet names of an .xlsx workbook.

    Raises
    ------
    ValidationError
        The file is not a readable .xlsx workbook.
    """
    path = Path(path)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError, TypeError) as exc:
        raise ValidationError([Problem(path.name, None, None, _workbook_problem(exc))]) from None
    try:
        return [str(name) for name in book.sheetnames]
    finally:
        book.close()


def _workbook_problem(exc: Exception) -> str:
    if isinstance(exc, FileNotFoundError):
        return "no such file"
    return f"cannot be read: not a readable .xlsx workbook ({first_line(exc)})"


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _decode(data: bytes, label: str) -> tuple[str | None, Problem | None]:
    """UTF-8 text (a byte-order mark allowed), or a problem naming the row of the first bad byte."""
    try:
        return codecs.decode(data, "utf-8-sig"), None
    except UnicodeDecodeError:
        text = data.decode("utf-8-sig", errors="surrogateescape")
        rows = csv.reader(io.StringIO(text, newline=""))
        found = (not_utf8_problem(label, number, cells) for number, cells in enumerate(rows, start=1))
        return None, next((problem for problem in found if problem), Problem(label, 1, None, "is not UTF-8 text"))


def _csv_rows(path: Path, label: str) -> Table:
    table = Table(label)
    try:
        data = path.read_bytes()
        if path.name.lower().endswith(".gz"):
            data = gzip.decompress(data)
    except DAMAGED_FILE_ERRORS as exc:
        return Table(label, problems=[damaged_file_problem(label, exc)], readable=False)
    text, problem = _decode(data, label)
    if text is None:
        return Table(label, problems=[problem] if problem else [], readable=False)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[list[str]] = []
    try:
        for cells in reader:
            records.append(cells)
    except csv.Error as exc:
        row = len(records) + 1
        reason = "a quoted cell is never closed (unterminated quote)" if "end of data" in str(exc) else str(exc)
        return Table(label, problems=[Problem(label, row, None, f"cannot be read: {reason}")], readable=False)
    if not records or all(_blank(cell) for cell in records[0]):
        return Table(label, problems=[Problem(label, None, None, "the file is empty (no header row)")],
                     readable=False)
    table.header = [cell.strip() for cell in records[0]]
    for number, cells in enumerate(records[1:], start=2):
        if all(_blank(cell) for cell in cells):
            continue
        if len(cells) > len(table.header) and any(not _blank(c) for c in cells[len(table.header):]):
            table.problems.append(Problem(label, number, None,
                                          f"{len(cells)} cells where the header has {len(table.header)} columns"))
            table.broken.append((number, dict(zip(table.header, cells, strict=False))))
            continue
        table.rows.append((number, dict(zip(table.header, cells, strict=False))))
    return table


def _sheet_rows(path: Path, sheet: str | int, label: str) -> Table:
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError, TypeError) as exc:
        return Table(label, problems=[Problem(label, None, None, _workbook_problem(exc))], readable=False)
    try:
        names = list(book.sheetnames)
        if isinstance(sheet, int):
            if not names:
                return Table(label, problems=[Problem(label, None, None, "the workbook has no sheet")],
                             readable=False)
            worksheet = book[names[sheet]]
        elif sheet in names:
            worksheet = book[sheet]
        else:
            return Table(label, problems=[Problem(label, None, None,
                                                  f"no sheet '{sheet}'; the workbook has: {', '.join(names)}")],
                         readable=False)
        records = [(number, list(cells)) for number, cells in
                   enumerate(worksheet.iter_rows(values_only=True), start=1)]
    except (OSError, zipfile.BadZipFile, KeyError, ValueError, TypeError) as exc:
        return Table(label, problems=[Problem(label, None, None, _workbook_problem(exc))], readable=False)
    finally:
        book.close()
    records = [(n, cells) for n, cells in records if not all(_blank(c) for c in cells)]
    if not records:
        return Table(label, problems=[Problem(label, None, None, "the sheet is empty (no header row)")],
                     readable=False)
    header_row, header_cells = records[0]
    while header_cells and _blank(header_cells[-1]):
        header_cells = header_cells[:-1]
    table = Table(label, [("" if c is None else str(c)).strip() for c in header_cells])
    if header_row != 1:
        table.problems.append(Problem(label, header_row, None, "the header must be in row 1"))
        table.readable = False
        table.header = []
        return table
    width = len(table.header)
    for number, cells in records[1:]:
        if any(not _blank(c) for c in cells[width:]):
            table.problems.append(Problem(label, number, None,
                                          f"a value beyond the {width} columns of the header"))
            table.broken.append((number, dict(zip(table.header, cells, strict=False))))
            continue
        table.rows.append((number, dict(zip(table.header, cells, strict=False))))
    return table


def read_table(path: str | Path, *, sheet: str | int | None = None, label: str | None = None) -> Table:
    """Read a CSV file, or one sheet of an .xlsx workbook, into numbered rows.

    Parameters
    ----------
    path : str or Path
        ``.csv``, ``.csv.gz`` or ``.xlsx``.
    sheet : str or int, optional
        For a workbook: the sheet's name or position (default: the first).
    label : str, optional
        How problems name the table (default: the file name, with the sheet
        in brackets when one is named).

    Returns
    -------
    Table
        Never raises for bad content: every problem is in ``Table.problems``.

    Examples
    --------
    >>> import caregraph as cg
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "plan.csv"
    >>> _ = path.write_bytes(b"service_id,tier\\nsvc-a,\\xe9cs\\n")
    >>> [str(p) for p in cg.read_table(path).problems]
    ['plan.csv, row 2: is not UTF-8 text (byte 0xe9): save it as CSV UTF-8']
    """
    path = Path(path)
    workbook = path.suffix.lower() == ".xlsx"
    if label is None:
        label = f"{path.name}[{sheet}]" if workbook and isinstance(sheet, str) else path.name
    table = _sheet_rows(path, 0 if sheet is None else sheet, label) if workbook else _csv_rows(path, label)
    duplicated = [name for name, count in Counter(table.header).items() if count > 1]
    if duplicated:
        table.problems += [Problem(label, 1, name, "column appears more than once") for name in duplicated]
        table.rows = []
        table.readable = False
    return table


def read_checked_frame(
    path: str | Path,
    required: Sequence[str],
    optional: Iterable[str] = (),
    *,
    sheet: str | int | None = None,
) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Read a table whose columns are fixed, as a frame of stripped text cells plus ``row``.

    Parameters
    ----------
    path : str or Path
        The table (see ``read_table``).
    required, optional : sequence of str
        Columns that must be present, and columns that may be.
    sheet : str or int, optional
        For a workbook, the sheet.

    Returns
    -------
    frame : pandas.DataFrame or None
        The allowed columns present (cells stripped, blanks ``None``) and
        ``row``; ``None`` when the table cannot be read or lacks a required
        column.
    problems : list of Problem
        File-level and header problems.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "spend.csv"
    >>> _ = path.write_text("service_id,spend_gbp\\nsvc-a, 10 \\n")
    >>> frame, problems = read_checked_frame(path, ["service_id", "spend_gbp"])
    >>> frame.values.tolist(), problems
    ([['svc-a', '10', 2]], [])
    """
    optional = tuple(optional)
    table = read_table(path, sheet=sheet)
    problems = table.problems + table.column_problems(required, optional)
    if not table.readable or any(p.message == "missing column" for p in problems):
        return None, problems
    present = [c for c in (*required, *optional) if c in table.header]
    return table.frame(present), problems


def read_input_frame(path: str | Path, required: Sequence[str], optional: Sequence[str] = ()) -> pd.DataFrame:
    """Read an analyst's input table for an analysis to check: text cells, ``row``, and what stays to report.

    Parameters
    ----------
    path : str or Path
        A CSV (``.csv``, ``.csv.gz``) or ``.xlsx`` file (first sheet).
    required, optional : sequence of str
        The columns that must be, and may be, present.

    Returns
    -------
    pandas.DataFrame
        The columns present (stripped text, blanks ``None``) and ``row``;
        ``attrs["source"]`` is the file name and ``attrs["problems"]`` the
        problems that did not stop the reading (an unknown column, a row with
        too many cells), for the analysis to report with its own.

    Raises
    ------
    networks.errors.ValidationError
        An unreadable file, or missing or repeated columns.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "spend.csv"
    >>> _ = path.write_text("service_id,spend_gbp,note\\nsvc-a,10,x\\n")
    >>> frame = read_input_frame(path, ["service_id", "spend_gbp"])
    >>> frame.values.tolist(), [str(p) for p in frame.attrs["problems"]]
    ([['svc-a', '10', 2]], ["spend.csv, row 1, field 'note': unknown column; allowed: service_id, spend_gbp"])
    """
    frame, problems = read_checked_frame(path, required, optional)
    if frame is None:
        raise ValidationError(problems)
    frame.attrs["source"] = Path(path).name
    frame.attrs["problems"] = problems
    return frame
