"""CareGraph enforces the schema and filters by date."""

import pytest

from caregraph import CareGraph, SchemaError


@pytest.fixture
def icbs() -> CareGraph:
    g = CareGraph("icbs")
    g.add_node("Y56", "NHSERegion", name="London")
    g.add_node("QRV", "ICB", name="North West London", valid_from="2022-07-01", valid_to="2026-03-31")
    g.add_node("Z9B2Z", "ICB", name="West and North London", valid_from="2026-04-01")
    g.add_node("W2U3Z", "SubICBLocation", name="North West London ICB - W2U3Z")
    g.add_edge("QRV", "Y56", "PART_OF")
    g.add_edge("Z9B2Z", "Y56", "PART_OF")
    g.add_edge("W2U3Z", "QRV", "PART_OF", valid_from="2022-07-01", valid_to="2026-03-31")
    g.add_edge("W2U3Z", "Z9B2Z", "PART_OF", valid_from="2026-04-01")
    g.add_edge("QRV", "Z9B2Z", "SUCCEEDED_BY", valid_from="2026-04-01")
    return g


def test_label_views(icbs):
    assert icbs.nodes_of("ICB") == ["QRV", "Z9B2Z"]
    assert icbs.nodes_of("Commissioner") == ["Y56", "QRV", "Z9B2Z", "W2U3Z"]
    assert icbs.nodes_of("Provider") == []
    assert icbs.edges_of("SUCCEEDED_BY") == [("QRV", "Z9B2Z")]
    with pytest.raises(SchemaError, match="unknown label 'Commisioner'"):
        icbs.nodes_of("Commisioner")


def test_as_at_keeps_what_is_in_force(icbs):
    before, after = icbs.as_at("2026-03-31"), icbs.as_at("2026-04-01")
    assert before.nodes_of("ICB") == ["QRV"]
    assert after.nodes_of("ICB") == ["Z9B2Z"]
    assert before.successors("W2U3Z", "PART_OF") == ["QRV"]
    assert after.successors("W2U3Z", "PART_OF") == ["Z9B2Z"]
    # the merger edge needs both ends in force, so it is in neither snapshot
    assert before.edges_of("SUCCEEDED_BY") == after.edges_of("SUCCEEDED_BY") == []
    assert icbs.number_of_nodes() == 4


def test_as_at_rejects_a_bad_date(icbs):
    with pytest.raises(SchemaError, match="'1/4/2026' is not a date"):
        icbs.as_at("1/4/2026")


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda g: g.add_node("QRV", "ICB"), "duplicate id"),
        (lambda g: g.add_node("X", "Hospital"), "unknown kind 'Hospital'"),
        (lambda g: g.add_node("X", "ICB", colour="red"), "not a property of ICB"),
        (lambda g: g.add_node("X", "ICB", population=-1), "below the minimum 0"),
        (lambda g: g.add_node("X", "ICB", valid_from="2026-04-01", valid_to="2026-03-31"),
         "valid_to 2026-03-31 is before valid_from 2026-04-01"),
        (lambda g: g.add_edge("QRV", "nowhere", "PART_OF"), "unknown node 'nowhere'"),
        (lambda g: g.add_edge("QRV", "Y56", "PART_OF"), "duplicate relationship"),
        (lambda g: g.add_edge("QRV", "Y56", "HELD_BY"), "'QRV' is a ICB, expected Budget"),
        (lambda g: g.add_edge("QRV", "Y56", "LINKS"), "unknown type 'LINKS'"),
    ],
)
def test_schema_violations_raise(icbs, call, message):
    with pytest.raises(SchemaError, match=message):
        call(icbs)


def test_transition_needs_exactly_one_of_volume_or_probability():
    g = CareGraph()
    g.add_node("p/a", "Step", pathway="p", setting="acute")
    g.add_node("p/b", "Step", pathway="p", setting="acute")
    with pytest.raises(SchemaError, match="give exactly one of patients_per_year or probability"):
        g.add_edge("p/a", "p/b", "NEXT")
    with pytest.raises(SchemaError, match="give exactly one"):
        g.add_edge("p/a", "p/b", "NEXT", probability=0.5, patients_per_year=10)
    g.add_edge("p/a", "p/b", "NEXT", patients_per_year="120")
    assert g.edges_of("NEXT", data=True)[0][2]["patients_per_year"] == 120.0


def test_view_is_read_only(icbs):
    import networkx as nx

    with pytest.raises(nx.NetworkXError):
        icbs.nx.add_node("oops")


def test_summary_counts(icbs):
    rows = {(r.element, r.name): r.count for r in icbs.summary().itertuples()}
    assert rows == {("node", "ICB"): 2, ("node", "NHSERegion"): 1, ("node", "SubICBLocation"): 1,
                    ("relationship", "PART_OF"): 4, ("relationship", "SUCCEEDED_BY"): 1}
