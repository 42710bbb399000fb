"""Budget boundary crossings: pathway transitions where the paying budget changes.

A transition from one step to the next *crosses a budget boundary* when the
two steps are paid from different budgets (``PAID_FROM``), unless both
budgets are members of one pool (``IN_POOL``). Two budgets of the same
commissioner still cross: budgets are ring-fenced streams (an ICB's core
allocation and its Better Care Fund contribution are different money).

Dates
    The model is analysed as in force on one day (``CareGraph.as_at``):
    today by default, or the ``as_at`` date given. A pool not yet in force,
    or already ended, joins nothing that day. ``as_at="all"`` reads the
    model as given, every pool, membership and holder counting *whatever its
    dates* (meaningful for an undated model); a budget with more than one
    holder (dated ``HELD_BY``) then cannot say which. Results record the
    date in ``attrs["as_at"]``.

Volumes
    ``patients_per_year`` is the exact yearly flow on the transition from
    ``pathway_flows`` (an absorbing Markov chain, loops allowed): it counts
    transitions made, so a patient who goes round a loop twice crosses
    twice. ``money_gbp`` is that flow times the ``unit_cost_gbp`` of the receiving
    step (the money that now comes out of the other budget); NaN where the
    step has no cost. A pathway without volumes is analysed per patient
    entering.

Legal basis
    ``legal_basis`` names the statutory route by which a pool *could* join
    the two budgets, from their holders' kinds (``legal_bases``); it is
    ``None`` when none can (including two budgets of one commissioner,
    which needs no pool: the commissioner can realign its own budgets).

The analysis is pure pandas over backend-neutral tables: ``step_table``,
solved transitions (``PathwayFlows.transitions``), ``budget_table`` and
``pool_table``; ``crossings_from_tables`` is that core.
``find_budget_crossings`` and ``crossing_summary`` take a ``CareGraph`` or a
``networks.query_runner.QueryRunner`` (a Neo4j backend) and read the four tables from it
(``pathways.tables.PathwayTables``), so both backends give the same rows;
``cypher/pathways/budget_crossings.cypher`` finds the same crossings in
Neo4j Browser (without patients and money, which need the flow solve).

Examples
--------
In the test model 1,000 patients a year see their GP (ICB core budget) and
200 go on to PCI (NHS England specialised budget): a crossing. Rehab (ICB
core) to reablement (council social care) is inside the Better Care Fund
pool (in force from 2024-04-01), so as at 2024-06-01 it is not a crossing.

>>> import caregraph as cg
>>> g = cg.load_model("tests/fixtures/small_model")
>>> x = cg.find_budget_crossings(g, as_at="2024-06-01")
>>> x[["from_step", "to_step", "legal_basis"]].values.tolist()
[['chest-pain/care', 'chest-pain/pci', None], ['chest-pain/gp', 'chest-pain/pci', 's65Z5'], \
['chest-pain/pci', 'chest-pain/rehab', 's65Z5']]
>>> round(x.loc[1, "money_gbp"])
1000000
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from itertools import combinations

import pandas as pd

from networks.dates import AsAt, dated
from networks.errors import Problem, ValidationError
from networks.graph import CareGraph
from networks.pathway_flows import PathwayFlows, stack_transitions
from networks.query_runner import QueryRunner

from .tables import PathwayTables

__all__ = [
    "CROSSING_COLUMNS",
    "CROSSING_SUMMARY_COLUMNS",
    "HOLDER_GROUPS",
    "crossing_summary",
    "crossings_from_tables",
    "find_budget_crossings",
    "legal_bases",
    "summarise_crossings",
    "total_money",
]

CROSSING_COLUMNS = ["pathway", "from_step", "to_step", "from_budget", "to_budget", "from_holder", "to_holder",
                    "from_stream", "to_stream", "legal_basis", "patients_per_year", "unit_cost_gbp", "money_gbp"]
CROSSING_SUMMARY_COLUMNS = ["pathway", "entrants", "per_patient", "transitions", "crossings",
                            "patients_crossing", "money_crossing_gbp", "crossings_per_patient"]

HOLDER_GROUPS: dict[str, str] = {
    "NHSEngland": "nhs_england",
    "NHSERegion": "nhs_england",
    "CommissioningHub": "nhs_england",
    "ICB": "icb",
    "SubICBLocation": "icb",
    "CCG": "ccg",
    "LocalAuthority": "local_authority",
}
"""Which legal body group each commissioner kind belongs to, for ``legal_bases``.

