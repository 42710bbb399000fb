"""Benchmark: batched Neo4j load of a national-scale model, against a naive load.

Run from the repository root::

    .venv/bin/python benchmarks/neo4j_load.py

It starts a local Neo4j 5.26 with ``scripts/neo4j-server`` (heap from
``CAREGRAPH_NEO4J_HEAP``, default here 2g), or uses the server that
``CAREGRAPH_NEO4J_URI`` (+ ``_USER``, ``_PASSWORD``, ``_DATABASE``) names,
writing only under the model ids ``bench-*`` and deleting them afterwards.
Results go to ``benchmarks/results/neo4j_load.md`` (``--out``).

What it measures
----------------
1. A seeded, synthetic national model (England-sized organisation hierarchy,
   trusts and sites, services, budgets and pools, and many care pathways;
   >= 200,000 nodes and >= 1,000,000 relationships), built as a ``CareGraph``.
2. ``write_graph`` of the whole model in batches (``--batch-sizes``, default
   1000, the library's default, and 5000): load throughput in elements
   (nodes + relationships) per second; then the same load again
   (idempotent: nothing created) and a full ``read_graph`` check.
3. A 10,000-element sample of the model loaded naively, one ``MERGE`` per
   transaction (``write_graph(..., batch_size=1)``), and the same sample
   batched. The ratio of time per element, naive over the full batched load,
   must be at least 20 for every batch size.

The run takes about 10 minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import logging
import os
import platform
import random
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType

import neo4j

from caregraph import CARE_SETTINGS, CareGraph, Neo4jBackend, Neo4jSettings, delete_model, read_graph, write_graph

log = logging.getLogger("benchmarks.neo4j_load")

ROOT = Path(__file__).resolve().parents[1]
MIN_NODES, MIN_RELATIONSHIPS, SAMPLE, MIN_RATIO = 200_000, 1_000_000, 10_000, 20.0


def national_model(seed: int = 2026, pathways: int = 20_000) -> CareGraph:
    """Build a synthetic England-sized model; the same seed gives the same graph.

    Parameters
    ----------
    seed : int
        Random seed.
    pathways : int
        Number of pathways (9 steps each on average); 20,000 gives about
        216,000 nodes and 1.2 million relationships.

    Returns
    -------
    CareGraph
    """
    rng = random.Random(seed)
    g = CareGraph("national")
    g.add_node("X24", "NHSEngland", name="NHS England")
    regions = [f"Y{56 + i}" for i in range(7)]
    icbs = [f"ICB{i:02d}" for i in range(42)]
    sub_icbs = [f"SUB{i:03d}" for i in range(106)]
    pcns = [f"PCN{i:04d}" for i in range(1250)]
    practices = [f"GP{i:05d}" for i in range(6300)]
    trusts = [f"TR{i:03d}" for i in range(210)]
    councils = [f"LA{i:03d}" for i in range(153)]
    for region in regions:
        g.add_node(region, "NHSERegion", name=f"Region {region}", population=8_000_000)
        g.add_edge(region, "X24", "PART_OF")
    for i, icb in enumerate(icbs):
        g.add_node(icb, "ICB", name=f"ICB {i}", valid_from="2022-07-01", population=1_300_000)
        g.add_edge(icb, regions[i % 7], "PART_OF")
    for i, sub in enumerate(sub_icbs):
        g.add_node(sub, "SubICBLocation", name=f"Sub-ICB location {i}", population=500_000)
        g.add_edge(sub, icbs[i % 42], "PART_OF", valid_from="2022-07-01")
    for i, pcn in enumerate(pcns):
        g.add_node(pcn, "PCN", name=f"PCN {i}")
        g.add_edge(pcn, sub_icbs[i % 106], "PART_OF")
    for i, practice in enumerate(practices):
        g.add_node(practice, "GPPractice", name=f"Practice {i}", postcode=f"AB{i % 99} {i % 9}XY",
                   registered_patients=rng.randint(2_000, 30_000))
        g.add_edge(practice, pcns[i % 1250], "PART_OF")
        g.add_edge(practice, icbs[(i % 1250) % 106 % 42], "LOCATED_IN")
    sites = []
    for i, trust in enumerate(trusts):
        g.add_node(trust, "NHSTrust", name=f"Trust {i}", valid_from="1998-04-01")
        g.add_edge(trust, icbs[i % 42], "LOCATED_IN")
        for j in range(5):
            site = f"{trust}S{j}"
            sites.append(site)
            g.add_node(site, "Site", name=f"Site {j} of trust {i}", latitude=round(rng.uniform(50, 55), 5),
                       longitude=round(rng.uniform(-5, 1), 5))
            g.add_edge(site, trust, "PART_OF")
    for i, council in enumerate(councils):
        g.add_node(council, "LocalAuthority", name=f"Council {i}", population=rng.randint(100_000, 1_000_000))
    services = [f"svc{i:03d}" for i in range(300)]
    for i, service in enumerate(services):
        g.add_node(service, "Service", name=f"Service {i}", specialised=i < 60,
                   crg_code=f"A{i % 99:02d}" if i < 60 else None)
        if i < 60:
            g.add_edge("X24", service, "COMMISSIONS", status="retained", tier="national", valid_to="2025-03-31")
        for icb in icbs if i < 60 else icbs[:10]:
            status, tier = ("delegated", "multi-ics") if i < 60 else ("retained", "ics")
            g.add_edge(icb, service, "COMMISSIONS", status=status, tier=tier, valid_from="2025-04-01")
    for i in range(1, 300):
        g.add_edge(services[i], services[rng.randrange(i)], "DEPENDS_ON",
                   level=rng.choice(("co-located", "in-reach", "networked")), evidence="illustrative")
    for site in sites:
        for service in rng.sample(services, 40):
            g.add_edge(site, service, "PROVIDES")
    for practice in practices:
        g.add_edge(practice, services[-1], "PROVIDES")
    budgets = ["bud-nhse"]
    g.add_node("bud-nhse", "Budget", name="NHS England specialised", stream="nhse_specialised",
               amount_gbp=2.5e10)
    g.add_edge("bud-nhse", "X24", "HELD_BY")
    for icb in icbs:
        budgets.append(f"bud-{icb}")
        g.add_node(budgets[-1], "Budget", name=f"{icb} core", stream="icb_core", amount_gbp=3e9)
        g.add_edge(budgets[-1], icb, "HELD_BY")
    for council in councils:
        g.add_node(f"bud-{council}", "Budget", name=f"{council} social care", stream="la_social_care")
        g.add_edge(f"bud-{council}", council, "HELD_BY")
        budgets.append(f"bud-{council}")
        g.add_node(f"bcf-{council}", "Pool", name=f"Better Care Fund {council}", legal_basis="s75")
        g.add_edge(f"bud-{council}", f"bcf-{council}", "IN_POOL", valid_from="2024-04-01")
    for i in range(60):
        network = f"odn{i:02d}"
        g.add_node(network, "ODN", name=f"Network {i}")
        g.add_edge(network, trusts[i], "HOSTED_BY")
        g.add_edge(network, services[i], "NETWORK_FOR")
        for trust in rng.sample(trusts, 12):
            g.add_edge(trust, network, "MEMBER_OF", role="member")
    providers = trusts + practices[:500] + councils
    for p in range(pathways):
        pathway = f"pw{p:05d}"
        g.add_node(pathway, "Pathway", name=f"Pathway {p}", condition=f"condition {p % 400}",
                   patients_per_year=float(rng.randint(100, 20_000)))
        steps = [f"{pathway}/{s}" for s in range(rng.randint(6, 12))]
        for step in steps:
            setting = rng.choice(CARE_SETTINGS)
            g.add_node(step, "Step", name=f"Step {step}", pathway=pathway, setting=setting,
                       unit_cost=round(rng.uniform(20, 15_000), 2))
            g.add_edge(pathway, step, "HAS_STEP")
            g.add_edge(step, rng.choice(services), "OF_SERVICE")
            g.add_edge(step, rng.choice(providers), "DELIVERED_BY")
            if setting in ("acute", "specialised"):
                g.add_edge(step, rng.choice(sites), "AT_SITE")
            g.add_edge(step, rng.choice(budgets), "PAID_FROM")
        g.add_edge(pathway, steps[0], "STARTS_AT", probability=1.0)
        for here, there in itertools.pairwise(steps):
            share = round(rng.uniform(0.3, 0.9), 3)
            g.add_edge(here, there, "NEXT", probability=share)
            back = steps[rng.randrange(len(steps))]
            if back not in (here, there):
                g.add_edge(here, back, "NEXT", probability=round(rng.uniform(0, 1 - share), 3))
    return g


def sample_model(graph: CareGraph, size: int = SAMPLE) -> CareGraph:
    """Take whole pathways and what they touch until ``size`` elements, then trim to exactly ``size``."""
    view = graph.nx
    keep: dict[str, None] = {}
    for pathway in graph.nodes_of("Pathway"):
        steps = graph.successors(pathway, "HAS_STEP")
        for node in [pathway, *steps]:
            keep.setdefault(node)
            for neighbour in view.successors(node):
                keep.setdefault(neighbour)
        edges = sum(1 for _ in view.subgraph(keep).edges())
        if len(keep) + edges >= size:
            break
    result = CareGraph("national-sample")
    for node in keep:
        attrs = dict(view.nodes[node])
        result.add_node(node, attrs.pop("kind"), **attrs)
    budget = size - result.number_of_nodes()
    for source, target, attrs in view.subgraph(keep).edges(data=True):
        if budget == 0:
            break
        props = {k: v for k, v in attrs.items() if k != "type"}
        result.add_edge(source, target, attrs["type"], **props)
        budget -= 1
    return result


def _server_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("neo4j_server", ROOT / "scripts" / "neo4j_server.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@contextmanager
def neo4j_settings() -> Iterator[tuple[Neo4jSettings, str]]:
    """Yield settings for ``CAREGRAPH_NEO4J_URI`` or for a local server started for the run."""
    if os.environ.get("CAREGRAPH_NEO4J_URI"):
        yield Neo4jSettings.from_env(), "the server named by CAREGRAPH_NEO4J_URI"
        return
    os.environ.setdefault("CAREGRAPH_NEO4J_HEAP", "2g")
    home = Path(tempfile.mkdtemp(prefix="caregraph-bench-neo4j."))
    server = _server_module().start_server(home=home)
    try:
        yield (Neo4jSettings(uri=server.uri),
               f"local Neo4j Community 5.26 (scripts/neo4j-server, heap {os.environ['CAREGRAPH_NEO4J_HEAP']}, "
               "page cache 64 MiB)")
    finally:
        server.stop()
        _ensure_stopped(server.pid)
        shutil.rmtree(home, ignore_errors=True)


def _ensure_stopped(pid: int) -> None:
    """End the JVM if ``neo4j-server stop`` missed it (it matches ``ps`` output cut to 80 columns)."""

    def running() -> bool:
        try:
            return b"Launcher.java" in Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            return False

    if running():
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + 60
        while running() and time.monotonic() < deadline:
            time.sleep(0.1)
        if running():
            os.kill(pid, signal.SIGKILL)


def _rate(elements: int, seconds: float) -> str:
    return f"{elements / seconds:,.0f}"


def run(args: argparse.Namespace) -> str:
    """Run the benchmark and return the results as Markdown."""
    started = time.monotonic()
    graph = national_model(args.seed, args.pathways)
    built = time.monotonic() - started
    nodes, rels = graph.number_of_nodes(), graph.number_of_edges()
    total = nodes + rels
    log.info("built the model in %.0f s: %d nodes, %d relationships", built, nodes, rels)
    sample = sample_model(graph)
    sample_size = sample.number_of_nodes() + sample.number_of_edges()
    sizes = args.batch_sizes
    with neo4j_settings() as (settings, server), Neo4jBackend(settings) as db:
        try:
            full = {}
            for size in sizes:
                delete_model(db, "bench-national")
                full[size] = write_graph(graph, db, "bench-national", batch_size=size,
                                         show_progress=args.progress)
                log.info("batched load, batches of %d: %.0f s", size, full[size].seconds)
            again = write_graph(graph, db, "bench-national", batch_size=sizes[-1])
            read_started = time.monotonic()
            same = read_graph(db, "bench-national") == graph
            read_seconds = time.monotonic() - read_started
            naive = write_graph(sample, db, "bench-naive", batch_size=1, replace=True)
            log.info("naive load of the sample: %.0f s", naive.seconds)
            batched = write_graph(sample, db, "bench-sample", batch_size=sizes[0], replace=True)
        finally:
            for model in ("bench-national", "bench-naive", "bench-sample"):
                delete_model(db, model)
    per_naive = naive.seconds / sample_size
    ratios = {size: per_naive / (result.seconds / total) for size, result in full.items()}
    ratio_sample = per_naive / (batched.seconds / sample_size)
    met = min(ratios.values()) >= MIN_RATIO and nodes >= MIN_NODES and rels >= MIN_RELATIONSHIPS
    rows = "".join(
        f"| full model, batched (`UNWIND $rows ... MERGE`), empty model | {total:,} | {size:,} "
        f"| {result.seconds:,.1f} | {_rate(total, result.seconds)} |\n" for size, result in full.items())
    ratio_text = "; ".join(f"**{ratio:,.0f}x** with batches of {size:,}" for size, ratio in ratios.items())
    return f"""# Neo4j load benchmark

