"""Scenario files: reading with located errors, applying each change, and the appraisal table.

Expected numbers use the hand-made fixture ``tests/fixtures/small_model``:
1,000 patients a year see the GP (ICB core budget, QHM); 200 go to PCI
(NHS England specialised, X24); PCI is visited ``v = 200 / 0.9955`` times
a year (the reablement -> PCI loop); rehab (ICB core) gets ``0.9 v``;
reablement (council LA1) ``0.09 v`` and the loop back to PCI ``0.0045 v``.
Crossings as given (the s75 BCF pool joins ICB core and council money):
GP -> PCI 200, PCI -> rehab ``0.9 v``, reablement -> PCI ``0.0045 v``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from caregraph import CareGraph, Change, Scenario, ValidationError, apply_scenario, appraise, load_model, read_scenarios
from caregraph.cli import main
from pathways.appraisal import APPRAISAL_COLUMNS
from pathways.crossings import find_budget_crossings

V = 200 / 0.9955


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "scenarios.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def one(tmp_path: Path, changes: str) -> Scenario:
    (scenario,) = read_scenarios(write(tmp_path, f"scenarios:\n  - id: s\n    changes:\n{changes}"))
    return scenario


@pytest.fixture
def graph(small_model) -> CareGraph:
    return load_model(small_model)


def test_reads_every_change_kind_with_defaults(tmp_path):
    scenario = one(tmp_path, """\
      - add_budget: {id: b, name: B, stream: icb_core, holder: QHM, amount_gbp: 5}
      - add_pool: {id: p, name: P, budgets: [a, b]}
      - lead_commissioner: {lead: 902, commissioners: [QHM]}
      - merge_commissioners: {into: QT6, commissioners: [QHM]}
      - delegate: {service: pci, to: QHM}
      - reassign_steps: {budget: b, pathway: chest-pain, steps: [gp]}
""")
    kinds = [c.kind for c in scenario.changes]
    assert kinds == ["add_budget", "add_pool", "lead_commissioner", "merge_commissioners", "delegate",
                     "reassign_steps"]
    values = [c.values for c in scenario.changes]
    assert values[1]["legal_basis"] is None and values[1]["budgets"] == ("a", "b")
    assert values[2]["lead"] == "902"  # a YAML number read as an id
    assert values[3]["combine_streams"] == ()
    assert (values[4]["status"], values[4]["tier"]) == ("delegated", "ics")
    assert scenario.name == "s" and scenario.changes[5].where == "scenarios[0].changes[5].reassign_steps"


def test_every_problem_in_a_file_is_named_with_its_yaml_path(tmp_path):
    path = write(tmp_path, """\
scenarios:
  - id: baseline
  - id: a
    colour: red
    changes:
      - add_pool: {id: p, budgets: [x]}
      - lead_commissioner: {lead: QHM}
      - merge: {into: X}
      - {delegate: {service: s, to: t, status: maybe}, add_budget: {}}
  - id: a
    changes:
      - reassign_steps: {budget: b, steps: [gp]}
      - add_budget: {id: b, name: B, stream: cash, holder: QHM, amount_gbp: -1}
      - merge_commissioners: {into: QT6, commissioners: [], combine_streams: [icb_core, cash]}
