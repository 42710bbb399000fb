"""Analyses read their tables from a CareGraph or any QueryRunner, and row order never matters.

``Shuffled`` is a QueryRunner without a database: it answers the table
queries from a CareGraph with the rows reversed, as a database may list them
in any order. Every analysis must give the same rows as on the graph.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from caregraph import (
    BY_OPTIONS,
    ArgumentError,
    CareGraph,
    QueryRunner,
    ValidationError,
    check_delegation,
    crossing_summary,
    delegation_bundles,
    delegation_frames,
    find_budget_crossings,
    find_handoffs,
    handoff_hotspots,
    handoff_summary,
    load_model,
)
from networks.pathway_flows import entry_table, step_table, transition_table
from pathways.tables import PathwayTables, budget_holders, budget_table, pool_table

ROOT = Path(__file__).resolve().parents[2]


class Shuffled:
    """Answer ``pathways/tables/*`` and ``networks/frames/*`` from a graph, rows in reverse order."""

    def __init__(self, graph: CareGraph) -> None:
        self.graph = graph
        self.asked: list[str] = []

    def run_named(self, name: str, **params: Any) -> pd.DataFrame:
        self.asked.append(name)
        graph = self.graph if params.get("as_at") is None else self.graph.as_at(params["as_at"])
        area, _, table = name.rpartition("/")
        if area == "networks/frames":
            frame = getattr(delegation_frames(graph, as_at="all"), table)
        else:
            pathway = params.get("pathway")
            tables: dict[str, Callable[[], pd.DataFrame]] = {
                "pathways": lambda: pd.DataFrame({"pathway": graph.nodes_of("Pathway")}),
                "steps": lambda: step_table(graph, pathway),
                "entries": lambda: entry_table(graph, pathway),
                "transitions": lambda: transition_table(graph, pathway),
                "budget_holders": lambda: budget_holders(graph),
                "budgets": lambda: budget_table(graph).assign(
                    holders=[[] if holder is None else [holder] for holder in budget_table(graph)["holder"]]),
                "pools": lambda: pool_table(graph).assign(members=[list(m) for m in pool_table(graph)["members"]]),
            }
            frame = tables[table]()
        return frame.iloc[::-1].reset_index(drop=True)


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values(list(frame.columns)).reset_index(drop=True)


@pytest.fixture(scope="module", params=["tests/fixtures/small_model", "examples/cardiology"])
def graph(request: pytest.FixtureRequest) -> CareGraph:
    return load_model(ROOT / request.param)


def test_a_fake_database_is_a_query_runner(graph: CareGraph) -> None:
    assert isinstance(Shuffled(graph), QueryRunner) and not isinstance(graph, QueryRunner)


@pytest.mark.parametrize("as_at", [None, "all", "2024-03-31", "2025-04-01"])
def test_row_order_does_not_change_any_analysis(graph: CareGraph, as_at: str | None) -> None:
    runner = Shuffled(graph)
    for by in BY_OPTIONS:
        for analysis in (find_handoffs, handoff_summary, handoff_hotspots):
            mine, theirs = analysis(graph, by=by, as_at=as_at), analysis(runner, by=by, as_at=as_at)
            assert_frame_equal(_sorted(mine), _sorted(theirs), check_exact=True)
    for crossings in (find_budget_crossings, crossing_summary):
        assert_frame_equal(_sorted(crossings(graph, as_at=as_at)), _sorted(crossings(runner, as_at=as_at)),
                           check_exact=True)
    for delegation in (check_delegation, delegation_bundles):
        assert_frame_equal(_sorted(delegation(graph, as_at=as_at)), _sorted(delegation(runner, as_at=as_at)))
    assert "pathways/tables/steps" in runner.asked and "networks/frames/coverage" in runner.asked


def test_only_the_tables_an_analysis_needs_are_read(graph: CareGraph) -> None:
    runner = Shuffled(graph)
    find_handoffs(runner, by="site")
    assert sorted(set(runner.asked)) == ["pathways/tables/entries", "pathways/tables/pathways",
                                         "pathways/tables/steps", "pathways/tables/transitions"]


def test_problems_are_the_same_from_a_query_runner(graph: CareGraph) -> None:
    runner = Shuffled(graph)
    for source in (graph, runner):
        with pytest.raises(ValidationError, match="unknown pathway 'nowhere'"):
            PathwayTables(source, "nowhere")
        with pytest.raises(ArgumentError, match="as-at date"):
            find_budget_crossings(source, as_at="1/4/2026")


@pytest.mark.parametrize("analysis", [find_handoffs, find_budget_crossings, delegation_frames, check_delegation])
def test_anything_else_is_refused(analysis: Callable[..., Any]) -> None:
    with pytest.raises(TypeError, match="CareGraph or a QueryRunner"):
        analysis("examples/cardiology")
