"""The Cornwall and Isles of Scilly options example: real codes, hand-counted crossings, one command.

Crossings counted by hand from ``examples/cornwall-options`` (transition:
from budget -> to budget; the two Better Care Fund pools join each CCG
contribution with its council's adult social care):

* hip fracture (11 transitions, 7 cross): surgery -> community rehab (CCG
  core -> CCG BCF Cornwall), surgery -> reablement, surgery -> care home
  (CCG -> council), surgery -> Scilly rehab (CCG core -> CCG BCF Scilly),
  reablement -> falls prevention (council social care -> public health),
  reablement -> ED and falls prevention -> ED (council -> CCG). Not: ED ->
  surgery (one budget), the three rehab -> social care moves (pooled).
* CYP mental health (9, 7 cross): every transition but GP -> CAMHS (CCG
  core both) and early help -> children's social care (one council budget).
* adult diabetes (9, 4 cross): health check -> GP and weight management ->
  GP (public health -> CCG), clinic -> dialysis (CCG -> NHS England),
  dialysis -> home care (NHS England -> council).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from caregraph.cli import main
from caregraph import load_model, validate_model
from caregraph import CareGraph
from pathways.crossings import crossing_summary, find_budget_crossings
from caregraph import apply_scenario, appraise, read_scenarios

ROOT = Path(__file__).parents[2]
EXAMPLE = ROOT / "examples" / "cornwall-options"
SCENARIOS = EXAMPLE / "scenarios.yaml"
REFERENCE = ROOT / "loaders" / "reference" / "data"


AS_AT = "2018-04-01"
"""The day of the appraisal: the Cornwall paper is of January 2018, and CCG 11N closed on 2022-06-30."""


@pytest.fixture(scope="module")
def graph() -> CareGraph:
    return load_model(EXAMPLE)


@pytest.fixture(scope="module")
def table(graph):
    return appraise(graph, read_scenarios(SCENARIOS), as_at=AS_AT).set_index("scenario")


def _column(name: str, column: str) -> set[str]:
    with open(REFERENCE / name, newline="", encoding="utf-8") as handle:
        return {row[column] for row in csv.DictReader(handle)}


def test_the_folder_is_valid_and_uses_real_codes(graph):
    assert validate_model(EXAMPLE) == []
    assert {"REF", "RJ8"} <= _column("nhs_trusts.csv", "org_code")
    assert "QT6" in _column("icbs_2026_04.csv", "icb_ods_code")
    assert "11N" in _column("sub_icb_locations.csv", "sicbl_ods_code")
    assert {"L82028", "L82017"} <= _column("gp_practices_pcn_map_2026_01.csv", "practice_code")
    assert {"U31970", "U64053"} <= _column("gp_practices_pcn_map_2026_01.csv", "pcn_code")
    assert graph.kind("902") == graph.kind("906") == "LocalAuthority"
    assert graph.successors("11N", "SUCCEEDED_BY") == ["QT6"]
    assert graph.node("11N")["valid_to"] == "2022-06-30" and graph.node("QT6")["valid_from"] == "2022-07-01"
    sources = (EXAMPLE / "SOURCES.md").read_text(encoding="utf-8")
    for code in ("11N", "QT6", "902", "906", "E06000052", "REF12", "RJ866", "RJ809", "oos-camhs-t4"):
        assert code in sources, code


def test_hand_counted_crossings(graph):
    summary = crossing_summary(graph, as_at=AS_AT).set_index("pathway")
    assert summary["crossings"].to_dict() == {"adult-diabetes": 4, "cyp-mental-health": 7, "hip-fracture": 7}
    assert summary["transitions"].to_dict() == {"adult-diabetes": 9, "cyp-mental-health": 9, "hip-fracture": 11}
    x = find_budget_crossings(graph, as_at=AS_AT)
    flow = {(f.split("/")[1], t.split("/")[1]): p
            for f, t, p in zip(x.from_step, x.to_step, x.patients_per_year, strict=True)}
    assert flow[("health_check", "gp_care")] == pytest.approx(8000 * 0.04)  # 320
    assert flow[("weight_management", "gp_care")] == pytest.approx(8000 * 0.10 * 0.12)  # 96
    assert flow[("school_nursing", "early_help")] == pytest.approx(1500 * 0.4 * 0.2)  # 120
    assert flow[("early_help", "camhs")] == pytest.approx(1500 * 0.4 * 0.2 * 0.1)  # 12
    legal = dict(zip(zip(x.from_step.str.split("/").str[1], x.to_step.str.split("/").str[1], strict=True),
                     x.legal_basis, strict=True))
    assert legal[("diabetes_clinic", "dialysis")] == "s13V"  # NHS England with a CCG, 2018
    assert legal[("dialysis", "home_care")] is None  # NHS England with a council
    assert legal[("surgery", "community_rehab")] is None  # two budgets of the CCG: no pool needed


def test_the_six_options(table):
    assert table.index.tolist() == ["baseline", "option-1-do-nothing", "option-2-s75-alignment",
                                    "option-3-ccg-lead", "option-4-council-lead", "option-5-split-by-age",
                                    "option-6-joint-vehicle"]
    # option 2: 11 left (see module notes, minus the CCG core <-> public health and <-> children's pairs);
    # 3: dialysis -> home care; 4 and 6: the two dialysis and two CAMHS inpatient crossings;
    # 5: dialysis -> home care and the two CAMHS inpatient crossings (its s13V pool is for adults)
    assert table["crossings"].tolist() == [18, 18, 11, 1, 4, 3, 4]
    assert table.loc["option-1-do-nothing", "money_crossing_change_gbp"] == 0
    # commissioning options move money, not patients: provider hand-offs never change
    assert set(table["handoffs_change"]) == {0.0}
    # diabetes: GP care g = 8000 x 0.04 + 8000 x 0.1 x 0.12 + 0.7 c, clinic c = (0.15 + 0.55 x 0.05) g,
    # so g = 416 / (1 - 0.7 x 0.1775); dialysis 0.02 c; dialysis -> home care 0.25 of that
    g = 416 / (1 - 0.7 * 0.1775)
    home = 0.25 * 0.02 * 0.1775 * g
    assert table.loc["option-3-ccg-lead", "patients_crossing"] == pytest.approx(home)  # 0.4216
    assert table.loc["option-3-ccg-lead", "money_crossing_gbp"] == pytest.approx(home * 6000)


@pytest.mark.parametrize(
    ("option", "left"),
    [
        ("option-3-ccg-lead", {("dialysis", "home_care")}),
        ("option-4-council-lead", {("diabetes_clinic", "dialysis"), ("dialysis", "home_care"),
                                   ("camhs", "camhs_inpatient"), ("camhs_inpatient", "camhs")}),
        ("option-5-split-by-age", {("dialysis", "home_care"), ("camhs", "camhs_inpatient"),
                                   ("camhs_inpatient", "camhs")}),
    ],
)
def test_what_each_lead_option_leaves(graph, option, left):
    (scenario,) = [s for s in read_scenarios(SCENARIOS) if s.id == option]
    x = find_budget_crossings(apply_scenario(graph, scenario))
    assert set(zip(x.from_step.str.split("/").str[1], x.to_step.str.split("/").str[1], strict=True)) == left
    assert set(x.from_budget) | set(x.to_budget) >= {"bud-nhse-specialised"}  # always NHS England's money


def test_by_commissioner_the_lead_options_remove_hand_offs(graph):
    table = appraise(graph, read_scenarios(SCENARIOS), by="commissioner", as_at=AS_AT).set_index("scenario")
    changed = table.loc[table["handoffs_change"] < 0].index.tolist()
    assert changed == ["option-3-ccg-lead", "option-4-council-lead", "option-5-split-by-age"]


def test_one_command_runs_it_and_the_readme_shows_its_output(capsys):
    assert main(["appraise", str(EXAMPLE), str(SCENARIOS), "--as-at", AS_AT]) == 0
    out = capsys.readouterr().out
    readme = (EXAMPLE / "README.md").read_text(encoding="utf-8")
    assert f"caregraph appraise examples/cornwall-options examples/cornwall-options/scenarios.yaml --as-at {AS_AT}" \
        in readme
    assert out.strip() in readme
    assert "## Illustrative figures" in readme
    assert main(["appraise", str(EXAMPLE), str(SCENARIOS), "--as-at", "2018-04-01", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["crossings"] for r in rows] == ["18", "18", "11", "1", "4", "3", "4"]


def test_after_the_ccg_closed_the_options_say_why_they_fail(capsys):
    assert main(["appraise", str(EXAMPLE), str(SCENARIOS), "--as-at", "2023-04-01"]) == 2
    assert "held by nobody" in capsys.readouterr().err
