"""Budget boundary crossings, checked against flows worked out by hand.

The hand-made pathway ``p`` (1,000 patients a year enter at ``a``)::

    a (ICB core, 10)  --0.5-->  b (NHS England specialised, 100)
    b --0.8--> c (ICB Better Care Fund contribution, 20)
    c --0.5--> d (council adult social care, 50)
    d --0.2--> b                                  (loop: readmission)
    c --0.25--> e (ICB core, no cost)

Visits: ``b = 500 + 0.2 d``, ``c = 0.8 b``, ``d = 0.5 c = 0.4 b``, so
``b = 500 + 0.08 b`` and ``b = 500 / 0.92 = 12500/23``; then
``c = 10000/23``, ``d = 5000/23``, ``e = 0.25 c = 2500/23`` and the loop
``d -> b`` carries ``0.2 d = 1000/23``. The Better Care Fund pool (s75)
joins ``c``'s and ``d``'s budgets from 2024-04-01.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from caregraph import ArgumentError, CareGraph, ValidationError, load_model
from caregraph.cli import main
from networks.pathway_flows import pathway_flows, step_table
from pathways.crossings import (
    CROSSING_COLUMNS,
    crossing_summary,
    crossings_from_tables,
    find_budget_crossings,
    legal_bases,
)
from pathways.tables import BUDGET_COLUMNS, POOL_COLUMNS, budget_table, pool_table

BUDGETS = {
    "spec": ("X24", "NHSEngland", "nhse_specialised"),
    "core": ("ICB1", "ICB", "icb_core"),
    "bcf": ("ICB1", "ICB", "better_care_fund"),
    "asc": ("LA1", "LocalAuthority", "la_social_care"),
}
STEPS = {"a": ("core", 10.0), "b": ("spec", 100.0), "c": ("bcf", 20.0), "d": ("asc", 50.0), "e": ("core", None)}
TRANSITIONS = [("a", "b", 0.5), ("b", "c", 0.8), ("c", "d", 0.5), ("d", "b", 0.2), ("c", "e", 0.25)]
BCF = ("bcf-pool", "s75", ("bcf", "asc"), "2024-04-01")


def build(
    budgets: dict[str, tuple[str, str, str]],
    steps: dict[str, tuple[str, float | None]],
    transitions: list[tuple[str, str, float]],
    pools: tuple[tuple[str, str, tuple[str, ...], str | None], ...] = (),
    *,
    entrants: float = 1000.0,
    volumes: bool = False,
) -> CareGraph:
    """A one-pathway model: the first step is the start; transitions are probabilities or volumes."""
    g = CareGraph("hand-made")
    for holder, kind in dict.fromkeys((h, k) for h, k, _ in budgets.values()):
        g.add_node(holder, kind)
    for budget, (holder, _, stream) in budgets.items():
        g.add_node(budget, "Budget", stream=stream)
        g.add_edge(budget, holder, "HELD_BY")
    for pool, basis, members, valid_from in pools:
        g.add_node(pool, "Pool", legal_basis=basis, valid_from=valid_from)
        for member in members:
            g.add_edge(member, pool, "IN_POOL")
    g.add_node("prov", "NHSTrust")
    g.add_node("svc", "Service", specialised=False)
    g.add_node("p", "Pathway", patients_per_year=entrants)
    for local, (budget, cost) in steps.items():
        sid = f"p/{local}"
        g.add_node(sid, "Step", pathway="p", setting="acute", **({} if cost is None else {"unit_cost": cost}))
        g.add_edge("p", sid, "HAS_STEP")
        g.add_edge(sid, "svc", "OF_SERVICE")
        g.add_edge(sid, "prov", "DELIVERED_BY")
        g.add_edge(sid, budget, "PAID_FROM")
    g.add_edge("p", f"p/{next(iter(steps))}", "STARTS_AT", probability=1.0)
    for a, b, value in transitions:
        g.add_edge(f"p/{a}", f"p/{b}", "NEXT", **({"patients_per_year": value} if volumes else {"probability": value}))
    return g


@pytest.fixture
def loop_model() -> CareGraph:
    return build(BUDGETS, STEPS, TRANSITIONS, (BCF,))


def _pairs(frame: pd.DataFrame) -> list[tuple[str, str]]:
    return [(f.removeprefix("p/"), t.removeprefix("p/")) for f, t in zip(frame.from_step, frame.to_step, strict=True)]


def test_crossings_with_a_loop_and_the_pool_counting_whatever_its_dates(loop_model):
    x = find_budget_crossings(loop_model)
    assert list(x.columns) == CROSSING_COLUMNS
    # c -> d is inside the BCF pool; c -> e changes budget within one commissioner and still crosses
    assert _pairs(x) == [("a", "b"), ("b", "c"), ("c", "e"), ("d", "b")]
    rows = x.set_index(x.from_step.str[2:] + x.to_step.str[2:])
    assert rows.loc["ab", "patients_per_year"] == pytest.approx(500)
    assert rows.loc["ab", "money_gbp"] == pytest.approx(500 * 100)
    assert rows.loc["bc", "patients_per_year"] == pytest.approx(10000 / 23)  # 0.8 * 12500/23
    assert rows.loc["bc", "money_gbp"] == pytest.approx(10000 / 23 * 20)
    assert rows.loc["db", "patients_per_year"] == pytest.approx(1000 / 23)  # the loop, 0.2 * 5000/23
    assert rows.loc["db", "money_gbp"] == pytest.approx(1000 / 23 * 100)
    assert rows.loc["ce", "patients_per_year"] == pytest.approx(2500 / 23)
    assert math.isnan(rows.loc["ce", "money_gbp"]) and math.isnan(rows.loc["ce", "unit_cost_gbp"])
    assert rows.loc["ab", ["from_holder", "to_holder", "from_stream", "to_stream"]].tolist() == [
        "ICB1", "X24", "icb_core", "nhse_specialised"]
    # legal bases: ICB + NHS England s65Z5; council + NHS England none; one commissioner's two budgets none
    assert rows["legal_basis"].to_dict() == {"ab": "s65Z5", "bc": "s65Z5", "ce": None, "db": None}


def test_a_pool_not_yet_in_force_joins_nothing(loop_model):
    before = find_budget_crossings(loop_model, as_at="2024-03-31")
    assert _pairs(before) == [("a", "b"), ("b", "c"), ("c", "d"), ("c", "e"), ("d", "b")]
    cd = before.loc[before.to_step == "p/d"].iloc[0]
    assert cd["legal_basis"] == "s75"
    assert cd["patients_per_year"] == pytest.approx(5000 / 23)  # 0.5 * 10000/23
    assert cd["money_gbp"] == pytest.approx(5000 / 23 * 50)
    assert _pairs(find_budget_crossings(loop_model, as_at="2024-04-01")) == _pairs(find_budget_crossings(loop_model))


def test_summary_is_exact_per_patient(loop_model):
    s = crossing_summary(loop_model)
    row = s.iloc[0]
    assert (row["transitions"], row["crossings"]) == (5, 4)
    # 500 + 10000/23 + 2500/23 + 1000/23 = 500 + 13500/23
    assert row["patients_crossing"] == pytest.approx(500 + 13500 / 23)
    # known money only: 50000 + 200000/23 + 100000/23 (c -> e has no cost)
    assert row["money_crossing_gbp"] == pytest.approx(50000 + 300000 / 23)
    assert row["crossings_per_patient"] == pytest.approx((500 + 13500 / 23) / 1000)


def test_the_fixture_model_matches_its_hand_count(small_model):
    g = load_model(small_model)
    # PCI visits v = 200 + 0.05 * 0.1 * 0.9 v, v = 200 / 0.9955
    v = 200 / 0.9955
    x = find_budget_crossings(g, "chest-pain")
    assert x["patients_per_year"].tolist() == pytest.approx([0.05 * 0.1 * 0.9 * v, 200, 0.9 * v])
    assert x["money_gbp"].tolist() == pytest.approx([0.05 * 0.1 * 0.9 * v * 5000, 200 * 5000, 0.9 * v * 500])
    before = find_budget_crossings(g, as_at="2024-03-31")
    assert len(before) == 4
    assert before.loc[before.to_step == "chest-pain/care", "money_gbp"].item() == pytest.approx(0.1 * 0.9 * v * 800)


def test_a_step_paid_from_dated_budgets_crosses_until_the_change(model_copy):
    # PCI is delegated: NHS England pays to 2025-03-31, the ICB from 2025-04-01 (the pathway file dates the links)
    path = model_copy / "pathways" / "chest-pain.yaml"
    path.write_text(path.read_text().replace(
        "budget: nhse-spec", "budget: [{id: nhse-spec, valid_to: 2025-03-31}, {id: qhm-core, valid_from: 2025-04-01}]"))
    g = load_model(model_copy)
    before = find_budget_crossings(g, as_at="2025-03-31")
    # gp -> pci and pci -> rehab (ICB core <-> NHS England), care -> pci (council -> NHS England); rehab -> care pooled
    assert set(zip(before.from_step, before.to_step, strict=True)) == {
        ("chest-pain/gp", "chest-pain/pci"), ("chest-pain/pci", "chest-pain/rehab"),
        ("chest-pain/care", "chest-pain/pci")}
    # from the delegation PCI is ICB core money: nothing crosses (care -> pci is inside the Better Care Fund pool)
    assert find_budget_crossings(g, as_at="2025-04-01").empty
    with pytest.raises(ValidationError, match=r"several in force \(nhse-spec, qhm-core\)"):
        step_table(g)


def test_frames_are_backend_neutral(loop_model):
    budgets, pools = budget_table(loop_model), pool_table(loop_model)
    assert list(budgets.columns) == BUDGET_COLUMNS and list(pools.columns) == POOL_COLUMNS
    assert pools.iloc[0].tolist() == ["bcf-pool", None, "s75", "2024-04-01", None, ("asc", "bcf")]
    flows = pathway_flows(loop_model, "p").transitions
    core = crossings_from_tables(step_table(loop_model), flows, budgets, pools)
    pd.testing.assert_frame_equal(core, find_budget_crossings(loop_model))


@pytest.mark.parametrize(
    ("holders", "expected"),
    [
        ({"ICB1": "ICB", "LA1": "LocalAuthority"}, ("s75",)),
        ({"CCG1": "CCG", "LA1": "LocalAuthority", "LA2": "LocalAuthority"}, ("s75",)),
        ({"ICB1": "ICB", "X24": "NHSEngland"}, ("s65Z5", "s65Z6")),
        ({"ICB1": "ICB", "ICB2": "ICB"}, ("s65Z5", "s65Z6")),
        ({"ICB1": "SubICBLocation", "Y58": "NHSERegion"}, ("s65Z5", "s65Z6")),
        ({"CCG1": "CCG", "X24": "NHSEngland"}, ("s13V",)),
        ({"X24": "NHSEngland", "LA1": "LocalAuthority"}, ()),
        ({"X24": "NHSEngland", "ICB1": "ICB", "LA1": "LocalAuthority"}, ()),
        ({"ICB1": "ICB", "CCG1": "CCG", "LA1": "LocalAuthority"}, ()),
        ({"LA1": "LocalAuthority", "LA2": "LocalAuthority"}, ()),
        ({"X24": "NHSEngland", "Y58": "NHSERegion"}, ()),
        ({"ICB1": "ICB"}, ()),
        ({"ICB1": "ICB", "RTD": "NHSTrust"}, ()),
        ({"ICB1": "ICB", "LA1": None}, ()),
    ],
)
def test_legal_bases(holders, expected):
    assert legal_bases(holders) == expected


def test_a_budget_with_two_holders_needs_a_date():
    g = build({"b1": ("ICB1", "ICB", "icb_core"), "b2": ("LA1", "LocalAuthority", "la_social_care")},
              {"x": ("b1", 1.0), "y": ("b2", 1.0)}, [("x", "y", 0.5)])
    g.add_node("ICB2", "ICB")
    g.add_edge("b1", "ICB2", "HELD_BY", valid_from="2026-04-01")
    with pytest.raises(ValidationError, match="budget 'b1', field 'holder': held by several commissioners"):
        find_budget_crossings(g)
    assert len(find_budget_crossings(g, as_at="2026-03-01")) == 1


def test_bad_input_is_named():
    g = build(BUDGETS, STEPS, TRANSITIONS)
    with pytest.raises(ValidationError, match="unknown pathway 'nope'"):
        find_budget_crossings(g, "nope")
    with pytest.raises(ArgumentError, match="as-at date"):
        find_budget_crossings(g, as_at="1 April 2024")
    g.add_node("q", "Pathway")
    with pytest.raises(ValidationError, match=r"pathway 'q'.*no start step"):
        crossing_summary(g)


def test_a_step_without_a_budget_in_force_is_named():
    g = build({"b1": ("ICB1", "ICB", "icb_core")}, {"x": ("b1", 1.0)}, [])
    g.add_node("b2", "Budget", stream="other")
    g.add_node("p/y", "Step", pathway="p", setting="acute")
    g.add_edge("p", "p/y", "HAS_STEP")
    g.add_edge("p/y", "b2", "PAID_FROM", valid_to="2020-03-31")
    g.add_edge("p/x", "p/y", "NEXT", probability=0.5)
    with pytest.raises(ValidationError, match="step 'p/y', field 'budget': the step has no budget"):
        find_budget_crossings(g, as_at="2024-01-01")


def test_cli_lists_crossings_and_exits_2_on_bad_input(small_model, capsys):
    assert main(["crossings", str(small_model), "--as-at", "2024-03-31", "--format", "csv"]) == 0
    named = ("from_step", "to_step", "from_budget", "to_budget", "from_holder", "to_holder")
    header = [name for column in CROSSING_COLUMNS for name in ([column, f"{column}_name"] if column in named
                                                                 else [column])]
    assert capsys.readouterr().out.splitlines()[0] == ",".join(header)
    assert main(["crossings", str(small_model), "--pathway", "nope"]) == 2
    assert "unknown pathway 'nope'" in capsys.readouterr().err
    assert main(["crossings", str(small_model), "--as-at", "2024-13-01"]) == 2
