"""The tables of a model folder: their columns and how each row becomes graph records.

A model folder holds one CSV (or Excel sheet) per table below plus one YAML
file per pathway. Node tables create one node per row and, from reference
columns such as ``parent`` or ``holder``, relationships to other nodes;
relationship tables create one relationship per row. Columns that are node
or relationship properties take their names, types and allowed values from
``networks.schema``, so the format cannot drift from the graph.

Examples
--------
>>> TABLES["budgets"].columns()[:4]
('id', 'name', 'stream', 'holder')
>>> TABLES["codependencies"].required_columns()
('service', 'depends_on', 'level')
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from networks.records import EdgeRecord, NodeRecord, Origin
from networks.schema import NODE_KINDS, RELATIONSHIP_TYPES, kinds_with_label
from networks.values import is_blank

__all__ = ["TABLES", "EdgeTable", "NodeTable", "Reference", "split_list"]


def split_list(value: Any) -> list[str]:
    """Split a ``;``-separated cell into its non-blank items.

    Examples
    --------
    >>> split_list("RTD; RTR;;")
    ['RTD', 'RTR']
    """
    if is_blank(value):
        return []
    return [item.strip() for item in str(value).split(";") if item.strip()]


@dataclass(frozen=True)
class Reference:
    """A column naming other nodes, turned into relationships.

    ``outgoing`` relationships run from the row's node to the named node;
    otherwise from the named node to the row's node. ``many`` columns hold a
    ``;``-separated list.
    """

    column: str
    rel_type: str
    outgoing: bool = True
    many: bool = False
    required: bool = False
    description: str = ""


@dataclass(frozen=True)
class NodeTable:
    """A table whose rows are nodes of one kind, or of the kinds carrying a label."""

    name: str
    label: str
    references: tuple[Reference, ...]
    description: str
    fixed_kind: bool = False

    def kinds(self) -> tuple[str, ...]:
        """The node kinds a row may have."""
        return kinds_with_label(self.label)

    def property_names(self) -> tuple[str, ...]:
        """Properties of any allowed kind, in schema order, without duplicates."""
        names: dict[str, None] = {}
        for kind in self.kinds():
            names.update((prop.name, None) for prop in NODE_KINDS[kind].properties)
        return tuple(names)

    def columns(self) -> tuple[str, ...]:
        """Every column the table may have."""
        lead = ("id", "name") if self.fixed_kind else ("id", "name", "kind")
        refs = tuple(ref.column for ref in self.references)
        props = tuple(p for p in self.property_names() if p != "name")
        required = tuple(p for p in props if p in self.required_columns())
        rest = tuple(p for p in props if p not in required)
        return lead + required + refs + rest

    def required_columns(self) -> tuple[str, ...]:
        """Columns the header must contain."""
        lead = ("id", "name") if self.fixed_kind else ("id", "name", "kind")
        props = tuple(
            prop.name
            for prop in NODE_KINDS[self.kinds()[0]].properties
            if prop.required and self.fixed_kind
        )
        refs = tuple(ref.column for ref in self.references if ref.required)
        return lead + props + refs

    def records(self, row: Mapping[str, Any], origin: Origin) -> tuple[list[NodeRecord], list[EdgeRecord]]:
        """Turn one row into node and relationship records."""
        ref_columns = {ref.column for ref in self.references}
        kind = self.label if self.fixed_kind else row.get("kind")
        props = {c: v for c, v in row.items() if c not in ("id", "kind") and c not in ref_columns}
        node = NodeRecord(row.get("id"), kind, props, origin, allowed_kinds=self.kinds())
        edges: list[EdgeRecord] = []
        if is_blank(row.get("id")):
            return [node], edges
        for ref in self.references:
            targets = split_list(row.get(ref.column)) if ref.many else [row.get(ref.column)]
            if ref.required and not targets:
                targets = [None]
            for target in targets:
                if is_blank(target) and not ref.required:
                    continue
                if ref.outgoing:
                    edges.append(EdgeRecord(row.get("id"), target, ref.rel_type, {}, origin, "id", ref.column))
                else:
                    edges.append(EdgeRecord(target, row.get("id"), ref.rel_type, {}, origin, ref.column, "id"))
        return [node], edges


@dataclass(frozen=True)
class EdgeTable:
    """A table whose rows are relationships of one type."""

    name: str
    rel_type: str
    source: str
    target: str
    description: str

    def columns(self) -> tuple[str, ...]:
        """Every column the table may have."""
        props = tuple(prop.name for prop in RELATIONSHIP_TYPES[self.rel_type].properties)
        required = tuple(p for p in props if p in self.required_columns())
        return (self.source, self.target, *required, *(p for p in props if p not in required))

    def required_columns(self) -> tuple[str, ...]:
        """Columns the header must contain."""
        rel = RELATIONSHIP_TYPES[self.rel_type]
        return (self.source, self.target, *(p.name for p in rel.properties if p.required))

    def records(self, row: Mapping[str, Any], origin: Origin) -> tuple[list[NodeRecord], list[EdgeRecord]]:
        """Turn one row into one relationship record."""
        props = {c: v for c, v in row.items() if c not in (self.source, self.target)}
        edge = EdgeRecord(row.get(self.source), row.get(self.target), self.rel_type, props, origin,
                          self.source, self.target)
        return [], [edge]


Table = NodeTable | EdgeTable

_TABLES: tuple[Table, ...] = (
    NodeTable("organisations", "Organisation", (
        Reference("parent", "PART_OF", description="id of the organisation this one is part of"),
        Reference("located_in", "LOCATED_IN", description="id of the commissioner or geography a provider sits in"),
        Reference("successor", "SUCCEEDED_BY", description="id of the organisation that replaced this one"),
    ), "commissioners and providers (kind: one of the Organisation kinds)"),
    NodeTable("geographies", "Geography", (
        Reference("parent", "PART_OF", description="id of the enclosing geography"),
        Reference("commissioner", "COVERS", outgoing=False, description="id of the commissioner covering it"),
    ), "regions, systems, places and neighbourhoods with population"),
    NodeTable("services", "Service", (), "services, specialised or not", fixed_kind=True),
    NodeTable("budgets", "Budget", (
        Reference("holder", "HELD_BY", required=True, description="id of the commissioner holding it"),
    ), "funding streams, each held by one commissioner", fixed_kind=True),
    NodeTable("pools", "Pool", (
        Reference("members", "IN_POOL", outgoing=False, many=True,
                  description="ids of the member budgets, separated by ;"),
    ), "pooled arrangements of budgets", fixed_kind=True),
    NodeTable("networks", "Network", (
        Reference("host", "HOSTED_BY", description="id of the host organisation"),
        Reference("members", "MEMBER_OF", outgoing=False, many=True,
                  description="ids of member organisations, separated by ;"),
        Reference("services", "NETWORK_FOR", many=True, description="ids of the services it covers, separated by ;"),
    ), "clinical networks, ODNs, cancer alliances, provider collaboratives"),
    EdgeTable("network_members", "MEMBER_OF", "organisation", "network",
              "network membership with a role (e.g. major trauma centre)"),
    EdgeTable("provision", "PROVIDES", "provider", "service", "which provider or site offers which service"),
    EdgeTable("codependencies", "DEPENDS_ON", "service", "depends_on", "service co-dependencies with a level"),
    EdgeTable("commissioning", "COMMISSIONS", "commissioner", "service",
              "who commissions a service, with status and planning tier"),
)

TABLES: dict[str, Table] = {table.name: table for table in _TABLES}
