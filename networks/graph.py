"""``CareGraph``: a typed wrapper over ``networkx.MultiDiGraph`` that keeps to the schema.

Every node has an ``id`` (the NetworkX node key) and a ``kind``; every edge
has a ``type`` and a key that identifies it among the edges joining the same
two nodes (the type, plus ``@valid_from`` for a dated relationship, so a
sub-ICB location can be part of one ICB until 2026-03-31 and of another from
2026-04-01). Nothing enters the graph without passing the schema.

Examples
--------
>>> import caregraph as cg
>>> g = cg.CareGraph()
>>> g.add_node("QHM", "ICB", name="NHS North East and North Cumbria ICB")
>>> g.add_node("Y63", "NHSERegion", name="North East and Yorkshire")
>>> g.add_edge("QHM", "Y63", "PART_OF")
'PART_OF'
>>> g.nodes_of("Commissioner")
['QHM', 'Y63']
>>> g.successors("QHM", "PART_OF")
['Y63']
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import networkx as nx
import pandas as pd

from .errors import SchemaError
from .schema import NODE_KINDS, RELATIONSHIP_TYPES, kinds_with_label
from .values import check_properties, id_problem, in_force, parse_date

__all__ = ["CareGraph", "edge_key"]


def edge_key(rel_type: str, valid_from: str | None = None) -> str:
    """Return the key that identifies a relationship between two given nodes.

    Examples
    --------
    >>> edge_key("PART_OF", "2026-04-01")
    'PART_OF@2026-04-01'
    """
    return rel_type if valid_from is None else f"{rel_type}@{valid_from}"


def _describe(problems: list[tuple[str, str]], subject: str) -> str:
    return "; ".join(f"{subject}, field '{field}': {message}" for field, message in problems)


class CareGraph:
    """A care-system graph that enforces caregraph's schema.

    Parameters
    ----------
    name : str, optional
        A name for the model (kept in ``graph.graph["name"]``).

    Notes
    -----
    ``g.nx`` is a read-only view of the underlying ``MultiDiGraph`` for
    NetworkX algorithms; change the graph only through ``add_node`` and
    ``add_edge`` so the schema holds.
    """

    def __init__(self, name: str | None = None) -> None:
        self._graph = nx.MultiDiGraph(name=name or "")

    @property
    def nx(self) -> nx.MultiDiGraph:
        """A read-only NetworkX view of the graph."""
        return self._graph.copy(as_view=True)

    @property
    def name(self) -> str:
        """The model's name."""
        return str(self._graph.graph.get("name", ""))

    def add_node(self, node_id: str, kind: str, **properties: Any) -> None:
        """Add a node of a schema kind.

        Parameters
        ----------
        node_id : str
            Stable id (an ODS code where one exists).
        kind : str
            A kind of ``networks.schema.NODE_KINDS``.
        **properties
            Properties of that kind; blanks are dropped, values converted.

        Raises
        ------
        SchemaError
            Unknown kind, duplicate id, or properties that break the schema.

        Examples
        --------
        >>> import caregraph as cg
        >>> g = cg.CareGraph()
        >>> g.add_node("svc-pci", "Service", name="PCI", specialised="yes")
        >>> g.node("svc-pci")["specialised"]
        True
        """
        if not isinstance(node_id, str) or not node_id.strip():
            raise SchemaError(f"node id {node_id!r}: must be non-blank text")
        bad_id = id_problem(node_id)
        if bad_id is not None:
            raise SchemaError(f"node id: {bad_id}")
        if kind not in NODE_KINDS:
            raise SchemaError(f"node {node_id}: unknown kind '{kind}'")
        if node_id in self._graph:
            raise SchemaError(f"node {node_id}: duplicate id")
        cleaned, problems = check_properties(NODE_KINDS[kind].properties, properties, owner=kind)
        if problems:
            raise SchemaError(_describe(problems, f"node {node_id}"))
        self._insert_node(node_id, kind, cleaned)

    def add_edge(self, source: str, target: str, rel_type: str, **properties: Any) -> str:
        """Add a relationship of a schema type between two existing nodes.

        Parameters
        ----------
        source, target : str
            Node ids; both must exist and carry the labels the type joins.
        rel_type : str
            A type of ``networks.schema.RELATIONSHIP_TYPES``.
        **properties
            Properties of that type.

        Returns
        -------
        str
            The edge key (see ``edge_key``).

        Raises
        ------
        SchemaError
            Unknown type or node, wrong endpoint labels, a duplicate, or bad
            properties.
        """
        if rel_type not in RELATIONSHIP_TYPES:
            raise SchemaError(f"relationship {source}->{target}: unknown type '{rel_type}'")
        rel = RELATIONSHIP_TYPES[rel_type]
        subject = f"{rel_type} {source}->{target}"
        for end, allowed in ((source, rel.sources), (target, rel.targets)):
            if end not in self._graph:
                raise SchemaError(f"{subject}: unknown node '{end}'")
            if not set(self.labels(end)) & set(allowed):
                raise SchemaError(
                    f"{subject}: '{end}' is a {self.kind(end)}, expected {' or '.join(allowed)}"
                )
        cleaned, problems = check_properties(rel.properties, properties, rel.one_of, rel_type)
        if problems:
            raise SchemaError(_describe(problems, subject))
        if source == target and rel_type != "NEXT":
            raise SchemaError(f"{subject}: '{source}' cannot be {rel_type} itself")
        key = self._insert_edge(source, target, rel_type, cleaned)
        if key is None:
            raise SchemaError(f"{subject}: duplicate relationship")
        return key

    def _insert_node(self, node_id: str, kind: str, checked: dict[str, Any]) -> None:
        """Store a node whose properties have already passed ``check_properties``."""
        self._graph.add_node(node_id, kind=kind, **checked)

    def _insert_edge(
        self, source: str, target: str, rel_type: str, checked: dict[str, Any]
    ) -> str | None:
        """Store a checked relationship; return its key, or None if it is a duplicate."""
        key = edge_key(rel_type, checked.get("valid_from"))
        if self._graph.has_edge(source, target, key):
            return None
        self._graph.add_edge(source, target, key=key, type=rel_type, **checked)
        return key

    def kind(self, node_id: str) -> str:
        """Return the kind of a node (``KeyError`` if absent)."""
        return str(self._graph.nodes[node_id]["kind"])

    def labels(self, node_id: str) -> tuple[str, ...]:
        """Return all labels of a node, broadest first."""
        return NODE_KINDS[self.kind(node_id)].labels

    def node(self, node_id: str) -> dict[str, Any]:
        """Return a copy of a node's attributes (``kind`` included)."""
        return dict(self._graph.nodes[node_id])

    def nodes_of(self, label: str, data: bool = False) -> list[Any]:
        """List the nodes carrying a label, in insertion order.

        Parameters
        ----------
        label : str
            Any label of the schema (a kind such as ``"ICB"`` or a broader
            label such as ``"Provider"``).
        data : bool
            Return ``(id, attributes)`` pairs instead of ids.

        Raises
        ------
        SchemaError
            If no kind carries the label (a typo, not an empty answer).

        Examples
        --------
        >>> import caregraph as cg
        >>> g = cg.CareGraph()
        >>> g.add_node("RTD", "NHSTrust", name="Newcastle upon Tyne Hospitals")
        >>> g.nodes_of("Provider", data=True)
        [('RTD', {'kind': 'NHSTrust', 'name': 'Newcastle upon Tyne Hospitals'})]
        """
        kinds = set(kinds_with_label(label))
        if not kinds:
            raise SchemaError(f"unknown label '{label}'")
        if data:
            return [(n, dict(a)) for n, a in self._graph.nodes(data=True) if a["kind"] in kinds]
        return [n for n, a in self._graph.nodes(data=True) if a["kind"] in kinds]

    def edges_of(self, rel_type: str, data: bool = False) -> list[Any]:
        """List the relationships of one type as ``(source, target)`` or with attributes.

        Examples
        --------
        >>> import caregraph as cg
        >>> g = cg.CareGraph()
        >>> for s in ("a", "b"):
        ...     g.add_node(s, "Service", specialised=True)
        >>> _ = g.add_edge("a", "b", "DEPENDS_ON", level="co-located")
        >>> g.edges_of("DEPENDS_ON", data=True)
        [('a', 'b', {'type': 'DEPENDS_ON', 'level': 'co-located'})]
        """
        if rel_type not in RELATIONSHIP_TYPES:
            raise SchemaError(f"unknown relationship type '{rel_type}'")
        edges = self._graph.edges(data=True)
        if data:
            return [(u, v, dict(a)) for u, v, a in edges if a["type"] == rel_type]
        return [(u, v) for u, v, a in edges if a["type"] == rel_type]

    def successors(self, node_id: str, rel_type: str) -> list[str]:
        """Return the targets of ``node_id``'s outgoing relationships of one type."""
        return [v for _, v, t in self._graph.out_edges(node_id, data="type") if t == rel_type]

    def predecessors(self, node_id: str, rel_type: str) -> list[str]:
        """Return the sources of ``node_id``'s incoming relationships of one type."""
        return [u for u, _, t in self._graph.in_edges(node_id, data="type") if t == rel_type]

    def as_at(self, date: str) -> CareGraph:
        """Return a new graph of the nodes and relationships in force on ``date``.

        A relationship is kept only when it and both its ends are in force.

        Parameters
        ----------
        date : str
            ISO date, e.g. ``"2026-05-01"``.

        Examples
        --------
        >>> import caregraph as cg
        >>> g = cg.CareGraph()
        >>> g.add_node("QNQ", "ICB", valid_from="2022-07-01", valid_to="2026-03-31")
        >>> g.as_at("2026-05-01").number_of_nodes()
        0
        """
        try:
            day = parse_date(date)
        except ValueError as exc:
            raise SchemaError(f"as-at date: {exc}") from None
        result = CareGraph(self.name)
        keep = [n for n, a in self._graph.nodes(data=True) if in_force(a, day)]
        result._graph.add_nodes_from((n, self._graph.nodes[n]) for n in keep)
        result._graph.add_edges_from(
            (u, v, k, a)
            for u, v, k, a in self._graph.edges(keys=True, data=True)
            if u in result._graph and v in result._graph and in_force(a, day)
        )
        return result

    def copy(self) -> CareGraph:
        """Return an independent copy."""
        result = CareGraph(self.name)
        result._graph = self._graph.copy()
        return result

    def number_of_nodes(self) -> int:
        """Return the number of nodes."""
        return int(self._graph.number_of_nodes())

    def number_of_edges(self) -> int:
        """Return the number of relationships."""
        return int(self._graph.number_of_edges())

    def summary(self) -> pd.DataFrame:
        """Count nodes by kind and relationships by type.

        Returns
        -------
        pandas.DataFrame
            Columns ``element`` (``node`` or ``relationship``), ``name`` and
            ``count``, sorted by element then name.

        Examples
        --------
        >>> import caregraph as cg
        >>> g = cg.CareGraph()
        >>> g.add_node("QHM", "ICB")
        >>> g.summary().to_dict("records")
        [{'element': 'node', 'name': 'ICB', 'count': 1}]
        """
        nodes = Counter(kind for _, kind in self._graph.nodes(data="kind"))
        edges = Counter(t for _, _, t in self._graph.edges(data="type"))
        rows = [("node", k, c) for k, c in sorted(nodes.items())]
        rows += [("relationship", t, c) for t, c in sorted(edges.items())]
        return pd.DataFrame(rows, columns=["element", "name", "count"])

    def __contains__(self, node_id: object) -> bool:
        return node_id in self._graph

    def __iter__(self) -> Iterator[str]:
        return iter(self._graph)

    def __len__(self) -> int:
        return self.number_of_nodes()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CareGraph):
            return NotImplemented
        mine, theirs = self._graph, other._graph
        return bool(
            dict(mine.nodes(data=True)) == dict(theirs.nodes(data=True))
            and {(u, v, k): a for u, v, k, a in mine.edges(keys=True, data=True)}
            == {(u, v, k): a for u, v, k, a in theirs.edges(keys=True, data=True)}
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return (
            f"CareGraph(name={self.name!r}, nodes={self.number_of_nodes()}, "
            f"relationships={self.number_of_edges()})"
        )
