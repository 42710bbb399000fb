"""NHS England's referral-to-treatment (RTT) waiting times, April 2026: real national patient flows.

Shipped in ``loaders/reference/data/`` (provenance in ``SOURCES.md`` there):

* ``rtt_provider_commissioner_totals_2026_04.csv.gz``: 40,102 rows, one per
  provider x commissioner x RTT part, all treatment functions together;
* ``rtt_incomplete_pathways_by_specialty_2026_04.csv.gz``: the waiting list
  (part 2) by treatment function;
* ``rtt_organisations_2026_04.csv``: the 529 providers with their April 2026
  ICB, and the 128 commissioners (106 sub-ICB locations, 15 NHS England
  commissioning hubs, ``NONC`` and six NHS England regions);
* ``nhse_commissioning_hubs.csv``: the 16 open NHS England commissioning
  hubs (ODS role RO218), with their scope.

``rtt_flows(part)`` gives one part as a flow table (``networks.flows.table``)
and ``rtt_graph()`` the organisations it needs: the reference graph
(``reference_graph("all", practices=False)``) plus the 382 RTT providers that are
not NHS trusts in the ODS ``etr`` file, and the commissioning hubs. Each
provider is ``LOCATED_IN`` its April 2026 ICB; one in a new 2026 ICB is also
``LOCATED_IN`` the 2022 ICB it was in until 2026-03-31, derived as
``rtt_providers()`` says (column ``icb_2022_basis``): for a trust, the host
``reference_graph("all")`` gives it where the sources settle it (the only
predecessor, or the 2024 trust-ICB membership), else the 2022 ICB of most
GP practices in its postcode sector (or district) among the predecessors;
for another provider, the only predecessor; else the predecessor whose
residents are most of its waiting list. So the same rows can be
read on the 42 ICBs of 2022-2026 and on the 36 from April 2026.

Examples
--------
>>> import caregraph as cg
>>> flows = cg.rtt_flows()                  # the waiting list: incomplete pathways, April 2026
>>> len(flows), int(flows["activity"].sum())
(12869, 7123980)
>>> providers = cg.rtt_providers().set_index("provider_code")
>>> providers.loc["RAJ", ["icb_2026", "icb_2022"]].tolist()
['D7T5G', 'QH8']
>>> providers.loc["RDU", ["icb_2026", "icb_2022", "icb_2022_basis"]].tolist()
['S9B9J', 'QNQ', 'postcode sector GU16 7: 1 of 1 GP practices in QNQ']
"""

from __future__ import annotations

import functools
import re
from collections import Counter

import pandas as pd

from networks.choices import check_choice
from networks.graph import CareGraph

from ..choices import RTT_PART_NAMES
from .data_files import read_reference_csv
from .organisations import ICB_2022_END, ICB_2022_START, ICB_2026_START, NHS_ENGLAND_ID, reference_graph

__all__ = [
    "RTT_FILES",
    "RTT_PARTS",
    "RTT_PERIOD",
    "rtt_flows",
    "rtt_graph",
    "rtt_providers",
]

RTT_PERIOD = "2026-04"
"""The month of the shipped RTT extract."""

RTT_PARTS: dict[str, str] = {
    "Part_1A": "completed admitted pathways",
    "Part_1B": "completed non-admitted pathways",
    "Part_2": "incomplete pathways (the waiting list)",
    "Part_2A": "incomplete pathways with a decision to admit",
    "Part_3": "new RTT periods (clock starts)",
}
"""The parts of the RTT return, as in the extract's ``rtt_part`` column."""

_TOTALS = "rtt_provider_commissioner_totals_2026_04.csv.gz"
_BY_SPECIALTY = "rtt_incomplete_pathways_by_specialty_2026_04.csv.gz"
_ORGANISATIONS = "rtt_organisations_2026_04.csv"
_HUBS = "nhse_commissioning_hubs.csv"

RTT_FILES: tuple[str, ...] = (_TOTALS, _BY_SPECIALTY, _ORGANISATIONS, _HUBS)
"""The packaged RTT files (in ``loaders/reference/data/``)."""

