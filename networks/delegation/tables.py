"""The small frames that delegation analyses read from a care graph.

Delegation checks, bundles and assessments never walk the graph: they work
on the eight frames below, which ``delegation_frames`` extracts from a
``CareGraph``, or from a database through a ``networks.query_runner.QueryRunner`` (such
as ``loaders.neo4j.backend.Neo4jBackend``) with one query per frame
(``cypher/networks/frames/<frame>.cypher``, columns as in
``FRAME_COLUMNS``), so both backends give identical findings.

==============  ==============================================================
frame           one row per
==============  ==============================================================
services        service: ``service_id, name, specialised, highly_specialised,
                service_code, crg_code``
provision       ``PROVIDES`` relationship: ``provider_id`` (the trust: a site's
                ``PART_OF`` parent), ``site_id`` (blank when no site is
                given), ``service_id``
codependencies  ``DEPENDS_ON``: ``service_id, depends_on, level, evidence, note``
commissioning   ``COMMISSIONS``: ``commissioner_id, service_id, status, tier,
                valid_from, valid_to``
networks        ``NETWORK_FOR``: ``network_id, network_kind, network_name,
                service_id``
members         ``MEMBER_OF``: ``network_id, organisation_id, role``
locations       provider, site or ICB: ``organisation_id, icb_id, region_id``
                (provider ``LOCATED_IN`` ICB, site ``PART_OF`` provider, ICB
                ``PART_OF`` region)
coverage        commissioner x ICB it plans for: ``commissioner_id,
                commissioner_kind, icb_id`` (an ICB covers itself, a
                sub-ICB location its ICB, a region or its commissioning hub
                the region's ICBs, NHS England every ICB)
==============  ==============================================================

Examples
--------
>>> import caregraph as cg
>>> g = cg.CareGraph()
>>> g.add_node("Y56", "NHSERegion")
>>> g.add_node("QWE", "ICB")
>>> _ = g.add_edge("QWE", "Y56", "PART_OF")
>>> g.add_node("RJ7", "NHSTrust")
>>> _ = g.add_edge("RJ7", "QWE", "LOCATED_IN")
>>> g.add_node("RJ701", "Site")
>>> _ = g.add_edge("RJ701", "RJ7", "PART_OF")
>>> g.add_node("svc-mtc", "Service", specialised=True)
>>> _ = g.add_edge("RJ701", "svc-mtc", "PROVIDES")
>>> frames = cg.delegation_frames(g)
>>> frames.provision.to_dict("records")
[{'provider_id': 'RJ7', 'site_id': 'RJ701', 'service_id': 'svc-mtc'}]
>>> frames.locations.loc[frames.locations.organisation_id == "RJ701", "icb_id"].item()
'QWE'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from networks.dates import ALL_DATES, AsAt, as_at_label, resolve_as_at
from networks.errors import ArgumentError
from networks.graph import CareGraph
from networks.query_runner import QueryRunner, run_table

__all__ = ["FRAME_COLUMNS", "DelegationFrames", "delegation_frames", "frames_at"]

FRAME_COLUMNS: dict[str, tuple[str, ...]] = {
    "services": ("service_id", "name", "specialised", "highly_specialised", "service_code", "crg_code"),
    "provision": ("provider_id", "site_id", "service_id"),
    "codependencies": ("service_id", "depends_on", "level", "evidence", "note"),
    "commissioning": ("commissioner_id", "service_id", "status", "tier", "valid_from", "valid_to"),
    "networks": ("network_id", "network_kind", "network_name", "service_id"),
    "members": ("network_id", "organisation_id", "role"),
    "locations": ("organisation_id", "icb_id", "region_id"),
    "coverage": ("commissioner_id", "commissioner_kind", "icb_id"),
}
"""The columns of each frame, in order."""

_PROVIDER_KINDS = ("NHSTrust", "Site", "GPPractice", "PCN", "IndependentProvider", "VoluntaryProvider")


@dataclass(frozen=True)
class DelegationFrames:
    """The frames delegation analyses read (see the module docstring for columns)."""

    services: pd.DataFrame
    provision: pd.DataFrame
    codependencies: pd.DataFrame
    commissioning: pd.DataFrame
    networks: pd.DataFrame
    members: pd.DataFrame
    locations: pd.DataFrame
    coverage: pd.DataFrame
    as_at: str = ALL_DATES
    """The date the frames were taken as at (ISO), or ``"all"``."""

    def icbs(self) -> list[str]:
        """Return the ICBs of the model (those that cover themselves), sorted."""
        own = self.coverage[self.coverage.commissioner_kind == "ICB"]
        return sorted(own["icb_id"].unique())

    def organisations(self) -> set[str]:
        """Return the ids of the model's providers, sites, located organisations and commissioners."""
        columns = (self.provision["provider_id"], self.provision["site_id"], self.locations["organisation_id"],
                   self.members["organisation_id"], self.coverage["commissioner_id"])
        return {str(code) for column in columns for code in column.dropna()}


