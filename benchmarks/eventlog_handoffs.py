"""Benchmark: ``caregraph eventlog handoffs`` against a bare DuckDB query, PM4Py and its own Spark engine.

One command, from the repository root (PM4Py and PySpark come with the test extra: ``scripts/test`` installs
them; PM4Py is AGPL and used here only to compare)::

    .venv/bin/python benchmarks/eventlog_handoffs.py                         # 1M and 10M events, 5 runs each
    .venv/bin/python benchmarks/eventlog_handoffs.py --sizes 1M --repeat 3   # quicker
    .venv/bin/python benchmarks/eventlog_handoffs.py --sizes 100M            # the spilling run (about 4 GB CSV)

It writes seeded synthetic event logs (CSV: case_id, activity, resource, timestamp; 2,000 resources, about 9
events per case, 70% of consecutive events staying with the same resource, rows in time order so cases
interleave; logs above 10M events are written in 10M-event blocks, each in time order) to ``benchmarks/cache/``
(git-ignored), then times each tool as a separate process, end to end, reading the same CSV:

* ``caregraph``: the command line, ``caregraph eventlog handoffs LOG ... --format csv``, output to a file;
* ``caregraph (spilling)``: the same with ``--memory-limit`` at 20 bytes an event (at least 100MB), under half
  the CSV's size from 10M events on, to show that a log larger than the memory allowed still works (DuckDB
  spills to disk);
* ``caregraph (spark)``: the same with ``--engine spark`` (a local Spark session on every core), up to
  ``--spark-max`` events;
* ``duckdb``: the peer: one bare ``lead() OVER (PARTITION BY case ORDER BY timestamp)`` query over ``read_csv``
  in a Python process (no checks, no tie-break by file order, no blank handling);
* ``pm4py``: ``pandas.read_csv`` + ``pm4py.format_dataframe`` + ``discover_handover_of_work_network(beta=0)``,
  up to ``--pm4py-max`` events.

Logs above 10M events (``--sizes 100M``) run only ``caregraph`` and ``duckdb``, both with a 2GB memory limit
(``--memory-limit 2GB``; ``SET memory_limit='2GB'``), and check that caregraph's peak resident memory stays
under ``--peak-limit`` (default 3GB: the 2GB DuckDB may hold plus the interpreter and buffers outside DuckDB's
accounting).

Runs are taken round robin across the tools, so that a busy spell slows every tool alike; the table gives the
median wall time, the median CPU time (user + system, from ``wait4``: less sensitive to other work on a shared
machine than wall time), and the median peak resident set (``VmHWM``, polled; a run's peak moves by a tenth
or more with the timing of DuckDB's threads). caregraph's counts are checked
against PM4Py's (scaled back to counts, off the diagonal), against its own spilling run and against its Spark
engine. A profile of the smallest size follows the table: DuckDB's own operator timings for caregraph's query
and the bare one, and the start-up cost of each process. Results go to
``benchmarks/results/eventlog_handoffs.md``, with the load average before and after each size; the runs behind
it are kept in ``eventlog_handoffs.json`` beside it, so that rerunning some sizes (``--sizes 1M``) keeps the
rows of the others.
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from common import CACHE, RESULTS, ROOT, Run, machine, measure, now

OUT = RESULTS / "eventlog_handoffs.md"  # every size's runs go in the .json beside it, so that rerunning some
# sizes keeps the others
MIMIC = ROOT / "tests" / "data" / "mimic_iii_demo" / "transfers.csv"
SEED = 20261122
RESOURCES = 2_000
MEAN_EVENTS_PER_CASE = 9
STAY = 0.7
BLOCK = 10_000_000
HUGE_MEMORY = "2GB"
COLUMNS = ["--case-col", "case_id", "--resource-col", "resource", "--timestamp-col", "timestamp"]
TARGETS = {"time_1m": 1.25, "pm4py_1m": 40.0, "time_10m": 1.25, "memory_10m": 1.2}

logger = logging.getLogger("benchmark")


def size(text: str) -> int:
    """``1M`` -> 1,000,000; ``250K``, ``100M`` and plain numbers too."""
    text = text.strip().upper().replace("_", "").replace(",", "")
    scale = {"K": 1_000, "M": 1_000_000, "G": 1_000_000_000}.get(text[-1:], 1)
    return int(float(text[:-1] if scale > 1 else text) * scale)


def sizes(text: str) -> list[int]:
    return [size(part) for part in text.split(",") if part.strip()]


def label(events: int) -> str:
    return f"{events // 1_000_000}M" if events % 1_000_000 == 0 else f"{events:,}"


def generate(events: int, path: Path) -> None:
    """Write the seeded synthetic log of ``events`` events to ``path`` (CSV), in blocks of at most 10M."""
    import duckdb

    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    parts, first_case, written = [], 0, 0
    with tempfile.TemporaryDirectory(dir=CACHE) as folder:
        while written < events:
            count = min(BLOCK, events - written)
            part = Path(folder) / f"part{len(parts)}.csv"
            first_case = _block(con, count, first_case, len(parts), part)
            parts.append(part)
            written += count
        whole = Path(folder) / "whole.csv"
        with whole.open("wb") as out:
            for number, part in enumerate(parts):
                with part.open("rb") as handle:
                    if number:
                        handle.readline()  # each block has its header; keep the first only
                    while chunk := handle.read(1 << 24):
                        out.write(chunk)
        whole.replace(path)  # only a complete log gets the name that is reused


def _block(con, events: int, first_case: int, block: int, path: Path) -> int:
    """Write one block of ``networks.synthetic``'s log (seeded by block), its cases numbered from ``first_case``."""
    from caregraph import synthetic_event_codes

    frame = synthetic_event_codes(events, seed=[SEED, block], resources=RESOURCES,
                                  mean_events_per_case=MEAN_EVENTS_PER_CASE, stay=STAY)
    frame["case_no"] += first_case
    con.register("frame", frame)
    con.execute(f"""COPY (
        SELECT 'C' || lpad(case_no::VARCHAR, 9, '0') AS case_id, 'act' || activity AS activity,
               'R' || lpad(resource::VARCHAR, 4, '0') AS resource,
               strftime(make_timestamp(seconds * 1000000), '%Y-%m-%d %H:%M:%S') AS timestamp
        FROM frame ORDER BY seconds, case_no, seq) TO '{path}' (HEADER)""")
    con.unregister("frame")
    return int(frame["case_no"].max()) + 1


