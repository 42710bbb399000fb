"""The flow table: activity between commissioners and providers, and the checks on its values.

One row per commissioner, provider and (optionally) service or specialty
and period:

=================  =========  ====================================================
column             required   meaning
=================  =========  ====================================================
``commissioner_id``  yes      the commissioner whose residents were treated: a
                              sub-ICB location or ICB (residents of its area), an
                              NHS England commissioning hub or region, or
                              ``NONC`` (non-contracted activity); codes as in the
                              organisations (ODS codes)
``provider_id``      yes      the provider (trust, site, independent provider)
``activity``         yes      a number >= 0: pathways, spells, patients ...
``service``                   a service id or specialty code (e.g. the RTT
                              treatment function ``C_110``)
``service_name``              its name, for display
``cost_gbp``                  the cost of the row's activity in pounds (total)
``unit_cost_gbp``             or the cost of one unit of activity in pounds
``period``                    e.g. ``2026-04``; a table is for one period
=================  =========  ====================================================

``check_flows`` checks the values without the model: every problem at once,
each naming the file, row (header = row 1) and column. Organisations are
checked against the model by ``networks.flows.places``.

Examples
--------
>>> import pandas as pd
>>> raw = pd.DataFrame({"commissioner_id": ["36L", "36L"], "provider_id": ["RJ7", "RJ7"],
...                     "activity": ["1,200", "-3"]})
>>> raw.attrs["source"] = "flows.csv"
>>> check_flows(raw)
Traceback (most recent call last):
...
networks.errors.ValidationError: 2 problems:
  flows.csv, row 3, field 'activity': -3.0 is below the minimum 0
  flows.csv, row 3: repeats row 2 (same commissioner_id, provider_id)
>>> check_flows(raw.iloc[:1])["activity"].tolist()
[1200.0]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from networks.errors import Problem, ValidationError
from networks.schema import Property
from networks.values import convert_value, read_problems, tidy_frame

__all__ = [
    "BOTH_COSTS",
    "FLOW_COLUMNS",
    "FLOW_KEY",
    "FLOW_NUMBERS",
    "FLOW_OPTIONAL_COLUMNS",
    "NON_CONTRACTED",
    "ONE_PERIOD",
    "check_flows",
    "number_problem",
]

FLOW_COLUMNS = ("commissioner_id", "provider_id", "activity")
"""The columns every flow table has."""

FLOW_OPTIONAL_COLUMNS = ("service", "service_name", "cost_gbp", "unit_cost_gbp", "period")
"""The columns a flow table may have."""

NON_CONTRACTED = "NONC"
"""The commissioner code of non-contracted activity in NHS England's returns (no commissioner known)."""

FLOW_KEY = ("commissioner_id", "provider_id", "service", "period")
"""The columns (those present) that no two rows of a flow table share."""

FLOW_NUMBERS = ("activity", "cost_gbp", "unit_cost_gbp")
"""The columns of numbers >= 0."""

BOTH_COSTS = "give cost_gbp (per row) or unit_cost_gbp, not both"
ONE_PERIOD = "flows are for one period; choose one (period=... or --period)"


def _numbers(frame: pd.DataFrame, column: str, source: str, problems: list[Problem]) -> pd.Series:
    """A column as floats >= 0; each blank, non-number or negative is a problem naming its row."""
    raw = frame[column]
    values = pd.to_numeric(raw.map(lambda v: v.replace(",", "") if isinstance(v, str) else v),
                           errors="coerce").astype(float)
    bad = ~np.isfinite(values) | (values < 0)
    for row, value in zip(frame["row"][bad], raw[bad], strict=True):
        problems.append(Problem(source, int(row), column, number_problem(column, value)))
    return values


def number_problem(column: str, value: object) -> str:
    """What is wrong with a value that is not a number >= 0 (blank, not a number, negative, infinite).

    Examples
    --------
    >>> number_problem("activity", "-3"), number_problem("activity", "abc")
    ('-3.0 is below the minimum 0', "'abc' is not a number")
    """
    if value is None:
        return "required value is missing"
    try:
        convert_value(Property(column, "float", minimum=0), value)
    except ValueError as exc:
        return str(exc)
    return f"'{value}' is not a number"


def _duplicates(frame: pd.DataFrame, key: list[str], source: str, problems: list[Problem]) -> None:
    repeated = frame.duplicated(key, keep=False)
    if not repeated.any():
        return
    first: dict[tuple[object, ...], int] = {}
    for values, row in zip(frame.loc[repeated, key].itertuples(index=False, name=None),
                           frame.loc[repeated, "row"], strict=True):
        if values in first:
            problems.append(Problem(source, int(row), None,
                                    f"repeats row {first[values]} (same {', '.join(key)})"))
        else:
            first[values] = int(row)


