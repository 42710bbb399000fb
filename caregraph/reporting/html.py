"""The report as one self-contained HTML page: a Jinja2 template with inline CSS, JavaScript and SVG.

Tables can be sorted (click a heading) and filtered (type in the box above
them) with a few lines of plain JavaScript in the page itself: no network
access, no CDN. Numbers are shown rounded by their unit
(``caregraph.display``) and sorted by their exact value.

Examples
--------
>>> import caregraph as cg
>>> from caregraph.reporting.content import build_report
>>> page = render_html(build_report(cg.load_model("tests/fixtures/small_model"), as_at="2024-06-01",
...                                 diagrams=False))
>>> page.startswith("<!DOCTYPE html>"), "http" in page.replace("https://caregraph", "")
(True, False)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from loaders.output_files import output_file

from ..display import label, shown, total_row
from ..output import plain_table
from .content import Report, ReportTable

__all__ = ["render_html", "write_html"]


@dataclass(frozen=True)
class _Cell:
    text: str
    sort: str
    css: str


@dataclass(frozen=True)
class _Column:
    name: str
    label: str
    css: str


_CODE_LENGTH = 8
"""A column whose every value is at most this long, without spaces (ODS codes, ids such as ``s65Z5``), is a
``code`` column: printed, its cells never break inside a value."""


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _column_css(values: list[Any], column: str) -> str:
    """``num`` for a column of numbers (right-aligned), ``code`` for one of short codes, else ``""``."""
    if all(_is_number(v) or v is None for v in values) and any(_is_number(v) for v in values):
        return "num"
    texts = [shown(v, column) for v in values if v is not None]
    return "code" if texts and all(len(s) <= _CODE_LENGTH and " " not in s for s in texts) else ""


def _cells(table: ReportTable) -> dict[str, Any]:
    """A table as the template shows it: labelled columns, rows of cells, the total row, why it is empty."""
    columns, rows = plain_table(table.frame)
    css = [_column_css([row[i] for row in rows], column) for i, column in enumerate(columns)]
    severity = columns.index("severity") if "severity" in columns else None

    def cells(row: list[Any]) -> list[_Cell]:
        return [_Cell(shown(v, c), "" if v is None else repr(v) if _is_number(v) else str(v), k)
                for v, c, k in zip(row, columns, css, strict=True)]

    total = total_row(columns, rows) if table.frame.attrs.get("total") and len(rows) > 1 else None
    return {
        "columns": [_Column(c, label(c), k) for c, k in zip(columns, css, strict=True)],
        "rows": [{"cells": cells(row), "css": row[severity] if severity is not None else ""} for row in rows],
        "total": cells(total) if total else None,
        "empty": table.frame.attrs.get("empty") or "Nothing to show.",
    }


def _anchor(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


_ENVIRONMENT = jinja2.Environment(loader=jinja2.PackageLoader("caregraph.reporting", "templates"),
                                  autoescape=jinja2.select_autoescape(["html", "j2"]), trim_blocks=True,
                                  lstrip_blocks=True)
_ENVIRONMENT.filters["cells"] = _cells
_ENVIRONMENT.filters["anchor"] = _anchor


def render_html(report: Report) -> str:
    """The report as the text of one HTML page."""
    return _ENVIRONMENT.get_template("report.html.j2").render(report=report)


def write_html(report: Report, path: str | Path) -> None:
    """Write the report's HTML page, whole or not at all (``networks.errors.OutputError`` if it cannot be)."""
    with output_file(path) as temp:
        temp.write_text(render_html(report), encoding="utf-8")
