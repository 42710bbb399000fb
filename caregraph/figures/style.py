"""The look every caregraph figure shares: NHS colours, font sizes, the A4 page, and how numbers read.

Figures are drawn at the size they are meant to be printed: a figure no
larger than an A4 landscape page (297 x 210 mm) with no text under
``MIN_FONT_PT`` stays legible when printed on one. Numbers are shown with
one rounding rule each, used by every label of a figure, so a box and the
arrows leaving it never disagree, and nothing that is not zero reads 0.

Examples
--------
>>> patients_text(0.4), patients_text(0.02), patients_text(0.0), patients_text(12_909.4)
('0.4', '<0.1', '0', '12,909')
>>> patients_text(0.0004, per_patient=True), patients_text(0.2, per_patient=True)
('<0.1%', '20%')
>>> money_text(8_801_834), money_text(14_465.09), money_text(561.29), money_text(float("nan"))
('£8.8m', '£14k', '£561', '£ unknown')
"""

from __future__ import annotations

import math

__all__ = [
    "A4_LANDSCAPE_INCHES",
    "BUDGET_COLOURS",
    "FIGURE_MARGIN",
    "FLOW_GREY",
    "HANDOFF_RED",
    "INK",
    "LIGHT_INK",
    "MIN_FONT_PT",
    "NHS",
    "SETTING_COLOURS",
    "SETTING_NAMES",
    "SIZES",
    "key_values",
    "money_text",
    "patients_text",
    "printed_scale",
    "saved_size",
]

A4_LANDSCAPE_INCHES = (297 / 25.4, 210 / 25.4)
"""Width and height of an A4 landscape page, in inches."""

FIGURE_MARGIN = 0.04
"""The blank margin inside a figure's edges, in inches (saving adds 0.1 in more)."""

MIN_FONT_PT = 7.0
"""No text of a figure is smaller than this when it is printed on A4 landscape."""

SIZES = {"title": 11.0, "subtitle": 8.0, "lane": 7.5, "name": 7.0, "detail": 7.0, "flow": 7.0, "legend": 7.0,
         "note": 7.0}
"""Font sizes in points, by the kind of text."""

NHS = {
    "blue": "#005EB8", "dark_blue": "#003087", "bright_blue": "#0072CE", "light_blue": "#41B6E6",
    "aqua_green": "#00A499", "green": "#009639", "warm_yellow": "#FFB81C", "pale_yellow": "#FFF4D6",
    "red": "#DA291C", "dark_red": "#8A1538", "purple": "#330072", "pink": "#AE2573", "orange": "#ED8B00",
    "dark_grey": "#425563", "mid_grey": "#768692", "pale_grey": "#E8EDEE", "black": "#231F20",
}
"""The NHS identity colour palette (NHS England brand guidelines)."""

INK, LIGHT_INK = NHS["black"], NHS["dark_grey"]
HANDOFF_RED, FLOW_GREY = NHS["red"], NHS["mid_grey"]

SETTING_COLOURS = {
    "primary": "#C8E6A0",
    "community": "#A7DDD6",
    "acute": "#A9CBEA",
    "specialised": "#CBBFE3",
    "mental_health": "#FBD29C",
    "social_care": "#F6C3DB",
    "public_health": "#FFF0A8",
}
"""Box fill by care setting: light tints, so black text on them reads well."""

SETTING_NAMES = {"primary": "primary care", "community": "community care", "acute": "acute care",
                 "specialised": "specialised care", "mental_health": "mental health care", "social_care": "social care",
                 "public_health": "public health"}
"""How each care setting reads in a key."""

BUDGET_COLOURS = ("#A9CBEA", "#CBBFE3", "#F6C3DB", "#FFF0A8", "#A7DDD6", "#C8E6A0", "#FBD29C", "#D5DADC",
                  "#E3B7B0", "#B9E0F5", "#E2D6A8", "#C9C0B8")
"""Box fill by paying budget, in the order budgets are listed (then again)."""


def printed_scale(width_in: float, height_in: float) -> float:
    """How much a figure of this size is scaled to fit an A4 landscape page (above 1: enlarged).

    Examples
    --------
    >>> round(printed_scale(297 / 25.4 * 2, 1.0), 2)
    0.5
    """
    page_w, page_h = A4_LANDSCAPE_INCHES
    return min(page_w / width_in, page_h / height_in)


def saved_size(width_in: float, height_in: float) -> tuple[float, float]:
    """The size of a figure's file as ``cg.save_figure`` writes it (``bbox_inches="tight"``).

    The figures here draw in one axes covering the whole figure, which the
    cropping keeps whole; matplotlib then pads 0.1 in all round.
    """
    return width_in + 0.2, height_in + 0.2


def key_values(biggest: float) -> list[float]:
    """The amounts a key shows line widths for: the biggest, a round number about half of it, one about a tenth.

    Examples
    --------
    >>> key_values(25_000), key_values(11_474), key_values(0.4)
    ([25000, 10000, 2000], [11474, 5000, 1000], [0.4, 0.2, 0.05])
    """
    if biggest <= 0:
        return []
    rounds = [m * 10.0 ** e for e in range(math.floor(math.log10(biggest)) - 2, math.floor(math.log10(biggest)) + 1)
              for m in (1, 2, 5)]
    half = max(v for v in rounds if v <= biggest / 2)
    tenth = max(v for v in rounds if v <= biggest / 8)
    return [biggest, *(int(v) if v >= 1 else v for v in (half, tenth))]


def patients_text(value: float, per_patient: bool = False) -> str:
    """Patients a year (or, ``per_patient``, a share of the patients entering) as a figure shows them.

    Under 10: one decimal; from 10: whole numbers with thousands separators;
    a flow that rounds to nothing but is not zero reads ``<0.1``; exactly
    zero reads ``0``. Shares read as percentages with the same rule.
    """
    number = value * 100 if per_patient else value
    unit = "%" if per_patient else ""
    if number == 0 or math.isnan(number):
        return f"0{unit}" if number == 0 else "unknown"
    if abs(number) < 0.05:
        return f"<0.1{unit}"
    if abs(round(number, 1)) < 10:
        return f"{number:.1f}{unit}"
    return f"{number:,.0f}{unit}"


def money_text(gbp: float) -> str:
    """Pounds a year, shortened for a label: ``£8.8m``, ``£14k``, ``£561``; ``£ unknown`` for NaN."""
    if math.isnan(gbp):
        return "£ unknown"
    if gbp == 0:
        return "£0"
    if abs(gbp) < 0.5:
        return "<£1"
    if abs(gbp) >= 999_500:
        return f"£{gbp / 1e6:,.1f}m"
    if abs(gbp) >= 9_999.5:
        return f"£{gbp / 1e3:,.0f}k"
    if abs(gbp) >= 999.5:
        return f"£{gbp / 1e3:,.1f}k"
    return f"£{gbp:,.0f}"
