"""The backend-neutral tables pathway analyses read, from a ``CareGraph`` or from a database.

Hand-offs and budget crossings are pure pandas over a few tables: the
model's pathway ids, ``step_table``, ``entry_table`` and
``transition_table`` (from which ``solve_flows`` gives the yearly flows),
``budget_holders``, ``budget_table`` and ``pool_table``. ``PathwayTables``
reads them from either backend, chosen by the type of the source:

* a ``CareGraph`` (NetworkX): the functions of this module and of
  ``networks.pathway_flows``, on ``graph.as_at(as_at)`` when a date is given;
* a ``networks.query_runner.QueryRunner`` (such as ``cg.Neo4jBackend``): the
  queries ``cypher/pathways/tables/*.cypher`` with ``$pathway`` and
  ``$as_at``, which keep what ``CareGraph.as_at`` keeps.

Both give equal tables (up to row order, which no analysis depends on), so
one implementation of each analysis serves both backends.

Examples
--------
>>> import caregraph as cg
>>> g = cg.load_model("tests/fixtures/small_model")
>>> tables = cg.PathwayTables(g, as_at="2024-03-31")
>>> tables.pathways, len(tables.pools())
(['chest-pain'], 0)
>>> round(tables.flows()[0].visits["chest-pain/pci"], 4)
200.9041
"""

from __future__ import annotations

import pandas as pd

from networks.dates import AsAt, as_at_label, resolve_as_at
from networks.errors import Problem, ValidationError
from networks.graph import CareGraph
from networks.pathway_flows import (
    ENTRY_COLUMNS,
    STEP_COLUMNS,
    TRANSITION_COLUMNS,
    PathwayFlows,
    entry_table,
    pathway_ids,
    select_pathways,
    single_step_links,
    solve_flows,
    step_table,
    transition_table,
)
from networks.query_runner import QueryRunner, run_table

__all__ = [
    "BUDGET_COLUMNS",
    "HOLDER_COLUMNS",
    "POOL_COLUMNS",
    "PathwayTables",
    "budget_holders",
    "budget_table",
    "pool_table",
]

BUDGET_COLUMNS = ["budget", "name", "stream", "holder", "holder_kind"]
POOL_COLUMNS = ["pool", "name", "legal_basis", "valid_from", "valid_to", "members"]
HOLDER_COLUMNS = ["budget", "holder"]


def budget_holders(graph: CareGraph) -> pd.DataFrame:
    """One row per budget and the commissioner holding it (``HELD_BY``).

    Returns
    -------
    pandas.DataFrame
        Columns ``budget`` and ``holder``, in graph order.

    Examples
    --------
    >>> import caregraph as cg
    >>> budget_holders(cg.load_model("tests/fixtures/small_model")).values.tolist()
    [['nhse-spec', 'X24'], ['qhm-core', 'QHM'], ['la-asc', 'LA1']]
    """
    rows = [(budget, holder) for budget in graph.nodes_of("Budget") for holder in graph.successors(budget, "HELD_BY")]
    return pd.DataFrame(rows, columns=HOLDER_COLUMNS)


def _single_holders(budgets: pd.DataFrame) -> pd.DataFrame:
    """Check that no budget has several holders (column ``holders``); return ``BUDGET_COLUMNS``."""
    problems = [Problem(f"budget '{budget}'", None, "holder",
                        f"held by several commissioners ({', '.join(sorted(set(holders)))}); give an as-at date")
                for budget, holders in zip(budgets["budget"], budgets["holders"], strict=True)
                if len(set(holders)) > 1]
    if problems:
        raise ValidationError(problems)
    return budgets.reindex(columns=BUDGET_COLUMNS)


def budget_table(graph: CareGraph) -> pd.DataFrame:
    """One row per budget: its stream and the commissioner holding it.

    Parameters
    ----------
    graph : CareGraph
        The model, already as at a date if one is wanted.

    Returns
    -------
    pandas.DataFrame
        Columns ``BUDGET_COLUMNS``; ``holder`` and ``holder_kind`` are
        ``None`` for a budget nobody holds (in force). Graph order.

    Raises
    ------
    networks.errors.ValidationError
        A budget with several holders (dated ``HELD_BY``): analyse it as at
        a date.

    Examples
    --------
    >>> import caregraph as cg
    >>> budget_table(cg.load_model("tests/fixtures/small_model")).values.tolist()[0]
    ['nhse-spec', 'NHS England specialised', 'nhse_specialised', 'X24', 'NHSEngland']
    """
    rows = []
    for budget, attrs in graph.nodes_of("Budget", data=True):
        holders = sorted(set(graph.successors(budget, "HELD_BY")))
        holder = holders[0] if holders else None
        rows.append({"budget": budget, "name": attrs.get("name"), "stream": attrs["stream"], "holder": holder,
                     "holder_kind": graph.kind(holder) if holder else None, "holders": holders})
    return _single_holders(pd.DataFrame(rows, columns=[*BUDGET_COLUMNS, "holders"]))


