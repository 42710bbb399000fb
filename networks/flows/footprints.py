"""Planning footprints: groups of whole ICBs whose residents are mostly treated inside the group.

Seed 002 plans a service for one ICS, several ICSs together or a region.
``discover_footprints`` proposes multi-ICB footprints from the ICB flow
network (``flow_network(..., level="icb")``):

1. **communities**: Louvain community detection (``networkx``'s
   ``louvain_communities``, seeded, so the same seed gives the same
   footprints) on the undirected ICB graph whose edge weights are the
   activity between two ICBs both ways, with each ICB's own activity as a
   self-loop. Nodes are whole ICBs, so no ICB is ever split;
2. **connected in flow terms**: two ICBs are *linked* when the flow between
   them, either way, is at least ``min_link_pct`` percent of the sending
   ICB's residents' activity. A community that is not connected by links is
   cut into its linked parts;
3. **big enough**: while a footprint's population is below
   ``min_population``, the smallest is merged into the linked footprint it
   exchanges most activity with. One with no linked neighbour cannot be
   merged: it is kept and reported (``meets_min_population`` False),
   never hidden. Populations are the ICBs' ``population`` property; an ICB
   without one counts as 0 (so the constraint holds whatever its population)
   and is named in ``icbs_without_population``.

Each footprint is then compared with today's regions (its main region's own
containment) and with existing joint arrangements (such as South London,
QWE + QKK): does it keep each arrangement whole? The result also lists the
regions and the arrangements themselves as footprints, for comparison.

Examples
--------
Four ICBs: A and B exchange a lot, C and D exchange a lot, B and C a little.
Each has 600,000 people, so each pair passes 1 million. A and B's residents
have 1,000 + 1,020 units of activity, 2,000 of them inside A and B: 99.01%.

>>> import caregraph as cg
>>> import pandas as pd
>>> g = cg.CareGraph()
>>> g.add_node("R1", "NHSERegion")
>>> for icb in "ABCD":
...     g.add_node(icb, "ICB", population=600_000); _ = g.add_edge(icb, "R1", "PART_OF")
...     g.add_node(f"T{icb}", "NHSTrust"); _ = g.add_edge(f"T{icb}", icb, "LOCATED_IN")
>>> pairs = [("A", "A", 700), ("A", "B", 300), ("B", "B", 700), ("B", "A", 300), ("B", "C", 20),
...          ("C", "C", 700), ("C", "D", 300), ("D", "D", 700), ("D", "C", 300)]
>>> flows = pd.DataFrame(pairs, columns=["commissioner_id", "provider_id", "activity"])
>>> flows["provider_id"] = "T" + flows["provider_id"]
>>> net = cg.flow_network(g, flows, as_at="2026-05-01")
>>> found = cg.discover_footprints(net, seed=1)
>>> found.loc[found["kind"] == "discovered", ["footprint", "icb_codes", "population", "share_inside_pct"]
...           ].round(2).values.tolist()
[['F1', 'A;B', 1200000.0, 99.01], ['F2', 'C;D', 1200000.0, 100.0]]
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import networkx as nx
import pandas as pd

from networks.errors import ArgumentError

from .network import FlowNetwork, short_name

__all__ = ["FOOTPRINT_COLUMNS", "discover_footprints", "footprint_containment"]

FOOTPRINT_COLUMNS = [
    "kind", "footprint", "icb_codes", "icb_names", "n_icbs", "regions", "population", "icbs_without_population",
    "activity", "activity_inside", "share_inside_pct", "main_region", "main_region_share_inside_pct",
    "joint_arrangements", "meets_min_population", "connected",
]
"""The columns of ``discover_footprints``' result."""


