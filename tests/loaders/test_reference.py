"""Tests of the packaged NHS reference data loader.

Expected values come from reading the packaged CSV files with the ``csv``
module, or from facts stated in ``loaders/reference/data/SOURCES.md``, never
from the code under test.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

import caregraph as cg
from caregraph import ArgumentError, CareGraph
from loaders.reference.organisations import REFERENCE_FILES, reference_graph, reference_table

DATA = Path(__file__).resolve().parents[2] / "loaders" / "reference" / "data"
NEW_2026_ICBS = {"D7T5G", "S0E4D", "S1Y5D", "S9B9J", "T6Y0W", "Z9B2Z"}


def read(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


ICBS_2022 = read("icbs_42_2022_to_2026.csv")
ICBS_2026 = read("icbs_2026_04.csv")
SUB_ICBS = read("sub_icb_locations.csv")
TRUSTS = read("nhs_trusts.csv")
PRACTICES = read("gp_practices_pcn_map_2026_01.csv")
POPULATION = read("icb_registered_patients_2021_01.csv")


def ancestors(graph: CareGraph, node: str, kind: str, via: tuple[str, ...] = ()) -> set[str]:
    """Nodes of ``kind`` reachable from ``node`` over PART_OF, optionally through the given kinds only."""
    found, seen, todo = set(), {node}, [node]
    while todo:
        for parent in graph.successors(todo.pop(), "PART_OF"):
            if parent in seen:
                continue
            seen.add(parent)
            if graph.kind(parent) == kind:
                found.add(parent)
            elif not via or graph.kind(parent) in via:
                todo.append(parent)
    return found


@pytest.fixture(scope="module")
def full() -> CareGraph:
    return reference_graph("all")


@pytest.fixture(scope="module")
def at_2025() -> CareGraph:
    return reference_graph("2025-01-01")


@pytest.fixture(scope="module")
def at_2026_05() -> CareGraph:
    return reference_graph("2026-05-01")


# --- packaging -------------------------------------------------------------------------------


def test_every_packaged_file_is_listed_with_its_checksum_in_sources_md() -> None:
    sources = (DATA / "SOURCES.md").read_text(encoding="utf-8")
    for name in REFERENCE_FILES:
        digest = hashlib.sha256((DATA / name).read_bytes()).hexdigest()
        assert f"| {name} |" in sources and digest in sources, name
    assert "OGL" in sources and "January 2021 registered list size" in sources


def test_file_row_counts_match_sources_md() -> None:
    # SOURCES.md: 7 regions, 42 + 36 ICBs, 106 sub-ICBs, 274 trusts (202 open), 6,171 practices.
    assert (len(ICBS_2022), len(ICBS_2026), len(SUB_ICBS), len(PRACTICES)) == (42, 36, 106, 6171)
    assert Counter(row["status"] for row in TRUSTS) == {"open": 202, "closed": 72}


# --- ICBs and regions ------------------------------------------------------------------------


def test_42_icbs_in_7_regions_as_at_2025(at_2025: CareGraph) -> None:
    expected = {row["icb_ods_code"]: row["nhser_ods_code"] for row in ICBS_2022}
    assert len(expected) == 42
    assert set(at_2025.nodes_of("ICB")) == set(expected)
    assert {icb: at_2025.successors(icb, "PART_OF") for icb in expected} == {
        icb: [region] for icb, region in expected.items()
    }
    assert len(at_2025.nodes_of("NHSERegion")) == 7 == len(set(expected.values()))
    for region in at_2025.nodes_of("NHSERegion"):
        assert at_2025.successors(region, "PART_OF") == ["X24"]
    assert at_2025.kind("X24") == "NHSEngland" and at_2025.node("X24")["name"] == "NHS England"


def test_36_icbs_as_at_2026_05(at_2026_05: CareGraph) -> None:
    expected = {row["icb_ods_code"]: row["nhser_ods_code"] for row in ICBS_2026}
    assert len(expected) == 36
    assert set(at_2026_05.nodes_of("ICB")) == set(expected)
    for icb, region in expected.items():
        assert at_2026_05.successors(icb, "PART_OF") == [region]


def test_new_2026_icbs_start_on_1_april_2026(full: CareGraph) -> None:
    new = {row["icb_ods_code"] for row in ICBS_2026} - {row["icb_ods_code"] for row in ICBS_2022}
    assert new == NEW_2026_ICBS
    for icb in NEW_2026_ICBS:
        assert full.node(icb)["valid_from"] == "2026-04-01" and "valid_to" not in full.node(icb)
    assert not NEW_2026_ICBS & set(reference_graph("2026-03-31", practices=False).nodes_of("ICB"))


def test_continuing_icb_is_one_node_from_july_2022(full: CareGraph) -> None:
    unchanged = {row["icb_ods_code"] for row in ICBS_2022 if row["status_2026_04"] == "unchanged"}
    assert "QHM" in unchanged and len(unchanged) == 42 - 12  # 11 merged/split + Frimley abolished
    for icb in unchanged:
        assert full.node(icb)["valid_from"] == "2022-07-01" and "valid_to" not in full.node(icb)
    assert reference_graph("2022-06-30", practices=False).nodes_of("ICB") == []


def test_merged_icb_qrv(full: CareGraph, at_2025: CareGraph, at_2026_05: CareGraph) -> None:
    assert "QRV" in at_2025 and "QRV" not in at_2026_05
    assert full.node("QRV")["valid_to"] == "2026-03-31"
    assert full.successors("QRV", "SUCCEEDED_BY") == ["Z9B2Z"]
    assert full.nx.get_edge_data("QRV", "Z9B2Z")["SUCCEEDED_BY@2026-04-01"]["valid_from"] == "2026-04-01"


def test_succeeded_by_follows_the_file_and_frimley_has_no_successor(full: CareGraph) -> None:
    for row in ICBS_2022:
        expected = set() if row["status_2026_04"] == "unchanged" else set(
            filter(None, row["successor_icb_ods_code_2026_04"].split(";"))
        )
        assert set(full.successors(row["icb_ods_code"], "SUCCEEDED_BY")) == expected
    assert full.successors("QNQ", "SUCCEEDED_BY") == []
    assert set(full.successors("QJG", "SUCCEEDED_BY")) == {"D7T5G", "T6Y0W"}  # split


def test_icb_population_is_the_2021_list_size(full: CareGraph) -> None:
    expected = {r["icb_ods_code"]: int(r["registered_patients_2021_01"]) for r in POPULATION}
    assert expected.pop("UNASSIGNED") == 585013
    assert sum(expected.values()) + 585013 == 60_606_345  # England total stated in SOURCES.md
    assert {icb: full.node(icb).get("population") for icb in expected} == expected


def test_new_2026_icbs_sum_their_predecessors_list_sizes(full: CareGraph) -> None:
    """The 2026 ICBs' populations (summed over sub-ICB locations from the practice file) against the ICB file.

    Whole mergers equal the sum of their predecessors' ICB totals; the three ICBs that share the split
    ICBs (QJG, QM7) together equal their six predecessors; Thames Valley has none (U2G6B is new).
    """
    icb = {r["icb_ods_code"]: int(r["registered_patients_2021_01"]) for r in POPULATION}
    population = {code: full.node(code).get("population") for code in NEW_2026_ICBS}
    assert population["Z9B2Z"] == icb["QRV"] + icb["QMJ"]
    assert population["S9B9J"] == icb["QXU"] + icb["QNX"]
    essex_norfolk_central = population["D7T5G"] + population["T6Y0W"] + population["S1Y5D"]
    assert essex_norfolk_central == sum(icb[c] for c in ("QH8", "QJG", "QM7", "QMM", "QHG", "QUE"))
    assert population["S0E4D"] is None
    sub_icbs = {code: full.node(code).get("population") for code in full.nodes_of("SubICBLocation")}
    assert sum(v for v in sub_icbs.values() if v) == 60_606_345 - 585_013  # all but the unassigned


# --- sub-ICB locations -----------------------------------------------------------------------


def test_106_sub_icb_locations_as_at_2025(at_2025: CareGraph) -> None:
    expected = {row["sicbl_ods_code"]: row["icb_ods_code_2022"] for row in SUB_ICBS}
    assert len(expected) == 106
    assert set(at_2025.nodes_of("SubICBLocation")) == set(expected)
    assert {s: at_2025.successors(s, "PART_OF") for s in expected} == {s: [i] for s, i in expected.items()}


def test_sub_icb_parents_from_april_2026(at_2026_05: CareGraph) -> None:
    for row in SUB_ICBS:
        parent = row["icb_ods_code_2026_04"]
        assert at_2026_05.successors(row["sicbl_ods_code"], "PART_OF") == ([parent] if parent else [])
    assert at_2026_05.successors("99E", "PART_OF") == ["D7T5G"]
    assert at_2026_05.successors("D4U1Y", "PART_OF") == []  # Frimley: no 2026 parent is invented
    assert at_2026_05.successors("U2G6B", "PART_OF") == ["S0E4D"]  # new sub-ICB listed in icbs_2026_04.csv


def test_changed_parent_is_two_dated_edges(full: CareGraph) -> None:
    edges = full.nx.get_edge_data("99E", "QH8")
    assert edges == {"PART_OF@2022-07-01": {"type": "PART_OF", "valid_from": "2022-07-01",
                                           "valid_to": "2026-03-31"}}
    assert full.nx.get_edge_data("99E", "D7T5G") == {
        "PART_OF@2026-04-01": {"type": "PART_OF", "valid_from": "2026-04-01"}
    }
    assert full.successors("02P", "PART_OF") == ["QF7"]  # unchanged parent: one edge


# --- trusts ----------------------------------------------------------------------------------


def test_closed_trust_rln_absent_after_closing(full: CareGraph) -> None:
    row = next(r for r in TRUSTS if r["org_code"] == "RLN")
    assert row["close_date"] == "2019-03-31"
    assert "RLN" in reference_graph("2019-03-31", practices=False)  # valid_to is inclusive
    assert "RLN" not in reference_graph("2020-01-01", practices=False)
    assert full.successors("RLN", "LOCATED_IN") == ["Y63"]  # QHM began after RLN closed


def test_k0n6a_present_only_from_june_2026() -> None:
    assert "K0N6A" not in reference_graph("2026-05-31", practices=False)
    graph = reference_graph("2026-06-01", practices=False)
    assert graph.node("K0N6A")["postcode"] == "SE1 8UG"
    assert set(graph.successors("K0N6A", "LOCATED_IN")) == {"QKK", "Y56"}


def test_trusts_in_force_match_file_dates(at_2026_05: CareGraph) -> None:
    day = "2026-05-01"
    expected = {r["org_code"] for r in TRUSTS
                if r["open_date"] <= day and (not r["close_date"] or day <= r["close_date"])}
    assert set(at_2026_05.nodes_of("NHSTrust")) == expected


def test_trust_in_new_icb_is_linked_only_from_april_2026(at_2025: CareGraph, at_2026_05: CareGraph) -> None:
    row = next(r for r in TRUSTS if r["org_code"] == "RDU")  # Frimley Health
    assert row["icb_ods_code"] == "S9B9J"
    assert at_2025.successors("RDU", "LOCATED_IN") == ["Y59"]
    assert set(at_2026_05.successors("RDU", "LOCATED_IN")) == {"S9B9J", "Y59"}


# --- practices and PCNs ----------------------------------------------------------------------


def test_pcns(full: CareGraph) -> None:
    codes = {row["pcn_code"] for row in PRACTICES}
    assert len(codes) == 1299  # as stated in SOURCES.md, counting pseudo-code U
    unallocated = [row for row in PRACTICES if row["pcn_code"] == "U"]
    assert len(unallocated) == 59 and {row["pcn_name"] for row in unallocated} == {"Unallocated"}
    assert set(full.nodes_of("PCN")) == codes - {"U"}
    assert len(full.nodes_of("PCN")) == 1298


def test_every_practice_reaches_its_region_as_at_2026_01_01() -> None:
    graph = reference_graph("2026-01-01")
    assert len(graph.nodes_of("GPPractice")) == 6171
    for row in PRACTICES:
        code = row["practice_code"]
        assert ancestors(graph, code, "NHSERegion") == {row["nhser_ods_code"]}, code
        if row["pcn_code"] != "U":  # and through the PCN chain too
            assert set(graph.successors(code, "PART_OF")) == {row["sicbl_ods_code"], row["pcn_code"]}
            assert row["icb_ods_code"] in ancestors(graph, row["pcn_code"], "ICB", via=("SubICBLocation",))
        else:
            assert graph.successors(code, "PART_OF") == [row["sicbl_ods_code"]]


def test_frimley_practices_reach_no_region_from_april_2026(at_2026_05: CareGraph) -> None:
    frimley = {row["practice_code"] for row in PRACTICES if row["sicbl_ods_code"] == "D4U1Y"}
    assert len(frimley) == 66
    unreached = {p for p in at_2026_05.nodes_of("GPPractice") if not ancestors(at_2026_05, p, "NHSERegion")}
    assert unreached == frimley
    before = reference_graph("2026-03-31")
    assert all(ancestors(before, p, "NHSERegion") == {"Y59"} for p in frimley)


def test_practices_can_be_left_out() -> None:
    graph = reference_graph("2026-05-01", practices=False)
    assert graph.nodes_of("GPPractice") == [] and graph.nodes_of("PCN") == []


def test_each_call_returns_an_independent_graph() -> None:
    first = reference_graph(practices=False)
    first.add_node("TEST", "NHSTrust")
    assert "TEST" not in reference_graph(practices=False)


# --- tables ----------------------------------------------------------------------------------


def test_icb_table_rows_checked_by_hand() -> None:
    table = reference_table("icbs", "2025-01-01").set_index("icb_code")
    assert len(table) == 42
    qrv = table.loc["QRV"]
    assert qrv["name"] == "NHS North West London Integrated Care Board"
    assert (qrv["region_code"], qrv["region_name"]) == ("Y56", "London")
    assert qrv["population_2021"] == 2584710
    assert (qrv["valid_from"], qrv["valid_to"]) == ("2022-07-01", "2026-03-31")
    assert qrv["successor"] == "Z9B2Z"
    assert table.loc["QJG", "successor"] == "D7T5G;T6Y0W"
    assert table.loc["QXU", "ons_code"] == "E54000063"  # re-coded by ONS in 2024

    later = reference_table("icbs", "2026-05-01").set_index("icb_code")
    assert len(later) == 36
    assert later.loc["D7T5G", "name"] == "NHS ESSEX INTEGRATED CARE BOARD"
    assert later["population_2021"].isna().sum() == 1  # Thames Valley: its sub-ICB U2G6B is new


def test_region_table_counts_icbs() -> None:
    expected = Counter(row["nhser_ods_code"] for row in ICBS_2026)
    table = reference_table("regions", "2026-05-01")
    assert dict(zip(table["region_code"], table["n_icbs"], strict=True)) == dict(expected)
    assert table.loc[table["region_code"] == "Y61", "ons_code"].tolist() == ["E40000013"]


def test_trust_table_rows_checked_by_hand() -> None:
    table = reference_table("trusts", "2026-05-01").set_index("trust_code")
    rdu = table.loc["RDU"]
    assert (rdu["icb_code"], rdu["region_code"], rdu["postcode"]) == ("S9B9J", "Y59", "GU16 7UJ")
    assert table.loc["RVJ", "valid_to"] == "2026-06-30"
    assert table.loc["RQF"].isna()[["icb_code", "region_code"]].all()  # Welsh trust: no ICB or region
    earlier = reference_table("trusts", "2025-01-01").set_index("trust_code")
    assert pd.isna(earlier.loc["RDU", "icb_code"]) and earlier.loc["RDU", "region_code"] == "Y59"
    assert "RLN" not in earlier.index


def test_practice_table_rows_checked_by_hand() -> None:
    table = reference_table("practices", "2026-05-01").set_index("practice_code")
    assert len(table) == 6171
    assert table.loc["A81001"].tolist() == ["THE DENSHAM SURGERY", "TS18 1HU", "U89141", "STOCKTON PCN",
                                            "16C", "QHM", "Y63"]
    f81031 = table.loc["F81031"]  # unallocated practice in Mid and South Essex, now Essex ICB
    assert pd.isna(f81031["pcn_code"])
    assert f81031[["sub_icb_code", "icb_code", "region_code"]].tolist() == ["99E", "D7T5G", "Y61"]
    h81013 = table.loc["H81013"]  # Frimley
    assert h81013["sub_icb_code"] == "D4U1Y"
    assert pd.isna(h81013["icb_code"]) and pd.isna(h81013["region_code"])
    earlier = reference_table("practices", "2025-01-01").set_index("practice_code")
    assert earlier.loc["F81031", "icb_code"] == "QH8"


@pytest.mark.parametrize("kind", ["regions", "icbs", "trusts", "practices"])
def test_tables_have_one_row_per_code(kind: str) -> None:
    table = reference_table(kind, "2026-05-01")
    assert table.iloc[:, 0].is_unique and len(table) > 0


def test_unknown_kind_names_the_allowed_kinds() -> None:
    with pytest.raises(ValueError, match="regions, icbs, trusts, practices"):
        reference_table("hospitals", "2026-05-01")


@pytest.mark.parametrize("bad", ["2026-13-01", "1 May 2026", "2026-5-1"])
def test_bad_date_raises_an_argument_error(bad: str) -> None:
    with pytest.raises(ArgumentError, match="as-at date"):
        reference_table("icbs", bad)
    with pytest.raises(ArgumentError):
        reference_graph(bad, practices=False)


def test_without_a_date_the_reference_is_as_at_today_and_says_so() -> None:
    today = datetime.date.today().isoformat()
    icbs = reference_table("icbs")
    assert icbs.attrs["as_at"] == today
    assert len(icbs) == len(reference_table("icbs", today))
    assert len(icbs) in (42, 36)  # one era only, never the 48 of both eras mixed
    assert len(reference_table("icbs", "all")) == 48


def test_a_data_problem_surfaces_as_a_located_validation_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from loaders.reference import organisations as reference
    from networks.errors import ValidationError

    real_rows = reference._rows

    def corrupted(name: str) -> Iterator[tuple[int, dict[str, str]]]:
        for number, row in real_rows(name):
            if name == "nhs_trusts.csv" and row["org_code"] == "RLN":
                row = {**row, "open_date": "2019-02-30"}
            if name == "sub_icb_locations.csv" and row["sicbl_ods_code"] == "99E":
                row = {**row, "icb_ods_code_2026_04": "NOPE"}
            yield number, row

    rln_row = next(i for i, r in enumerate(TRUSTS, start=2) if r["org_code"] == "RLN")
    monkeypatch.setattr(reference, "_rows", corrupted)
    reference._full_graph.cache_clear()
    try:
        with pytest.raises(ValidationError) as caught:
            reference_graph(practices=False)
    finally:
        monkeypatch.undo()
        reference._full_graph.cache_clear()
    message = str(caught.value)
    assert f"nhs_trusts.csv, row {rln_row}, field 'valid_from': '2019-02-30' is not a date" in message
    assert "field 'icb_ods_code_2026_04': unknown reference 'NOPE'" in message
    assert "'NOPE' but icbs_2026_04.csv lists 99E under 'D7T5G'" in message


def test_trusts_of_new_2026_icbs_have_their_2022_host_where_the_sources_settle_it() -> None:
    """Issue 9: as at 2025-01-01, 58 of 205 trusts had no ICB because the trust file gives only 2026 codes."""
    trusts = reference_table("trusts", "2025-01-01").set_index("trust_code")
    assert len(trusts) == 205
    missing = trusts[trusts["icb_code"].isna()]
    # the three Welsh trusts, Frimley (no successor) and ten trusts listed under several predecessors or none
    assert sorted(missing.index) == ["G6V2S", "R1L", "RDU", "RMY", "RPY", "RQF", "RT4", "RTP", "RV3", "RYC", "RYD",
                                     "RYT", "RYV", "RYX"]
    assert missing["icb_note"].str.startswith("no host ICB in the sources").all()
    assert trusts["icb_note"].notna().sum() == len(missing)
    # RAJ (Mid and South Essex) is hosted by a new 2026 ICB; the 2024 membership names QH8, one of its predecessors
    assert trusts.loc["RAJ", "icb_code"] == "QH8"
    assert reference_table("trusts", "2026-05-01").set_index("trust_code").loc["RAJ", "icb_code"] != "QH8"


def test_hospital_sites_and_where_organisations_are():
    # the Freeman Hospital as published by NHS Choices (2018); RTD's six sites in the packaged file, by hand:
    # latitudes 55.002762, 54.980217, 54.981503, 54.980217, 54.788502, 55.085484 -> mean 329.818685 / 6
    sites = cg.site_coordinates()
    assert len(sites) == 1233 and list(sites.columns) == ["site_code", "site_name", "trust_code", "sector",
                                                           "latitude", "longitude"]
    freeman = sites.loc[sites.site_code == "RTD01"].iloc[0]
    assert (freeman.site_name, freeman.trust_code) == ("Freeman Hospital", "RTD")
    assert (freeman.latitude, freeman.longitude) == pytest.approx((55.002762, -1.593706), abs=1e-6)
    places = cg.organisation_coordinates(["RTD", "RTD01", "QHM", "not-a-code", "RTD"]).set_index("id")
    assert list(places.index) == ["RTD", "RTD01", "QHM"]  # in the order given, once each; unknown codes left out
    assert places.loc["RTD", "latitude"] == pytest.approx(329.818685 / 6, abs=1e-6)
    assert places.loc["RTD", "method"] == "trust sites" and places.loc["QHM", "method"] == "hosted trusts sites"
    # an ICB sits among the sites of the trusts it hosts: NENC (QHM) hosts RTD, so its place is in the north east
    assert 54 < places.loc["QHM", "latitude"] < 56 and -3 < places.loc["QHM", "longitude"] < -0.5
    sources = (DATA / "SOURCES.md").read_text(encoding="utf-8")
    digest = hashlib.sha256((DATA / "hospital_sites_2018.csv").read_bytes()).hexdigest()
    assert f"| hospital_sites_2018.csv | 1233 | `{digest}` |" in sources
    assert len(read("hospital_sites_2018.csv")) == 1233
