"""The same flow rows on two geographies: the 42 ICBs of 2022-2026 and the 36 from April 2026.

On 2026-04-01 fourteen ICBs merged or split into six new ones. The same
activity rows, placed on each geography (``networks.flows.places``), show
what the change does to each ICB's containment, and how the residents of an
ICB that merged or split divide between their new ICBs.

``compare_geographies`` returns one row per pair of an ICB before and an
ICB after that share residents (through their sub-ICB locations): an
unchanged ICB is one row; a merger is one row per predecessor; a split one
row per successor.

Examples
--------
Two ICBs, A and B, merge into C on 2026-04-01. A's residents: 60 treated
in A, 40 in B; B's: 100 in B. Before, A keeps 60% and B 100%; after, C
keeps all 200 (100%), and A's residents are now all "inside".

>>> import caregraph as cg
>>> import pandas as pd
>>> g = cg.CareGraph()
>>> for icb, start, end in (("A", None, "2026-03-31"), ("B", None, "2026-03-31"), ("C", "2026-04-01", None)):
...     g.add_node(icb, "ICB", valid_from=start, valid_to=end)
>>> for old in ("A", "B"):
...     _ = g.add_edge(old, "C", "SUCCEEDED_BY", valid_from="2026-04-01")
...     g.add_node(f"sub-{old}", "SubICBLocation")
...     _ = g.add_edge(f"sub-{old}", old, "PART_OF", valid_to="2026-03-31")
...     _ = g.add_edge(f"sub-{old}", "C", "PART_OF", valid_from="2026-04-01")
...     g.add_node(f"T{old}", "NHSTrust")
...     _ = g.add_edge(f"T{old}", old, "LOCATED_IN", valid_to="2026-03-31")
...     _ = g.add_edge(f"T{old}", "C", "LOCATED_IN", valid_from="2026-04-01")
>>> flows = pd.DataFrame({"commissioner_id": ["sub-A", "sub-A", "sub-B"], "provider_id": ["TA", "TB", "TB"],
...                       "activity": [60, 40, 100]})
>>> both = cg.compare_geographies(g, flows, after="2026-05-01")
>>> both[["icb_before", "change", "icb_after", "activity", "contained_before_pct", "contained_after_pct"]
...      ].values.tolist()
[['A', 'merged into C', 'C', 100.0, 60.0, 100.0], ['B', 'merged into C', 'C', 100.0, 100.0, 100.0]]
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from networks.choices import check_choice
from networks.dates import AsAt, resolve_as_at
from networks.errors import ArgumentError
from networks.graph import CareGraph
from networks.spark_sql import pandas_only
from networks.values import in_force

from .network import FlowNetwork, flow_network

__all__ = ["FIRST_DAY_OF_36_ICBS", "LAST_DAY_OF_42_ICBS", "compare_geographies", "geography_as_at"]

LAST_DAY_OF_42_ICBS = "2026-03-31"
"""The last day of the 42 ICBs of July 2022 (the 36 start on 2026-04-01)."""

FIRST_DAY_OF_36_ICBS = "2026-04-01"
"""The first day of the 36 ICBs."""

_FIRST_DAY_OF_42_ICBS = "2022-07-01"


def geography_as_at(geography: str | None, as_at: AsAt = None) -> str:
    """The date to read flows on for a geography: ``"2022"`` (the 42 ICBs) or ``"2026"`` (the 36).

    ``"2022"`` is 2026-03-31, the last day of the 42 ICBs, unless ``as_at``
    names another day of theirs; ``"2026"`` is ``as_at`` or today, which
    must be on or after 2026-04-01; ``None`` is ``as_at`` (default today).

    Raises
    ------
    networks.errors.ArgumentError
        A date outside the geography asked for, an unknown geography, or
        ``"all"`` (flows need one geography).

    Examples
    --------
    >>> geography_as_at("2022"), geography_as_at("2026", "2026-05-01"), geography_as_at(None, "2025-01-01")
    ('2026-03-31', '2026-05-01', '2025-01-01')
    >>> geography_as_at("2026", "2025-01-01")
    Traceback (most recent call last):
    ...
    networks.errors.ArgumentError: as-at date 2025-01-01 is before the 36 ICBs of the 2026 geography (from 2026-04-01)
    """
    check_choice("geography", geography, (None, "2022", "2026"))
    if geography == "2022" and as_at is None:
        return LAST_DAY_OF_42_ICBS
    day = resolve_as_at(as_at)
    if day is None:
        raise ArgumentError("as-at date: 'all' has no single geography; flows need one date")
    if geography == "2022" and not _FIRST_DAY_OF_42_ICBS <= day <= LAST_DAY_OF_42_ICBS:
        raise ArgumentError(f"as-at date {day} is not a day of the 42 ICBs of the 2022 geography "
                            f"({_FIRST_DAY_OF_42_ICBS} to {LAST_DAY_OF_42_ICBS})")
    if geography == "2026" and day < FIRST_DAY_OF_36_ICBS:
        raise ArgumentError(f"as-at date {day} is before the 36 ICBs of the 2026 geography "
                            f"(from {FIRST_DAY_OF_36_ICBS})")
    return day

_COLUMNS = [
    "region_code", "icb_before", "icb_before_name", "change", "icb_before_contained_pct",
    "icb_after", "icb_after_name", "icb_after_contained_pct", "activity", "share_of_before_residents_pct",
    "contained_before_pct", "contained_after_pct",
]


def _change(graph: CareGraph, icb: str | None, after: str) -> str:
    """What happened to an ICB of the earlier geography by the later date."""
    if icb is None:
        return "no ICB before (a sub-ICB location new since)"
    if in_force(graph.node(icb), after):
        return "unchanged"
    successors = sorted(graph.successors(icb, "SUCCEEDED_BY"))
    if not successors:
        return "ended; no successor in the model"
    if len(successors) > 1:
        return f"split between {';'.join(successors)}"
    return f"merged into {successors[0]}"


def _pairs(before: FlowNetwork, after: FlowNetwork) -> pd.DataFrame:
    """Residents' activity by (ICB before, ICB after), and how much of it is inside each."""
    b, a = before.rows, after.rows
    resident_b = b["from_area"].map(before.areas.set_index("area_code")["category"]) == "residents"
    resident_a = a["from_area"].map(after.areas.set_index("area_code")["category"]) == "residents"
    rows = pd.DataFrame({
        "icb_before": b["from_area"].where(resident_b, None),
        "icb_after": a["from_area"].where(resident_a, None),
        "activity": b["activity"],
        "inside_before": b["activity"].where(resident_b & (b["to_area"] == b["from_area"]), 0.0),
        "inside_after": a["activity"].where(resident_a & (a["to_area"] == a["from_area"]), 0.0),
    })
    rows = rows[resident_b | resident_a]
    return rows.groupby(["icb_before", "icb_after"], dropna=False, sort=True)[
        ["activity", "inside_before", "inside_after"]].sum().reset_index()


