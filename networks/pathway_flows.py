"""Patients on each step and transition of a pathway, computed exactly.

A pathway is an absorbing Markov chain: patients enter at the start step(s),
move along transitions with a branch probability (or a given yearly volume)
and leave the pathway with the probability left over at each step. Loops
(readmission, re-referral) are allowed. The expected number of visits to
each step solves the linear system ``v = e + P^T v + c`` where ``e`` is the
entry volume, ``P`` the branch probabilities and ``c`` the transitions given
as volumes; a transition then carries ``v[from] * p`` patients a year.

Examples
--------
In the test model 1,000 patients a year see their GP; 20% go on to PCI, 90%
of those to rehab, 10% of those to reablement, and 5% of reablement comes
back for PCI. PCI visits solve ``v = 200 + 0.05 * 0.1 * 0.9 * v``, so
``v = 200 / 0.9955``.

>>> import caregraph as cg
>>> g = cg.load_model("tests/fixtures/small_model")
>>> flows = cg.pathway_flows(g, "chest-pain")
>>> round(flows.visits["chest-pain/pci"], 4)
200.9041
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd

from networks.errors import Problem, ValidationError
from networks.graph import CareGraph
from networks.values import is_blank

__all__ = [
    "ENTRY_COLUMNS",
    "STEP_COLUMNS",
    "TRANSITION_COLUMNS",
    "TRANSITION_FLOW_COLUMNS",
    "PathwayFlows",
    "entry_table",
    "pathway_flows",
    "pathway_ids",
    "select_pathways",
    "single_step_links",
    "solve_flows",
    "stack_transitions",
    "step_table",
    "transition_table",
]

STEP_COLUMNS = ["pathway", "step", "name", "service", "provider", "site", "setting", "budget", "unit_cost"]
ENTRY_COLUMNS = ["pathway", "step", "probability", "patients_per_year", "pathway_patients"]
TRANSITION_COLUMNS = ["pathway", "from_step", "to_step", "probability", "patients_per_year"]
TRANSITION_FLOW_COLUMNS = [*TRANSITION_COLUMNS, "share"]

_TOLERANCE = 1e-9

_STEP_LINKS = {"service": "OF_SERVICE", "provider": "DELIVERED_BY", "site": "AT_SITE", "budget": "PAID_FROM"}


def pathway_ids(graph: CareGraph, pathway: str | None = None) -> list[str]:
    """Return the pathway ids to analyse: all of them, or the one asked for.

    Raises
    ------
    networks.errors.ValidationError
        If ``pathway`` is not a pathway of the graph.

    Examples
    --------
    >>> import caregraph as cg
    >>> pathway_ids(cg.load_model("tests/fixtures/small_model"))
    ['chest-pain']
    """
    return select_pathways(graph.nodes_of("Pathway"), pathway)


def select_pathways(known: list[str], pathway: str | None = None) -> list[str]:
    """Return the pathway ids to analyse out of those a model holds (any backend).

    Parameters
    ----------
    known : list of str
        The model's pathway ids.
    pathway : str, optional
        The one asked for; all of ``known`` when omitted.

    Raises
    ------
    networks.errors.ValidationError
        If ``pathway`` is not one of ``known`` (the message lists them, sorted).

    Examples
    --------
    >>> select_pathways(["b", "a"]), select_pathways(["b", "a"], "a")
    (['b', 'a'], ['a'])
    """
    if pathway is None:
        return list(known)
    if pathway not in known:
        names = ", ".join(sorted(known)) or "none"
        raise ValidationError([Problem("pathway", None, None, f"unknown pathway '{pathway}' (known: {names})")])
    return [pathway]


def step_table(graph: CareGraph, pathway: str | None = None) -> pd.DataFrame:
    """One row per pathway step with what, who, where, which setting and who pays.

    Parameters
    ----------
    graph : CareGraph
    pathway : str, optional
        Only this pathway's steps.

    Returns
    -------
    pandas.DataFrame
        Columns ``STEP_COLUMNS``: ``step`` is the graph id of the step;
        ``service``, ``provider``, ``site`` and ``budget`` are node ids
        (``None`` where not given).

    Raises
    ------
    networks.errors.ValidationError
        A step with several services, providers, sites or budgets in force
        (dated links): analyse it as at a date rather than pick one.

    Examples
    --------
    >>> import caregraph as cg
    >>> steps = step_table(cg.load_model("tests/fixtures/small_model"))
    >>> steps.loc[steps.step == "chest-pain/pci", ["provider", "site", "budget"]].values.tolist()
    [['RTD', 'RTD01', 'nhse-spec']]
    """
    rows = []
    for pid in pathway_ids(graph, pathway):
        for step in graph.successors(pid, "HAS_STEP"):
            attrs = graph.node(step)
            row = {"pathway": pid, "step": step, "name": attrs.get("name"), "setting": attrs["setting"],
                   "unit_cost": attrs.get("unit_cost")}
            for column, rel_type in _STEP_LINKS.items():
                row[column] = graph.successors(step, rel_type)
            rows.append(row)
    return single_step_links(pd.DataFrame(rows, columns=STEP_COLUMNS))


def single_step_links(steps: pd.DataFrame) -> pd.DataFrame:
    """Replace each step's list of linked ids by the one id, or raise if a step has several.

    A cell may also hold one id already (or nothing), which is kept.

    Both backends build ``step_table`` with lists of the services, providers,
    sites and budgets linked to each step; this is where one id is kept, so a
    hand-off or crossing never rests on an arbitrary choice between two.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"step": ["p/a"], "service": [["s"]], "provider": [["RTD", "RTR"]],
    ...                       "site": [[]], "budget": [["b"]]})
    >>> single_step_links(frame)
    Traceback (most recent call last):
    ...
    networks.errors.ValidationError: 1 problem:
      step 'p/a', field 'provider': several in force (RTD, RTR); give an as-at date
    """
    problems = []
    result = steps.copy()
    for column in _STEP_LINKS:
        values = []
        for step, linked in zip(steps["step"], steps[column], strict=True):
            if isinstance(linked, (list, tuple)):
                ids = sorted({str(i) for i in linked})
            else:
                ids = [] if is_blank(linked) else [str(linked)]
            if len(ids) > 1:
                problems.append(Problem(f"step '{step}'", None, column,
                                        f"several in force ({', '.join(ids)}); give an as-at date"))
            values.append(ids[0] if ids else None)
        result[column] = pd.Series(values, index=steps.index, dtype=object)
    if problems:
        raise ValidationError(problems)
    return result


def entry_table(graph: CareGraph, pathway: str | None = None) -> pd.DataFrame:
    """One row per pathway entry point, as given in the model.

    Returns
    -------
    pandas.DataFrame
        Columns ``pathway``, ``step``, ``probability``, ``patients_per_year``
        (one of the two given) and ``pathway_patients`` (the pathway's own
        ``patients_per_year``, or NaN).
    """
    rows = []
    for pid in pathway_ids(graph, pathway):
        declared = graph.node(pid).get("patients_per_year")
        for _, step, attrs in graph.nx.out_edges(pid, data=True):
            if attrs["type"] == "STARTS_AT":
                rows.append({"pathway": pid, "step": step, "probability": attrs.get("probability"),
                             "patients_per_year": attrs.get("patients_per_year"), "pathway_patients": declared})
    return pd.DataFrame(rows, columns=ENTRY_COLUMNS).astype({c: float for c in ENTRY_COLUMNS[2:]})


def transition_table(graph: CareGraph, pathway: str | None = None) -> pd.DataFrame:
    """One row per designed transition, with its probability or volume as given.

    Returns
    -------
    pandas.DataFrame
        Columns ``pathway``, ``from_step``, ``to_step``, ``probability``,
        ``patients_per_year`` (NaN where not given).

    Examples
    --------
    >>> import caregraph as cg
    >>> transition_table(cg.load_model("tests/fixtures/small_model")).shape
    (4, 5)
    """
    rows = []
    for pid in pathway_ids(graph, pathway):
        steps = graph.successors(pid, "HAS_STEP")
        for u, v, attrs in graph.nx.out_edges(steps, data=True):
            if attrs["type"] == "NEXT":
                rows.append({"pathway": pid, "from_step": u, "to_step": v,
                             "probability": attrs.get("probability"),
                             "patients_per_year": attrs.get("patients_per_year")})
    return pd.DataFrame(rows, columns=TRANSITION_COLUMNS).astype({c: float for c in TRANSITION_COLUMNS[3:]})


@dataclass(frozen=True)
class PathwayFlows:
    """Yearly patient flows of one pathway.

    Attributes
    ----------
    pathway : str
    entrants : float
        Patients entering a year (``patients_per_year`` of the pathway, or
        the sum of entry volumes); 1.0 when the pathway gives no volume, so
        that flows read "per patient entering".
    per_patient : bool
        True when no volume was given and flows are per patient entering.
    visits : dict of str to float
        Expected yearly visits to each step.
    transitions : pandas.DataFrame
        One row per transition: ``pathway``, ``from_step``, ``to_step``,
        ``probability`` (given, or volume over the step's visits),
        ``patients_per_year`` and ``share`` (patients on the transition per
        patient entering the pathway).
    """

    pathway: str
    entrants: float
    per_patient: bool
    visits: dict[str, float]
    transitions: pd.DataFrame


def _problem(pathway: str, message: str, step: str | None = None, field: str | None = None) -> ValidationError:
    """A problem with a pathway, located at one of its steps where there is one (``step 'b'``)."""
    where = None if step is None else f"step '{step.removeprefix(pathway + '/')}'"
    return ValidationError([Problem(f"pathway '{pathway}'", where, field, message)])


def _closed_loop(steps: list[str], chain: np.ndarray) -> list[str] | None:
    """The steps of a loop patients can never leave (every branch stays in it), if there is one."""
    within = nx.DiGraph()
    within.add_nodes_from(range(len(steps)))
    within.add_edges_from(zip(*np.nonzero(chain), strict=True))
    for component in sorted(nx.strongly_connected_components(within), key=min):
        members = sorted(component)
        if len(members) == 1 and not within.has_edge(members[0], members[0]):
            continue
        stay = chain[np.ix_(members, members)].sum(axis=1)
        if np.all(stay >= 1 - _TOLERANCE):
            return [steps[i] for i in members]
    return None


def _check_outflows(pathway: str, steps: list[str], visits: np.ndarray, chain: np.ndarray,
                    leaving: np.ndarray) -> None:
    """Transitions may not carry more patients out of a step than reach it (flows cannot create patients)."""
    for i, step in enumerate(steps):
        out = chain[i].sum() * visits[i] + leaving[i]
        if out > visits[i] * (1 + _TOLERANCE) + _TOLERANCE:
            reach = f"only {visits[i]:,.1f} reach it" if visits[i] > _TOLERANCE else "no patient reaches it"
            raise _problem(pathway, f"transitions leaving the step carry {out:,.1f} patients a year, but {reach}: "
                                    "flows cannot create patients", step, "patients_per_year")


def _entries(pid: str, entries: pd.DataFrame, index: dict[str, int]) -> tuple[np.ndarray, float, bool]:
    entry = np.zeros(len(index))
    if entries.empty:
        raise _problem(pid, "the pathway has no start step")
    entries = entries.sort_values(["step", "probability", "patients_per_year"], kind="mergesort")
    volumes = entries["patients_per_year"].fillna(0.0)
    shares = entries["probability"].fillna(0.0)
    if volumes.sum() and shares.sum():
        raise _problem(pid, "start mixes probabilities and patients_per_year")
    declared = entries["pathway_patients"].iloc[0]
    per_patient = not volumes.sum() and pd.isna(declared)
    scale = 1.0 if volumes.sum() else (1.0 if per_patient else float(declared))
    for step, volume, share in zip(entries["step"], volumes, shares, strict=True):
        entry[index[step]] += volume + share * scale
    total = float(volumes.sum()) if volumes.sum() else scale
    return entry, total, bool(per_patient)


def solve_flows(pathway: str, steps: list[str], entries: pd.DataFrame, transitions: pd.DataFrame) -> PathwayFlows:
    """Solve one pathway's yearly flows from its entry and transition tables.

    This is the backend-neutral core: NetworkX and Neo4j both supply the
    same two tables (``entry_table``, ``transition_table``) and get the same
    flows. The order of the steps and of the tables' rows does not change
    the result, to the last bit (the system is set up in sorted order), so
    backends that list rows in different orders agree exactly.

    Parameters
    ----------
    pathway : str
    steps : list of str
        The pathway's step ids.
    entries, transitions : pandas.DataFrame
        This pathway's rows of ``entry_table`` and ``transition_table``.

    Returns
    -------
    PathwayFlows

    Raises
    ------
    networks.errors.ValidationError
        No start step, a loop that patients never leave, or transitions
        carrying more patients out of a step than reach it.
    """
    steps = sorted(steps)
    index = {s: i for i, s in enumerate(steps)}
    entry, entrants, per_patient = _entries(pathway, entries, index)
    chain = np.zeros((len(steps), len(steps)))
    fixed = np.zeros(len(steps))
    leaving = np.zeros(len(steps))
    moves = transitions[["from_step", "to_step", "probability", "patients_per_year"]]
    for u, v, p, volume in moves.sort_values(list(moves.columns), kind="mergesort").itertuples(index=False):
        if pd.notna(p):
            chain[index[u], index[v]] += p
        else:
            fixed[index[v]] += volume
            leaving[index[u]] += volume
    loop = _closed_loop(steps, chain)
    if loop is not None:
        names = " -> ".join(s.removeprefix(pathway + "/") for s in [*loop, loop[0]])
        raise _problem(pathway, f"patients can never leave the loop {names} (its branch probabilities keep "
                                "every patient in it)", loop[0], "probability")
    system = np.eye(len(steps)) - chain.T
    if np.linalg.matrix_rank(system) < len(steps):
        raise _problem(pathway, "patients can never leave a loop (branch probabilities of 1 round a cycle)")
    visits = np.linalg.solve(system, entry + fixed)
    _check_outflows(pathway, steps, visits, chain, leaving)
    frame = transitions[["pathway", "from_step", "to_step"]].copy()
    origin = visits[[index[u] for u in transitions["from_step"]]] if len(transitions) else np.zeros(0)
    given = transitions["probability"].to_numpy(dtype=float)
    volume = np.where(np.isnan(given), transitions["patients_per_year"].to_numpy(dtype=float), origin * given)
    with np.errstate(divide="ignore", invalid="ignore"):
        frame["probability"] = np.where(np.isnan(given), volume / origin, given)
    frame["patients_per_year"] = volume
    frame["share"] = volume / entrants
    return PathwayFlows(pathway, entrants, per_patient, {s: float(visits[index[s]]) for s in steps},
                        frame.reset_index(drop=True))


def pathway_flows(graph: CareGraph, pathway: str) -> PathwayFlows:
    """Solve a pathway's yearly flows (an absorbing Markov chain; loops allowed).

    Parameters
    ----------
    graph : CareGraph
    pathway : str
        Pathway id.

    Returns
    -------
    PathwayFlows

    Raises
    ------
    networks.errors.ValidationError
        Unknown pathway, no start step, or a loop that patients never leave
        (the chain is not absorbing).

    Examples
    --------
    >>> import caregraph as cg
    >>> flows = cg.pathway_flows(cg.load_model("tests/fixtures/small_model"), "chest-pain")
    >>> flows.transitions[["from_step", "to_step", "patients_per_year"]].round(2).values.tolist()[0]
    ['chest-pain/gp', 'chest-pain/pci', 200.0]
    """
    pathway_ids(graph, pathway)
    steps = graph.successors(pathway, "HAS_STEP")
    return solve_flows(pathway, steps, entry_table(graph, pathway), transition_table(graph, pathway))


def stack_transitions(flows: Iterable[PathwayFlows]) -> pd.DataFrame:
    """Put the solved transitions of several pathways in one frame (``TRANSITION_FLOW_COLUMNS``).

    Examples
    --------
    >>> stack_transitions([]).columns.tolist()
    ['pathway', 'from_step', 'to_step', 'probability', 'patients_per_year', 'share']
    """
    frames = [f.transitions for f in flows if not f.transitions.empty]
    if not frames:
        return pd.DataFrame(columns=TRANSITION_FLOW_COLUMNS)
    return pd.concat(frames, ignore_index=True)
