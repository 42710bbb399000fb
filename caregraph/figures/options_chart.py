"""The options appraisal as a chart: budget crossings, money crossing and hand-offs of each option, baseline marked.

``plot_options`` takes the table ``cg.appraise`` returns and draws three
panels side by side, one bar per option: the transitions that cross a
budget boundary, the money crossing them a year, and the patients a year
handed off between providers (or whatever ``by`` the appraisal used). The
baseline (the model as it is) is the grey bar and the dashed line down
each panel; an option below it is drawn green, one above it red, one equal
grey, and each bar is labelled with its value and its change.

Examples
--------
>>> import caregraph as cg
>>> folder = "examples/cornwall-options"
>>> table = cg.appraise(cg.load_model(folder), cg.read_scenarios(f"{folder}/scenarios.yaml"), as_at="2018-06-01")
>>> fig = cg.plot_options(table, as_at="2018-06-01")
>>> [ax.get_title(loc="left") for ax in fig.axes]
['Budget crossings', 'Money crossing budgets', 'Hand-offs']
"""

from __future__ import annotations

import math

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from networks.errors import Problem, ValidationError
from networks.scenarios import BASELINE

from .style import FIGURE_MARGIN, INK, LIGHT_INK, NHS, SIZES, money_text, patients_text
from .text import text_size, wrap

__all__ = ["OPTION_MEASURES", "plot_options"]

OPTION_MEASURES = {
    "crossings": ("Budget crossings", "transitions crossing a budget boundary"),
    "money_crossing_gbp": ("Money crossing budgets", "£ a year"),
    "handoffs_per_year": ("Hand-offs", "patients a year"),
}
"""The appraisal columns charted: panel title and unit."""

_BETTER, _WORSE, _SAME, _BASE = NHS["green"], NHS["red"], NHS["mid_grey"], NHS["dark_grey"]


def _value_text(column: str, value: float) -> str:
    if math.isnan(value):
        return "unknown"
    if column == "money_crossing_gbp":
        return money_text(value)
    return f"{value:,.0f}" if column == "crossings" else patients_text(value)


def _change_text(column: str, change: float) -> str:
    if math.isnan(change) or change == 0:
        return "no change" if change == 0 else ""
    sign = "+" if change > 0 else "\N{MINUS SIGN}"
    return f"{sign}{_value_text(column, abs(change)).lstrip('£')}" if column != "money_crossing_gbp" else (
        f"{sign}{money_text(abs(change))}")


def _panel(ax: Axes, table: pd.DataFrame, column: str, labels: list[str], first: bool) -> None:
    title, unit = OPTION_MEASURES[column]
    values = table[column].astype(float).tolist()
    base = values[0]
    colours = [_BASE] + [_SAME if v == base or math.isnan(v) else _BETTER if v < base else _WORSE
                         for v in values[1:]]
    rows = list(range(len(values)))
    ax.barh(rows, [0 if math.isnan(v) else v for v in values], color=colours, height=0.6, zorder=2)
    top = max([v for v in values if not math.isnan(v)], default=1.0) or 1.0
    ax.set_xlim(0, top * 1.55)
    ax.axvline(base, color=_BASE, linestyle=(0, (4, 2)), linewidth=1.0, zorder=3)
    for row, value in zip(rows, values, strict=True):
        change = "baseline" if row == 0 else _change_text(column, value - base)
        ax.text((0 if math.isnan(value) else value) + top * 0.03, row, f"{_value_text(column, value)}  {change}",
                va="center", ha="left", fontsize=SIZES["flow"], color=INK, zorder=4,
                bbox={"boxstyle": "square,pad=0.1", "fc": "white", "ec": "none"})
    ax.set_yticks(rows)
    ax.set_yticklabels(labels if first else [""] * len(rows), fontsize=SIZES["legend"])
    ax.invert_yaxis()
    ax.set_title(title, loc="left", fontsize=SIZES["subtitle"], fontweight="bold", color=NHS["dark_blue"])
    ax.set_xlabel(unit, fontsize=SIZES["legend"], color=LIGHT_INK)
    ax.tick_params(axis="x", labelsize=SIZES["legend"], colors=LIGHT_INK)
    ax.xaxis.set_major_locator(MaxNLocator(4))
    ax.xaxis.set_major_formatter(FuncFormatter(
        lambda v, _: money_text(v) if column == "money_crossing_gbp" else f"{v:,.0f}"))
    ax.tick_params(axis="y", length=0)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.grid(axis="x", color=NHS["pale_grey"], zorder=0)


def plot_options(appraisal: pd.DataFrame, *, as_at: str | None = None,
                 title: str = "Commissioning options: budget crossings, money crossing and hand-offs") -> Figure:
    """Chart an options appraisal (``cg.appraise``), the baseline marked (see the module notes).

    Parameters
    ----------
    appraisal : pandas.DataFrame
        ``cg.appraise`` output: the ``"baseline"`` row first, then one row per
        option, with ``scenario``, ``name`` and the ``OPTION_MEASURES``
        columns.
    as_at : str, optional
        The date the appraisal used, for the subtitle (default: the
        table's ``attrs["as_at"]`` when it has one).
    title : str

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    networks.errors.ValidationError
        A column missing, or no baseline row first.
    """
    missing = [c for c in ("scenario", "name", *OPTION_MEASURES) if c not in appraisal.columns]
    problems = [Problem("appraisal", None, c, "column missing") for c in missing]
    if not missing and (appraisal.empty or appraisal["scenario"].iloc[0] != BASELINE):
        problems.append(Problem("appraisal", None, "scenario", f"the first row must be the '{BASELINE}'"))
    if problems:
        raise ValidationError(problems)
    day = as_at or appraisal.attrs.get("as_at")
    labels = ["Baseline: the model as it is", *("\n".join(wrap(str(name), 2.0, SIZES["legend"]))
                                               for name in appraisal["name"].iloc[1:])]
    label_h = max(text_size(label, SIZES["legend"])[1] for label in labels)
    height = max(3.2, 1.6 + len(labels) * max(0.32, label_h + 0.08))
    fig = Figure(figsize=(11.2, height))
    FigureCanvasAgg(fig)
    grid = fig.add_gridspec(1, 3, left=2.3 / 11.2, right=0.99, top=1 - 0.95 / height, bottom=0.55 / height,
                            wspace=0.2)
    for n, column in enumerate(OPTION_MEASURES):
        _panel(fig.add_subplot(grid[0, n]), appraisal, column, labels, n == 0)
    fig.text(FIGURE_MARGIN / 11.2, 1 - FIGURE_MARGIN / height, title, fontsize=SIZES["title"], fontweight="bold",
             ha="left", va="top", color=NHS["dark_blue"])
    when = f"as at {day}" if day else "the model as given (every date)"
    fig.text(FIGURE_MARGIN / 11.2, 1 - (FIGURE_MARGIN + 0.25) / height,
             f"Each option applied to the model {when}; grey: the baseline (dashed line), green: fewer than the "
             "baseline, red: more. All pathways added up.", fontsize=SIZES["subtitle"], ha="left", va="top",
             color=LIGHT_INK)
    return fig
