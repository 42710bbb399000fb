"""Flow networks on hand-built models: containment, cross-boundary flows, both geographies, money shift.

Every expected number is worked out by hand in the test's comments.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

import caregraph as cg
from caregraph import CareGraph

DAY = "2026-05-01"


def _model() -> CareGraph:
    """Two regions; ICBs A and B in R1, C in R2; sub-ICBs a1, a2 (A), b1 (B), c1 (C).

    Trusts TA (A, with site TA1), TB (B), TC (C); a Welsh trust TW in no ICB; hub H in R1.
    """
    g = CareGraph()
    g.add_node("R1", "NHSERegion", name="Region one")
    g.add_node("R2", "NHSERegion", name="Region two")
    for icb, region, people in (("A", "R1", 1_000_000), ("B", "R1", 500_000), ("C", "R2", 800_000)):
        g.add_node(icb, "ICB", name=f"NHS {icb} Integrated Care Board", population=people)
        g.add_edge(icb, region, "PART_OF")
        g.add_node(f"T{icb}", "NHSTrust", name=f"Trust {icb}")
        g.add_edge(f"T{icb}", icb, "LOCATED_IN")
    for sub, icb, people in (("a1", "A", 600_000), ("a2", "A", 400_000), ("b1", "B", 500_000),
                             ("c1", "C", 800_000)):
        g.add_node(sub, "SubICBLocation", name=f"Sub-ICB {sub}", population=people)
        g.add_edge(sub, icb, "PART_OF")
    g.add_node("TA1", "Site", name="Site of TA")
    g.add_edge("TA1", "TA", "PART_OF")
    g.add_node("TW", "NHSTrust", name="Welsh trust")
    g.add_node("H", "CommissioningHub", name="Region one hub")
    g.add_edge("H", "R1", "PART_OF")
    return g


# a1: TA 300, TB 100; a2: TA1 (a site of TA) 150, TC 50; b1: TB 200, TA 50; c1: TC 400, TW 100;
# hub H: TA 70; NONC: TB 30.
FLOWS = pd.DataFrame(
    [("a1", "TA", 300), ("a1", "TB", 100), ("a2", "TA1", 150), ("a2", "TC", 50), ("b1", "TB", 200),
     ("b1", "TA", 50), ("c1", "TC", 400), ("c1", "TW", 100), ("H", "TA", 70), ("NONC", "TB", 30)],
    columns=["commissioner_id", "provider_id", "activity"])


@pytest.fixture(scope="module")
def network() -> cg.FlowNetwork:
    return cg.flow_network(_model(), FLOWS, "icb", DAY)


def test_containment_by_icb_checked_by_hand(network):
    table = network.containment().set_index("area_code")
    # A's residents: a1 400 + a2 200 = 600; inside A: TA 300 + TA1 150 = 450 -> 75%.
    assert table.loc["A", "activity"] == 600 and table.loc["A", "activity_inside"] == 450
    assert table.loc["A", "share_inside_pct"] == pytest.approx(75.0)
    # B: 250, inside (TB) 200 -> 80%.  C: 500, inside (TC) 400 -> 80%; TW (no ICB) is outside.
    assert table.loc["B", "share_inside_pct"] == pytest.approx(80.0)
    assert table.loc["C", "share_inside_pct"] == pytest.approx(80.0)
    # Where A's other 150 go: TB (B) 100 = 16.7% of 600, TC (C) 50 = 8.3%.
    assert table.loc["A", "top_destinations"] == "B B 16.7%; C C 8.3%"  # code, short name, share
    # the hub and NONC stay as their own rows, with no containment
    assert table.loc["H", "activity"] == 70 and math.isnan(table.loc["H", "share_inside_pct"])
    assert table.loc["H", "area_kind"] == "NHS England commissioning hub"
    assert table.loc["NONC", "activity"] == 30
    # total: all 1,450 units; inside 450 + 200 + 400 = 1,050 of the 1,350 whose home is known = 77.78%
    assert table.loc["ALL", "activity"] == 1450
    assert table.loc["ALL", "share_inside_pct"] == pytest.approx(100 * 1050 / 1350)
    assert network.containment().attrs["as_at"] == DAY


def test_cross_boundary_flows_ranked_by_hand(network):
    crossing = network.cross_boundary()
    # outside flows: C->(no ICB) 100, A->B 100, A->C 50, B->A 50; ties by from, to
    assert crossing[["from_area", "to_area", "activity"]].values.tolist() == [
        ["A", "B", 100.0], ["C", "(no ICB)", 100.0], ["A", "C", 50.0], ["B", "A", 50.0]]
    # A->B: 100 of A's 600 = 16.7%; B treats 100 + 200 + 30 (NONC) = 330, so 30.3% of it
    first = crossing.iloc[0]
    assert first["share_of_residents_pct"] == pytest.approx(100 * 100 / 600)
    assert first["share_of_destination_pct"] == pytest.approx(100 * 100 / 330)
    assert crossing.attrs["unplaced_activity"] == 100  # hub 70 + NONC 30
    assert network.cross_boundary(top=1)["rank"].tolist() == [1]


def test_the_flow_graph_carries_the_activity(network):
    assert network.graph["A"]["B"]["activity"] == 100
    assert network.graph["A"]["A"]["activity"] == 450
    assert network.graph.nodes["H"]["kind"] == "NHS England commissioning hub"


def test_sub_icb_and_region_levels_by_hand():
    g = _model()
    subs = cg.flow_network(g, FLOWS, "sub_icb", DAY).containment().set_index("area_code")
    # a1: 400, inside A 300 -> 75%; a2: 200, inside A (TA1) 150 -> 75%; footprint is the ICB
    assert subs.loc["a1", "share_inside_pct"] == pytest.approx(75.0)
    assert subs.loc["a2", "activity"] == 200 and subs.loc["a2", "footprint"] == "A"
    regions = cg.flow_network(g, FLOWS, "region", DAY).containment().set_index("area_code")
    # R1 residents (A + B) = 850; inside R1 (TA, TB): 450 + 100 + 250 = 800 -> 94.1%
    assert regions.loc["R1", "share_inside_pct"] == pytest.approx(100 * 800 / 850)
    assert regions.loc["R1", "population"] == 1_500_000  # A + B
    providers = cg.flow_network(g, FLOWS, "provider", DAY)
    assert providers.graph["A"]["TA1"]["activity"] == 150  # the site itself is the destination


def test_a_flow_table_with_costs_sums_money_along_the_edges():
    flows = FLOWS.assign(unit_cost_gbp=10.0)
    network = cg.flow_network(_model(), flows, "icb", DAY)
    assert network.graph["A"]["B"]["cost_gbp"] == 1000.0  # 100 units at GBP 10


def _merger_model() -> CareGraph:
    """P (sub-ICBs p1, p2) and Q (q1) until 2026-03-31; then p1 -> X, p2 and q1 -> Y: P split, Q merged.

    Trust TP is in P, then X; TQ is in Q, then Y.
    """
    g = CareGraph()
    g.add_node("R", "NHSERegion")
    for icb, start, end in (("P", None, "2026-03-31"), ("Q", None, "2026-03-31"), ("X", "2026-04-01", None),
                            ("Y", "2026-04-01", None)):
        g.add_node(icb, "ICB", name=f"ICB {icb}", valid_from=start, valid_to=end)
        g.add_edge(icb, "R", "PART_OF")
    g.add_edge("P", "X", "SUCCEEDED_BY", valid_from="2026-04-01")
    g.add_edge("P", "Y", "SUCCEEDED_BY", valid_from="2026-04-01")
    g.add_edge("Q", "Y", "SUCCEEDED_BY", valid_from="2026-04-01")
    for sub, before, after in (("p1", "P", "X"), ("p2", "P", "Y"), ("q1", "Q", "Y")):
        g.add_node(sub, "SubICBLocation")
        g.add_edge(sub, before, "PART_OF", valid_to="2026-03-31")
        g.add_edge(sub, after, "PART_OF", valid_from="2026-04-01")
    for trust, before, after in (("TP", "P", "X"), ("TQ", "Q", "Y")):
        g.add_node(trust, "NHSTrust")
        g.add_edge(trust, before, "LOCATED_IN", valid_to="2026-03-31")
        g.add_edge(trust, after, "LOCATED_IN", valid_from="2026-04-01")
    return g


MERGER_FLOWS = pd.DataFrame([("p1", "TP", 50), ("p1", "TQ", 10), ("p2", "TP", 20), ("p2", "TQ", 20),
                             ("q1", "TQ", 100)], columns=["commissioner_id", "provider_id", "activity"])


def test_the_same_rows_on_both_geographies_by_hand():
    both = cg.compare_geographies(_merger_model(), MERGER_FLOWS, after="2026-05-01")
    rows = {(r["icb_before"], r["icb_after"]): r for r in both.to_dict("records")}
    assert set(rows) == {("P", "X"), ("P", "Y"), ("Q", "Y")}
    # before: P's residents 100, 70 at TP (in P) -> 70%; Q: 100 at TQ -> 100%
    assert rows[("P", "X")]["icb_before_contained_pct"] == pytest.approx(70.0)
    assert rows[("Q", "Y")]["icb_before_contained_pct"] == pytest.approx(100.0)
    # after: X = p1 (60), 50 at TP (now in X) -> 83.3%; Y = p2 + q1 (140), 20 + 100 at TQ -> 85.7%
    assert rows[("P", "X")]["icb_after_contained_pct"] == pytest.approx(100 * 50 / 60)
    assert rows[("P", "Y")]["icb_after_contained_pct"] == pytest.approx(100 * 120 / 140)
    # P splits: 60 of its 100 go to X, 40 to Y; p2's 40 were 50% inside P and are 50% inside Y
    assert rows[("P", "X")]["share_of_before_residents_pct"] == pytest.approx(60.0)
    assert rows[("P", "Y")]["activity"] == 40
    assert rows[("P", "Y")]["contained_before_pct"] == pytest.approx(50.0)
    assert rows[("P", "Y")]["contained_after_pct"] == pytest.approx(50.0)
    assert rows[("P", "X")]["change"] == "split between X;Y"
    assert rows[("Q", "Y")]["change"] == "merged into Y"
    assert (both.attrs["before"], both.attrs["after"]) == ("2026-03-31", "2026-05-01")


def test_money_shift_hosted_against_population_by_hand():
    """Unit costs: s1 GBP 100, s2 GBP 10.

    Rows and their cost: A->TA s1 80 = 8,000; A->TB s2 20 = 200; B->TB s1 50 = 5,000; hub H->TA s1 10 = 1,000;
    NONC->TW s2 5 = 50.  Hosted: A (TA) 9,000; B (TB) 5,200; no ICB (TW) 50.  Population: A 8,200; B 5,000;
    hub and NONC 1,050.  Shifts: A -800, B -200, hubs/NONC +1,050, no ICB -50: they sum to 0 over 14,250.
    """
    flows = pd.DataFrame([("A", "TA", 80, "s1"), ("A", "TB", 20, "s2"), ("B", "TB", 50, "s1"),
                          ("H", "TA", 10, "s1"), ("NONC", "TW", 5, "s2")],
                         columns=["commissioner_id", "provider_id", "activity", "service"])
    costs = pd.DataFrame({"service": ["s1", "s2"], "unit_cost_gbp": ["100", "10"]})
    shift = cg.money_shift(_model(), flows, DAY, unit_costs=costs).set_index("icb_code")
    assert shift.loc["A", ["money_hosted_gbp", "money_population_gbp", "net_shift_gbp"]].tolist() == [
        9000.0, 8200.0, -800.0]
    assert shift.loc["B", "net_shift_gbp"] == -200.0
    assert shift.loc["NHS England / NONC", "money_population_gbp"] == 1050.0
    assert shift.loc["(no ICB)", "money_hosted_gbp"] == 50.0
    assert shift.loc["C", "money_hosted_gbp"] == 0.0  # every ICB in force is listed
    assert shift.loc["ALL", ["money_hosted_gbp", "money_population_gbp", "net_shift_gbp"]].tolist() == [
        14250.0, 14250.0, 0.0]
    assert shift.loc["A", "net_shift_pct"] == pytest.approx(-800 / 9000 * 100)
    assert set(shift["cost_basis"]) == {"unit cost per service"}


def test_money_shift_without_costs_says_the_cost_is_illustrative():
    shift = cg.money_shift(_model(), FLOWS, DAY)
    assert shift["cost_basis"].str.startswith("ILLUSTRATIVE").all()
    # A hosts TA (300 + 150 + 50 + 70 hub) = 570 units at the illustrative GBP 1,000
    assert shift.set_index("icb_code").loc["A", "money_hosted_gbp"] == 570 * cg.ILLUSTRATIVE_UNIT_COST_GBP


def test_money_shift_needs_a_cost_for_every_service():
    flows = FLOWS.assign(service="s1")
    with pytest.raises(cg.ValidationError, match="no unit cost for service 's1'"):
        cg.money_shift(_model(), flows, DAY, unit_costs=pd.DataFrame({"service": ["s9"], "unit_cost_gbp": [1]}))


def test_a_provider_closed_before_the_date_keeps_the_icb_it_was_in():
    g = _model()
    g.add_node("TX", "NHSTrust", valid_to="2026-01-31")
    g.add_edge("TX", "A", "LOCATED_IN", valid_to="2026-01-31")
    flows = pd.DataFrame({"commissioner_id": ["a1"], "provider_id": ["TX"], "activity": [5]})
    table = cg.flow_network(g, flows, "icb", DAY).containment().set_index("area_code")
    assert table.loc["A", "activity_inside"] == 5


def test_as_at_all_has_no_geography():
    with pytest.raises(cg.ArgumentError, match="no single geography"):
        cg.flow_network(_model(), FLOWS, "icb", "all")
