"""NHS England reference data: organisations and geography as a dated ``CareGraph``.

The package ships real NHS files, copied unchanged into
``loaders/reference/data/`` with their provenance in ``SOURCES.md`` there.
They cover the 7 NHS England regions, the 42 integrated care boards (ICBs) of
July 2022 to March 2026, the 36 ICBs from April 2026, the 106 sub-ICB
locations, the NHS trusts (ODS ``etr``), and the January 2026 GP practice ->
PCN -> sub-ICB map. No network access is needed.

The hierarchy is ``GPPractice -PART_OF-> PCN -PART_OF-> SubICBLocation
-PART_OF-> ICB -PART_OF-> NHSERegion -PART_OF-> NHSEngland`` (X24). Each
practice is also directly ``PART_OF`` the sub-ICB location it is published
under. Trusts are ``LOCATED_IN`` their host ICB and their region. Merged,
split and abolished ICBs end on 2026-03-31 and are ``SUCCEEDED_BY`` their
successors from 2026-04-01. ``reference_graph(date)`` gives the graph as at a
date and ``reference_table(kind, date)`` gives one row per organisation.

Caveats (see ``SOURCES.md``):

* ICB ``population`` is the **January 2021 registered list size** (GP
  registrations summed to the 2022 ICBs). It is stale. Sub-ICB locations
  carry their own (summed from the practice-level file,
  ``loaders.reference.populations``), and five of the six new 2026 ICBs the
  sum of theirs; Thames Valley (S0E4D) has none, because its new sub-ICB
  location U2G6B has no 2021 list size.
* Frimley sub-ICB D4U1Y has no April-2026 parent in the sources, and none is
  invented. From 2026-04-01 its practices reach no ICB or region.
* Practices and PCNs are a January 2026 snapshot with no dates, so they appear
  unchanged at every date. The 59 practices in pseudo-PCN ``U``
  ("Unallocated") have no PCN.
* A trust's ICB is the one named in the mid-2026 ``etr`` file. Trusts hosted
  by one of the six new ICBs have no ICB before 2026-04-01.

Examples
--------
>>> import caregraph as cg
>>> g = cg.reference_graph("2026-05-01", practices=False)
>>> len(g.nodes_of("ICB")), len(g.nodes_of("NHSERegion"))
(36, 7)
>>> cg.reference_table("icbs", "2025-01-01").shape[0]
42
"""

from __future__ import annotations

import csv
import functools
import logging
import time
from collections.abc import Iterable, Iterator
from typing import Any

import pandas as pd

from networks.dates import AsAt, as_at_label, dated, resolve_as_at
from networks.errors import ArgumentError, Problem, ValidationError
from networks.graph import CareGraph
from networks.records import EdgeRecord, NodeRecord, Origin, build_graph

from ..choices import REFERENCE_KINDS
from .data_files import open_reference_text
from .populations import PRACTICE_LIST_SIZES, sub_icb_list_sizes

__all__ = [
    "ICB_2022_START",
    "ICB_2026_START",
    "NHS_ENGLAND_ID",
    "REFERENCE_FILES",
    "reference_graph",
    "reference_table",
]

logger = logging.getLogger(__name__)

NHS_ENGLAND_ID = "X24"
"""The ODS code of NHS England, the root of the hierarchy."""

ICB_2022_START = "2022-07-01"
"""The day ICBs (and sub-ICB locations) replaced CCGs."""

ICB_2026_START = "2026-04-01"
"""The day the 42 ICBs became 36."""

ICB_2022_END = "2026-03-31"
"""The last day of the 42 ICBs of July 2022."""

_UNALLOCATED_PCN = "U"
_NO_HOST_ICB = "no host ICB in the sources for this date (a Welsh trust, or one the sources leave open)"

_REGIONS = "nhs_england_regions.csv"
_ICBS_2022 = "icbs_42_2022_to_2026.csv"
_ICBS_2026 = "icbs_2026_04.csv"
_SUB_ICBS = "sub_icb_locations.csv"
_TRUSTS = "nhs_trusts.csv"
_PRACTICES = "gp_practices_pcn_map_2026_01.csv"
_TRUST_ICBS_2024 = "trust_icb_membership_2024_rcpch.csv"
_POPULATION = "icb_registered_patients_2021_01.csv"

