"""Benchmark: batched Neo4j load of a national-scale model, against one MERGE per transaction.

Run from the repository root (about 10 minutes on 2 quiet cores)::

    .venv/bin/python benchmarks/neo4j_load.py

It starts a local Neo4j 5.26 with ``scripts/neo4j-server``, sized as a user's
server for this store would be: heap ``CAREGRAPH_NEO4J_HEAP`` (default here
2g) and page cache ``CAREGRAPH_NEO4J_PAGECACHE`` (default here 1g, more than
the store of the national model with its indexes, which the results give),
or uses the
server that ``CAREGRAPH_NEO4J_URI`` (+ ``_USER``, ``_PASSWORD``,
``_DATABASE``) names, writing only under the model ids ``bench-*`` and
deleting them afterwards. Results go to ``benchmarks/results/neo4j_load.md``
(``--out``).

What it measures
----------------
1. A seeded, synthetic national model (England-sized organisation hierarchy,
   trusts and sites, services, budgets and pools, and many care pathways;
   >= 200,000 nodes and >= 1,000,000 relationships), built as a ``CareGraph``
   by ``--generator FILE.py:FUNCTION`` or ``MODULE:FUNCTION`` (a function of
   ``seed`` returning a ``CareGraph``; default this file's
   ``national_model``).
2. After two untimed loads of the sample in batches of 100 (a server in use
   has its code compiled: the first batches of each query on a new server
   run many times slower), ``write_graph`` of the whole model into
   an empty model id, for each
   ``--configs`` (batch size x node workers; default the library's
   5000x2 and the former 1000x1), then the same model loaded again (a
   reload: nothing created, every element re-stamped, the clean-up of older
   generations run), in ``--rounds`` interleaved rounds. Reported: median
   wall time, elements per second, and the CPU seconds of this Python
   process (rows, packing) and of the server's JVM (local server only).
3. A 10,000-element sample of the model loaded naively, one ``MERGE`` per
   transaction (``batch_size=1, workers=1``), once per round. The ratio of
   time per element, naive over each batched load, must be at least 20.
4. Once: ``read_graph`` of the full model equals the model loaded
   (``--no-read-back`` skips it).

The machine's load average is recorded before and after: on a shared machine
wall times stretch; the CPU seconds show where the work is.
"""

from __future__ import annotations

import argparse
import itertools
import logging
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from common import RESULTS, load_module, machine, now

from caregraph import CARE_SETTINGS, CareGraph, Neo4jBackend, Neo4jSettings, delete_model, read_graph, write_graph

log = logging.getLogger("benchmarks.neo4j_load")

MIN_NODES, MIN_RELATIONSHIPS, SAMPLE, MIN_RATIO = 200_000, 1_000_000, 10_000, 20.0
TARGET_RATE = 50_000


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


def generator(spec: str) -> Callable[[int], CareGraph]:
    """Return the model builder named ``FILE.py:FUNCTION`` or ``MODULE:FUNCTION``."""
    where, _, name = spec.rpartition(":")
    if not where or not name:
        raise SystemExit(f"--generator {spec!r}: expected FILE.py:FUNCTION or MODULE:FUNCTION")
    if where.endswith(".py") and Path(where).resolve() == Path(__file__).resolve():
        builder: Callable[[int], CareGraph] = globals()[name]
        return builder
    builder = getattr(load_module(where), name)
    return builder


@dataclass
class Server:
    """Where the benchmark writes: settings, a description, the JVM's pid and home (local server only)."""

    settings: Neo4jSettings
    description: str
    pid: int | None = None
    home: Path | None = None

    def cpu_seconds(self) -> float | None:
        """User + system CPU seconds the server's JVM has used so far (local server only)."""
        if self.pid is None:
            return None
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def store_bytes(self) -> int | None:
        """Bytes on disk of the ``neo4j`` database (local server only)."""
        if self.home is None:
            return None
        folder = self.home / "data" / "databases" / "neo4j"
        return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


@contextmanager
def neo4j_server() -> Iterator[Server]:
    """Yield the server of ``CAREGRAPH_NEO4J_URI``, or a local one started (and stopped) for the run."""
    if os.environ.get("CAREGRAPH_NEO4J_URI"):
        yield Server(Neo4jSettings.from_env(), "the server named by CAREGRAPH_NEO4J_URI")
        return
    heap = os.environ.setdefault("CAREGRAPH_NEO4J_HEAP", "2g")
    pagecache = os.environ.setdefault("CAREGRAPH_NEO4J_PAGECACHE", "1g")
    home = Path(tempfile.mkdtemp(prefix="caregraph-bench-neo4j."))
    server = load_module("scripts/neo4j_server.py").start_server(home=home)
    try:
        yield Server(Neo4jSettings(uri=server.uri), f"local Neo4j Community 5.26 (scripts/neo4j-server), heap "
                     f"{heap}, page cache {pagecache}", server.pid, home)
    finally:
        server.stop()
        shutil.rmtree(home, ignore_errors=True)