BARE_SQL = """
SELECT src AS "from", dst AS "to", count(*) AS "count"
FROM (SELECT resource AS src, lead(resource) OVER (PARTITION BY case_id ORDER BY timestamp) AS dst
      FROM read_csv('{log}'))
WHERE dst IS NOT NULL AND src <> dst
GROUP BY ALL ORDER BY ALL"""


def run_duckdb(log: str, out: str, memory_limit: str = "") -> None:
    """The bare DuckDB window query, output as CSV by DuckDB."""
    import duckdb

    con = duckdb.connect(config={"temp_directory": str(CACHE / "duckdb_spill")})
    con.execute("SET enable_progress_bar = false")
    if memory_limit:
        con.execute(f"SET memory_limit = '{memory_limit}'")
    con.execute(f"COPY ({BARE_SQL.format(log=log)}) TO '{out}' (HEADER)")


def run_pm4py(log: str, out: str) -> None:
    """PM4Py's handover of work from the CSV, scaled back to counts, off the diagonal, as CSV."""
    import warnings

    warnings.filterwarnings("ignore")
    import pandas as pd
    import pm4py

    frame = pm4py.format_dataframe(pd.read_csv(log), case_id="case_id", activity_key="resource",
                                   timestamp_key="timestamp")
    network = pm4py.discover_handover_of_work_network(frame, beta=0, resource_key="resource",
                                                      timestamp_key="timestamp", case_id_key="case:concept:name")
    pairs = len(frame) - frame["case:concept:name"].nunique()
    with open(out, "w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["from", "to", "count"])
        for (a, b), share in sorted(network.connections.items()):
            if a != b:
                writer.writerow([a, b, round(share * pairs)])


@dataclass
class Timing:
    events: int
    tool: str
    runs: list[Run]

    @property
    def wall(self) -> float:
        return statistics.median(r.wall for r in self.runs)

    @property
    def cpu(self) -> float:
        return statistics.median(r.cpu for r in self.runs)

    @property
    def peak_mb(self) -> float:
        return statistics.median(r.peak_mb for r in self.runs)


def spill_limit(events: int) -> str:
    """20 bytes an event, and at least 100MB: below that DuckDB's working blocks (10 MiB each, a few per thread)
    may not fit beside the window's buffers, and the run fails with "Out of Memory" instead of spilling."""
    return f"{max(100, events * 20 // 1_000_000)}MB"


def commands(tool: str, log: Path, out: Path, events: int) -> list[str]:
    python = sys.executable
    script = str(Path(__file__).resolve())
    cli = [python, "-m", "caregraph", "eventlog", "handoffs", str(log), *COLUMNS, "--format", "csv"]
    return {"caregraph": cli,
            "caregraph (spilling)": [*cli, "--memory-limit", spill_limit(events)],
            f"caregraph ({HUGE_MEMORY})": [*cli, "--memory-limit", HUGE_MEMORY],
            "caregraph (spark)": [*cli, "--engine", "spark"],
            "duckdb": [python, script, "--run", "duckdb", str(log), str(out)],
            f"duckdb ({HUGE_MEMORY})": [python, script, "--run", "duckdb", str(log), str(out), HUGE_MEMORY],
            "pm4py": [python, script, "--run", "pm4py", str(log), str(out)]}[tool]


def same_counts(a: Path, b: Path) -> bool:
    return a.read_text().splitlines() == b.read_text().splitlines()


def tools_for(events: int, args: argparse.Namespace) -> list[str]:
    if events > BLOCK:
        return [f"caregraph ({HUGE_MEMORY})", f"duckdb ({HUGE_MEMORY})"]
    tools = ["caregraph", "caregraph (spilling)", "duckdb"]
    if events <= args.pm4py_max:
        tools.append("pm4py")
    if events <= args.spark_max:
        tools.append("caregraph (spark)")
    return tools


def profile(log: Path) -> list[str]:
    """DuckDB's operator timings (CPU seconds summed over threads) for caregraph's query and the bare one."""
    import duckdb

    import caregraph as cg

    lines = []
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "profile.json"
        profiles: list[dict[str, float]] = []
        with cg.open_event_log(log, case="case_id", resource="resource", timestamp="timestamp") as events:
            events.con.execute(f"PRAGMA enable_profiling = 'json'; PRAGMA profiling_output = '{output}'")
            execute = events.execute

            def profiled(sql: str) -> None:  # keep the profile of each statement, not only the last one's
                execute(sql)
                profiles.append(_operators(json.loads(output.read_text())))

            events.execute = profiled  # type: ignore[method-assign]
            cg.eventlog_handoff_counts(events)
            ours = max(profiles, key=lambda operators: sum(operators.values()))
        con = duckdb.connect()
        con.execute(f"SET enable_progress_bar = false; PRAGMA enable_profiling = 'json'; "
                    f"PRAGMA profiling_output = '{output}'")
        con.execute(f"CREATE TEMP TABLE bare AS {BARE_SQL.format(log=log)}")
        bare = _operators(json.loads(output.read_text()))
    lines += ["| operator (DuckDB's profile, CPU s) | caregraph | bare DuckDB |", "| --- | ---: | ---: |"]
    for name in sorted(set(ours) | set(bare), key=lambda n: -max(ours.get(n, 0), bare.get(n, 0))):
        lines.append(f"| {name} | {ours.get(name, 0):.3f} | {bare.get(name, 0):.3f} |")
    lines.append(f"| total | {sum(ours.values()):.3f} | {sum(bare.values()):.3f} |")
    return lines


def _operators(tree: dict) -> dict[str, float]:
    totals: dict[str, float] = {}
    stack = list(tree.get("operator", []))
    while stack:
        node = stack.pop()
        name = node.get("name", "?")
        totals[name] = totals.get(name, 0.0) + float(node.get("timing", 0.0))
        stack.extend(node.get("children", []))
    return {name: seconds for name, seconds in totals.items() if seconds >= 0.0005}


def run_phases(log: str) -> None:
    """What ``caregraph eventlog handoffs LOG --format csv`` does, phase by phase, timed; JSON on stdout.

    Run by :func:`phases` in a fresh process: the phases are those of ``caregraph.commands.eventlog``.
    """
    started = (time.perf_counter(), time.process_time())
    marks = {}

    def mark(name: str) -> None:
        marks[name] = (time.perf_counter(), time.process_time())

    from caregraph.cli import build_parser

    build_parser()
    import caregraph as cg

    mark("imports and parser (caregraph.cli)")
    import duckdb  # noqa: F401  (imported by open_event_log; timed apart)

    mark("import duckdb")
    with cg.open_event_log(log, case="case_id", resource="resource", timestamp="timestamp") as events:
        mark("read, check and store the events (open_event_log)")
        found = cg.eventlog_handoff_counts(events)
        mark("count hand-offs (window query)")
        with open(os.devnull, "w") as sink:
            events.write_csv(found.select, sink)
        mark("sort and write the CSV")
    mark("close (drop the tables)")
    before, result = started, {}
    for name, now_ in marks.items():
        result[name] = (now_[0] - before[0], now_[1] - before[1])
        before = now_
    print(json.dumps(result))


def run_bare_phases(log: str) -> None:
    """The bare DuckDB peer, phase by phase, timed; JSON on stdout (run by :func:`phases`)."""
    started = (time.perf_counter(), time.process_time())
    import duckdb

    imported = (time.perf_counter(), time.process_time())
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    con.execute(f"COPY ({BARE_SQL.format(log=log)}) TO '{os.devnull}' (HEADER)")
    done = (time.perf_counter(), time.process_time())
    print(json.dumps({"import duckdb": (imported[0] - started[0], imported[1] - started[1]),
                      "read, pair, count, sort and write in one query": (done[0] - imported[0],
                                                                          done[1] - imported[1])}))


def phases(log: Path, repeat: int) -> list[str]:
    """The median wall and CPU time of each phase of caregraph's run and of the bare peer's, in fresh processes,
    taken in turn."""
    runs: dict[str, list[dict[str, list[float]]]] = {"phases": [], "bare_phases": []}
    for _ in range(repeat):
        for which, found in runs.items():
            done = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--run", which, str(log)],
                                  capture_output=True, text=True, check=True, cwd=ROOT)
            found.append(json.loads(done.stdout.strip().splitlines()[-1]))
    lines = ["| phase (in one process, after the interpreter's start; medians) | wall (s) | CPU (s) |",
             "| --- | ---: | ---: |"]
    for which, tool in (("phases", "caregraph"), ("bare_phases", "bare DuckDB")):
        found = runs[which]
        for name in found[0]:
            lines.append(f"| {tool}: {name} | {statistics.median(r[name][0] for r in found):.3f} | "
                         f"{statistics.median(r[name][1] for r in found):.3f} |")
        lines.append(f"| **{tool}: total** | {statistics.median(sum(v[0] for v in r.values()) for r in found):.3f} "
                     f"| {statistics.median(sum(v[1] for v in r.values()) for r in found):.3f} |")
    return lines


