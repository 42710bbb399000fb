"""Suitability, readiness and tiering: hand-scored services, criteria validation and the CLI.

The expected scores are worked out by hand in the comments from the model,
criteria and scores below; none is computed by the code under test.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from caregraph import CareGraph, ValidationError, criteria_from_dict, published_decisions, read_criteria
from caregraph.cli import main
from networks.delegation.assessment import assess_services

CRITERIA = {
    "scale": [1, 5],
    "scores": "scores.csv",
    "suitability": {"pass_mark": 3, "floor": 2, "criteria": {
        "benefit": {"source": "analyst", "weight": 2},
        "codependency_exposure": {"source": "computed", "bands": [[0, 5], [1, 2], [2, 1]]},
        "number_of_providers": {"source": "computed", "bands": [[0, 1], [1, 3], [2, 5]]},
    }},
    "readiness": {"pass_mark": 3, "floor": 1, "criteria": {
        "infrastructure": {"source": "analyst"},
        "footprint_containment": {"source": "computed", "bands": [[0, 1], [0.5, 3], [0.8, 5]]},
    }},
    "tiering": {"min_providers": 1, "min_containment": 0.8},
}
SCORES = "service_id,benefit,infrastructure\nready,4,4\nslow,4,2\nhss,5,5\nfew,5,5\ngap,,4\n"
FLOWS = pd.DataFrame({"service_id": ["ready"] * 4, "commissioner_id": ["QWE", "QWE", "QKK", "QKK"],
                      "provider_id": ["T1", "T2", "T2", "ELSEWHERE"], "activity": [80, 20, 50, 50]})


@pytest.fixture
def graph() -> CareGraph:
    """Region Y56 with ICBs QKK and QWE; T1 in QWE, T2 in QKK; 'slow' depends on the HSS 'hss'."""
    g = CareGraph()
    g.add_node("Y56", "NHSERegion")
    for icb in ("QWE", "QKK"):
        g.add_node(icb, "ICB")
        g.add_edge(icb, "Y56", "PART_OF")
    for trust, icb in (("T1", "QWE"), ("T2", "QKK")):
        g.add_node(trust, "NHSTrust")
        g.add_edge(trust, icb, "LOCATED_IN")
    for service in ("ready", "slow", "hss", "few", "gap"):
        g.add_node(service, "Service", specialised=True, highly_specialised=service == "hss",
                   name=f"Service {service}")
    g.add_node("core", "Service", specialised=False)
    g.add_edge("slow", "hss", "DEPENDS_ON", level="co-located")
    for trust, service in (("T1", "ready"), ("T2", "ready"), ("T1", "slow"), ("T2", "hss"), ("T1", "gap")):
        g.add_edge(trust, service, "PROVIDES")
    return g


@pytest.fixture
def criteria_file(tmp_path: Path) -> Path:
    (tmp_path / "scores.csv").write_text(SCORES, encoding="utf-8")
    path = tmp_path / "criteria.yaml"
    path.write_text(yaml.safe_dump(CRITERIA, sort_keys=False), encoding="utf-8")
    return path


def _by_id(frame: pd.DataFrame) -> dict[str, pd.Series]:
    return {row["service_id"]: row for _, row in frame.iterrows()}


def test_classification_scores_and_tiers(graph, criteria_file):
    result = assess_services(graph, read_criteria(criteria_file), flows=FLOWS)
    assert list(result["service_id"]) == ["few", "gap", "hss", "ready", "slow"]  # 'core' is not specialised
    rows = _by_id(result)

    # ready: suitability (2*4 + 5 + 5) / 4 = 4.5; containment (80 + 50) / 200 = 0.65 -> 3; readiness (4 + 3) / 2
    ready = rows["ready"]
    assert (ready["classification"], ready["suitability_score"], ready["readiness_score"]) == (
        "suitable and ready", 4.5, 3.5)
    assert (ready["n_providers"], ready["hard_links_to_hss"], ready["containment"]) == (2, 0, 0.65)
    # QWE keeps 80/100 with T1 -> ics; QKK keeps 50/100 with T2 -> region (T1 and T2)
    assert ready["recommended_tier"] == "region"
    assert ready["tier_reasons"] == ("QKK: region (2 provider(s), containment 0.50); "
                                     "QWE: ics (1 provider(s), containment 0.80)")

    # slow: one HSS link -> 2 (at the floor, not below); suitability (8 + 2 + 3) / 4 = 3.25;
    # readiness: infrastructure 2, containment not measured -> 2 < 3
    slow = rows["slow"]
    assert (slow["classification"], slow["suitability_score"], slow["readiness_score"]) == (
        "suitable not yet ready", 3.25, 2.0)
    assert slow["codependency_exposure"] == 2 and slow["hard_links_to_hss"] == 1
    assert slow["readiness_reasons"] == ("fail: 2.00 vs pass mark 3; infrastructure 2; "
                                         "footprint_containment not measured (no flows), left out")
    assert slow["recommended_tier"] == "region"  # QKK has no provider; the region has T1

    # hss: scores pass (4.5) but a highly specialised service stays national
    assert (rows["hss"]["classification"], rows["hss"]["recommended_tier"]) == ("neither", "national")
    assert rows["hss"]["suitability_reasons"].startswith("fail (highly specialised: stays national): 4.50")
    # few: (10 + 5 + 1) / 4 = 4.0, but no provider scores 1, below the floor 2
    assert (rows["few"]["classification"], rows["few"]["suitability_score"]) == ("neither", 4.0)
    assert "number_of_providers 1 (0 provider(s)) below floor 2" in rows["few"]["suitability_reasons"]
    # gap: benefit not scored fails the step; the mean of the rest is (5 + 3) / 2
    assert (rows["gap"]["classification"], rows["gap"]["suitability_score"]) == ("neither", 4.0)
    assert "benefit not scored" in rows["gap"]["suitability_reasons"]


def test_a_network_spanning_icbs_makes_the_tier_multi_ics(graph, criteria_file):
    graph.add_node("odn", "ODN", name="Test ODN")
    for trust in ("T1", "T2"):
        graph.add_edge(trust, "odn", "MEMBER_OF")
    graph.add_edge("odn", "slow", "NETWORK_FOR")
    slow = _by_id(assess_services(graph, read_criteria(criteria_file)))["slow"]
    assert slow["recommended_tier"] == "multi-ics"
    assert slow["tier_reasons"] == "QKK: multi-ics (1 provider(s)); QWE: multi-ics (1 provider(s))"


def test_a_region_without_providers_means_national(graph, criteria_file):
    graph.add_node("T9", "NHSTrust")  # outside the model's ICBs
    graph.add_edge("T9", "few", "PROVIDES")
    few = _by_id(assess_services(graph, read_criteria(criteria_file)))["few"]
    # (10 + 5 + 3) / 4 = 4.5; readiness 5 -> suitable and ready, but no ICB footprint has a provider
    assert (few["classification"], few["recommended_tier"]) == ("suitable and ready", "national")
    assert few["tier_reasons"].startswith("QKK: national (no footprint serves it: ics 0 provider(s); region 0")


def test_published_status_says_the_lists_are_partial(graph, criteria_file):
    published = assess_services(graph, read_criteria(criteria_file), published=published_decisions())
    assert published["published"].unique().tolist() == [
        "not in the lists given: 8 of the 89 services retained nationally (PARTIAL); "
        "20 of the 59 services delegated from April 2024 (PARTIAL)"]
    assert assess_services(graph, read_criteria(criteria_file))["published"].isna().all()  # no lists, no claim


def test_every_criteria_problem_is_reported_together(tmp_path):
    (tmp_path / "scores.csv").write_text("service_id,benefit,extra\na,7,1\na,3,1\n", encoding="utf-8")
    bad = {
        "scale": [1, 5], "scores": "scores.csv", "colour": "blue",
        "suitability": {"pass_mark": 9, "criteria": {
            "benefit": {"source": "analyst", "weight": -1},
            "popularity": {"source": "computed", "bands": [[0, 1]]},
            "number_of_providers": {"source": "computed", "bands": [[2, 5], [1, 3]]},
        }},
        "readiness": {"criteria": {"benefit": {"source": "guess"}}},
        "tiering": {"min_containment": 2},
    }
    with pytest.raises(ValidationError) as caught:
        criteria_from_dict(bad, base=tmp_path, file="criteria.yaml")
    assert [str(p) for p in caught.value.problems] == [
        "criteria.yaml, field 'colour': unknown key; allowed: scale, scores, suitability, readiness, tiering",
        "criteria.yaml: criterion 'benefit' is used in more than one step",
        "criteria.yaml, readiness, field 'pass_mark': required value is missing",
        "criteria.yaml, readiness.criteria.benefit, field 'source': 'guess' is not 'analyst' or 'computed'",
        "criteria.yaml, suitability, field 'pass_mark': 9 is not a number from 1 to 5",
        "criteria.yaml, suitability.criteria.benefit, field 'weight': -1 is not a number from 0 to inf",
        "criteria.yaml, suitability.criteria.number_of_providers, field 'bands': at_least values must increase",
        "criteria.yaml, suitability.criteria.popularity: no computed measure 'popularity'; one of: "
        "codependency_exposure, number_of_providers, footprint_containment",
        "criteria.yaml, tiering, field 'min_containment': 2 is not a number from 0 to 1",
        "scores.csv, row 1, field 'extra': unknown column; allowed: service_id, benefit, note",
        "scores.csv, row 2, field 'benefit': '7' is not a score from 1 to 5",
        "scores.csv, row 3, field 'service_id': service 'a' is already scored in row 2",
    ]


def test_scores_for_unknown_services_and_bad_yaml_are_reported(graph, tmp_path, criteria_file):
    (tmp_path / "scores.csv").write_text(SCORES + "nope,3,3\n", encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        assess_services(graph, read_criteria(criteria_file))
    assert [str(p) for p in caught.value.problems] == ["scores.csv, row 7, field 'service_id': unknown service 'nope'"]
    broken = tmp_path / "broken.yaml"
    broken.write_text("suitability: [unclosed\n", encoding="utf-8")
    with pytest.raises(ValidationError, match=r"broken\.yaml, line 2, column 1: malformed YAML"):
        read_criteria(broken)
    twice = tmp_path / "twice.yaml"
    twice.write_text("scale: {min: 1, max: 5}\nscale: {min: 0, max: 10}\n", encoding="utf-8")
    duplicate = r"twice\.yaml, line 2, column 1: duplicate key 'scale'"
    with pytest.raises(ValidationError, match=duplicate):
        read_criteria(twice)


def test_cli_assess(tmp_path, capsys):
    example = Path(__file__).parents[2] / "examples" / "delegation-south-london"
    args = ["delegation", "assess", str(example), "--criteria", str(example / "criteria.yaml"), "--format", "csv"]
    assert main(args) == 0
    assert capsys.readouterr().out.startswith("service_id,name,classification,recommended_tier,")
    missing = tmp_path / "criteria.yaml"
    missing.write_text("suitability: {pass_mark: 3, criteria: {benefit: {source: analyst}}}\n"
                       "readiness: {pass_mark: 3, criteria: {number_of_providers: {source: computed, "
                       "bands: [[0, 1]]}}}\n", encoding="utf-8")
    assert main(["delegation", "assess", str(example), "--criteria", str(missing)]) == 2
    assert "give the analyst scores file" in capsys.readouterr().err
