"""Applying a commissioning scenario to a copy of the model.

Each ``Change`` of a scenario (``networks.scenarios``) is applied in the
order written, and checked against the model as it stands after the ones
before it (so a pool is checked against its members' holders *before* a
later ``lead_commissioner`` change moves them). Each change edits the
model's frames (``graph_to_frames``) and the graph is rebuilt
(``graph_from_frames``), so the result passes the schema like any loaded
model.

Relationships replaced by a change are replaced whatever their dates and
new ones are undated, so apply scenarios to a model as at a date
(``appraise`` does).

Examples
--------
>>> import caregraph as cg
>>> pool = cg.Change("add_pool", {"id": "p1", "name": "Cardiac fund", "budgets": ("nhse-spec", "qhm-core"),
...                               "legal_basis": None}, "example", "scenarios[0].changes[0]")
>>> scenario = cg.Scenario("spec-pool", "Pool", changes=(pool,))
>>> g = cg.apply_scenario(cg.load_model("tests/fixtures/small_model"), scenario)
>>> g.node("p1")["legal_basis"], sorted(g.predecessors("p1", "IN_POOL"))
('s65Z5', ['nhse-spec', 'qhm-core'])
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

from networks.errors import Problem, ValidationError
from networks.frames import graph_from_frames, graph_to_frames
from networks.graph import CareGraph
from networks.scenarios import Change, Scenario

from .crossings import total_money
from .pooling import check_pool

__all__ = ["apply_scenario"]


class _Model:
    """The model as it stands during one scenario: graph and frames, with reference checks."""

    def __init__(self, graph: CareGraph, change: Change) -> None:
        self.graph = graph
        self.change = change
        self.nodes, self.edges = graph_to_frames(graph)
        self.problems: list[Problem] = []

    def need(self, node_id: str | None, label: str, field_name: str) -> None:
        """Record a problem unless ``node_id`` is a node carrying ``label``."""
        if node_id is None:
            return
        if node_id not in self.graph:
            self.problems.append(self.change.problem(field_name, f"unknown {label.lower()} '{node_id}'"))
        elif label not in self.graph.labels(node_id):
            self.problems.append(self.change.problem(
                field_name, f"'{node_id}' is a {self.graph.kind(node_id)}, expected a {label}"))

    def need_new(self, node_id: str, field_name: str) -> None:
        if node_id in self.graph:
            self.problems.append(self.change.problem(field_name, f"id '{node_id}' is already in the model"))

    def check(self) -> None:
        if self.problems:
            raise ValidationError(self.problems)

    def edge_mask(self, rel_type: str, *, source: Iterable[str] | None = None,
                  target: Iterable[str] | None = None) -> pd.Series:
        mask = self.edges["type"] == rel_type
        if source is not None:
            mask &= self.edges["source"].isin(list(source))
        if target is not None:
            mask &= self.edges["target"].isin(list(target))
        return mask

    def add(self, nodes: Sequence[Mapping[str, Any]] = (), edges: Sequence[Mapping[str, Any]] = ()) -> None:
        if nodes:
            self.nodes = pd.concat([self.nodes, pd.DataFrame(list(nodes))], ignore_index=True)
        if edges:
            self.edges = pd.concat([self.edges, pd.DataFrame(list(edges))], ignore_index=True)

    def held_by(self, holders: Iterable[str]) -> list[str]:
        """Budgets held by any of ``holders``, in graph order."""
        return list(dict.fromkeys(self.edges.loc[self.edge_mask("HELD_BY", target=holders), "source"]))


def _add_budget(m: _Model, v: Mapping[str, Any]) -> None:
    m.need_new(v["id"], "id")
    m.need(v["holder"], "Commissioner", "holder")
    m.check()
    node = {"id": v["id"], "kind": "Budget", "name": v["name"], "stream": v["stream"]}
    if v["amount_gbp"] is not None:
        node["amount_gbp"] = v["amount_gbp"]
    m.add([node], [{"source": v["id"], "target": v["holder"], "type": "HELD_BY"}])


def _add_pool(m: _Model, v: Mapping[str, Any]) -> None:
    m.need_new(v["id"], "id")
    for budget in v["budgets"]:
        m.need(budget, "Budget", "budgets")
    m.check()
    try:
        basis = check_pool(m.graph, v["budgets"], v["legal_basis"])
    except ValidationError as exc:
        raise ValidationError([m.change.problem(p.field, p.message) for p in exc.problems]) from None
    m.add([{"id": v["id"], "kind": "Pool", "name": v["name"], "legal_basis": basis}],
          [{"source": b, "target": v["id"], "type": "IN_POOL"} for b in dict.fromkeys(v["budgets"])])


def _lead_commissioner(m: _Model, v: Mapping[str, Any]) -> None:
    m.need(v["lead"], "Commissioner", "lead")
    for budget in v["budgets"] or ():
        m.need(budget, "Budget", "budgets")
    for commissioner in v["commissioners"] or ():
        m.need(commissioner, "Commissioner", "commissioners")
    m.check()
    budgets = list(v["budgets"] or m.held_by(v["commissioners"]))
    if not budgets:
        raise ValidationError([m.change.problem("commissioners", "they hold no budget")])
    m.edges = m.edges.loc[~m.edge_mask("HELD_BY", source=budgets)]
    m.add(edges=[{"source": b, "target": v["lead"], "type": "HELD_BY"} for b in dict.fromkeys(budgets)])


def _merge_commissioners(m: _Model, v: Mapping[str, Any]) -> None:
    into, merged = v["into"], list(dict.fromkeys(v["commissioners"]))
    m.need(into, "Commissioner", "into")
    for commissioner in merged:
        m.need(commissioner, "Commissioner", "commissioners")
    if into in merged:
        m.problems.append(m.change.problem("commissioners", f"'{into}' cannot merge into itself"))
    m.check()
    own = m.held_by([into])
    budgets = own + [b for b in m.held_by(merged) if b not in own]
    edges = m.edges.assign(_moved=m.edge_mask("HELD_BY", target=merged) | m.edge_mask("COMMISSIONS", source=merged))
    edges.loc[edges["_moved"] & (edges["type"] == "HELD_BY"), "target"] = into
    edges.loc[edges["_moved"] & (edges["type"] == "COMMISSIONS"), "source"] = into
    m.edges = edges.sort_values("_moved", kind="mergesort").drop(columns="_moved")
    streams = m.nodes.set_index("id")["stream"] if budgets else pd.Series(dtype=object)
    for stream in v["combine_streams"]:
        same = [b for b in budgets if streams[b] == stream]
        if same:
            _combine(m, same[0], same[1:])
    m.edges = m.edges.drop_duplicates(["source", "target", "type", "valid_from"]
                                      if "valid_from" in m.edges else ["source", "target", "type"])


def _combine(m: _Model, keeper: str, others: list[str]) -> None:
    """Make ``others`` part of ``keeper``: their steps, pool memberships and known amounts."""
    if not others:
        return
    if "amount_gbp" in m.nodes:
        amounts = m.nodes.loc[m.nodes["id"].isin([keeper, *others]), "amount_gbp"]
        m.nodes.loc[m.nodes["id"] == keeper, "amount_gbp"] = total_money(amounts) if amounts.notna().any() else None
    moving = m.edge_mask("PAID_FROM", target=others) | m.edge_mask("IN_POOL", source=others)
    m.edges.loc[moving & (m.edges["type"] == "PAID_FROM"), "target"] = keeper
    m.edges.loc[moving & (m.edges["type"] == "IN_POOL"), "source"] = keeper
    gone = m.edges["source"].isin(others) | m.edges["target"].isin(others)
    m.edges = m.edges.loc[~gone]
    m.nodes = m.nodes.loc[~m.nodes["id"].isin(others)]


def _delegate(m: _Model, v: Mapping[str, Any]) -> None:
    m.need(v["service"], "Service", "service")
    m.need(v["to"], "Commissioner", "to")
    m.need(v["from"], "Commissioner", "from")
    m.check()
    if v["from"] is not None and not m.edge_mask("COMMISSIONS", source=[v["from"]], target=[v["service"]]).any():
        raise ValidationError([m.change.problem("from", f"'{v['from']}' does not commission '{v['service']}'")])
    stop = [c for c in (v["from"], v["to"]) if c is not None]
    m.edges = m.edges.loc[~m.edge_mask("COMMISSIONS", source=stop, target=[v["service"]])]
    m.add(edges=[{"source": v["to"], "target": v["service"], "type": "COMMISSIONS", "status": v["status"],
                  "tier": v["tier"]}])


def _reassign_steps(m: _Model, v: Mapping[str, Any]) -> None:
    m.need(v["budget"], "Budget", "budget")
    m.need(v["pathway"], "Pathway", "pathway")
    m.need(v["service"], "Service", "service")
    m.need(v["from_budget"], "Budget", "from_budget")
    for local in v["steps"] or ():
        m.need(f"{v['pathway']}/{local}", "Step", "steps")
    m.check()
    steps = m.nodes.reindex(columns=["id", "kind", "pathway"]).loc[lambda n: n["kind"] == "Step"]
    chosen = set(steps["id"])
    if v["pathway"] is not None:
        chosen &= set(steps.loc[steps["pathway"] == v["pathway"], "id"])
    if v["steps"] is not None:
        chosen &= {f"{v['pathway']}/{local}" for local in v["steps"]}
    for value, rel_type in ((v["service"], "OF_SERVICE"), (v["from_budget"], "PAID_FROM")):
        if value is not None:
            chosen &= set(m.edges.loc[m.edge_mask(rel_type, target=[value]), "source"])
    if not chosen:
        raise ValidationError([m.change.problem(None, "the selection matches no step")])
    m.edges = m.edges.loc[~m.edge_mask("PAID_FROM", source=chosen)]
    m.add(edges=[{"source": s, "target": v["budget"], "type": "PAID_FROM"} for s in sorted(chosen)])


_APPLY: dict[str, Callable[[_Model, Mapping[str, Any]], None]] = {
    "add_budget": _add_budget,
    "add_pool": _add_pool,
    "lead_commissioner": _lead_commissioner,
    "merge_commissioners": _merge_commissioners,
    "delegate": _delegate,
    "reassign_steps": _reassign_steps,
}


def apply_scenario(graph: CareGraph, scenario: Scenario) -> CareGraph:
    """Return a copy of ``graph`` with the scenario's changes applied in order.

    Each change edits the model's frames (``graph_to_frames``) and the graph
    is rebuilt (``graph_from_frames``), so the result passes the schema
    like any loaded model.

    Parameters
    ----------
    graph : CareGraph
        The model (left unchanged).
    scenario : Scenario

    Returns
    -------
    CareGraph

    Raises
    ------
    networks.errors.ValidationError
        The first change that does not fit the model (unknown or wrong-kind
        ids, a pool the law does not allow, a selection of no steps), its
        problems naming the scenario file, the change's YAML path and field.
    """
    current = graph.copy()
    for change in scenario.changes:
        model = _Model(current, change)
        _APPLY[change.kind](model, change.values)
        try:
            current = graph_from_frames(model.nodes, model.edges, name=graph.name)
        except ValidationError as exc:
            raise ValidationError([change.problem(None, f"the changed model is invalid: {p}")
                                   for p in exc.problems]) from None
    return current