class _Flows:
    """The ICB-to-ICB activity of a flow network, for containment of any group of ICBs."""

    def __init__(self, network: FlowNetwork) -> None:
        if network.level != "icb":
            raise ArgumentError(f"footprints need a flow network at level 'icb', not '{network.level}'")
        areas = network.areas[network.areas["category"] == "residents"]
        self.icbs: list[str] = sorted(areas["area_code"])
        self.population = {c: p for c, p in zip(areas["area_code"], areas["population"], strict=True)
                           if pd.notna(p)}
        self.region = dict(zip(areas["area_code"], areas["region_code"], strict=True))
        self.name = dict(zip(areas["area_code"], areas["area_name"], strict=True))
        flows = network.flows[network.flows["from_category"] == "residents"]
        self.residents = flows.groupby("from_area")["activity"].sum().to_dict()
        between = flows[flows["to_area"].isin(self.icbs)]
        self.flow = {(a, b): float(v) for a, b, v in zip(between["from_area"], between["to_area"],
                                                           between["activity"], strict=True)}

    def between(self, a: str, b: str) -> float:
        return self.flow.get((a, b), 0.0) + self.flow.get((b, a), 0.0)

    def containment(self, group: Iterable[str]) -> tuple[float, float]:
        """(residents' activity, of which treated inside the group)."""
        members = set(group)
        total = sum(self.residents.get(a, 0.0) for a in members)
        inside = sum(v for (a, b), v in self.flow.items() if a in members and b in members)
        return total, inside

    def people(self, group: Iterable[str]) -> float:
        return sum(self.population.get(a, 0.0) for a in group)

    def links(self, min_link_pct: float) -> nx.Graph:
        graph = nx.Graph()
        graph.add_nodes_from(self.icbs)
        for (a, b), value in sorted(self.flow.items()):
            if a != b and self.residents.get(a, 0.0) > 0 and 100 * value / self.residents[a] >= min_link_pct:
                graph.add_edge(a, b)
        return graph

    def weights(self) -> nx.Graph:
        """ICBs joined by their activity both ways; each ICB's own activity is a self-loop."""
        both: dict[tuple[str, str], float] = {}
        for (a, b), value in self.flow.items():
            key = (min(a, b), max(a, b))
            both[key] = both.get(key, 0.0) + value
        graph = nx.Graph()
        graph.add_nodes_from(self.icbs)
        graph.add_weighted_edges_from((a, b, value) for (a, b), value in sorted(both.items()))
        return graph


def _merge_small(groups: list[set[str]], data: _Flows, links: nx.Graph, minimum: float) -> list[set[str]]:
    """Merge footprints below the minimum into their most-exchanging linked neighbour until none can be."""
    groups = [set(g) for g in groups]
    stuck: set[frozenset[str]] = set()
    while True:
        small = sorted((g for g in groups if data.people(g) < minimum and frozenset(g) not in stuck),
                       key=lambda g: (data.people(g), min(g)))
        if not small:
            return groups
        group = small[0]
        neighbours = [other for other in groups if other is not group
                      and any(links.has_edge(a, b) for a in group for b in other)]
        if not neighbours:
            stuck.add(frozenset(group))
            continue
        best = min(neighbours, key=lambda other: (-sum(data.between(a, b) for a in group for b in other),
                                                  min(other)))
        groups = [g for g in groups if g is not group and g is not best] + [group | best]


def footprint_containment(network: FlowNetwork, icbs: Iterable[str]) -> float:
    """The share (percent) of a group of ICBs' residents' activity treated by providers inside the group.

    Examples
    --------
    >>> import caregraph as cg
    >>> import pandas as pd
    >>> g = cg.CareGraph()
    >>> for icb in ("QWE", "QKK"):
    ...     g.add_node(icb, "ICB"); g.add_node(f"T{icb}", "NHSTrust"); _ = g.add_edge(f"T{icb}", icb, "LOCATED_IN")
    >>> flows = pd.DataFrame({"commissioner_id": ["QWE", "QWE", "QKK"], "provider_id": ["TQWE", "TQKK", "TQKK"],
    ...                       "activity": [300, 100, 500]})
    >>> footprint_containment(cg.flow_network(g, flows, as_at="2026-05-01"), ["QWE", "QKK"])
    100.0
    """
    total, inside = _Flows(network).containment(icbs)
    return 100 * inside / total if total > 0 else float("nan")


def _row(kind: str, label: str, group: Iterable[str], data: _Flows, minimum: float,
         links: nx.Graph) -> dict[str, Any]:
    members = sorted(group)
    total, inside = data.containment(members)
    regions = sorted({r for r in (data.region.get(a) for a in members) if r})
    return {
        "kind": kind, "footprint": label, "icb_codes": ";".join(members),
        "icb_names": "; ".join(short_name(data.name.get(a)) for a in members), "n_icbs": len(members),
        "regions": ";".join(regions), "population": data.people(members),
        "icbs_without_population": ";".join(a for a in members if a not in data.population) or None,
        "activity": total, "activity_inside": inside,
        "share_inside_pct": 100 * inside / total if total > 0 else float("nan"),
        "meets_min_population": data.people(members) >= minimum,
        "connected": bool(members) and nx.is_connected(links.subgraph(members)),
    }