Regions and commissioning hubs are parts of NHS England, and a sub-ICB
location is part of its ICB, so they pool as those bodies do.
"""



def legal_bases(holders: Mapping[str, str | None]) -> tuple[str, ...]:
    """Return the legal bases under which budgets of these holders could be pooled.

    The rules (a model of the NHS Act 2006, not legal advice):

    * ``s75``: NHS commissioners (ICBs, their sub-ICB locations, or CCGs)
      with one or more local authorities (section 75; the Better Care Fund).
    * ``s65Z5`` / ``s65Z6``: NHS England with ICBs, or ICBs together (joint
      working and pooled funds, inserted by the Health and Care Act 2022).
    * ``s13V``: NHS England with CCGs (the route before July 2022, when
      CCGs were abolished and s13V repealed).

    Anything else is refused: budgets of a single holder (no pool is
    needed), NHS England with a council, councils alone, CCGs alone, a
    mixture of CCGs and ICBs, or a holder that is unknown or not a
    commissioner. Holders are grouped by ``HOLDER_GROUPS``, so NHS England
    with its own region is one body.

    Parameters
    ----------
    holders : mapping of str to str or None
        Each distinct holder id and its node kind (``None`` if unknown).

    Returns
    -------
    tuple of str
        The allowed bases, preferred first; empty when none.

    Examples
    --------
    >>> import caregraph as cg
    >>> cg.legal_bases({"QHM": "ICB", "107": "LocalAuthority"})
    ('s75',)
    >>> cg.legal_bases({"X24": "NHSEngland", "QHM": "ICB"})
    ('s65Z5', 's65Z6')
    >>> cg.legal_bases({"X24": "NHSEngland", "107": "LocalAuthority"})
    ()
    """
    groups = [HOLDER_GROUPS.get(str(kind)) for kind in holders.values()]
    if len(holders) < 2 or None in groups:
        return ()
    kinds = set(groups)
    nhs = kinds - {"local_authority"}
    if "local_authority" in kinds:
        return ("s75",) if nhs and len(nhs) == 1 and nhs <= {"icb", "ccg"} else ()
    if kinds == {"nhs_england", "icb"} or kinds == {"icb"}:
        return ("s65Z5", "s65Z6")
    if kinds == {"nhs_england", "ccg"}:
        return ("s13V",)
    return ()


def _pooled_pairs(pools: pd.DataFrame) -> set[frozenset[str]]:
    return {frozenset(pair) for members in pools["members"] for pair in combinations(members, 2)}


def crossings_from_tables(
    steps: pd.DataFrame, transitions: pd.DataFrame, budgets: pd.DataFrame, pools: pd.DataFrame
) -> pd.DataFrame:
    """Find budget boundary crossings from backend-neutral tables (the core of ``find_budget_crossings``).

    Parameters
    ----------
    steps : pandas.DataFrame
        Rows of ``step_table`` (``step``, ``budget``, ``unit_cost`` used).
    transitions : pandas.DataFrame
        Solved flows: ``PathwayFlows.transitions`` rows (``pathway``,
        ``from_step``, ``to_step``, ``patients_per_year``).
    budgets : pandas.DataFrame
        ``budget_table`` rows.
    pools : pandas.DataFrame
        ``pool_table`` rows of the pools that count (already as at the date
        wanted).

    Returns
    -------
    pandas.DataFrame
        Columns ``CROSSING_COLUMNS``, sorted by pathway, from_step, to_step.

    Raises
    ------
    networks.errors.ValidationError
        A step on a transition that has no budget (for example none in
        force on the date).

    Examples
    --------
    >>> import pandas as pd
    >>> from pathways.tables import POOL_COLUMNS
    >>> steps = pd.DataFrame({"step": ["a", "b"], "budget": ["B1", "B2"], "unit_cost": [None, 50.0]})
    >>> flows = pd.DataFrame({"pathway": ["p"], "from_step": ["a"], "to_step": ["b"],
    ...                       "patients_per_year": [10.0]})
    >>> budgets = pd.DataFrame({"budget": ["B1", "B2"], "name": [None, None], "stream": ["icb_core", "other"],
    ...                         "holder": ["H1", "H2"], "holder_kind": ["ICB", "LocalAuthority"]})
    >>> x = crossings_from_tables(steps, flows, budgets, pd.DataFrame(columns=POOL_COLUMNS))
    >>> x[["legal_basis", "money_gbp"]].values.tolist()
    [['s75', 500.0]]
    """
    paid = steps.drop_duplicates("step").set_index("step")
    on_transitions = pd.unique(pd.concat([transitions["from_step"], transitions["to_step"]]))
    unpaid = [s for s in on_transitions if pd.isna(paid["budget"].get(s))]
    if unpaid:
        raise ValidationError([Problem(f"step '{s}'", None, "budget", "the step has no budget (PAID_FROM) in force")
                               for s in sorted(unpaid)])
    frame = transitions.reindex(columns=["pathway", "from_step", "to_step", "patients_per_year"]).assign(
        from_budget=transitions["from_step"].map(paid["budget"]),
        to_budget=transitions["to_step"].map(paid["budget"]),
        unit_cost_gbp=transitions["to_step"].map(paid["unit_cost"]).astype(float),
    )
    pooled = _pooled_pairs(pools)
    pairs = zip(frame["from_budget"], frame["to_budget"], strict=True)
    keep = [a != b and frozenset((a, b)) not in pooled for a, b in pairs]
    frame = frame.loc[keep]
    info = budgets.drop_duplicates("budget").set_index("budget")
    for side in ("from", "to"):
        frame[f"{side}_holder"] = frame[f"{side}_budget"].map(info["holder"])
        frame[f"{side}_stream"] = frame[f"{side}_budget"].map(info["stream"])
    kinds = info["holder_kind"].to_dict()
    ends = zip(frame["from_budget"], frame["to_budget"], frame["from_holder"], frame["to_holder"], strict=True)
    bases = [legal_bases({str(a): kinds.get(x), str(b): kinds.get(y)}) if pd.notna(a) and pd.notna(b) else ()
             for x, y, a, b in ends]
    frame["legal_basis"] = pd.Series([b[0] if b else None for b in bases], index=frame.index, dtype=object)
    frame["money_gbp"] = frame["patients_per_year"].astype(float) * frame["unit_cost_gbp"]
    frame = frame.sort_values(["pathway", "from_step", "to_step"], kind="mergesort")
    return frame.reindex(columns=CROSSING_COLUMNS).reset_index(drop=True)


def _analyse(
    graph: CareGraph | QueryRunner, pathway: str | None, as_at: AsAt
) -> tuple[list[PathwayFlows], pd.DataFrame, str]:
    """Solve each pathway's flows and find its crossings, on either backend; also the date used."""
    tables = PathwayTables(graph, pathway, as_at)
    flows = tables.flows()
    crossings = crossings_from_tables(tables.steps(), stack_transitions(flows), tables.budgets(), tables.pools())
    return flows, crossings, tables.as_at


