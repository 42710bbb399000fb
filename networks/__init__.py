"""caregraph's graph model: the schema, ``CareGraph`` and building graphs from frames.

Examples
--------
>>> from networks import CareGraph, NODE_KINDS
>>> "ICB" in NODE_KINDS
True
"""

from .assessment import assess_services
from .backend import QueryRunner
from .codependencies import delegation_bundles
from .criteria import read_criteria
from .delegation import FINDING_COLUMNS, SEVERITIES, DelegationChecker, check_delegation, findings_at_or_above
from .delegation_inputs import read_flows, read_spend
from .errors import CareGraphError, Problem, SchemaError, ValidationError
from .export import read_node_link_json, write_graphml, write_node_link_json
from .frames import graph_from_frames, graph_to_frames
from .frames_delegation import DelegationFrames, delegation_frames
from .graph import CareGraph, edge_key
from .plans import read_plan, validate_plan
from .records import EdgeRecord, NodeRecord, Origin, build_graph
from .reference import reference_codependencies
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
    "FINDING_COLUMNS",
    "LABELS",
    "NODE_KINDS",
    "PLANNING_TIERS",
    "POOL_LEGAL_BASES",
    "RELATIONSHIP_TYPES",
    "SEVERITIES",
    "CareGraph",
    "CareGraphError",
    "DelegationChecker",
    "DelegationFrames",
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
    "assess_services",
    "build_graph",
    "check_delegation",
    "delegation_bundles",
    "delegation_frames",
    "edge_key",
    "findings_at_or_above",
    "graph_from_frames",
    "graph_to_frames",
    "kinds_with_label",
    "parse_yaml",
    "read_criteria",
    "read_flows",
    "read_node_link_json",
    "read_plan",
    "read_spend",
    "reference_codependencies",
    "validate_plan",
    "write_graphml",
    "write_node_link_json",
]