def pool_table(graph: CareGraph) -> pd.DataFrame:
    """One row per pool: legal basis, dates and member budgets.

    Returns
    -------
    pandas.DataFrame
        Columns ``POOL_COLUMNS``; ``members`` is a sorted tuple of budget
        ids; dates are ``None`` where open. Graph order.

    Examples
    --------
    >>> import caregraph as cg
    >>> pool_table(cg.load_model("tests/fixtures/small_model")).values.tolist()
    [['bcf', 'Better Care Fund', 's75', '2024-04-01', None, ('la-asc', 'qhm-core')]]
    """
    rows = [{"pool": pool, "name": attrs.get("name"), "legal_basis": attrs["legal_basis"],
             "valid_from": attrs.get("valid_from"), "valid_to": attrs.get("valid_to"),
             "members": tuple(sorted(set(graph.predecessors(pool, "IN_POOL"))))}
            for pool, attrs in graph.nodes_of("Pool", data=True)]
    return pd.DataFrame(rows, columns=POOL_COLUMNS)


class PathwayTables:
    """The tables of a model's pathways, from a ``CareGraph`` or a ``QueryRunner``.

    Parameters
    ----------
    source : CareGraph or QueryRunner
        The model in memory, or a database backend whose ``run_named``
        knows the model (e.g. ``Neo4jBackend(model="cardiology")``).
    pathway : str, optional
        Only this pathway; all pathways when omitted.
    as_at : str, optional
        The day to analyse (``YYYY-MM-DD``); default today; ``"all"`` for
        every date (see ``networks.dates``).

    Attributes
    ----------
    pathways : list of str
        The ids of the pathways analysed.
    as_at : str
        The date used (ISO), or ``"all"``.

    Raises
    ------
    TypeError
        ``source`` is neither a ``CareGraph`` nor a ``QueryRunner``.
    networks.errors.ArgumentError
        ``as_at`` is not a ``YYYY-MM-DD`` date or ``"all"``.
    networks.errors.ValidationError
        ``pathway`` is not a pathway of the model (in force).

    Notes
    -----
    Each method reads its table when called, so an analysis only pays for
    (and only fails on) the tables it uses.
    """

    def __init__(self, source: CareGraph | QueryRunner, pathway: str | None = None,
                 as_at: AsAt = None) -> None:
        self.pathway = pathway
        self._graph: CareGraph | None = None
        day = resolve_as_at(as_at)
        self.as_at = as_at_label(day)
        if isinstance(source, CareGraph):
            self._graph = source if day is None else source.as_at(day)
            self.pathways = pathway_ids(self._graph, pathway)
        elif isinstance(source, QueryRunner):
            self._runner = source
            self._as_at = day
            known = self._run("pathways", ["pathway"])["pathway"].tolist()
            self.pathways = select_pathways(known, pathway)
        else:
            raise TypeError(f"expected a CareGraph or a QueryRunner (such as a Neo4j backend), "
                            f"not {type(source).__name__}")

    def _run(self, table: str, columns: list[str], **params: str | None) -> pd.DataFrame:
        return run_table(self._runner, f"pathways/tables/{table}", columns, as_at=self._as_at, **params)

    def steps(self) -> pd.DataFrame:
        """``step_table`` of the pathways analysed."""
        if self._graph is not None:
            return step_table(self._graph, self.pathway)
        return single_step_links(self._run("steps", STEP_COLUMNS, pathway=self.pathway))

    def entries(self) -> pd.DataFrame:
        """``entry_table`` of the pathways analysed."""
        if self._graph is not None:
            return entry_table(self._graph, self.pathway)
        entries = self._run("entries", ENTRY_COLUMNS, pathway=self.pathway)
        return entries.astype({column: float for column in ENTRY_COLUMNS[2:]})

    def transitions(self) -> pd.DataFrame:
        """``transition_table`` of the pathways analysed."""
        if self._graph is not None:
            return transition_table(self._graph, self.pathway)
        transitions = self._run("transitions", TRANSITION_COLUMNS, pathway=self.pathway)
        return transitions.astype({column: float for column in TRANSITION_COLUMNS[3:]})

    def holders(self) -> pd.DataFrame:
        """``budget_holders`` of every budget of the model."""
        if self._graph is not None:
            return budget_holders(self._graph)
        return self._run("budget_holders", HOLDER_COLUMNS)

    def budgets(self) -> pd.DataFrame:
        """``budget_table`` of every budget of the model (raises for a budget with several holders)."""
        if self._graph is not None:
            return budget_table(self._graph)
        return _single_holders(self._run("budgets", [*BUDGET_COLUMNS, "holders"]))

    def pools(self) -> pd.DataFrame:
        """``pool_table`` of every pool of the model."""
        if self._graph is not None:
            return pool_table(self._graph)
        pools = self._run("pools", POOL_COLUMNS)
        members = [tuple(sorted(set(budgets))) for budgets in pools["members"]]
        return pools.assign(members=pd.Series(members, index=pools.index, dtype=object))

    def flows(self) -> list[PathwayFlows]:
        """Solve the yearly flows of each pathway analysed (``solve_flows``), in ``pathways`` order.

        Raises
        ------
        networks.errors.ValidationError
            A pathway with no start step, or a loop patients never leave.
        """
        steps, entries, transitions = self.steps(), self.entries(), self.transitions()
        return [solve_flows(pid, steps.loc[steps["pathway"] == pid, "step"].tolist(),
                            entries[entries["pathway"] == pid], transitions[transitions["pathway"] == pid])
                for pid in self.pathways]
