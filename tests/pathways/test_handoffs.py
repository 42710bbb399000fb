"""Hand-offs, expected hand-offs per patient, routes and hot spots, checked by hand.

The hand-made pathway ``p`` (1,000 patients a year enter at ``a``)::

    step  provider  site   setting        budget (holder)
    a     GP1       -      primary        core (QHM)
    b     RTD       RTD01  acute          core (QHM)
    c     RTD       RTD01  specialised    spec (X24)
    d     RTD       -      community      bcf  (QHM)
    e     LA1       -      social_care    asc  (LA1)
    f     VCS1      -      public_health  phg  (LA1)

    a -> b 0.5, a -> d 0.2 (0.3 leave at a)
    b -> c 0.4, b -> d 0.4 (0.2 leave at b)
    c -> d 1.0
    d -> b 0.5 (loop: readmission), d -> e 0.2 (0.3 leave at d)
    e -> f 0.5 (0.5 leave at e); everyone leaves at f

Visits: ``a = 1000``; ``d = 0.2 a + 0.4 b + c`` with ``c = 0.4 b``, so
``d = 200 + 0.8 b``; ``b = 0.5 a + 0.5 d = 500 + 100 + 0.4 b``, so
``b = 600 / 0.6 = 1000``, ``d = 1000``, ``c = 400``, ``e = 0.2 d = 200``,
``f = 0.5 e = 100``. Transition flows (patients a year):

    a->b 500  a->d 200  b->c 400  b->d 400  c->d 400  d->b 500  d->e 200  e->f 100
"""

from __future__ import annotations

import io
import math

import pandas as pd
import pytest

from caregraph import CARE_SETTINGS, ArgumentError, CareGraph, ValidationError
from caregraph.cli import main
from networks.pathway_flows import pathway_flows, step_table
from pathways.choices import BY_OPTIONS
from pathways.handoffs import (
    HANDOFF_COLUMNS,
    HOTSPOT_COLUMNS,
    ROUTE_COLUMNS,
    SECTOR_OF_SETTING,
    SUMMARY_COLUMNS,
    find_handoffs,
    handoff_hotspots,
    handoff_summary,
    handoffs_from_tables,
    top_routes,
)
from pathways.tables import budget_holders

STEPS = {  # step: provider, site, setting, budget
    "a": ("GP1", None, "primary", "core"),
    "b": ("RTD", "RTD01", "acute", "core"),
    "c": ("RTD", "RTD01", "specialised", "spec"),
    "d": ("RTD", None, "community", "bcf"),
    "e": ("LA1", None, "social_care", "asc"),
    "f": ("VCS1", None, "public_health", "phg"),
}
MOVES = [("a", "b", 0.5), ("a", "d", 0.2), ("b", "c", 0.4), ("b", "d", 0.4), ("c", "d", 1.0),
         ("d", "b", 0.5), ("d", "e", 0.2), ("e", "f", 0.5)]


def organisations(g: CareGraph) -> None:
    for node, kind in [("X24", "NHSEngland"), ("QHM", "ICB"), ("LA1", "LocalAuthority"), ("GP1", "GPPractice"),
                       ("RTD", "NHSTrust"), ("RTD01", "Site"), ("VCS1", "VoluntaryProvider")]:
        g.add_node(node, kind, name=f"{node} name")
    for budget, stream, holder in [("core", "icb_core", "QHM"), ("bcf", "better_care_fund", "QHM"),
                                   ("spec", "nhse_specialised", "X24"), ("asc", "la_social_care", "LA1"),
                                   ("phg", "la_public_health", "LA1")]:
        g.add_node(budget, "Budget", stream=stream)
        g.add_edge(budget, holder, "HELD_BY")


def add_pathway(g: CareGraph, pid: str, steps: dict[str, tuple[str, str | None, str, str]],
                moves: list[tuple[str, str, float]], start: str, patients: float | None) -> None:
    g.add_node(pid, "Pathway", name=f"Pathway {pid}",
               **({} if patients is None else {"patients_per_year": patients}))
    for step, (provider, site, setting, budget) in steps.items():
        sid = f"{pid}/{step}"
        g.add_node(sid, "Step", pathway=pid, setting=setting, name=f"Step {step}")
        g.add_edge(pid, sid, "HAS_STEP")
        g.add_edge(sid, provider, "DELIVERED_BY")
        g.add_edge(sid, budget, "PAID_FROM")
        if site:
            g.add_edge(sid, site, "AT_SITE")
    g.add_edge(pid, f"{pid}/{start}", "STARTS_AT", probability=1.0)
    for u, v, p in moves:
        g.add_edge(f"{pid}/{u}", f"{pid}/{v}", "NEXT", probability=p)


