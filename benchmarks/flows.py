"""Benchmark: patient flows at national scale, against the issue's targets.

Run from the repository root::

    .venv/bin/python benchmarks/flows.py                 # about 5 minutes on 2 cores
    .venv/bin/python benchmarks/flows.py --repeat 3 --skip-spof
    .venv/bin/python benchmarks/flows.py --spark-only --spark-repeat 3   # the Spark section alone

It writes ``benchmarks/results/flows.md`` (``--out``). What is measured, each
the median of ``--repeat`` runs (default 5; the graph build 3):

1. **national graph built from tables**: ``networks.synthetic.synthetic_system``
   on the 36 real ICBs (seed 1: about 1,250 PCNs, 6,300 practices, 200 trusts
   and their sites, 150 specialised services, 600 co-dependencies, 10,000
   pathways) gives node and edge tables; ``graph_from_frames`` builds the
   validated ``CareGraph`` from them. Each run is a fresh process, so its peak
   resident memory (``ru_maxrss``) is that run's own. Targets: under 30 s
   and under 4 GB.
2. **flow network and containment for every ICB from the full RTT table**
   (the shipped April 2026 waiting list: 12,869 rows of the 40,102-row file,
   7.12 million pathways): ``flow_network(rtt_graph(), rtt_flows(), "icb")``
   and ``.containment()``, in a fresh process from the shipped files (cold:
   interpreter, imports, reading and building the reference graph), and warm
   (graph and table already loaded). Target: under 5 s. The peer is one
   DuckDB SQL query over the same shipped files (residents by the extract's
   commissioner parent, providers by its provider parent), with no checks,
   no categories and no names: the ratio says what caregraph's checks and
   placing cost. Both geographies side by side (``compare_geographies``) are
   timed too.
3. **footprint discovery** (``discover_footprints``, Louvain from networkx,
   seeded) on the RTT ICB network and on the synthetic national one.
   Target: under 30 s.
4. **single points of failure** on the synthetic national model (10,000
   pathways), one run, for information (no target).
5. **the Spark engine** (its own section; ``--spark-repeat`` runs, default
   3, after one warm-up run; needs ``caregraph[spark]``): the same RTT
   containment with the flows handed to a local Spark session
   (``local[*]``) and checked and aggregated there, beside the pandas path
   timed in the same minutes; then both engines from a CSV file of the RTT
   rows repeated 1, 10 and 50 times (each copy a ``service`` of its own,
   so no row repeats another): ``read_flow_table`` + ``flow_network``
   against ``read_spark_flow_table`` + ``flow_network``, to see where, if
   anywhere, Spark overtakes on this machine. ``--spark-only`` measures
   this section alone and puts it in place of the one in the results file.

The machine is shared: the load average before and after each measure is
recorded beside it.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path
from typing import Any

from common import RESULTS, ROOT, load_average, machine, now

OUT = RESULTS / "flows.md"
DATA = ROOT / "loaders" / "reference" / "data"
DAY = "2026-05-01"
SEED = 1


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_graph() -> dict[str, Any]:
    """In a fresh process: the synthetic tables, then the graph from them (timed apart)."""
    import caregraph as cg

    started = time.perf_counter()
    system = cg.synthetic_system(cg.reference_table("icbs", DAY), seed=SEED)
    tables = time.perf_counter() - started
    started = time.perf_counter()
    graph = system.graph()
    build = time.perf_counter() - started
    return {"tables_s": tables, "graph_s": build, "nodes": graph.number_of_nodes(),
            "relationships": graph.number_of_edges(), "peak_mb": _peak_mb()}


def child_rtt() -> dict[str, Any]:
    """In a fresh process: containment for every ICB from the shipped RTT files."""
    started = time.perf_counter()
    import caregraph as cg

    table = cg.flow_network(cg.rtt_graph(), cg.rtt_flows(), "icb", DAY).containment()
    return {"seconds": time.perf_counter() - started, "rows": len(table), "peak_mb": _peak_mb()}


CHILDREN: dict[str, Callable[[], dict[str, Any]]] = {"graph": child_graph, "rtt": child_rtt}


def in_child(name: str) -> dict[str, Any]:
    done = subprocess.run([sys.executable, __file__, "--child", name], cwd=ROOT, capture_output=True, text=True,
                          check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def timed(function: Callable[[], Any], repeat: int) -> tuple[list[float], Any]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return times, result


def duckdb_containment() -> dict[str, float]:
    """The peer: per-ICB containment of the waiting list in one SQL query over the shipped files."""
    import duckdb

    con = duckdb.connect()
    rows = con.execute(f"""
        WITH providers AS (
            SELECT org_code, parent_org_code AS icb
            FROM read_csv('{DATA / "rtt_organisations_2026_04.csv"}', all_varchar = true) WHERE role = 'provider'),
        waiting AS (
            SELECT commissioner_parent_code AS icb, provider_code, CAST(total_all AS BIGINT) AS n
            FROM read_csv('{DATA / "rtt_provider_commissioner_totals_2026_04.csv.gz"}', all_varchar = true)
            WHERE rtt_part = 'Part_2' AND coalesce(commissioner_parent_code, '') <> '')
        SELECT w.icb, 100.0 * sum(CASE WHEN p.icb = w.icb THEN n ELSE 0 END) / sum(n)
        FROM waiting w JOIN providers p ON w.provider_code = p.org_code GROUP BY w.icb""").fetchall()
    con.close()
    return {icb: float(share) for icb, share in rows}


SPARK_SECTION = "## Spark engine"
COPIES = (1, 10, 50)


def _scaled_csv(flows: Any, copies: int, folder: Path) -> Path:
    """The RTT rows ``copies`` times over as a CSV flow table, each copy a service of its own."""
    import pandas as pd

    path = folder / f"rtt_x{copies}.csv"
    base = flows[["commissioner_id", "provider_id", "activity", "period"]]
    pd.concat([base.assign(service=f"copy{i}") for i in range(copies)]).to_csv(path, index=False)
    return path


def spark_section(args: argparse.Namespace) -> str:
    """The Spark engine beside the pandas path: the RTT table warm, then CSV files of growing size."""
    import tempfile

    import caregraph as cg

    started = time.perf_counter()
    spark = cg.spark_session()
    start_s = time.perf_counter() - started
    graph, flows = cg.rtt_graph(), cg.rtt_flows()
    in_spark = cg.spark_flow_table(spark, flows)

    def with_spark() -> Any:
        return cg.flow_network(graph, in_spark, "icb", DAY).containment()

    with_spark()
    before = load_average()
    spark_times, table = timed(with_spark, args.spark_repeat)
    pandas_times, expected = timed(lambda: cg.flow_network(graph, flows, "icb", DAY).containment(), args.spark_repeat)
    same = table.equals(expected)
    spark_median, pandas_median = statistics.median(spark_times), statistics.median(pandas_times)
    rows = [f"| RTT containment for every ICB, warm (12,869 rows) | {spark_median:.2f} s | "
            f"{pandas_median:.2f} s | {spark_median / pandas_median:.1f}x | {len(spark_times)} | "
            f"same table as pandas: {same} | {before} -> {load_average()} |"]
    sizes: list[tuple[int, float, float]] = []
    with tempfile.TemporaryDirectory() as folder:
        for copies in COPIES:
            path = _scaled_csv(flows, copies, Path(folder))
            n = len(flows) * copies

            def from_spark(path: Path = path) -> Any:
                return cg.flow_network(graph, cg.read_spark_flow_table(spark, path), "icb", DAY).containment()

            def from_pandas(path: Path = path) -> Any:
                return cg.flow_network(graph, cg.read_flow_table(path), "icb", DAY).containment()

            from_spark()
            before = load_average()
            spark_times, table = timed(from_spark, args.spark_repeat)
            pandas_times, expected = timed(from_pandas, args.spark_repeat)
            spark_median, pandas_median = statistics.median(spark_times), statistics.median(pandas_times)
            sizes.append((n, spark_median, pandas_median))
            rows.append(f"| from a CSV file, {n:,} rows ({copies} x RTT) | {spark_median:.2f} s | "
                        f"{pandas_median:.2f} s | {spark_median / pandas_median:.1f}x | {len(spark_times)} | "
                        f"same table as pandas: {table.equals(expected)} | {before} -> {load_average()} |")
            print(rows[-1], file=sys.stderr)
    spark.stop()
    return "\n".join([
        SPARK_SECTION, "",
        f"PySpark {version('pyspark')}, a local session on every core of this machine (`local[*]`, "
        f"{os.cpu_count()} cores); starting it took {start_s:.1f} s (not in the times). Each time is the median "
        f"of {args.spark_repeat} runs after one warm-up run; pandas is timed in the same minutes.", "",
        "| measure | Spark | pandas | Spark / pandas | runs | notes | load |", "|---|---|---|---|---|---|---|",
        *rows, "", _overtakes(sizes), ""])


def _overtakes(sizes: list[tuple[int, float, float]]) -> str:
    """Where Spark overtakes pandas: measured, or where the two last sizes' lines would cross."""
    faster = [n for n, spark_s, pandas_s in sizes if spark_s < pandas_s]
    if faster:
        return f"- Spark overtakes the pandas path on this machine from about {faster[0]:,} rows."
    (n1, s1, p1), (n2, s2, p2) = sizes[-2], sizes[-1]
    spark_slope, pandas_slope = (s2 - s1) / (n2 - n1), (p2 - p1) / (n2 - n1)
    if pandas_slope <= spark_slope:
        return (f"- Spark did not overtake the pandas path up to {n2:,} rows, and grows as fast or faster per row "
                "on this machine: on 2 cores it does not overtake; it is for data that lives in Spark.")
    cross = n2 + (s2 - p2) / (pandas_slope - spark_slope)
    return (f"- Spark did not overtake the pandas path up to {n2:,} rows. Per extra million rows pandas takes "
            f"{pandas_slope * 1e6:.1f} s more and Spark {spark_slope * 1e6:.1f} s, so the lines would cross near "
            f"{cross:,.0f} rows (an extrapolation, not a measurement; the pandas path also holds every row in "
            "memory, Spark does not).")