_PROVIDER_COLUMNS = ["provider_code", "name", "kind", "in_etr", "icb_2026", "icb_2022", "icb_2022_basis"]
_HUB_REGIONS = {"LONDON": "Y56", "SOUTH WEST": "Y58", "SOUTH EAST": "Y59", "MIDLANDS": "Y60",
                "EAST OF ENGLAND": "Y61", "NORTH WEST": "Y62", "NORTH EAST AND YORKSHIRE": "Y63"}


def _numbered(frame: pd.DataFrame) -> pd.DataFrame:
    """Add ``row``: the row number in the shipped file (header = row 1)."""
    frame = frame.reset_index(drop=True)
    frame["row"] = range(2, len(frame) + 2)
    return frame


@functools.lru_cache(maxsize=1)
def _totals() -> pd.DataFrame:
    return _numbered(read_reference_csv(_TOTALS))


@functools.lru_cache(maxsize=1)
def _by_specialty() -> pd.DataFrame:
    return _numbered(read_reference_csv(_BY_SPECIALTY))


def rtt_flows(part: str = "Part_2", *, by_specialty: bool = False) -> pd.DataFrame:
    """Return one part of the April 2026 RTT return as a flow table.

    Parameters
    ----------
    part : str
        A key of ``RTT_PARTS`` (default ``"Part_2"``, the waiting list:
        7,123,980 incomplete pathways).
    by_specialty : bool
        One row per provider, commissioner and treatment function (only for
        ``Part_2``), with ``service`` (the code, e.g. ``C_110``) and
        ``service_name``.

    Returns
    -------
    pandas.DataFrame
        ``commissioner_id``, ``provider_id``, ``activity`` (the published
        "Total All", float), ``period`` (``"2026-04"``), ``service`` and
        ``service_name`` (with ``by_specialty``), and ``row`` (the row in the
        shipped file); ``attrs["source"]`` names the file and
        ``attrs["activity"]`` says what the activity counts.

    Raises
    ------
    networks.errors.ArgumentError
        An unknown part, or ``by_specialty`` with a part other than ``Part_2``.

    Examples
    --------
    >>> import caregraph as cg
    >>> by = cg.rtt_flows(by_specialty=True)
    >>> by.loc[by["service"] == "C_130", "service_name"].iloc[0], int(by["activity"].sum())
    ('Ophthalmology Service', 7123980)
    """
    check_choice("part", part, RTT_PART_NAMES)
    if by_specialty:
        check_choice("part (by specialty)", part, ("Part_2",))
        raw = _by_specialty()
        frame = pd.DataFrame({"commissioner_id": raw["commissioner_code"], "provider_id": raw["provider_code"],
                              "activity": raw["total_all"].astype(float), "period": RTT_PERIOD,
                              "service": raw["treatment_function_code"],
                              "service_name": raw["treatment_function_name"], "row": raw["row"]})
        source = _BY_SPECIALTY
    else:
        raw = _totals()
        raw = raw[raw["rtt_part"] == part]
        frame = pd.DataFrame({"commissioner_id": raw["commissioner_code"], "provider_id": raw["provider_code"],
                              "activity": raw["total_all"].astype(float), "period": raw["period"],
                              "row": raw["row"]}).reset_index(drop=True)
        source = _TOTALS
    frame.attrs["source"] = source
    frame.attrs["activity"] = f"RTT {part}: {RTT_PARTS[part]}, {RTT_PERIOD}"
    return frame


def _postcode_keys(postcode: str) -> list[tuple[str, str]]:
    """(label, key) for a postcode's sector and district: ``SS0 0RY`` -> sector ``SS0 0``, district ``SS0``."""
    text = re.sub(r"\s+", " ", postcode.strip().upper())
    if " " not in text:
        return []
    outward, inward = text.split(" ", 1)
    return [("postcode sector", f"{outward} {inward[:1]}"), ("postcode district", outward)]