def discover_footprints(
    network: FlowNetwork,
    *,
    min_population: float = 1_000_000,
    seed: int = 1,
    resolution: float = 1.0,
    min_link_pct: float = 1.0,
    arrangements: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Propose multi-ICB planning footprints by community detection on the ICB flow network.

    Parameters
    ----------
    network : FlowNetwork
        ``flow_network(graph, flows, level="icb", as_at=...)``: the
        footprints are of the ICBs in force on its date.
    min_population : float
        Each footprint's population must reach this (default 1,000,000).
    seed : int
        Seed of the community detection: the same seed, the same footprints.
    resolution : float
        Louvain resolution: below 1 favours larger footprints, above 1
        smaller ones.
    min_link_pct : float
        Two ICBs are linked (may share a footprint, and keep it connected)
        when the flow between them, either way, is at least this percentage
        of the sending ICB's residents' activity (default 1%).
    arrangements : pandas.DataFrame, optional
        Existing joint arrangements to compare with: ``arrangement_id``,
        ``arrangement_name``, ``icb_ods_code`` (one row per member ICB), as
        ``cg.joint_arrangements()`` gives.

    Returns
    -------
    pandas.DataFrame
        ``FOOTPRINT_COLUMNS``. Rows of kind ``discovered`` (``F1``,
        ``F2``, ... in order of main region and first ICB), then
        ``region`` (each region as a footprint) and ``joint arrangement``
        rows for comparison. ``main_region`` is the region holding most of a
        footprint's population, ``main_region_share_inside_pct`` that
        region's own containment, and ``joint_arrangements`` says for each
        arrangement touching the footprint whether it is ``whole`` or
        ``split``. ``attrs`` hold ``as_at``, ``seed``, ``resolution``,
        ``min_population`` and ``min_link_pct``.

    Raises
    ------
    networks.errors.ArgumentError
        A network not at level ``icb``, or a negative threshold.
    """
    if min_population < 0 or min_link_pct < 0 or resolution <= 0:
        raise ArgumentError("min_population and min_link_pct must be >= 0, and resolution > 0")
    data = _Flows(network)
    links = data.links(min_link_pct)
    communities = nx.community.louvain_communities(data.weights(), weight="weight", resolution=resolution,
                                                   seed=seed)
    parts = [set(part) for community in communities
             for part in nx.connected_components(links.subgraph(sorted(community)))]
    groups = _merge_small(parts, data, links, min_population)

    def main_region(group: Iterable[str]) -> str | None:
        people: dict[str, float] = {}
        for icb in group:
            region = data.region.get(icb)
            if region:
                people[region] = people.get(region, 0.0) + data.population.get(icb, 0.0)
        return max(sorted(people), key=lambda r: people[r]) if people else None

    groups.sort(key=lambda g: (main_region(g) or "", min(g)))
    regions: dict[str, list[str]] = {}
    for icb in data.icbs:
        if data.region.get(icb):
            regions.setdefault(data.region[icb], []).append(icb)
    region_share = {r: _row("region", r, members, data, min_population, links)["share_inside_pct"]
                    for r, members in regions.items()}
    joint: dict[str, tuple[str, list[str]]] = {}
    if arrangements is not None:
        for key, rows in arrangements.groupby("arrangement_id", sort=True):
            joint[str(key)] = (str(rows["arrangement_name"].iloc[0]), sorted(rows["icb_ods_code"]))
    table = []
    for number, group in enumerate(groups, start=1):
        row = _row("discovered", f"F{number}", group, data, min_population, links)
        main = main_region(group)
        row["main_region"] = main
        row["main_region_share_inside_pct"] = region_share.get(main or "", float("nan"))
        notes = [f"{name}: {'whole' if set(members) <= group else 'split'}"
                 for name, members in joint.values() if set(members) & group]
        row["joint_arrangements"] = "; ".join(notes) or None
        table.append(row)
    table += [_row("region", region, members, data, min_population, links) for region, members in
              sorted(regions.items())]
    table += [_row("joint arrangement", name, members, data, min_population, links)
              for name, members in joint.values()]
    result = pd.DataFrame(table, columns=FOOTPRINT_COLUMNS)
    result.attrs.update({"as_at": network.as_at, "seed": seed, "resolution": resolution,
                         "min_population": min_population, "min_link_pct": min_link_pct})
    return result
