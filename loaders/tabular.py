"""Reading a model table from CSV or an Excel sheet into numbered rows.

Rows are numbered as a spreadsheet shows them: the header is row 1, the
first data row is row 2. Cells stay as read (text from CSV; numbers, text or
timestamps from Excel); the schema converts them later.

Examples
--------
>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "services.csv"
>>> _ = path.write_text("id,name,specialised\\nsvc-pci,PCI,yes\\n")
>>> read_rows(path, path.name)
(['id', 'name', 'specialised'], [(2, {'id': 'svc-pci', 'name': 'PCI', 'specialised': 'yes'})], [])
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path
from typing import Any

import pandas as pd

from networks import Problem

__all__ = ["excel_sheet_names", "read_rows"]

Rows = list[tuple[int, dict[str, Any]]]


def _csv_header(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [cell.strip() for cell in next(csv.reader(handle), [])]


def excel_sheet_names(path: Path) -> list[str]:
    """Return the sheet names of an Excel workbook.

    Raises
    ------
    ValueError
        If the file is not a readable .xlsx workbook.
    """
    try:
        with pd.ExcelFile(path) as book:
            return [str(name) for name in book.sheet_names]
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise ValueError(f"not a readable .xlsx workbook ({exc})") from None


def read_rows(path: Path, label: str, sheet: str | int | None = None) -> tuple[list[str], Rows, list[Problem]]:
    """Read a CSV file, or one sheet of an .xlsx workbook, into numbered rows.

    Parameters
    ----------
    path : Path
        The file.
    label : str
        How problems name the file (e.g. ``"budgets.csv"`` or
        ``"model.xlsx[budgets]"``).
    sheet : str or int, optional
        Sheet name (or position) in a workbook; ``None`` reads CSV.

    Returns
    -------
    header : list of str
        Column names, stripped.
    rows : list of (row number, {column: value})
        Data rows, blank rows skipped.
    problems : list of Problem
        Unreadable or malformed files and duplicate column names; when there
        are any, ``rows`` is empty.
    """
    try:
        if sheet is None:
            header = _csv_header(path)
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig",
                                skip_blank_lines=False)
        else:
            frame = pd.read_excel(path, sheet_name=sheet, dtype=object)
            header = [str(c).strip() for c in frame.columns]
    except pd.errors.EmptyDataError:
        return [], [], [Problem(label, None, None, "the file is empty (no header row)")]
    except (pd.errors.ParserError, UnicodeDecodeError, csv.Error, ValueError, OSError) as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return [], [], [Problem(label, None, None, f"cannot be read: {reason}")]
    duplicated = [name for name, count in Counter(header).items() if count > 1]
    if duplicated:
        return header, [], [Problem(label, 1, name, "column appears more than once") for name in duplicated]
    frame.columns = header
    rows: Rows = []
    for number, record in enumerate(frame.to_dict("records"), start=2):
        if all(pd.isna(v) or (isinstance(v, str) and not v.strip()) for v in record.values()):
            continue
        rows.append((number, {str(k): v for k, v in record.items()}))
    return header, rows, []