@pytest.fixture
def graph() -> CareGraph:
    g = CareGraph("handoffs")
    organisations(g)
    add_pathway(g, "p", STEPS, MOVES, "a", 1000)
    return g


def pairs(frame: pd.DataFrame) -> list[tuple[str, str]]:
    return [(u[2:], v[2:]) for u, v in zip(frame.from_step, frame.to_step, strict=True)]


# hand-offs under each rule, with the flows listed in the module docstring
EXPECTED = {
    # GP1 -> RTD twice, RTD -> LA1, LA1 -> VCS1: 500 + 200 + 200 + 100 = 1000
    "provider": [("a", "b", "GP1 -> RTD", 500), ("a", "d", "GP1 -> RTD", 200), ("d", "e", "RTD -> LA1", 200),
                 ("e", "f", "LA1 -> VCS1", 100)],
    # sites, a step without one counting as at its provider: a GP1, b c RTD01, d RTD, e LA1, f VCS1
    # only b -> c stays put: 2700 - 400 = 2300
    "site": [("a", "b", "GP1 -> RTD01", 500), ("a", "d", "GP1 -> RTD", 200), ("b", "d", "RTD01 -> RTD", 400),
             ("c", "d", "RTD01 -> RTD", 400), ("d", "b", "RTD -> RTD01", 500), ("d", "e", "RTD -> LA1", 200),
             ("e", "f", "LA1 -> VCS1", 100)],
    # every step has its own setting: all eight transitions, 2700
    "setting": [("a", "b", "primary -> acute", 500), ("a", "d", "primary -> community", 200),
                ("b", "c", "acute -> specialised", 400), ("b", "d", "acute -> community", 400),
                ("c", "d", "specialised -> community", 400), ("d", "b", "community -> acute", 500),
                ("d", "e", "community -> social_care", 200), ("e", "f", "social_care -> public_health", 100)],
    # public health counts as health: only into and out of social care, 200 + 100 = 300
    "sector": [("d", "e", "health -> social_care", 200), ("e", "f", "social_care -> health", 100)],
    # holders a QHM, b QHM, c X24, d QHM (bcf), e LA1, f LA1: b -> d changes budget, not holder
    "commissioner": [("b", "c", "QHM -> X24", 400), ("c", "d", "X24 -> QHM", 400), ("d", "e", "QHM -> LA1", 200)],
}


@pytest.mark.parametrize("by", BY_OPTIONS)
def test_find_handoffs_each_rule(graph, by):
    found = find_handoffs(graph, "p", by=by)
    assert list(found.columns) == HANDOFF_COLUMNS
    assert (found["by"] == by).all() and (found["pathway"] == "p").all()
    expected = EXPECTED[by]
    assert pairs(found) == [(u, v) for u, v, _, _ in expected]  # sorted by from_step, to_step
    assert found["kind"].tolist() == [kind for _, _, kind, _ in expected]
    assert found["patients_per_year"].tolist() == pytest.approx([n for *_, n in expected])
    assert found["share"].tolist() == pytest.approx([n / 1000 for *_, n in expected])
    assert (found["kind"] == found["from_value"] + " -> " + found["to_value"]).all()


def test_probabilities_are_the_branch_probabilities(graph):
    assert find_handoffs(graph, by="site")["probability"].tolist() == pytest.approx(
        [0.5, 0.2, 0.4, 1.0, 0.5, 0.2, 0.5])


def test_sector_covers_every_setting():
    assert set(SECTOR_OF_SETTING) == set(CARE_SETTINGS)
    assert SECTOR_OF_SETTING["public_health"] == "health" and SECTOR_OF_SETTING["social_care"] == "social_care"


@pytest.mark.parametrize(("by", "handoffs", "per_patient"),
                         [("provider", 4, 1.0), ("site", 7, 2.3), ("setting", 8, 2.7), ("sector", 2, 0.3),
                          ("commissioner", 3, 1.0)])
def test_summary_expected_handoffs_per_patient(graph, by, handoffs, per_patient):
    # per patient = the hand-off flows of EXPECTED over the 1,000 entrants
    summary = handoff_summary(graph, by=by)
    assert list(summary.columns) == SUMMARY_COLUMNS
    row = summary.iloc[0]
    assert (row.pathway, row.entrants, row.per_patient, row.transitions) == ("p", 1000, False, 8)
    assert row.handoff_transitions == handoffs
    assert row.handoffs_per_patient == pytest.approx(per_patient)
    assert row.handoffs_per_year == pytest.approx(1000 * per_patient)


