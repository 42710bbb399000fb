"""Reading delegation plans: every problem reported together, with file, row and field; CLI exit 2."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from caregraph import CareGraph, ValidationError, read_plan
from caregraph.cli import main
from networks.delegation.plans import resolve_plan, validate_plan
from networks.delegation.tables import DelegationFrames, delegation_frames

EXAMPLE = Path(__file__).parents[2] / "examples" / "delegation-south-london"


@pytest.fixture
def frames() -> DelegationFrames:
    """X24; region Y56 with ICBs QWE and QKK; council 107; services a and b."""
    g = CareGraph()
    g.add_node("X24", "NHSEngland")
    g.add_node("Y56", "NHSERegion")
    for icb in ("QWE", "QKK"):
        g.add_node(icb, "ICB")
        g.add_edge(icb, "Y56", "PART_OF")
    g.add_node("107", "LocalAuthority")
    for service in ("a", "b"):
        g.add_node(service, "Service", specialised=True)
    return delegation_frames(g)


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "plan.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_valid_plan_is_read_with_row_numbers(tmp_path, frames):
    path = _write(tmp_path, "service_id,commissioner_id,status,tier,valid_from\n"
                            " a ,QWE,delegated,ics,2025-04-01\nb,X24,retained,national,\n")
    plan = validate_plan(read_plan(path), frames)
    assert plan.values.tolist() == [["a", "QWE", "delegated", "ics", "2025-04-01", 2],
                                    ["b", "X24", "retained", "national", None, 3]]


def test_every_problem_in_a_plan_is_reported_together(tmp_path, frames):
    path = _write(tmp_path, "service_id,commissioner_id,status,tier,valid_from,notes\n"
                            "zz,QWE,delegated,ics,,\n"
                            "a,QXX,delegated,ics,,\n"
                            "a,QKK,devolved,place,2025-13-01,\n"
                            "b,107,retained,ics,,\n"
                            ",X24,retained,,,\n")
    with pytest.raises(ValidationError) as caught:
        validate_plan(read_plan(path), frames)
    assert [str(p) for p in caught.value.problems] == [
        "plan.csv, row 1, field 'notes': unknown column; allowed: service_id, commissioner_id, status, tier, "
        "valid_from",
        "plan.csv, row 2, field 'service_id': unknown service 'zz'",
        "plan.csv, row 3, field 'commissioner_id': unknown commissioner 'QXX' (or it covers no ICB population "
        "of the model)",
        "plan.csv, row 4, field 'status': unknown status 'devolved'; one of: retained, delegated, joint",
        "plan.csv, row 4, field 'tier': unknown tier 'place'; one of: ics, multi-ics, region, national",
        "plan.csv, row 4, field 'valid_from': '2025-13-01' is not a date in the form YYYY-MM-DD",
        "plan.csv, row 5, field 'commissioner_id': unknown commissioner '107' (or it covers no ICB population "
        "of the model)",
        "plan.csv, row 6, field 'service_id': required value is missing",
        "plan.csv, row 6, field 'tier': required value is missing",
    ]


def test_missing_columns_are_reported(tmp_path, frames):
    with pytest.raises(ValidationError) as caught:
        read_plan(_write(tmp_path, "service_id,commissioner\na,QWE\n"))
    assert [str(p) for p in caught.value.problems] == [
        "plan.csv, row 1, field 'commissioner': unknown column; allowed: service_id, commissioner_id, status, "
        "tier, valid_from",
        "plan.csv, row 1, field 'commissioner_id': missing column",
        "plan.csv, row 1, field 'status': missing column",
        "plan.csv, row 1, field 'tier': missing column",
    ]


def test_a_service_both_retained_and_delegated_for_the_same_area(tmp_path, frames):
    # X24 covers QWE and QKK; QWE's own row overlaps it for QWE only. Both start "from the start".
    path = _write(tmp_path, "service_id,commissioner_id,status,tier\n"
                            "a,X24,retained,national\na,QWE,delegated,ics\nb,Y56,retained,region\n"
                            "b,X24,retained,national\n")
    with pytest.raises(ValidationError) as caught:
        validate_plan(read_plan(path), frames)
    assert [str(p) for p in caught.value.problems] == [
        "plan.csv, row 3, field 'commissioner_id': service 'a' is both retained (row 2, X24) and delegated "
        "(row 3, QWE) for QWE",
        "plan.csv, row 5, field 'commissioner_id': service 'b' is planned twice for QKK;QWE (row 4, Y56; "
        "row 5, X24); give one row per service and area, or a later valid_from",
    ]


def test_a_later_row_replaces_an_earlier_one_for_its_area(frames):
    plan = validate_plan(pd.DataFrame({
        "service_id": ["a", "a"], "commissioner_id": ["X24", "QWE"], "status": ["retained", "delegated"],
        "tier": ["region", "ics"], "valid_from": ["2013-04-01", "2025-04-01"]}), frames)
    assert resolve_plan(plan, frames).values.tolist() == [
        ["a", "QKK", "X24", "retained", "region"], ["a", "QWE", "QWE", "delegated", "ics"]]
    assert resolve_plan(plan, frames, "2025-03-31").values.tolist() == [
        ["a", "QKK", "X24", "retained", "region"], ["a", "QWE", "X24", "retained", "region"]]


# the command line --------------------------------------------------------------------------

def test_cli_reports_each_plan_problem_on_one_line_and_exits_2(tmp_path, capsys):
    plan = _write(tmp_path, "service_id,commissioner_id,status,tier\n"
                            "svc-nope,QWE,delegated,ics\nsvc-mtc,QZZ,delegated,ics\n"
                            "svc-pci,QWE,delegated,place\nsvc-renal,X24,retained,national\n"
                            "svc-renal,QWE,delegated,ics\n")
    assert main(["delegation", "check", str(EXAMPLE), "--plan", str(plan)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "caregraph: plan.csv, row 2, field 'service_id': unknown service 'svc-nope'",
        "caregraph: plan.csv, row 3, field 'commissioner_id': unknown commissioner 'QZZ' (or it covers no ICB "
        "population of the model)",
        "caregraph: plan.csv, row 4, field 'tier': unknown tier 'place'; one of: ics, multi-ics, region, national",
        "caregraph: 3 problems found",
    ]


def test_cli_reports_a_plan_conflict_and_exits_2(tmp_path, capsys):
    plan = _write(tmp_path, "service_id,commissioner_id,status,tier\n"
                            "svc-renal,X24,retained,national\nsvc-renal,QWE,delegated,ics\n")
    assert main(["delegation", "bundles", str(EXAMPLE), "--plan", str(plan)]) == 2
    assert capsys.readouterr().err.splitlines()[0] == (
        "caregraph: plan.csv, row 3, field 'commissioner_id': service 'svc-renal' is both retained (row 2, X24) "
        "and delegated (row 3, QWE) for QWE")


def test_cli_rejects_an_unknown_codependency_level_in_the_model(tmp_path, capsys):
    model = tmp_path / "model"
    shutil.copytree(EXAMPLE, model)
    path = model / "codependencies.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",networked,", ",nearby,", 1), encoding="utf-8")
    assert main(["delegation", "check", str(model)]) == 2
    assert "field 'level': 'nearby' is not one of: co-located, in-reach, networked, none" in capsys.readouterr().err


def test_cli_rejects_unknown_fail_on_level_and_bad_flows(tmp_path, capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["delegation", "check", str(EXAMPLE), "--fail-on", "info"])
    assert stopped.value.code == 2
    flows = tmp_path / "flows.csv"
    flows.write_text("service_id,commissioner_id,provider_id,activity\nsvc-pci,X24,RJ7,lots\n", encoding="utf-8")
    assert main(["delegation", "check", str(EXAMPLE), "--flows", str(flows)]) == 2
    assert capsys.readouterr().err.splitlines()[-3:] == [
        "caregraph: flows.csv, row 2, field 'commissioner_id': 'X24' is not an ICB or sub-ICB location of the model",
        "caregraph: flows.csv, row 2, field 'activity': 'lots' is not a number",
        "caregraph: 2 problems found",
    ]
