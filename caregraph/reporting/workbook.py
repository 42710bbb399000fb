"""The report as an Excel workbook: the headline figures first, then one sheet a table.

Every sheet has a frozen header row, column widths that fit, and number
formats by unit (``caregraph.display.EXCEL_FORMATS``: £ and thousands for
money, one decimal place for patients); the exact values stay in the cells.

Examples
--------
>>> import tempfile, pathlib, openpyxl
>>> import caregraph as cg
>>> from caregraph.reporting.content import build_report
>>> path = pathlib.Path(tempfile.mkdtemp()) / "findings.xlsx"
>>> write_workbook(build_report(cg.load_model("tests/fixtures/small_model"), as_at="2024-06-01",
...                             diagrams=False), path)
>>> openpyxl.load_workbook(path).sheetnames[:3]
['Summary', 'Hand-offs per pathway', 'Every hand-off']
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from loaders.output_files import output_file

from ..display import EXCEL_FORMATS, column_kind, label, shown, total_row
from ..output import plain_table
from .content import Report, ReportTable

__all__ = ["write_workbook"]

_HEADER_FILL = PatternFill("solid", fgColor="005EB8")
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_MAX_WIDTH = 60


def _number_format(column: str, values: list[Any]) -> str:
    kind = column_kind(column)
    if kind == "number" and all(isinstance(v, int) or v is None for v in values):
        return EXCEL_FORMATS["integer"]
    return EXCEL_FORMATS[kind]


def _sheet_title(title: str, taken: set[str]) -> str:
    """Excel allows 31 characters and no []:*?/\\ in a sheet name, and no two alike."""
    base = "".join(ch for ch in title if ch not in "[]:*?/\\")[:31]
    name, n = base, 2
    while name in taken:
        name = f"{base[:28]} {n}"
        n += 1
    taken.add(name)
    return name


def _write_table(sheet: Worksheet, table: ReportTable) -> None:
    columns, rows = plain_table(table.frame)
    total = total_row(columns, rows) if table.frame.attrs.get("total") and len(rows) > 1 else None
    sheet.append([label(c) for c in columns])
    for row in rows + ([total] if total else []):
        sheet.append(row)
    for cell in sheet[1]:
        cell.fill, cell.font = _HEADER_FILL, _HEADER_FONT
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    if total:
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for index, column in enumerate(columns, start=1):
        values = [row[index - 1] for row in rows]
        number_format = _number_format(column, values)
        for cell in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            if isinstance(cell[0].value, (int, float)) and not isinstance(cell[0].value, bool):
                cell[0].number_format = number_format
        widest = max([len(label(column))] + [len(shown(v, column)) for v in values], default=8)
        sheet.column_dimensions[get_column_letter(index)].width = min(_MAX_WIDTH, widest + 2)
    if not rows:
        sheet.append([table.frame.attrs.get("empty") or "Nothing to show."])


def write_workbook(report: Report, path: str | Path) -> None:
    """Write the report as an .xlsx workbook, whole or not at all."""
    book = Workbook()
    summary = book.active
    summary.title = "Summary"
    summary.append([report.title])
    summary["A1"].font = Font(bold=True, size=14)
    summary.append([f"As at {report.as_at}"])
    for line in report.provenance:
        summary.append([line])
    summary.append([])
    summary.append(["In brief"])
    summary[f"A{summary.max_row}"].font = Font(bold=True)
    for line in report.headlines:
        summary.append([line])
    summary.append([])
    summary.append([f"Made by caregraph {report.version} on {report.generated}."])
    summary.column_dimensions["A"].width = 120
    taken = {"Summary"}
    for section in report.sections:
        for table in section.tables:
            _write_table(book.create_sheet(_sheet_title(table.title, taken)), table)
    with output_file(path) as temp:
        book.save(temp)