REFERENCE_FILES: tuple[str, ...] = (
    _REGIONS, _ICBS_2022, _ICBS_2026, _SUB_ICBS, _TRUSTS, _PRACTICES, _POPULATION, _TRUST_ICBS_2024,
    PRACTICE_LIST_SIZES,
)
"""The packaged organisation files (in ``loaders/reference/data/``)."""


Row = dict[str, str]


def _rows(name: str) -> Iterator[tuple[int, Row]]:
    """Yield ``(row number, row)`` pairs; the header is row 1, cells are stripped."""
    with open_reference_text(name) as text:
        for number, row in enumerate(csv.DictReader(text), start=2):
            yield number, {key: (value or "").strip() for key, value in row.items()}


class _Records:
    """Collects node and edge records, and problems that ``build_graph`` cannot see."""

    def __init__(self) -> None:
        self.nodes: list[NodeRecord] = []
        self.edges: list[EdgeRecord] = []
        self.problems: list[Problem] = []

    def node(self, node_id: str, kind: str, props: dict[str, Any], file: str, row: int | None,
             id_field: str) -> None:
        self.nodes.append(NodeRecord(node_id, kind, props, Origin(file, row), id_field=id_field))

    def edge(self, source: str, target: str, rel_type: str, file: str, row: int | None,
             source_field: str, target_field: str, valid_from: str | None = None,
             valid_to: str | None = None) -> None:
        props = {"valid_from": valid_from, "valid_to": valid_to}
        self.edges.append(EdgeRecord(source, target, rel_type, props, Origin(file, row),
                                     source_field, target_field))

    def parent_over_time(self, child: str, before: str, after: str, file: str, row: int,
                         source_field: str, fields: tuple[str, str], start: str) -> None:
        """PART_OF ``before`` from ``start`` and ``after`` from April 2026 (one edge if equal).

        A blank ``after`` ends the ``before`` edge on 2026-03-31 without a new parent.
        """
        if before == after:
            self.edge(child, before, "PART_OF", file, row, source_field, fields[0], start)
            return
        self.edge(child, before, "PART_OF", file, row, source_field, fields[0], start, ICB_2022_END)
        if after:
            self.edge(child, after, "PART_OF", file, row, source_field, fields[1], ICB_2026_START)

    def problem(self, file: str, row: int, field: str, message: str) -> None:
        self.problems.append(Problem(file, row, field, message))


