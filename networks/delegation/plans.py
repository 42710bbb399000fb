"""Delegation plans: who commissions each service for which ICB population, and at which tier.

A plan is a CSV file (or a DataFrame) with one row per service and
commissioner:

===================  ========  ==============================================
column               required  meaning
===================  ========  ==============================================
``service_id``       yes       a service of the model
``commissioner_id``  yes       a commissioner of the model: NHS England
                               (``X24``), a region, a commissioning hub or
                               an ICB
``status``           yes       ``retained``, ``delegated`` or ``joint``
``tier``             yes       planning tier: ``ics``, ``multi-ics``,
                               ``region`` or ``national``
``valid_from``       no        first day in force (``YYYY-MM-DD``)
===================  ========  ==============================================

A row plans the service for every ICB population its commissioner covers:
an ICB its own, a region (or its hub) the region's ICBs, NHS England all of
them. Several ICBs plan a service together (``multi-ics``) by each having a
row with that tier. For one service and one ICB, a row with a later
``valid_from`` replaces an earlier one (blank = from the start); two rows
with the same ``valid_from`` are a mistake. Without a plan file the graph's
``COMMISSIONS`` relationships are the plan.

Examples
--------
>>> import caregraph as cg
>>> import pandas as pd
>>> g = cg.CareGraph()
>>> g.add_node("X24", "NHSEngland")
>>> for icb in ("QWE", "QKK"):
...     g.add_node(icb, "ICB")
>>> g.add_node("svc-renal", "Service", specialised=True)
>>> frames = cg.delegation_frames(g)
>>> plan = pd.DataFrame({"service_id": ["svc-renal", "svc-renal"], "commissioner_id": ["X24", "QWE"],
...                      "status": ["retained", "delegated"], "tier": ["national", "ics"],
...                      "valid_from": [None, "2025-04-01"]})
>>> cg.resolve_plan(cg.validate_plan(plan, frames), frames).values.tolist()
[['svc-renal', 'QKK', 'X24', 'retained', 'national'], ['svc-renal', 'QWE', 'QWE', 'delegated', 'ics']]
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from networks.dates import AsAt, resolve_as_at
from networks.errors import Problem, ValidationError
from networks.schema import COMMISSIONING_STATUSES, PLANNING_TIERS
from networks.values import is_blank, parse_date, read_problems, tidy_frame

from .tables import DelegationFrames

__all__ = [
    "ARRANGEMENT_COLUMNS",
    "NHS_ENGLAND_KINDS",
    "PLAN_COLUMNS",
    "PLAN_OPTIONAL_COLUMNS",
    "plan_from_graph",
    "resolve_plan",
    "validate_plan",
]

PLAN_COLUMNS = ("service_id", "commissioner_id", "status", "tier")
PLAN_OPTIONAL_COLUMNS = ("valid_from",)
ARRANGEMENT_COLUMNS = ("service_id", "icb_id", "commissioner_id", "status", "tier")
NHS_ENGLAND_KINDS = ("NHSEngland", "NHSERegion", "CommissioningHub")
"""Commissioner kinds that are NHS England: a service they retain is nationally retained."""

_CHOICES = {"status": COMMISSIONING_STATUSES, "tier": PLANNING_TIERS}


def _row(value: Any) -> int | None:
    return None if is_blank(value) else int(value)


def _where(row: int | None, commissioner: str) -> str:
    return f"row {row}, {commissioner}" if row is not None else commissioner


def _unknown(field: str, value: object) -> str:
    if field == "service_id":
        return f"unknown service '{value}'"
    if field == "commissioner_id":
        return f"unknown commissioner '{value}' (or it covers no ICB population of the model)"
    return f"unknown {field} '{value}'; one of: {', '.join(_CHOICES[field])}"


def _check_values(frame: pd.DataFrame, frames: DelegationFrames, source: str) -> list[Problem]:
    """Missing values, unknown services, commissioners, statuses and tiers, bad dates (vectorised)."""
    known: dict[str, set[str]] = {
        "service_id": set(frames.services["service_id"]),
        "commissioner_id": set(frames.coverage["commissioner_id"]),
        **{field: set(choices) for field, choices in _CHOICES.items()},
    }
    found: list[tuple[int, int, Problem]] = []
    for order, field in enumerate(PLAN_COLUMNS):
        values = frame[field]
        allowed = known[field]
        for position in values.index[values.isna()]:
            found.append((position, order, Problem(source, _row(frame.at[position, "row"]), field,
                                                   "required value is missing")))
        for position in values.index[values.notna() & ~values.isin(allowed)]:
            found.append((position, len(PLAN_COLUMNS) + order,
                          Problem(source, _row(frame.at[position, "row"]), field, _unknown(field, values[position]))))
    dates = frame["valid_from"]
    for position in dates.index[dates.notna()]:
        try:
            parse_date(dates[position])
        except ValueError as exc:
            found.append((position, 2 * len(PLAN_COLUMNS), Problem(source, _row(frame.at[position, "row"]),
                                                                   "valid_from", str(exc))))
    return [problem for _, _, problem in sorted(found, key=lambda item: item[:2])]


def _overlaps(frame: pd.DataFrame, frames: DelegationFrames, source: str) -> list[Problem]:
    """Two rows planning one service for one ICB from the same day."""
    cover = frame.merge(frames.coverage[["commissioner_id", "icb_id"]], on="commissioner_id")
    cover["start"] = cover["valid_from"].fillna("")
    again = cover.duplicated(["service_id", "icb_id", "start"])
    if not again.any():
        return []
    clash = cover[again].merge(cover[~again], on=["service_id", "icb_id", "start"], suffixes=("", "_first"))
    problems = []
    for (service, _position, commissioner, status, _first, commissioner_1, status_1), group in clash.groupby(
        ["service_id", "_position", "commissioner_id", "status", "_position_first", "commissioner_id_first",
         "status_first"], sort=True,
    ):
        areas = ";".join(sorted(group["icb_id"]))
        here, there = _row(group["row"].iloc[0]), _row(group["row_first"].iloc[0])
        if status != status_1:
            message = (f"service '{service}' is both {status_1} ({_where(there, commissioner_1)}) and "
                       f"{status} ({_where(here, commissioner)}) for {areas}")
        else:
            message = (f"service '{service}' is planned twice for {areas} ({_where(there, commissioner_1)}; "
                       f"{_where(here, commissioner)}); give one row per service and area, or a later valid_from")
        problems.append(Problem(source, here, "commissioner_id", message))
    return problems


def validate_plan(plan: pd.DataFrame, frames: DelegationFrames, source: str | None = None) -> pd.DataFrame:
    """Check a plan against the model, collecting every problem.

    Parameters
    ----------
    plan : pandas.DataFrame
        Columns ``PLAN_COLUMNS`` and optionally ``valid_from`` and ``row``
        (row numbers for messages; default: index order, first row 2).
    frames : DelegationFrames
        The model.
    source : str, optional
        How problems name the plan (default: ``plan.attrs["source"]``, which
        ``loaders.delegation_inputs.read_plan`` sets to the file name, else
        ``"plan"``).

    Returns
    -------
    pandas.DataFrame
        ``service_id, commissioner_id, status, tier, valid_from, row``, with
        dates as ISO text and blanks as ``None``.

    Raises
    ------
    ValidationError
        Missing values, unknown services or commissioners, unknown status or
        tier, bad dates, and a service planned twice for the same ICB from
        the same day (e.g. both retained and delegated), all together.

    Examples
    --------
    >>> import caregraph as cg
    >>> import pandas as pd
    >>> g = cg.CareGraph()
    >>> g.add_node("QWE", "ICB")
    >>> bad = pd.DataFrame({"service_id": ["svc-x"], "commissioner_id": ["QWE"],
    ...                     "status": ["delegated"], "tier": ["place"]})
    >>> cg.validate_plan(bad, cg.delegation_frames(g))
    Traceback (most recent call last):
    ...
    networks.errors.ValidationError: 2 problems:
      plan, row 2, field 'service_id': unknown service 'svc-x'
      plan, row 2, field 'tier': unknown tier 'place'; one of: ics, multi-ics, region, national
    """
    source = source or plan.attrs.get("source", "plan")
    frame = tidy_frame(plan, (*PLAN_COLUMNS, *PLAN_OPTIONAL_COLUMNS))
    problems = [*read_problems(plan), *_check_values(frame, frames, source)]
    if problems:
        raise ValidationError(problems)
    dates = {v: parse_date(v) for v in set(frame["valid_from"].dropna())}
    frame["valid_from"] = pd.Series([dates.get(v) for v in frame["valid_from"]], dtype=object)
    problems = _overlaps(frame.assign(_position=frame.index), frames, source)
    if problems:
        raise ValidationError(problems)
    return frame


def plan_from_graph(frames: DelegationFrames) -> pd.DataFrame:
    """Return the graph's ``COMMISSIONS`` relationships as a checked plan.

    Relationships of commissioners that cover no ICB population (councils,
    CCGs) are left out.

    Raises
    ------
    ValidationError
        If two relationships plan one service for one ICB from the same day.
    """
    plan = frames.commissioning[frames.commissioning.commissioner_id.isin(frames.coverage.commissioner_id)]
    return validate_plan(plan.assign(row=None), frames, "COMMISSIONS relationships")


def resolve_plan(plan: pd.DataFrame, frames: DelegationFrames, as_at: AsAt = None) -> pd.DataFrame:
    """Return the arrangement in force for each service and ICB population.

    Parameters
    ----------
    plan : pandas.DataFrame
        A checked plan (from ``validate_plan``, ``read_plan`` or
        ``plan_from_graph``).
    frames : DelegationFrames
        The model.
    as_at : str, optional
        The day (``YYYY-MM-DD``): ignore rows starting later. Default: the
        date the frames were taken as at; ``"all"``: the latest row for each
        service and ICB applies, whatever its date.

    Returns
    -------
    pandas.DataFrame
        One row per service and ICB: ``ARRANGEMENT_COLUMNS``, sorted.
    """
    day = resolve_as_at(frames.as_at if as_at is None else as_at)
    if day is not None:
        plan = plan[plan["valid_from"].isna() | (plan["valid_from"] <= day)]
    cover = plan.merge(frames.coverage[["commissioner_id", "icb_id"]], on="commissioner_id")
    cover = cover.assign(start=cover["valid_from"].fillna(""))
    latest = cover.sort_values("start", kind="stable").drop_duplicates(["service_id", "icb_id"], keep="last")
    return latest.sort_values(["service_id", "icb_id"])[list(ARRANGEMENT_COLUMNS)].reset_index(drop=True)