def find_budget_crossings(
    graph: CareGraph | QueryRunner, pathway: str | None = None, as_at: AsAt = None
) -> pd.DataFrame:
    """Every pathway transition where the paying budget changes outside a shared pool.

    Parameters
    ----------
    graph : CareGraph or QueryRunner
        The model, in memory or in a database (e.g.
        ``cg.Neo4jBackend(model="cardiology")``): the same rows
        either way.
    pathway : str, optional
        One pathway id; all pathways when omitted.
    as_at : str, optional
        The day to analyse (``YYYY-MM-DD``): only pools (and holders,
        steps, ...) in force that day count. Default today; ``"all"`` reads
        the model as given, every pool counting whatever its dates (see the
        module notes). The result's ``attrs["as_at"]`` says which.

    Returns
    -------
    pandas.DataFrame
        One row per crossing, columns ``CROSSING_COLUMNS`` (see the module
        notes for ``patients_per_year``, ``money_gbp`` and ``legal_basis``),
        sorted by pathway, from_step, to_step.

    Raises
    ------
    networks.errors.ValidationError
        Unknown pathway, a pathway with no start step or a loop patients
        never leave, a step without a budget, or a budget with several
        holders and no ``as_at``.
    networks.errors.ArgumentError
        ``as_at`` is not a ``YYYY-MM-DD`` date or ``"all"``.

    Examples
    --------
    The Better Care Fund pool of the test model starts on 2024-04-01: the
    day before, rehab -> reablement (``0.1 * 180.814 = 18.081`` patients a
    year at 800 pounds) crosses from ICB to council money.

    >>> import caregraph as cg
    >>> g = cg.load_model("tests/fixtures/small_model")
    >>> before = cg.find_budget_crossings(g, as_at="2024-03-31")
    >>> before.loc[before.to_step == "chest-pain/care", ["legal_basis", "money_gbp"]].round(2).values.tolist()
    [['s75', 14465.09]]
    >>> len(cg.find_budget_crossings(g, as_at="2024-04-01"))
    3

    On the model loaded into Neo4j (shown, not run as a doctest)::

        from loaders.neo4j import Neo4jBackend
        with Neo4jBackend(model="small_model") as db:
            find_budget_crossings(db, as_at="2024-04-01")  # the same rows
    """
    _, crossings, day = _analyse(graph, pathway, as_at)
    return dated(crossings, day)