def _geography(rec: _Records) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Add NHS England, regions, ICBs and sub-ICB locations; return each ICB's first day."""
    rec.node(NHS_ENGLAND_ID, "NHSEngland", {"name": "NHS England"}, "loaders/reference.py", None, "id")
    for row_no, row in _rows(_REGIONS):
        code = row["nhser_ods_code"]
        rec.node(code, "NHSERegion", {"name": row["nhser_name"], "ons_code": row["nhser_ons_code_2026_01"]},
                 _REGIONS, row_no, "nhser_ods_code")
        rec.edge(code, NHS_ENGLAND_ID, "PART_OF", _REGIONS, row_no, "nhser_ods_code", "(NHS England)")

    population: dict[str, str] = {}
    population_rows: dict[str, int] = {}
    for row_no, row in _rows(_POPULATION):
        if row["icb_ods_code"] != "UNASSIGNED":
            population[row["icb_ods_code"]] = row["registered_patients_2021_01"]
            population_rows[row["icb_ods_code"]] = row_no

    icb_start: dict[str, str] = {}
    predecessors: dict[str, list[str]] = {}
    icb_2022_region: dict[str, tuple[str, int]] = {}
    continuing: set[str] = set()
    for row_no, row in _rows(_ICBS_2022):
        code, status = row["icb_ods_code"], row["status_2026_04"]
        successors = [s for s in row["successor_icb_ods_code_2026_04"].split(";") if s]
        unchanged = status == "unchanged"
        if unchanged:
            continuing.add(code)
            if successors != [code]:
                rec.problem(_ICBS_2022, row_no, "successor_icb_ods_code_2026_04",
                            f"status 'unchanged' but successor is '{';'.join(successors)}'")
        else:
            for successor in successors:
                predecessors.setdefault(successor, []).append(code)
                rec.edge(code, successor, "SUCCEEDED_BY", _ICBS_2022, row_no, "icb_ods_code",
                         "successor_icb_ods_code_2026_04", ICB_2026_START)
        props: dict[str, Any] = {
            "name": row["icb_name"],
            "ons_code": row["icb_ons_code_2024"],
            "population": population.pop(code, None),
            "valid_from": ICB_2022_START,
            "valid_to": None if unchanged else ICB_2022_END,
        }
        rec.node(code, "ICB", props, _ICBS_2022, row_no, "icb_ods_code")
        icb_start[code] = ICB_2022_START
        icb_2022_region[code] = (row["nhser_ods_code"], row_no)
    for code in population:
        rec.problem(_POPULATION, population_rows[code], "icb_ods_code", f"'{code}' is not a 2022 ICB")

    sizes = sub_icb_list_sizes()
    sub_icbs_2026: dict[str, tuple[str, int]] = {}
    for row_no, row in _rows(_ICBS_2026):
        code, region = row["icb_ods_code"], row["nhser_ods_code"]
        members = row["sub_icb_location_ods_codes"].split(";")
        for sub_icb in filter(None, members):
            sub_icbs_2026[sub_icb] = (code, row_no)
        if code in continuing:
            continuing.discard(code)
            rec.parent_over_time(code, icb_2022_region.pop(code)[0], region, _ICBS_2026, row_no,
                                 "icb_ods_code", ("nhser_ods_code (2022)", "nhser_ods_code"),
                                 ICB_2022_START)
            continue
        # a new ICB's population: its sub-ICB locations' list sizes, when every one has one
        population_2026 = sum(sizes[s] for s in members) if all(s in sizes for s in members) else None
        rec.node(code, "ICB", {"name": row["icb_name"], "population": population_2026,
                               "valid_from": ICB_2026_START},
                 _ICBS_2026, row_no, "icb_ods_code")
        rec.edge(code, region, "PART_OF", _ICBS_2026, row_no, "icb_ods_code", "nhser_ods_code")
        icb_start[code] = ICB_2026_START
    for code, (region, row_no) in icb_2022_region.items():  # ended 2026-03-31, or missing from 2026
        if code in continuing:
            rec.problem(_ICBS_2022, row_no, "status_2026_04",
                        f"'unchanged' but {code} is not in {_ICBS_2026}")
        rec.edge(code, region, "PART_OF", _ICBS_2022, row_no, "icb_ods_code", "nhser_ods_code")

    for row_no, row in _rows(_SUB_ICBS):
        code, after = row["sicbl_ods_code"], row["icb_ods_code_2026_04"]
        listed = sub_icbs_2026.pop(code, None)
        if (listed[0] if listed else "") != after:
            rec.problem(_SUB_ICBS, row_no, "icb_ods_code_2026_04",
                        f"'{after}' but {_ICBS_2026} lists {code} under '{listed[0] if listed else ''}'")
        props = {"name": row["sicbl_name_2026_01"], "ons_code": row["sicbl_ons_code_2026_01"],
                 "population": sizes.get(code), "valid_from": ICB_2022_START}
        rec.node(code, "SubICBLocation", props, _SUB_ICBS, row_no, "sicbl_ods_code")
        rec.parent_over_time(code, row["icb_ods_code_2022"], after, _SUB_ICBS, row_no, "sicbl_ods_code",
                             ("icb_ods_code_2022", "icb_ods_code_2026_04"), ICB_2022_START)
    for code, (icb, row_no) in sub_icbs_2026.items():  # new in April 2026 (U2G6B); no name given
        rec.node(code, "SubICBLocation", {"valid_from": ICB_2026_START}, _ICBS_2026, row_no,
                 "sub_icb_location_ods_codes")
        rec.edge(code, icb, "PART_OF", _ICBS_2026, row_no, "sub_icb_location_ods_codes", "icb_ods_code",
                 ICB_2026_START)
    return icb_start, predecessors


def _host_before_2026(trust: str, icb: str, predecessors: dict[str, list[str]],
                      members: dict[str, set[str]]) -> str | None:
    """The 2022-2026 host ICB of a trust hosted by a new April-2026 ICB, where the sources settle it.

    The one predecessor of the new ICB, or the one predecessor the 2024 ICB membership lists the trust under;
    ``None`` when the sources leave it open (the gap shows as a missing ICB).
    """
    before = predecessors.get(icb, [])
    if len(before) == 1:
        return before[0]
    served = [old for old in before if old in members.get(trust, set())]
    return served[0] if len(served) == 1 else None


