"""Before and after: each pathway's hand-offs and budget crossings as at several dates, side by side.

A reorganisation (two CCGs merging, a CCG becoming an ICB, specialised
services delegated to an ICB, a pool starting) changes who commissions and
which budget pays, not the patients' journeys. Taking the same model as at
each date and measuring every pathway on each shows what the change did to
commissioner hand-offs, crossings and the money crossing them, and what it
left alone.

Examples
--------
>>> import caregraph as cg
>>> table = cg.compare_dates(cg.load_model("examples/cardiology"), ["2026-05-01", "2027-04-01"])
>>> table.groupby("as_at")["crossings"].sum().to_dict()
{'2026-05-01': 18, '2027-04-01': 9}
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from networks.dates import AsAt, resolve_as_at
from networks.errors import ArgumentError
from networks.graph import CareGraph

from .crossings import crossing_summary
from .handoffs import handoff_summary

__all__ = ["DATE_COMPARISON_COLUMNS", "compare_dates"]

DATE_COMPARISON_COLUMNS = ["pathway", "as_at", "entrants", "handoffs_per_year", "handoffs_per_patient", "crossings",
                           "patients_crossing", "money_crossing_gbp", "handoffs_change", "crossings_change",
                           "money_crossing_change_gbp"]


def compare_dates(
    graph: CareGraph, dates: Sequence[AsAt], *, by: str = "commissioner", pathway: str | None = None
) -> pd.DataFrame:
    """Measure every pathway as at each date: hand-offs, crossings and money crossing, and the change.

    Parameters
    ----------
    graph : CareGraph
        The model with every dated version of its organisations, budgets and
        pools.
    dates : sequence of str or datetime.date
        Two or more days (``YYYY-MM-DD``), the first being the one the
        changes are counted from; ``"all"`` and ``None`` are refused (each
        row is for one stated day).
    by : str
        What a hand-off is (``pathways.handoffs.BY_OPTIONS``); default
        ``"commissioner"``, the holder of the paying budget.
    pathway : str, optional
        Only this pathway.

    Returns
    -------
    pandas.DataFrame
        Columns ``DATE_COMPARISON_COLUMNS``, one row per pathway and date
        (pathways in order, each with its dates in the order given):
        ``handoffs_per_year`` and ``handoffs_per_patient`` as
        ``handoff_summary``; ``crossings``, ``patients_crossing`` and
        ``money_crossing_gbp`` as ``crossing_summary``; and the change of
        hand-offs a year, crossings and money against the pathway's first
        date. ``attrs["dates"]`` lists the days.

    Raises
    ------
    networks.errors.ArgumentError
        Fewer than two dates, a date given twice, or ``"all"``.
    networks.errors.ValidationError
        As ``handoff_summary`` and ``crossing_summary`` (e.g. an unknown
        pathway).

    Examples
    --------
    The illustrative s65Z5 pool of the cardiology example starts on
    2027-04-01 and takes 7 of the pathway's 10 crossings inside it:

    >>> import caregraph as cg
    >>> table = cg.compare_dates(cg.load_model("examples/cardiology"), ["2026-05-01", "2027-04-01"],
    ...                          pathway="chest-pain-to-pci")
    >>> table[["as_at", "crossings", "crossings_change"]].values.tolist()
    [['2026-05-01', 10, 0], ['2027-04-01', 3, -7]]
    """
    days = [resolve_as_at(day) for day in dates]
    if any(day is None for day in days):
        raise ArgumentError("compare dates: give each date as YYYY-MM-DD; 'all' is not one day")
    if len(days) < 2:
        raise ArgumentError("compare dates: give two or more dates")
    if len(set(days)) < len(days):
        raise ArgumentError("compare dates: a date is given twice")
    frames = []
    for order, day in enumerate(days):
        handoffs = handoff_summary(graph, pathway, by=by, as_at=day)
        crossings = crossing_summary(graph, pathway, as_at=day)
        both = handoffs[["pathway", "entrants", "handoffs_per_year", "handoffs_per_patient"]].merge(
            crossings[["pathway", "crossings", "patients_crossing", "money_crossing_gbp"]], on="pathway",
            validate="one_to_one")
        frames.append(both.assign(as_at=day, order=order))
    table = pd.concat(frames, ignore_index=True).sort_values(["pathway", "order"], kind="mergesort")
    first = table.groupby("pathway")
    for column, change in (("handoffs_per_year", "handoffs_change"), ("crossings", "crossings_change"),
                           ("money_crossing_gbp", "money_crossing_change_gbp")):
        table[change] = table[column] - first[column].transform("first")
    table = table.reset_index(drop=True)[DATE_COMPARISON_COLUMNS]
    table.attrs["dates"] = [str(day) for day in days]
    return table
