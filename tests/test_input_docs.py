"""docs/inputs.md stays true to the code: every input is documented and every example in it runs.

Each example file in the page is a fenced block whose info string names it
(```` ```csv title=plan.csv ````); the tests write them to a folder, read them
with the real readers, run the analyses on the example models as at fixed
dates, and check facts that can be counted by hand from the page. Every
``$ caregraph ...`` line of a ``console`` block is run too, and where the
page shows its output, the output must match.
"""

from __future__ import annotations

import argparse
import math
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import caregraph as cg
from caregraph.cli import build_parser
from loaders import criteria as criteria_reader
from loaders import scenarios as scenario_reader
from networks.delegation.activity import RESIDENT_FLOW_COLUMNS, SPEND_COLUMNS
from networks.delegation.criteria import COMPUTED_MEASURES, STEPS
from networks.delegation.plans import PLAN_COLUMNS, PLAN_OPTIONAL_COLUMNS
from networks.scenarios import CHANGE_FIELDS

ROOT = Path(__file__).parents[1]
DOC = (ROOT / "docs" / "inputs.md").read_text(encoding="utf-8")
CORNWALL = ROOT / "examples" / "cornwall-options"
SOUTH_LONDON = ROOT / "examples" / "delegation-south-london"
CORNWALL_DATE = "2018-01-01"  # the Kernow CCG era of the Cornwall model
DELEGATION_DATE = "2025-06-01"  # after the plan's 2025-04-01 rows

FILE_BLOCKS = re.findall(r"^```(\w+) title=(\S+)\n(.*?)^```$", DOC, re.M | re.S)
EXAMPLES = {name: text for _, name, text in FILE_BLOCKS}
LANGUAGES = {".csv": "csv", ".yaml": "yaml", ".xes": "xml"}


def section(heading: str) -> str:
    """The text from ``heading`` to the next heading of the same or a higher level."""
    start = DOC.index(f"\n{heading}")
    level = heading.split(" ", 1)[0]
    ends = [DOC.find(f"\n{'#' * n} ", start + 1) for n in range(2, len(level) + 1)]
    ends = [end for end in ends if end != -1]
    return DOC[start:min(ends) if ends else len(DOC)]


def table_row(text: str, name: str) -> list[str]:
    """The cells of the table row documenting ``name`` in ``text``."""
    rows = [line for line in text.splitlines() if line.startswith(f"| `{name}` |")]
    assert len(rows) == 1, f"expected one table row for `{name}`, found {len(rows)}"
    return [cell.strip() for cell in rows[0].strip("|").split("|")]


def console_commands() -> list[tuple[str, list[str]]]:
    """Every ``$ caregraph`` command of the console blocks, with the output shown under it."""
    found: list[tuple[str, list[str]]] = []
    for block in re.findall(r"^```console\n(.*?)^```$", DOC, re.M | re.S):
        lines = block.splitlines()
        i = 0
        while i < len(lines):
            assert lines[i].startswith("$ caregraph "), f"a console block line is not a command: {lines[i]!r}"
            command = lines[i][2:]
            while command.endswith("\\"):
                i += 1
                command = command[:-1] + lines[i].strip()
            i += 1
            output = []
            while i < len(lines) and not lines[i].startswith("$ "):
                output.append(lines[i])
                i += 1
            found.append((command, output))
    return found


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding every example file of the page and a link to the repository's examples."""
    folder = tmp_path_factory.mktemp("inputs")
    for name, text in EXAMPLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "examples").symlink_to(ROOT / "examples", target_is_directory=True)
    return folder


@pytest.fixture(scope="module")
def south_london() -> cg.CareGraph:
    return cg.load_model(SOUTH_LONDON)


# -- the page documents every input the code reads -------------------------------------------------------------


def test_every_example_file_is_checked_here():
    assert len(EXAMPLES) == len(FILE_BLOCKS), "two example blocks name the same file"
    assert set(EXAMPLES) == {"bad-plan.csv", "scenarios.yaml", "plan.csv", "flows.csv", "spend.csv",
                             "criteria.yaml", "scores.csv", "admissions.csv", "admissions.xes"}
    for language, name, _ in FILE_BLOCKS:
        assert LANGUAGES[Path(name).suffix] == language, name


@pytest.mark.parametrize("kind", list(CHANGE_FIELDS))
def test_every_change_and_field_is_documented(kind):
    text = section(f"#### `{kind}`")
    for name, spec in CHANGE_FIELDS[kind].items():
        _, type_, required, allowed, _ = table_row(text, name)
        assert type_ == spec.type, f"{kind}.{name}: documented as {type_}, is {spec.type}"
        assert (required == "yes") == spec.required, f"{kind}.{name}: required is {spec.required}"
        if spec.choices is not None and name != "combine_streams":  # combine_streams refers to `stream`
            assert all(f"`{choice}`" in allowed for choice in spec.choices), f"{kind}.{name} choices"
        if spec.default not in (None, ()):
            assert f"default `{spec.default}`" in allowed, f"{kind}.{name} default"


