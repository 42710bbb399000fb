"""Delegation bundles: services joined by co-located or in-reach links, providers, spend and splits.

Expected bundles, counts and sums are worked out by hand from the graphs below.
"""

from __future__ import annotations

import hashlib
import math
from pathlib import Path

import pandas as pd
import pytest

from caregraph import (
    CODEPENDENCY_LEVELS,
    CareGraph,
    ValidationError,
    codependency_level_definitions,
    read_spend,
    reference_codependencies,
)
from caregraph.cli import main
from loaders.reference.data_files import reference_file as reference_data_file
from networks.delegation.bundles import BUNDLE_COLUMNS, bundle_membership, delegation_bundles

EXAMPLE = Path(__file__).parents[2] / "examples" / "delegation-south-london"


@pytest.fixture
def graph() -> CareGraph:
    """Services a-b co-located, b-c in-reach, d-e co-located, e-f networked, g alone; ICBs QWE and QKK.

    Providers: T1 offers a (site T1A) and b; T2 offers c and d; T3 offers g.
    """
    g = CareGraph()
    g.add_node("X24", "NHSEngland")
    for icb in ("QWE", "QKK"):
        g.add_node(icb, "ICB")
    for service in "abcdefg":
        g.add_node(service, "Service", specialised=True)
    for source, target, level in (("a", "b", "co-located"), ("c", "b", "in-reach"), ("d", "e", "co-located"),
                                  ("e", "f", "networked")):
        g.add_edge(source, target, "DEPENDS_ON", level=level)
    for trust in ("T1", "T2", "T3"):
        g.add_node(trust, "NHSTrust")
    g.add_node("T1A", "Site")
    g.add_edge("T1A", "T1", "PART_OF")
    for provider, service in (("T1A", "a"), ("T1", "b"), ("T2", "c"), ("T2", "d"), ("T3", "g")):
        g.add_edge(provider, service, "PROVIDES")
    return g


def test_bundles_are_components_of_colocated_and_in_reach_links(graph):
    bundles = delegation_bundles(graph)
    assert list(bundles.columns) == list(BUNDLE_COLUMNS)
    assert bundles[["bundle", "services", "n_services", "n_links", "n_providers"]].values.tolist() == [
        ["bundle-1", "a;b;c", 3, 2, 2],  # T1 (a at T1A, b) and T2 (c)
        ["bundle-2", "d;e", 2, 1, 1],  # T2; f joins only by a networked link
    ]
    assert bundles["split"].tolist() == [False, False]


def test_membership_orders_bundles_by_size_then_first_service():
    links = pd.DataFrame({"service_id": ["z", "m", "b"], "depends_on": ["y", "n", "c"],
                          "level": ["co-located", "in-reach", "co-located"]})
    extra = pd.DataFrame({"service_id": ["c"], "depends_on": ["d"], "level": ["in-reach"]})
    membership = bundle_membership(pd.concat([links, extra]))
    assert membership.groupby("bundle", sort=False)["service_id"].agg(list).to_dict() == {
        "bundle-1": ["b", "c", "d"], "bundle-2": ["m", "n"], "bundle-3": ["y", "z"]}


def test_spend_is_summed_where_known(graph):
    bundles = delegation_bundles(graph, spend={"a": 1_000_000.0, "c": 250_000.0})
    assert bundles["spend_gbp"].iloc[0] == 1_250_000.0
    assert bundles["spend_known"].tolist() == ["2 of 3", "0 of 2"]
    assert math.isnan(bundles["spend_gbp"].iloc[1])


def test_a_plan_splitting_a_bundle_for_one_icb(graph):
    plan = pd.DataFrame({"service_id": ["a", "b", "c", "c", "d", "e"],
                         "commissioner_id": ["X24", "X24", "QWE", "QKK", "X24", "X24"],
                         "status": ["retained", "retained", "delegated", "retained", "retained", "retained"],
                         "tier": ["region", "region", "ics", "region", "region", "region"]})
    # QKK's own row for c keeps the region tier but changes the commissioner: split there too.
    bundles = delegation_bundles(graph, plan)
    assert bundles[["bundle", "split", "split_areas"]].values.tolist() == [
        ["bundle-1", True, "QKK;QWE"], ["bundle-2", False, ""]]


def test_services_not_in_the_plan_do_not_split_a_bundle(graph):
    plan = pd.DataFrame({"service_id": ["a"], "commissioner_id": ["QWE"], "status": ["delegated"],
                         "tier": ["ics"]})
    assert not delegation_bundles(graph, plan)["split"].any()


def test_bundles_use_the_graphs_commissioning_without_a_plan(graph):
    graph.add_edge("X24", "d", "COMMISSIONS", status="retained", tier="national")
    graph.add_edge("QWE", "e", "COMMISSIONS", status="delegated", tier="ics")
    assert delegation_bundles(graph)["split_areas"].tolist() == ["", "QWE"]


def test_spend_file_problems_are_reported_together(tmp_path, graph):
    path = tmp_path / "spend.csv"
    path.write_text("service_id,spend_gbp\na,1000\nzz,5\na,7\nb,-1\nc,\n", encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        delegation_bundles(graph, spend=read_spend(path))
    assert [str(p) for p in caught.value.problems] == [
        "spend.csv, row 3, field 'service_id': unknown service 'zz'",
        "spend.csv, row 4, field 'service_id': service 'a' already has a spend in row 2",
        "spend.csv, row 5, field 'spend_gbp': -1.0 is below the minimum 0",
        "spend.csv, row 6, field 'spend_gbp': required value is missing",
    ]


def test_cli_bundles_with_spend(tmp_path, capsys):
    spend = tmp_path / "spend.csv"
    spend.write_text("service_id,spend_gbp\nsvc-nicu,2000000\nsvc-fetal-medicine,500000\n", encoding="utf-8")
    assert main(["delegation", "bundles", str(EXAMPLE), "--spend", str(spend), "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[3] == ("bundle-3,svc-fetal-medicine;svc-nicu;svc-specialist-obstetrics,3,2,3,2500000.0,2 of 3,"
                        "False,")


def test_shipped_reference_tables_match_their_provenance_record():
    sources = reference_data_file("SOURCES.md").read_text(encoding="utf-8")
    for name in ("clinical_codependencies.csv", "codependency_level_definitions.csv",
                 "delegated_services_2024_25_partial.csv", "retained_services_partial.csv"):
        digest = hashlib.sha256(reference_data_file(name).read_bytes()).hexdigest()
        assert f"| {name} |" in sources and digest in sources
    pairs = reference_codependencies()
    assert len(pairs) == 43 and set(pairs["level"].dropna()) <= set(CODEPENDENCY_LEVELS)
    assert pairs["level"].isna().sum() == 4  # the trauma unit rows whose source gives no site requirement
    assert len(codependency_level_definitions()) == 8