def test_summary_matches_first_step_analysis(graph):
    # Independent check by first-step analysis: H_x = expected provider hand-offs still to come at x.
    # H_f = 0; H_e = 0.5 (1 + H_f) = 0.5; H_c = H_d (same provider);
    # H_b = 0.4 H_c + 0.4 H_d = 0.8 H_d; H_d = 0.5 H_b + 0.2 (1 + H_e) = 0.4 H_d + 0.3, so H_d = 0.5, H_b = 0.4;
    # H_a = 0.5 (1 + H_b) + 0.2 (1 + H_d) = 0.7 + 0.3 = 1.0
    assert handoff_summary(graph, "p")["handoffs_per_patient"].iloc[0] == pytest.approx(1.0)


def test_top_routes_with_the_loop(graph):
    # route probability = entry x branches x leaving at the last step (a 0.3, b 0.2, d 0.3, e 0.5, f 1):
    # a 0.3; a b 0.5 x 0.2 = 0.1; a b c d 0.5 x 0.4 x 1 x 0.3 = 0.06; a b d 0.5 x 0.4 x 0.3 = 0.06;
    # a d 0.2 x 0.3 = 0.06 (ties by route); every other route is at most 0.02
    routes = top_routes(graph, "p", k=5)
    assert list(routes.columns) == ROUTE_COLUMNS
    assert routes["route"].tolist() == ["a", "a > b", "a > b > c > d", "a > b > d", "a > d"]
    assert routes["rank"].tolist() == [1, 2, 3, 4, 5]
    assert routes["steps"].tolist() == [1, 2, 4, 3, 2]
    assert routes["probability"].tolist() == pytest.approx([0.3, 0.1, 0.06, 0.06, 0.06])
    assert routes["patients_per_year"].tolist() == pytest.approx([300, 100, 60, 60, 60])
    assert routes["cumulative_probability"].tolist() == pytest.approx([0.3, 0.4, 0.46, 0.52, 0.58])
    assert routes["handoffs"].tolist() == [0, 1, 1, 1, 1]  # GP1 -> RTD once, then RTD throughout
    # by commissioner a b c d is QHM QHM X24 QHM: two hand-offs
    assert top_routes(graph, "p", k=5, by="commissioner")["handoffs"].tolist() == [0, 0, 2, 0, 0]


def test_top_routes_max_visits_bounds_the_loop(graph):
    # visiting each step at most once leaves 12 routes (listed by hand):
    # a .3 | a b .1 | a b c d .06 | a b c d e .02 | a b c d e f .02 | a b d .06 | a b d e .02 | a b d e f .02 |
    # a d .06 | a d b .02 | a d e .02 | a d e f .02   -> 0.72 of the entrants
    routes = top_routes(graph, "p", k=100, max_visits=1)
    assert len(routes) == 12
    assert routes["cumulative_probability"].iloc[-1] == pytest.approx(0.72)
    assert routes.loc[routes.route == "a > d > e > f", "handoffs"].item() == 3  # GP1 RTD LA1 VCS1


def test_top_routes_approach_everyone(graph):
    # every patient leaves, so the probabilities of all routes add up to 1: the 500 most frequent
    # cover almost everyone (never more than everyone), most frequent first
    routes = top_routes(graph, "p", k=500)
    assert 0.99 < routes["cumulative_probability"].iloc[-1] <= 1.0
    assert routes["probability"].is_monotonic_decreasing


def test_hotspots(graph):
    # provider hand-offs: RTD in 500 + 200, out 200; GP1 out 700; LA1 in 200, out 100; VCS1 in 100
    hot = handoff_hotspots(graph, by="provider")
    assert list(hot.columns) == HOTSPOT_COLUMNS
    assert hot["value"].tolist() == ["RTD", "GP1", "LA1", "VCS1"]
    assert hot["rank"].tolist() == [1, 2, 3, 4]
    assert hot["patients_in"].tolist() == pytest.approx([700, 0, 200, 100])
    assert hot["patients_out"].tolist() == pytest.approx([200, 700, 100, 0])
    assert hot["patients_total"].tolist() == pytest.approx([900, 700, 300, 100])
    assert hot["handoff_transitions"].tolist() == [3, 2, 2, 1]


