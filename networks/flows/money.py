"""Hosted against population basis: which ICB holds the money for the same activity.

Specialised money used to follow the **provider**: it was held where the
hospital is (hosted basis). From 2023 it is allocated on a **population**
basis: it follows the patient to their home ICB. For each ICB,
``money_shift`` gives the money it would hold under each basis for the same
activity, and the net shift (population minus hosted).

Money per row comes from the flow table's ``cost_gbp`` (or
``unit_cost_gbp``), else from a table of unit costs per service, else from
one **illustrative** unit cost (``ILLUSTRATIVE_UNIT_COST_GBP``), which every
row of the result then says it used.

Activity whose patients' home is not given (NHS England hubs, ``NONC``)
has no ICB under the population basis, and a provider in no ICB holds none
under the hosted basis: both are rows of their own, so each basis adds up to
the same total and the shifts sum to zero.

Examples
--------
ICB A's residents: 80 units at A's provider PA, 20 at B's provider PB;
B's residents: 50 at PB. At £100 a unit, hosted: A holds 80 x 100 = 8,000,
B (20 + 50) x 100 = 7,000; population: A 100 x 100 = 10,000, B 5,000. So
£2,000 moves from B to A.

>>> import caregraph as cg
>>> import pandas as pd
>>> g = cg.CareGraph()
>>> for icb in ("A", "B"):
...     g.add_node(icb, "ICB"); g.add_node(f"P{icb}", "NHSTrust")
...     _ = g.add_edge(f"P{icb}", icb, "LOCATED_IN")
>>> flows = pd.DataFrame({"commissioner_id": ["A", "A", "B"], "provider_id": ["PA", "PB", "PB"],
...                       "activity": [80, 20, 50], "unit_cost_gbp": [100, 100, 100]})
>>> shift = cg.money_shift(g, flows, as_at="2026-05-01")
>>> shift[["icb_code", "money_hosted_gbp", "money_population_gbp", "net_shift_gbp"]].values.tolist()
[['A', 8000.0, 10000.0, 2000.0], ['B', 7000.0, 5000.0, -2000.0], ['ALL', 15000.0, 15000.0, 0.0]]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from networks.dates import AsAt
from networks.errors import Problem, ValidationError
from networks.graph import CareGraph
from networks.schema import Property
from networks.spark_sql import pandas_only
from networks.values import convert_value, read_problems, tidy_frame

from .network import flow_network

__all__ = ["ILLUSTRATIVE_UNIT_COST_GBP", "MONEY_COLUMNS", "UNIT_COST_COLUMNS", "check_unit_costs", "money_shift"]

ILLUSTRATIVE_UNIT_COST_GBP = 1_000.0
"""The unit cost used when no cost is given: **illustrative only**, not a tariff or a reference cost."""

UNIT_COST_COLUMNS = ("service", "unit_cost_gbp")
"""The columns of a unit cost table: one row per service (or specialty), pounds per unit of activity."""

MONEY_COLUMNS = [
    "icb_code", "icb_name", "region_code", "activity_hosted", "activity_residents", "money_hosted_gbp",
    "money_population_gbp", "net_shift_gbp", "net_shift_pct", "cost_basis",
]
"""The columns of ``money_shift``'s result."""


def check_unit_costs(costs: pd.DataFrame, source: str | None = None) -> pd.Series:
    """Check a unit cost table and return pounds per unit of activity, indexed by service.

    Raises
    ------
    networks.errors.ValidationError
        A missing service, a cost that is not a number >= 0, or a service given twice.

    Examples
    --------
    >>> import pandas as pd
    >>> check_unit_costs(pd.DataFrame({"service": ["C_110", "C_130"], "unit_cost_gbp": ["1,850", "900"]})).to_dict()
    {'C_110': 1850.0, 'C_130': 900.0}
    """
    source = source or costs.attrs.get("source", "unit costs")
    frame = tidy_frame(costs, UNIT_COST_COLUMNS)
    problems: list[Problem] = read_problems(costs)
    first: dict[str, int] = {}
    values: list[float] = []
    for row, service, raw in zip(frame["row"], frame["service"], frame["unit_cost_gbp"], strict=True):
        if service is None:
            problems.append(Problem(source, int(row), "service", "required value is missing"))
        elif service in first:
            problems.append(Problem(source, int(row), "service", f"'{service}' already has a cost in row "
                                                                  f"{first[service]}"))
        else:
            first[str(service)] = int(row)
        try:
            if raw is None:
                raise ValueError("required value is missing")
            values.append(float(convert_value(Property("unit_cost_gbp", "float", minimum=0), raw)))
        except ValueError as exc:
            problems.append(Problem(source, int(row), "unit_cost_gbp", str(exc)))
            values.append(float("nan"))
    if problems:
        raise ValidationError(problems)
    return pd.Series(values, index=[str(s) for s in frame["service"]], dtype=float, name="unit_cost_gbp")


