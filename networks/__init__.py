"""caregraph's graph model: the schema, ``CareGraph`` and building graphs from frames.

Examples
--------
>>> from networks import CareGraph, NODE_KINDS
>>> "ICB" in NODE_KINDS
True
"""

from .backend import QueryRunner
from .errors import CareGraphError, Problem, SchemaError, ValidationError
from .export import read_node_link_json, write_graphml, write_node_link_json
from .frames import graph_from_frames, graph_to_frames
from .graph import CareGraph, edge_key
from .records import EdgeRecord, NodeRecord, Origin, build_graph
from .schema import (
    BUDGET_STREAMS,
    CARE_SETTINGS,
    CODEPENDENCY_LEVELS,
    COMMISSIONING_STATUSES,
    LABELS,
    NODE_KINDS,
    PLANNING_TIERS,
    POOL_LEGAL_BASES,
    RELATIONSHIP_TYPES,
    NodeKind,
    Property,
    RelationshipType,
    kinds_with_label,
)
from .yaml_text import YAMLProblem, parse_yaml

__all__ = [
    "BUDGET_STREAMS",
    "CARE_SETTINGS",
    "CODEPENDENCY_LEVELS",
    "COMMISSIONING_STATUSES",
    "LABELS",
    "NODE_KINDS",
    "PLANNING_TIERS",
    "POOL_LEGAL_BASES",
    "RELATIONSHIP_TYPES",
    "CareGraph",
    "CareGraphError",
    "EdgeRecord",
    "NodeKind",
    "NodeRecord",
    "Origin",
    "Problem",
    "Property",
    "QueryRunner",
    "RelationshipType",
    "SchemaError",
    "ValidationError",
    "YAMLProblem",
    "build_graph",
    "edge_key",
    "graph_from_frames",
    "graph_to_frames",
    "kinds_with_label",
    "parse_yaml",
    "read_node_link_json",
    "write_graphml",
    "write_node_link_json",
]