def _frame(name: str, rows: Sequence[Mapping[Any, Any]]) -> pd.DataFrame:
    columns = list(FRAME_COLUMNS[name])
    return pd.DataFrame([[row.get(c) for c in columns] for row in rows], columns=columns, dtype=object)


def _first(graph: CareGraph, node: str, rel_type: str, kinds: tuple[str, ...]) -> str | None:
    targets = sorted(t for t in graph.successors(node, rel_type) if graph.kind(t) in kinds)
    return targets[0] if targets else None


def _icb_of(graph: CareGraph, node: str, seen: tuple[str, ...] = ()) -> str | None:
    """The ICB a provider, site, sub-ICB location or ICB sits in.

    A ``LOCATED_IN`` ICB or sub-ICB location wins; otherwise the first
    ``PART_OF`` parent (trust of a site, PCN or sub-ICB location of a
    practice, ICB of a sub-ICB location) that leads to an ICB.
    """
    if graph.kind(node) == "ICB":
        return node
    located = _first(graph, node, "LOCATED_IN", ("ICB", "SubICBLocation"))
    if located is not None:
        return _icb_of(graph, located, (*seen, node))
    for parent in sorted(graph.successors(node, "PART_OF")):
        if parent not in seen and graph.kind(parent) in (*_PROVIDER_KINDS, "SubICBLocation", "ICB"):
            icb = _icb_of(graph, parent, (*seen, node))
            if icb is not None:
                return icb
    return None


def _locations(graph: CareGraph) -> tuple[list[dict[str, Any]], dict[str, str | None]]:
    region_of = {icb: _first(graph, icb, "PART_OF", ("NHSERegion",)) for icb in graph.nodes_of("ICB")}
    rows = []
    for node in [*graph.nodes_of("ICB"), *graph.nodes_of("Provider")]:
        icb = _icb_of(graph, node)
        if icb is not None:
            rows.append({"organisation_id": node, "icb_id": icb, "region_id": region_of.get(icb)})
    return rows, region_of


