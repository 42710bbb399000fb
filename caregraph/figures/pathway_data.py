"""What a pathway diagram shows, read from the analyses (never computed by the drawing).

``pathway_picture`` gathers, for one pathway as at one date: each step with
its name, setting, provider, budget, yearly visits and the patients leaving
the pathway there; each transition with its yearly patients, whether it is
a hand-off (``pathways.handoffs.find_handoffs``) and whether it crosses a
budget boundary with the money crossing
(``pathways.crossings.find_budget_crossings``); the swimlane each step is
in; and the pools in force joining budget lanes.

Examples
--------
>>> import caregraph as cg
>>> picture = pathway_picture(cg.load_model("tests/fixtures/small_model"), "chest-pain", "budget",
...                           as_at="2024-06-01")
>>> sorted((m.source, m.target) for m in picture.moves if m.crossing)[:1]
[('chest-pain/care', 'chest-pain/pci')]
>>> [group.lanes for group in picture.pools]
[('la-asc', 'qhm-core')]
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from networks.choices import check_choice
from networks.dates import AsAt, resolve_as_at
from networks.errors import Problem, ValidationError
from networks.graph import CareGraph
from networks.pathway_flows import entry_table, pathway_flows, step_table
from networks.values import is_blank
from pathways.crossings import find_budget_crossings
from pathways.handoffs import find_handoffs
from pathways.tables import budget_table, pool_table

from .choices import LANE_OPTIONS

__all__ = ["START", "Lane", "Move", "PathwayPicture", "PoolGroup", "StepBox", "pathway_picture"]

START = "<patients entering>"
"""The node patients enter from (a step id always holds its pathway's id and a '/')."""

_LEAVING_TOLERANCE = 1e-9


@dataclass(frozen=True)
class StepBox:
    """One step as its box shows it."""

    id: str
    name: str
    setting: str
    budget: str
    provider: str
    detail: str  # the provider or budget the lanes do not already show, name beside code
    visits: float
    leaving: float
    lane: str
    marker: bool = False  # a continuation marker for a step on another page: ``detail`` says which page


@dataclass(frozen=True)
class Move:
    """One arrow: a transition (or the entry into a start step) and what the analyses found on it."""

    source: str
    target: str
    patients: float
    share: float
    handoff: bool = False
    crossing: bool = False
    money: float = math.nan


@dataclass(frozen=True)
class Lane:
    key: str
    label: str


@dataclass(frozen=True)
class PoolGroup:
    """Budgets of the pathway joined by pools in force (framed together when the lanes are budgets)."""

    label: str
    lanes: tuple[str, ...]  # budget ids


@dataclass(frozen=True)
class PathwayPicture:
    pathway: str
    title: str
    lanes_by: str | None
    by: str
    day: str | None
    per_patient: bool
    entrants: float
    steps: dict[str, StepBox]
    moves: list[Move]
    lanes: dict[str, Lane]
    pools: list[PoolGroup]
    budgets: dict[str, str]  # each budget paying for a step: its name and its holder's code
    providers: dict[str, str]  # each provider of a step: its name and code
    biggest: float = 0.0  # the patients a year drawn as the widest arrow (0: the biggest flow of ``moves``)
    page: tuple[int, int] | None = None  # one page of several (``figures.pathway_pages``): (number, of how many)


def _named(graph: CareGraph, node: str | None) -> str:
    """A node's name beside its code: ``Freeman Hospital (RTD01)``."""
    if node is None or is_blank(node):
        return "not given"
    name = graph.node(node).get("name") if node in graph else None
    return f"{name} ({node})" if name and name != node else str(node)


def _budget_labels(budgets: pd.DataFrame, day: str | None) -> dict[str, str]:
    """Each budget's name beside its holder's code: ``NHS England specialised commissioning (X24)``."""
    unheld = "no holder in force" + (f" on {day}" if day else "")
    return {str(budget): f"{name if not is_blank(name) else budget} ({unheld if is_blank(holder) else holder})"
            for budget, name, holder in budgets[["budget", "name", "holder"]].itertuples(index=False)}


def _lane_keys(steps: pd.DataFrame, lanes: str | None) -> pd.Series:
    column = {"organisation": "provider", "budget": "budget", "setting": "setting", None: None}[lanes]
    if column is None:
        return pd.Series("", index=steps["step"].to_numpy())
    return pd.Series(steps[column].fillna("not given").astype(str).to_numpy(), index=steps["step"].to_numpy())


def _lane_label(graph: CareGraph, key: str, lanes: str | None, budgets: dict[str, str]) -> str:
    if lanes == "budget":
        return budgets.get(key, key)
    if lanes == "setting":
        return key.replace("_", " ").capitalize()
    return _named(graph, key) if lanes == "organisation" else ""


def _moves(graph: CareGraph, pathway: str, day: str | None, by: str) -> tuple[list[Move], dict[str, float], float,
                                                                             bool]:
    """The arrows with their patients, hand-offs and crossings; visits per step; entrants; per patient."""
    flows = pathway_flows(graph if day is None else graph.as_at(day), pathway)
    when = "all" if day is None else day
    handoffs = find_handoffs(graph, pathway, by=by, as_at=when)
    crossings = find_budget_crossings(graph, pathway, as_at=when)
    handed = set(zip(handoffs["from_step"], handoffs["to_step"], strict=True))
    money = {(u, v): m for u, v, m in zip(crossings["from_step"], crossings["to_step"], crossings["money_gbp"],
                                          strict=True)}
    summed = flows.transitions.groupby(["from_step", "to_step"], sort=True, as_index=False)[
        ["patients_per_year", "share"]].sum()
    moves = [Move(u, v, float(p), float(s), (u, v) in handed, (u, v) in money, float(money.get((u, v), math.nan)))
             for u, v, p, s in summed.itertuples(index=False)]
    entries = entry_table(graph if day is None else graph.as_at(day), pathway)
    starts = entries.groupby("step", sort=True, as_index=False)[["probability", "patients_per_year"]].sum()
    for step, probability, volume in starts.itertuples(index=False):
        share = volume / flows.entrants if volume else probability
        moves.append(Move(START, str(step), float(share * flows.entrants), float(share)))
    return moves, flows.visits, flows.entrants, flows.per_patient


def _leaving(pathway: str, visits: dict[str, float], moves: list[Move]) -> dict[str, float]:
    """Patients a year leaving the pathway at each step: its visits less what goes on."""
    onward = {step: 0.0 for step in visits}
    for move in moves:
        if move.source != START:
            onward[move.source] += move.patients
    problems = [Problem(f"pathway '{pathway}'", f"step '{step}'", "patients_per_year",
                        f"transitions carry {onward[step]:.4g} patients a year out of a step visited {seen:.4g} times")
                for step, seen in visits.items() if onward[step] - seen > _LEAVING_TOLERANCE * max(1.0, seen)]
    if problems:
        raise ValidationError(problems)
    return {step: max(0.0, seen - onward[step]) for step, seen in visits.items()}


def _pool_groups(pools: pd.DataFrame, present: set[str]) -> list[PoolGroup]:
    """Pools joining two or more of the pathway's budgets; pools sharing a budget form one group."""
    groups: list[tuple[set[str], list[str]]] = []
    for name, basis, members in pools[["name", "legal_basis", "members"]].itertuples(index=False):
        lanes = set(members) & present
        if len(lanes) < 2:
            continue
        label = f"{name} ({basis})"
        joined = [g for g in groups if g[0] & lanes]
        for g in joined:
            groups.remove(g)
        groups.append((lanes.union(*(g[0] for g in joined)), [*(n for g in joined for n in g[1]), label]))
    return [PoolGroup("Pooled: " + "; ".join(labels), tuple(sorted(lanes))) for lanes, labels in groups]


def pathway_picture(graph: CareGraph, pathway: str, lanes: str | None = "organisation", *, by: str = "provider",
                    as_at: AsAt = None) -> PathwayPicture:
    """Gather what ``plot_pathway`` draws for one pathway (see the module notes).

    Raises
    ------
    networks.errors.ArgumentError
        Unknown ``lanes`` or ``by``, or a bad ``as_at``.
    networks.errors.ValidationError
        As the analyses: unknown pathway, no start step, a loop patients
        never leave, a step without a budget; or transitions carrying more
        patients out of a step than visit it.
    """
    if lanes is not None:
        check_choice("lanes", lanes, LANE_OPTIONS)
    day = resolve_as_at(as_at)
    view = graph if day is None else graph.as_at(day)
    moves, visits, entrants, per_patient = _moves(graph, pathway, day, by)
    steps = step_table(view, pathway)
    budgets = budget_table(view)
    budget_labels = _budget_labels(budgets, day)
    lane_of = _lane_keys(steps, lanes)
    leaving = _leaving(pathway, visits, moves)
    boxes: dict[str, StepBox] = {}
    for step, name, setting, budget, provider in steps[["step", "name", "setting", "budget", "provider"]].itertuples(
            index=False):
        step, budget = str(step), str(budget)
        who = "not given" if is_blank(provider) else str(provider)
        detail = budget_labels.get(budget, budget) if lanes == "organisation" else _named(view, who)
        boxes[step] = StepBox(step, name if isinstance(name, str) else step.split("/", 1)[1], str(setting), budget,
                              who, detail, visits[step], leaving[step], str(lane_of[step]))
    lane_table = {key: Lane(key, _lane_label(view, key, lanes, budget_labels)) for key in sorted(set(lane_of))}
    groups = _pool_groups(pool_table(view), {box.budget for box in boxes.values()})
    title = view.node(pathway).get("name") or pathway
    used = {box.budget: budget_labels.get(box.budget, box.budget) for box in boxes.values()}
    providers = {box.provider: _named(view, box.provider) for box in boxes.values()}
    return PathwayPicture(pathway, title, lanes, by, day, per_patient, entrants, boxes, moves, lane_table, groups,
                          dict(sorted(used.items())), dict(sorted(providers.items())))
