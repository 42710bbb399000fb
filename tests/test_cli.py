"""The command line: help on every command, output formats, exit statuses."""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

from caregraph import build_parser, main

ROOT = Path(__file__).parents[1]


def commands(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found.append((*prefix, name))
                found += commands(sub, (*prefix, name))
    return found


ALL_COMMANDS = commands(build_parser())


def test_the_foundation_commands_exist():
    assert {("validate",), ("summary",), ("reference",), ("export",)} <= set(ALL_COMMANDS)


@pytest.mark.parametrize("command", ALL_COMMANDS, ids=" ".join)
def test_every_command_has_help_with_an_example(command, capsys):
    with pytest.raises(SystemExit) as stop:
        main([*command, "--help"])
    assert stop.value.code == 0
    out = capsys.readouterr().out
    assert "example" in out and "caregraph" in out


def test_summary_counts_as_csv(small_model, capsys):
    assert main(["summary", str(small_model), "--format", "csv"]) == 0
    frame = pd.read_csv(io.StringIO(capsys.readouterr().out))
    counts = dict(zip(frame["name"], frame["count"], strict=True))
    # hand count of tests/fixtures/small_model: 7 organisations, 4 services, 3 budgets, 1 pool, ...
    assert counts["Service"] == 4 and counts["Budget"] == 3 and counts["Step"] == 4
    assert counts["NEXT"] == 4 and counts["IN_POOL"] == 2 and counts["PART_OF"] == 3


def test_summary_as_at_drops_what_is_not_in_force(small_model, capsys):
    # the Better Care Fund pool starts 2024-04-01 and NHS England's commissioning ends 2025-03-31
    assert main(["--format", "json", "summary", str(small_model), "--as-at", "2024-01-01"]) == 0
    rows = {r["name"]: r["count"] for r in json.loads(capsys.readouterr().out)}
    assert "Pool" not in rows and "IN_POOL" not in rows and rows["COMMISSIONS"] == 1


def test_validate_ok(small_model, capsys):
    assert main(["validate", str(small_model), "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines() == ["model,valid,nodes,relationships", "small_model,True,21,41"]


def test_reference_icbs_2026(capsys):
    assert main(["reference", "icbs", "--as-at", "2026-05-01", "--format", "csv"]) == 0
    assert len(pd.read_csv(io.StringIO(capsys.readouterr().out))) == 36


@pytest.mark.parametrize("suffix", [".graphml", ".json"])
def test_export(small_model, tmp_path, suffix, capsys):
    out = tmp_path / f"model{suffix}"
    assert main(["export", str(small_model), str(out)]) == 0
    if suffix == ".graphml":
        assert nx.read_graphml(out, force_multigraph=True).number_of_nodes() == 21
    else:
        assert len(json.loads(out.read_text())["nodes"]) == 21


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["summary", "no/such/folder"], "caregraph: no/such/folder: not a folder"),
        (["summary", "tests/fixtures/small_model", "--as-at", "2026-13-01"],
         "caregraph: --as-at: '2026-13-01' is not a date in the form YYYY-MM-DD"),
        (["reference", "icbs", "--as-at", "yesterday"],
         "caregraph: as-at date: 'yesterday' is not a date in the form YYYY-MM-DD"),
    ],
)
def test_bad_input_gives_one_line_and_status_2(argv, message, capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[0] == message


def test_export_refuses_an_unknown_suffix(small_model, tmp_path, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["export", str(small_model), str(tmp_path / "model.txt")])
    assert stop.value.code == 2
    assert "must end in .graphml or .json" in capsys.readouterr().err


def test_console_script_runs_as_a_module():
    done = subprocess.run([sys.executable, "-m", "caregraph", "validate", "tests/fixtures/ten_mistakes"],
                          cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines()[-1] == "caregraph: 10 problem(s) found"


def test_every_command_is_in_the_lazy_registry():
    from caregraph.cli import COMMAND_MODULES

    top_level = {command[0] for command in ALL_COMMANDS}
    assert top_level == set(COMMAND_MODULES)
    for name, module in COMMAND_MODULES.items():
        parser = build_parser([name])
        registered = {c[0] for c in commands(parser)}
        assert registered >= {name}, (name, module)


def test_running_a_command_imports_only_its_module():
    code = ("import sys; from caregraph.cli import main; main(['validate', 'tests/fixtures/small_model']); "
            "print('matplotlib' in sys.modules, 'neo4j' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "False False"
