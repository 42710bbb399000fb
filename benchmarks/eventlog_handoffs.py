"""Benchmark: ``caregraph eventlog handoffs`` against PM4Py and a plain DuckDB window query.

Run from the repository root (PM4Py is a test/benchmark-only dependency, AGPL)::

    .venv/bin/pip install pm4py==2.7.23.11
    .venv/bin/python benchmarks/eventlog_handoffs.py                      # 1M (all three) and 10M events
    .venv/bin/python benchmarks/eventlog_handoffs.py --events 1000000 --repeat 1   # quicker

It writes seeded synthetic event logs (CSV: case_id, activity, resource,
timestamp; 2,000 resources, about 9 events per case, 70% of consecutive
events staying with the same resource, rows in time order so cases
interleave) to ``benchmarks/cache/`` (git-ignored), then times each tool as
a separate process, end to end, reading the same CSV:

* ``caregraph``: the command line, ``caregraph eventlog handoffs LOG ...
  --format csv`` with its output written to a file;
* ``caregraph (spilling)``: the same with ``--memory-limit`` at 20 bytes an
  event (at least 50MB), under half the CSV's size, to show that a log
  larger than the memory allowed still works (DuckDB spills to disk);
* ``pm4py``: ``pandas.read_csv`` + ``pm4py.format_dataframe`` +
  ``pm4py.discover_handover_of_work_network(beta=0)``;
* ``duckdb``: one ``lead() OVER (PARTITION BY case ORDER BY timestamp)``
  query over ``read_csv`` (ties left to chance: no file-order tie-break).

Wall time is the median of ``--repeat`` runs, taken round robin across the tools; peak memory is the largest
resident set size of the process (its ``VmHWM``, polled). caregraph's counts are
checked against PM4Py's (scaled back to counts, off the diagonal). Results
go to ``benchmarks/results/eventlog_handoffs.md``.
"""

from __future__ import annotations

import argparse
import csv
import logging
import os
import platform
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "benchmarks" / "cache"
RESULTS = ROOT / "benchmarks" / "results" / "eventlog_handoffs.md"
SEED = 20261122
RESOURCES = 2_000
MEAN_EVENTS_PER_CASE = 9
STAY = 0.7

logger = logging.getLogger("benchmark")


def generate(events: int, path: Path) -> None:
    """Write the seeded synthetic log of ``events`` events to ``path`` (CSV): ``networks.synthetic``'s log."""
    import duckdb

    from caregraph import synthetic_event_codes

    frame = synthetic_event_codes(events, seed=SEED, resources=RESOURCES, mean_events_per_case=MEAN_EVENTS_PER_CASE,
                                  stay=STAY)
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    con.register("frame", frame)
    con.execute(f"""COPY (
        SELECT 'C' || lpad(case_no::VARCHAR, 8, '0') AS case_id, 'act' || activity AS activity,
               'R' || lpad(resource::VARCHAR, 4, '0') AS resource,
               strftime(make_timestamp(seconds * 1000000), '%Y-%m-%d %H:%M:%S') AS timestamp
        FROM frame ORDER BY seconds, case_no, seq) TO '{path}' (HEADER)""")


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


def run_duckdb(log: str, out: str) -> None:
    """The plain DuckDB window query, output as CSV."""
    import duckdb

    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    con.execute(f"""COPY (
        SELECT src AS "from", dst AS "to", count(*) AS "count"
        FROM (SELECT resource AS src, lead(resource) OVER (PARTITION BY case_id ORDER BY timestamp) AS dst
              FROM read_csv('{log}'))
        WHERE dst IS NOT NULL AND src <> dst
        GROUP BY ALL ORDER BY ALL) TO '{out}' (HEADER)""")


@dataclass
class Timing:
    events: int
    tool: str
    seconds: list[float]
    peak_mb: float

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def _high_water_kb(status: Path) -> int:
    """The process's peak resident set (VmHWM) so far, in kB; 0 once it has exited."""
    try:
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def measure(command: list[str], out: Path) -> tuple[float, float]:
    """Run ``command`` with stdout to ``out``; return wall seconds and peak RSS in MB.

    The peak is the child's own ``VmHWM``, polled every 5 ms. ``ru_maxrss`` from
    ``wait4`` is not used: on Linux a child inherits its parent's high-water mark
    across fork and exec, so every tool would report at least this script's peak.
    """
    errors = out.with_suffix(".stderr")
    with out.open("wb") as stdout, errors.open("wb") as stderr:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=stdout, stderr=stderr)
        status, peak_kb = Path(f"/proc/{process.pid}/status"), 0
        while process.poll() is None:
            peak_kb = max(peak_kb, _high_water_kb(status))
            time.sleep(0.005)
        seconds = time.perf_counter() - start
    if process.returncode != 0:
        raise RuntimeError(f"{command} failed:\n{errors.read_text()}")
    return seconds, peak_kb / 1024


def spill_limit(events: int) -> str:
    return f"{max(50, events * 20 // 1_000_000)}MB"


