"""caregraph: NHS care pathways, networks, commissioners and budgets as one graph.

``import caregraph as cg`` gives the whole public API in one place. Each
name is imported from its home module the first time it is used, so
``import caregraph`` and the command line stay fast: nothing heavy
(pandas, NetworkX, matplotlib, DuckDB, the Neo4j driver) is imported until a
function that needs it is called.

The homes: ``networks`` (the graph model, and the delegation analyses),
``pathways`` (hand-offs, budget crossings, pooling, scenarios, event
logs), ``loaders`` (every reader and writer, NHS reference data, Neo4j),
``cypher`` (the shipped queries) and ``caregraph.figures`` (pathway
diagrams, network maps and charts). ``docs/architecture.md`` says which
holds what.

Examples
--------
>>> import caregraph as cg
>>> g = cg.load_model("tests/fixtures/small_model")
>>> cg.handoff_summary(g, by="sector", as_at="2024-06-01")[["pathway", "handoff_transitions"]].values.tolist()
[['chest-pain', 2]]
>>> cg.NODE_KINDS["ICB"].labels
('Organisation', 'Commissioner', 'ICB')
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.2.0"

_EXPORTS: dict[str, tuple[str, ...]] = {
    "networks.schema": ("BUDGET_STREAMS", "CARE_SETTINGS", "CODEPENDENCY_LEVELS", "COMMISSIONING_STATUSES",
                        "LABELS", "NODE_KINDS", "PLANNING_TIERS", "POOL_LEGAL_BASES", "RELATIONSHIP_TYPES",
                        "NodeKind", "Property", "RelationshipType", "kinds_with_label"),
    "networks.graph": ("CareGraph",),
    "networks.names": ("add_names",),
    "networks.frames": ("graph_from_frames", "graph_to_frames"),
    "networks.records": ("EdgeRecord", "NodeRecord", "Origin", "build_graph"),
    "networks.errors": ("ArgumentError", "CareGraphError", "Neo4jError", "OutputError", "Problem", "QueryNotFound",
                        "SchemaError", "ValidationError"),
    "networks.query_runner": ("QueryRunner",),
    "networks.scenarios": ("BASELINE", "CHANGE_FIELDS", "Change", "Scenario"),
    "networks.synthetic": ("SyntheticSystem", "synthetic_event_codes", "synthetic_event_log", "synthetic_system"),
    "networks.choices": ("CHECKS", "FLOW_LEVELS", "GEOGRAPHIES", "SEVERITIES", "UNKNOWN_POLICIES"),
    "networks.delegation.tables": ("DelegationFrames", "delegation_frames"),
    "networks.delegation.plans": ("resolve_plan", "validate_plan"),
    "networks.delegation.activity": ("validate_flows", "validate_spend"),
    "networks.delegation.checks": ("FINDING_COLUMNS", "DelegationChecker", "check_delegation",
                                   "findings_at_or_above"),
    "networks.delegation.bundles": ("delegation_bundles",),
    "networks.delegation.criteria": ("AssessmentStep", "Criteria", "Criterion"),
    "networks.delegation.assessment": ("assess_services",),
    "networks.flows.table": ("FLOW_COLUMNS", "FLOW_OPTIONAL_COLUMNS", "check_flows"),
    "networks.flows.places": ("check_organisations", "checked_flows"),
    "networks.flows.aggregate": ("aggregate_flows",),
    "networks.flows.network": ("FlowNetwork", "flow_network"),
    "networks.flows.geographies": ("FIRST_DAY_OF_36_ICBS", "LAST_DAY_OF_42_ICBS", "compare_geographies",
                                   "geography_as_at"),
    "networks.flows.money": ("ILLUSTRATIVE_UNIT_COST_GBP", "check_unit_costs", "money_shift"),
    "networks.flows.footprints": ("discover_footprints", "footprint_containment"),
    "pathways.choices": ("BY_OPTIONS", "POOL_METHODS"),
    "networks.pathway_flows": ("PathwayFlows", "pathway_flows"),
    "pathways.tables": ("PathwayTables",),
    "pathways.handoffs": ("find_handoffs", "handoff_hotspots", "handoff_summary", "top_routes"),
    "pathways.crossings": ("crossing_summary", "find_budget_crossings", "legal_bases"),
    "pathways.pooling": ("check_pool", "pool_what_if", "suggest_pools"),
    "pathways.scenario_changes": ("apply_scenario",),
    "pathways.appraisal": ("appraise",),
    "pathways.date_comparison": ("compare_dates",),
    "pathways.eventlog": ("compare_with_pathway", "eventlog_handoffs"),
    "pathways.eventlog_counts": ("EventSource", "HandoffCounts", "eventlog_handoff_counts"),
    "pathways.single_points": ("single_points_of_failure",),
    "loaders.model": ("check_model", "describe_model", "load_model", "validate_model"),
    "caregraph.figures.pathway_figure": ("plot_pathway",),
    "caregraph.figures.pathway_pages": ("plot_pathway_pages",),
    "caregraph.figures.codependency_map": ("plot_codependencies",),
    "caregraph.figures.flow_map": ("plot_flows",),
    "caregraph.figures.options_chart": ("plot_options",),
    "caregraph.figures.choices": ("LANE_OPTIONS",),
    "loaders.table_reader": ("Table", "read_table"),
    "loaders.scenarios": ("read_scenarios",),
    "loaders.delegation_inputs": ("UNKNOWN_PROVIDER", "read_flows", "read_plan", "read_spend"),
    "loaders.reference.providers": ("nhs_provider_codes",),
    "networks.flows.unknown_ids": ("describe_skipped",),
    "loaders.criteria": ("criteria_from_dict", "read_criteria"),
    "loaders.event_logs": ("EventTable", "open_event_log", "read_event_log"),
    "loaders.spark_event_logs": ("read_spark_event_log", "spark_session"),
    "loaders.spark_flows": ("read_spark_flow_table", "spark_flow_table"),
    "loaders.graph_files": ("read_node_link_json", "write_graphml", "write_node_link_json"),
    "loaders.choices": ("DIAGRAM_SUFFIXES",),
    "loaders.figure_files": ("save_figure", "save_figures_pdf", "save_pages"),
    "loaders.output_files": ("write_csv",),
    "loaders.reference.organisations": ("reference_graph", "reference_table"),
    "loaders.reference.rtt": ("RTT_PARTS", "rtt_flows", "rtt_graph", "rtt_providers"),
    "loaders.reference.arrangements": ("joint_arrangements",),
    "loaders.flows": ("read_flow_table", "read_unit_costs"),
    "loaders.reference.specialised": ("codependency_level_definitions", "published_decisions",
                                      "reference_codependencies"),
    "loaders.reference.sites": ("organisation_coordinates", "site_coordinates"),
    "loaders.neo4j.settings": ("Neo4jSettings",),
    "loaders.neo4j.backend": ("Neo4jBackend", "run_query"),
    "loaders.neo4j.writer": ("LoadResult", "delete_model", "write_graph"),
    "loaders.neo4j.reader": ("check_loaded", "list_models", "read_graph"),
    "cypher": ("available_queries", "load_query"),
    "caregraph.reporting.make": ("report",),
}
"""Each public name, by the module that defines it."""

_HOME = {name: module for module, names in _EXPORTS.items() for name in names}

__all__ = sorted(_HOME)


def __getattr__(name: str) -> Any:
    """Import a public name from its home module on first use (PEP 562)."""
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module 'caregraph' has no attribute '{name}'")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*__all__, "__version__"])


if TYPE_CHECKING:
    from caregraph.figures.choices import LANE_OPTIONS
    from caregraph.figures.codependency_map import plot_codependencies
    from caregraph.figures.flow_map import plot_flows
    from caregraph.figures.options_chart import plot_options
    from caregraph.figures.pathway_figure import plot_pathway
    from caregraph.figures.pathway_pages import plot_pathway_pages
    from caregraph.reporting.make import report
    from cypher import available_queries, load_query
    from loaders.choices import DIAGRAM_SUFFIXES
    from loaders.criteria import criteria_from_dict, read_criteria
    from loaders.delegation_inputs import UNKNOWN_PROVIDER, read_flows, read_plan, read_spend
    from loaders.event_logs import EventTable, open_event_log, read_event_log
    from loaders.figure_files import save_figure, save_figures_pdf, save_pages
    from loaders.flows import read_flow_table, read_unit_costs
    from loaders.graph_files import read_node_link_json, write_graphml, write_node_link_json
    from loaders.model import check_model, describe_model, load_model, validate_model
    from loaders.neo4j.backend import Neo4jBackend, run_query
    from loaders.neo4j.reader import check_loaded, list_models, read_graph
    from loaders.neo4j.settings import Neo4jSettings
    from loaders.neo4j.writer import LoadResult, delete_model, write_graph
    from loaders.output_files import write_csv
    from loaders.reference.arrangements import joint_arrangements
    from loaders.reference.organisations import reference_graph, reference_table
    from loaders.reference.providers import nhs_provider_codes
    from loaders.reference.rtt import RTT_PARTS, rtt_flows, rtt_graph, rtt_providers
    from loaders.reference.sites import organisation_coordinates, site_coordinates
    from loaders.reference.specialised import (
        codependency_level_definitions,
        published_decisions,
        reference_codependencies,
    )
    from loaders.scenarios import read_scenarios
    from loaders.spark_event_logs import read_spark_event_log, spark_session
    from loaders.spark_flows import read_spark_flow_table, spark_flow_table
    from loaders.table_reader import Table, read_table
    from networks.choices import CHECKS, FLOW_LEVELS, GEOGRAPHIES, SEVERITIES, UNKNOWN_POLICIES
    from networks.delegation.activity import validate_flows, validate_spend
    from networks.delegation.assessment import assess_services
    from networks.delegation.bundles import delegation_bundles
    from networks.delegation.checks import FINDING_COLUMNS, DelegationChecker, check_delegation, findings_at_or_above
    from networks.delegation.criteria import AssessmentStep, Criteria, Criterion
    from networks.delegation.plans import resolve_plan, validate_plan
    from networks.delegation.tables import DelegationFrames, delegation_frames
    from networks.errors import (
        ArgumentError,
        CareGraphError,
        Neo4jError,
        OutputError,
        Problem,
        QueryNotFound,
        SchemaError,
        ValidationError,
    )
    from networks.flows.aggregate import aggregate_flows
    from networks.flows.footprints import discover_footprints, footprint_containment
    from networks.flows.geographies import (
        FIRST_DAY_OF_36_ICBS,
        LAST_DAY_OF_42_ICBS,
        compare_geographies,
        geography_as_at,
    )
    from networks.flows.money import ILLUSTRATIVE_UNIT_COST_GBP, check_unit_costs, money_shift
    from networks.flows.network import FlowNetwork, flow_network
    from networks.flows.places import check_organisations, checked_flows
    from networks.flows.table import FLOW_COLUMNS, FLOW_OPTIONAL_COLUMNS, check_flows
    from networks.flows.unknown_ids import describe_skipped
    from networks.frames import graph_from_frames, graph_to_frames
    from networks.graph import CareGraph
    from networks.names import add_names
    from networks.pathway_flows import PathwayFlows, pathway_flows
    from networks.query_runner import QueryRunner
    from networks.records import EdgeRecord, NodeRecord, Origin, build_graph
    from networks.scenarios import BASELINE, CHANGE_FIELDS, Change, Scenario
    from networks.schema import (
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
    from networks.synthetic import SyntheticSystem, synthetic_event_codes, synthetic_event_log, synthetic_system
    from pathways.appraisal import appraise
    from pathways.choices import BY_OPTIONS, POOL_METHODS
    from pathways.crossings import crossing_summary, find_budget_crossings, legal_bases
    from pathways.date_comparison import compare_dates
    from pathways.eventlog import compare_with_pathway, eventlog_handoffs
    from pathways.eventlog_counts import EventSource, HandoffCounts, eventlog_handoff_counts
    from pathways.handoffs import find_handoffs, handoff_hotspots, handoff_summary, top_routes
    from pathways.pooling import check_pool, pool_what_if, suggest_pools
    from pathways.scenario_changes import apply_scenario
    from pathways.single_points import single_points_of_failure
    from pathways.tables import PathwayTables