def total_money(money: pd.Series) -> float:
    """Add up money that is known: 0.0 for no rows, NaN when no row has a cost.

    Examples
    --------
    >>> import pandas as pd
    >>> total_money(pd.Series([10.0, None])), total_money(pd.Series([], dtype=float))
    (10.0, 0.0)
    """
    known = money.dropna()
    if len(known) == 0:
        return 0.0 if len(money) == 0 else math.nan
    return math.fsum(known)


def summarise_crossings(crossings: pd.DataFrame, flows: Iterable[PathwayFlows]) -> pd.DataFrame:
    """Per pathway totals of a crossings table (the core of ``crossing_summary``).

    Parameters
    ----------
    crossings : pandas.DataFrame
        ``crossings_from_tables`` rows.
    flows : iterable of PathwayFlows
        The solved flows of the pathways to report (one row each, in order).

    Returns
    -------
    pandas.DataFrame
        Columns ``CROSSING_SUMMARY_COLUMNS``.
    """
    rows = []
    for f in flows:
        mine = crossings.loc[crossings["pathway"] == f.pathway]
        patients = math.fsum(mine["patients_per_year"])
        rows.append({"pathway": f.pathway, "entrants": f.entrants, "per_patient": f.per_patient,
                     "transitions": len(f.transitions), "crossings": len(mine), "patients_crossing": patients,
                     "money_crossing_gbp": total_money(mine["money_gbp"]),
                     "crossings_per_patient": patients / f.entrants})
    return pd.DataFrame(rows, columns=CROSSING_SUMMARY_COLUMNS)


def crossing_summary(
    graph: CareGraph | QueryRunner, pathway: str | None = None, as_at: AsAt = None
) -> pd.DataFrame:
    """Per pathway: budget crossings, patients and money crossing, crossings per patient.

    ``crossings_per_patient`` is the expected number of budget boundaries
    one patient entering the pathway crosses: the sum of the crossing flows
    over the entrants (exact by linearity of expectation, loops included).
    ``money_crossing_gbp`` adds the money of crossings whose receiving step has
    a cost (``total_money``: NaN if none has, 0.0 without crossings).

    Parameters
    ----------
    graph : CareGraph or QueryRunner
        The model, in memory or in a database (as for ``find_budget_crossings``).
    pathway : str, optional
        One pathway id; all pathways when omitted.
    as_at : str, optional
        ISO date, as for ``find_budget_crossings``.

    Returns
    -------
    pandas.DataFrame
        One row per pathway, columns ``CROSSING_SUMMARY_COLUMNS``.

    Examples
    --------
    PCI is visited ``v = 200 + 0.05 * 0.1 * 0.9 * v`` times a year, so
    ``v = 200.904``: GP -> PCI 200, PCI -> rehab ``0.9 v = 180.814`` and
    reablement -> PCI ``0.05 * 0.1 * 0.9 v = 0.904`` patients a year cross,
    381.718 in all for 1,000 entrants.

    >>> import caregraph as cg
    >>> s = cg.crossing_summary(cg.load_model("tests/fixtures/small_model"))
    >>> s[["crossings", "patients_crossing", "crossings_per_patient"]].round(4).values.tolist()
    [[3.0, 381.7177, 0.3817]]
    """
    flows, crossings, day = _analyse(graph, pathway, as_at)
    return dated(summarise_crossings(crossings, flows), day)
