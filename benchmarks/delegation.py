"""Benchmark: delegation checks on a seeded, national-scale synthetic model.

The model has 7 regions, 42 ICBs, 200 trusts with 2 sites each, 150
specialised services (15 highly specialised), about 600 co-dependency
links, 40 clinical networks, resident flows for 50 services and a plan with
one row per ICB for each delegated service. Two things are timed:

1. ``check_delegation(graph, plan, flows=...)`` from the graph, including
   frame extraction and plan validation (target: under 1 second);
2. scenario search: one ``DelegationChecker`` built once, then ``check(plan)``
   for alternative plans that each re-plan 5 random services (target: at
   least 1,000 plans a minute). Each plan is validated and fully checked.

Run from the repository root::

    python benchmarks/delegation.py            # 1,000 alternative plans
    python benchmarks/delegation.py --plans 200 --seed 7
"""

from __future__ import annotations

import argparse
import platform
import random
import statistics
import time

import pandas as pd

from caregraph import CareGraph, graph_from_frames
from networks.delegation.checks import DelegationChecker, check_delegation

N_REGIONS, ICBS_PER_REGION, N_TRUSTS, SITES_PER_TRUST = 7, 6, 200, 2
N_SERVICES, N_HSS, N_LINKS, N_NETWORKS, N_FLOW_SERVICES = 150, 15, 600, 40, 50
LEVELS = ("co-located", "in-reach", "networked", "none")
LEVEL_WEIGHTS = (0.25, 0.25, 0.35, 0.15)
CHOICES = (("retained", "national"), ("delegated", "ics"), ("delegated", "multi-ics"), ("delegated", "region"))
CHOICE_WEIGHTS = (0.2, 0.4, 0.25, 0.15)


def build_model(rng: random.Random) -> tuple[CareGraph, pd.DataFrame, list[str], list[str]]:
    """Return the graph, the resident flows, the ICB ids and the service ids."""
    nodes: list[dict[str, object]] = [{"id": "X24", "kind": "NHSEngland"}]
    edges: list[dict[str, object]] = []
    regions = [f"Y{n:02d}" for n in range(1, N_REGIONS + 1)]
    icbs = [f"ICB{n:02d}" for n in range(1, N_REGIONS * ICBS_PER_REGION + 1)]
    for region in regions:
        nodes.append({"id": region, "kind": "NHSERegion"})
        edges.append({"source": region, "target": "X24", "type": "PART_OF"})
    for n, icb in enumerate(icbs):
        nodes.append({"id": icb, "kind": "ICB"})
        edges.append({"source": icb, "target": regions[n // ICBS_PER_REGION], "type": "PART_OF"})
    trusts = [f"T{n:03d}" for n in range(1, N_TRUSTS + 1)]
    trust_icb = {trust: icbs[n % len(icbs)] for n, trust in enumerate(trusts)}
    sites = []
    for trust in trusts:
        nodes.append({"id": trust, "kind": "NHSTrust"})
        edges.append({"source": trust, "target": trust_icb[trust], "type": "LOCATED_IN"})
        for s in range(1, SITES_PER_TRUST + 1):
            site = f"{trust}-{s}"
            sites.append(site)
            nodes.append({"id": site, "kind": "Site"})
            edges.append({"source": site, "target": trust, "type": "PART_OF"})
    services = [f"S{n:03d}" for n in range(1, N_SERVICES + 1)]
    hss = set(rng.sample(services, N_HSS))
    for service in services:
        nodes.append({"id": service, "kind": "Service", "specialised": True, "highly_specialised": service in hss})
        for site in rng.sample(sites, rng.randint(2, 30)):
            edges.append({"source": site, "target": service, "type": "PROVIDES"})
    pairs: set[tuple[str, str]] = set()
    while len(pairs) < N_LINKS:
        a, b = rng.sample(services, 2)
        pairs.add((a, b))
    for a, b in sorted(pairs):
        edges.append({"source": a, "target": b, "type": "DEPENDS_ON",
                      "level": rng.choices(LEVELS, LEVEL_WEIGHTS)[0], "evidence": "synthetic"})
    for n in range(1, N_NETWORKS + 1):
        network = f"ODN{n:02d}"
        nodes.append({"id": network, "kind": "ODN", "name": f"Network {n}"})
        region_trusts = [t for t in trusts if trust_icb[t] in icbs[(n % N_REGIONS) * ICBS_PER_REGION:][:6]]
        for member in rng.sample(region_trusts, 5):
            edges.append({"source": member, "target": network, "type": "MEMBER_OF"})
        for service in rng.sample(services, rng.randint(1, 3)):
            edges.append({"source": network, "target": service, "type": "NETWORK_FOR"})
    graph = graph_from_frames(pd.DataFrame(nodes), pd.DataFrame(edges), name="national-benchmark")
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


def main(argv: list[str] | None = None) -> None:
    """Build the model, time the checks and print a Markdown summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=1000, help="alternative plans to evaluate (default 1000)")
    parser.add_argument("--seed", type=int, default=20261122, help="random seed (default 20261122)")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    graph, flows, icbs, services = build_model(rng)
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
    print(f"model: {len(graph.nodes_of('NHSERegion'))} regions, {len(graph.nodes_of('ICB'))} ICBs, "
          f"{len(graph.nodes_of('NHSTrust'))} trusts, {len(graph.nodes_of('Site'))} sites, "
          f"{len(services)} services ({len(hss)} highly specialised), {len(links)} co-dependency links, "
          f"{len(graph.edges_of('PROVIDES'))} provision rows, {len(graph.nodes_of('ODN'))} networks, "
          f"{len(flows)} flow rows; plan rows: {len(plan)}; seed {args.seed}")
    print(f"python {platform.python_version()}, pandas {pd.__version__}, {platform.machine()}")
    print()
    print("| measure | result | target |")
    print("|---|---|---|")
    print(f"| full `check_delegation` from the graph (median of 5) | {statistics.median(full):.3f} s "
          f"({len(findings)} findings) | < 1 s |")
    print(f"| `DelegationChecker` preparation (once) | {prepare:.3f} s | |")
    print(f"| scenario search: {args.plans} alternative plans | {search:.2f} s, "
          f"{args.plans / search * 60:,.0f} plans/minute ({search / args.plans * 1000:.1f} ms each; "
          f"{min(counts)}-{max(counts)} findings) | >= 1,000 plans/minute |")


if __name__ == "__main__":
    main()