def _coverage(graph: CareGraph, region_of: dict[str, str | None]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    icbs = sorted(region_of)
    for node, attrs in graph.nodes_of("Commissioner", data=True):
        kind = attrs["kind"]
        covered: list[str] = []
        if kind == "ICB":
            covered = [node]
        elif kind == "SubICBLocation":
            covered = [icb for icb in [_icb_of(graph, node)] if icb is not None]
        elif kind == "NHSEngland":
            covered = icbs
        elif kind in ("NHSERegion", "CommissioningHub"):
            region = node if kind == "NHSERegion" else _first(graph, node, "PART_OF", ("NHSERegion",))
            covered = [icb for icb in icbs if region is not None and region_of[icb] == region]
        rows += [{"commissioner_id": node, "commissioner_kind": kind, "icb_id": icb} for icb in covered]
    return rows


def _provision(graph: CareGraph) -> list[dict[str, Any]]:
    rows = []
    for source, service in graph.edges_of("PROVIDES"):
        if graph.kind(source) == "Site":
            parent = _first(graph, source, "PART_OF", tuple(k for k in _PROVIDER_KINDS if k != "Site"))
            rows.append({"provider_id": parent or source, "site_id": source, "service_id": service})
        else:
            rows.append({"provider_id": source, "site_id": None, "service_id": service})
    return rows


def delegation_frames(graph: CareGraph | QueryRunner, as_at: AsAt = None) -> DelegationFrames:
    """Extract the delegation frames from a graph, in memory or in a database.

    Parameters
    ----------
    graph : CareGraph or QueryRunner
        A model (for example from ``loaders.load_model``), or a database
        backend that knows the model (``Neo4jBackend(model="...")``): the
        same frames, up to row order, either way.
    as_at : str, optional
        The day (``YYYY-MM-DD``): keep only the nodes and relationships in
        force that day. Default today; ``"all"`` keeps everything whatever
        its dates. The frames' ``as_at`` says which.

    Returns
    -------
    DelegationFrames
        Every column holds Python objects; missing values are ``None``.

    Raises
    ------
    TypeError
        ``graph`` is neither a ``CareGraph`` nor a ``QueryRunner``.
    networks.errors.ArgumentError
        ``as_at`` is not a ``YYYY-MM-DD`` date or ``"all"``.

    Examples
    --------
    >>> import caregraph as cg
    >>> g = cg.CareGraph()
    >>> g.add_node("X24", "NHSEngland")
    >>> g.add_node("QWE", "ICB")
    >>> cg.delegation_frames(g).coverage.values.tolist()
    [['X24', 'NHSEngland', 'QWE'], ['QWE', 'ICB', 'QWE']]
    """
    day = resolve_as_at(as_at)
    if not isinstance(graph, CareGraph):
        if not isinstance(graph, QueryRunner):
            raise TypeError(f"expected a CareGraph or a QueryRunner (such as a Neo4j backend), "
                            f"not {type(graph).__name__}")
        tables = {name: run_table(graph, f"networks/frames/{name}", columns, as_at=day)
                  for name, columns in FRAME_COLUMNS.items()}
        return DelegationFrames(**{
            name: _frame(name, table.astype(object).where(table.notna(), None).to_dict("records"))
            for name, table in tables.items()
        }, as_at=as_at_label(day))
    if day is not None:
        graph = graph.as_at(day)
    services = [
        {"service_id": n, **a, "specialised": bool(a.get("specialised", False)),
         "highly_specialised": bool(a.get("highly_specialised", False))}
        for n, a in graph.nodes_of("Service", data=True)
    ]
    location_rows, region_of = _locations(graph)
    network_rows = [
        {"network_id": net, "network_kind": graph.kind(net), "network_name": graph.node(net).get("name"),
         "service_id": service}
        for net, service in graph.edges_of("NETWORK_FOR")
    ]
    return DelegationFrames(
        services=_frame("services", services),
        provision=_frame("provision", _provision(graph)),
        codependencies=_frame("codependencies", [
            {"service_id": u, "depends_on": v, **a} for u, v, a in graph.edges_of("DEPENDS_ON", data=True)
        ]),
        commissioning=_frame("commissioning", [
            {"commissioner_id": u, "service_id": v, **a}
            for u, v, a in graph.edges_of("COMMISSIONS", data=True)
        ]),
        networks=_frame("networks", network_rows),
        members=_frame("members", [
            {"network_id": v, "organisation_id": u, **a} for u, v, a in graph.edges_of("MEMBER_OF", data=True)
        ]),
        locations=_frame("locations", location_rows),
        coverage=_frame("coverage", _coverage(graph, region_of)),
        as_at=as_at_label(day),
    )


def frames_at(model: CareGraph | QueryRunner | DelegationFrames, as_at: AsAt = None) -> DelegationFrames:
    """The delegation frames of a model as at a date, or frames already taken (whose date then rules).

    Raises
    ------
    networks.errors.ArgumentError
        Frames taken as at one date, with a different ``as_at`` asked for.

    Examples
    --------
    >>> import caregraph as cg
    >>> frames = cg.delegation_frames(cg.CareGraph(), as_at="2025-01-01")
    >>> frames_at(frames).as_at
    '2025-01-01'
    >>> frames_at(frames, "2026-05-01")
    Traceback (most recent call last):
    ...
    networks.errors.ArgumentError: the frames were taken as at 2025-01-01, not 2026-05-01: take them again
    """
    if not isinstance(model, DelegationFrames):
        return delegation_frames(model, as_at)
    if as_at is not None and as_at_label(resolve_as_at(as_at)) != model.as_at:
        raise ArgumentError(f"the frames were taken as at {model.as_at}, not {as_at_label(resolve_as_at(as_at))}: "
                            "take them again")
    return model
