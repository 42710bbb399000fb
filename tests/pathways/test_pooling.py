"""Pooling what-ifs and suggestions, with hand-worked removals and greedy against exhaustive search.

The loop model is the one of ``test_crossings`` (1,000 patients enter at
``a``; ``b = 12500/23`` visits), with budgets ``core`` and ``bcf`` (one
ICB), ``spec`` (NHS England) and ``asc`` (a council). Crossing flows by
pair of budgets (patients a year): core-spec 500 (a -> b), spec-bcf
10000/23 (b -> c), bcf-core 2500/23 (c -> e), asc-spec 1000/23 (d -> b),
and bcf-asc 5000/23 (c -> d) only while the BCF pool is not in force.
"""

from __future__ import annotations

import itertools
import random

import pytest

from caregraph import ArgumentError, CareGraph, ValidationError
from caregraph.cli import main
from pathways.crossings import legal_bases
from pathways.pooling import (
    EXHAUSTIVE_LIMIT,
    SUGGESTION_COLUMNS,
    TOTAL_ROW,
    WHAT_IF_COLUMNS,
    pool_what_if,
    suggest_pools,
)

BUDGETS = {
    "spec": ("X24", "NHSEngland", "nhse_specialised"),
    "core": ("ICB1", "ICB", "icb_core"),
    "bcf": ("ICB1", "ICB", "better_care_fund"),
    "asc": ("LA1", "LocalAuthority", "la_social_care"),
    "ph": ("LA1", "LocalAuthority", "la_public_health"),
}
STEPS = {"a": ("core", 10.0), "b": ("spec", 100.0), "c": ("bcf", 20.0), "d": ("asc", 50.0), "e": ("core", None)}
TRANSITIONS = [("a", "b", 0.5), ("b", "c", 0.8), ("c", "d", 0.5), ("d", "b", 0.2), ("c", "e", 0.25)]


def build(
    budgets: dict[str, tuple[str, str, str]],
    steps: dict[str, tuple[str, float | None]],
    transitions: list[tuple[str, str, float]],
    *,
    pool: tuple[str, ...] = (),
    volumes: bool = False,
) -> CareGraph:
    """A one-pathway model (first step is the start), optionally with an s75 pool from 2024-04-01."""
    g = CareGraph("hand-made")
    for holder, kind in dict.fromkeys((h, k) for h, k, _ in budgets.values()):
        g.add_node(holder, kind)
    for budget, (holder, _, stream) in budgets.items():
        g.add_node(budget, "Budget", stream=stream)
        g.add_edge(budget, holder, "HELD_BY")
    if pool:
        g.add_node("bcf-pool", "Pool", legal_basis="s75", valid_from="2024-04-01")
        for member in pool:
            g.add_edge(member, "bcf-pool", "IN_POOL")
    g.add_node("prov", "NHSTrust")
    g.add_node("svc", "Service", specialised=False)
    g.add_node("p", "Pathway", patients_per_year=1000.0)
    for local, (budget, cost) in steps.items():
        sid = f"p/{local}"
        g.add_node(sid, "Step", pathway="p", setting="acute", **({} if cost is None else {"unit_cost": cost}))
        for target, rel in (("p", "HAS_STEP"), ("svc", "OF_SERVICE"), ("prov", "DELIVERED_BY"), (budget, "PAID_FROM")):
            g.add_edge(*((target, sid) if rel == "HAS_STEP" else (sid, target)), rel)
    g.add_edge("p", f"p/{next(iter(steps))}", "STARTS_AT", probability=1.0)
    for a, b, value in transitions:
        g.add_edge(f"p/{a}", f"p/{b}", "NEXT", **({"patients_per_year": value} if volumes else {"probability": value}))
    return g


@pytest.fixture
def loop_model() -> CareGraph:
    return build(BUDGETS, STEPS, TRANSITIONS, pool=("bcf", "asc"))


def _total(frame):
    return frame.loc[frame.pathway == TOTAL_ROW].iloc[0]


def test_what_if_removes_the_pairs_inside_the_pool(loop_model):
    w = pool_what_if(loop_model, ["core", "spec"])
    assert list(w.columns) == WHAT_IF_COLUMNS and w.pathway.tolist() == ["p", TOTAL_ROW]
    t = _total(w)
    assert (t["legal_basis"], t["budgets"]) == ("s65Z5", "core;spec")
    assert (t["crossings_before"], t["crossings_removed"], t["crossings_after"]) == (4, 1, 3)  # only a -> b
    assert t["patients_removed"] == pytest.approx(500)
    assert t["patients_before"] == pytest.approx(500 + 13500 / 23)
    assert t["money_removed_gbp"] == pytest.approx(500 * 100)
    # three budgets of two commissioners: a -> b, b -> c and c -> e all go; 500 + 12500/23 patients
    t3 = _total(pool_what_if(loop_model, ["spec", "core", "bcf"], legal_basis="s65Z6"))
    assert (t3["legal_basis"], t3["crossings_removed"]) == ("s65Z6", 3)
    assert t3["patients_removed"] == pytest.approx(500 + 12500 / 23)
    assert t3["money_removed_gbp"] == pytest.approx(50000 + 200000 / 23)  # c -> e has no cost
    assert t3["patients_after"] == pytest.approx(1000 / 23)


