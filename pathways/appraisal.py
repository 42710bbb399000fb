"""Options appraisal: hand-offs and budget crossings of each commissioning scenario against the baseline.

Examples
--------
>>> import caregraph as cg
>>> pool = cg.Scenario("spec-pool", "Pool specialised and ICB money", changes=(
...     cg.Change("add_pool", {"id": "p1", "name": "Fund", "budgets": ("nhse-spec", "qhm-core"),
...                            "legal_basis": None}, "example", "scenarios[0].changes[0]"),))
>>> table = cg.appraise(cg.load_model("tests/fixtures/small_model"), [pool], as_at="2024-06-01")
>>> table[["scenario", "crossings", "crossings_change"]].values.tolist()
[['baseline', 3, 0], ['spec-pool', 1, -2]]
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence

import pandas as pd

from networks.dates import ALL_DATES, AsAt, as_at_label, dated, resolve_as_at
from networks.errors import Problem, ValidationError
from networks.graph import CareGraph
from networks.scenarios import BASELINE, Scenario

from .crossings import find_budget_crossings, total_money
from .handoffs import handoff_summary
from .scenario_changes import apply_scenario

__all__ = ["APPRAISAL_COLUMNS", "appraise"]

log = logging.getLogger(__name__)

APPRAISAL_COLUMNS = ["scenario", "name", "changes", "handoffs_per_year", "handoffs_per_patient", "crossings",
                     "patients_crossing", "money_crossing_gbp", "crossings_per_patient", "handoffs_change",
                     "crossings_change", "patients_crossing_change", "money_crossing_change_gbp"]


def _measure(graph: CareGraph, by: str) -> dict[str, float]:
    """Hand-offs and crossings of a model already taken as at the appraisal's date."""
    handoffs = handoff_summary(graph, by=by, as_at=ALL_DATES)
    crossings = find_budget_crossings(graph, as_at=ALL_DATES)
    if handoffs["per_patient"].nunique() > 1:
        log.warning("totals add per-patient shares of pathways without volumes to yearly patients of others")
    entrants = math.fsum(handoffs["entrants"])
    per_year = math.fsum(handoffs["handoffs_per_year"])
    patients = math.fsum(crossings["patients_per_year"])
    return {"handoffs_per_year": per_year, "handoffs_per_patient": per_year / entrants if entrants else math.nan,
            "crossings": len(crossings), "patients_crossing": patients,
            "money_crossing_gbp": total_money(crossings["money_gbp"]),
            "crossings_per_patient": patients / entrants if entrants else math.nan}


def appraise(
    graph: CareGraph, scenarios: Sequence[Scenario], *, as_at: AsAt = None, by: str = "provider"
) -> pd.DataFrame:
    """Compare commissioning scenarios: hand-offs and budget crossings, against the model as it is.

    Parameters
    ----------
    graph : CareGraph
    scenarios : sequence of Scenario
        From ``read_scenarios``.
    as_at : str, optional
        The day (``YYYY-MM-DD``; default today): the model in force that day
        is the baseline, and each scenario is applied to it. ``"all"`` reads
        the model as given, whatever its dates. ``attrs["as_at"]`` says
        which.
    by : str
        What a hand-off is (``pathways.handoffs.BY_OPTIONS``).

    Returns
    -------
    pandas.DataFrame
        Columns ``APPRAISAL_COLUMNS``, one row per scenario with the
        ``"baseline"`` first: ``changes`` (how many), ``handoffs_per_year``
        (patients a year on hand-off transitions, all pathways),
        ``handoffs_per_patient`` (that over all entrants), ``crossings``
        (transitions crossing a budget boundary), ``patients_crossing``,
        ``money_crossing_gbp`` (``total_money``), ``crossings_per_patient``, and
        the change of hand-offs, crossings, patients and money against the
        baseline.

    Raises
    ------
    networks.errors.ValidationError
        As ``apply_scenario`` (the first change of each scenario that does
        not fit the model, for every scenario together),
        ``find_budget_crossings`` and ``find_handoffs``.

    Examples
    --------
    >>> import caregraph as cg
    >>> pool = cg.Scenario("spec-pool", "Pool specialised and ICB money", changes=(
    ...     cg.Change("add_pool", {"id": "p1", "name": "Fund", "budgets": ("nhse-spec", "qhm-core"),
    ...                         "legal_basis": None}, "example", "scenarios[0].changes[0]"),))
    >>> table = cg.appraise(cg.load_model("tests/fixtures/small_model"), [pool])
    >>> table[["scenario", "crossings", "crossings_change"]].values.tolist()
    [['baseline', 3, 0], ['spec-pool', 1, -2]]
    """
    day = resolve_as_at(as_at)
    view = graph if day is None else graph.as_at(day)
    rows = [{"scenario": BASELINE, "name": "the model as it is", "changes": 0, **_measure(view, by)}]
    problems: list[Problem] = []
    for scenario in scenarios:
        try:
            changed = apply_scenario(view, scenario)
        except ValidationError as exc:  # every scenario is tried, so all their problems are reported together
            problems += exc.problems
            continue
        rows.append({"scenario": scenario.id, "name": scenario.name, "changes": len(scenario.changes),
                     **_measure(changed, by)})
    if problems:
        raise ValidationError(problems)
    frame = pd.DataFrame(rows)
    base = frame.iloc[0]
    for column, change in (("handoffs_per_year", "handoffs_change"), ("crossings", "crossings_change"),
                           ("patients_crossing", "patients_crossing_change"),
                           ("money_crossing_gbp", "money_crossing_change_gbp")):
        frame[change] = frame[column] - base[column]
    return dated(frame.reindex(columns=APPRAISAL_COLUMNS), as_at_label(day))