def test_every_scenario_key_is_documented():
    text = section("## Scenario file (`scenarios.yaml`)").split("\n#### ", 1)[0]
    for key in ("scenarios", *scenario_reader._SCENARIO_KEYS):
        table_row(text, key)
    assert f"`{cg.BASELINE}` is reserved" in text


@pytest.mark.parametrize(("heading", "required", "optional"), [
    ("## Delegation plan (`plan.csv`)", PLAN_COLUMNS, PLAN_OPTIONAL_COLUMNS),
    ("## Resident flows (`flows.csv`)", RESIDENT_FLOW_COLUMNS, ()),
    ("## Spend (`spend.csv`)", SPEND_COLUMNS, ()),
], ids=["plan", "flows", "spend"])
def test_every_table_column_is_documented(heading, required, optional):
    text = section(heading)
    for column in (*required, *optional):
        assert (table_row(text, column)[1] == "yes") == (column in required), column


def test_plan_choices_are_documented():
    text = section("## Delegation plan (`plan.csv`)")
    for choice in (*cg.COMMISSIONING_STATUSES, *cg.PLANNING_TIERS):
        assert f"`{choice}`" in text, choice


def test_every_criteria_key_and_measure_is_documented():
    text = section("## Criteria (`criteria.yaml`) and scores (`scores.csv`)")
    keys = (*criteria_reader._TOP_KEYS, *criteria_reader._STEP_KEYS, *criteria_reader._CRITERION_KEYS,
            *criteria_reader._TIERING_KEYS)
    for key in keys:
        assert f"`{key}`" in text, key
    for measure in COMPUTED_MEASURES:
        assert f"`{measure}`" in text, measure
    assert set(STEPS) == {"suitability", "readiness"}


def _subparser(parser: argparse.ArgumentParser, *names: str) -> argparse.ArgumentParser:
    for name in names:
        action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        parser = action.choices[name]
    return parser


@pytest.mark.parametrize("command", ["handoffs", "compare"])
def test_every_event_log_option_is_documented(command):
    text = section("## Event logs (CSV and XES)")
    parser = _subparser(build_parser(), "eventlog", command)
    options = [o for a in parser._actions for o in a.option_strings
               if o.startswith("--") and o not in ("--help", "--format", "--columns", "--verbose")]
    assert "--case-col" in options
    for option in options:
        assert option in text, option
    for option, default in (("--case-col", "case:concept:name"), ("--resource-col", "org:resource"),
                            ("--timestamp-col", "time:timestamp")):
        assert parser.get_default(option[2:].replace("-", "_")) == default
        assert f"`{option}` | `{option[2:-4]}` | `{default}`" in text, option


# -- the examples load and give the results the page describes --------------------------------------------------


def test_bad_plan_reports_every_problem_with_its_row(work, south_london):
    plan = cg.read_plan(work / "bad-plan.csv")
    with pytest.raises(cg.ValidationError) as caught:
        cg.check_delegation(south_london, plan, as_at=DELEGATION_DATE)
    where = [(p.file, p.row, p.field) for p in caught.value.problems]
    assert where == [("bad-plan.csv", 1, "notes"), ("bad-plan.csv", 2, "tier"), ("bad-plan.csv", 3, "valid_from"),
                     ("bad-plan.csv", 5, "service_id"), ("bad-plan.csv", 5, "commissioner_id"),
                     ("bad-plan.csv", 6, None)]


@pytest.fixture(scope="module")
def scenarios(work) -> dict[str, cg.Scenario]:
    return {s.id: s for s in cg.read_scenarios(work / "scenarios.yaml")}


def test_scenario_example_reads_with_defaults(scenarios):
    assert list(scenarios) == ["prevention-fund", "council-leads-cyp", "dialysis-to-ccg", "one-council",
                               "ccg-holds-scilly"]
    assert {c.kind for s in scenarios.values() for c in s.changes} == set(CHANGE_FIELDS)
    (delegate, _) = scenarios["dialysis-to-ccg"].changes
    assert (delegate.values["status"], delegate.values["tier"]) == ("delegated", "ics")
    assert scenarios["prevention-fund"].changes[0].values["legal_basis"] is None
    assert scenarios["one-council"].changes[0].values["combine_streams"] == ("la_social_care",)