def startup(repeat: int) -> list[str]:
    """Median wall time of what every run pays before it reads the log."""
    python = sys.executable
    cases = {"`python -c pass`": [python, "-c", "pass"],
             "`python -c 'import duckdb'`": [python, "-c", "import duckdb"],
             "caregraph on the 524-event MIMIC-III demo log": [
                 python, "-m", "caregraph", "eventlog", "handoffs", str(MIMIC), "--case-col", "hadm_id",
                 "--resource-col", "curr_careunit", "--timestamp-col", "intime", "--format", "csv"]}
    out = CACHE / "out_startup.csv"
    lines = ["| start-up (no log to speak of) | wall time (s) |", "| --- | ---: |"]
    for name, command in cases.items():
        lines.append(f"| {name} | {statistics.median(measure(command, out).wall for _ in range(repeat)):.2f} |")
    return lines


def _ratio(value: float | None, peer: float | None, unit: str = "") -> str:
    if value is None or peer is None or peer != peer or value != value or not peer:
        return "-"
    return f"{value / peer:.2f}{unit}"


def table(timings: list[Timing], checks: list[str], loads: list[str], notes: list[str], peak_limit_mb: float) -> str:
    by = {(t.events, t.tool): t for t in timings}
    lines = ["# Event log hand-offs: caregraph against a bare DuckDB query, PM4Py and its Spark engine", "",
             f"Written by `benchmarks/eventlog_handoffs.py` on {now()}, "
             f"{machine('duckdb', 'pandas', 'pm4py', 'pyspark')}. Each time is the median of the runs shown, "
             "taken round robin, end to end in a fresh process (interpreter start, imports, reading the CSV, "
             "writing the result). CPU is "
             "user + system time (DuckDB uses both cores, so it can exceed wall time). When each size was run and the "
             f"load average (1 min) before / after it: {'; '.join(loads)}.", "",
             "| events | tool | runs | wall time (s) | CPU time (s) | peak RSS (MB, median) | PM4Py / tool (wall) | "
             "tool / DuckDB (wall) | tool / DuckDB (CPU) | tool / DuckDB (memory) |",
             "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for t in timings:
        peer = by.get((t.events, "duckdb")) or by.get((t.events, f"duckdb ({HUGE_MEMORY})"))
        pm = by.get((t.events, "pm4py"))
        cpu = "-" if t.tool == "caregraph (spark)" else f"{t.cpu:.2f}"
        lines.append(
            f"| {t.events:,} | {t.tool} | {len(t.runs)} | {t.wall:.2f} | {cpu} | {t.peak_mb:,.0f} | "
            f"{_ratio(pm.wall if pm else None, t.wall, 'x')} | {_ratio(t.wall, peer.wall if peer else None)} | "
            f"{'-' if t.tool == 'caregraph (spark)' else _ratio(t.cpu, peer.cpu if peer else None)} | "
            f"{_ratio(t.peak_mb, peer.peak_mb if peer else None)} |")
    lines += ["", "## Targets (issue 12)", "", *targets(timings, peak_limit_mb), "", "## Checks", "", *checks, "",
              *READING, "", *notes]
    return "\n".join(lines) + "\n"


READING = [
    "## Reading the table", "",
    "- The peer does less than caregraph: no check of any row (a bad timestamp is a NULL that sorts first, a "
    "missing case a case of its own), no trimming, no file-order tie-break between equal timestamps (so its counts "
    "may change from run to run when timestamps tie), and blank resources are paired rather than skipped. "
    "caregraph's extra work is in DuckDB's projection and sort (the profile below); its start-up adds the "
    "command line's own modules to Python and DuckDB (the start-up table).",
    "- Wall times on a shared 2-core machine move with other work; CPU times move less. The ratios to DuckDB "
    "are taken from medians of interleaved runs in one session, so both sides saw the same spells of load.",
    "- Spark (`local[*]`) starts a JVM and plans the query before it reads a row; on 2 cores it spends its "
    "parallelism on the same two cores DuckDB uses. Where it overtakes DuckDB, if anywhere, is on data "
    "spread over a cluster, not on one small machine.",
]


def target_values(timings: list[Timing], small: int = 1_000_000,
                  large: int = 10_000_000) -> dict[str, float | None]:
    """The ratios of issue 12's targets (``TARGETS``' keys), None where a side was not run; ``small`` and
    ``large`` stand for 1M and 10M events (smaller in a quick check of the harness)."""
    by = {(t.events, t.tool): t for t in timings}

    def pair(events: int, tool: str, peer: str, what: str) -> float | None:
        a, b = by.get((events, tool)), by.get((events, peer))
        return None if a is None or b is None else getattr(a, what) / getattr(b, what)

    return {"time_1m": pair(small, "caregraph", "duckdb", "wall"),
            "pm4py_1m": pair(small, "pm4py", "caregraph", "wall"),
            "time_10m": pair(large, "caregraph", "duckdb", "wall"),
            "memory_10m": pair(large, "caregraph", "duckdb", "peak_mb")}


def huge_runs(timings: list[Timing]) -> list[Timing]:
    """caregraph's runs of logs above 10M events under ``--memory-limit 2GB``."""
    return [t for t in timings if t.tool == f"caregraph ({HUGE_MEMORY})"]


def target_text(key: str, small: int = 1_000_000, large: int = 10_000_000) -> str:
    """How a target reads, at the sizes that stand for 1M and 10M events."""
    return {"time_1m": f"{label(small)} events: caregraph / DuckDB wall time <= 1.25",
            "pm4py_1m": f"{label(small)} events: PM4Py / caregraph wall time >= 40",
            "time_10m": f"{label(large)} events: caregraph / DuckDB wall time <= 1.25",
            "memory_10m": f"{label(large)} events: caregraph / DuckDB peak memory <= 1.2"}[key]


def met(key: str, value: float) -> bool:
    """Whether ``value`` meets the target ``TARGETS[key]`` (PM4Py's is a floor, the others ceilings)."""
    return value >= TARGETS[key] if key == "pm4py_1m" else value <= TARGETS[key]


def targets(timings: list[Timing], peak_limit_mb: float) -> list[str]:
    lines = ["| target | measured | met |", "| --- | ---: | --- |"]
    for key, value in target_values(timings).items():
        unit = "x" if key == "pm4py_1m" else ""
        lines.append(f"| {target_text(key)} | not run | - |" if value is None else
                     f"| {target_text(key)} | {value:.2f}{unit} | {'yes' if met(key, value) else 'NO'} |")
    for t in huge_runs(timings):
        lines.append(f"| {t.events:,} events under `--memory-limit {HUGE_MEMORY}`: completes, peak RSS under "
                     f"{peak_limit_mb:,.0f} MB | {t.wall:.0f} s, {t.peak_mb:,.0f} MB | "
                     f"{'yes' if t.peak_mb < peak_limit_mb else 'NO'} |")
    return lines


@dataclass
class Outcome:
    """Every size's timings (kept ones too) and the phase-by-phase tables of the sizes measured."""

    timings: list[Timing]
    phases: dict[int, list[str]]


def main(argv: list[str] | None = None) -> Outcome:
    """Measure the sizes asked for; write the results; return what was measured."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=sizes, default=sizes("1M,10M"),
                        help="comma-separated log sizes, e.g. 1M,10M or 100M (default 1M,10M)")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each tool at each size (default 5)")
    parser.add_argument("--pm4py-max", type=size, default=size("1M"),
                        help="run PM4Py only on logs up to this size (default 1M)")
    parser.add_argument("--spark-max", type=size, default=size("10M"),
                        help="run the Spark engine only on logs up to this size (default 10M; 0: never)")
    parser.add_argument("--spark-repeat", type=int, default=3,
                        help="runs of the Spark engine at each size, in the first rounds (default 3)")
    parser.add_argument("--peak-limit", type=size, default=size("3072"),
                        help="the peak RSS in MB that the 2GB run of a log above 10M events must stay under "
                             "(default 3072)")
    parser.add_argument("--no-profile", action="store_true", help="leave out the profile of the smallest size")
    parser.add_argument("--out", type=Path, default=OUT,
                        help=f"results file, the runs behind it in a .json beside it (default {OUT})")
    parser.add_argument("--run", nargs="+", metavar="ARG", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.run:
        tools = {"pm4py": run_pm4py, "duckdb": run_duckdb, "phases": run_phases, "bare_phases": run_bare_phases}
        tools[args.run[0]](*args.run[1:])
        return Outcome([], {})
    measured_file = args.out.with_suffix(".json")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    CACHE.mkdir(parents=True, exist_ok=True)
    measured = json.loads(measured_file.read_text()) if measured_file.exists() else {}
    for events in args.sizes:
        log = CACHE / f"eventlog_{events}.csv"
        if not log.exists():
            logger.info("generating %s", log)
            generate(events, log)
        load_before = os.getloadavg()[0]
        tools = tools_for(events, args)
        repeat = args.repeat if events <= BLOCK else 1
        outputs = {tool: CACHE / f"out_{events}_{number}.csv" for number, tool in enumerate(tools)}
        runs: dict[str, list[Run]] = {tool: [] for tool in tools}
        for round_number in range(repeat):
            for tool in tools:
                if tool == "caregraph (spark)" and round_number >= args.spark_repeat:
                    continue
                runs[tool].append(measure(commands(tool, log, outputs[tool], events), outputs[tool]))
                last = runs[tool][-1]
                logger.info("%s events, %s: %.2f s wall, %.2f s CPU, %.0f MB", f"{events:,}", tool, last.wall,
                            last.cpu, last.peak_mb)
        # a rerun replaces the tools it ran (all of caregraph's and DuckDB's runs, so their ratios stay paired)
        entry = {"date": now(), "load": f"{load_before:.1f} / {os.getloadavg()[0]:.1f}",
                 "runs": {tool: [[r.wall, r.cpu, r.peak_mb] for r in runs[tool]] for tool in tools}, "checks": {}}
        kept = measured.get(str(events), {"runs": {}, "checks": {}})
        entry["runs"] = {**{t: r for t, r in kept["runs"].items() if t not in tools}, **entry["runs"]}
        entry["checks"] = {t: c for t, c in kept["checks"].items() if t not in tools}
        base = outputs.get("caregraph") or outputs[f"caregraph ({HUGE_MEMORY})"]
        for tool, what in (("caregraph (spilling)", f"with `--memory-limit {spill_limit(events)}`"),
                           ("caregraph (spark)", "with `--engine spark`"),
                           ("pm4py", "of PM4Py (scaled back to counts, off the diagonal)")):
            if tool in outputs:
                verdict = "equal" if same_counts(base, outputs[tool]) else "DIFFERENT"
                entry["checks"][tool] = f"- {events:,} events: caregraph's counts and those {what} are {verdict}."
        measured[str(events)] = entry
        measured_file.write_text(json.dumps(measured, indent=1) + "\n")
    timings, checks, loads = [], [], []
    order = ["caregraph", "caregraph (spilling)", f"caregraph ({HUGE_MEMORY})", "duckdb", f"duckdb ({HUGE_MEMORY})",
             "pm4py", "caregraph (spark)"]
    for key in sorted(measured, key=int):
        entry = measured[key]
        timings += [Timing(int(key), tool, [Run(*run) for run in entry["runs"][tool]])
                    for tool in sorted(entry["runs"], key=order.index)]
        checks += list(entry["checks"].values())
        loads.append(f"{label(int(key))} ({entry['date']}): {entry['load']}")
    notes: list[str] = []
    breakdown: dict[int, list[str]] = {}
    if not args.no_profile:
        smallest = min(args.sizes)
        for events in sorted(e for e in args.sizes if e <= BLOCK):
            logger.info("timing the phases at %s events", f"{events:,}")
            breakdown[events] = phases(CACHE / f"eventlog_{events}.csv", 3)
            notes += [f"## Where the time goes, phase by phase ({events:,} events)", "",
                      "Each side run in a fresh process that times its own phases (3 runs each, in turn; the "
                      "interpreter's start, about 0.03 s, comes before them):", "", *breakdown[events], ""]
        notes += [f"## Where the time goes, inside DuckDB ({smallest:,} events)", "",
                  "DuckDB's own profile of each side's query (operator CPU seconds, summed over threads; "
                  "caregraph's is the counting query of `pathways.eventlog_counts`, on the table of checked rows "
                  "that `open_event_log` made before it; the making of that table, which reads and checks the "
                  "CSV, is not in it):", "",
                  *profile(CACHE / f"eventlog_{smallest}.csv"), "", *startup(args.repeat), ""]
    args.out.write_text(table(timings, checks, loads, notes, float(args.peak_limit)))
    logger.info("wrote %s", args.out)
    return Outcome(timings, breakdown)


if __name__ == "__main__":
    main()