def compare_geographies(
    graph: CareGraph,
    flows: pd.DataFrame,
    *,
    before: AsAt = LAST_DAY_OF_42_ICBS,
    after: AsAt = None,
    unknown: str = "error",
    period: str | None = None,
) -> pd.DataFrame:
    """Containment of the same flow rows on two geographies, side by side, and how residents divide.

    Parameters
    ----------
    graph : CareGraph
        The model with every dated version (e.g. ``cg.rtt_graph()``).
    flows : pandas.DataFrame
        A flow table (``networks.flows.table``).
    before : str or datetime.date
        The earlier geography's date (default 2026-03-31: the 42 ICBs).
    after : str or datetime.date, optional
        The later geography's date (default today: the 36 ICBs).
    unknown, period
        As for ``flow_network``.

    Returns
    -------
    pandas.DataFrame
        One row per (ICB before, ICB after) sharing residents, and one per
        ICB of either geography with no residents in the flows:
        ``region_code`` (after, else before), ``icb_before``,
        ``icb_before_name``, ``change`` (``unchanged``, ``merged into X``,
        ``split between X;Y``, ...), ``icb_before_contained_pct`` (the whole
        ICB before), ``icb_after``, ``icb_after_name``,
        ``icb_after_contained_pct``, ``activity`` (of the residents in
        both), ``share_of_before_residents_pct``, ``contained_before_pct``
        and ``contained_after_pct`` (the share of these residents' activity
        treated inside their ICB before, and after). Activity whose
        patients' home is not given (NHS England hubs, ``NONC``) is in
        neither: ``flow_network(...).containment()`` lists it.
        ``attrs["as_at"]`` is ``"BEFORE and AFTER"``; ``attrs["before"]`` and
        ``attrs["after"]`` the two dates.

    Raises
    ------
    networks.errors.ArgumentError
        Flows given as a Spark DataFrame (the rows are paired across the
        two geographies in pandas).
    """
    pandas_only(flows, "compare_geographies")
    day_before, day_after = resolve_as_at(before), resolve_as_at(after)
    net_before = flow_network(graph, flows, "icb", day_before or "all", unknown=unknown, period=period)
    net_after = flow_network(graph, flows, "icb", day_after or "all", unknown=unknown, period=period)
    whole_before = net_before.containment().set_index("area_code")
    whole_after = net_after.containment().set_index("area_code")
    pairs = _pairs(net_before, net_after)
    residents_before = pairs.groupby("icb_before", dropna=True)["activity"].sum()
    rows: list[dict[str, Any]] = []
    for pair in pairs.to_dict("records"):
        before, after, activity = pair["icb_before"], pair["icb_after"], float(pair["activity"])
        known_before, known_after = pd.notna(before), pd.notna(after)
        rows.append({
            "icb_before": before, "icb_after": after, "activity": activity,
            "share_of_before_residents_pct": 100 * activity / residents_before[before] if known_before else None,
            "contained_before_pct": 100 * pair["inside_before"] / activity if known_before and activity else None,
            "contained_after_pct": 100 * pair["inside_after"] / activity if known_after and activity else None,
        })
    paired_before = {r["icb_before"] for r in rows}
    paired_after = {r["icb_after"] for r in rows}
    for code in net_before.areas.loc[net_before.areas["category"] == "residents", "area_code"]:
        if code not in paired_before:
            rows.append({"icb_before": code, "icb_after": None, "activity": 0.0})
    for code in net_after.areas.loc[net_after.areas["category"] == "residents", "area_code"]:
        if code not in paired_after:
            rows.append({"icb_before": None, "icb_after": code, "activity": 0.0})
    table = pd.DataFrame(rows)
    table = table.astype({"icb_before": object, "icb_after": object}).where(table.notna(), None)
    table["icb_before_name"] = table["icb_before"].map(whole_before["area_name"])
    table["icb_after_name"] = table["icb_after"].map(whole_after["area_name"])
    table["icb_before_contained_pct"] = table["icb_before"].map(whole_before["share_inside_pct"])
    table["icb_after_contained_pct"] = table["icb_after"].map(whole_after["share_inside_pct"])
    region_after = table["icb_after"].map(whole_after["region_code"])
    region_before = table["icb_before"].map(whole_before["region_code"])
    table["region_code"] = region_after.where(region_after.notna(), region_before)
    table["change"] = [_change(graph, code, day_after or "9999-12-31") for code in table["icb_before"]]
    for column in ("activity", "share_of_before_residents_pct", "contained_before_pct", "contained_after_pct"):
        table[column] = pd.to_numeric(table[column], errors="coerce").astype(float)
    table = table.sort_values(["region_code", "icb_after", "icb_before"], kind="mergesort", na_position="last")
    table = table[_COLUMNS].reset_index(drop=True)
    table.attrs.update({"as_at": f"{day_before} and {day_after}", "before": day_before, "after": day_after})
    return table
