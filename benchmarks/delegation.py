"""Benchmark: delegation checks on a seeded, national-scale synthetic model.

The model is ``networks.synthetic.synthetic_system`` on the 42 real ICBs of
2022-2026 and their 7 regions (``reference_table("icbs", "2025-01-01")``):
200 trusts with 1 to 5 sites each, 150 specialised services (15 highly
specialised), 600 co-dependency links and 40 operational delivery networks
(without primary care and pathways, which the checks do not read), plus
resident flows for 50 services and a plan with one row per ICB for each
delegated service. Two things are timed:

1. ``check_delegation(graph, plan, flows=...)`` from the graph, including
   frame extraction and plan validation (target: under 1 second);
2. scenario search: one ``DelegationChecker`` built once, then ``check(plan)``
   for alternative plans that each re-plan 5 random services (target: at
   least 1,000 plans a minute). Each plan is validated and fully checked.

Run from the repository root::

    .venv/bin/python benchmarks/delegation.py            # 1,000 alternative plans
    .venv/bin/python benchmarks/delegation.py --plans 200 --seed 7

It prints the results as Markdown and writes them to ``benchmarks/results/delegation.md`` (``--out``),
keeping that file's ``## Notes`` section.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from pathlib import Path

import pandas as pd
from common import RESULTS, machine, now

from caregraph import CareGraph, reference_table, synthetic_system
from networks.delegation.checks import DelegationChecker, check_delegation

N_FLOW_SERVICES = 50
CHOICES = (("retained", "national"), ("delegated", "ics"), ("delegated", "multi-ics"), ("delegated", "region"))
CHOICE_WEIGHTS = (0.2, 0.4, 0.25, 0.15)


def build_model(rng: random.Random, seed: int) -> tuple[CareGraph, pd.DataFrame, list[str], list[str]]:
    """Return the graph, the resident flows, the ICB ids and the specialised service ids."""
    system = synthetic_system(reference_table("icbs", "2025-01-01"), seed=seed, pcns=0, practices=0, pathways=0)
    graph = system.graph()
    icbs = sorted(graph.nodes_of("ICB"))
    services = sorted(s for s, a in graph.nodes_of("Service", data=True) if a.get("specialised"))
    trusts = sorted(graph.nodes_of("NHSTrust"))
    flows = [{"service_id": service, "commissioner_id": icb, "provider_id": provider,
              "activity": rng.randint(1, 500)}
             for service in services[:N_FLOW_SERVICES] for icb in icbs
             for provider in rng.sample(trusts, 5)]
    return graph, pd.DataFrame(flows), icbs, services


def plan_rows(service: str, choice: tuple[str, str], icbs: list[str]) -> list[tuple[str, str, str, str]]:
    """The plan rows for one service: NHS England's one row, or one per ICB."""
    status, tier = choice
    if status == "retained":
        return [(service, "X24", status, tier)]
    return [(service, icb, status, tier) for icb in icbs]


def make_plan(choices: dict[str, tuple[str, str]], icbs: list[str]) -> pd.DataFrame:
    """A plan frame from each service's (status, tier)."""
    rows = [row for service, choice in choices.items() for row in plan_rows(service, choice, icbs)]
    return pd.DataFrame(rows, columns=["service_id", "commissioner_id", "status", "tier"])


def main(argv: list[str] | None = None) -> dict[str, float]:
    """Build the model, time the checks, print and write a Markdown summary; return the two measures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=1000, help="alternative plans to evaluate (default 1000)")
    parser.add_argument("--seed", type=int, default=20261122, help="random seed (default 20261122)")
    parser.add_argument("--out", type=Path, default=RESULTS / "delegation.md", help="results file")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    graph, flows, icbs, services = build_model(rng, args.seed)
    hss = {s for s, a in graph.nodes_of("Service", data=True) if a.get("highly_specialised")}
    base = {s: ("retained", "national") if s in hss else rng.choices(CHOICES, CHOICE_WEIGHTS)[0]
            for s in services}
    plan = make_plan(base, icbs)

    full = []
    for _ in range(5):
        start = time.perf_counter()
        findings = check_delegation(graph, plan, flows=flows)
        full.append(time.perf_counter() - start)

    start = time.perf_counter()
    checker = DelegationChecker(graph, flows=flows)
    prepare = time.perf_counter() - start
    alternatives = []
    for _ in range(args.plans):
        choices = dict(base)
        for service in rng.sample(sorted(set(services) - hss), 5):
            choices[service] = rng.choices(CHOICES, CHOICE_WEIGHTS)[0]
        alternatives.append(make_plan(choices, icbs))
    start = time.perf_counter()
    counts = [len(checker.check(alternative)) for alternative in alternatives]
    search = time.perf_counter() - start

    links = graph.edges_of("DEPENDS_ON")
    lines = [
        "# Delegation checks: benchmark results", "",
        f"Command (from the repository root): `.venv/bin/python benchmarks/delegation.py --plans {args.plans} "
        f"--seed {args.seed}` (what is timed: the top of `benchmarks/delegation.py`).", "",
        f"Written on {now()}; {machine('pandas')}.", "",
        f"Model: {len(graph.nodes_of('NHSERegion'))} regions, {len(graph.nodes_of('ICB'))} ICBs, "
        f"{len(graph.nodes_of('NHSTrust'))} trusts, {len(graph.nodes_of('Site'))} sites, "
        f"{len(services)} services ({len(hss)} highly specialised), {len(links)} co-dependency links, "
        f"{len(graph.edges_of('PROVIDES'))} provision rows, {len(graph.nodes_of('ODN'))} networks, "
        f"{len(flows)} flow rows; plan rows: {len(plan)}; seed {args.seed}.", "",
        "| measure | result | target |", "|---|---|---|",
        f"| full `check_delegation` from the graph (median of 5) | {statistics.median(full):.3f} s "
        f"({len(findings)} findings) | < 1 s |",
        f"| `DelegationChecker` preparation (once) | {prepare:.3f} s | |",
        f"| scenario search: {args.plans} alternative plans | {search:.2f} s, "
        f"{args.plans / search * 60:,.0f} plans/minute ({search / args.plans * 1000:.1f} ms each; "
        f"{min(counts)}-{max(counts)} findings) | >= 1,000 plans/minute |", ""]
    report = "\n".join(lines)
    print(report)
    notes = args.out.read_text(encoding="utf-8").partition("\n## Notes\n")[2] if args.out.exists() else ""
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report + (f"\n## Notes\n{notes}" if notes else ""), encoding="utf-8")
    return {"full_check_s": statistics.median(full), "plans_per_minute": args.plans / search * 60}


if __name__ == "__main__":
    main()
