"""The Devon integrated commissioning example (seed 004): real codes, dated eras, hand-counted numbers.

Every discharge pathway (one per council area; Devon County's runs the same
chain for each of three localities) has one illustrative shape, for ``E``
patients a year entering at the hospital::

    acute --0.4--> community --0.6--> reablement --0.4--> home care
    acute --0.5--> reablement
    community --0.1--> acute, reablement --0.05--> acute     (readmission loops)

Visits: ``C = 0.4 A``, ``R = 0.5 A + 0.6 C = 0.74 A`` and
``A = E + 0.1 C + 0.05 R = E + 0.077 A``, so ``A = E / 0.923``.

Budgets: acute is NHS core money, community the NHS contribution to the
council's Better Care Fund, reablement and home care the council's adult
social care; the council's s75 pool joins the last two. In Plymouth the
NHS contribution to the Plymouth integrated fund pays for acute and
community care and the fund also holds the council's adult social care.

Outside Plymouth four transitions cross a budget boundary:

* acute -> community, ``0.4 A`` patients at 4,000 (core -> Better Care Fund: one holder, no hand-off);
* acute -> reablement, ``0.5 A`` at 1,500 (NHS -> council);
* community -> acute, ``0.1 C = 0.04 A`` at 3,500 (Better Care Fund -> core: one holder, no hand-off);
* reablement -> acute, ``0.05 R = 0.037 A`` at 3,500 (council -> NHS);

``0.977 A`` patients and ``(1600 + 750 + 140 + 129.5) A = 2619.5 A`` pounds
a year; community -> reablement is inside the pool. Commissioner hand-offs
(the budget's holder changes, pooled or not) are acute -> reablement
``0.5 A``, community -> reablement ``0.6 C = 0.24 A`` and reablement ->
acute ``0.037 A``: ``0.777 A`` a year on three transitions. In Plymouth
nothing crosses (one pool holds every step's budget) and the same three
hand-offs remain.

Mental health (Exeter, East and Mid Devon; 2,000 a year enter the community
team): ``C = 2000 + 0.85 I + 0.5 S + 0.2 K`` with ``I = 0.06 C``,
``S = 0.02 I = 0.0012 C`` and ``K = 0.1 C``, so
``C = 2000 / (1 - 0.051 - 0.0006 - 0.02) = 2000 / 0.9284``. Four
transitions cross, each also a commissioner hand-off: team -> social care
``0.1 C`` at 9,000, social care -> team ``0.02 C`` at 2,500, inpatient ->
secure care ``0.0012 C`` at 120,000, secure care -> team ``0.0006 C`` at
2,500: ``0.1218 C`` patients and ``1095.5 C`` pounds a year.

No step in the model is paid by one CCG and the next by the other, so the
merger of 99P and 99Q into 15N (and 15N into QJK) changes who holds the
money, not these numbers: they are the same on every date.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest

from caregraph import (
    CareGraph,
    crossing_summary,
    find_budget_crossings,
    find_handoffs,
    handoff_summary,
    load_model,
    pool_what_if,
    validate_model,
)
from caregraph.cli import main
from networks.pathway_flows import step_table

ROOT = Path(__file__).parents[2]
EXAMPLE = ROOT / "examples" / "devon-integrated-commissioning"
REFERENCE = ROOT / "loaders" / "reference" / "data"
COMMAND = "examples/devon-integrated-commissioning"
DATES = ("2019-03-31", "2019-04-01", "2022-07-01")
COUNCIL_OF_PATHWAY = {"discharge-devon": "912", "mental-health-devon": "912", "discharge-plymouth": "913",
                      "discharge-torbay": "914"}
COUNCILS = {"912", "913", "914"}

A = 1 / 0.923  # hospital visits per patient entering a discharge pathway
C = 2000 / 0.9284  # community mental health team visits a year
EXPECTED = {  # council: crossings, patients crossing, money crossing, hand-off transitions, hand-offs a year
    "912": (12 + 4, 0.977 * 4000 * A + 0.1218 * C, 2619.5 * 4000 * A + 1095.5 * C, 9 + 4,
            0.777 * 4000 * A + 0.1218 * C),  # 4,496.4 patients, 13,712,087 pounds, 3,629.7 hand-offs
    "913": (0, 0.0, 0.0, 3, 0.777 * 1500 * A),  # 1,262.7 hand-offs
    "914": (4, 0.977 * 1000 * A, 2619.5 * 1000 * A, 3, 0.777 * 1000 * A),  # 1,058.5 patients, 2,838,028 pounds
}
NHS_HOLDERS = {"2019-03-31": {"99P", "99Q"}, "2019-04-01": {"15N"}, "2022-07-01": {"QJK"}}


@pytest.fixture(scope="module")
def graph() -> CareGraph:
    return load_model(EXAMPLE)


def _column(name: str, column: str) -> dict[str, dict[str, str]]:
    with open(REFERENCE / name, newline="", encoding="utf-8") as handle:
        return {row[column]: row for row in csv.DictReader(handle)}


def _per_council(frame: pd.DataFrame, columns: list[str]) -> dict[str, tuple[float, ...]]:
    grouped = frame.groupby(frame["pathway"].map(COUNCIL_OF_PATHWAY))[columns].sum()
    return {council: tuple(row) for council, row in zip(grouped.index, grouped.to_numpy(), strict=True)}


def test_the_folder_is_valid_and_uses_real_codes(graph):
    assert validate_model(EXAMPLE) == []
    trusts = _column("nhs_trusts.csv", "org_code")
    for code in ("RBZ", "RH8", "RK9", "RA9", "RWV"):
        assert trusts[code]["icb_ods_code"] == "QJK", code
        assert graph.node(code)["valid_from"] == trusts[code]["open_date"], code
    assert trusts["RBZ"]["close_date"] == graph.node("RBZ")["valid_to"] == "2022-03-31"
    assert graph.successors("RBZ", "SUCCEEDED_BY") == ["RH8"]
    icb = _column("icbs_42_2022_to_2026.csv", "icb_ods_code")["QJK"]
    assert (icb["icb_ons_code_2022"], icb["nhser_ods_code"]) == (graph.node("QJK")["ons_code"], "Y58")
    assert _column("sub_icb_locations.csv", "sicbl_ods_code")["15N"]["open_date"] == graph.node("15N")["valid_from"]
    for ccg in ("99P", "99Q"):
        assert (graph.node(ccg)["valid_from"], graph.node(ccg)["valid_to"]) == ("2013-04-01", "2019-03-31")
        assert graph.successors(ccg, "SUCCEEDED_BY") == ["15N"]
    assert graph.node("15N")["valid_to"] == "2022-06-30" and graph.successors("15N", "SUCCEEDED_BY") == ["QJK"]
    assert {graph.kind(c) for c in COUNCILS} == {"LocalAuthority"}
    sources = (EXAMPLE / "SOURCES.md").read_text(encoding="utf-8")
    for code in ("99P", "99Q", "15N", "QJK", "E54000037", "Y58", "912", "913", "914", "E06000026", "E06000027",
                 "RBZ", "RH8", "RK9", "RA9", "RWV", "NR5", "X24"):
        assert code in sources, code


@pytest.mark.parametrize("as_at", DATES)
def test_per_council_numbers_match_the_hand_count_on_every_date(graph, as_at):
    crossings = _per_council(crossing_summary(graph, as_at=as_at),
                             ["crossings", "patients_crossing", "money_crossing_gbp"])
    handoffs = _per_council(handoff_summary(graph, by="commissioner", as_at=as_at),
                            ["handoff_transitions", "handoffs_per_year"])
    assert set(crossings) == set(handoffs) == COUNCILS
    for council, expected in EXPECTED.items():
        assert crossings[council] + handoffs[council] == pytest.approx(expected), council


@pytest.mark.parametrize("as_at", DATES)
def test_each_era_has_its_own_commissioners(graph, as_at):
    x = find_budget_crossings(graph, as_at=as_at)
    holders = set(x["from_holder"]) | set(x["to_holder"])
    assert holders - COUNCILS - {"X24"} == NHS_HOLDERS[as_at]
    # Devon County Council's NHS counterparts: two CCGs before the merger, then one body
    h = find_handoffs(graph, by="commissioner", as_at=as_at)
    devon = h.loc[h["pathway"].map(COUNCIL_OF_PATHWAY) == "912"]
    sides = set(devon["from_value"]) | set(devon["to_value"])
    assert sides - {"912", "X24"} == NHS_HOLDERS[as_at]
    # secure care is NHS England's money: s13V with a CCG, s65Z5 with the ICB
    secure = x.loc[x["to_step"] == "mental-health-devon/secure", "legal_basis"].item()
    assert secure == ("s65Z5" if as_at == "2022-07-01" else "s13V")


def test_northern_devon_changes_trust_on_2022_04_01(graph):
    def provider(day: str) -> str:
        steps = step_table(graph.as_at(day), "discharge-devon").set_index("step")
        return str(steps.loc["discharge-devon/north_acute", "provider"])

    assert (provider("2022-03-31"), provider("2022-04-01")) == ("RBZ", "RH8")


@pytest.mark.parametrize(("as_at", "budgets"), [
    ("2019-04-01", ["bud-15n-core", "bud-15n-bcf-devon", "bud-devon-asc"]),
    ("2019-03-31", ["bud-99p-core", "bud-99q-core", "bud-99p-bcf-devon", "bud-99q-bcf-devon", "bud-devon-asc"]),
])
def test_a_devon_joint_fund_removes_all_but_nhs_englands_crossings(graph, as_at, budgets):
    # all 12 discharge crossings (0.977 A x 4,000 patients, 2,619.5 A x 4,000 pounds) and team <-> council
    # support (0.1 C + 0.02 C patients, 900 C + 50 C pounds); secure care (NHS England) stays; Torbay untouched
    what_if = pool_what_if(graph, budgets, as_at=as_at).set_index("pathway")
    assert what_if.loc["(total)", "legal_basis"] == "s75"
    assert what_if["crossings_removed"].to_dict() == {"discharge-devon": 12, "discharge-torbay": 0,
                                                      "mental-health-devon": 2, "(total)": 14}
    total = what_if.loc["(total)"]
    assert total["patients_removed"] == pytest.approx(0.977 * 4000 * A + 0.12 * C)  # 4,492.5
    assert total["money_removed_gbp"] == pytest.approx(2619.5 * 4000 * A + 950 * C)  # 13,398,644
    assert what_if.loc["mental-health-devon", "patients_after"] == pytest.approx(0.0018 * C)


def _run(capsys, command: str, as_at: str) -> tuple[str, str]:
    """Run a README command (``{model}`` for the folder) as at a date; return it as shown and its output."""
    shown = command.format(model=COMMAND, as_at=as_at)
    assert main(command.format(model=EXAMPLE, as_at=as_at).split()) == 0
    return f"$ caregraph {shown}\n", capsys.readouterr().out.strip()


def test_the_readme_shows_the_commands_and_their_output(capsys):
    readme = (EXAMPLE / "README.md").read_text(encoding="utf-8")
    for command in ("crossings {model} --summary --as-at {as_at}",
                    "handoffs summary {model} --by commissioner --as-at {as_at}"):
        outputs = set()
        for as_at in DATES:
            shown, out = _run(capsys, command, as_at)
            assert shown + out in readme, shown
            heading, _, table = out.partition("\n")
            assert heading == f"As at {as_at}"
            outputs.add(table)
        assert len(outputs) == 1, f"{command}: the README says every date prints the same table"
    for as_at in DATES[:2]:  # what the merger changed: the commissioners on the other side
        shown, out = _run(capsys, "handoffs hotspots {model} --by commissioner --as-at {as_at}", as_at)
        assert shown + out in readme, shown
    for figure in ("4,496.4", "13,712,087", "3,629.7", "1,262.7", "1,058.5", "2,838,028", "841.8", "4,492.5",
                   "13,398,644"):
        assert figure in readme, figure
    assert "## Illustrative figures" in readme


def test_one_command_answers_the_question_before_and_after(capsys):
    assert main(["compare-dates", COMMAND, *DATES, "--format", "csv"]) == 0
    table = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert table.groupby("pathway")["as_at"].apply(list).to_dict() == {p: list(DATES) for p in COUNCIL_OF_PATHWAY}
    for day in DATES:
        rows = table[table["as_at"] == day]
        got = _per_council(rows, ["crossings", "patients_crossing", "money_crossing_gbp", "handoffs_per_year"])
        for council, (crossings, patients, money, _, handoffs) in EXPECTED.items():
            assert got[council] == pytest.approx((crossings, patients, money, handoffs)), (day, council)
    changes = table[["handoffs_change", "crossings_change", "money_crossing_change_gbp"]]
    assert (changes.abs() < 1e-6).all().all()  # the merger and the ICB change who holds the money, not these
