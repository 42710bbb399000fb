"""The synthetic national care system: England's shape, real ICB codes, seeded."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import caregraph as cg

ICBS_2026 = cg.reference_table("icbs", "2026-05-01")
ICBS_2022 = cg.reference_table("icbs", "2025-01-01")


@pytest.fixture(scope="module")
def system() -> cg.SyntheticSystem:
    return cg.synthetic_system(ICBS_2022, seed=3, pathways=300)


def test_england_shaped_counts(system):
    kinds = system.nodes["kind"].value_counts()
    assert (kinds["NHSEngland"], kinds["NHSERegion"], kinds["ICB"]) == (1, 7, 42)
    assert (kinds["NHSTrust"], kinds["PCN"], kinds["GPPractice"]) == (200, 1_250, 6_300)
    assert 200 <= kinds["Site"] <= 1_000  # 1 to 5 sites per trust
    assert 100 <= kinds["SubICBLocation"] <= 115  # about 106, at least one per ICB
    services = system.nodes[system.nodes["kind"] == "Service"]
    assert services["specialised"].sum() == 150 and services["highly_specialised"].fillna(False).sum() == 15
    types = system.edges["type"].value_counts()
    assert types["DEPENDS_ON"] == 600 and kinds["Pathway"] == 300
    assert set(system.nodes.loc[system.nodes["kind"] == "ICB", "id"]) == set(ICBS_2022["icb_code"])  # real codes


def test_the_graph_is_valid_and_every_specialised_step_is_at_a_site_that_provides_it(system):
    g = system.graph()
    provides = set(g.edges_of("PROVIDES"))
    for step, service in g.edges_of("OF_SERVICE"):
        if g.node(service).get("specialised"):
            (site,) = g.successors(step, "AT_SITE")
            assert (site, service) in provides


def test_the_same_seed_gives_the_same_tables_and_another_seed_does_not(system):
    again = cg.synthetic_system(ICBS_2022, seed=3, pathways=300)
    pd.testing.assert_frame_equal(system.edges, again.edges)
    pd.testing.assert_frame_equal(system.flows, again.flows)
    other = cg.synthetic_system(ICBS_2022, seed=4, pathways=300)
    assert not system.edges.equals(other.edges)


def test_the_flows_are_a_valid_flow_table_mostly_inside_each_icb():
    system = cg.synthetic_system(ICBS_2026, seed=2, pcns=0, practices=0, pathways=0)
    network = cg.flow_network(system.graph(), system.flows, "icb", "2026-05-01")
    table = network.containment()
    icbs = table[table["area_kind"] == "ICB"]
    assert len(icbs) == 36
    # about 80% of each ICB's residents' activity goes to its own trusts (the generator's share)
    assert icbs["share_inside_pct"].between(75, 85).all()
    assert {"HUB-Y56", "NONC"} <= set(table["area_code"])  # hub and non-contracted rows are kept


def test_event_logs_of_any_size_are_seeded_and_in_time_order():
    log = cg.synthetic_event_log(20_000, seed=9)
    assert len(log) == 20_000 and log["timestamp"].is_monotonic_increasing
    pd.testing.assert_frame_equal(log, cg.synthetic_event_log(20_000, seed=9))
    per_case = log.groupby("case_id").size()
    assert 7 < per_case.mean() < 11  # geometric, mean 9
    codes = cg.synthetic_event_codes(20_000, seed=9)
    assert np.array_equal(codes["resource"].to_numpy(), log["resource"].str[1:].astype(int).to_numpy())
