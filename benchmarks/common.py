"""What every benchmark shares: the machine's description, timing a command in a fresh process, medians,
Markdown tables, and loading a script of this repository as a module.

The benchmarks are scripts, not a package: each puts this folder on ``sys.path`` (a script's own folder is
there when it runs) and imports ``common``.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
CACHE = ROOT / "benchmarks" / "cache"


def cpu_name() -> str:
    """The CPU's model name, from ``/proc/cpuinfo``."""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown CPU"


def memory_gb() -> float:
    """The machine's RAM in GB, from ``/proc/meminfo``."""
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) / 1024 / 1024
    return float("nan")


def package_version(name: str) -> str:
    """The installed version of ``name``, or "not installed"."""
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def load_average() -> str:
    """The load average over the last minute, as text."""
    return f"{os.getloadavg()[0]:.1f}"


def machine(*packages: str) -> str:
    """One line describing the machine, Python and the versions of ``packages``."""
    versions = "".join(f", {name} {package_version(name)}" for name in packages)
    return (f"{os.cpu_count()} cores, {cpu_name()}, {memory_gb():.0f} GB RAM, {platform.system()} "
            f"{platform.machine()}, Python {platform.python_version()}{versions}")


def now() -> str:
    """The date and time (UTC) a result was written."""
    return time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())


@dataclass
class Run:
    """One run of a command in a fresh process: wall and CPU seconds, peak resident set in MB."""

    wall: float
    cpu: float
    peak_mb: float


def median(values: Iterable[float]) -> float:
    """The median of ``values``."""
    return statistics.median(list(values))


def measure(command: Sequence[str], out: Path, cwd: Path | None = None) -> Run:
    """Run ``command`` with stdout to ``out``; return wall and CPU seconds and peak RSS in MB.

    The peak is the largest sum of ``VmHWM`` over the process and its children (the JVM of a Spark run),
    polled every 5 ms (``ru_maxrss`` from ``wait4`` is not used: on Linux a child inherits its parent's
    high-water mark across fork and exec). The CPU time is the process's own, from ``wait4``; a Spark run's
    JVM is not counted in it.
    """
    errors = out.with_suffix(".stderr")
    with out.open("wb") as stdout, errors.open("wb") as stderr:
        start = time.perf_counter()
        process = subprocess.Popen(list(command), stdout=stdout, stderr=stderr, cwd=cwd)
        peak_kb = 0
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            peak_kb = max(peak_kb, sum(_high_water_kb(Path(f"/proc/{p}/status")) for p in _tree(process.pid)))
            time.sleep(0.005)
        wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"{command} failed:\n{errors.read_text()}")
    return Run(wall, usage.ru_utime + usage.ru_stime, peak_kb / 1024)


def _high_water_kb(status: Path) -> int:
    """The process's peak resident set (VmHWM) so far, in kB; 0 once it has exited."""
    try:
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _tree(pid: int) -> list[int]:
    """The process and its descendants (the JVM of a Spark run)."""
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        try:
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            children = []
        queue.extend(int(c) for c in children)
    return found


def markdown_table(header: Sequence[str], rows: Iterable[Sequence[object]], right: Sequence[int] = ()) -> list[str]:
    """The lines of a Markdown table; the columns whose indexes are in ``right`` are right-aligned."""
    rule = ["---:" if number in right else "---" for number in range(len(header))]
    return [f"| {' | '.join(header)} |", f"| {' | '.join(rule)} |",
            *(f"| {' | '.join(str(cell) for cell in row)} |" for row in rows)]


def load_module(path: str) -> ModuleType:
    """Import ``path``: a ``.py`` file (relative to the repository root) or a module name."""
    if not path.endswith(".py"):
        return importlib.import_module(path)
    file = Path(path) if Path(path).is_absolute() else ROOT / path
    spec = importlib.util.spec_from_file_location(file.stem, file)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module