def test_what_if_respects_the_date_of_existing_pools(loop_model):
    # before 2024-04-01 the BCF pool is not in force, so pooling bcf + asc anew removes c -> d (5000/23)
    early = _total(pool_what_if(loop_model, ["bcf", "asc"], as_at="2024-03-31"))
    assert early["patients_removed"] == pytest.approx(5000 / 23)
    assert _total(pool_what_if(loop_model, ["bcf", "asc"]))["crossings_removed"] == 0


@pytest.mark.parametrize(
    ("budgets", "basis", "message"),
    [
        (["spec", "asc"], None, "no legal basis can pool spec held by X24 \\(NHSEngland\\); asc held by LA1"),
        (["core", "bcf"], None, "no legal basis"),  # one commissioner: no pool needed
        (["asc", "ph"], None, "no legal basis"),
        (["core", "asc"], "s65Z5", "field 'legal_basis': 's65Z5' cannot pool .* allowed: s75"),
        (["core", "nope"], None, "unknown budget\\(s\\): nope"),
        (["core"], None, "two or more different budgets"),
        (["core", "core"], None, "two or more different budgets"),
    ],
)
def test_what_if_refuses_what_the_law_does_not_allow(loop_model, budgets, basis, message):
    with pytest.raises(ValidationError, match=message):
        pool_what_if(loop_model, budgets, legal_basis=basis)


def test_suggestions_on_the_loop_model(loop_model):
    # legal sets with removals (as at 2024-03-31): {core,spec} 500, {spec,bcf} 10000/23,
    # {core,bcf,spec} 500 + 12500/23, {bcf,asc} 5000/23, {core,bcf,asc} 7500/23; disjoint plans:
    # {core,bcf,spec} alone (1043.48) beats {core,spec} + {bcf,asc} (717.39); nothing legal is left for a 2nd
    for method in ("greedy", "exhaustive"):
        s = suggest_pools(loop_model, 2, as_at="2024-03-31", method=method)
        assert list(s.columns) == SUGGESTION_COLUMNS
        assert s[["rank", "budgets", "holders", "legal_basis", "crossings_removed"]].values.tolist() == [
            [1, "bcf;core;spec", "ICB1;X24", "s65Z5", 3]]
        assert s.loc[0, "patients_removed"] == pytest.approx(500 + 12500 / 23)


TRAP = {  # greedy takes the best pair {N, I1} and so uses I1, which the s75 pool {I1, I2, L} needed
    "N": ("X24", "NHSEngland", "nhse_specialised"),
    "I1": ("ICB1", "ICB", "icb_core"),
    "I2": ("ICB1", "ICB", "better_care_fund"),
    "L": ("LA1", "LocalAuthority", "la_social_care"),
}


def trap_model() -> CareGraph:
    # volumes: I1 -> N 100, I1 -> L 90, L -> I2 60 patients a year
    return build(TRAP, {"s1": ("I1", 1.0), "s2": ("N", 1.0), "s3": ("L", 1.0), "s4": ("I2", 1.0)},
                 [("s1", "s2", 100.0), ("s1", "s3", 90.0), ("s3", "s4", 60.0)], volumes=True)


def test_greedy_can_lose_to_exhaustive_search():
    g = trap_model()
    greedy = suggest_pools(g, 1, method="greedy")
    best = suggest_pools(g, 1, method="exhaustive")
    assert greedy[["budgets", "legal_basis", "patients_removed"]].values.tolist() == [["I1;N", "s65Z5", 100.0]]
    assert best[["budgets", "legal_basis", "patients_removed"]].values.tolist() == [["I1;I2;L", "s75", 150.0]]
    # with two pools both reach 160: {I1, N} (100) and {I2, L} (60)
    for method in ("greedy", "exhaustive"):
        s = suggest_pools(g, 2, method=method)
        assert sorted(s.budgets) == ["I1;N", "I2;L"] and s.patients_removed.sum() == pytest.approx(160)