def _trusts(rec: _Records, icb_start: dict[str, str], predecessors: dict[str, list[str]]) -> None:
    """Add NHS trusts, LOCATED_IN their host ICB (while both exist) and their region."""
    members: dict[str, set[str]] = {}
    for _, row in _rows(_TRUST_ICBS_2024):
        members.setdefault(row["trust_ods_code"], set()).add(row["icb_ods_code"])
    for row_no, row in _rows(_TRUSTS):
        code, opened, closed = row["org_code"], row["open_date"], row["close_date"] or None
        props = {"name": row["name"], "postcode": row["postcode"], "valid_from": opened, "valid_to": closed}
        rec.node(code, "NHSTrust", props, _TRUSTS, row_no, "org_code")
        icb = row["icb_ods_code"]
        if icb:
            # etr names the mid-2026 host ICB: the link starts when that ICB exists (and the trust is open)
            start = max(icb_start.get(icb, ICB_2022_START), opened)
            if closed is None or start <= closed:
                rec.edge(code, icb, "LOCATED_IN", _TRUSTS, row_no, "org_code", "icb_ods_code", start, closed)
            earlier = _host_before_2026(code, icb, predecessors, members) if start == ICB_2026_START else None
            if earlier is not None and max(ICB_2022_START, opened) <= min(ICB_2022_END, closed or ICB_2022_END):
                rec.edge(code, earlier, "LOCATED_IN", _TRUSTS, row_no, "org_code", "icb_ods_code",
                         max(ICB_2022_START, opened), min(ICB_2022_END, closed or ICB_2022_END))
        if row["nhser_ods_code"]:
            rec.edge(code, row["nhser_ods_code"], "LOCATED_IN", _TRUSTS, row_no, "org_code", "nhser_ods_code")


def _practices(rec: _Records) -> None:
    """Add GP practices and PCNs from the January 2026 map (undated)."""
    pcns: set[str] = set()
    pcn_parents: set[tuple[str, str]] = set()
    for row_no, row in _rows(_PRACTICES):
        code, pcn, sub_icb = row["practice_code"], row["pcn_code"], row["sicbl_ods_code"]
        rec.node(code, "GPPractice", {"name": row["practice_name"], "postcode": row["practice_postcode"]},
                 _PRACTICES, row_no, "practice_code")
        rec.edge(code, sub_icb, "PART_OF", _PRACTICES, row_no, "practice_code", "sicbl_ods_code")
        if pcn == _UNALLOCATED_PCN:
            continue
        if pcn not in pcns:
            pcns.add(pcn)
            rec.node(pcn, "PCN", {"name": row["pcn_name"]}, _PRACTICES, row_no, "pcn_code")
        rec.edge(code, pcn, "PART_OF", _PRACTICES, row_no, "practice_code", "pcn_code")
        if (pcn, sub_icb) not in pcn_parents:
            pcn_parents.add((pcn, sub_icb))
            rec.edge(pcn, sub_icb, "PART_OF", _PRACTICES, row_no, "pcn_code", "sicbl_ods_code")


@functools.lru_cache(maxsize=2)
def _full_graph(practices: bool) -> CareGraph:
    started = time.perf_counter()
    rec = _Records()
    icb_start, predecessors = _geography(rec)
    _trusts(rec, icb_start, predecessors)
    if practices:
        _practices(rec)
    try:
        graph = build_graph(rec.nodes, rec.edges, name="NHS England reference data")
    except ValidationError as exc:
        raise ValidationError([*rec.problems, *exc.problems]) from None
    if rec.problems:
        raise ValidationError(rec.problems)
    logger.debug("built the reference graph (%d nodes, %d relationships) in %.2f s",
                 graph.number_of_nodes(), graph.number_of_edges(), time.perf_counter() - started)
    return graph


