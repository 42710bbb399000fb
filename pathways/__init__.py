"""Care pathways on the graph: flows, hand-offs, budget boundary crossings and options appraisal.

Examples
--------
>>> from pathways import pathway_flows, step_table
>>> callable(pathway_flows) and callable(step_table)
True
"""

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

__all__ = [
    "ENTRY_COLUMNS",
    "STEP_COLUMNS",
    "TRANSITION_COLUMNS",
    "PathwayFlows",
    "entry_table",
    "pathway_flows",
    "pathway_ids",
    "solve_flows",
    "step_table",
    "transition_table",
]
