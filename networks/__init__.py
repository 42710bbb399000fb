"""caregraph's graph model: the schema, ``CareGraph`` and building graphs from frames.

Examples
--------
>>> from networks import CareGraph, NODE_KINDS
>>> "ICB" in NODE_KINDS
True
"""

from typing import TYPE_CHECKING

from .lazy import attach

__getattr__, __dir__, __all__ = attach(__name__, __file__)

if TYPE_CHECKING:
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
    from .yaml_text import YAMLDocumentReader, YAMLProblem, parse_yaml
