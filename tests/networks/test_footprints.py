"""Footprint discovery: hand-built flow networks, reproducibility, and every constraint on a national network."""

from __future__ import annotations

import networkx as nx
import pandas as pd
import pytest

import caregraph as cg
from caregraph import CareGraph

DAY = "2026-05-01"


def _network(people: dict[str, int | None], flows: list[tuple[str, str, float]],
             regions: dict[str, str]) -> cg.FlowNetwork:
    g = CareGraph()
    for region in sorted(set(regions.values())):
        g.add_node(region, "NHSERegion")
    for icb, population in people.items():
        g.add_node(icb, "ICB", name=f"NHS {icb} ICB", population=population)
        g.add_edge(icb, regions[icb], "PART_OF")
        g.add_node(f"T{icb}", "NHSTrust")
        g.add_edge(f"T{icb}", icb, "LOCATED_IN")
    table = pd.DataFrame([(a, f"T{b}", v) for a, b, v in flows], columns=["commissioner_id", "provider_id", "activity"])
    return cg.flow_network(g, table, "icb", DAY)


# A and B (600,000 people each) exchange 300 of their 1,000 units each way. C (300,000) keeps 955 of its 1,000,
# sends 40 (4%: a link) to B and 5 (0.5%: not a link) to D. D (2 million) keeps its own; E (200,000) exchanges
# nothing with anyone.
PEOPLE = {"A": 600_000, "B": 600_000, "C": 300_000, "D": 2_000_000, "E": 200_000}
REGIONS = {"A": "R1", "B": "R1", "C": "R1", "D": "R2", "E": "R2"}
FLOWS = [("A", "A", 700), ("A", "B", 300), ("B", "B", 700), ("B", "A", 300), ("C", "C", 955), ("C", "B", 40),
         ("C", "D", 5), ("D", "D", 2000), ("E", "E", 400)]


@pytest.fixture(scope="module")
def found() -> pd.DataFrame:
    arrangements = pd.DataFrame({"arrangement_id": ["ab", "ab"], "arrangement_name": ["A and B", "A and B"],
                                 "icb_ods_code": ["A", "B"]})
    return cg.discover_footprints(_network(PEOPLE, FLOWS, REGIONS), seed=3, arrangements=arrangements)


def test_small_icbs_join_their_linked_neighbour_and_an_isolated_one_is_reported(found):
    discovered = found[found["kind"] == "discovered"].set_index("icb_codes")
    # C (300k) is below 1 million and linked only to B (4% >= 1%; 0.5% to D is not a link): A;B;C = 1.5 million
    assert set(discovered.index) == {"A;B;C", "D", "E"}
    assert discovered.loc["A;B;C", "population"] == 1_500_000
    # E has no linked neighbour: kept alone and flagged, never hidden
    assert not discovered.loc["E", "meets_min_population"]
    assert discovered.loc["D", "meets_min_population"] and discovered.loc["A;B;C", "meets_min_population"]
    assert discovered["connected"].all()
    # A;B;C residents: A 1,000 + B 1,000 + C 1,000 = 3,000; inside: all but C->D 5 = 2,995 -> 99.83%
    assert discovered.loc["A;B;C", "activity"] == 3000
    assert discovered.loc["A;B;C", "share_inside_pct"] == pytest.approx(100 * 2995 / 3000)
    assert discovered.loc["A;B;C", "joint_arrangements"] == "A and B: whole"


def test_regions_and_joint_arrangements_are_listed_for_comparison(found):
    regions = found[found["kind"] == "region"].set_index("footprint")
    # R2 = D + E: 2,400 residents' units, 2,400 inside -> 100%; R1 = A + B + C: 2,995 of 3,000
    assert regions.loc["R2", "share_inside_pct"] == pytest.approx(100.0)
    assert regions.loc["R1", "share_inside_pct"] == pytest.approx(100 * 2995 / 3000)
    joint = found[found["kind"] == "joint arrangement"].iloc[0]
    # A and B alone: 2,000 units, all inside
    assert (joint["icb_codes"], joint["share_inside_pct"]) == ("A;B", pytest.approx(100.0))
    discovered = found[found["kind"] == "discovered"].set_index("icb_codes")
    assert discovered.loc["A;B;C", "main_region"] == "R1"
    assert discovered.loc["A;B;C", "main_region_share_inside_pct"] == pytest.approx(100 * 2995 / 3000)


def test_an_icb_with_no_population_counts_as_none_and_is_named():
    # C has no population: A;B;C counts 1.2 million (A + B) and names C
    found = cg.discover_footprints(_network(dict(PEOPLE, C=None), FLOWS, REGIONS), seed=3)
    row = found[(found["kind"] == "discovered") & found["icb_codes"].str.contains("C")].iloc[0]
    assert row["icbs_without_population"] == "C" and row["population"] == 1_200_000


def test_the_same_seed_gives_the_same_footprints(national):
    first = cg.discover_footprints(national, seed=11)
    again = cg.discover_footprints(national, seed=11)
    pd.testing.assert_frame_equal(first, again)


@pytest.fixture(scope="module")
def national() -> cg.FlowNetwork:
    icbs = cg.reference_table("icbs", DAY)
    system = cg.synthetic_system(icbs, seed=5, pcns=0, practices=0, pathways=0)
    return cg.flow_network(system.graph(), system.flows, "icb", DAY)


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("min_population", [1_000_000, 3_000_000])
def test_every_constraint_holds_on_a_national_network(national, seed, min_population):
    found = cg.discover_footprints(national, seed=seed, min_population=min_population)
    discovered = found[found["kind"] == "discovered"]
    groups = [set(codes.split(";")) for codes in discovered["icb_codes"]]
    icbs = set(national.areas.loc[national.areas["category"] == "residents", "area_code"])
    # every ICB in exactly one footprint: none split, none left out
    assert sorted(c for g in groups for c in g) == sorted(icbs)
    # connected in flow terms: links are flows of at least 1% of the sending ICB's residents' activity
    flows = national.flows[(national.flows["from_category"] == "residents") & national.flows["to_area"].isin(icbs)]
    residents = national.flows[national.flows["from_category"] == "residents"].groupby("from_area")["activity"].sum()
    links = nx.Graph()
    links.add_nodes_from(icbs)
    links.add_edges_from((r.from_area, r.to_area) for r in flows.itertuples()
                         if r.from_area != r.to_area and r.activity >= 0.01 * residents[r.from_area])
    assert all(nx.is_connected(links.subgraph(g)) for g in groups)
    # population: each footprint reaches the minimum (the synthetic ICBs all link to their neighbours)
    people = national.areas.set_index("area_code")["population"].fillna(0)
    assert all(sum(people[c] for c in g) >= min_population for g in groups)
    assert discovered["meets_min_population"].all() and discovered["connected"].all()
