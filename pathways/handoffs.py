"""Hand-offs: pathway transitions where responsibility for the patient changes.

A transition is a hand-off when the step it leaves and the step it enters
have different *responsible values* under one of ``BY_OPTIONS``:

``provider``
    the organisation a step is delivered by (``DELIVERED_BY``);
``site``
    the site a step happens at (``AT_SITE``); a step with no site counts as
    happening at its provider, so a move from the Freeman Hospital (RTD01)
    to RTD's community team (RTD, no site) is a hand-off, while two steps
    of one GP practice (no site) are not;
``setting``
    the step's care setting (primary, community, acute, ...);
``sector``
    health or social care, from the setting by ``SECTOR_OF_SETTING``:
    ``social_care`` is social care and every other setting is health,
    *including* ``public_health``: public health services are health
    services even though local authorities commission them, and that change
    of payer shows under ``commissioner``;
``commissioner``
    the holder (``HELD_BY``) of the budget paying for the step
    (``PAID_FROM``); a change of budget between two budgets of one holder
    is not a hand-off.

The analyses are pure pandas over backend-neutral tables (``step_table``,
the solved ``PathwayFlows.transitions`` and a budget-holder table with
columns ``budget`` and ``holder``); ``handoffs_from_tables`` is that core.
``find_handoffs``, ``handoff_summary`` and ``handoff_hotspots`` take a
``CareGraph`` or a ``networks.query_runner.QueryRunner`` (a Neo4j backend) and read
those tables from it (``pathways.tables.PathwayTables``), so both backends
give the same rows; ``cypher/pathways/handoffs.cypher`` finds the same
hand-offs in Neo4j Browser (without the volumes, which need the flow solve).
Volumes come from ``pathway_flows``: exact expectations of the absorbing
Markov chain, loops included. A pathway that gives no volume is analysed
per patient entering (its ``patients_per_year`` then reads "per patient").

Examples
--------
>>> import caregraph as cg
>>> g = cg.load_model("tests/fixtures/small_model")
>>> cg.find_handoffs(g)[["from_step", "to_step", "kind"]].values.tolist()
[['chest-pain/care', 'chest-pain/pci', 'LA1 -> RTD'], ['chest-pain/gp', 'chest-pain/pci', 'GP1 -> RTD'], \
['chest-pain/rehab', 'chest-pain/care', 'RTD -> LA1']]
"""

from __future__ import annotations

import heapq
import itertools
import logging
import math

import pandas as pd

from networks.choices import check_choice
from networks.dates import AsAt, as_at_label, dated, resolve_as_at
from networks.errors import ArgumentError, Problem, ValidationError
from networks.graph import CareGraph
from networks.pathway_flows import PathwayFlows, entry_table, pathway_flows, pathway_ids, stack_transitions, step_table
from networks.query_runner import QueryRunner

from .choices import BY_OPTIONS
from .tables import HOLDER_COLUMNS, PathwayTables, budget_holders

__all__ = [
    "HANDOFF_COLUMNS",
    "HOTSPOT_COLUMNS",
    "ROUTE_COLUMNS",
    "SECTOR_OF_SETTING",
    "SUMMARY_COLUMNS",
    "find_handoffs",
    "handoff_hotspots",
    "handoff_summary",
    "handoffs_from_tables",
    "responsible_values",
    "top_routes",
]

log = logging.getLogger(__name__)

SECTOR_OF_SETTING = {
    "primary": "health",
    "community": "health",
    "acute": "health",
    "specialised": "health",
    "mental_health": "health",
    "public_health": "health",
    "social_care": "social_care",
}
HANDOFF_COLUMNS = ["pathway", "from_step", "to_step", "by", "from_value", "to_value", "kind",
                   "probability", "patients_per_year", "share"]
SUMMARY_COLUMNS = ["pathway", "by", "entrants", "per_patient", "transitions", "handoff_transitions",
                   "handoffs_per_year", "handoffs_per_patient"]