def test_scenario_example_appraisal(scenarios):
    graph = cg.load_model(CORNWALL)
    table = cg.appraise(graph, list(scenarios.values()), as_at=CORNWALL_DATE).set_index("scenario")
    assert list(table.index) == ["baseline", *scenarios]
    assert table["changes"].tolist() == [0, 1, 3, 2, 1, 1]
    assert table.loc["baseline", "crossings"] == 18  # as in examples/cornwall-options/README.md
    # the pool removes exactly the baseline crossings between its two budgets: four, counted by hand
    crossings = cg.find_budget_crossings(graph.as_at(CORNWALL_DATE))
    pooled = {"bud-kernow-core", "bud-cornwall-ph"}
    between = sum({a, b} == pooled for a, b in zip(crossings["from_budget"], crossings["to_budget"], strict=True))
    assert between == 4
    assert table.loc["prevention-fund", "crossings_change"] == -4
    # diabetes clinic -> dialysis no longer crosses; dialysis -> home care still does
    assert table.loc["dialysis-to-ccg", "crossings_change"] == -1


def test_scenario_example_changes_the_model_as_documented(scenarios):
    view = cg.load_model(CORNWALL).as_at(CORNWALL_DATE)

    g = cg.apply_scenario(view, scenarios["prevention-fund"])
    assert g.node("pool-prevention")["legal_basis"] == "s75"
    assert sorted(g.predecessors("pool-prevention", "IN_POOL")) == ["bud-cornwall-ph", "bud-kernow-core"]

    g = cg.apply_scenario(view, scenarios["council-leads-cyp"])
    assert g.successors("bud-kernow-cyp", "HELD_BY") == ["902"]
    assert g.node("bud-kernow-cyp")["amount_gbp"] == 2_500_000
    for step in ("gp", "camhs"):
        assert g.successors(f"cyp-mental-health/{step}", "PAID_FROM") == ["bud-kernow-cyp"]
    assert g.successors("cyp-mental-health/school_nursing", "PAID_FROM") == ["bud-cornwall-ph"]

    g = cg.apply_scenario(view, scenarios["dialysis-to-ccg"])
    commissioning = [(u, a["status"], a["tier"]) for u, v, a in g.edges_of("COMMISSIONS", data=True)
                     if v == "svc-renal-dialysis"]
    assert commissioning == [("11N", "delegated", "ics")]
    steps = g.predecessors("svc-renal-dialysis", "OF_SERVICE")
    assert steps and all(g.successors(s, "PAID_FROM") == ["bud-kernow-core"] for s in steps)

    g = cg.apply_scenario(view, scenarios["one-council"])
    assert "bud-scilly-asc" not in g and "906" in g
    assert g.predecessors("906", "HELD_BY") == []
    assert sorted(g.successors("bud-cornwall-asc", "IN_POOL")) == ["pool-bcf-cornwall", "pool-bcf-scilly"]
    assert g.successors("hip-fracture/scilly_home_care", "PAID_FROM") == ["bud-cornwall-asc"]

    g = cg.apply_scenario(view, scenarios["ccg-holds-scilly"])
    assert g.successors("bud-scilly-asc", "HELD_BY") == ["11N"]


def test_plan_example(work, south_london):
    plan = cg.read_plan(work / "plan.csv")
    assert plan["row"].tolist() == [2, 3, 4]
    frames = cg.delegation_frames(south_london, DELEGATION_DATE)
    arrangement = cg.resolve_plan(cg.validate_plan(plan, frames), frames, as_at=DELEGATION_DATE)
    renal = arrangement[arrangement["service_id"] == "svc-renal"]
    assert renal[["icb_id", "commissioner_id", "tier"]].values.tolist() == [["QKK", "X24", "region"],
                                                                           ["QWE", "QWE", "ics"]]

    def splits(as_at: str) -> list[list[str]]:
        found = cg.check_delegation(south_london, plan, as_at=as_at)
        return found.loc[found["check"] == "codependency_split", ["services", "areas", "severity"]].values.tolist()

    assert splits("2025-03-01") == []
    assert splits(DELEGATION_DATE) == [["svc-kidney-transplant;svc-renal", "QWE", "error"]]


def test_flows_example(work, south_london):
    flows = cg.read_flows(work / "flows.csv")
    checked = cg.validate_flows(flows, cg.delegation_frames(south_london, DELEGATION_DATE))
    assert len(checked) == 5 and checked["activity"].sum() == 1900  # "1,000" is 1000
    plan = cg.read_plan(work / "plan.csv")

    def containment_warnings(threshold: float) -> list[list[str]]:
        found = cg.check_delegation(south_london, plan, as_at=DELEGATION_DATE, flows=flows,
                                    containment_threshold=threshold)
        warned = found[(found["check"] == "tier_fit") & (found["severity"] == "warning")]
        return warned[["services", "areas", "message"]].values.tolist()

    assert containment_warnings(0.5) == []
    ((service, area, message),) = containment_warnings(0.75)
    assert (service, area) == ("svc-renal", "QWE") and "60%" in message  # 300 of 500


