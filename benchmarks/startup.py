"""Benchmark: how fast ``caregraph --help`` and every command's ``--help`` answer, and what they import.

Run from the repository root::

    .venv/bin/python benchmarks/startup.py              # 5 runs of each
    .venv/bin/python benchmarks/startup.py --repeat 3

Each ``--help`` (the top level, every command group and every command, found by walking the parser of
``caregraph.cli``) runs ``--repeat`` times as the installed console script ``caregraph``, each in a fresh
process; the median wall time is reported against issue 12's target (0.3 s), beside ``python -c pass``
(the interpreter alone). One more run of each, inside Python, lists which heavy libraries (matplotlib,
the Neo4j driver, pandas, PySpark, and NetworkX, NumPy, DuckDB) ended up in ``sys.modules``. Where the
time of the slowest goes is shown by ``python -X importtime``: the modules that take longest to import,
with everything they import. Results go to ``benchmarks/results/startup.md`` (``--out``).

Whether the commands themselves (not their help) stay clear of matplotlib and the Neo4j driver is
checked by ``tests/test_lazy_imports.py``, which runs each on an example.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from common import RESULTS, ROOT, machine, markdown_table, measure, median, now

OUT = RESULTS / "startup.md"
TARGET_S = 0.3
HEAVY = ("matplotlib", "neo4j", "pandas", "pyspark", "networkx", "numpy", "duckdb")
PROBE = """import json, sys
from caregraph.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(json.dumps([name for name in {heavy!r} if name in sys.modules]), file=sys.stderr)
"""


def help_commands() -> list[tuple[str, ...]]:
    """``()`` for ``caregraph --help``, then every command group and command, as their words."""
    from caregraph.cli import build_parser

    found: list[tuple[str, ...]] = [()]

    def walk(parser: argparse.ArgumentParser, prefix: tuple[str, ...]) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    found.append((*prefix, name))
                    walk(sub, (*prefix, name))

    walk(build_parser(), ())
    return found


def console_script() -> list[str]:
    """The ``caregraph`` console script beside this Python, else ``python -m caregraph``."""
    script = shutil.which("caregraph", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-m", "caregraph"]


def heavy_imports(words: tuple[str, ...]) -> list[str]:
    """The heavy libraries in ``sys.modules`` after ``caregraph WORDS --help``."""
    done = subprocess.run([sys.executable, "-c", PROBE.format(heavy=HEAVY), *words, "--help"], cwd=ROOT,
                          capture_output=True, text=True, check=True)
    names: list[str] = json.loads(done.stderr.strip().splitlines()[-1])
    return names


def slowest_imports(words: tuple[str, ...], top: int = 8) -> list[tuple[str, float, float]]:
    """``python -X importtime``'s ``top`` first-level imports by cumulative time: (module, self ms, total ms)."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "caregraph", *words, "--help"], cwd=ROOT,
                          capture_output=True, text=True, check=True)
    rows = []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line or "self [us]" in line:
            continue
        own, total, name = line.removeprefix("import time:").split("|")
        if not name.startswith("  "):  # a first-level import: the time of everything below it is in total
            rows.append((name.strip(), int(own) / 1000, int(total) / 1000))
    return sorted(rows, key=lambda row: -row[2])[:top]


def main(argv: list[str] | None = None) -> dict[str, object]:
    """Time every ``--help``; write the results; return the slowest median and the heavy imports found."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs of each --help (default 5)")
    parser.add_argument("--out", type=Path, default=OUT, help=f"results file (default {OUT})")
    args = parser.parse_args(argv)
    script = console_script()
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "help.txt"
        bare = median(measure([sys.executable, "-c", "pass"], out).wall for _ in range(args.repeat))
        for words in help_commands():
            wall = median(measure([*script, *words, "--help"], out, cwd=ROOT).wall for _ in range(args.repeat))
            rows.append((words, wall, heavy_imports(words)))
            print(f"caregraph {' '.join(words)} --help: {wall:.3f} s", file=sys.stderr)
    slowest = max(rows, key=lambda row: row[1])
    imports = slowest_imports(slowest[0])
    over = [row for row in rows if row[1] > TARGET_S]
    lines = [
        "# Start-up: `caregraph --help` and every command's `--help`", "",
        f"Written by `benchmarks/startup.py` on {now()}; {machine()}. Each time is the median of "
        f"{args.repeat} runs of the console script `{Path(script[-1]).name}` in a fresh process, wall time, "
        f"output to a file. `python -c pass` (the interpreter alone): {bare:.3f} s.", "",
        f"Target (issue 12): every `--help` in at most {TARGET_S} s. Slowest: `caregraph "
        f"{' '.join((*slowest[0], '--help'))}`, {slowest[1]:.3f} s: "
        f"**{'met' if not over else f'not met by {len(over)} of {len(rows)}'}**.", "",
        *markdown_table(["command", "median wall (s)", "heavy libraries imported"],
                        [(f"`caregraph {' '.join((*words, '--help'))}`", f"{wall:.3f}", ", ".join(heavy) or "none")
                         for words, wall, heavy in rows], right=(1,)), "",
        "## Where the time of the slowest goes (`python -X importtime`, one run, first-level imports)", "",
        *markdown_table(["module", "own (ms)", "with what it imports (ms)"],
                        [(f"`{name}`", f"{own:.1f}", f"{total:.1f}") for name, own, total in imports],
                        right=(1, 2)), ""]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {args.out}", file=sys.stderr)
    return {"slowest_s": slowest[1], "slowest": " ".join(slowest[0]), "over": len(over), "commands": len(rows),
            "bare_s": bare, "heavy": {" ".join(words): heavy for words, _, heavy in rows if heavy},
            "imports": imports}


if __name__ == "__main__":
    main()
