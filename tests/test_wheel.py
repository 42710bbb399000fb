"""The built wheel holds every module and data file of the tree: an editable install would hide a gap.

``scripts/check-wheel`` (run by CI) goes further: it installs the wheel into a
fresh environment and uses it from outside the source tree.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
PACKAGES = ("caregraph", "networks", "pathways", "loaders", "cypher")
SHIPPED = {".py", ".cypher", ".csv", ".gz", ".typed", ".md", ".j2"}


@pytest.fixture(scope="module")
def wheel_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[set[str], str]:
    out = tmp_path_factory.mktemp("wheel")
    source = out / "source"  # a copy, so no build/ folder left by an earlier build can leak into the wheel
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(".git", ".venv", ".ci-venv", "build", "*.egg-info",
                                                                "__pycache__", ".mypy_cache", ".ruff_cache"))
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w", str(out),
                           str(source)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    (wheel,) = out.glob("caregraph-*.whl")
    return set(zipfile.ZipFile(wheel).namelist()), done.stdout + done.stderr


def _tree() -> set[str]:
    return {path.relative_to(ROOT).as_posix() for package in PACKAGES for path in (ROOT / package).rglob("*")
            if path.is_file() and path.suffix in SHIPPED and "__pycache__" not in path.parts}


def test_the_wheel_holds_every_module_and_data_file(wheel_files):
    names, _ = wheel_files
    tree = _tree()
    assert {"loaders/reference/data/nhs_trusts.csv", "cypher/load/nodes.cypher", "networks/py.typed",
            "loaders/reference/data/rtt_provider_commissioner_totals_2026_04.csv.gz",
            "loaders/neo4j/backend.py"} <= tree
    assert sorted(tree - names) == []
    packaged = {n for n in names if n.split("/")[0] in PACKAGES}
    assert sorted(packaged - tree) == []  # nothing stale either


def test_every_package_is_typed(wheel_files):
    names, _ = wheel_files
    assert {f"{package}/py.typed" for package in PACKAGES} <= names


def test_building_prints_no_warning(wheel_files):
    _, output = wheel_files
    assert "warning" not in output.lower(), output