ROUTE_COLUMNS = ["pathway", "rank", "route", "steps", "by", "handoffs", "probability", "patients_per_year",
                 "cumulative_probability"]
HOTSPOT_COLUMNS = ["rank", "by", "value", "patients_in", "patients_out", "patients_total",
                   "handoff_transitions", "pathways"]
_EXIT_TOLERANCE = 1e-9


def _check_by(by: str) -> None:
    check_choice("by", by, BY_OPTIONS)


def responsible_values(steps: pd.DataFrame, by: str = "provider", holders: pd.DataFrame | None = None) -> pd.Series:
    """Return who or what is responsible for each step under ``by``.

    Parameters
    ----------
    steps : pandas.DataFrame
        Rows of ``step_table``.
    by : {"provider", "site", "setting", "sector", "commissioner"}
        See the module notes for each rule (a step with no site falls back
        to its provider; ``public_health`` is in the health sector).
    holders : pandas.DataFrame, optional
        ``budget_holders`` rows; required for ``by="commissioner"``.

    Returns
    -------
    pandas.Series
        The value per step, indexed by step id.

    Raises
    ------
    ValueError
        Unknown ``by``.
    networks.errors.ValidationError
        Steps without the value (e.g. no provider, an unheld budget, or a
        budget with several holders: pass a date with ``as_at``), all named.

    Examples
    --------
    >>> import caregraph as cg
    >>> from networks.pathway_flows import step_table
    >>> responsible_values(step_table(cg.load_model("tests/fixtures/small_model")), "site").tolist()
    ['GP1', 'RTD01', 'RTD', 'LA1']
    """
    _check_by(by)
    problems: list[Problem] = []
    if by == "provider":
        values = steps["provider"]
    elif by == "site":
        values = steps["site"].fillna(steps["provider"])
    elif by == "setting":
        values = steps["setting"]
    elif by == "sector":
        values = steps["setting"].map(SECTOR_OF_SETTING)
    else:
        table = holders if holders is not None else pd.DataFrame(columns=HOLDER_COLUMNS)
        counts = table.groupby("budget")["holder"].nunique()
        for budget in sorted(counts.index[counts > 1]):
            names = ", ".join(sorted(table.loc[table.budget == budget, "holder"].unique()))
            problems.append(Problem(f"budget '{budget}'", None, "holder",
                                    f"held by several commissioners ({names}); give an as-at date"))
        values = steps["budget"].map(table.drop_duplicates("budget").set_index("budget")["holder"])
    for pid, step in steps.loc[values.isna().to_numpy(), ["pathway", "step"]].itertuples(index=False):
        problems.append(Problem(f"pathway '{pid}'", f"step '{step}'", by, f"the step has no {by}"))
    if problems:
        raise ValidationError(problems)
    return pd.Series(values.to_numpy(), index=steps["step"].to_numpy(), name=by)