def _practice_icbs_2022() -> dict[str, Counter[str]]:
    """GP practices' 2022 ICBs counted by postcode sector and by district."""
    practices = read_reference_csv("gp_practices_pcn_map_2026_01.csv")
    counts: dict[str, Counter[str]] = {}
    for postcode, icb in zip(practices["practice_postcode"], practices["icb_ods_code"], strict=True):
        for _, key in _postcode_keys(postcode or ""):
            counts.setdefault(key, Counter())[icb] += 1
    return counts


def _residents_2022(sub_icb_2022: dict[str, str]) -> dict[str, Counter[str]]:
    """Each provider's waiting list (part 2) by the 2022 ICB its patients' sub-ICB location was in."""
    waiting = _totals()
    waiting = waiting[waiting["rtt_part"] == "Part_2"]
    counts: dict[str, Counter[str]] = {}
    for provider, commissioner, total in zip(waiting["provider_code"], waiting["commissioner_code"],
                                             waiting["total_all"], strict=True):
        icb = sub_icb_2022.get(commissioner)
        if icb is not None:
            counts.setdefault(provider, Counter())[icb] += int(total)
    return counts


def _host_2022(postcode: str | None, predecessors: list[str], practices: dict[str, Counter[str]],
               residents: Counter[str]) -> tuple[str | None, str]:
    """A provider's 2022 ICB, and how it was found.

    A trust's postcode places it: the 2022 ICB of most GP practices in its postcode sector (else district).
    Otherwise its 2026 ICB's only predecessor, or the predecessor where most of its waiting list lives.
    """
    for label, key in _postcode_keys(postcode or ""):
        if key in practices:
            (icb, n), total = practices[key].most_common(1)[0], sum(practices[key].values())
            return icb, f"{label} {key}: {n} of {total} GP practices in {icb}"
    if len(predecessors) == 1:
        return predecessors[0], "the only predecessor of its 2026 ICB"
    residents = Counter({icb: n for icb, n in residents.items() if icb in predecessors})
    if residents:
        icb, n = residents.most_common(1)[0]
        share = 100 * n / sum(residents.values())
        return icb, f"residents: {share:.0f}% of its waiting list from the predecessors lives in {icb}"
    return None, "not determinable from the shipped data"


_SETTLED_BASIS = "the reference graph's 2022-2026 host (the only predecessor, or the 2024 trust-ICB membership)"


def _reference_hosts_2022() -> dict[str, str]:
    """The 2022-2026 host ICB of the trusts of new 2026 ICBs where ``reference_graph`` settles it."""
    graph = reference_graph("all", practices=False)
    return {trust: icb for trust, icb, props in graph.edges_of("LOCATED_IN", data=True)
            if props.get("valid_to") == ICB_2022_END and graph.kind(icb) == "ICB"}


@functools.lru_cache(maxsize=1)
def _providers() -> pd.DataFrame:
    organisations = read_reference_csv(_ORGANISATIONS)
    providers = organisations[organisations["role"] == "provider"]
    trusts = read_reference_csv("nhs_trusts.csv").set_index("org_code")
    icbs_2026 = read_reference_csv("icbs_2026_04.csv").set_index("icb_ods_code")
    continuing = set(read_reference_csv("icbs_42_2022_to_2026.csv")["icb_ods_code"])
    sub_icbs = read_reference_csv("sub_icb_locations.csv")
    sub_icb_2022 = dict(zip(sub_icbs["sicbl_ods_code"], sub_icbs["icb_ods_code_2022"], strict=True))
    practices = _practice_icbs_2022()
    residents = _residents_2022(sub_icb_2022)
    settled = _reference_hosts_2022()
    rows = []
    for code, name, parent in zip(providers["org_code"], providers["org_name"], providers["parent_org_code"],
                                  strict=True):
        in_etr = code in trusts.index
        icb_2026 = trusts.at[code, "icb_ods_code"] if in_etr else parent
        kind = "NHSTrust" if in_etr or ("NHS" in name and "TRUST" in name) else "IndependentProvider"
        if icb_2026 is None:
            icb_2022, basis = None, "no ICB"
        elif icb_2026 in continuing:
            icb_2022, basis = icb_2026, "the same ICB (its code continues)"
        else:
            predecessors = (icbs_2026.at[icb_2026, "predecessor_icb_ods_codes"] or "").split(";")
            if code in settled:
                icb_2022, basis = settled[code], _SETTLED_BASIS
            else:
                postcode = trusts.at[code, "postcode"] if in_etr else None
                icb_2022, basis = _host_2022(postcode, predecessors, practices, residents.get(code, Counter()))
        rows.append({"provider_code": code, "name": name, "kind": kind, "in_etr": in_etr, "icb_2026": icb_2026,
                     "icb_2022": icb_2022, "icb_2022_basis": basis})
    return pd.DataFrame(rows, columns=_PROVIDER_COLUMNS, dtype=object)


