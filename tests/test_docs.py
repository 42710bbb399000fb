"""The README and the model-format reference stay true to the code."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from caregraph import NODE_KINDS, RELATIONSHIP_TYPES
from loaders.model_tables import TABLES

ROOT = Path(__file__).parents[1]
FORMAT = (ROOT / "docs" / "model-format.md").read_text()


@pytest.mark.parametrize("table", list(TABLES.values()), ids=lambda t: t.name)
def test_every_column_is_documented(table):
    section = FORMAT.split(f"### {table.name}.csv", 1)[1].split("\n### ", 1)[0]
    for column in table.columns():
        assert f"`{column}`" in section, f"{table.name}.csv column {column} is not documented"


def test_every_allowed_value_and_kind_is_documented():
    for kind in NODE_KINDS.values():
        for prop in kind.properties:
            for choice in prop.choices or ():
                assert f"`{choice}`" in FORMAT, choice
    for rel in RELATIONSHIP_TYPES.values():
        for prop in rel.properties:
            for choice in prop.choices or ():
                assert f"`{choice}`" in FORMAT, choice
    for table in TABLES.values():
        if hasattr(table, "kinds") and not getattr(table, "fixed_kind", True):
            for kind in table.kinds():
                assert f"`{kind}`" in FORMAT, kind


def test_readme_python_quickstart_runs(tmp_path, monkeypatch):
    readme = (ROOT / "README.md").read_text()
    code = re.search(r"```python\n(.*?)```", readme, re.S).group(1)
    monkeypatch.chdir(tmp_path)
    code = code.replace('"examples/cardiology"', repr(str(ROOT / "examples" / "cardiology")))
    namespace: dict[str, object] = {}
    exec(compile(code, "README.md", "exec"), namespace)
    assert (tmp_path / "cardiology.graphml").exists()


def test_readme_names_the_commands_ci_runs():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    assert "scripts/test" in readme and "scripts/test" in ci
    main_job = "caregraph report examples/cardiology -o cardiology.html --as-at 2026-05-01"
    assert f".venv/bin/{main_job}" in readme
    # scripts/check-wheel runs the same main job from the installed wheel, on a copy of the example
    assert main_job.replace("examples/", "") in (ROOT / "scripts" / "check-wheel").read_text()
    assert "scripts/check-wheel" in ci


def test_readme_benchmark_commands_parse():
    readme = (ROOT / "README.md").read_text()
    commands = re.findall(r"^\.venv/bin/python (benchmarks/run\.py[^#\n]*)", readme, re.M)
    assert len(commands) == 3 and any("--quick" in c for c in commands) and any("--only" in c for c in commands)
    for command in commands:  # --help after the options: argparse checks each option given before it
        done = subprocess.run([sys.executable, *command.split(), "--help"], cwd=ROOT, capture_output=True, text=True,
                              check=False)
        assert done.returncode == 0, (command, done.stderr)
    bad = subprocess.run([sys.executable, "benchmarks/run.py", "--only", "nope", "--help"], cwd=ROOT,
                         capture_output=True, text=True, check=False)
    assert bad.returncode == 2 and "unknown benchmark nope" in bad.stderr