def reference_graph(as_at: AsAt = None, *, practices: bool = True) -> CareGraph:
    """Return NHS England's organisations and geography as a ``CareGraph``.

    Parameters
    ----------
    as_at : str, optional
        The day (``YYYY-MM-DD``): only the organisations and relationships in
        force that day (``CareGraph.as_at``). Default today. ``"all"`` gives
        every dated version (2022 and 2026 ICBs, both parents of a sub-ICB
        location, closed trusts).
    practices : bool
        Include the 6,171 GP practices and their PCNs (January 2026 map).
        Leave them out for a graph of about 500 nodes that builds faster.

    Returns
    -------
    CareGraph
        A new graph each call, so it is safe to change. Node ids are ODS codes.
        Kinds are NHSEngland (X24), NHSERegion, ICB and SubICBLocation
        (``population`` = 2021 registered list size), NHSTrust, and with
        ``practices`` also PCN and GPPractice. Relationships are PART_OF,
        LOCATED_IN and SUCCEEDED_BY.

    Raises
    ------
    networks.errors.ArgumentError
        If ``as_at`` is not an ISO date or ``"all"``.
    ValidationError
        If the packaged files do not fit the schema or contradict each other.
        This is a packaging fault: the data is fixed.

    Examples
    --------
    >>> import caregraph as cg
    >>> g = cg.reference_graph("all", practices=False)
    >>> g.successors("QRV", "SUCCEEDED_BY")
    ['Z9B2Z']
    >>> cg.reference_graph("2025-01-01", practices=False).successors("99E", "PART_OF")
    ['QH8']
    >>> cg.reference_graph("2026-05-01", practices=False).successors("99E", "PART_OF")
    ['D7T5G']
    """
    day = resolve_as_at(as_at)
    graph = _full_graph(practices)
    return graph.copy() if day is None else graph.as_at(day)


def _parents(graph: CareGraph, node: str, rel_type: str, kind: str) -> list[str]:
    """Targets of ``node``'s ``rel_type`` relationships that are of ``kind``, in order, once each."""
    found = [t for t in graph.successors(node, rel_type) if graph.kind(t) == kind]
    return list(dict.fromkeys(found))


def _joined(codes: Iterable[str]) -> str | None:
    """``"A;B"`` for several codes (undated graph), the code for one, None for none."""
    text = ";".join(dict.fromkeys(codes))
    return text or None


def _region_rows(graph: CareGraph) -> list[dict[str, Any]]:
    return [
        {"region_code": code, "name": attrs.get("name"), "ons_code": attrs.get("ons_code"),
         "n_icbs": len(graph.predecessors(code, "PART_OF"))}
        for code, attrs in graph.nodes_of("NHSERegion", data=True)
    ]


def _icb_rows(graph: CareGraph) -> list[dict[str, Any]]:
    full = _full_graph(False)
    rows = []
    for code, attrs in graph.nodes_of("ICB", data=True):
        regions = _parents(graph, code, "PART_OF", "NHSERegion")
        rows.append({
            "icb_code": code,
            "name": attrs.get("name"),
            "ons_code": attrs.get("ons_code"),
            "region_code": _joined(regions),
            "region_name": _joined(graph.node(r).get("name", "") for r in regions),
            "population_2021": attrs.get("population"),
            "valid_from": attrs.get("valid_from"),
            "valid_to": attrs.get("valid_to"),
            "successor": _joined(full.successors(code, "SUCCEEDED_BY")),
        })
    return rows


def _trust_rows(graph: CareGraph) -> list[dict[str, Any]]:
    rows = []
    for code, attrs in graph.nodes_of("NHSTrust", data=True):
        icbs = _parents(graph, code, "LOCATED_IN", "ICB")
        regions = _parents(graph, code, "LOCATED_IN", "NHSERegion")
        regions += [r for icb in icbs for r in _parents(graph, icb, "PART_OF", "NHSERegion")]
        rows.append({
            "trust_code": code,
            "name": attrs.get("name"),
            "icb_code": _joined(icbs),
            "icb_note": None if icbs else _NO_HOST_ICB,
            "region_code": _joined(regions),
            "postcode": attrs.get("postcode"),
            "valid_from": attrs.get("valid_from"),
            "valid_to": attrs.get("valid_to"),
        })
    return rows


def _practice_rows(graph: CareGraph) -> list[dict[str, Any]]:
    above: dict[str, tuple[list[str], list[str]]] = {}  # sub-ICB -> (ICBs, regions)
    rows = []
    for code, attrs in graph.nodes_of("GPPractice", data=True):
        pcns = _parents(graph, code, "PART_OF", "PCN")
        sub_icbs = _parents(graph, code, "PART_OF", "SubICBLocation")
        icbs: list[str] = []
        regions: list[str] = []
        for sub_icb in sub_icbs:
            if sub_icb not in above:
                found = _parents(graph, sub_icb, "PART_OF", "ICB")
                regions_above = [r for i in found for r in _parents(graph, i, "PART_OF", "NHSERegion")]
                above[sub_icb] = (found, regions_above)
            icbs += above[sub_icb][0]
            regions += above[sub_icb][1]
        rows.append({
            "practice_code": code,
            "name": attrs.get("name"),
            "postcode": attrs.get("postcode"),
            "pcn_code": _joined(pcns),
            "pcn_name": _joined(graph.node(p).get("name", "") for p in pcns),
            "sub_icb_code": _joined(sub_icbs),
            "icb_code": _joined(icbs),
            "icb_note": None if icbs else _NO_HOST_ICB,
            "region_code": _joined(regions),
        })
    return rows