def test_hotspots_add_up_over_pathways(graph):
    # a second pathway q: 50 a year from GP1 (x) to RTD (y): RTD in 700 + 50, GP1 out 700 + 50
    add_pathway(graph, "q", {"x": ("GP1", None, "primary", "core"), "y": ("RTD", "RTD01", "acute", "core")},
                [("x", "y", 1.0)], "x", 50)
    hot = handoff_hotspots(graph).set_index("value")
    assert hot.loc["RTD", "patients_in"] == pytest.approx(750)
    assert hot.loc["GP1", "patients_out"] == pytest.approx(750)
    assert hot.loc["RTD", "pathways"] == 2 and hot.loc["VCS1", "pathways"] == 1
    assert handoff_hotspots(graph, "q")["value"].tolist() == ["GP1", "RTD"]  # 50 each: ties by value


def test_per_patient_pathway(graph):
    # q gives no volume: flows per patient entering; 40% go x -> y
    add_pathway(graph, "q", {"x": ("GP1", None, "primary", "core"), "y": ("RTD", "RTD01", "acute", "core")},
                [("x", "y", 0.4)], "x", None)
    found = find_handoffs(graph, "q")
    assert found["patients_per_year"].tolist() == pytest.approx([0.4])
    assert found["share"].tolist() == pytest.approx([0.4])
    row = handoff_summary(graph, "q").iloc[0]
    assert row.per_patient and row.entrants == 1.0 and row.handoffs_per_patient == pytest.approx(0.4)


def test_core_works_on_tables_alone(graph):
    # the backend-neutral core gives the same rows from the three tables
    flows = pathway_flows(graph, "p").transitions
    direct = handoffs_from_tables(step_table(graph), flows, "commissioner", budget_holders(graph))
    pd.testing.assert_frame_equal(direct, find_handoffs(graph, by="commissioner"))


def test_as_at_picks_the_holder_in_force():
    # the ICB holding the core budget changes on 2026-04-01 (a merger): QHM then QNEW
    g = CareGraph("dated")
    organisations(g)
    g.add_node("QNEW", "ICB", name="Merged ICB", valid_from="2026-04-01")
    g.add_node("core2", "Budget", stream="icb_core")
    g.add_edge("core2", "QHM", "HELD_BY", valid_to="2026-03-31")
    g.add_edge("core2", "QNEW", "HELD_BY", valid_from="2026-04-01")
    add_pathway(g, "p", {"a": ("GP1", None, "primary", "core2"), "b": ("RTD", "RTD01", "specialised", "spec")},
                [("a", "b", 0.5)], "a", 100)
    with pytest.raises(ValidationError, match=r"budget 'core2'.*several commissioners \(QHM, QNEW\)"):
        find_handoffs(g, by="commissioner", as_at="all")
    assert find_handoffs(g, by="commissioner", as_at="2026-03-31")["kind"].tolist() == ["QHM -> X24"]
    assert find_handoffs(g, by="commissioner", as_at="2026-04-01")["kind"].tolist() == ["QNEW -> X24"]


def test_unknown_by_lists_the_choices(graph):
    for call in (find_handoffs, handoff_summary, handoff_hotspots):
        with pytest.raises(ArgumentError, match="by='team' is not one of: provider, site, setting, sector, "
                                                "commissioner"):
            call(graph, by="team")
    with pytest.raises(ArgumentError, match="is not one of"):
        top_routes(graph, "p", by="team")


def test_unknown_pathway(graph):
    with pytest.raises(ValidationError, match="unknown pathway 'nope' \\(known: p\\)"):
        find_handoffs(graph, "nope")
    with pytest.raises(ValidationError, match="unknown pathway 'nope'"):
        top_routes(graph, "nope")


def test_step_without_a_provider_is_named(graph):
    g = CareGraph("gap")
    organisations(g)
    add_pathway(g, "p", {"a": ("GP1", None, "primary", "core")}, [], "a", 10)
    g.add_node("p/z", "Step", pathway="p", setting="acute")
    g.add_edge("p", "p/z", "HAS_STEP")
    g.add_edge("p/a", "p/z", "NEXT", probability=0.5)
    with pytest.raises(ValidationError, match="pathway 'p', step 'p/z', field 'provider': the step has no provider"):
        find_handoffs(g)
    with pytest.raises(ValidationError, match="step 'p/z', field 'site': the step has no site"):
        find_handoffs(g, by="site")  # no site and no provider to fall back on
    assert len(find_handoffs(g, by="setting")) == 1


def test_more_leaving_than_arriving_is_an_error_not_a_number():
    # 100 enter at a but 150 a year are said to go a -> b: flows that create patients
    g = CareGraph("volumes")
    organisations(g)
    add_pathway(g, "p", {"a": ("GP1", None, "primary", "core"), "b": ("RTD", None, "acute", "core")}, [], "a", 100)
    g.add_edge("p/a", "p/b", "NEXT", patients_per_year=150)
    message = (r"pathway 'p', step 'a', field 'patients_per_year': transitions leaving the step carry 150\.0 "
               r"patients a year, but only 100\.0 reach it")
    for analysis in (top_routes, handoff_summary, find_handoffs, handoff_hotspots):
        with pytest.raises(ValidationError, match=message):
            analysis(g, "p")