def test_spend_example(work, south_london):
    spend = cg.read_spend(work / "spend.csv")
    assert len(spend) == 3
    bundles = cg.delegation_bundles(south_london, cg.read_plan(work / "plan.csv"), as_at=DELEGATION_DATE,
                                    spend=spend).set_index("bundle")
    neonatal = bundles.loc["bundle-3"]
    assert neonatal["services"] == "svc-fetal-medicine;svc-nicu;svc-specialist-obstetrics"
    assert neonatal["spend_gbp"] == 60_000_000 and neonatal["spend_known"] == "3 of 3"


def test_criteria_example(work, south_london):
    criteria = cg.read_criteria(work / "criteria.yaml")
    suitability, readiness = criteria.steps
    assert [c.name for c in suitability.criteria] == ["patient_clinical_benefit", "number_of_providers"]
    assert [c.weight for c in suitability.criteria] == [2.0, 1.0]  # weight defaults to 1
    assert (suitability.floor, readiness.floor) == (2.0, 1.0)  # floor defaults to the scale's lowest
    assert (criteria.min_providers, criteria.min_containment, criteria.scale) == (2, 0.75, (1.0, 5.0))
    assert criteria.analyst_criteria() == ["patient_clinical_benefit", "network_arrangements"]
    scores = criteria.scores.set_index("service_id")
    assert len(scores) == 2 and math.isnan(scores.loc["svc-renal", "network_arrangements"])

    flows = cg.read_flows(work / "flows.csv")
    result = cg.assess_services(south_london, criteria, flows=flows, as_at=DELEGATION_DATE).set_index("service_id")
    pci = result.loc["svc-pci"]
    assert (pci["classification"], pci["recommended_tier"]) == ("suitable and ready", "region")
    assert (pci["n_providers"], pci["suitability_score"], pci["readiness_score"]) == (3, 5.0, 4.0)
    assert result.loc["svc-renal", "classification"] == "suitable not yet ready"


def test_csv_event_log_example(work):
    log = work / "admissions.csv"
    columns = {"case": "admission", "resource": "unit", "timestamp": "time"}
    with cg.open_event_log(log, **columns, order="seq") as events:
        ordered = cg.eventlog_handoffs(events)
    assert ordered.values.tolist() == [["AMU", "CCU", 2], ["ED", "AMU", 2], ["ED", "Ward7", 1]]
    assert ordered.attrs["skipped_events"] == 1
    with cg.open_event_log(log, **columns) as events:
        in_file_order = cg.eventlog_handoffs(events)
    assert in_file_order.values.tolist() == [["AMU", "CCU", 1], ["CCU", "AMU", 1], ["ED", "AMU", 1],
                                             ["ED", "CCU", 1], ["ED", "Ward7", 1]]
    frame = cg.read_event_log(log, **columns, order="seq")
    assert len(frame) == 10 and frame["resource"].isna().sum() == 1
    assert str(frame["timestamp"].dt.tz) == "UTC"


def test_xes_event_log_example(work):
    log = work / "admissions.xes"
    frame = cg.read_event_log(log, activity="concept:name")
    assert frame["case"].tolist() == ["A1"] * 4
    assert frame["resource"].isna().tolist() == [False, False, True, False]
    assert frame["activity"].tolist()[2] == "scan"
    assert frame["timestamp"].iloc[0] == pd.Timestamp("2024-03-01 10:00", tz="UTC")
    assert set(cg.read_event_log(log, case="case:admission_type")["case"]) == {"emergency"}
    with pytest.raises(cg.ValidationError, match="no such column"):
        cg.read_event_log(log, resource="tests")  # a nested (list) attribute is ignored
    with cg.open_event_log(log) as events:
        assert cg.eventlog_handoffs(events).values.tolist() == [["AMU", "CCU", 1], ["ED", "AMU", 1]]


@pytest.mark.parametrize(("command", "output"), console_commands(), ids=lambda v: v if isinstance(v, str) else "")
def test_console_example(work, command, output):
    args = shlex.split(command)
    assert args[0] == "caregraph"
    done = subprocess.run([sys.executable, "-m", "caregraph", *args[1:]], cwd=work, capture_output=True,
                          text=True, timeout=300)
    if any(line.endswith(("problem found", "problems found")) for line in output):
        expected = 2
    elif args[1:3] == ["delegation", "check"]:
        expected = 3  # the example model has a site finding of its own
    else:
        expected = 0
    assert done.returncode == expected, done.stderr
    if output:
        assert (done.stderr + done.stdout).splitlines() == output