""")
    with pytest.raises(ValidationError) as caught:
        read_scenarios(path)
    found = [(p.row, p.field, p.message) for p in caught.value.problems]
    label = str(path)
    assert all(p.file == label for p in caught.value.problems)
    assert found == [
        ("scenarios[0]", "id", "'baseline' is reserved for the model as it is"),
        ("scenarios[1]", "colour", "unknown key; allowed: id, name, description, changes"),
        ("scenarios[1].changes[0].add_pool", "name", "required value is missing"),
        ("scenarios[1].changes[0].add_pool", "budgets", "a pool needs two or more different budgets"),
        ("scenarios[1].changes[1].lead_commissioner", "budgets", "give exactly one of budgets or commissioners"),
        ("scenarios[1].changes[2]", "merge", "unknown change; allowed: add_budget, add_pool, lead_commissioner, "
                                             "merge_commissioners, delegate, reassign_steps"),
        ("scenarios[1].changes[3]", None, "expected one change: a mapping with one key of add_budget, add_pool, "
                                          "lead_commissioner, merge_commissioners, delegate, reassign_steps"),
        ("scenarios[2]", "id", "duplicate scenario id 'a' (first at scenarios[1])"),
        ("scenarios[2].changes[0].reassign_steps", "steps", "steps are local ids: give their pathway too"),
        ("scenarios[2].changes[0].reassign_steps", None, "select steps by pathway, service and/or from_budget"),
        ("scenarios[2].changes[1].add_budget", "stream", "'cash' is not one of: nhse_specialised, icb_core, "
                                                         "la_social_care, la_public_health, better_care_fund, other"),
        ("scenarios[2].changes[1].add_budget", "amount_gbp", "expected a number of at least 0"),
        ("scenarios[2].changes[2].merge_commissioners", "commissioners", "expected a non-empty list of ids"),
        ("scenarios[2].changes[2].merge_commissioners", "combine_streams",
         "'cash' is not one of: nhse_specialised, icb_core, la_social_care, la_public_health, better_care_fund, other"),
    ]


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("scenarios: []\n", "scenarios", "expected a non-empty list of scenarios"),
        ("- id: a\n", None, "expected a mapping of scenarios"),
        ("scenarios:\n  - id: a\n    changes: {add_pool: {}}\n", "scenarios[0]", "expected a list of changes"),
        ("scenarios:\n  - id: [a\n", "line 3, column 1", "malformed YAML"),
    ],
)
def test_file_level_problems(tmp_path, text, where, message):
    with pytest.raises(ValidationError) as caught:
        read_scenarios(write(tmp_path, text))
    (problem,) = caught.value.problems
    assert problem.row == where and message in problem.message


def test_a_missing_file_is_a_validation_error(tmp_path):
    with pytest.raises(ValidationError, match=r"absent\.yaml: no such file"):
        read_scenarios(tmp_path / "absent.yaml")


def test_add_pool_removes_crossings_and_checks_the_law(tmp_path, graph):
    g = apply_scenario(graph, one(tmp_path, "      - add_pool: {id: p1, name: P, budgets: [nhse-spec, qhm-core]}\n"))
    assert g.node("p1")["legal_basis"] == "s65Z5"
    assert find_budget_crossings(g)["patients_per_year"].tolist() == pytest.approx([0.0045 * V])
    assert "p1" not in graph  # the input model is untouched
    bad = one(tmp_path, "      - add_pool: {id: p1, name: P, budgets: [nhse-spec, la-asc]}\n")
    with pytest.raises(ValidationError) as caught:
        apply_scenario(graph, bad)
    (problem,) = caught.value.problems
    assert (problem.row, problem.field) == ("scenarios[0].changes[0].add_pool", "budgets")
    assert problem.message.startswith("no legal basis can pool nhse-spec held by X24 (NHSEngland)")


def test_reference_problems_name_the_change(tmp_path, graph):
    scenario = one(tmp_path, """\
      - add_budget: {id: b2, name: B, stream: other, holder: QHM}
      - lead_commissioner: {lead: RTD, budgets: [b2, nope]}
""")
    with pytest.raises(ValidationError) as caught:
        apply_scenario(graph, scenario)
    assert [(p.row, p.field, p.message) for p in caught.value.problems] == [
        ("scenarios[0].changes[1].lead_commissioner", "lead", "'RTD' is a NHSTrust, expected a Commissioner"),
        ("scenarios[0].changes[1].lead_commissioner", "budgets", "unknown budget 'nope'"),
    ]
    for changes, field, message in [
        ("      - add_budget: {id: qhm-core, name: B, stream: other, holder: QHM}\n", "id", "already in the model"),
        ("      - delegate: {service: pci, from: LA1, to: QHM}\n", "from", "'LA1' does not commission 'pci'"),
        ("      - reassign_steps: {budget: la-asc, pathway: chest-pain, from_budget: nhse-spec, service: gp}\n",
         None, "the selection matches no step"),
        ("      - merge_commissioners: {into: QHM, commissioners: [QHM]}\n", "commissioners", "cannot merge into"),
    ]:
        with pytest.raises(ValidationError) as caught:
            apply_scenario(graph, one(tmp_path, changes))
        assert caught.value.problems[0].field == field and message in caught.value.problems[0].message


def test_lead_commissioner_moves_holders_not_crossings(tmp_path, graph):
    g = apply_scenario(graph, one(tmp_path, "      - lead_commissioner: {lead: QHM, commissioners: [LA1]}\n"))
    assert g.successors("la-asc", "HELD_BY") == ["QHM"]
    # same budgets, same pool: the same three crossings; reablement -> PCI now reads ICB + NHS England
    x = find_budget_crossings(g)
    assert len(x) == 3 and x.loc[0, "legal_basis"] == "s65Z5"


def test_split_by_age_reassigns_steps_to_a_new_budget(tmp_path, graph):
    g = apply_scenario(graph, one(tmp_path, """\
      - add_budget: {id: qhm-rehab, name: Rehab budget, stream: icb_core, holder: QHM, amount_gbp: 10}
      - reassign_steps: {budget: qhm-rehab, pathway: chest-pain, steps: [rehab]}
