"""The five delegation checks, each on hand-built models where it must fire and where it must not.

Every expected finding below is worked out by hand from the small model
built in ``_model``; none is computed by the code under test.
"""

from __future__ import annotations

import pandas as pd
import pytest

from caregraph import CareGraph, ValidationError
from networks.delegation.checks import (
    FINDING_COLUMNS,
    DelegationChecker,
    check_delegation,
    findings_at_or_above,
)
from networks.delegation.tables import delegation_frames


def _model(*links: tuple[str, str, str], hss: tuple[str, ...] = ()) -> CareGraph:
    """NHS England X24, region Y56 with ICBs QWE and QKK; trust T1 (QWE) with sites T1A, T1B; T2 (QKK)."""
    g = CareGraph()
    g.add_node("X24", "NHSEngland")
    g.add_node("Y56", "NHSERegion")
    g.add_edge("Y56", "X24", "PART_OF")
    for icb in ("QWE", "QKK"):
        g.add_node(icb, "ICB")
        g.add_edge(icb, "Y56", "PART_OF")
    for trust, icb in (("T1", "QWE"), ("T2", "QKK")):
        g.add_node(trust, "NHSTrust")
        g.add_edge(trust, icb, "LOCATED_IN")
    for site in ("T1A", "T1B"):
        g.add_node(site, "Site")
        g.add_edge(site, "T1", "PART_OF")
    for service in ("a", "b", "c"):
        g.add_node(service, "Service", specialised=True, highly_specialised=service in hss)
    for source, target, level in links:
        g.add_edge(source, target, "DEPENDS_ON", level=level, evidence="https://example.org/" + level)
    return g


