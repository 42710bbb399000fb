"""How numbers are shown to people: one rounding policy for the terminal table, the HTML report and Excel.

Columns carry their unit in their name (``money_gbp``, ``patients_per_year``),
and the unit decides the display: money to whole pounds, patients to one
decimal place (a flow of 0.4 a year is never shown as 0), percentages
(``_pct``) to one, shares and probabilities to three. CSV and JSON keep full precision; only what people
read is rounded.

Examples
--------
>>> shown(3017125.688665, "money_crossing_gbp"), shown(0.4, "patients_per_year"), shown(0.15675, "share")
('3,017,126', '0.4', '0.157')
>>> shown(25000.0, "entrants"), shown(18235.573, "patients_crossing"), shown(83.432446, "share_inside_pct")
('25,000', '18,235.6', '83.4')
"""

from __future__ import annotations

import math
from typing import Any

__all__ = ["EXCEL_FORMATS", "column_kind", "label", "shown", "total_row"]

_RATIOS = ("probability", "share", "containment", "_per_patient", "per_patient_")
_COUNTS = ("patients", "per_year", "entrants", "activity", "visits", "waiting")

EXCEL_FORMATS = {
    "money": '"£"#,##0',
    "patients": "#,##0.0",
    "ratio": "0.000",
    "percent": "0.0",
    "number": "#,##0.###",
    "integer": "#,##0",
}
"""The Excel number format of each column kind."""

_RATIO_OF = {
    "handoffs_per_patient": ("handoffs_per_year", "entrants"),
    "crossings_per_patient": ("patients_crossing", "entrants"),
}
"""Ratio columns a total row can recompute from its totals."""

_ADDITIVE = {
    "entrants", "transitions", "handoff_transitions", "handoffs_per_year", "crossings", "patients_crossing",
    "money_crossing_gbp", "patients_per_year", "money_gbp", "count", "patients_in", "patients_out",
    "patients_total", "crossings_removed", "patients_removed", "money_removed_gbp", "n_icbs", "activity",
    "spend_gbp", "nodes", "relationships",
}
"""Columns whose total means something: counts, patients and money."""


def column_kind(column: str) -> str:
    """``money``, ``percent``, ``ratio``, ``patients`` or ``number``: how a column's numbers are shown.

    Examples
    --------
    >>> [column_kind(c) for c in ("unit_cost_gbp", "share_inside_pct", "crossings_per_patient", "handoffs_per_year",
    ...                           "rank")]
    ['money', 'percent', 'ratio', 'patients', 'number']
    """
    if column.endswith("_gbp"):
        return "money"
    if column.endswith("_pct"):
        return "percent"
    if any(part in column for part in _RATIOS):
        return "ratio"
    if any(part in column for part in _COUNTS):
        return "patients"
    return "number"


def label(column: str) -> str:
    """A column's heading for people: words, with the unit said.

    Examples
    --------
    >>> label("money_crossing_gbp"), label("from_holder_name"), label("patients_per_year")
    ('money crossing (£)', 'from holder name', 'patients per year')
    """
    for suffix, unit in (("_gbp", "£"), ("_pct", "%")):
        if column.endswith(suffix):
            return f"{column.removesuffix(suffix).replace('_', ' ')} ({unit})"
    return column.replace("_", " ")


def shown(value: Any, column: str) -> str:
    """A cell as people read it: rounded by the column's unit, thousands separated, missing blank."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        kind = column_kind(column)
        if kind == "money":
            return f"{value:,.0f}"
        if kind == "ratio":
            return f"{value:,.3f}"
        if kind == "percent":
            return f"{value:,.1f}"
        if kind == "patients":
            return f"{value:,.0f}" if value.is_integer() else f"{value:,.1f}"
        return f"{value:,.0f}" if value.is_integer() else f"{value:,.3f}".rstrip("0").rstrip(".")
    return str(value)


def total_row(columns: list[str], rows: list[list[Any]], label: str = "(total)") -> list[Any] | None:
    """A total row for the columns whose total means something, or ``None`` if none has.

    The first column holds ``label``; ratios whose parts are totalled are
    recomputed (hand-offs per patient = hand-offs a year / entrants);
    other columns are blank.

    Examples
    --------
    >>> total_row(["pathway", "entrants", "handoffs_per_year", "handoffs_per_patient"],
    ...           [["a", 100.0, 50.0, 0.5], ["b", 100.0, 10.0, 0.1]])
    ['(total)', 200.0, 60.0, 0.3]
    """
    sums: dict[str, float] = {}
    for index, column in enumerate(columns[1:], start=1):
        values = [row[index] for row in rows]
        if column in _ADDITIVE and values and all((isinstance(v, (int, float)) and not isinstance(v, bool))
                                                  or v is None for v in values):
            sums[column] = math.fsum(v for v in values if v is not None)
    if not sums:
        return None
    total: list[Any] = [label]
    for column in columns[1:]:
        if column in sums:
            total.append(sums[column])
        elif column in _RATIO_OF and all(part in sums for part in _RATIO_OF[column]):
            numerator, denominator = (sums[part] for part in _RATIO_OF[column])
            total.append(numerator / denominator if denominator else None)
        else:
            total.append(None)
    return total
