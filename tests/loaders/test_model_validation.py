"""Each kind of bad input gives a located problem, and all are reported together."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from caregraph import ArgumentError, ValidationError, load_model, validate_model
from caregraph.cli import main

TEN_MISTAKES = Path(__file__).parents[1] / "fixtures" / "ten_mistakes"


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1))


def problems_of(folder: Path) -> list[str]:
    return [str(p) for p in validate_model(folder)]


def test_the_small_model_is_valid_with_two_warnings(small_model):
    # the hand-made model lists no provision for the GP practice or the council: valid, with a warning each
    assert [p.severity for p in validate_model(small_model)] == ["warning", "warning"]
    assert problems_of(small_model) == [
        "pathways/chest-pain.yaml, steps[0], field 'provider': GP1 does not offer gp (General practice) in the "
        "model's provision, which may be partial",
        "pathways/chest-pain.yaml, steps[3], field 'provider': LA1 does not offer care (Reablement) in the model's "
        "provision, which may be partial",
    ]


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        pytest.param("budgets.csv", "id,name,stream,holder,amount_gbp", "id,name,stream,amount_gbp",
                     "budgets.csv, row 1, field 'holder': missing column", id="missing-column"),
        pytest.param("services.csv", "id,name,specialised,crg_code", "id,name,specialised,crg",
                     "services.csv, row 1, field 'crg': unknown column; allowed: id, name, specialised, "
                     "valid_from, valid_to, service_code, crg_code, highly_specialised", id="unknown-column"),
        pytest.param("pathways/chest-pain.yaml", "provider: LA1", "provider: LA2",
                     "pathways/chest-pain.yaml, steps[3], field 'provider': unknown reference 'LA2'",
                     id="unknown-reference"),
        pytest.param("services.csv", "care,Reablement", "rehab,Reablement",
                     "services.csv, row 5, field 'id': duplicate id 'rehab' (first defined at services.csv row 4)",
                     id="duplicate-id"),
        pytest.param("commissioning.csv", "delegated,ics", "delegated,ICS",
                     "commissioning.csv, row 3, field 'tier': 'ICS' is not one of: ics, multi-ics, region, "
                     "national", id="invalid-enum"),
        pytest.param("pathways/chest-pain.yaml", "patients_per_year: 1000", "patients_per_year: -1000",
                     "pathways/chest-pain.yaml, top level, field 'patients_per_year': -1000.0 is below the "
                     "minimum 0", id="negative-volume"),
        pytest.param("pathways/chest-pain.yaml", "to: rehab, probability: 0.9", "to: rehab, probability: 1.9",
                     "pathways/chest-pain.yaml, transitions[1], field 'probability': 1.9 is above the maximum 1",
                     id="probability-over-one"),
        pytest.param("pathways/chest-pain.yaml", "{from: care, to: pci, probability: 0.05}",
                     "{from: care, to: pci, probability: 0.05}\n  - {from: care, to: gp, probability: 0.96}",
                     "pathways/chest-pain.yaml, transitions[4], field 'probability': probabilities of the "
                     "transitions leaving step 'chest-pain/care' sum to 1.01, over 1", id="probabilities-sum"),
        pytest.param("pools.csv", "2024-04-01,", "2024-04-01,2023-03-31",
                     "pools.csv, row 2, field 'valid_to': valid_to 2023-03-31 is before valid_from 2024-04-01",
                     id="dates-in-wrong-order"),
        pytest.param("pools.csv", "2024-04-01,", "01/04/2024,",
                     "pools.csv, row 2, field 'valid_from': '01/04/2024' is not a date in the form YYYY-MM-DD",
                     id="bad-date"),
        pytest.param("pathways/chest-pain.yaml", "start: gp", "start: [gp",
                     "pathways/chest-pain.yaml, line 5, column 6: malformed YAML: expected ',' or ']', "
                     "but got ':'", id="malformed-yaml"),
        pytest.param("provision.csv", "RTD,rehab", "RTD,rehab,extra",
                     "provision.csv, row 3: 3 cells where the header has 2 columns", id="malformed-csv"),
        pytest.param("budgets.csv", "la-asc,Adult social care,la_social_care,LA1",
                     "la-asc,Adult social care,la_social_care,RTD",
                     "budgets.csv, row 4, field 'holder': 'RTD' is a NHSTrust, expected Commissioner",
                     id="wrong-kind-of-reference"),
        pytest.param("pathways/chest-pain.yaml", "{from: rehab, to: care, probability: 0.1}",
                     "{from: rehab, to: carer, probability: 0.1}",
                     "pathways/chest-pain.yaml, transitions[2], field 'to': unknown step 'carer'",
                     id="unknown-step"),
        pytest.param("pathways/chest-pain.yaml", "{from: gp, to: pci, probability: 0.2}",
                     "{from: pci, to: gp, probability: 0.2}",
                     "pathways/chest-pain.yaml, steps[1], field 'id': step 'pci' cannot be reached from the start",
                     id="unreachable-step"),
        pytest.param("pathways/chest-pain.yaml", "setting: community", "setting: hospital",
                     "pathways/chest-pain.yaml, steps[2], field 'setting': 'hospital' is not one of: primary, "
                     "community, acute, specialised, mental_health, social_care, public_health",
                     id="yaml-enum"),
        pytest.param("pathways/chest-pain.yaml", "patients_per_year: 1000", "patients_per_year: 1000\nstart: pci",
                     "pathways/chest-pain.yaml, line 5, column 1: duplicate key 'start'", id="duplicate-yaml-key"),
        pytest.param("pathways/chest-pain.yaml", "unit_cost: 800}", "unit_cost: 800, colour: red}",
                     "pathways/chest-pain.yaml, steps[3], field 'colour': unknown key; allowed: id, name, "
                     "service, provider, site, setting, budget, unit_cost", id="yaml-unknown-key"),
        pytest.param("pathways/chest-pain.yaml", "budget: nhse-spec", "budget: [nhse-spec, spec-2]",
                     "pathways/chest-pain.yaml, steps[1].budget[1], field 'id': unknown reference 'spec-2'",
                     id="dated-link-unknown-reference"),
        pytest.param("pathways/chest-pain.yaml", "budget: nhse-spec", "budget: [{id: nhse-spec, until: 2025-03-31}]",
                     "pathways/chest-pain.yaml, steps[1].budget[0], field 'until': unknown key; allowed: id, "
                     "valid_from, valid_to", id="dated-link-unknown-key"),
        pytest.param("pathways/chest-pain.yaml", "budget: nhse-spec",
                     "budget: [{id: nhse-spec, valid_from: 2025-04-01, valid_to: 2025-03-31}]",
                     "pathways/chest-pain.yaml, steps[1].budget[0], field 'valid_to': valid_to 2025-03-31 is "
                     "before valid_from 2025-04-01", id="dated-link-dates-in-wrong-order"),
        pytest.param("pathways/chest-pain.yaml", "budget: nhse-spec", "budget: [{valid_to: 2025-03-31}]",
                     "pathways/chest-pain.yaml, steps[1].budget[0], field 'id': required value is missing",
                     id="dated-link-without-id"),
        pytest.param("pathways/chest-pain.yaml", "budget: nhse-spec", "budget: [[nhse-spec]]",
                     "pathways/chest-pain.yaml, steps[1].budget[0]: expected an id or a mapping of id, valid_from, "
                     "valid_to", id="dated-link-nested-list"),
        pytest.param("pathways/chest-pain.yaml", "budget: nhse-spec", "budget: {id: nhse-spec, until: 2025-03-31}",
                     "pathways/chest-pain.yaml, steps[1].budget, field 'until': unknown key; allowed: id, "
                     "valid_from, valid_to", id="dated-link-single-mapping"),
        pytest.param("pathways/chest-pain.yaml", "budget: nhse-spec", "budget: []",
                     "pathways/chest-pain.yaml, steps[1], field 'budget': required value is missing",
                     id="dated-link-empty-list"),
    ],
)
def test_each_mistake_is_reported_with_file_row_and_field(model_copy, file, old, new, expected):
    replace(model_copy / file, old, new)
    assert expected in problems_of(model_copy)


def test_missing_required_table(model_copy):
    (model_copy / "organisations.csv").unlink()
    assert "organisations.csv: required table is missing" in problems_of(model_copy)


def test_empty_file(model_copy):
    (model_copy / "pools.csv").write_text("")
    assert problems_of(model_copy) == ["pools.csv: the file is empty (no header row)"]


def test_transition_without_volume_or_probability(model_copy):
    replace(model_copy / "pathways/chest-pain.yaml", "{from: gp, to: pci, probability: 0.2}", "{from: gp, to: pci}")
    assert problems_of(model_copy) == [
        "pathways/chest-pain.yaml, transitions[0], field 'patients_per_year': give exactly one of "
        "patients_per_year or probability"
    ]


def test_a_broken_header_does_not_cascade(model_copy):
    replace(model_copy / "organisations.csv", "id,name,kind,", "id,name,type,")
    assert problems_of(model_copy) == [
        "organisations.csv, row 1, field 'type': unknown column; allowed: id, name, kind, parent, located_in, "
        "successor, valid_from, valid_to, postcode, ons_code, population, latitude, longitude, "
        "registered_patients",
        "organisations.csv, row 1, field 'kind': missing column",
    ]


def test_ten_mistakes_are_all_reported_in_one_run():
    problems = problems_of(TEN_MISTAKES)
    assert len(problems) == 10
    assert len({p.split(",")[0] for p in problems}) == 7  # seven different files


def test_cli_validate_prints_all_ten_and_exits_2(capsys):
    assert main(["validate", str(TEN_MISTAKES)]) == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 11 and lines[-1] == "caregraph: 10 problems found"
    assert captured.out == ""
    assert "Traceback" not in captured.err


def test_load_model_raises_one_validation_error_carrying_the_list():
    with pytest.raises(ValidationError) as caught:
        load_model(TEN_MISTAKES)
    assert isinstance(caught.value, ValueError)
    assert len(caught.value.problems) == 10


def test_excel_workbook_is_accepted_and_errors_name_the_sheet(small_model, tmp_path):
    folder = tmp_path / "xlsx_model"
    (folder / "pathways").mkdir(parents=True)
    (folder / "pathways" / "chest-pain.yaml").write_text((small_model / "pathways/chest-pain.yaml").read_text())
    with pd.ExcelWriter(folder / "model.xlsx") as book:
        for csv in sorted(small_model.glob("*.csv")):
            frame = pd.read_csv(csv, dtype=str, keep_default_na=False)
            frame.to_excel(book, sheet_name=csv.stem, index=False)
    assert load_model(folder) == load_model(small_model)

    budgets = pd.read_csv(small_model / "budgets.csv", dtype=str, keep_default_na=False)
    budgets.loc[0, "stream"] = "specialised"
    budgets.to_excel(folder / "budgets.xlsx", index=False)
    assert problems_of(folder) == [
        "budgets.xlsx, row 2, field 'stream': 'specialised' is not one of: nhse_specialised, icb_core, "
        "la_social_care, la_public_health, better_care_fund, other",
        "model.xlsx[budgets]: table 'budgets' is also given in budgets.xlsx; keep one",
    ]


def test_single_table_xlsx_names_the_file_and_row(model_copy):
    budgets = pd.read_csv(model_copy / "budgets.csv", dtype=str, keep_default_na=False)
    budgets.loc[0, "stream"] = "specialised"
    budgets.to_excel(model_copy / "budgets.xlsx", index=False)
    (model_copy / "budgets.csv").unlink()
    assert problems_of(model_copy) == [
        "budgets.xlsx, row 2, field 'stream': 'specialised' is not one of: nhse_specialised, icb_core, "
        "la_social_care, la_public_health, better_care_fund, other"
    ]


def test_as_at_must_be_a_date(small_model):
    with pytest.raises(ArgumentError, match="'next year' is not a date"):
        load_model(small_model, as_at="next year")