"""))
    assert g.successors("chest-pain/rehab", "PAID_FROM") == ["qhm-rehab"]
    assert g.successors("chest-pain/gp", "PAID_FROM") == ["qhm-core"]
    # rehab -> reablement leaves the BCF pool (qhm-rehab is not in it): 0.09 v more patients cross
    x = find_budget_crossings(g)
    assert x.loc[x.to_step == "chest-pain/care", "patients_per_year"].item() == pytest.approx(0.09 * V)
    assert x.loc[x.to_step == "chest-pain/care", "legal_basis"].item() == "s75"


def test_selection_by_service_and_budget(tmp_path, graph):
    g = apply_scenario(graph, one(tmp_path, "      - reassign_steps: {budget: qhm-core, from_budget: la-asc}\n"))
    assert g.successors("chest-pain/care", "PAID_FROM") == ["qhm-core"]
    g = apply_scenario(graph, one(tmp_path, "      - reassign_steps: {budget: qhm-core, service: pci}\n"))
    assert g.successors("chest-pain/pci", "PAID_FROM") == ["qhm-core"]
    # every step now ICB core except reablement, which is pooled with it: no crossing at all
    assert find_budget_crossings(g).empty


def test_delegation_changes_who_commissions(tmp_path, graph):
    g = apply_scenario(graph, one(tmp_path, """\
      - delegate: {service: pci, from: X24, to: LA1, status: joint, tier: multi-ics}
"""))
    rel = {(u, v): a for u, v, a in g.edges_of("COMMISSIONS", data=True)}
    # X24's edge (to 2025-03-31) is ended, QHM's (from 2025-04-01) kept, LA1 added undated
    assert set(rel) == {("QHM", "pci"), ("LA1", "pci")}
    assert (rel[("LA1", "pci")]["status"], rel[("LA1", "pci")]["tier"]) == ("joint", "multi-ics")


def test_merger_moves_budgets_commissioning_and_combines_streams(tmp_path, graph):
    # a neighbouring ICB with its own core budget paying for rehab, merged into QHM
    g0 = graph.copy()
    g0.add_node("QHN", "ICB")
    g0.add_node("qhn-core", "Budget", stream="icb_core", amount_gbp=500.0)
    g0.add_edge("qhn-core", "QHN", "HELD_BY")
    g0.add_node("rehab-pool", "Pool", legal_basis="s65Z5")
    g0.add_edge("qhn-core", "rehab-pool", "IN_POOL")
    g0.add_edge("nhse-spec", "rehab-pool", "IN_POOL")
    g0.add_edge("QHN", "rehab", "COMMISSIONS", status="retained", tier="ics")
    g0.add_edge("QHN", "pci", "COMMISSIONS", status="delegated", tier="ics", valid_from="2025-04-01")
    scenario = one(tmp_path, """\
      - reassign_steps: {budget: qhn-core, pathway: chest-pain, steps: [rehab]}
      - merge_commissioners: {into: QHM, commissioners: [QHN], combine_streams: [icb_core]}
