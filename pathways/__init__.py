"""Care pathways on the graph: flows, hand-offs, budget boundary crossings, pooling and options appraisal.

Every analysis returns a pandas DataFrame with one row per finding, and is
built on backend-neutral tables (steps, transitions, budgets, pools) so the
same rows come from NetworkX or Neo4j.

Examples
--------
>>> from loaders import load_model
>>> from pathways import find_handoffs
>>> g = load_model("tests/fixtures/small_model")
>>> find_handoffs(g, by="setting")[["from_value", "to_value"]].values.tolist()[1]
['primary', 'specialised']
"""

from typing import Any

from .crossings import (
    BUDGET_COLUMNS,
    CROSSING_COLUMNS,
    CROSSING_SUMMARY_COLUMNS,
    HOLDER_GROUPS,
    POOL_COLUMNS,
    budget_table,
    crossing_summary,
    crossings_from_tables,
    find_budget_crossings,
    legal_bases,
    pool_table,
    summarise_crossings,
    total_money,
)
from .flows import (
    ENTRY_COLUMNS,
    STEP_COLUMNS,
    TRANSITION_COLUMNS,
    PathwayFlows,
    entry_table,
    pathway_flows,
    pathway_ids,
    solve_flows,
    step_table,
    transition_table,
)
from .handoffs import (
    BY_OPTIONS,
    HANDOFF_COLUMNS,
    HOTSPOT_COLUMNS,
    ROUTE_COLUMNS,
    SECTOR_OF_SETTING,
    SUMMARY_COLUMNS,
    budget_holders,
    find_handoffs,
    handoff_hotspots,
    handoff_summary,
    handoffs_from_tables,
    responsible_values,
    top_routes,
)
from .pooling import (
    EXHAUSTIVE_LIMIT,
    METHODS,
    SUGGESTION_COLUMNS,
    TOTAL_ROW,
    WHAT_IF_COLUMNS,
    check_pool,
    pool_what_if,
    suggest_pools,
    what_if_from_tables,
)
from .scenarios import (
    APPRAISAL_COLUMNS,
    BASELINE,
    CHANGE_FIELDS,
    Change,
    FieldSpec,
    Scenario,
    apply_scenario,
    appraise,
    read_scenarios,
)

_DIAGRAMS = ("DIAGRAM_SUFFIXES", "SETTING_COLOURS", "draw_pathway")


def __getattr__(name: str) -> Any:
    """Import the diagram names on first use, so analyses do not pay for importing matplotlib."""
    if name in _DIAGRAMS:
        from . import diagrams

        return getattr(diagrams, name)
    raise AttributeError(f"module 'pathways' has no attribute '{name}'")


__all__ = [
    "APPRAISAL_COLUMNS",
    "BASELINE",
    "BUDGET_COLUMNS",
    "BY_OPTIONS",
    "CHANGE_FIELDS",
    "CROSSING_COLUMNS",
    "CROSSING_SUMMARY_COLUMNS",
    "DIAGRAM_SUFFIXES",
    "ENTRY_COLUMNS",
    "EXHAUSTIVE_LIMIT",
    "HANDOFF_COLUMNS",
    "HOLDER_GROUPS",
    "HOTSPOT_COLUMNS",
    "METHODS",
    "POOL_COLUMNS",
    "ROUTE_COLUMNS",
    "SECTOR_OF_SETTING",
    "SETTING_COLOURS",
    "STEP_COLUMNS",
    "SUGGESTION_COLUMNS",
    "SUMMARY_COLUMNS",
    "TOTAL_ROW",
    "TRANSITION_COLUMNS",
    "WHAT_IF_COLUMNS",
    "Change",
    "FieldSpec",
    "PathwayFlows",
    "Scenario",
    "apply_scenario",
    "appraise",
    "budget_holders",
    "budget_table",
    "check_pool",
    "crossing_summary",
    "crossings_from_tables",
    "draw_pathway",
    "entry_table",
    "find_budget_crossings",
    "find_handoffs",
    "handoff_hotspots",
    "handoff_summary",
    "handoffs_from_tables",
    "legal_bases",
    "pathway_flows",
    "pathway_ids",
    "pool_table",
    "pool_what_if",
    "read_scenarios",
    "responsible_values",
    "solve_flows",
    "step_table",
    "suggest_pools",
    "summarise_crossings",
    "top_routes",
    "total_money",
    "transition_table",
    "what_if_from_tables",
]
