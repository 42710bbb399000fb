"""The South London delegation example runs with one command and gives the findings its README explains.

Every expected value was worked out by hand from the CSV files in
``examples/delegation-south-london``; none is computed by the code under test.
"""

from __future__ import annotations

import runpy
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from caregraph import (
    DelegationFrames,
    assess_services,
    check_delegation,
    delegation_bundles,
    delegation_frames,
    load_model,
    published_decisions,
    read_criteria,
    read_flows,
    read_plan,
    validate_model,
)
from caregraph.cli import main
from caregraph.commands.delegation import EXIT_FINDINGS

EXAMPLE = Path(__file__).parents[2] / "examples" / "delegation-south-london"
AS_AT = "2025-06-01"
"""A day when the plan (from 2025-04-01) is in force: the numbers below never move."""


@pytest.fixture(scope="module")
def frames() -> DelegationFrames:
    return delegation_frames(load_model(EXAMPLE), as_at=AS_AT)


@pytest.fixture(scope="module")
def findings(frames: DelegationFrames) -> pd.DataFrame:
    return check_delegation(frames, read_plan(EXAMPLE / "plan.csv"),
                            flows=read_flows(EXAMPLE / "flows.csv"))


def test_folder_is_valid_and_has_the_counted_nodes():
    assert validate_model(EXAMPLE) == []
    kinds = Counter(kind for _, kind in load_model(EXAMPLE).nx.nodes(data="kind"))
    assert dict(kinds) == {"NHSEngland": 1, "NHSERegion": 1, "ICB": 2, "SubICBLocation": 2, "NHSTrust": 7,
                           "Site": 11, "Service": 22, "ODN": 3}


def test_trusts_sit_in_their_icbs(frames):
    located = dict(zip(frames.locations["organisation_id"], frames.locations["icb_id"], strict=True))
    assert {t: located[t] for t in ("RJ7", "RAX", "RVR", "RJ6", "RJ1", "RJZ", "RJ2")} == {
        "RJ7": "QWE", "RAX": "QWE", "RVR": "QWE", "RJ6": "QWE", "RJ1": "QKK", "RJZ": "QKK", "RJ2": "QKK"}


def test_each_check_kind_fires_as_the_readme_explains(findings):
    got = list(zip(findings["check"], findings["severity"], findings["services"], findings["areas"],
                   findings["sites"], strict=True))
    assert got == [
        # ECMO (highly specialised, kept by X24) is co-located with adult critical care (delegated, multi-ics)
        ("codependency_split", "error", "svc-ecmo;svc-adult-critical-care", "QKK;QWE", ""),
        # deliberate: PICU kept by X24 while the MTCs it must sit with are delegated
        ("codependency_split", "error", "svc-mtc;svc-picu", "QKK;QWE", ""),
        # deliberate: Croydon's trauma unit without emergency general surgery on site
        ("site_colocation", "error", "svc-trauma-unit;svc-emergency-surgery", "QWE", "RJ611"),
        # deliberate: renal planned per ICB, critical care across South London (in-reach)
        ("codependency_split", "warning", "svc-adult-critical-care;svc-renal", "QKK;QWE", ""),
        ("depends_on_retained", "warning", "svc-mtc;svc-picu", "QKK;QWE", ""),
        # deliberate: neurosurgery refers low volume procedures to a service NHS England keeps (networked)
        ("depends_on_retained", "warning", "svc-neurosurgery;svc-low-volume-neurosurgery", "QKK;QWE", ""),
        # deliberate: kidney transplantation per ICB; South West London has no transplant centre
        ("tier_fit", "warning", "svc-kidney-transplant", "QWE", ""),
        # deliberate: specialist ophthalmology per ICB; 3877 + 1396 + 78 = 5351 of 14416 SWL pathways stay in SWL
        ("tier_fit", "warning", "svc-specialist-ophthalmology", "QWE", ""),
        # deliberate: local neonatal units per ICB although the London neonatal ODN spans both
        ("network_alignment", "warning", "svc-lnu", "QKK;QWE", ""),
        ("tier_fit", "info", "svc-kidney-transplant", "QKK", ""),  # Guy's only
        ("tier_fit", "info", "svc-renal", "QWE", ""),  # St Helier only
        ("tier_fit", "info", "svc-specialist-ophthalmology", "QWE", ""),  # Kingston only
    ]
    levels = findings.set_index(["check", "services"])["level"]
    assert levels[("depends_on_retained", "svc-neurosurgery;svc-low-volume-neurosurgery")] == "networked"
    ophthalmology = findings[(findings["check"] == "tier_fit") & (findings["severity"] == "warning")]
    assert ophthalmology["evidence"].tolist() == ["providers=0", "containment=0.37 (5351 of 14416)"]


def test_bundles(frames):
    bundles = delegation_bundles(frames, read_plan(EXAMPLE / "plan.csv"))
    assert bundles[["services", "n_links", "n_providers", "split", "split_areas"]].values.tolist() == [
        ["svc-acute-medicine;svc-adult-critical-care;svc-cardiothoracic-surgery;svc-ecmo;"
         "svc-interventional-radiology;svc-kidney-transplant;svc-mtc;svc-neurosurgery;svc-picu;svc-renal;"
         "svc-vascular", 13, 7, True, "QKK;QWE"],
        ["svc-emergency-department;svc-emergency-surgery;svc-trauma-unit", 2, 7, False, ""],
        ["svc-fetal-medicine;svc-nicu;svc-specialist-obstetrics", 2, 3, False, ""],
    ]