def test_routes_reject_a_bad_k(graph):
    with pytest.raises(ValueError, match="at least 1"):
        top_routes(graph, "p", k=0)


# the command line, on the hand-made model folder tests/fixtures/small_model:
# 1,000 a year; gp (GP1) -> pci (RTD) 0.2 -> rehab (RTD) 0.9 -> care (LA1) 0.1 -> pci 0.05.
# pci = 200 / 0.9955; provider hand-offs gp -> pci 200, rehab -> care 0.09 pci, care -> pci 0.0045 pci.
PCI = 200 / 0.9955


def with_names(columns: list[str], named: list[str]) -> list[str]:
    """The command line puts a name column beside each id column: ``x`` then ``x_name``."""
    return [name for column in columns for name in ([column, f"{column}_name"] if column in named else [column])]


def run(capsys, *argv: str) -> tuple[int, pd.DataFrame]:
    status = main([*argv, "--format", "csv"])
    out = capsys.readouterr().out
    return status, pd.read_csv(io.StringIO(out)) if out else pd.DataFrame()


def test_cli_list(small_model, capsys):
    status, frame = run(capsys, "handoffs", "list", str(small_model))
    assert status == 0
    assert list(frame.columns) == with_names(HANDOFF_COLUMNS, ["from_step", "to_step", "from_value", "to_value"])
    assert frame["kind"].tolist() == ["LA1 -> RTD", "GP1 -> RTD", "RTD -> LA1"]  # care, gp, rehab
    assert frame["from_value_name"].tolist() == ["Example council", "Example practice",
                                                 "The Newcastle upon Tyne Hospitals NHS Foundation Trust"]
    assert frame["to_step_name"].tolist() == ["PCI", "PCI", "Reablement"]
    assert frame["patients_per_year"].tolist() == pytest.approx([0.0045 * PCI, 200, 0.09 * PCI])


def test_cli_summary_routes_hotspots(small_model, capsys):
    status, summary = run(capsys, "handoffs", "summary", str(small_model), "--by", "setting")
    assert status == 0 and list(summary.columns) == with_names(SUMMARY_COLUMNS, ["pathway"])
    # every transition changes setting: 200 + 0.9 PCI + 0.09 PCI + 0.0045 PCI = 200 + 0.9945 PCI per 1,000
    assert summary["handoffs_per_patient"].item() == pytest.approx((200 + 0.9945 * PCI) / 1000)
    status, routes = run(capsys, "handoffs", "routes", str(small_model), "--pathway", "chest-pain", "-k", "2")
    # 80% leave after the GP; 0.2 x 0.9 x 0.9 = 0.162 go gp > pci > rehab and leave
    assert status == 0 and list(routes.columns) == with_names(ROUTE_COLUMNS, ["pathway"])
    assert routes["route"].tolist() == ["gp", "gp > pci > rehab"]
    assert routes["probability"].tolist() == pytest.approx([0.8, 0.162])
    status, hot = run(capsys, "handoffs", "hotspots", str(small_model), "--by", "sector")
    assert status == 0 and list(hot.columns) == with_names(HOTSPOT_COLUMNS, ["value"])
    assert hot["value_name"].isna().all()  # sectors are not organisations: no names
    assert hot["value"].tolist() == ["health", "social_care"]  # both ends of the same two hand-offs: a tie
    assert math.isclose(hot["patients_total"].iloc[0], 0.0945 * PCI)


def test_cli_bad_input_exits_2(small_model, capsys):
    assert main(["handoffs", "list", str(small_model), "--pathway", "nope"]) == 2
    assert "unknown pathway 'nope' (known: chest-pain)" in capsys.readouterr().err
    with pytest.raises(SystemExit) as stop:
        main(["handoffs", "list", str(small_model), "--by", "team"])
    assert stop.value.code == 2
    assert "invalid choice: 'team'" in capsys.readouterr().err
    assert main(["handoffs", "routes", str(small_model), "-k", "1", "--as-at", "2024-06-01",
                 "--format", "csv"]) == 0  # every pathway, without --pathway
    assert capsys.readouterr().out.splitlines()[1].startswith("chest-pain,Chest pain to PCI (hand-made test pathway),1,"
                                                              "gp,1,")