def _costs(rows: pd.DataFrame, unit_costs: pd.Series | None, source: str) -> tuple[np.ndarray, str]:
    """Each row's cost in pounds, and how it was found."""
    if "cost_gbp" in rows:
        return rows["cost_gbp"].to_numpy(dtype=float), f"cost_gbp given in {source}"
    if unit_costs is not None:
        if "service" not in rows or rows["service"].isna().all():
            raise ValidationError([Problem(source, 1, "service",
                                           "unit costs per service need a service column in the flows")])
        missing = sorted(set(rows["service"].dropna()) - set(unit_costs.index))
        problems = [Problem(source, int(rows.loc[rows["service"] == s, "row"].min()), "service",
                            f"no unit cost for service '{s}' in the unit cost table") for s in missing]
        problems += [Problem(source, int(r), "service", "required value is missing (unit costs are per service)")
                     for r in rows.loc[rows["service"].isna(), "row"]]
        if problems:
            raise ValidationError(problems)
        return (rows["activity"] * rows["service"].map(unit_costs)).to_numpy(dtype=float), "unit cost per service"
    basis = f"ILLUSTRATIVE: £{ILLUSTRATIVE_UNIT_COST_GBP:,.0f} per unit of activity (not a tariff)"
    return rows["activity"].to_numpy(dtype=float) * ILLUSTRATIVE_UNIT_COST_GBP, basis


def money_shift(
    graph: CareGraph,
    flows: pd.DataFrame,
    as_at: AsAt = None,
    *,
    unit_costs: pd.DataFrame | None = None,
    unknown: str = "error",
    period: str | None = None,
) -> pd.DataFrame:
    """Money each ICB would hold on a hosted and on a population basis, and the net shift.

    Parameters
    ----------
    graph : CareGraph
        The model with every dated version.
    flows : pandas.DataFrame
        A flow table (``networks.flows.table``); its ``cost_gbp`` or
        ``unit_cost_gbp`` column, when given, prices each row.
    as_at : str or datetime.date, optional
        The geography's date (default today).
    unit_costs : pandas.DataFrame, optional
        Pounds per unit of activity by service: ``service``,
        ``unit_cost_gbp`` (``check_unit_costs``; from
        ``cg.read_unit_costs``), matched to the flows' ``service``; used
        when the flows carry no cost. Without either, an illustrative flat
        unit cost is used and the result says so.
    unknown, period
        As for ``flow_network``.

    Returns
    -------
    pandas.DataFrame
        ``MONEY_COLUMNS``: one row per ICB in force (by region), then rows
        for activity with no ICB on one basis (``NHS England / NONC``, whose
        patients' home is not given, and ``(no ICB)``, providers in no ICB),
        then the total ``ALL``. ``net_shift_gbp`` is population minus
        hosted (positive: the ICB gains); ``net_shift_pct`` is that over the
        hosted money. ``cost_basis`` says where the money came from
        (``ILLUSTRATIVE`` when no cost was given). ``attrs["as_at"]`` is the
        date used.

    Raises
    ------
    networks.errors.ValidationError
        Bad flows (see ``flow_network``), or a service with no unit cost.
    networks.errors.ArgumentError
        Flows given as a Spark DataFrame (money is shifted row by row, in pandas).
    """
    pandas_only(flows, "money_shift")
    net = flow_network(graph, flows, "icb", as_at, unknown=unknown, period=period)
    rows = net.rows
    source = rows.attrs.get("source", flows.attrs.get("source", "flows"))
    per_unit = None if unit_costs is None else check_unit_costs(unit_costs)
    cost, basis = _costs(rows, per_unit, source)
    category = rows["from_area"].map(net.areas.set_index("area_code")["category"])
    unplaced = "NHS England / NONC"
    resident_icb = rows["from_area"].where(category == "residents", unplaced)
    priced = pd.DataFrame({"resident": resident_icb, "host": rows["to_area"], "activity": rows["activity"],
                           "money": cost})
    hosted = priced.groupby("host")[["activity", "money"]].sum()
    population = priced.groupby("resident")[["activity", "money"]].sum()
    icbs = net.areas[net.areas["category"] == "residents"]
    others = sorted((set(hosted.index) | set(population.index)) - set(icbs["area_code"]))
    codes = [*icbs["area_code"], *others]
    table = pd.DataFrame({"icb_code": codes})
    names = dict(zip(icbs["area_code"], icbs["area_name"], strict=True))
    names[unplaced] = "NHS England hubs and regions, non-contracted: patients' home ICB not given"
    names["(no ICB)"] = "providers in no ICB on the date"
    table["icb_name"] = table["icb_code"].map(names)
    table["region_code"] = table["icb_code"].map(dict(zip(icbs["area_code"], icbs["region_code"], strict=True)))
    table["activity_hosted"] = table["icb_code"].map(hosted["activity"]).fillna(0.0)
    table["activity_residents"] = table["icb_code"].map(population["activity"]).fillna(0.0)
    table["money_hosted_gbp"] = table["icb_code"].map(hosted["money"]).fillna(0.0)
    table["money_population_gbp"] = table["icb_code"].map(population["money"]).fillna(0.0)
    total = table[["activity_hosted", "activity_residents", "money_hosted_gbp", "money_population_gbp"]].sum()
    table = pd.concat([table, pd.DataFrame([{"icb_code": "ALL", "icb_name": "all activity", **total}])],
                      ignore_index=True)
    table["net_shift_gbp"] = table["money_population_gbp"] - table["money_hosted_gbp"]
    table["net_shift_pct"] = 100 * table["net_shift_gbp"] / table["money_hosted_gbp"].where(
        table["money_hosted_gbp"] > 0)
    table["cost_basis"] = basis
    table = table[MONEY_COLUMNS]
    table.attrs.update({"as_at": net.as_at, "cost_basis": basis, "skipped": net.skipped})
    return table