_TABLE_BUILDERS = {
    "regions": _region_rows,
    "icbs": _icb_rows,
    "trusts": _trust_rows,
    "practices": _practice_rows,
}
_TABLE_COLUMNS = {
    "regions": ["region_code", "name", "ons_code", "n_icbs"],
    "icbs": ["icb_code", "name", "ons_code", "region_code", "region_name", "population_2021",
             "valid_from", "valid_to", "successor"],
    "trusts": ["trust_code", "name", "icb_code", "icb_note", "region_code", "postcode", "valid_from", "valid_to"],
    "practices": ["practice_code", "name", "postcode", "pcn_code", "pcn_name", "sub_icb_code",
                  "icb_code", "region_code"],
}


def reference_table(kind: str, as_at: AsAt = None) -> pd.DataFrame:
    """Return one row per organisation of ``kind`` in force on ``as_at``.

    Parents are found by walking the relationships of the as-at graph. A
    parent that cannot be resolved is missing (``None``), for example the
    ICB of a Frimley practice after March 2026. With ``as_at="all"`` every
    dated version is listed, and a changed parent shows both codes joined
    with ``";"`` in date order (e.g. ``"QH8;D7T5G"``).

    Parameters
    ----------
    kind : {"regions", "icbs", "trusts", "practices"}
        The columns per kind:

        * regions: region_code, name, ons_code, n_icbs (ICBs in force in the region);
        * icbs: icb_code, name, ons_code, region_code, region_name,
          population_2021 (January 2021 registered list size, stale;
          a new 2026 ICB's is the sum over its sub-ICB locations, missing
          for Thames Valley S0E4D), valid_from, valid_to, successor;
        * trusts: trust_code, name, icb_code, icb_note (why a trust has no
          ICB, where it has none), region_code, postcode, valid_from,
          valid_to;
        * practices: practice_code, name, postcode, pcn_code, pcn_name,
          sub_icb_code, icb_code, region_code.
    as_at : str, optional
        The day (``YYYY-MM-DD``); default today; ``"all"`` for every dated
        version.

    Returns
    -------
    pandas.DataFrame
        Sorted by the code column, with a fresh index; ``attrs["as_at"]``
        says which date was used.

    Raises
    ------
    networks.errors.ArgumentError
        If ``kind`` is not one of the four.
    networks.errors.ArgumentError
        If ``as_at`` is not an ISO date or ``"all"``.

    Examples
    --------
    >>> import caregraph as cg
    >>> icbs = cg.reference_table("icbs", "2026-05-01").set_index("icb_code")
    >>> icbs.loc["Z9B2Z", ["region_code", "valid_from"]].tolist()
    ['Y56', '2026-04-01']
    >>> regions = cg.reference_table("regions", "2025-01-01")
    >>> regions.loc[regions["region_code"] == "Y56", "n_icbs"].tolist()
    [5]
    >>> cg.reference_table("hospitals")
    Traceback (most recent call last):
    ...
    networks.errors.ArgumentError: unknown reference table 'hospitals'; choose one of: regions, icbs, trusts, practices
    """
    if kind not in _TABLE_BUILDERS:
        raise ArgumentError(f"unknown reference table {kind!r}; choose one of: {', '.join(REFERENCE_KINDS)}")
    day = resolve_as_at(as_at)
    graph = reference_graph(as_at_label(day), practices=kind == "practices")
    columns = _TABLE_COLUMNS[kind]
    frame = pd.DataFrame(_TABLE_BUILDERS[kind](graph), columns=columns)
    if kind == "icbs":
        frame["population_2021"] = frame["population_2021"].astype("Int64")
    return dated(frame.sort_values(columns[0], ignore_index=True), as_at_label(day))