def rtt_providers() -> pd.DataFrame:
    """Return the 529 RTT providers with their ICB in 2026 and in 2022, and how the 2022 one was found.

    Returns
    -------
    pandas.DataFrame
        ``provider_code``, ``name``, ``kind`` (``NHSTrust`` for trusts in the
        ODS ``etr`` file or named as NHS trusts, else
        ``IndependentProvider``), ``in_etr``, ``icb_2026`` (the ``etr`` host
        for a trust, else the RTT extract's parent), ``icb_2022`` and
        ``icb_2022_basis``.
    """
    return _providers().copy()


def _hub_parent(scope: str) -> str:
    """A hub's region from the scope its name gives (``NATIONAL 1`` -> NHS England)."""
    return _HUB_REGIONS.get(scope, NHS_ENGLAND_ID)


@functools.lru_cache(maxsize=1)
def _graph() -> CareGraph:
    graph = reference_graph("all", practices=False)
    settled = _reference_hosts_2022()
    continuing_2022 = {n for n, a in graph.nodes_of("ICB", data=True) if a.get("valid_from") == ICB_2022_START}
    for row in _providers().to_dict("records"):
        code, icb_2026, icb_2022 = str(row["provider_code"]), row["icb_2026"], row["icb_2022"]
        if code not in graph:
            graph.add_node(code, str(row["kind"]), name=row["name"])
            if icb_2026 is not None:
                start = ICB_2022_START if icb_2026 in continuing_2022 else ICB_2026_START
                graph.add_edge(code, str(icb_2026), "LOCATED_IN", valid_from=start)
        if icb_2022 is not None and icb_2022 != icb_2026 and code not in settled:
            opened = graph.node(code).get("valid_from") or ICB_2022_START
            graph.add_edge(code, str(icb_2022), "LOCATED_IN", valid_from=max(opened, ICB_2022_START),
                           valid_to=ICB_2022_END)
    hubs = read_reference_csv(_HUBS)
    scope = "region_or_scope_derived_from_name"
    for code, name, opened, where in zip(hubs["commissioner_code"], hubs["name"], hubs["open_date"], hubs[scope],
                                         strict=True):
        graph.add_node(code, "CommissioningHub", name=name, valid_from=opened)
        graph.add_edge(code, _hub_parent(where), "PART_OF")
    return graph


def rtt_graph() -> CareGraph:
    """Return the organisations of the RTT flows as a dated graph (see the module docstring).

    Returns
    -------
    CareGraph
        A new graph each call: ``reference_graph("all", practices=False)`` plus the
        RTT providers not in it (``NHSTrust`` or ``IndependentProvider``,
        ``LOCATED_IN`` their ICB), each provider's derived 2022 ICB
        (``LOCATED_IN`` until 2026-03-31), and the 16 NHS England
        commissioning hubs (``CommissioningHub``, ``PART_OF`` their region,
        or NHS England for the national hubs).

    Examples
    --------
    >>> import caregraph as cg
    >>> g = cg.rtt_graph()
    >>> sorted(g.successors("RAJ", "LOCATED_IN"))
    ['D7T5G', 'QH8', 'Y61']
    >>> g.kind("14F"), g.successors("14F", "PART_OF")
    ('CommissioningHub', ['Y58'])
    """
    return _graph().copy()