@dataclass
class Run:
    """One timed load: wall and CPU seconds."""

    wall: float
    client_cpu: float
    server_cpu: float | None
    created: int


def timed(server: Server, load: Callable[[], object]) -> Run:
    """Run ``load()`` and measure it."""
    wall, cpu, server_cpu = time.perf_counter(), time.process_time(), server.cpu_seconds()
    result = load()
    after = server.cpu_seconds()
    created = getattr(result, "nodes_created", 0) + getattr(result, "relationships_created", 0)
    return Run(time.perf_counter() - wall, time.process_time() - cpu,
               None if after is None or server_cpu is None else after - server_cpu, created)


def _median(runs: list[Run], field: str) -> float | None:
    values = [getattr(run, field) for run in runs]
    return None if any(v is None for v in values) else statistics.median(values)


def _cell(value: float | None, digits: int = 1) -> str:
    return "n/a" if value is None else f"{value:,.{digits}f}"


@dataclass
class Outcome:
    """What a run found: the report, whether the checks passed, the best rate, the model's size, the reload."""

    report: str
    met: bool
    best_rate: float
    nodes: int
    relationships: int
    reload_created: int
    read_back_equal: bool | None
    server: str
    server_cpu_share: float | None  # server CPU seconds / wall seconds of the best load


