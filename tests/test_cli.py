"""The command line: help on every command, output formats, exit statuses."""

from __future__ import annotations

import argparse
import datetime
import io
import json
import shlex
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

from caregraph.cli import build_parser, main

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


NEEDS_NEO4J = {("neo4j",), ("neo4j", "load"), ("neo4j", "export"), ("neo4j", "models"), ("neo4j", "delete"), ("query",)}
"""Their examples talk to a Neo4j server: ``scripts/check-wheel`` and ``tests/neo4j`` run these commands."""


def help_examples(command: tuple[str, ...]) -> list[list[str]]:
    parser = build_parser()
    for name in command:
        parser = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices[name]
    lines = [line.strip() for line in (parser.epilog or "").splitlines()[1:] if line.strip()]
    return [shlex.split(line)[1:] for line in lines]


@pytest.mark.parametrize("command", [c for c in ALL_COMMANDS if c not in NEEDS_NEO4J], ids=" ".join)
def test_every_help_example_runs_as_written(command, tmp_path, monkeypatch, capsys):
    # a folder holding the repository's examples and test data, and the files an example names as the user's own
    for folder in ("examples", "tests"):
        (tmp_path / folder).symlink_to(ROOT / folder)
    (tmp_path / "log.csv").write_text("case,provider,time\nc1,A86024,2026-05-01T09:00\nc1,RTD,2026-05-02T10:00\n")
    monkeypatch.chdir(tmp_path)
    for argv in help_examples(command):
        status = main(argv)
        err = capsys.readouterr().err
        # 3: the delegation example's plan has findings of severity error, which is what it shows
        expected = 3 if argv[:2] == ["delegation", "check"] else 0
        assert status == expected, f"caregraph {shlex.join(argv)} exited {status}:\n{err}"


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
    document = json.loads(capsys.readouterr().out)
    assert document["as_at"] == "2024-01-01"
    rows = {r["name"]: r["count"] for r in document["rows"]}
    assert "Pool" not in rows and "IN_POOL" not in rows and rows["COMMISSIONS"] == 1


def test_validate_ok(small_model, capsys):
    assert main(["validate", str(small_model), "--format", "csv"]) == 0
    captured = capsys.readouterr()
    assert captured.out.splitlines() == ["model,valid,warnings,nodes,relationships", "small_model,True,2,21,41"]
    assert captured.err.splitlines()[0].startswith("caregraph: warning: pathways/chest-pain.yaml, steps[0], field "
                                                   "'provider': GP1 does not offer gp")


def test_reference_icbs_2026(capsys):
    assert main(["reference", "icbs", "--as-at", "2026-05-01", "--format", "csv"]) == 0
    assert len(pd.read_csv(io.StringIO(capsys.readouterr().out))) == 36


@pytest.mark.parametrize("suffix", [".graphml", ".json"])
def test_export(small_model, tmp_path, suffix, capsys):
    out = tmp_path / f"model{suffix}"
    assert main(["export", str(small_model), str(out)]) == 0
    assert capsys.readouterr().err == f"caregraph: wrote {out} (21 nodes, 41 relationships)\n"
    if suffix == ".graphml":
        assert nx.read_graphml(out, force_multigraph=True).number_of_nodes() == 21
    else:
        assert len(json.loads(out.read_text())["nodes"]) == 21


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["summary", "no/such/folder"], "caregraph: no/such/folder: not a folder"),
        (["summary", "tests/fixtures/small_model", "--as-at", "2026-13-01"],
         "caregraph: as-at date: '2026-13-01' is not a date in the form YYYY-MM-DD (or 'all')"),
        (["reference", "icbs", "--as-at", "yesterday"],
         "caregraph: as-at date: 'yesterday' is not a date in the form YYYY-MM-DD (or 'all')"),
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
    assert done.stderr.strip().splitlines()[-1] == "caregraph: 10 problems found"


HEAVY = ("pandas", "networkx", "matplotlib", "duckdb", "neo4j", "numpy")


@pytest.mark.parametrize("argv", [["--help"], ["handoffs", "list", "--help"], ["neo4j", "load", "--help"]],
                         ids=" ".join)
def test_help_imports_no_heavy_library(argv):
    code = (f"import sys; from caregraph.cli import main\ntry: main({argv!r})\nexcept SystemExit: pass\n"
            f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_global_options_go_before_or_after_the_command(small_model, capsys):
    assert main(["crossings", str(small_model), "--as-at", "2024-06-01", "-v", "--format", "csv"]) == 0
    after = capsys.readouterr().out
    assert main(["-v", "--format", "csv", "crossings", str(small_model), "--as-at", "2024-06-01"]) == 0
    assert capsys.readouterr().out == after and after.startswith("pathway,from_step")


def test_a_bug_is_not_blamed_on_the_input(monkeypatch, capsys, small_model):
    def broken(*args, **kwargs):
        raise ZeroDivisionError("division by zero inside caregraph")

    monkeypatch.setattr("caregraph.handoff_summary", broken)
    assert main(["handoffs", "summary", str(small_model)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" in err and "ZeroDivisionError" in err and "this is a bug in caregraph" in err


def test_an_environment_problem_is_one_line_and_status_2(tmp_path, small_model, capsys):
    out = tmp_path / "missing-folder" / "model.graphml"
    assert main(["export", str(small_model), str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"caregraph: cannot write {out}: the folder {out.parent} does not exist"]


def test_running_a_command_imports_only_its_module():
    code = ("import sys; from caregraph.cli import main; main(['validate', 'tests/fixtures/small_model']); "
            "print('matplotlib' in sys.modules, 'neo4j' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "False False"


def test_without_a_date_commands_use_today_and_say_so(small_model, capsys):
    today = datetime.date.today().isoformat()
    assert main(["crossings", str(small_model), "--summary"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == f"As at {today} (today)"
    assert main(["crossings", str(small_model), "--summary", "--format", "csv"]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("pathway,") and captured.err == f"caregraph: as at {today} (today)\n"
    assert main(["crossings", str(small_model), "--summary", "--format", "json", "--as-at", "all"]) == 0
    assert json.loads(capsys.readouterr().out)["as_at"] == "all"
