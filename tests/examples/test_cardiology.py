"""The North East and North Cumbria cardiology example loads and matches hand-counted facts.

Every expected number below was counted by hand from the CSV and YAML files
in ``examples/cardiology``; none is computed by the code under test.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from caregraph import crossing_summary, load_model, pool_what_if, validate_model
from caregraph import CareGraph

EXAMPLE = Path(__file__).parents[2] / "examples" / "cardiology"
CHEST_PAIN = "chest-pain-to-pci"
HEART_FAILURE = "heart-failure"


@pytest.fixture(scope="module")
def graph() -> CareGraph:
    return load_model(EXAMPLE)


def _step_budget(g: CareGraph, pathway: str, local: str) -> str:
    (budget,) = g.successors(f"{pathway}/{local}", "PAID_FROM")
    return budget


def _crossings(g: CareGraph, pathway: str) -> list[tuple[str, str]]:
    """Transitions whose two steps are paid from different budgets sharing no pool."""
    pools = {b: set(g.successors(b, "IN_POOL")) for b in g.nodes_of("Budget")}
    found = []
    for source, target in g.edges_of("NEXT"):
        if not source.startswith(pathway + "/"):
            continue
        (a,) = g.successors(source, "PAID_FROM")
        (b,) = g.successors(target, "PAID_FROM")
        if a != b and not pools[a] & pools[b]:
            found.append((source.split("/")[1], target.split("/")[1]))
    return sorted(found)


def test_folder_has_no_problems() -> None:
    assert validate_model(EXAMPLE) == []


def test_nodes_per_kind(graph: CareGraph) -> None:
    kinds = Counter(attrs["kind"] for _, attrs in graph.nx.nodes(data=True))
    assert dict(kinds) == {
        "NHSEngland": 1,
        "NHSERegion": 1,
        "CommissioningHub": 1,
        "ICB": 1,
        "SubICBLocation": 3,
        "LocalAuthority": 1,
        "NHSTrust": 7,
        "Site": 6,
        "PCN": 2,
        "GPPractice": 4,
        "Service": 17,
        "Budget": 5,
        "Pool": 2,
        "ODN": 1,
        "Pathway": 2,
        "Step": 20,
    }
    assert graph.number_of_nodes() == 74


def test_relationships_per_type(graph: CareGraph) -> None:
    types = Counter(t for _, _, t in graph.nx.edges(data="type"))
    assert dict(types) == {
        "PART_OF": 18,
        "LOCATED_IN": 5,
        "SUCCEEDED_BY": 2,
        "HELD_BY": 5,
        "IN_POOL": 4,
        "HOSTED_BY": 1,
        "NETWORK_FOR": 4,
        "MEMBER_OF": 5,
        "PROVIDES": 37,  # provision.csv: 37 rows (34, and the council's reablement, stop smoking and home care)
        "COMMISSIONS": 22,
        "DEPENDS_ON": 4,
        "HAS_STEP": 20,
        "OF_SERVICE": 20,
        "DELIVERED_BY": 20,
        "PAID_FROM": 20,
        "AT_SITE": 10,
        "STARTS_AT": 3,
        "NEXT": 32,
    }
    assert graph.number_of_edges() == 232


def test_real_trusts_sit_in_nenc_icb(graph: CareGraph) -> None:
    assert sorted(graph.predecessors("QHM", "LOCATED_IN")) == ["R0B", "RR7", "RTD", "RTR", "RXP"]
    assert graph.successors("QHM", "PART_OF") == ["Y63"]
    assert graph.successors("Y63", "PART_OF") == ["X24"]
    assert graph.node("RTD")["valid_from"] == "1998-04-01"
    assert graph.node("R0B")["valid_from"] == "2019-04-01"
    assert graph.successors("RTD01", "PART_OF") == ["RTD"]
    assert graph.successors("A86024", "PART_OF") == ["U17849"]
    assert graph.successors("U17849", "PART_OF") == ["13T"]


def test_sunderland_merger_is_dated(graph: CareGraph) -> None:
    assert sorted(graph.predecessors("R0B", "SUCCEEDED_BY")) == ["RE9", "RLN"]
    before = graph.as_at("2019-03-31")
    assert "RLN" in before and "RE9" in before and "R0B" not in before
    after = graph.as_at("2019-04-01")
    assert "R0B" in after and "RLN" not in after


@pytest.mark.parametrize(
    ("pathway", "expected"),
    [
        (
            CHEST_PAIN,
            {
                "gp": "bud-qhm-core",
                "racpc": "bud-qhm-core",
                "ctca": "bud-qhm-core",
                "acute_admission": "bud-qhm-core",
                "angiography": "bud-nhse-specialised",
                "pci": "bud-nhse-specialised",
                "cabg": "bud-nhse-specialised",
                "critical_care": "bud-nhse-specialised",
                "gp_followup": "bud-qhm-core",
                "rehab": "bud-qhm-core",
                "reablement": "bud-newcastle-asc",
                "stop_smoking": "bud-newcastle-phg",
            },
        ),
        (
            HEART_FAILURE,
            {
                "gp": "bud-qhm-core",
                "echo": "bud-qhm-core",
                "hf_clinic": "bud-qhm-core",
                "device": "bud-nhse-specialised",
                "transplant_assessment": "bud-nhse-specialised",
                "hf_nurse": "bud-qhm-bcf-newcastle",
                "hf_admission": "bud-qhm-core",
                "home_care": "bud-newcastle-asc",
            },
        ),
    ],
)
def test_every_step_is_paid_from_the_intended_budget(
    graph: CareGraph, pathway: str, expected: dict[str, str]
) -> None:
    steps = sorted(s.split("/")[1] for s in graph.successors(pathway, "HAS_STEP"))
    assert steps == sorted(expected)
    for local, budget in expected.items():
        assert _step_budget(graph, pathway, local) == budget, local


def test_budget_holders(graph: CareGraph) -> None:
    holders = {b: graph.successors(b, "HELD_BY") for b in graph.nodes_of("Budget")}
    assert holders == {
        "bud-nhse-specialised": ["X24"],
        "bud-qhm-core": ["QHM"],
        "bud-qhm-bcf-newcastle": ["QHM"],
        "bud-newcastle-asc": ["107"],
        "bud-newcastle-phg": ["107"],
    }
    # the PCI step is paid from the NHS England specialised budget held by NHS England
    assert graph.successors(_step_budget(graph, CHEST_PAIN, "pci"), "HELD_BY") == ["X24"]
    assert graph.node("bud-nhse-specialised")["stream"] == "nhse_specialised"


def test_specialised_steps_are_exactly_the_nhse_paid_steps(graph: CareGraph) -> None:
    specialised_setting = set()
    nhse_paid = set()
    for step, attrs in graph.nodes_of("Step", data=True):
        if attrs["setting"] == "specialised":
            specialised_setting.add(step)
        (budget,) = graph.successors(step, "PAID_FROM")
        if graph.node(budget)["stream"] == "nhse_specialised":
            nhse_paid.add(step)
        (service,) = graph.successors(step, "OF_SERVICE")
        assert graph.node(service)["specialised"] is (attrs["setting"] == "specialised"), step
    assert specialised_setting == nhse_paid
    assert len(nhse_paid) == 6


def test_probabilities_leaving_each_step_are_at_most_one(graph: CareGraph) -> None:
    totals: dict[str, float] = defaultdict(float)
    for source, _, attrs in graph.edges_of("NEXT", data=True):
        if source.startswith(CHEST_PAIN + "/"):
            assert "probability" in attrs and "patients_per_year" not in attrs
            totals[source] += attrs["probability"]
    assert len(totals) == 11  # every chest-pain step except stop_smoking has a way out
    assert all(total <= 1 + 1e-9 for total in totals.values()), totals
    assert totals[f"{CHEST_PAIN}/cabg"] == pytest.approx(1.0)
    assert totals[f"{CHEST_PAIN}/angiography"] == pytest.approx(0.95)
    starts = [a["probability"] for p, _, a in graph.edges_of("STARTS_AT", data=True) if p == CHEST_PAIN]
    assert sorted(starts) == [0.28, 0.72]


def test_heart_failure_uses_volumes(graph: CareGraph) -> None:
    out_volume: dict[str, float] = defaultdict(float)
    in_volume: dict[str, float] = defaultdict(float)
    for source, target, attrs in graph.edges_of("NEXT", data=True):
        if source.startswith(HEART_FAILURE + "/"):
            assert "patients_per_year" in attrs and "probability" not in attrs
            out_volume[source.split("/")[1]] += attrs["patients_per_year"]
            in_volume[target.split("/")[1]] += attrs["patients_per_year"]
    in_volume["gp"] += 1500  # the entry volume
    assert out_volume["hf_clinic"] == 348
    assert in_volume["hf_nurse"] == 434
    # no step sends on more patients than reach it
    assert all(out_volume[s] <= in_volume[s] for s in out_volume)


def test_each_pathway_has_a_loop(graph: CareGraph) -> None:
    nexts = set(graph.edges_of("NEXT"))
    assert (f"{CHEST_PAIN}/rehab", f"{CHEST_PAIN}/acute_admission") in nexts
    assert (f"{CHEST_PAIN}/acute_admission", f"{CHEST_PAIN}/rehab") in nexts
    assert (f"{HEART_FAILURE}/hf_nurse", f"{HEART_FAILURE}/hf_admission") in nexts
    assert (f"{HEART_FAILURE}/hf_admission", f"{HEART_FAILURE}/hf_nurse") in nexts


def test_pools_are_dated(graph: CareGraph) -> None:
    before_bcf = graph.as_at("2022-06-30")
    assert before_bcf.nodes_of("Pool") == []
    now = graph.as_at("2026-05-01")
    assert now.nodes_of("Pool") == ["pool-bcf-newcastle"]
    assert sorted(now.predecessors("pool-bcf-newcastle", "IN_POOL")) == [
        "bud-newcastle-asc",
        "bud-qhm-bcf-newcastle",
    ]
    later = graph.as_at("2027-04-01")
    assert sorted(later.nodes_of("Pool")) == ["pool-bcf-newcastle", "pool-cardiac-s65z5"]
    assert later.node("pool-cardiac-s65z5")["legal_basis"] == "s65Z5"


def test_budget_boundary_crossings_change_with_the_illustrative_pool(graph: CareGraph) -> None:
    now = graph.as_at("2026-05-01")
    assert _crossings(now, CHEST_PAIN) == sorted(
        [
            ("racpc", "angiography"),
            ("ctca", "angiography"),
            ("acute_admission", "angiography"),
            ("angiography", "gp_followup"),
            ("pci", "rehab"),
            ("pci", "gp_followup"),
            ("critical_care", "rehab"),
            ("rehab", "reablement"),
            ("rehab", "stop_smoking"),
            ("reablement", "acute_admission"),
        ]
    )
    # the s65Z5 pool of NHS England specialised + ICB core money removes the NHS-internal crossings
    pooled = graph.as_at("2027-04-01")
    assert _crossings(pooled, CHEST_PAIN) == sorted(
        [
            ("rehab", "reablement"),
            ("rehab", "stop_smoking"),
            ("reablement", "acute_admission"),
        ]
    )
    # heart failure: 9 of 12 transitions change budget; the BCF pool joins nurse -> home care
    assert len(_crossings(now, HEART_FAILURE)) == 8
    assert ("hf_nurse", "home_care") not in _crossings(now, HEART_FAILURE)
    assert ("hf_admission", "home_care") in _crossings(now, HEART_FAILURE)


def test_specialised_cardiac_commissioning_moves_to_the_icb_in_april_2025(graph: CareGraph) -> None:
    before = graph.as_at("2025-03-31")
    after = graph.as_at("2025-04-01")
    for service in (
        "svc-coronary-angiography",
        "svc-pci",
        "svc-cardiac-surgery",
        "svc-cardiac-devices",
        "svc-adult-critical-care",
    ):
        assert before.predecessors(service, "COMMISSIONS") == ["X24"], service
        assert after.predecessors(service, "COMMISSIONS") == ["QHM"], service
        (status,) = [a["status"] for _, v, a in after.edges_of("COMMISSIONS", data=True) if v == service]
        assert status == "delegated"
    # heart transplantation is highly specialised and stays with NHS England nationally
    assert after.predecessors("svc-heart-transplant", "COMMISSIONS") == ["X24"]
    assert graph.node("svc-heart-transplant")["highly_specialised"] is True


def test_codependencies_say_where_they_come_from(graph: CareGraph) -> None:
    deps = {(s, t): a for s, t, a in graph.edges_of("DEPENDS_ON", data=True)}
    assert len(deps) == 4
    assert deps[("svc-cardiac-surgery", "svc-adult-critical-care")]["level"] == "co-located"
    sourced = [pair for pair, a in deps.items() if a["evidence"] != "illustrative"]
    assert sourced == [("svc-adult-critical-care", "svc-acute-medicine")]
    assert deps[sourced[0]]["evidence"].startswith("https://")


def test_network_is_hosted_by_the_tertiary_centre(graph: CareGraph) -> None:
    assert graph.successors("net-nenc-cardiac-odn", "HOSTED_BY") == ["RTD"]
    assert sorted(graph.predecessors("net-nenc-cardiac-odn", "MEMBER_OF")) == [
        "R0B",
        "RR7",
        "RTD",
        "RTR",
        "RXP",
    ]


def test_documentation_is_present() -> None:
    readme = (EXAMPLE / "README.md").read_text(encoding="utf-8")
    sources = (EXAMPLE / "SOURCES.md").read_text(encoding="utf-8")
    assert "## Illustrative figures" in readme
    assert "caregraph validate examples/cardiology" in readme
    for code in ("RTD01", "R0B01", "U17849", "A86024", "E08000021", "85J"):
        assert code in sources, code


def test_without_a_date_the_analyses_take_the_model_as_at_today(graph: CareGraph) -> None:
    """Issue 9: the illustrative s65Z5 pool starts 2027-04-01, so it must not count before then."""
    today = datetime.date.today().isoformat()
    default = crossing_summary(graph)
    assert default.attrs["as_at"] == today
    assert default.equals(crossing_summary(graph, as_at=today))
    may_2026 = crossing_summary(graph, as_at="2026-05-01")
    # the figures of the independent recomputation quoted in the issue: 18 crossings, GBP 15.97m a year
    assert may_2026["crossings"].sum() == 18
    assert round(may_2026["money_crossing_gbp"].sum() / 1e6, 2) == 15.97
    assert crossing_summary(graph, as_at="all")["crossings"].sum() == 9  # only on asking for every date


def test_a_pool_what_if_as_at_a_date_removes_the_nhs_internal_crossings(graph: CareGraph) -> None:
    what_if = pool_what_if(graph, ["bud-nhse-specialised", "bud-qhm-core"], as_at="2026-05-01")
    total = what_if.set_index("pathway").loc["(total)"]
    assert (total["crossings_before"], total["crossings_removed"]) == (18, 9)
    assert what_if.attrs["as_at"] == "2026-05-01"