def run(args: argparse.Namespace) -> Outcome:
    """Run the benchmark; return the results as Markdown, whether the checks passed and the numbers."""
    started = time.monotonic()
    load_before = os.getloadavg()
    build = generator(args.generator)
    graph = build(args.seed, args.pathways) if args.pathways else build(args.seed)
    built = time.monotonic() - started
    nodes, rels = graph.number_of_nodes(), graph.number_of_edges()
    total = nodes + rels
    log.info("built the model in %.0f s: %d nodes, %d relationships", built, nodes, rels)
    sample = sample_model(graph)
    sample_size = sample.number_of_nodes() + sample.number_of_edges()
    configs = [tuple(int(part) for part in config.split("x")) for config in args.configs]
    fresh: dict[tuple[int, ...], list[Run]] = {config: [] for config in configs}
    reloads: list[Run] = []
    naive: list[Run] = []
    store = None
    same = None
    with neo4j_server() as server, Neo4jBackend(server.settings) as db:
        try:
            for _ in range(2):  # warm up (JIT, Cypher's expressions compiled once a query is hot), as in use
                write_graph(sample, db, "bench-warm-up", batch_size=100, replace=True)
            delete_model(db, "bench-warm-up")
            for round_number in range(1, args.rounds + 1):
                for config in configs:
                    batch_size, workers = config
                    delete_model(db, "bench-national")
                    fresh[config].append(timed(server, partial(
                        write_graph, graph, db, "bench-national", batch_size=batch_size, workers=workers,
                        show_progress=args.progress)))
                    log.info("round %d, %dx%d: %.1f s", round_number, batch_size, workers, fresh[config][-1].wall)
                store = store or server.store_bytes()
                reloads.append(timed(server, lambda: write_graph(graph, db, "bench-national")))
                log.info("round %d, reload: %.1f s (%d created)", round_number, reloads[-1].wall,
                         reloads[-1].created)
                delete_model(db, "bench-naive")
                naive.append(timed(server, lambda: write_graph(sample, db, "bench-naive", batch_size=1, workers=1)))
                log.info("round %d, naive sample: %.1f s", round_number, naive[-1].wall)
            if args.read_back:
                read_started = time.monotonic()
                same = read_graph(db, "bench-national") == graph
                log.info("read back in %.0f s: equal %s", time.monotonic() - read_started, same)
        finally:
            for model in ("bench-national", "bench-naive", "bench-warm-up"):
                delete_model(db, model)
    load_after = os.getloadavg()
    per_naive = statistics.median(run.wall for run in naive) / sample_size
    rows = []
    ratios = {}
    for config, runs in fresh.items():
        wall = statistics.median(run.wall for run in runs)
        ratios[config] = per_naive / (wall / total)
        rows.append(f"| full model into an empty model id | {config[0]:,} x {config[1]} | {total:,} | {wall:,.1f} "
                    f"| **{total / wall:,.0f}** | {_cell(_median(runs, 'client_cpu'))} "
                    f"| {_cell(_median(runs, 'server_cpu'))} | {ratios[config]:,.0f}x |")
    reload_wall = statistics.median(run.wall for run in reloads)
    rows.append(f"| full model again (reload: {max(r.created for r in reloads)} created; clean-up run) "
                f"| 5,000 x 2 | {total:,} | {reload_wall:,.1f} | {total / reload_wall:,.0f} "
                f"| {_cell(_median(reloads, 'client_cpu'))} | {_cell(_median(reloads, 'server_cpu'))} "
                f"| {per_naive / (reload_wall / total):,.0f}x |")
    naive_wall = statistics.median(run.wall for run in naive)
    rows.append(f"| 10,000-element sample, one `MERGE` per transaction | 1 x 1 | {sample_size:,} | {naive_wall:,.1f} "
                f"| {sample_size / naive_wall:,.0f} | {_cell(_median(naive, 'client_cpu'))} "
                f"| {_cell(_median(naive, 'server_cpu'))} | 1x |")
    best = max(total / statistics.median(run.wall for run in runs) for runs in fresh.values())
    met = (min(ratios.values()) >= MIN_RATIO and nodes >= MIN_NODES and rels >= MIN_RELATIONSHIPS
           and same is not False)
    configs_text = " ".join(args.configs)
    store_text = "n/a" if store is None else f"{store / 2**20:,.0f} MiB"
    table = "\n".join(rows)
    report = f"""# Neo4j load benchmark

Command: `.venv/bin/python benchmarks/neo4j_load.py --seed {args.seed} --rounds {args.rounds} \
--configs {configs_text} --generator {args.generator}` (see the top of `benchmarks/neo4j_load.py`).

- Machine: {machine("neo4j")}; load average (1, 5, 15 min) {', '.join(f'{v:.1f}' for v in load_before)} before, \
{', '.join(f'{v:.1f}' for v in load_after)} after
- Server: {server.description}; store of the loaded model {store_text} on disk
- Date: {now()}

## Model

{graph.name} (seed {args.seed}): {nodes:,} nodes and {rels:,} relationships ({total:,} elements), built and \
validated as a `CareGraph` in {built:.0f} s.

## Results (medians of {args.rounds} interleaved rounds)

| load | batch size x node workers | elements | wall s | elements/s | client CPU s | server CPU s | \
time per element: naive / this |
|---|---|---:|---:|---:|---:|---:|---:|
{table}

- Target: at least {TARGET_RATE:,} elements/s on the full model: best median {best:,.0f} elements/s \
(**{"met" if best >= TARGET_RATE else "not met"}** on this machine at this load). Naive / batched time per \
element at least {MIN_RATIO:.0f}x for every configuration: **{"PASS" if met else "FAIL"}**.
- `read_graph` of the full model equals the model loaded: {"not checked" if same is None else same}.
- Whole run: {time.monotonic() - started:,.0f} s.
"""
    best_runs = max(fresh.values(), key=lambda runs: total / statistics.median(run.wall for run in runs))
    server_cpu = _median(best_runs, "server_cpu")
    return Outcome(report, met, best, nodes, rels, max(r.created for r in reloads), same, server.description,
                   None if server_cpu is None else server_cpu / statistics.median(run.wall for run in best_runs))


def main(argv: list[str] | None = None) -> Outcome:
    """Parse arguments, run, write the Markdown report (keeping the notes of the one it replaces)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--pathways", type=int, default=None,
                        help="pathways of the model, passed to the generator (default: the generator's, 20,000 "
                             "for the national model; smaller for a quick check of the harness)")
    parser.add_argument("--generator", default="benchmarks/neo4j_load.py:national_model",
                        help="FILE.py:FUNCTION or MODULE:FUNCTION building the model from a seed")
    parser.add_argument("--configs", nargs="+", default=["5000x2", "1000x1"], metavar="BATCHxWORKERS",
                        help="batch size x node workers of each full load (default: 5000x2 1000x1)")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds; medians are reported")
    parser.add_argument("--no-read-back", dest="read_back", action="store_false",
                        help="skip reading the full model back")
    parser.add_argument("--progress", action="store_true", help="progress bar on standard error")
    parser.add_argument("--out", type=Path, default=RESULTS / "neo4j_load.md")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    outcome = run(args)
    notes = args.out.read_text(encoding="utf-8").partition("\n## Notes\n")[2] if args.out.exists() else ""
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(outcome.report + (f"\n## Notes\n{notes}" if notes else ""), encoding="utf-8")
    log.info("wrote %s", args.out)
    return outcome


if __name__ == "__main__":
    sys.exit(0 if main().met else 1)
