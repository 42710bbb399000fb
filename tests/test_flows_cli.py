"""``caregraph flows``: bad input gives exit status 2 and one line per problem naming file, row and field."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from caregraph.cli import main

HEADER = "commissioner_id,provider_id,activity"


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def _problems(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("caregraph: flows")]


@pytest.fixture
def write(tmp_path: Path):
    def _write(text: str, name: str = "flows.csv") -> str:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return str(path)
    return _write


@pytest.mark.parametrize(("rows", "expected"), [
    # an unknown commissioner on two rows and an unknown provider: one line per id, with its rows and activity
    ("36L,RJ7,5\nQXX,RJ7,7\nQXX,RJZ,3\n36L,RZZ9,2\n",
     ["caregraph: flows.csv, row 3, field 'commissioner_id': 'QXX' is not an organisation of the model "
      "(rows 3, 4; activity 10)",
      "caregraph: flows.csv, row 5, field 'provider_id': 'RZZ9' is not an organisation of the model "
      "(row 5; activity 2)"]),
    ("36L,RJ7,-4\n", ["caregraph: flows.csv, row 2, field 'activity': -4.0 is below the minimum 0"]),
    ("36L,RJ7,lots\n", ["caregraph: flows.csv, row 2, field 'activity': 'lots' is not a number"]),
    ("36L,RJ7,5\n36L,RJZ,1\n36L,RJ7,6\n",
     ["caregraph: flows.csv, row 4: repeats row 2 (same commissioner_id, provider_id)"]),
    ("36L,,5\n", ["caregraph: flows.csv, row 2, field 'provider_id': required value is missing"]),
    ("QWE,36L,5\n", ["caregraph: flows.csv, row 2, field 'provider_id': '36L' is a SubICBLocation, not a provider "
                     "(row 2; activity 5)"]),
])
def test_bad_rows_exit_2_with_one_line_each(capsys, write, rows, expected):
    status, out, err = _run(capsys, "flows", "containment", write(f"{HEADER}\n{rows}"))
    assert status == 2 and out == ""
    assert _problems(err) == expected
    assert "Traceback" not in err


def test_several_periods_are_an_error_unless_one_is_chosen(capsys, write):
    path = write(f"{HEADER},period\n36L,RJ7,5,2026-04\n36L,RJZ,1,2026-04\n36L,RJ7,6,2026-05\n")
    status, _, err = _run(capsys, "flows", "containment", path)
    assert status == 2 and "Traceback" not in err
    assert _problems(err) == ["caregraph: flows.csv, row 4, field 'period': a second period '2026-05' (row 2 has "
                              "'2026-04'): flows are for one period; choose one (period=... or --period)"]
    status, out, err = _run(capsys, "flows", "containment", path, "--period", "2026-05", "--as-at", "2026-05-01",
                            "--format", "json")
    assert status == 0
    qwe = next(r for r in json.loads(out)["rows"] if r["area_code"] == "QWE")
    assert qwe["activity"] == 6 and qwe["share_inside_pct"] == 100.0  # RJ7 St George's is in QWE


def test_a_missing_column_and_an_unknown_one(capsys, write):
    status, _, err = _run(capsys, "flows", "containment", write("commissioner_id,provider,activity\n36L,RJ7,5\n"))
    assert status == 2
    assert _problems(err) == [
        "caregraph: flows.csv, row 1, field 'provider': unknown column; allowed: commissioner_id, provider_id, "
        "activity, service, service_name, cost_gbp, unit_cost_gbp, period",
        "caregraph: flows.csv, row 1, field 'provider_id': missing column"]


def test_skip_unknown_continues_and_says_what_it_skipped(capsys, write):
    path = write(f"{HEADER}\n36L,RJ7,5\nQXX,RJ7,7\n")
    status, out, err = _run(capsys, "flows", "containment", path, "--skip-unknown", "--as-at", "2026-05-01",
                            "--format", "csv")
    assert status == 0
    assert ("caregraph: flows.csv: skipped 1 row of commissioner_id 'QXX' (row 3; activity 7): "
            "not an organisation of the model") in err
    table = pd.read_csv(io.StringIO(out)).set_index("area_code")
    assert table.loc["QWE", "activity"] == 5 and table.loc["ALL", "activity"] == 5


def test_flows_and_rtt_together_is_one_clear_error(capsys, write):
    status, _, err = _run(capsys, "flows", "containment", write(f"{HEADER}\n36L,RJ7,5\n"), "--rtt")
    assert status == 2
    assert err.strip() == "caregraph: give a flow table (FLOWS) or --rtt for the shipped RTT return, not both " \
                          "or neither"


def test_a_bad_unit_cost_is_named(capsys, write):
    flows = write(f"{HEADER},service\n36L,RJ7,5,C_110\n")
    costs = write("service,unit_cost_gbp\nC_110,cheap\n", "costs.csv")
    status, _, err = _run(capsys, "flows", "money-shift", flows, "--costs", costs)
    assert status == 2 and "Traceback" not in err
    assert "caregraph: costs.csv, row 2, field 'unit_cost_gbp': 'cheap' is not a number" in err


def test_money_shift_with_unit_costs(capsys, write):
    flows = write(f"{HEADER},service\n36L,RJ7,5,C_110\n36L,RJZ,2,C_110\n")
    costs = write("service,unit_cost_gbp\nC_110,100\n", "costs.csv")
    status, out, err = _run(capsys, "flows", "money-shift", flows, "--costs", costs, "--as-at", "2026-05-01",
                            "--format", "json")
    assert status == 0 and "money: unit cost per service" in err
    rows = {r["icb_code"]: r for r in json.loads(out)["rows"]}
    # QWE residents: 7 units x GBP 100 = 700; QWE hosts RJ7 (500), QKK hosts RJZ (King's, 200)
    assert (rows["QWE"]["money_population_gbp"], rows["QWE"]["money_hosted_gbp"]) == (700.0, 500.0)
    assert rows["QKK"]["net_shift_gbp"] == -200.0


def test_footprints_and_spof_run(capsys):
    status, out, err = _run(capsys, "flows", "spof", "examples/cardiology", "--as-at", "2026-05-01",
                            "--format", "csv")
    assert status == 0 and "model as at 2026-05-01" in err
    assert pd.read_csv(io.StringIO(out))["removed_id"].iloc[0] == "RTD"
    status, out, err = _run(capsys, "flows", "footprints", "--rtt", "--as-at", "2026-05-01", "--format", "csv")
    assert status == 0 and "seed 1" in err
    found = pd.read_csv(io.StringIO(out))
    assert found.loc[found["kind"] == "discovered", "meets_min_population"].all()


def test_the_python_examples_in_docs_flows_md_run():
    text = (Path(__file__).parents[1] / "docs" / "flows.md").read_text(encoding="utf-8")
    for block in re.findall(r"```python\n(.*?)```", text, re.S):
        exec(compile(block, "docs/flows.md", "exec"), {})


@pytest.mark.parametrize("command", ["containment", "crossboundary", "money-shift", "footprints"])
def test_every_flows_command_documented_runs_on_the_rtt_data(capsys, command):
    status, out, err = _run(capsys, "flows", command, "--rtt", "--as-at", "2026-05-01", "--format", "csv")
    assert status == 0 and out and "as at 2026-05-01" in err
