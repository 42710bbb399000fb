"""The flow network: where each area's residents are treated, on the geography of one date.

``flow_network(g, flows, level, as_at)`` checks a flow table against the
model, places its rows on the geography in force on ``as_at``
(``networks.flows.places``), sums them from each residents' area to each
provider area (``networks.flows.aggregate``) and returns a ``FlowNetwork``:
a weighted ``networkx.DiGraph`` and its tables. ``containment()`` gives,
for each area, the share of its residents' activity treated by providers
inside its own footprint, and where the rest goes; ``cross_boundary()``
ranks the flows that leave a footprint.

=========  ==========================  ===============================  =================
level      residents' area (from)      provider area (to)               footprint (inside)
=========  ==========================  ===============================  =================
icb        ICB                         provider's ICB                   the ICB
sub_icb    sub-ICB location            provider's ICB                   the sub-ICB's ICB
region     NHS England region          provider's region                the region
provider   ICB                         the provider itself              the ICB
=========  ==========================  ===============================  =================

Activity whose patients' home is not given (NHS England commissioning hubs
and regions, ``NONC``, a sub-ICB location in no ICB that day) keeps its
commissioner as its own "from" area, with its category, so totals always
add up; it has no containment. A provider in no ICB that day goes to the
area ``(no ICB)``, which is outside every footprint.

Examples
--------
South West London (QWE) residents: 300 treated at St George's (RJ7, in QWE),
100 at King's (RJZ, in South East London, QKK); South East London residents:
500 at King's. So 75% of QWE's activity stays inside QWE, and QKK keeps all.

>>> import caregraph as cg
>>> import pandas as pd
>>> g = cg.CareGraph()
>>> for icb in ("QWE", "QKK"):
...     g.add_node(icb, "ICB", name=f"NHS {icb} ICB")
>>> g.add_node("RJ7", "NHSTrust"); g.add_node("RJZ", "NHSTrust")
>>> _ = g.add_edge("RJ7", "QWE", "LOCATED_IN"); _ = g.add_edge("RJZ", "QKK", "LOCATED_IN")
>>> flows = pd.DataFrame({"commissioner_id": ["QWE", "QWE", "QKK"], "provider_id": ["RJ7", "RJZ", "RJZ"],
...                       "activity": [300, 100, 500]})
>>> net = cg.flow_network(g, flows, as_at="2026-05-01")
>>> net.containment()[["area_code", "activity", "share_inside_pct"]].values.tolist()
[['QKK', 500.0, 100.0], ['QWE', 400.0, 75.0], ['ALL', 900.0, 88.88888888888889]]
>>> net.cross_boundary()[["from_area", "to_area", "activity", "share_of_residents_pct"]].values.tolist()
[['QWE', 'QKK', 100.0, 25.0]]
>>> net.graph["QWE"]["QKK"]["activity"]
100.0
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import pandas as pd

from networks.choices import FLOW_LEVELS, check_choice
from networks.dates import AsAt, resolve_as_at
from networks.errors import ArgumentError
from networks.graph import CareGraph
from networks.spark_sql import is_spark_frame
from networks.values import in_force

from .aggregate import aggregate_flows
from .aggregate_spark import located_rows
from .places import CATEGORIES, NO_ICB, Places, checked_flows, icb_on, locate, locate_ids, region_on
from .spark_checks import spark_checked_flows

__all__ = ["FLOW_LEVELS", "FlowNetwork", "area_names", "flow_network", "short_name"]

_TOTAL = "ALL"


def short_name(name: str | None) -> str:
    """An organisation's name without "NHS" and "Integrated Care Board", for tables that list many.

    Examples
    --------
    >>> short_name("NHS SOUTH EAST LONDON INTEGRATED CARE BOARD"), short_name("NHS Devon ICB - 15N")
    ('SOUTH EAST LONDON', 'Devon ICB - 15N')
    """
    if not name:
        return ""
    text = re.sub(r"^NHS\s+", "", name.strip())
    return re.sub(r"\s+Integrated Care Board$", "", text, flags=re.IGNORECASE)


def area_names(graph: CareGraph, codes: Sequence[str]) -> dict[str, str | None]:
    """The name of each code: the organisation's name, a category's description, or ``None``.

    Examples
    --------
    >>> import caregraph as cg
    >>> area_names(cg.CareGraph(), ["NONC", "(no ICB)"])
    {'NONC': 'non-contracted activity', '(no ICB)': 'providers in no ICB on the date'}
    """
    names: dict[str, str | None] = {}
    for code in codes:
        if code in graph:
            names[code] = graph.node(code).get("name")
        elif code == NO_ICB:
            names[code] = "providers in no ICB on the date"
        else:
            names[code] = "non-contracted activity"
    return names


@dataclass(frozen=True)
class FlowNetwork:
    """A flow network on the geography of one date (see ``flow_network``).

    Attributes
    ----------
    level : str
        One of ``FLOW_LEVELS``.
    as_at : str
        The ISO date whose geography is used.
    flows : pandas.DataFrame
        One row per (from area, to area): ``from_area``, ``from_name``,
        ``from_category``, ``to_area``, ``to_name``, ``to_footprint``,
        ``inside`` (the provider is in the residents' footprint; False when
        where they live is not known), ``activity``, ``cost_gbp`` (when the
        flows have costs), ``rows``, ``share_of_residents_pct`` (of the from
        area's activity).
    areas : pandas.DataFrame
        One row per residents' area (every area of the level in force that
        day, with or without activity, then each other category's
        commissioners): ``area_code``, ``area_name``, ``area_kind``,
        ``category``, ``footprint``, ``region_code``, ``population``.
    graph : networkx.DiGraph
        Nodes are areas (attributes ``name``, ``kind``); each edge carries
        ``activity`` (and ``cost_gbp``) from residents' area to provider area.
    skipped : pandas.DataFrame
        Ids skipped with ``unknown="skip"`` (``field``, ``id``, ``rows``,
        ``n_rows``, ``activity``); empty otherwise.
    rows : pandas.DataFrame or pyspark.sql.DataFrame
        The checked flow rows analysed, each with its ``from_area`` and
        ``to_area`` on this geography; for flows given as a Spark
        DataFrame, a Spark DataFrame (lazy: the rows stay in Spark).
    """

    level: str
    as_at: str
    flows: pd.DataFrame
    areas: pd.DataFrame
    graph: nx.DiGraph
    skipped: pd.DataFrame
    rows: pd.DataFrame | Any = field(repr=False)

    def _attrs(self, frame: pd.DataFrame) -> pd.DataFrame:
        frame.attrs.update({"as_at": self.as_at, "level": self.level, "skipped": self.skipped})
        return frame

    def containment(self) -> pd.DataFrame:
        """The share of each area's residents' activity treated inside its footprint, and where the rest goes.

        Returns
        -------
        pandas.DataFrame
            One row per area of ``areas`` (residents' areas in order of
            region and code, then the other categories), then a total row
            ``ALL``: ``area_code``, ``area_name``, ``area_kind``,
            ``footprint``, ``region_code``, ``population``, ``activity``,
            ``activity_inside``, ``activity_outside``, ``share_inside_pct``
            (NaN where where the patients live is not known, or there is no
            activity; on the total row, over the activity whose residents'
            area is known; its population only when every area has one),
            ``top_destinations`` (the three largest flows
            out of the footprint: code, short name and share of the area's
            activity) and ``note``. ``attrs["as_at"]`` is the date used.
        """
        flows = self.flows
        out = flows[~flows["inside"] & (flows["from_category"] == "residents")]
        out = out.sort_values(["from_area", "activity", "to_area"], ascending=[True, False, True], kind="mergesort")
        top: dict[str, list[str]] = {}
        for area, to_area, to_name, share in zip(out["from_area"], out["to_area"], out["to_name"],
                                                 out["share_of_residents_pct"], strict=True):
            listed = top.setdefault(area, [])
            if len(listed) < 3:
                listed.append(f"{to_area} {short_name(to_name)} {share:.1f}%")
        totals = flows.groupby("from_area")["activity"].sum()
        inside = flows[flows["inside"]].groupby("from_area")["activity"].sum()
        table = self.areas.drop(columns="category").copy()
        resident = (self.areas["category"] == "residents").to_numpy()
        table["activity"] = table["area_code"].map(totals).fillna(0.0).astype(float)
        table["activity_inside"] = table["area_code"].map(inside).fillna(0.0).astype(float)
        table["activity_outside"] = table["activity"] - table["activity_inside"]
        table["share_inside_pct"] = (100 * table["activity_inside"] / table["activity"].where(table["activity"] > 0)
                                     ).where(resident)
        table["top_destinations"] = table["area_code"].map({a: "; ".join(t) for a, t in top.items()})
        table["note"] = [None if r else CATEGORIES[c] for r, c in zip(resident, self.areas["category"], strict=True)]
        known = table[resident]
        total = {"area_code": _TOTAL, "area_name": "all activity", "activity": table["activity"].sum(),
                 "activity_inside": known["activity_inside"].sum(),
                 "activity_outside": table["activity"].sum() - known["activity_inside"].sum(),
                 "share_inside_pct": 100 * known["activity_inside"].sum() / known["activity"].sum()
                 if known["activity"].sum() > 0 else float("nan"),
                 "population": known["population"].sum() if known["population"].notna().all() else float("nan"),
                 "note": "share over the activity whose residents' area is known"}
        table = pd.concat([table, pd.DataFrame([total])], ignore_index=True)
        return self._attrs(table)

    def cross_boundary(self, top: int | None = None) -> pd.DataFrame:
        """Flows of residents to providers outside their footprint, largest first.

        Parameters
        ----------
        top : int, optional
            Keep only the largest ``top``.

        Returns
        -------
        pandas.DataFrame
            ``rank``, ``from_area``, ``from_name``, ``to_area``, ``to_name``,
            ``activity``, ``cost_gbp`` (when given), ``share_of_residents_pct``
            (of the from area's activity) and ``share_of_destination_pct``
            (of all the activity the to area treats). Only activity whose
            residents' area is known can cross a boundary:
            ``attrs["unplaced_activity"]`` is the rest (hubs, ``NONC``, ...),
            which ``containment()`` lists.
        """
        flows = self.flows
        received = flows.groupby("to_area")["activity"].sum()
        crossing = flows[(flows["from_category"] == "residents") & ~flows["inside"]].copy()
        crossing["share_of_destination_pct"] = 100 * crossing["activity"] / crossing["to_area"].map(received)
        crossing = crossing.sort_values(["activity", "from_area", "to_area"], ascending=[False, True, True],
                                        kind="mergesort").reset_index(drop=True)
        if top is not None:
            crossing = crossing.head(top)
        crossing.insert(0, "rank", range(1, len(crossing) + 1))
        columns = ["rank", "from_area", "from_name", "to_area", "to_name", "activity",
                   *(["cost_gbp"] if "cost_gbp" in crossing else []), "share_of_residents_pct",
                   "share_of_destination_pct"]
        result = self._attrs(crossing[columns])
        result.attrs["unplaced_activity"] = float(flows.loc[flows["from_category"] != "residents", "activity"].sum())
        return result


def _from_areas(places: Places, level: str) -> pd.DataFrame:
    c = places.commissioners
    resident = c["category"] == "residents"
    if level == "region":
        area, footprint = c["region"], c["region"]
    elif level == "sub_icb":
        area, footprint = c["sub_icb"].where(c["sub_icb"].notna(), c["icb"]), c["icb"]
    else:
        area, footprint = c["icb"], c["icb"]
    return pd.DataFrame({
        "commissioner_id": c["commissioner_id"],
        "from_area": area.where(resident, c["commissioner_id"]),
        "from_footprint": footprint.where(resident, None),
        "from_category": c["category"],
    })


def _to_areas(places: Places, level: str) -> pd.DataFrame:
    p = places.providers
    footprint = p["region"] if level == "region" else p["icb"]
    area = p["provider_id"] if level == "provider" else footprint
    return pd.DataFrame({"provider_id": p["provider_id"], "to_area": area, "to_footprint": footprint})


_CATEGORY_KIND = {
    "no_icb": "sub-ICB location in no ICB on the date",
    "nhse_hub": "NHS England commissioning hub",
    "nhse_region": "NHS England region (as commissioner)",
    "nhs_england": "NHS England (as commissioner)",
    "non_contracted": "non-contracted activity",
    "other_commissioner": "other commissioner",
}
_AREA_COLUMNS = ["area_code", "area_name", "area_kind", "category", "footprint", "region_code", "population"]


def _areas(graph: CareGraph, places: Places, level: str, from_areas: pd.DataFrame) -> pd.DataFrame:
    """Every residents' area of the level in force on the day, then each other commissioner of the flows."""
    day = places.day
    icbs = sorted(n for n, a in graph.nodes_of("ICB", data=True) if in_force(a, day))
    region_of = {icb: region_on(graph, icb, day) for icb in icbs}
    population = {n: graph.node(n).get("population") for n in icbs}
    rows: list[dict[str, Any]] = []
    if level in ("icb", "provider"):
        rows = [{"area_code": i, "area_kind": "ICB", "footprint": i, "region_code": region_of[i],
                 "population": population[i]} for i in icbs]
    elif level == "sub_icb":
        subs = sorted(n for n, a in graph.nodes_of("SubICBLocation", data=True) if in_force(a, day))
        given = from_areas.loc[from_areas["from_category"] == "residents", "from_area"]
        for code in sorted({*subs, *(a for a in given if graph.kind(a) == "ICB")}):
            icb = code if graph.kind(code) == "ICB" else icb_on(graph, code, day)
            if icb is not None:
                rows.append({"area_code": code, "area_kind": "ICB" if code == icb else "sub-ICB location",
                             "footprint": icb, "region_code": region_of[icb],
                             "population": graph.node(code).get("population")})
    else:
        for region in sorted(n for n, a in graph.nodes_of("NHSERegion", data=True) if in_force(a, day)):
            members = [population[i] for i in icbs if region_of[i] == region]
            known = [float(m) for m in members if m is not None]
            total = sum(known) if members and len(known) == len(members) else None
            rows.append({"area_code": region, "area_kind": "NHS England region", "footprint": region,
                         "region_code": region, "population": graph.node(region).get("population", total)})
    resident = pd.DataFrame(rows, columns=[c for c in _AREA_COLUMNS if c not in ("area_name", "category")])
    resident["category"] = "residents"
    resident = resident.sort_values(["region_code", "area_code"], kind="mergesort", na_position="last")
    others = from_areas[from_areas["from_category"] != "residents"].drop_duplicates("from_area")
    other = pd.DataFrame({
        "area_code": others["from_area"], "category": others["from_category"],
        "area_kind": others["from_category"].map(_CATEGORY_KIND), "footprint": None,
        "region_code": [region_on(graph, c, day) if c in graph else None for c in others["from_area"]],
        "population": None,
    })
    table = pd.concat([resident, other.sort_values("area_code")], ignore_index=True)
    table["area_name"] = table["area_code"].map(area_names(graph, list(table["area_code"])))
    table["population"] = pd.to_numeric(table["population"], errors="coerce").astype(float)
    return table[_AREA_COLUMNS]


def _graph(areas: pd.DataFrame, flows: pd.DataFrame, names: dict[str, str | None]) -> nx.DiGraph:
    graph = nx.DiGraph()
    kinds = dict(zip(areas["area_code"], areas["area_kind"], strict=True))
    for code in sorted({*areas["area_code"], *flows["to_area"]}):
        graph.add_node(code, name=names.get(code), kind=kinds.get(code, "provider area"))
    for row in flows.to_dict("records"):
        weights = {k: row[k] for k in ("activity", "cost_gbp") if k in row}
        graph.add_edge(row["from_area"], row["to_area"], **weights)
    return graph


def flow_network(
    graph: CareGraph,
    flows: pd.DataFrame | Any,
    level: str = "icb",
    as_at: AsAt = None,
    *,
    unknown: str = "error",
    period: str | None = None,
) -> FlowNetwork:
    """Build the flow network of a flow table on the geography in force on a date.

    Parameters
    ----------
    graph : CareGraph
        The model with every dated version (e.g. ``cg.rtt_graph()`` or
        ``cg.reference_graph("all")``): its organisations and their dated
        ``PART_OF``/``LOCATED_IN`` links place residents and providers.
    flows : pandas.DataFrame or pyspark.sql.DataFrame
        A flow table (``networks.flows.table``; from
        ``cg.read_flow_table`` or ``cg.rtt_flows``). A PySpark DataFrame
        (``cg.read_spark_flow_table``, or a table on Databricks) is checked
        and aggregated inside Spark (``networks.flows.spark_checks``,
        ``networks.flows.aggregate_spark``): only the ids and the sums per
        pair of areas come back to the driver, and the result is the same.
    level : {"icb", "sub_icb", "region", "provider"}
        What the nodes are (see the module docstring).
    as_at : str or datetime.date, optional
        The date whose geography is used; ``None`` means today.
        ``"2026-03-31"`` gives the 42 ICBs of 2022-2026, any date from
        ``"2026-04-01"`` the 36.
    unknown : {"error", "skip"}
        Ids that are not organisations of the model: an error (default), or
        skip their rows and list them in ``FlowNetwork.skipped``.
    period : str, optional
        The period to analyse when the table has several.

    Returns
    -------
    FlowNetwork

    Raises
    ------
    networks.errors.ValidationError
        Bad flow values or unknown organisations (``check_flows``,
        ``check_organisations``), each naming file, row and field.
    networks.errors.ArgumentError
        An unknown ``level`` or ``unknown``, or ``as_at="all"`` (flows need
        one geography).
    """
    check_choice("level", level, FLOW_LEVELS)
    day = resolve_as_at(as_at)
    if day is None:
        raise ArgumentError("as-at date: 'all' has no single geography; flows need one date")
    if is_spark_frame(flows):
        in_spark = spark_checked_flows(flows, graph, unknown=unknown, period=period)
        kept, skipped = in_spark.frame, in_spark.skipped
        places = locate_ids(graph, in_spark.commissioners, in_spark.providers, day)
    else:
        kept = checked_flows(flows, graph, unknown=unknown, period=period)
        skipped = kept.attrs["skipped"]
        places = locate(graph, kept, day)
    from_areas = _from_areas(places, level)
    to_areas = _to_areas(places, level)
    edges = aggregate_flows(kept, from_areas.drop(columns="from_category"), to_areas)
    edges = edges.merge(from_areas[["from_area", "from_category"]].drop_duplicates(), on="from_area", how="left")
    edges["inside"] = (edges["from_footprint"] == edges["to_footprint"]).astype(bool)
    areas = _areas(graph, places, level, from_areas)
    names = area_names(graph, sorted({*areas["area_code"], *edges["to_area"]}))
    edges["from_name"] = edges["from_area"].map(names)
    edges["to_name"] = edges["to_area"].map(names)
    edges["share_of_residents_pct"] = 100 * edges["activity"] / edges.groupby("from_area")["activity"].transform("sum")
    columns = ["from_area", "from_name", "from_category", "to_area", "to_name", "to_footprint", "inside",
               "activity", *(["cost_gbp"] if "cost_gbp" in edges else []), "rows", "share_of_residents_pct"]
    edges = edges[columns]
    edges.attrs["as_at"] = day
    if is_spark_frame(kept):
        rows = located_rows(kept, from_areas, to_areas)
    else:
        rows = kept.merge(from_areas[["commissioner_id", "from_area"]], on="commissioner_id", how="left")
        rows = rows.merge(to_areas[["provider_id", "to_area"]], on="provider_id", how="left")
    return FlowNetwork(level, day, edges, areas, _graph(areas, edges, names), skipped, rows)