def handoffs_from_tables(
    steps: pd.DataFrame, transitions: pd.DataFrame, by: str = "provider", holders: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Find hand-offs from backend-neutral tables (the core of ``find_handoffs``).

    Parameters
    ----------
    steps : pandas.DataFrame
        Rows of ``step_table``.
    transitions : pandas.DataFrame
        Solved flows: rows of ``PathwayFlows.transitions`` (one pathway's or
        several concatenated).
    by : str
        One of ``BY_OPTIONS``.
    holders : pandas.DataFrame, optional
        ``budget_holders`` rows, for ``by="commissioner"``.

    Returns
    -------
    pandas.DataFrame
        Columns ``HANDOFF_COLUMNS``, sorted by pathway, from_step, to_step.

    Examples
    --------
    >>> import caregraph as cg
    >>> from networks.pathway_flows import step_table
    >>> g = cg.load_model("tests/fixtures/small_model")
    >>> flows = cg.pathway_flows(g, "chest-pain").transitions
    >>> handoffs_from_tables(step_table(g), flows, "setting").kind.tolist()[:2]
    ['social_care -> specialised', 'primary -> specialised']
    """
    values = responsible_values(steps, by, holders)
    frame = transitions.assign(by=by, from_value=transitions["from_step"].map(values),
                               to_value=transitions["to_step"].map(values))
    frame = frame.loc[frame["from_value"] != frame["to_value"]]
    frame = frame.assign(kind=frame["from_value"].astype(str) + " -> " + frame["to_value"].astype(str))
    frame = frame.sort_values(["pathway", "from_step", "to_step", "patients_per_year"], kind="mergesort")
    return frame.reindex(columns=HANDOFF_COLUMNS).reset_index(drop=True)


def _analyse(
    graph: CareGraph | QueryRunner, pathway: str | None, by: str, as_at: AsAt
) -> tuple[list[PathwayFlows], pd.DataFrame, str]:
    """Solve each pathway's flows and find its hand-offs, on either backend; also the date used."""
    _check_by(by)
    tables = PathwayTables(graph, pathway, as_at)
    flows = tables.flows()
    holders = tables.holders() if by == "commissioner" else None
    return flows, handoffs_from_tables(tables.steps(), stack_transitions(flows), by, holders), tables.as_at


def find_handoffs(
    graph: CareGraph | QueryRunner, pathway: str | None = None, by: str = "provider", as_at: AsAt = None
) -> pd.DataFrame:
    """Every pathway transition where responsibility changes, with its yearly patients.

    Parameters
    ----------
    graph : CareGraph or QueryRunner
        The model, in memory or in a database (e.g.
        ``cg.Neo4jBackend(model="cardiology")``): the same rows
        either way.
    pathway : str, optional
        One pathway id; all pathways when omitted.
    by : {"provider", "site", "setting", "sector", "commissioner"}
        What "responsibility" means (rules in the module notes).
    as_at : str, optional
        The day to analyse (``YYYY-MM-DD``); default today; ``"all"`` for
        every date (``networks.dates``). The result's ``attrs["as_at"]``
        says which.

    Returns
    -------
    pandas.DataFrame
        One row per hand-off transition, columns ``HANDOFF_COLUMNS``:
        ``from_value`` / ``to_value`` are the responsible values of the two
        steps and ``kind`` reads ``"<from_value> -> <to_value>"``
        (``"acute -> specialised"``, ``"RTR -> RTD"``); ``probability`` is
        the branch probability (given, or volume over the step's visits),
        ``patients_per_year`` the exact yearly flow and ``share`` that flow
        per patient entering the pathway. Sorted by pathway, from_step,
        to_step.

    Raises
    ------
    ValueError
        Unknown ``by`` (the message lists ``BY_OPTIONS``).
    networks.errors.ValidationError
        Unknown pathway, a pathway with no start step or a loop patients
        never leave, or steps lacking the ``by`` value.

    Examples
    --------
    >>> import caregraph as cg
    >>> g = cg.load_model("tests/fixtures/small_model")
    >>> h = cg.find_handoffs(g, "chest-pain", by="sector")
    >>> h[["kind", "patients_per_year"]].round(3).values.tolist()
    [['social_care -> health', 0.904], ['health -> social_care', 18.081]]

    On the model loaded into Neo4j (shown, not run as a doctest)::

        from loaders.neo4j import Neo4jBackend
        with Neo4jBackend(model="small_model") as db:
            find_handoffs(db, "chest-pain", by="sector")  # the same rows
    """
    _, handoffs, day = _analyse(graph, pathway, by, as_at)
    return dated(handoffs, day)


def handoff_summary(
    graph: CareGraph | QueryRunner, pathway: str | None = None, by: str = "provider", as_at: AsAt = None
) -> pd.DataFrame:
    """Per pathway: entrants, transitions, hand-off transitions and expected hand-offs per patient.

    The expected number of hand-offs a patient meets is exact:
    ``handoffs_per_patient = sum of hand-off flows / entrants``. Write
    ``N_t`` for the number of times one patient crosses transition ``t =
    (i, j)``; in the absorbing chain ``E[N_t] = V_i p_ij`` where ``V_i`` is
    the expected visits to ``i`` per entrant (``visits / entrants``, the
    fundamental-matrix row sums that ``pathway_flows`` solves). The
    patient's hand-offs are ``H = sum of N_t over hand-off transitions``,
    so by linearity of expectation ``E[H] = sum of V_i p_ij`` over them,
    which is the sum of their flows divided by the entrants. No route
    enumeration and no loop bound is needed.

    Parameters
    ----------
    graph : CareGraph or QueryRunner
        The model, in memory or in a database (as for ``find_handoffs``).
    pathway : str, optional
        One pathway id; all pathways when omitted.
    by : str
        One of ``BY_OPTIONS``.
    as_at : str, optional
        The day to analyse (``YYYY-MM-DD``); default today; ``"all"`` for
        every date (``networks.dates``). The result's ``attrs["as_at"]``
        says which.

    Returns
    -------
    pandas.DataFrame
        One row per pathway, columns ``SUMMARY_COLUMNS``: ``entrants``
        (1.0 and ``per_patient`` True when the pathway gives no volume),
        ``transitions``, ``handoff_transitions``, ``handoffs_per_year`` (sum
        of hand-off flows) and ``handoffs_per_patient``.

    Examples
    --------
    Provider hand-offs in the test model: GP -> PCI (200), rehab -> care
    (18.08) and care -> PCI (0.90) a year for 1,000 entrants.

    >>> import caregraph as cg
    >>> s = cg.handoff_summary(cg.load_model("tests/fixtures/small_model"))
    >>> s[["handoff_transitions", "handoffs_per_patient"]].round(4).values.tolist()
    [[3.0, 0.219]]
    """
    flows, handoffs, day = _analyse(graph, pathway, by, as_at)
    rows = []
    for f in flows:
        mine = handoffs.loc[handoffs["pathway"] == f.pathway, "patients_per_year"]
        per_year = math.fsum(mine)
        rows.append({"pathway": f.pathway, "by": by, "entrants": f.entrants, "per_patient": f.per_patient,
                     "transitions": len(f.transitions), "handoff_transitions": len(mine),
                     "handoffs_per_year": per_year, "handoffs_per_patient": per_year / f.entrants})
    return dated(pd.DataFrame(rows, columns=SUMMARY_COLUMNS), day)


def handoff_hotspots(
    graph: CareGraph | QueryRunner, pathway: str | None = None, by: str = "provider", as_at: AsAt = None
) -> pd.DataFrame:
    """Rank providers, sites, settings, sectors or commissioners by hand-off volume.

    Parameters
    ----------
    graph : CareGraph or QueryRunner
        The model, in memory or in a database (as for ``find_handoffs``).
    pathway : str, optional
        One pathway id; all pathways (volumes added up) when omitted.
    by : str
        One of ``BY_OPTIONS``.
    as_at : str, optional
        The day to analyse (``YYYY-MM-DD``); default today; ``"all"`` for
        every date (``networks.dates``). The result's ``attrs["as_at"]``
        says which.

    Returns
    -------
    pandas.DataFrame
        One row per value met in any hand-off, columns ``HOTSPOT_COLUMNS``:
        ``patients_in`` (patients a year handed to it), ``patients_out``
        (handed on by it), ``patients_total``, ``handoff_transitions``
        touching it and the number of ``pathways`` those are in. Ranked by
        ``patients_total`` (largest first), then value. Pathways without
        volumes add per-patient shares; a warning is logged when they are
        mixed with pathways that have volumes.

    Examples
    --------
    >>> import caregraph as cg
    >>> hot = cg.handoff_hotspots(cg.load_model("tests/fixtures/small_model"))
    >>> hot[["value", "patients_in", "patients_out"]].round(2).values.tolist()
    [['RTD', 200.9, 18.08], ['GP1', 0.0, 200.0], ['LA1', 18.08, 0.9]]
    """
    flows, handoffs, day = _analyse(graph, pathway, by, as_at)
    if len(flows) > 1 and len({f.per_patient for f in flows}) > 1:
        log.warning("hot spots add per-patient shares of pathways without volumes to yearly patients of others")
    sides = [handoffs.assign(value=handoffs[column], patients_in=incoming * handoffs["patients_per_year"],
                             patients_out=(1 - incoming) * handoffs["patients_per_year"])
             for column, incoming in (("to_value", 1), ("from_value", 0))]
    both = pd.concat(sides, ignore_index=True)
    grouped = both.groupby("value", sort=True).agg(
        patients_in=("patients_in", "sum"), patients_out=("patients_out", "sum"),
        handoff_transitions=("pathway", "size"), pathways=("pathway", "nunique"))
    grouped["patients_total"] = grouped["patients_in"] + grouped["patients_out"]
    ranked = grouped.reset_index().sort_values(["patients_total", "value"], ascending=[False, True],
                                               kind="mergesort")
    ranked = ranked.assign(by=by, rank=range(1, len(ranked) + 1))
    return dated(ranked.reindex(columns=HOTSPOT_COLUMNS).reset_index(drop=True), day)


def _entry_shares(entries: pd.DataFrame) -> dict[str, float]:
    """Share of entrants starting at each step, as ``solve_flows`` scales them."""
    volumes = entries["patients_per_year"].fillna(0.0)
    shares = volumes / volumes.sum() if volumes.sum() else entries["probability"].fillna(0.0)
    return {str(step): float(share) for step, share in shares.groupby(entries["step"]).sum().items()}


def _branches(transitions: pd.DataFrame) -> tuple[dict[str, list[tuple[str, float]]], dict[str, float]]:
    """Outgoing branch probabilities and the probability of leaving the pathway at each step.

    ``solve_flows`` has already refused steps that send on more patients than reach them.
    """
    summed = transitions.groupby(["from_step", "to_step"], sort=True, as_index=False)["probability"].sum()
    out: dict[str, list[tuple[str, float]]] = {}
    for u, v, p in summed.itertuples(index=False):
        if p > 0:
            out.setdefault(str(u), []).append((str(v), float(p)))
    exits = {step: max(0.0, 1.0 - math.fsum(p for _, p in moves)) for step, moves in out.items()}
    return out, exits


def _best_routes(
    starts: dict[str, float], out: dict[str, list[tuple[str, float]]], exits: dict[str, float],
    k: int, max_visits: int | None,
) -> list[tuple[float, tuple[str, ...]]]:
    """The k most probable complete routes, by best-first search.

    Every prefix is at least as probable as any route extending it, so
    popping the most probable item first yields complete routes in
    descending probability; ties are settled by the route's step ids once
    no pending item can match the k-th route.
    """
    heap: list[tuple[float, int, tuple[str, ...]]] = [(-p, 1, (s,)) for s, p in sorted(starts.items()) if p > 0]
    heapq.heapify(heap)
    found: list[tuple[float, tuple[str, ...]]] = []
    while heap and (len(found) < k or -heap[0][0] >= found[k - 1][0]):
        negative, open_, route = heapq.heappop(heap)
        if not open_:
            found.append((-negative, route))
            continue
        last = route[-1]
        if exits.get(last, 1.0) > 0:
            heapq.heappush(heap, (negative * exits.get(last, 1.0), 0, route))
        for step, p in out.get(last, []):
            if max_visits is None or route.count(step) < max_visits:
                heapq.heappush(heap, (negative * p, 1, (*route, step)))
    return sorted(found, key=lambda item: (-item[0], item[1]))[:k]


def top_routes(
    graph: CareGraph,
    pathway: str | None = None,
    k: int = 10,
    by: str = "provider",
    max_visits: int | None = None,
    as_at: AsAt = None,
) -> pd.DataFrame:
    """The k most frequent end-to-end routes through a pathway, with their hand-offs.

    A route is the sequence of steps one patient visits from entering to
    leaving the pathway; its probability is the entry share times the
    branch probabilities times the probability of leaving at the last step
    (one minus the probabilities going on). Routes are found by best-first
    search, most probable first, so loops need no fixed bound: the search
    stops once k routes are found and nothing pending can be more probable
    (a prefix is never less probable than its extensions, and every loop
    multiplies by less than one). ``max_visits`` optionally restricts
    routes to visit each step at most that many times.

    Parameters
    ----------
    graph : CareGraph
    pathway : str, optional
        Pathway id; by default every pathway, each with its own ``k`` routes.
    k : int
        How many routes a pathway (at least 1).
    by : str
        One of ``BY_OPTIONS``: which hand-offs ``handoffs`` counts.
    max_visits : int, optional
        Only routes visiting no step more than this (at least 1); None
        (default) considers all routes.
    as_at : str, optional
        The day to analyse (``YYYY-MM-DD``); default today; ``"all"`` for
        every date (``networks.dates``). The result's ``attrs["as_at"]``
        says which.

    Returns
    -------
    pandas.DataFrame
        Columns ``ROUTE_COLUMNS``, most probable first (ties by route):
        ``route`` joins the steps' ids with ``" > "`` (without the
        ``"<pathway>/"`` prefix), ``steps`` counts visits, ``handoffs`` the
        hand-offs on the route, ``patients_per_year`` is probability times
        entrants, and ``cumulative_probability`` is the probability mass
        (share of entrants) covered by this and the more frequent routes.

    Raises
    ------
    ValueError
        Unknown ``by``, ``k`` or ``max_visits`` below 1.
    networks.errors.ValidationError
        Unknown pathway, no start step, a loop patients never leave, steps
        lacking the ``by`` value, or transitions carrying more patients than
        reach their step.

    Examples
    --------
    Of 1,000 chest-pain patients 80% only see the GP; 20% x 90% x 90% go
    GP > PCI > rehab and leave.

    >>> import caregraph as cg
    >>> routes = cg.top_routes(cg.load_model("tests/fixtures/small_model"), "chest-pain", k=2)
    >>> routes[["route", "handoffs", "probability"]].round(4).values.tolist()
    [['gp', 0, 0.8], ['gp > pci > rehab', 1, 0.162]]
    """
    _check_by(by)
    if k < 1 or (max_visits is not None and max_visits < 1):
        raise ArgumentError(f"k ({k}) and max_visits ({max_visits}) must be at least 1")
    day = resolve_as_at(as_at)
    graph = graph if day is None else graph.as_at(day)
    holders = budget_holders(graph) if by == "commissioner" else None
    rows = []
    for pid in pathway_ids(graph, pathway):
        rows += _routes_of(graph, pid, k, by, max_visits, holders)
    return dated(pd.DataFrame(rows, columns=ROUTE_COLUMNS), as_at_label(day))


def _routes_of(graph: CareGraph, pathway: str, k: int, by: str, max_visits: int | None,
               holders: pd.DataFrame | None) -> list[dict[str, object]]:
    """The rows of ``top_routes`` for one pathway."""
    flows = pathway_flows(graph, pathway)
    values = responsible_values(step_table(graph, pathway), by, holders)
    out, exits = _branches(flows.transitions)
    routes = _best_routes(_entry_shares(entry_table(graph, pathway)), out, exits, k, max_visits)
    prefix = f"{pathway}/"
    rows = []
    covered = 0.0
    for rank, (probability, route) in enumerate(routes, start=1):
        covered += probability
        rows.append({
            "pathway": pathway, "rank": rank,
            "route": " > ".join(s.removeprefix(prefix) for s in route), "steps": len(route), "by": by,
            "handoffs": sum(values[a] != values[b] for a, b in itertools.pairwise(route)),
            "probability": probability, "patients_per_year": probability * flows.entrants,
            "cumulative_probability": covered,
        })
    return rows