Command: `.venv/bin/python benchmarks/neo4j_load.py --seed {args.seed} --pathways {args.pathways} \
--batch-sizes {' '.join(map(str, sizes))}` (see the top of `benchmarks/neo4j_load.py`).

- Machine: {platform.platform()}, {os.cpu_count()} CPUs (shared with other work while it ran), \
Python {platform.python_version()}, neo4j driver {neo4j.__version__}
- Server: {server}
- Date: {time.strftime('%Y-%m-%d %H:%M')}

## Model

Seeded synthetic national model (seed {args.seed}): {nodes:,} nodes and {rels:,} relationships \
({total:,} elements), built and validated as a `CareGraph` in {built:.0f} s.

## Results

| load | elements | batch size | seconds | elements/s |
|---|---:|---:|---:|---:|
{rows}| full model again (idempotent: {again.nodes_created} nodes, {again.relationships_created} relationships \
created) | {total:,} | {sizes[-1]:,} | {again.seconds:,.1f} | {_rate(total, again.seconds)} |
| 10,000-element sample, batched | {sample_size:,} | {sizes[0]:,} | {batched.seconds:,.1f} \
| {_rate(sample_size, batched.seconds)} |
| 10,000-element sample, naive (one `MERGE` per transaction) | {sample_size:,} | 1 | {naive.seconds:,.1f} \
| {_rate(sample_size, naive.seconds)} |

- Naive / batched time per element, against the full batched load: {ratio_text} \
({ratio_sample:,.0f}x against the batched load of the same sample). Required: at least {MIN_RATIO:.0f}x. \
**{"PASS" if met else "FAIL"}**.
- Read back the full model with `read_graph` (validated through `build_graph`) in {read_seconds:,.1f} s; \
equal to the model loaded: {same}.
- Whole run: {time.monotonic() - started:,.0f} s.
"""


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, run, write the Markdown report; return 0 when the targets are met."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--pathways", type=int, default=20_000, help="pathways in the model (default 20000)")
    parser.add_argument("--batch-sizes", type=int, nargs="+", default=[1000, 5000],
                        help="batch sizes to load the full model with (default: 1000 5000)")
    parser.add_argument("--progress", action="store_true", help="progress bar on standard error")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "neo4j_load.md")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    report = run(args)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report, encoding="utf-8")
    log.info("wrote %s", args.out)
    return 0 if "**PASS**" in report else 1


if __name__ == "__main__":
    sys.exit(main())