def _one_period(frame: pd.DataFrame, period: str | None, source: str,
                problems: list[Problem]) -> pd.DataFrame:
    """Keep one period's rows: the one asked for, or the table's only one (several is a problem)."""
    for row in frame.loc[frame["period"].isna(), "row"]:
        problems.append(Problem(source, int(row), "period", "required value is missing (the column is given)"))
    given = frame[frame["period"].notna()]
    firsts = given.drop_duplicates("period")
    if period is not None:
        if period not in set(firsts["period"]):
            found = ", ".join(sorted(firsts["period"])) or "none"
            problems.append(Problem(source, None, "period", f"no rows for period '{period}' (found: {found})"))
        return frame[frame["period"] == period]
    if len(firsts) > 1:
        first_period, first_row = firsts["period"].iloc[0], int(firsts["row"].iloc[0])
        for value, row in zip(firsts["period"].iloc[1:], firsts["row"].iloc[1:], strict=True):
            problems.append(Problem(source, int(row), "period",
                                    f"a second period '{value}' (row {first_row} has '{first_period}'): {ONE_PERIOD}"))
    return frame


def check_flows(flows: pd.DataFrame, *, period: str | None = None, source: str | None = None) -> pd.DataFrame:
    """Check a flow table's values and return them typed.

    Parameters
    ----------
    flows : pandas.DataFrame
        ``FLOW_COLUMNS`` and any of ``FLOW_OPTIONAL_COLUMNS``, as text (from
        ``loaders.flows.read_flow_table``) or already typed; an optional
        ``row`` column gives row numbers for messages (default: first row 2).
    period : str, optional
        Keep only this period's rows. Without it, a table with several
        periods is an error: activity of different periods does not add up
        to one period's flows.
    source : str, optional
        How problems name the table (default ``flows.attrs["source"]``, else
        ``"flows"``).

    Returns
    -------
    pandas.DataFrame
        ``commissioner_id``, ``provider_id``, ``activity`` (float), ``service``,
        ``service_name``, ``period``, ``row`` and, when a cost column is
        given, ``cost_gbp`` (float: the row's cost, from ``cost_gbp`` or
        ``activity * unit_cost_gbp``); ``attrs["source"]`` names the table.
        Checking the result again gives the same frame.

    Raises
    ------
    networks.errors.ValidationError
        Missing ids, activity or costs that are not numbers >= 0, a cost
        column on some rows only, both cost columns, repeated rows (same
        commissioner, provider, service and period), several periods, or a
        period asked for that the table does not have.
    """
    source = source or flows.attrs.get("source", "flows")
    problems: list[Problem] = read_problems(flows)
    present = [c for c in FLOW_OPTIONAL_COLUMNS if c in flows.columns]
    frame = tidy_frame(flows, [*FLOW_COLUMNS, *FLOW_OPTIONAL_COLUMNS])
    for column in ("commissioner_id", "provider_id"):
        for row in frame.loc[frame[column].isna(), "row"]:
            problems.append(Problem(source, int(row), column, "required value is missing"))
        frame[column] = frame[column].map(lambda v: v if v is None else str(v))
    if "cost_gbp" in present and "unit_cost_gbp" in present:
        problems.append(Problem(source, 1, "unit_cost_gbp", BOTH_COSTS))
    numbers = {c: _numbers(frame, c, source, problems) for c in FLOW_NUMBERS if c == "activity" or c in present}
    if "period" in present:
        frame["period"] = frame["period"].map(lambda v: v if v is None else str(v))
        frame = _one_period(frame, period, source, problems)
        numbers = {c: values[frame.index] for c, values in numbers.items()}
    elif period is not None:
        problems.append(Problem(source, 1, "period",
                                f"period '{period}' asked for, but the table has no period column"))
    key = [c for c in FLOW_KEY if c in ("commissioner_id", "provider_id") or c in present]
    _duplicates(frame, key, source, problems)
    if problems:
        raise ValidationError(problems)
    result = frame.reset_index(drop=True).drop(columns=["cost_gbp", "unit_cost_gbp"])
    result["activity"] = numbers["activity"].to_numpy()
    if "cost_gbp" in numbers:
        result["cost_gbp"] = numbers["cost_gbp"].to_numpy()
    elif "unit_cost_gbp" in numbers:
        result["cost_gbp"] = (numbers["unit_cost_gbp"] * numbers["activity"]).to_numpy()
    result["row"] = result["row"].astype(int)
    result.attrs["source"] = source
    return result