def _plan(*rows: tuple[str, str, str, str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["service_id", "commissioner_id", "status", "tier"])


def _rows(found: pd.DataFrame, check: str) -> list[tuple[str, str, str, str]]:
    hit = found[found["check"] == check]
    return list(zip(hit["severity"], hit["services"], hit["commissioners"], hit["areas"], strict=True))


# 1. co-located / in-reach split --------------------------------------------------------------

def test_colocated_dependency_retained_while_dependant_delegated_is_an_error():
    g = _model(("a", "b", "co-located"))
    found = check_delegation(g, _plan(("a", "QWE", "delegated", "ics"), ("b", "X24", "retained", "national")))
    assert _rows(found, "codependency_split") == [("error", "a;b", "QWE;X24", "QWE")]
    row = found[found["check"] == "codependency_split"].iloc[0]
    assert row["level"] == "co-located" and row["evidence"] == "https://example.org/co-located"
    assert "by different commissioners and at different tiers" in row["message"]


def test_same_commissioner_at_different_tiers_is_a_split():
    g = _model(("a", "b", "co-located"))
    found = check_delegation(g, _plan(("a", "QWE", "delegated", "ics"), ("b", "QWE", "delegated", "multi-ics")))
    assert _rows(found, "codependency_split") == [("error", "a;b", "QWE", "QWE")]
    assert "at different tiers" in found.iloc[0]["message"]
    assert "different commissioners" not in found.iloc[0]["message"]


def test_in_reach_split_is_a_warning():
    g = _model(("a", "b", "in-reach"))
    found = check_delegation(g, _plan(("a", "QWE", "delegated", "ics"), ("b", "QWE", "delegated", "region")))
    assert _rows(found, "codependency_split") == [("warning", "a;b", "QWE", "QWE")]


def test_icbs_planning_alike_give_one_finding_listing_both():
    g = _model(("a", "b", "co-located"))
    plan = _plan(("a", "QWE", "delegated", "multi-ics"), ("a", "QKK", "delegated", "multi-ics"),
                 ("b", "X24", "retained", "national"))
    assert _rows(check_delegation(g, plan), "codependency_split") == [("error", "a;b", "QKK;QWE;X24", "QKK;QWE")]


@pytest.mark.parametrize("level", ["networked", "none"])
def test_split_of_a_networked_or_none_link_is_not_reported(level):
    g = _model(("a", "b", level))
    found = check_delegation(g, _plan(("a", "QWE", "delegated", "ics"), ("b", "QKK", "delegated", "ics")))
    assert _rows(found, "codependency_split") == []


def test_services_planned_together_are_not_split():
    g = _model(("a", "b", "co-located"), ("b", "c", "in-reach"))
    plan = _plan(*[(s, icb, "delegated", "multi-ics") for s in "abc" for icb in ("QWE", "QKK")])
    assert check_delegation(g, plan).empty


def test_a_region_row_covers_the_regions_icbs():
    # Y56 retains b for both of its ICBs; QKK delegates a: only QKK is split.
    g = _model(("a", "b", "co-located"))
    found = check_delegation(g, _plan(("a", "QKK", "delegated", "ics"), ("b", "Y56", "retained", "region")))
    assert _rows(found, "codependency_split") == [("error", "a;b", "QKK;Y56", "QKK")]


# 2. delegated depending on a nationally retained service -------------------------------------

def test_delegated_service_depending_on_retained_one_is_a_warning_with_the_level():
    g = _model(("a", "b", "networked"))
    found = check_delegation(g, _plan(("a", "QWE", "delegated", "ics"), ("b", "X24", "retained", "national")))
    assert _rows(found, "depends_on_retained") == [("warning", "a;b", "QWE;X24", "QWE")]
    assert found.iloc[0]["level"] == "networked"
    assert "(networked), which NHS England retains" in found.iloc[0]["message"]


@pytest.mark.parametrize("plan", [
    # the retained service depends on the delegated one, not the other way round
    _plan(("b", "QWE", "delegated", "ics"), ("a", "X24", "retained", "national")),
    # "retained" by an ICB is not retained by NHS England
    _plan(("a", "QWE", "delegated", "ics"), ("b", "QWE", "retained", "ics")),
    # joint is not delegated
    _plan(("a", "QWE", "joint", "ics"), ("b", "X24", "retained", "national")),
])
def test_depends_on_retained_does_not_fire(plan):
    g = _model(("a", "b", "networked"))
    assert _rows(check_delegation(g, plan), "depends_on_retained") == []


def test_level_none_is_not_a_dependency():
    g = _model(("a", "b", "none"))
    found = check_delegation(g, _plan(("a", "QWE", "delegated", "multi-ics"), ("b", "X24", "retained", "national")))
    assert found.empty


# 3. site-level co-location ---------------------------------------------------------------------

def test_colocated_dependency_at_another_site_is_an_error():
    g = _model(("a", "b", "co-located"))
    g.add_edge("T1A", "a", "PROVIDES")
    g.add_edge("T1B", "b", "PROVIDES")
    found = check_delegation(g)
    assert list(zip(found["check"], found["severity"], found["services"], found["sites"], found["areas"],
                    strict=True)) == [("site_colocation", "error", "a;b", "T1A", "QWE")]
    assert found.iloc[0]["message"] == (
        "T1 offers a at site T1A, but b, a co-located dependency of a, is not provided at T1A")


@pytest.mark.parametrize("where_b", ["T1A", "T1"])
def test_dependency_at_the_same_site_or_without_a_site_is_accepted(where_b):
    g = _model(("a", "b", "co-located"))
    g.add_edge("T1A", "a", "PROVIDES")
    g.add_edge(where_b, "b", "PROVIDES")
    assert check_delegation(g).empty


def test_site_check_ignores_in_reach_and_trust_level_provision():
    g = _model(("a", "b", "in-reach"), ("c", "b", "co-located"))
    g.add_edge("T1A", "a", "PROVIDES")  # in-reach: b may visit
    g.add_edge("T1", "c", "PROVIDES")  # no site named: nothing to check
    assert check_delegation(g).empty


# 4. tier fit -----------------------------------------------------------------------------------

def test_ics_tier_without_a_provider_in_the_icb_is_a_warning():
    g = _model()
    g.add_edge("T1A", "a", "PROVIDES")  # the only provider is in QWE
    found = check_delegation(g, _plan(("a", "QKK", "delegated", "ics")))
    assert _rows(found, "tier_fit") == [("warning", "a", "QKK", "QKK")]
    assert found.iloc[0]["evidence"] == "providers=0"


def test_too_few_providers_is_info_and_depends_on_min_providers():
    g = _model()
    g.add_edge("T1A", "a", "PROVIDES")
    g.add_edge("T1B", "a", "PROVIDES")  # two sites, one provider
    plan = _plan(("a", "QWE", "delegated", "ics"))
    assert _rows(check_delegation(g, plan), "tier_fit") == [("info", "a", "QWE", "QWE")]
    assert _rows(check_delegation(g, plan, min_providers=1), "tier_fit") == []


def test_tier_fit_only_checks_ics_tier():
    g = _model()
    plan = _plan(("a", "QKK", "delegated", "multi-ics"), ("b", "X24", "retained", "national"))
    assert check_delegation(g, plan).empty


def _flows(inside: float, outside: float) -> pd.DataFrame:
    return pd.DataFrame({"service_id": ["a", "a"], "commissioner_id": ["QWE", "QWE"],
                         "provider_id": ["T1", "R-ELSEWHERE"], "activity": [inside, outside]})


def test_low_containment_is_a_warning_when_flows_are_given():
    g = _model()
    g.add_edge("T1", "a", "PROVIDES")
    plan = _plan(("a", "QWE", "delegated", "ics"))
    found = check_delegation(g, plan, flows=_flows(30, 70), min_providers=1)
    assert _rows(found, "tier_fit") == [("warning", "a", "QWE", "QWE")]
    assert found.iloc[0]["evidence"] == "containment=0.30 (30 of 100)"
    assert "only 30% of its residents' activity" in found.iloc[0]["message"]
    assert check_delegation(g, plan, flows=_flows(60, 40), min_providers=1).empty
    assert check_delegation(g, plan, flows=_flows(30, 70), min_providers=1, containment_threshold=0.25).empty


def test_flows_are_checked():
    g = _model()
    bad = pd.DataFrame({"service_id": ["zz", "a"], "commissioner_id": ["QWE", "X24"],
                        "provider_id": ["T1", ""], "activity": ["1", "-3"]})
    with pytest.raises(ValidationError) as caught:
        check_delegation(g, flows=bad)
    assert [str(p) for p in caught.value.problems] == [
        "flows, row 2, field 'service_id': unknown service 'zz'",
        "flows, row 3, field 'commissioner_id': 'X24' is not an ICB or sub-ICB location of the model",
        "flows, row 3, field 'provider_id': required value is missing",
        "flows, row 3, field 'activity': -3.0 is below the minimum 0",
    ]


# 5. network alignment --------------------------------------------------------------------------

def _with_network(g: CareGraph, *members: str) -> CareGraph:
    g.add_node("odn", "ODN", name="Test ODN")
    for member in members:
        g.add_edge(member, "odn", "MEMBER_OF")
    g.add_edge("odn", "a", "NETWORK_FOR")
    return g


def test_network_spanning_icbs_but_planned_icb_by_icb_is_a_warning():
    g = _with_network(_model(), "T1A", "T2")
    plan = _plan(("a", "QWE", "delegated", "ics"), ("a", "QKK", "delegated", "ics"))
    found = check_delegation(g, plan, min_providers=1)
    assert _rows(found, "network_alignment") == [("warning", "a", "QKK;QWE", "QKK;QWE")]
    assert found.iloc[-1]["message"] == (
        "Test ODN spans QKK;QWE, but a is planned ICB by ICB (ics tier for QKK;QWE): "
        "plan it across the network's footprint (multi-ics or region)")


@pytest.mark.parametrize(("members", "tier"), [(("T1A", "T2"), "multi-ics"), (("T1", "T1B"), "ics")])
def test_network_alignment_does_not_fire(members, tier):
    g = _with_network(_model(), *members)
    plan = _plan(("a", "QWE", "delegated", tier), ("a", "QKK", "delegated", tier))
    assert _rows(check_delegation(g, plan), "network_alignment") == []


# plans from the graph, dates, thresholds, reuse ------------------------------------------------

def test_without_a_plan_the_graphs_commissioning_is_checked():
    g = _model(("a", "b", "co-located"))
    g.add_edge("X24", "b", "COMMISSIONS", status="retained", tier="national")
    g.add_edge("QWE", "a", "COMMISSIONS", status="delegated", tier="multi-ics")
    assert _rows(check_delegation(g), "codependency_split") == [("error", "a;b", "QWE;X24", "QWE")]


def test_as_at_ignores_plan_rows_not_yet_in_force():
    g = _model(("a", "b", "co-located"))
    plan = pd.DataFrame({"service_id": ["a", "b", "b"], "commissioner_id": ["QWE", "X24", "QWE"],
                         "status": ["delegated", "retained", "delegated"],
                         "tier": ["multi-ics", "national", "multi-ics"],
                         "valid_from": [None, None, "2027-04-01"]})
    assert check_delegation(g, plan, as_at="all").empty  # every date: the 2027 row replaces X24's for QWE
    assert check_delegation(g, plan, as_at="2027-04-01").empty
    assert _rows(check_delegation(g, plan, as_at="2026-01-01"), "codependency_split") == [
        ("error", "a;b", "QWE;X24", "QWE")]


def test_findings_are_sorted_by_severity_and_have_the_documented_columns():
    g = _model(("a", "b", "in-reach"), ("c", "b", "co-located"))
    g.add_edge("T1A", "c", "PROVIDES")
    found = check_delegation(g, _plan(("a", "QWE", "delegated", "multi-ics"), ("b", "QWE", "delegated", "region")))
    assert list(found.columns) == list(FINDING_COLUMNS)
    # c, provided at T1A in QWE, is left out of the plan: a finding of its own
    assert list(zip(found["severity"], found["check"], strict=True)) == [
        ("error", "site_colocation"), ("warning", "codependency_split"), ("warning", "plan_incomplete")]
    assert list(findings_at_or_above(found, "error")["check"]) == ["site_colocation"]
    assert len(findings_at_or_above(found, "warning")) == 3


# 6. a plan that leaves services out ------------------------------------------------------------

def test_a_dependency_missing_from_the_plan_is_a_finding():
    g = _model(("a", "b", "co-located"), ("a", "c", "in-reach"))
    found = check_delegation(g, _plan(("a", "QWE", "delegated", "ics"), ("a", "QKK", "delegated", "ics")))
    assert _rows(found, "plan_incomplete") == [("error", "a;b", "QKK;QWE", "QKK;QWE"),
                                               ("warning", "a;c", "QKK;QWE", "QKK;QWE")]
    assert "b is not in the plan for QKK;QWE, but a depends on it (co-located)" in found["message"].tolist()[0]


def test_a_service_provided_in_the_footprint_but_missing_from_the_plan_is_a_finding():
    g = _model()
    g.add_edge("T2", "c", "PROVIDES")
    found = check_delegation(g, _plan(("a", "QWE", "delegated", "ics"), ("a", "QKK", "delegated", "ics")))
    assert _rows(found, "plan_incomplete") == [("warning", "c", "", "QKK")]
    assert found.loc[found["check"] == "plan_incomplete", "message"].tolist() == [
        "c is not in the plan for QKK, but T2 offers it there: say who commissions it there"]
    # outside the plan's footprint nothing is asked: a plan for QWE alone says nothing of QKK's provision
    assert _rows(check_delegation(g, _plan(("a", "QWE", "delegated", "ics"))), "plan_incomplete") == []


def test_a_complete_plan_has_no_plan_finding():
    g = _model(("a", "b", "co-located"))
    g.add_edge("T1", "b", "PROVIDES")
    plan = _plan(("a", "QWE", "delegated", "ics"), ("b", "QWE", "delegated", "ics"), ("c", "X24", "retained",
                                                                                       "national"))
    assert _rows(check_delegation(g, plan), "plan_incomplete") == []


def test_one_checker_evaluates_many_plans_like_check_delegation():
    g = _model(("a", "b", "co-located"))
    checker = DelegationChecker(delegation_frames(g))
    for tier in ("ics", "region"):
        plan = _plan(("a", "QWE", "delegated", "ics"), ("b", "QWE", "delegated", tier))
        pd.testing.assert_frame_equal(checker.check(plan), check_delegation(g, plan))


def test_bad_thresholds_are_reported_together():
    with pytest.raises(ValidationError) as caught:
        DelegationChecker(_model(), min_providers=0, containment_threshold=1.5)
    assert [p.file for p in caught.value.problems] == ["containment_threshold", "min_providers"]
    with pytest.raises(ValidationError):
        findings_at_or_above(pd.DataFrame({"severity": []}), "fatal")


def test_a_practice_counts_for_the_icb_its_pcn_and_sub_icb_sit_in():
    g = _model()
    g.add_node("36L", "SubICBLocation")
    g.add_edge("36L", "QWE", "PART_OF")
    g.add_node("U1", "PCN")
    g.add_edge("U1", "36L", "PART_OF")
    g.add_node("H1", "GPPractice")
    g.add_edge("H1", "U1", "PART_OF")
    g.add_edge("H1", "a", "PROVIDES")
    found = check_delegation(g, _plan(("a", "QWE", "delegated", "ics"), ("a", "QKK", "delegated", "ics")))
    assert _rows(found, "tier_fit") == [("warning", "a", "QKK", "QKK"), ("info", "a", "QWE", "QWE")]
