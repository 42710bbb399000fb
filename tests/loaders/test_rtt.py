"""The shipped RTT return (April 2026) and the flow analyses on it.

Expected values come from the facts in ``loaders/reference/data/SOURCES.md`` (40,102 rows; 7.12 million waiting,
156,857 of them under commissioners with no ICB) or from reading the shipped files with the ``csv`` module and
the publisher's own commissioner parent codes, not from the code under test.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
from collections import defaultdict
from pathlib import Path

import pandas as pd
import pytest

import caregraph as cg
from caregraph.cli import main
from loaders.reference.rtt import RTT_FILES
from networks.flows.places import icb_on

DATA = Path(__file__).resolve().parents[2] / "loaders" / "reference" / "data"
NON_ICB = 156_857  # SOURCES.md: part 2 under commissioners with no ICB parent (hubs, NONC, regions)


def _rows(name: str) -> list[dict[str, str]]:
    raw = (DATA / name).read_bytes()
    text = gzip.decompress(raw).decode("utf-8") if name.endswith(".gz") else raw.decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


TOTALS = _rows("rtt_provider_commissioner_totals_2026_04.csv.gz")
ORGANISATIONS = _rows("rtt_organisations_2026_04.csv")


@pytest.fixture(scope="module")
def graph() -> cg.CareGraph:
    return cg.rtt_graph()


@pytest.fixture(scope="module")
def waiting() -> pd.DataFrame:
    return cg.rtt_flows()


@pytest.fixture(scope="module")
def containment_2026(graph, waiting) -> pd.DataFrame:
    return cg.flow_network(graph, waiting, "icb", "2026-05-01").containment().set_index("area_code")


def test_the_shipped_files_are_listed_with_their_checksums():
    sources = (DATA / "SOURCES.md").read_text(encoding="utf-8")
    for name in (*RTT_FILES, "joint_arrangements.csv", "gp_practice_registered_patients_2021_01.csv.gz"):
        assert f"| {name} |" in sources and hashlib.sha256((DATA / name).read_bytes()).hexdigest() in sources, name


def test_the_facts_of_the_provenance_record(waiting):
    assert len(TOTALS) == 40_102
    assert {r["period"] for r in TOTALS} == {"2026-04"}
    part_2 = [r for r in TOTALS if r["rtt_part"] == "Part_2"]
    assert sum(int(r["total_all"]) for r in part_2) == 7_123_980  # "7.12 M in total"
    assert sum(int(r["total_all"]) for r in part_2 if not r["commissioner_parent_code"]) == NON_ICB
    assert len(waiting) == len(part_2) and waiting["activity"].sum() == 7_123_980
    assert waiting.attrs["source"] == "rtt_provider_commissioner_totals_2026_04.csv.gz"


def _containment_by_hand(icb: str) -> float:
    """Residents by the publisher's commissioner parent; providers by the extract's provider parent."""
    provider_icb = {r["org_code"]: r["parent_org_code"] for r in ORGANISATIONS if r["role"] == "provider"}
    total, inside = 0, 0
    for r in TOTALS:
        if r["rtt_part"] == "Part_2" and r["commissioner_parent_code"] == icb:
            total += int(r["total_all"])
            inside += int(r["total_all"]) if provider_icb[r["provider_code"]] == icb else 0
    return 100 * inside / total


@pytest.mark.parametrize("icb", ["QWE", "QHM", "QOP", "Z9B2Z", "S1Y5D"])
def test_containment_on_the_2026_geography_matches_a_count_by_hand(containment_2026, icb):
    assert containment_2026.loc[icb, "share_inside_pct"] == pytest.approx(_containment_by_hand(icb))


def test_every_unit_of_the_waiting_list_is_kept_on_both_geographies(graph, waiting):
    for day, unplaced in (("2026-05-01", NON_ICB), ("2026-03-31", NON_ICB + 38_260)):  # U2G6B is new in 2026
        table = cg.flow_network(graph, waiting, "icb", day).containment()
        residents = table[table["area_kind"] == "ICB"]
        others = table[(table["area_kind"] != "ICB") & (table["area_code"] != "ALL")]
        assert len(residents) == (36 if day >= "2026-04-01" else 42)
        assert others["activity"].sum() == unplaced
        assert residents["activity"].sum() + unplaced == 7_123_980


def test_hubs_and_nonc_are_their_own_rows(containment_2026):
    table = containment_2026
    by_hand = defaultdict(int)
    for r in TOTALS:
        if r["rtt_part"] == "Part_2" and not r["commissioner_parent_code"]:
            by_hand[r["commissioner_code"]] += int(r["total_all"])
    assert {c: table.loc[c, "activity"] for c in by_hand} == by_hand
    assert table.loc["27T", "area_kind"] == "NHS England commissioning hub"
    assert table.loc["NONC", "area_kind"] == "non-contracted activity"


def test_both_geographies_from_one_command(capsys):
    assert main(["flows", "containment", "--rtt", "--geography", "both", "--as-at", "2026-05-01",
                 "--format", "csv"]) == 0
    out, err = capsys.readouterr()
    table = pd.read_csv(io.StringIO(out))
    assert table["icb_before"].dropna().nunique() == 42 and table["icb_after"].dropna().nunique() == 36
    unchanged = table[table["change"] == "unchanged"]
    assert (unchanged["icb_before_contained_pct"] == unchanged["icb_after_contained_pct"]).all()
    qwe = table[table["icb_before"] == "QWE"].iloc[0]
    assert qwe["icb_after_contained_pct"] == pytest.approx(_containment_by_hand("QWE"))
    # QJG was split between Essex and Norfolk and Suffolk: its residents divide between the two
    qjg = table[table["icb_before"] == "QJG"].set_index("icb_after")
    assert set(qjg.index) == {"D7T5G", "T6Y0W"}
    assert qjg["share_of_before_residents_pct"].sum() == pytest.approx(100.0)
    frimley = table[table["icb_before"] == "QNQ"].iloc[0]
    assert frimley["change"] == "ended; no successor in the model" and frimley["activity"] == 0
    assert "42 ICBs as at 2026-03-31 beside 36 ICBs as at 2026-05-01" in err


def test_providers_of_new_icbs_have_a_2022_icb_and_its_basis():
    providers = cg.rtt_providers().set_index("provider_code")
    assert len(providers) == 529
    assert providers.loc["RDU", "icb_2022"] == "QNQ"  # Frimley Health: GU16 7 practices are in Frimley ICB
    assert providers.loc["RAJ", ["icb_2026", "icb_2022"]].tolist() == ["D7T5G", "QH8"]
    unplaced = providers[providers["icb_2022"].isna()].index
    assert sorted(unplaced) == ["AY1", "DX1", "NHW", "NX505"]  # as SOURCES.md says


def test_a_trust_that_closed_keeps_its_icb(graph):
    # North Bristol (RVJ) closes on 2026-06-30 (etr); its April activity stays in Bristol ICB
    assert icb_on(graph, "RVJ", "2026-12-01") == "QUY"
    assert graph.kind("14F") == "CommissioningHub"


def test_by_specialty_adds_up_to_the_same_waiting_list():
    by = cg.rtt_flows(by_specialty=True)
    assert by["activity"].sum() == 7_123_980 and by["service"].str.match(r"^(C_\d{3}|X0\d)$").all()
