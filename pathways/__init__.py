"""Care pathways on the graph: flows, hand-offs, budget boundary crossings, pooling and options appraisal.

Every analysis returns a pandas DataFrame with one row per finding, and is
built on backend-neutral tables (steps, transitions, budgets, pools) so the
same rows come from NetworkX or Neo4j: ``find_handoffs``, ``handoff_summary``,
``handoff_hotspots``, ``find_budget_crossings`` and ``crossing_summary`` take
a ``CareGraph`` or a database backend (``networks.QueryRunner``) and read the
tables from it with ``PathwayTables``.

Examples
--------
>>> from loaders import load_model
>>> from pathways import find_handoffs
>>> g = load_model("tests/fixtures/small_model")
>>> find_handoffs(g, by="setting")[["from_value", "to_value"]].values.tolist()[1]
['primary', 'specialised']
"""

from typing import TYPE_CHECKING

from networks.lazy import attach

__getattr__, __dir__, __all__ = attach(__name__, __file__)

if TYPE_CHECKING:
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
    from .diagrams import DIAGRAM_SUFFIXES, SETTING_COLOURS, draw_pathway
    from .eventlog import COMPARE_COLUMNS, STEP_RESOURCES, compare_with_pathway, eventlog_handoffs
    from .eventlog_read import EventColumns, read_event_log
    from .flows import (
        ENTRY_COLUMNS,
        FLOW_COLUMNS,
        STEP_COLUMNS,
        TRANSITION_COLUMNS,
        PathwayFlows,
        entry_table,
        pathway_flows,
        pathway_ids,
        single_step_links,
        solve_flows,
        stack_transitions,
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
    from .tables import PathwayTables