""")
    g = apply_scenario(g0, scenario)
    assert "qhn-core" not in g and g.successors("chest-pain/rehab", "PAID_FROM") == ["qhm-core"]
    assert g.node("qhm-core")["amount_gbp"] == 1000500.0  # 1,000,000 + 500
    assert sorted(g.predecessors("rehab-pool", "IN_POOL")) == ["nhse-spec", "qhm-core"]
    assert sorted(g.predecessors("rehab", "COMMISSIONS")) == ["QHM"]
    # QHM's own delegated PCI edge (same date) is kept once
    assert [(u, a["valid_from"]) for u, v, a in g.edges_of("COMMISSIONS", data=True)
            if v == "pci" and u == "QHM"] == [("QHM", "2025-04-01")]
    # without combining, the budgets stay apart but QHM holds both
    kept = one(tmp_path, "      - merge_commissioners: {into: QHM, commissioners: [QHN]}\n")
    assert apply_scenario(g0, kept).successors("qhn-core", "HELD_BY") == ["QHM"]


def test_a_pool_under_the_wrong_legal_basis_is_located(tmp_path, graph):
    scenario = one(tmp_path, "      - reassign_steps: {budget: qhm-core, pathway: chest-pain}\n"
                             "      - add_pool: {id: x, name: X, budgets: [nhse-spec, qhm-core], legal_basis: s75}\n")
    with pytest.raises(ValidationError, match=r"changes\[1\].add_pool, field 'legal_basis': 's75' cannot pool"):
        apply_scenario(graph, scenario)


def test_a_change_built_in_code_is_checked_by_the_rebuilt_graph(graph):
    bad = Change("add_budget", {"id": "b", "name": "B", "stream": "cash", "holder": "QHM", "amount_gbp": None},
                 "code", "scenarios[0].changes[0].add_budget")
    with pytest.raises(ValidationError) as caught:
        apply_scenario(graph, Scenario("s", "S", changes=(bad,)))
    (problem,) = caught.value.problems
    assert (problem.file, problem.row) == ("code", "scenarios[0].changes[0].add_budget")
    assert problem.message.startswith("the changed model is invalid: nodes, row 21, field 'stream': 'cash'")


def test_appraisal_against_the_baseline(tmp_path, graph):
    path = write(tmp_path, """\
scenarios:
  - id: nothing
  - id: spec-pool
    name: Pool specialised with ICB core money
    changes:
      - add_pool: {id: p1, name: P, budgets: [nhse-spec, qhm-core]}
""")
    table = appraise(graph, read_scenarios(path))
    assert list(table.columns) == APPRAISAL_COLUMNS
    assert table.scenario.tolist() == ["baseline", "nothing", "spec-pool"]
    base, nothing, pooled = (table.iloc[i] for i in range(3))
    assert base["crossings"] == 3 and base["patients_crossing"] == pytest.approx(200 + 0.9 * V + 0.0045 * V)
    # money: 200 x 5000 + 0.9 v x 500 + 0.0045 v x 5000
    assert base["money_crossing_gbp"] == pytest.approx(1_000_000 + 450 * V + 22.5 * V)
    # provider hand-offs: GP1 -> RTD 200, RTD -> LA1 0.09 v, LA1 -> RTD 0.0045 v, for 1,000 entrants
    assert base["handoffs_per_year"] == pytest.approx(200 + 0.0945 * V)
    assert base["handoffs_per_patient"] == pytest.approx((200 + 0.0945 * V) / 1000)
    assert nothing["crossings_change"] == 0 and nothing["money_crossing_change_gbp"] == 0
    assert (pooled["crossings"], pooled["crossings_change"]) == (1, -2)
    assert pooled["patients_crossing_change"] == pytest.approx(-(200 + 0.9 * V))
    assert pooled["handoffs_change"] == 0  # pooling money does not change who provides care
    # as at 2024-03-31 the BCF pool is not in force: rehab -> reablement (0.09 v) crosses too
    early = appraise(graph, read_scenarios(path), as_at="2024-03-31")
    assert early.crossings.tolist() == [4, 4, 2]


def test_appraisal_by_commissioner(tmp_path, graph):
    scenario = one(tmp_path, "      - lead_commissioner: {lead: QHM, commissioners: [LA1]}\n")
    table = appraise(graph, [scenario], by="commissioner")
    # commissioner hand-offs before: QHM -> X24 (GP -> PCI), X24 -> QHM (PCI -> rehab), QHM -> LA1 (rehab ->
    # reablement, 0.09 v) and LA1 -> X24 (reablement -> PCI, 0.0045 v); once QHM holds the council's budget
    # the last two become QHM -> QHM (none) and QHM -> X24: only 0.09 v goes
    assert table.loc[1, "handoffs_change"] == pytest.approx(-0.09 * V)


def test_cli_appraise_and_bad_input(tmp_path, small_model, capsys):
    good = write(tmp_path, "scenarios:\n  - id: nothing\n")
    assert main(["appraise", str(small_model), str(good), "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == ",".join(APPRAISAL_COLUMNS) and len(lines) == 3
    bad = tmp_path / "bad.yaml"
    bad.write_text("scenarios:\n  - id: a\n    changes:\n      - add_pool: {id: p, name: P, budgets: [x, y]}\n")
    assert main(["appraise", str(small_model), str(bad)]) == 2
    err = capsys.readouterr().err
    assert "bad.yaml, scenarios[0].changes[0].add_pool, field 'budgets': unknown budget 'x'" in err
