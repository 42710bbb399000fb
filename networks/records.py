"""Building a ``CareGraph`` from located records, collecting every problem first.

Loaders turn each table row or YAML entry into a ``NodeRecord`` or
``EdgeRecord`` that remembers where it came from (file, row, and the field
that names each end of a relationship). ``build_graph`` checks them all
against the schema and against each other (duplicate ids, unknown
references, branch probabilities) and raises one ``ValidationError`` listing
every problem, so nothing half-built ever escapes.

Examples
--------
>>> import caregraph as cg
>>> nodes = [cg.NodeRecord("a", "Service", {"specialised": "no"}, cg.Origin("services.csv", 2))]
>>> edges = [cg.EdgeRecord("a", "b", "DEPENDS_ON", {"level": "co-located"},
...                     cg.Origin("codependencies.csv", 2), "service", "depends_on")]
>>> cg.build_graph(nodes, edges)
Traceback (most recent call last):
...
networks.errors.ValidationError: 1 problem:
  codependencies.csv, row 2, field 'depends_on': unknown reference 'b'
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .errors import Problem, ValidationError
from .graph import CareGraph
from .schema import NODE_KINDS, RELATIONSHIP_TYPES
from .values import check_properties, id_problem, is_blank

__all__ = ["EdgeRecord", "NodeRecord", "Origin", "build_graph"]

_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Origin:
    """Where a record came from: a file (or table) and a row number or YAML path."""

    file: str
    row: int | str | None = None


@dataclass
class NodeRecord:
    """A node to add, with its origin and the names of its id and kind fields."""

    id: Any
    kind: Any
    properties: dict[str, Any]
    origin: Origin
    id_field: str = "id"
    kind_field: str = "kind"
    allowed_kinds: tuple[str, ...] | None = None


@dataclass
class EdgeRecord:
    """A relationship to add, with its origin and the fields naming its two ends."""

    source: Any
    target: Any
    type: str
    properties: dict[str, Any]
    origin: Origin
    source_field: str = "source"
    target_field: str = "target"
    property_fields: dict[str, str] = field(default_factory=dict)


class _Collector:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, origin: Origin, field_name: str | None, message: str) -> None:
        self.problems.append(Problem(origin.file, origin.row, field_name, message))


def _where(origin: Origin) -> str:
    if origin.row is None:
        return origin.file
    return f"{origin.file} row {origin.row}" if isinstance(origin.row, int) else f"{origin.file} {origin.row}"


def _add_nodes(
    graph: CareGraph, records: Iterable[NodeRecord], out: _Collector
) -> tuple[set[str], set[Origin]]:
    """Add node records; return the declared ids and the origins of rows rejected as duplicates."""
    declared: dict[str, Origin] = {}
    duplicates: set[Origin] = set()
    for rec in records:
        if is_blank(rec.id):
            out.add(rec.origin, rec.id_field, "required value is missing")
            continue
        bad_id = id_problem(rec.id)
        if bad_id is not None and isinstance(rec.id, (list, tuple, dict, set)):
            out.add(rec.origin, rec.id_field, bad_id)
            continue
        node_id = str(rec.id).strip()
        if bad_id is not None:  # declared, so references to it are not reported again, but never built
            out.add(rec.origin, rec.id_field, bad_id)
            declared.setdefault(node_id, rec.origin)
            continue
        if node_id in declared:
            out.add(rec.origin, rec.id_field,
                    f"duplicate id '{node_id}' (first defined at {_where(declared[node_id])})")
            duplicates.add(rec.origin)
            continue
        declared[node_id] = rec.origin
        kind = "" if is_blank(rec.kind) else str(rec.kind).strip()
        allowed = rec.allowed_kinds or tuple(NODE_KINDS)
        if kind not in allowed:
            shown = f"'{kind}' is not one of: {', '.join(allowed)}" if kind else "required value is missing"
            out.add(rec.origin, rec.kind_field, shown)
            continue
        cleaned, problems = check_properties(NODE_KINDS[kind].properties, rec.properties, owner=kind)
        for name, message in problems:
            out.add(rec.origin, name, message)
        graph._insert_node(node_id, kind, cleaned)
    return set(declared), duplicates


def _add_edges(
    graph: CareGraph, records: Iterable[EdgeRecord], declared: set[str], skip: set[Origin], out: _Collector,
    unchecked_kinds: set[str],
) -> list[tuple[str, str, str, dict[str, Any], EdgeRecord]]:
    added = []
    for rec in records:
        if rec.origin in skip:
            continue
        if rec.type not in RELATIONSHIP_TYPES:
            out.add(rec.origin, "type", f"unknown relationship type '{rec.type}'")
            continue
        rel = RELATIONSHIP_TYPES[rec.type]
        ends = []
        for value, field_name, allowed in (
            (rec.source, rec.source_field, rel.sources),
            (rec.target, rec.target_field, rel.targets),
        ):
            node_id = "" if is_blank(value) else str(value).strip()
            if isinstance(value, (list, tuple, dict, set)):
                out.add(rec.origin, field_name, f"expected an id, not a {type(value).__name__}")
            elif not node_id:
                out.add(rec.origin, field_name, "required value is missing")
            elif node_id not in declared:
                if not unchecked_kinds & _labels_of(allowed):
                    out.add(rec.origin, field_name, f"unknown reference '{node_id}'")
            elif node_id in graph and not set(graph.labels(node_id)) & set(allowed):
                out.add(rec.origin, field_name,
                        f"'{node_id}' is a {graph.kind(node_id)}, expected {' or '.join(allowed)}")
            else:
                ends.append(node_id)
        cleaned, problems = check_properties(rel.properties, rec.properties, rel.one_of, rec.type)
        for name, message in problems:
            out.add(rec.origin, rec.property_fields.get(name, name), message)
        if len(ends) == 2 and ends[0] == ends[1] and rec.type != "NEXT":
            out.add(rec.origin, rec.target_field, f"'{ends[0]}' cannot be {rec.type} itself")
            continue
        if len(ends) != 2 or ends[0] not in graph or ends[1] not in graph or problems:
            continue
        if graph._insert_edge(ends[0], ends[1], rec.type, cleaned) is None:
            out.add(rec.origin, rec.target_field,
                    f"duplicate {rec.type} relationship {ends[0]} -> {ends[1]}")
            continue
        added.append((ends[0], ends[1], rec.type, cleaned, rec))
    return added


def _labels_of(allowed: tuple[str, ...]) -> set[str]:
    """The kinds carrying one of the ``allowed`` labels: the kinds a reference may point at."""
    return {kind for kind, spec in NODE_KINDS.items() if set(spec.labels) & set(allowed)}


def _check_branches(
    added: list[tuple[str, str, str, dict[str, Any], EdgeRecord]], out: _Collector
) -> None:
    """Branch probabilities leaving one step (or entering one pathway) sum to at most 1."""
    groups: dict[tuple[str, str], list[tuple[dict[str, Any], EdgeRecord]]] = defaultdict(list)
    for source, _, rel_type, props, rec in added:
        if rel_type in ("NEXT", "STARTS_AT"):
            groups[(rel_type, source)].append((props, rec))
    for (rel_type, source), members in groups.items():
        what = "transitions leaving step" if rel_type == "NEXT" else "entry points of pathway"
        last = members[-1][1]
        with_probability = [p["probability"] for p, _ in members if "probability" in p]
        if with_probability and len(with_probability) != len(members):
            out.add(last.origin, last.property_fields.get("probability", "probability"),
                    f"{what} '{source}' mix probability and patients_per_year")
        elif sum(with_probability) > 1 + _TOLERANCE:
            out.add(last.origin, last.property_fields.get("probability", "probability"),
                    f"probabilities of the {what} '{source}' sum to {sum(with_probability):g}, over 1")


def build_graph(
    nodes: Iterable[NodeRecord],
    edges: Iterable[EdgeRecord],
    name: str | None = None,
    unchecked_ids: Iterable[str] = (),
    unchecked_kinds: Iterable[str] = (),
) -> CareGraph:
    """Build a ``CareGraph`` from records, or raise one error listing every problem.

    Parameters
    ----------
    nodes : iterable of NodeRecord
    edges : iterable of EdgeRecord
    name : str, optional
        The model's name.
    unchecked_ids : iterable of str
        Ids defined in input that could not be read (a table whose header
        is already reported as broken): references to them are not reported
        again, so one mistake gives one problem.
    unchecked_kinds : iterable of str
        Kinds of the nodes an input that could not be read at all would have
        held: references that may point at them are not reported either.

    Returns
    -------
    CareGraph

    Raises
    ------
    ValidationError
        Unknown kinds or types, duplicate ids, bad property values, unknown
        references, endpoints of the wrong kind, duplicate relationships,
        dates in the wrong order, and branch probabilities over 1.

    Examples
    --------
    >>> import caregraph as cg
    >>> g = cg.build_graph([cg.NodeRecord("QHM", "ICB", {}, cg.Origin("organisations.csv", 2))], [])
    >>> g.nodes_of("ICB")
    ['QHM']
    """
    out = _Collector()
    graph = CareGraph(name)
    declared, duplicate_rows = _add_nodes(graph, nodes, out)
    added = _add_edges(graph, edges, declared | set(unchecked_ids), duplicate_rows, out, set(unchecked_kinds))
    _check_branches(added, out)
    if out.problems:
        raise ValidationError(out.problems)
    return graph
