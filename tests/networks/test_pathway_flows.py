"""Exact pathway flows (absorbing Markov chain), checked against arithmetic done by hand.

Every pathway here is built in the test; every expected number is worked
out in the comments beside it, never computed by the code under test.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from caregraph import CareGraph, ValidationError, load_model
from networks.pathway_flows import ENTRY_COLUMNS, TRANSITION_COLUMNS, pathway_flows, solve_flows, step_table


def build(
    steps: list[str],
    transitions: list[tuple[str, str, dict[str, Any]]],
    start: dict[str, dict[str, Any]] | None = None,
    patients: float | None = None,
) -> CareGraph:
    """Pathway ``p`` with steps ``p/<name>``; ``start`` maps steps to STARTS_AT properties."""
    g = CareGraph("flows")
    g.add_node("p", "Pathway", **({} if patients is None else {"patients_per_year": patients}))
    for step in steps:
        g.add_node(f"p/{step}", "Step", pathway="p", setting="acute")
        g.add_edge("p", f"p/{step}", "HAS_STEP")
    for step, props in (start or {}).items():
        g.add_edge("p", f"p/{step}", "STARTS_AT", **props)
    for u, v, props in transitions:
        g.add_edge(f"p/{u}", f"p/{v}", "NEXT", **props)
    return g


def moved(flows, column: str = "patients_per_year") -> dict[tuple[str, str], float]:
    frame = flows.transitions
    return {(u[2:], v[2:]): x for u, v, x in zip(frame.from_step, frame.to_step, frame[column], strict=True)}


def test_chain():
    # 100 enter at a; a -> b 0.5; b -> c 0.4: visits 100, 50 (= 100 x 0.5), 20 (= 50 x 0.4)
    g = build(["a", "b", "c"], [("a", "b", {"probability": 0.5}), ("b", "c", {"probability": 0.4})],
              {"a": {"probability": 1.0}}, patients=100)
    flows = pathway_flows(g, "p")
    assert flows.entrants == 100 and not flows.per_patient
    assert flows.visits == pytest.approx({"p/a": 100, "p/b": 50, "p/c": 20})
    assert moved(flows) == pytest.approx({("a", "b"): 50, ("b", "c"): 20})
    assert moved(flows, "share") == pytest.approx({("a", "b"): 0.5, ("b", "c"): 0.2})
    assert list(flows.transitions.columns) == [*TRANSITION_COLUMNS, "share"]


def test_branch_leaves_the_rest_at_the_step():
    # 1,000 enter at a; 30% to b, 60% to c, the other 10% leave at a
    g = build(["a", "b", "c"], [("a", "b", {"probability": 0.3}), ("a", "c", {"probability": 0.6})],
              {"a": {"probability": 1.0}}, patients=1000)
    flows = pathway_flows(g, "p")
    assert flows.visits == pytest.approx({"p/a": 1000, "p/b": 300, "p/c": 600})
    assert moved(flows) == pytest.approx({("a", "b"): 300, ("a", "c"): 600})


def test_loop_is_a_geometric_series():
    # 100 enter at a; a -> b always; b goes back to a half the time, on to c a quarter.
    # Each pass round the loop keeps half the patients: a = 100 (1 + 1/2 + 1/4 + ...) = 200,
    # equivalently a = 100 + 0.5 b with b = a. Then b = 200, c = 0.25 x 200 = 50.
    # Check: leaving b (0.25 x 200 = 50) plus leaving c (50) = the 100 entrants.
    g = build(["a", "b", "c"],
              [("a", "b", {"probability": 1.0}), ("b", "a", {"probability": 0.5}),
               ("b", "c", {"probability": 0.25})],
              {"a": {"probability": 1.0}}, patients=100)
    flows = pathway_flows(g, "p")
    assert flows.visits == pytest.approx({"p/a": 200, "p/b": 200, "p/c": 50})
    assert moved(flows) == pytest.approx({("a", "b"): 200, ("b", "a"): 100, ("b", "c"): 50})
    assert moved(flows, "share") == pytest.approx({("a", "b"): 2.0, ("b", "a"): 1.0, ("b", "c"): 0.5})


def test_volumes_and_probabilities_mix():
    # 1,000 a year enter at a (a volume); 300 a year go a -> b and 100 a year come back b -> a
    # (volumes); half of b's visits go on to c (a probability).
    # a = 1000 + 100 = 1100; b = 300; c = 0.5 x 300 = 150.
    # Probabilities read from the volumes: a -> b 300 / 1100 = 3/11, b -> a 100 / 300 = 1/3.
    g = build(["a", "b", "c"],
              [("a", "b", {"patients_per_year": 300}), ("b", "a", {"patients_per_year": 100}),
               ("b", "c", {"probability": 0.5})],
              {"a": {"patients_per_year": 1000}})
    flows = pathway_flows(g, "p")
    assert flows.entrants == 1000 and not flows.per_patient
    assert flows.visits == pytest.approx({"p/a": 1100, "p/b": 300, "p/c": 150})
    assert moved(flows) == pytest.approx({("a", "b"): 300, ("b", "a"): 100, ("b", "c"): 150})
    assert moved(flows, "probability") == pytest.approx({("a", "b"): 3 / 11, ("b", "a"): 1 / 3, ("b", "c"): 0.5})
    assert moved(flows, "share")[("b", "c")] == pytest.approx(0.15)  # 150 / 1000


def test_several_entry_points_share_the_pathway_volume():
    # 500 a year: 60% start at a (300), 40% at b (200); a -> b 0.5 adds 150 to b: b = 350
    g = build(["a", "b"], [("a", "b", {"probability": 0.5})],
              {"a": {"probability": 0.6}, "b": {"probability": 0.4}}, patients=500)
    flows = pathway_flows(g, "p")
    assert flows.visits == pytest.approx({"p/a": 300, "p/b": 350})
    assert moved(flows) == pytest.approx({("a", "b"): 150})


def test_per_patient_when_no_volume_is_given():
    # no patients_per_year anywhere: flows read per patient entering (entrants = 1)
    g = build(["a", "b"], [("a", "b", {"probability": 0.25})], {"a": {"probability": 1.0}})
    flows = pathway_flows(g, "p")
    assert flows.per_patient and flows.entrants == 1.0
    assert moved(flows) == pytest.approx({("a", "b"): 0.25})
    assert moved(flows, "share") == pytest.approx({("a", "b"): 0.25})


def test_solve_flows_from_tables_alone():
    # the backend-neutral core on tables made by hand: the loop test above
    entries = pd.DataFrame([["p", "p/a", 1.0, None, 100.0]], columns=ENTRY_COLUMNS)
    transitions = pd.DataFrame([["p", "p/a", "p/b", 1.0, None], ["p", "p/b", "p/a", 0.5, None],
                                ["p", "p/b", "p/c", 0.25, None]], columns=TRANSITION_COLUMNS)
    flows = solve_flows("p", ["p/a", "p/b", "p/c"], entries, transitions.astype({"patients_per_year": float}))
    assert flows.visits == pytest.approx({"p/a": 200, "p/b": 200, "p/c": 50})
    assert flows.transitions["patients_per_year"].tolist() == pytest.approx([200, 100, 50])


def test_the_small_model_by_hand(small_model):
    # 1,000 see the GP, 20% go to PCI; PCI -> rehab 0.9 -> care 0.1 -> PCI 0.05:
    # pci = 200 + 0.05 x 0.1 x 0.9 pci = 200 / 0.9955; rehab = 0.9 pci; care = 0.09 pci
    flows = pathway_flows(load_model(small_model), "chest-pain")
    pci = 200 / 0.9955
    assert flows.visits == pytest.approx({"chest-pain/gp": 1000, "chest-pain/pci": pci,
                                          "chest-pain/rehab": 0.9 * pci, "chest-pain/care": 0.09 * pci})
    assert step_table(load_model(small_model)).shape == (4, 9)


def test_a_loop_patients_never_leave_is_an_error():
    # a -> b -> a with probability 1 both ways: nobody ever leaves, the chain is not absorbing
    g = build(["a", "b"], [("a", "b", {"probability": 1.0}), ("b", "a", {"probability": 1.0})],
              {"a": {"probability": 1.0}}, patients=10)
    with pytest.raises(ValidationError, match="never leave the loop a -> b -> a"):
        pathway_flows(g, "p")


def test_no_start_step_is_an_error():
    g = build(["a", "b"], [("a", "b", {"probability": 0.5})], patients=10)
    with pytest.raises(ValidationError, match=r"pathway 'p'.*no start step"):
        pathway_flows(g, "p")


def test_start_mixing_probabilities_and_volumes_is_an_error():
    g = build(["a", "b"], [], {"a": {"probability": 0.5}, "b": {"patients_per_year": 10}})
    with pytest.raises(ValidationError, match="mixes probabilities and patients_per_year"):
        pathway_flows(g, "p")


def test_unknown_pathway_is_an_error():
    g = build(["a"], [], {"a": {"probability": 1.0}})
    with pytest.raises(ValidationError, match="unknown pathway 'q' \\(known: p\\)"):
        pathway_flows(g, "q")


def test_a_step_paid_from_two_dated_budgets_needs_a_date():
    # the PCI step moves from NHS England's budget to the ICB's on 2025-04-01 (delegation)
    g = CareGraph()
    g.add_node("X24", "NHSEngland")
    g.add_node("QHM", "ICB")
    g.add_node("spec", "Budget", stream="nhse_specialised")
    g.add_node("core", "Budget", stream="icb_core")
    g.add_edge("spec", "X24", "HELD_BY")
    g.add_edge("core", "QHM", "HELD_BY")
    g.add_node("p", "Pathway")
    g.add_node("p/pci", "Step", pathway="p", setting="specialised")
    g.add_edge("p", "p/pci", "HAS_STEP")
    g.add_edge("p/pci", "spec", "PAID_FROM", valid_to="2025-03-31")
    g.add_edge("p/pci", "core", "PAID_FROM", valid_from="2025-04-01")
    with pytest.raises(ValidationError, match=r"step 'p/pci', field 'budget': several in force \(core, spec\)"):
        step_table(g)
    assert step_table(g.as_at("2025-01-01"))["budget"].tolist() == ["spec"]
    assert step_table(g.as_at("2025-04-01"))["budget"].tolist() == ["core"]