def _brute_force(flows: dict[frozenset[str], float], holders: dict[str, tuple[str, str]], k: int) -> float:
    """Best removal over every plan of up to k disjoint legal sets, by plain enumeration."""
    budgets = sorted({b for pair in flows for b in pair})
    sets = [s for n in range(2, len(budgets) + 1) for s in itertools.combinations(budgets, n)
            if legal_bases({holders[b][0]: holders[b][1] for b in s})]

    def removal(s):
        return sum(v for pair, v in flows.items() if pair <= set(s))

    best = 0.0
    for n in range(1, k + 1):
        for plan in itertools.combinations(sets, n):
            members = [b for s in plan for b in s]
            if len(members) == len(set(members)):
                best = max(best, sum(removal(s) for s in plan))
    return best


RANDOM_BUDGETS = {
    "n1": ("X24", "NHSEngland", "nhse_specialised"),
    "i1": ("ICB1", "ICB", "icb_core"),
    "i2": ("ICB1", "ICB", "better_care_fund"),
    "j1": ("ICB2", "ICB", "icb_core"),
    "l1": ("LA1", "LocalAuthority", "la_social_care"),
    "l2": ("LA1", "LocalAuthority", "la_public_health"),
    "m1": ("LA2", "LocalAuthority", "la_social_care"),
}


@pytest.mark.parametrize("seed", range(12))
def test_greedy_never_beats_exhaustive_and_exhaustive_is_optimal(seed):
    rng = random.Random(seed)
    names = sorted(RANDOM_BUDGETS)
    steps = {f"s{i}": (b, None) for i, b in enumerate(names)}
    start = {"start": ("i1", None)}
    # every step reachable: 100 of the 1,000 entrants go to each, and no step sends on more than reach it
    # (at most 6 x 5.0 = 30 a year), so the flows conserve patients
    edges = [("start", f"s{i}", 100.0) for i in range(len(names))]
    for a, b in itertools.combinations(range(len(names)), 2):
        if rng.random() < 0.45:
            edges.append((f"s{a}", f"s{b}", rng.randint(1, 50) / 10))
    g = build(RANDOM_BUDGETS, {**start, **steps}, edges, volumes=True)
    flows: dict[frozenset[str], float] = {}
    for a, b, value in edges:
        x, y = ({**start, **steps}[a][0], {**start, **steps}[b][0])
        if x != y:
            flows[frozenset((x, y))] = flows.get(frozenset((x, y)), 0.0) + value
    holders = {b: (h, k) for b, (h, k, _) in RANDOM_BUDGETS.items()}
    for k in (1, 2, 3):
        exhaustive = suggest_pools(g, k, method="exhaustive").patients_removed.sum()
        greedy = suggest_pools(g, k, method="greedy").patients_removed.sum()
        assert exhaustive == pytest.approx(_brute_force(flows, holders, k))
        assert greedy <= exhaustive + 1e-9
        assert greedy > 0


def test_suggestion_arguments_are_checked(loop_model):
    with pytest.raises(ArgumentError, match="k must be at least 1"):
        suggest_pools(loop_model, 0)
    with pytest.raises(ArgumentError, match="method='best' is not one of"):
        suggest_pools(loop_model, 1, method="best")


def test_exhaustive_search_has_a_size_limit():
    budgets = {f"b{i}": (f"ICB{i}", "ICB", "icb_core") for i in range(EXHAUSTIVE_LIMIT + 1)}
    steps = {f"s{i}": (f"b{i}", None) for i in range(EXHAUSTIVE_LIMIT + 1)}
    chain = [(f"s{i}", f"s{i + 1}", 1.0) for i in range(EXHAUSTIVE_LIMIT)]
    g = build(budgets, steps, chain, volumes=True)
    with pytest.raises(ValidationError, match=f"limited to {EXHAUSTIVE_LIMIT}: use method='greedy'"):
        suggest_pools(g, 1, method="exhaustive")
    # greedy copes: the ICBs pool together under s65Z5 (13 budgets, 12 crossings of 1 patient)
    assert suggest_pools(g, 1).patients_removed.tolist() == [12.0]


def test_cli_pools(small_model, capsys):
    assert main(["pools", "what-if", str(small_model), "--budgets", "nhse-spec,qhm-core", "--format", "csv"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == ",".join(WHAT_IF_COLUMNS) and out[-1].startswith("(total),nhse-spec;qhm-core,s65Z5,3,1,2,")
    assert main(["pools", "suggest", str(small_model), "-k", "2", "--method", "exhaustive", "--format", "json"]) == 0
    assert '"budgets":"nhse-spec;qhm-core"' in capsys.readouterr().out
    assert main(["pools", "what-if", str(small_model), "--budgets", "nhse-spec,la-asc"]) == 2
    assert "no legal basis can pool" in capsys.readouterr().err
    for bad in (["--budgets", "nhse-spec"], ["-k", "0"]):
        command = "what-if" if bad[0] == "--budgets" else "suggest"
        with pytest.raises(SystemExit) as stop:
            main(["pools", command, str(small_model), *bad])
        assert stop.value.code == 2