def commands(tool: str, log: Path, out: Path, events: int) -> list[str]:
    python = sys.executable
    script = str(Path(__file__).resolve())
    cli = [python, "-m", "caregraph", "eventlog", "handoffs", str(log), "--case-col", "case_id",
           "--resource-col", "resource", "--timestamp-col", "timestamp", "--format", "csv"]
    return {"caregraph": cli,
            "caregraph (spilling)": [*cli, "--memory-limit", spill_limit(events)],
            "pm4py": [python, script, "--run", "pm4py", str(log), str(out)],
            "duckdb": [python, script, "--run", "duckdb", str(log), str(out)]}[tool]


def same_counts(a: Path, b: Path) -> bool:
    return a.read_text().splitlines() == b.read_text().splitlines()


def table(timings: list[Timing], checks: list[str], loads: list[str], startup: float) -> str:
    base = {(t.events, t.tool): t.median for t in timings}
    lines = ["# Event log hand-offs: caregraph against PM4Py and DuckDB", "",
             f"Written by `benchmarks/eventlog_handoffs.py` on {time.strftime('%Y-%m-%d')}: "
             f"{os.cpu_count()} cores, {_cpu()}, Python {platform.python_version()}, "
             f"duckdb {version('duckdb')}, pandas {version('pandas')}, pm4py {_version('pm4py')}. "
             f"Each time is the median of {len(timings[0].seconds)} runs, end to end in a fresh process "
             "(interpreter start, imports, reading the CSV, writing the result). The machine was shared; "
             f"load average (1 min) for {'; '.join(loads)}.", "",
             "| events | tool | wall time (s) | peak RSS (MB) | PM4Py / tool | tool / DuckDB |",
             "| ---: | --- | ---: | ---: | ---: | ---: |"]
    for t in timings:
        pm = base.get((t.events, "pm4py"))
        duck = base.get((t.events, "duckdb"))
        lines.append(f"| {t.events:,} | {t.tool} | {t.median:.2f} | {t.peak_mb:,.0f} | "
                     f"{f'{pm / t.median:.1f}x' if pm else '-'} | {f'{t.median / duck:.2f}' if duck else '-'} |")
    lines += ["", *checks,
              f"- Start-up: the same command on the 524-event MIMIC-III demo log takes {startup:.2f} s (interpreter, "
              "imports of the command modules, DuckDB), included in each caregraph time above.", ""]
    return "\n".join(lines)


def _cpu() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown CPU"


def _version(name: str) -> str:
    try:
        return version(name)
    except Exception:
        return "not installed"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pm4py-max", type=int, default=1_000_000,
                        help="run PM4Py only on logs up to this many events (default 1,000,000)")
    parser.add_argument("--run", nargs=3, metavar=("TOOL", "LOG", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        {"pm4py": run_pm4py, "duckdb": run_duckdb}[args.run[0]](args.run[1], args.run[2])
        return
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    CACHE.mkdir(parents=True, exist_ok=True)
    timings, checks, loads = [], [], []
    for events in args.events:
        log = CACHE / f"eventlog_{events}.csv"
        if not log.exists():
            logger.info("generating %s", log)
            generate(events, log)
        load_before = os.getloadavg()[0]
        tools = ["caregraph", "caregraph (spilling)", "duckdb"]
        if events <= args.pm4py_max:
            tools.append("pm4py")
        outputs = {tool: CACHE / f"out_{events}_{number}.csv" for number, tool in enumerate(tools)}
        runs: dict[str, list[tuple[float, float]]] = {tool: [] for tool in tools}
        for _ in range(args.repeat):  # round robin, so that a busy spell slows every tool alike
            for tool in tools:
                runs[tool].append(measure(commands(tool, log, outputs[tool], events), outputs[tool]))
                logger.info("%s events, %s: %.2f s, %.0f MB", f"{events:,}", tool, *runs[tool][-1])
        loads.append(f"{events:,} events: {load_before:.1f} at the start, {os.getloadavg()[0]:.1f} at the end")
        timings += [Timing(events, tool, [s for s, _ in runs[tool]], max(m for _, m in runs[tool]))
                    for tool in tools]
        spilled = "same as" if same_counts(outputs["caregraph"], outputs["caregraph (spilling)"]) else "DIFFERENT from"
        checks.append(f"- {events:,} events: with `--memory-limit {spill_limit(events)}` the counts are {spilled} "
                      "without a limit.")
        if "pm4py" in outputs:
            verdict = "equal" if same_counts(outputs["caregraph"], outputs["pm4py"]) else "DIFFERENT"
            checks.append(f"- {events:,} events: caregraph's counts and PM4Py's (scaled back to counts, off the "
                          f"diagonal) are {verdict}.")
    mimic = ROOT / "tests" / "data" / "mimic_iii_demo" / "transfers.csv"
    tiny = [sys.executable, "-m", "caregraph", "eventlog", "handoffs", str(mimic), "--case-col", "hadm_id",
            "--resource-col", "curr_careunit", "--timestamp-col", "intime"]
    startup = statistics.median(measure(tiny, CACHE / "out_tiny.csv")[0] for _ in range(args.repeat))
    RESULTS.write_text(table(timings, checks, loads, startup))
    logger.info("wrote %s", RESULTS)


if __name__ == "__main__":
    main()