def run(args: argparse.Namespace) -> str:
    import caregraph as cg

    rows: list[str] = []
    notes: list[str] = []

    def row(measure: str, times: list[float], target: float | None, load: str, extra: str = "") -> None:
        median = statistics.median(times)
        verdict = "" if target is None else ("met" if median < target else "**not met**")
        goal = "" if target is None else f"< {target:g} s"
        rows.append(f"| {measure} | {median:.2f} s | {len(times)} | {goal} {verdict} | {extra} | {load} |")
        print(f"{measure}: {median:.2f} s {extra}", file=sys.stderr)

    before = load_average()
    graphs = [in_child("graph") for _ in range(args.graph_repeat)]
    peak = max(g["peak_mb"] for g in graphs)
    row("national graph from tables (`graph_from_frames`)", [g["graph_s"] for g in graphs], 30.0,
        f"{before} -> {load_average()}", f"{graphs[0]['nodes']:,} nodes, {graphs[0]['relationships']:,} relationships; "
        f"peak memory {peak:,.0f} MB (target < 4,096 MB: {'met' if peak < 4096 else '**not met**'}); making the "
        f"tables took {statistics.median(g['tables_s'] for g in graphs):.1f} s more")

    before = load_average()
    cold = [in_child("rtt") for _ in range(args.repeat)]
    row("RTT: containment for every ICB, fresh process from the shipped files", [c["seconds"] for c in cold], 5.0,
        f"{before} -> {load_average()}", f"{cold[0]['rows']} rows (36 ICBs, hubs, NONC, regions, total); "
        f"peak memory {max(c['peak_mb'] for c in cold):,.0f} MB")

    graph, flows = cg.rtt_graph(), cg.rtt_flows()
    before = load_average()
    times, table = timed(lambda: cg.flow_network(graph, flows, "icb", DAY).containment(), args.repeat)
    peer_times, peer = timed(duckdb_containment, args.repeat)
    ours = dict(zip(table["area_code"], table["share_inside_pct"], strict=True))
    differ = sorted(icb for icb, share in peer.items() if abs(ours.get(icb, float("nan")) - share) > 1e-9)
    ratio = statistics.median(times) / statistics.median(peer_times)
    row("RTT: flow network and containment for every ICB, warm", times, 5.0, f"{before} -> {load_average()}",
        f"{ratio:.1f}x the DuckDB query ({statistics.median(peer_times):.2f} s)")
    row("peer: one DuckDB SQL query, same files, warm", peer_times, None, "",
        f"agrees on {len(peer) - len(differ)} of {len(peer)} ICBs")
    notes.append(f"- The DuckDB peer and caregraph differ on {', '.join(differ) or 'no ICB'}: caregraph places "
                 "Oxleas (RPG) in Kent and Medway (QKS) as the ODS `etr` file does; the RTT extract's provider "
                 "parent is South East London (QKK) (`loaders/reference/data/SOURCES.md`).")
    before = load_average()
    times, _ = timed(lambda: cg.compare_geographies(graph, flows, after=DAY), args.repeat)
    row("RTT: both geographies side by side (42 and 36 ICBs)", times, None, f"{before} -> {load_average()}")

    network = cg.flow_network(graph, flows, "icb", DAY)
    before = load_average()
    times, found = timed(lambda: cg.discover_footprints(network, seed=SEED, arrangements=cg.joint_arrangements()),
                         args.repeat)
    discovered = found[found["kind"] == "discovered"]
    row("footprint discovery, RTT (36 ICBs)", times, 30.0, f"{before} -> {load_average()}",
        f"{len(discovered)} footprints, all >= 1 million: {bool(discovered['meets_min_population'].all())}, "
        f"all connected: {bool(discovered['connected'].all())}")
    system = cg.synthetic_system(cg.reference_table("icbs", DAY), seed=SEED)
    national_graph = system.graph()
    national = cg.flow_network(national_graph, system.flows, "icb", DAY)
    before = load_average()
    times, found = timed(lambda: cg.discover_footprints(national, seed=SEED), args.repeat)
    row("footprint discovery, synthetic national flows", times, 30.0, f"{before} -> {load_average()}",
        f"{int((found['kind'] == 'discovered').sum())} footprints")
    if not args.skip_spof:
        before = load_average()
        times, spof = timed(lambda: cg.single_points_of_failure(national_graph, DAY), 1)
        row("single points of failure, synthetic national model (10,000 pathways)", times, None,
            f"{before} -> {load_average()}", f"{len(spof):,} findings")

    header = [
        "# Patient flows: benchmark results", "",
        "Command (from the repository root): `.venv/bin/python benchmarks/flows.py` (see its docstring for what "
        "each measure includes).", "",
        f"Machine: {machine('pandas', 'networkx', 'duckdb')}. The machine is shared with other jobs: the load "
        f"average (1 minute) before and after each measure is in the last column. Run on {now()}.", "",
        "| measure | median | runs | target | notes | load |", "|---|---|---|---|---|---|",
    ]
    return "\n".join([*header, *rows, "", *notes, ""])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per measure (default 5)")
    parser.add_argument("--graph-repeat", type=int, default=3, help="runs of the national graph build (default 3)")
    parser.add_argument("--skip-spof", action="store_true", help="leave out the single points of failure run")
    parser.add_argument("--spark-repeat", type=int, default=3, help="runs per Spark measure (default 3)")
    parser.add_argument("--skip-spark", action="store_true", help="leave out the Spark engine section")
    parser.add_argument("--spark-only", action="store_true",
                        help="measure the Spark engine section alone, in place of the one in the results file")
    parser.add_argument("--out", type=Path, default=OUT, help=f"results file (default {OUT})")
    parser.add_argument("--child", choices=sorted(CHILDREN), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(CHILDREN[args.child]()))
        return
    if args.spark_only:
        kept = args.out.read_text(encoding="utf-8").split(SPARK_SECTION)[0].rstrip("\n")
        text = f"{kept}\n\n{spark_section(args)}"
    else:
        text = run(args) + ("" if args.skip_spark else f"\n{spark_section(args)}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