def test_assessment(frames):
    result = assess_services(frames, read_criteria(EXAMPLE / "criteria.yaml"), flows=read_flows(EXAMPLE / "flows.csv"),
                             published=published_decisions()).set_index("service_id")
    labels = result["classification"].to_dict()
    assert {s for s, c in labels.items() if c == "neither"} == {"svc-ecmo", "svc-low-volume-neurosurgery"}
    assert {s for s, c in labels.items() if c == "suitable not yet ready"} == {"svc-picu", "svc-kidney-transplant"}
    assert len(labels) == 16
    # adult critical care: (2*4 + 2 + 4 + 5) / 5 = 3.8, the 2 for its co-located link to ECMO
    assert result.loc["svc-adult-critical-care", "suitability_score"] == pytest.approx(3.8)
    assert result.loc["svc-adult-critical-care", "recommended_tier"] == "ics"  # 4 providers in QWE, 3 in QKK
    # neurosurgery: (2629 + 1 + 1245) / (2971 + 1487) = 3875 / 4458 stay in the residents' own ICB
    assert result.loc["svc-neurosurgery", "containment"] == pytest.approx(3875 / 4458)
    assert result.loc["svc-lnu", "recommended_tier"] == "multi-ics"  # the London neonatal ODN spans both ICBs
    assert result.loc["svc-low-volume-neurosurgery", "published"] == (
        "retained nationally as of 2022-05 (list PARTIAL: 8 of 89)")
    assert result.loc["svc-renal", "published"] == "delegated to ICBs from 2024-04-01 (list PARTIAL: 20 of 59)"


def test_cli_exit_status_follows_fail_on(tmp_path, capsys):
    plan, flows = str(EXAMPLE / "plan.csv"), str(EXAMPLE / "flows.csv")
    assert main(["delegation", "check", str(EXAMPLE), "--plan", plan, "--flows", flows]) == EXIT_FINDINGS
    clean = tmp_path / "plan.csv"
    clean.write_text("service_id,commissioner_id,status,tier\nsvc-pci,QWE,delegated,multi-ics\n"
                     "svc-pci,QKK,delegated,multi-ics\n", encoding="utf-8")
    # only the plan-independent Croydon site error remains: an error, so both levels fail
    assert main(["delegation", "check", str(EXAMPLE), "--plan", str(clean), "--fail-on", "warning"]) == EXIT_FINDINGS
    nicu = tmp_path / "nicu.csv"
    nicu.write_text("service_id,commissioner_id,status,tier\nsvc-lnu,QWE,delegated,ics\n", encoding="utf-8")
    model = tmp_path / "model"
    model.mkdir()
    for name in ("organisations.csv", "services.csv", "networks.csv", "network_members.csv"):
        (model / name).write_text((EXAMPLE / name).read_text(encoding="utf-8"), encoding="utf-8")
    # no provision: the LNU plan only breaks network alignment and tier fit (warnings)
    assert main(["delegation", "check", str(model), "--plan", str(nicu)]) == 0
    assert main(["delegation", "check", str(model), "--plan", str(nicu), "--fail-on", "warning"]) == EXIT_FINDINGS
    capsys.readouterr()


def test_run_script_prints_the_three_results(capsys):
    runpy.run_path(str(EXAMPLE / "run.py"), run_name="__main__")
    out = capsys.readouterr().out
    assert "== check_delegation: 12 findings" in out
    assert "== delegation_bundles" in out and "== assess_services" in out


@pytest.mark.parametrize(("dropped", "expected"), [
    ("svc-picu,", [("error", "svc-mtc;svc-picu", "QKK"), ("error", "svc-mtc;svc-picu", "QWE")]),
    ("svc-neurosurgery,QKK,", [("error", "svc-mtc;svc-neurosurgery", "QKK")]),
])
def test_a_plan_that_leaves_a_service_out_is_caught(frames, tmp_path, dropped, expected):
    """Issue 9: dropping PICU, or QKK's neurosurgery, from the plan must not make findings disappear silently."""
    lines = (EXAMPLE / "plan.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    plan_file = tmp_path / "plan.csv"
    plan_file.write_text("".join(line for line in lines if not line.startswith(dropped)), encoding="utf-8")
    found = check_delegation(frames, read_plan(plan_file))
    hit = found[found["check"] == "plan_incomplete"]
    assert list(zip(hit["severity"], hit["services"], hit["areas"], strict=True)) == expected


def test_a_mistyped_provider_is_an_error_or_skipped_on_request_never_counted_as_elsewhere(tmp_path, capsys):
    """Issue 9: RAX typed RAXX used to move QWE's ophthalmology containment from 37% to 10% silently."""
    text = (EXAMPLE / "flows.csv").read_text(encoding="utf-8")
    flows = tmp_path / "flows.csv"
    flows.write_text(text.replace(",36L,RAX,3877", ",36L,RAXX,3877"), encoding="utf-8")
    args = ["delegation", "check", str(EXAMPLE), "--plan", str(EXAMPLE / "plan.csv"), "--flows", str(flows),
            "--as-at", AS_AT, "--format", "csv"]
    assert main(args) == 2
    assert "'RAXX' is not an organisation of the model or an NHS provider code (row 38; activity 3877)" in \
        capsys.readouterr().err
    assert main([*args, "--skip-unknown"]) == EXIT_FINDINGS
    out, err = capsys.readouterr()
    assert "flows.csv: skipped 1 row of provider_id 'RAXX' (row 38; activity 3877)" in err
    # the skipped row counts nowhere: 5351 - 3877 = 1474 of 14416 - 3877 = 10539 stay in SWL
    assert "containment=0.14 (1474 of 10539)" in out
