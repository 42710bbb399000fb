"""Commissioning scenarios: a YAML file of changes to who commissions and who pays.

A scenario file describes options to compare (seed 003's six ways of
commissioning in Cornwall, an ICB merger, a delegation plan). Each scenario
is a list of *changes*, applied in the order written to a copy of the model;
each change is checked against the model as it stands after the ones before
it (so a pool is checked against its members' holders *before* a later
``lead_commissioner`` change moves them).

File format::

    scenarios:
      - id: lead-ccg                  # unique; "baseline" is reserved
        name: CCG as lead commissioner  # optional
        description: ...                # optional
        changes:                        # optional; none = the model as it is
          - add_budget: {id: bud-cyp, name: CYP health, stream: icb_core, holder: 11N}
          - reassign_steps: {budget: bud-cyp, pathway: cyp-mh, from_budget: bud-core}
          - add_pool: {id: pool-isc, name: One fund, budgets: [bud-core, bud-asc], legal_basis: s75}
          - lead_commissioner: {lead: 11N, budgets: [bud-asc]}
          - merge_commissioners: {into: QT6, commissioners: [QJK], combine_streams: [icb_core]}
          - delegate: {service: svc-pci, from: X24, to: QHM, status: delegated, tier: ics}

The changes (``CHANGE_FIELDS`` lists every field):

``add_budget``
    a new budget (``id``, ``name``, ``stream``, ``holder``, optional
    ``amount_gbp``), e.g. to split a budget by age group.
``add_pool``
    a new pool of ``budgets`` (two or more). ``legal_basis`` is optional
    (default: the first the law allows) and the pool is refused if the law
    does not allow its budgets' holders to pool (``legal_bases``).
``lead_commissioner``
    a lead commissioner takes over budgets: every holder (``HELD_BY``) of
    the listed ``budgets``, or of every budget held by the listed
    ``commissioners``, is replaced by ``lead``.
``merge_commissioners``
    the ``commissioners`` merge into ``into`` (e.g. the ICB mergers of
    2026-04-01): their budgets become ``into``'s and their ``COMMISSIONS``
    relationships move to it. For each stream in ``combine_streams``
    (optional, e.g. ``[icb_core]``), ``into``'s budgets of that stream then
    become one budget: the first of ``into``'s own (else the first merged
    one, in list order) keeps its id and takes the others' steps, pool
    memberships and the sum of their known ``amount_gbp``; the others are
    removed. Other streams keep their budgets apart (a merged ICB still
    makes one Better Care Fund contribution per council).
``delegate``
    ``to`` commissions ``service`` with ``status`` (default ``delegated``)
    and ``tier`` (default ``ics``), replacing any relationship ``to``
    already had with it; ``from``, if given, stops commissioning it.
``reassign_steps``
    steps are paid from ``budget`` instead: those of ``pathway`` (only the
    listed ``steps``, local ids, if given), of ``service`` and/or now paid
    from ``from_budget``; at least one selector, and all given must match.

Relationships replaced by a change are replaced whatever their dates and
new ones are undated, so apply scenarios to a model as at a date
(``appraise`` does) when the model is dated.

Examples
--------
>>> import tempfile, pathlib
>>> from loaders import load_model
>>> path = pathlib.Path(tempfile.mkdtemp()) / "scenarios.yaml"
>>> _ = path.write_text('''
... scenarios:
...   - id: spec-pool
...     changes:
...       - add_pool: {id: p1, name: Cardiac fund, budgets: [nhse-spec, qhm-core]}
... ''')
>>> (scenario,) = read_scenarios(path)
>>> g = apply_scenario(load_model("tests/fixtures/small_model"), scenario)
>>> g.node("p1")["legal_basis"], sorted(g.predecessors("p1", "IN_POOL"))
('s65Z5', ['nhse-spec', 'qhm-core'])
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from networks import (
    BUDGET_STREAMS,
    COMMISSIONING_STATUSES,
    PLANNING_TIERS,
    POOL_LEGAL_BASES,
    CareGraph,
    Problem,
    ValidationError,
    YAMLDocumentReader,
    YAMLProblem,
    graph_from_frames,
    graph_to_frames,
    parse_yaml,
)

from .crossings import find_budget_crossings, total_money
from .handoffs import handoff_summary
from .pooling import check_pool

__all__ = [
    "APPRAISAL_COLUMNS",
    "BASELINE",
    "CHANGE_FIELDS",
    "Change",
    "FieldSpec",
    "Scenario",
    "apply_scenario",
    "appraise",
    "read_scenarios",
]

log = logging.getLogger(__name__)

BASELINE = "baseline"
APPRAISAL_COLUMNS = ["scenario", "name", "changes", "handoffs_per_year", "handoffs_per_patient", "crossings",
                     "patients_crossing", "money_crossing", "crossings_per_patient", "handoffs_change",
                     "crossings_change", "patients_crossing_change", "money_crossing_change"]


@dataclass(frozen=True)
class FieldSpec:
    """One field of a change: its type (``id``, ``ids``, ``text`` or ``number``), need, choices and default."""

    type: str = "id"
    required: bool = False
    choices: tuple[str, ...] | None = None
    default: Any = None


CHANGE_FIELDS: dict[str, dict[str, FieldSpec]] = {
    "add_budget": {"id": FieldSpec(required=True), "name": FieldSpec("text", True),
                   "stream": FieldSpec(required=True, choices=BUDGET_STREAMS), "holder": FieldSpec(required=True),
                   "amount_gbp": FieldSpec("number")},
    "add_pool": {"id": FieldSpec(required=True), "name": FieldSpec("text", True),
                 "budgets": FieldSpec("ids", True), "legal_basis": FieldSpec(choices=POOL_LEGAL_BASES)},
    "lead_commissioner": {"lead": FieldSpec(required=True), "budgets": FieldSpec("ids"),
                          "commissioners": FieldSpec("ids")},
    "merge_commissioners": {"into": FieldSpec(required=True), "commissioners": FieldSpec("ids", True),
                            "combine_streams": FieldSpec("ids", choices=BUDGET_STREAMS, default=())},
    "delegate": {"service": FieldSpec(required=True), "to": FieldSpec(required=True), "from": FieldSpec(),
                 "status": FieldSpec(choices=COMMISSIONING_STATUSES, default="delegated"),
                 "tier": FieldSpec(choices=PLANNING_TIERS, default="ics")},
    "reassign_steps": {"budget": FieldSpec(required=True), "pathway": FieldSpec(), "steps": FieldSpec("ids"),
                       "service": FieldSpec(), "from_budget": FieldSpec()},
}
"""Every change kind and its fields."""

_SCENARIO_KEYS = ("id", "name", "description", "changes")


@dataclass(frozen=True)
class Change:
    """One change of a scenario: its kind, checked values (defaults filled in) and where it was written."""

    kind: str
    values: Mapping[str, Any]
    file: str
    where: str

    def problem(self, field_name: str | None, message: str) -> Problem:
        """A problem located at this change."""
        return Problem(self.file, self.where, field_name, message)


@dataclass(frozen=True)
class Scenario:
    """A named list of changes to apply to a copy of the model."""

    id: str
    name: str
    description: str = ""
    changes: tuple[Change, ...] = field(default_factory=tuple)


class _Reader(YAMLDocumentReader):
    def value(self, spec: FieldSpec, value: Any, where: str, name: str) -> Any:
        """Check and convert one field; return None (and record a problem) when it is wrong."""
        if spec.type in ("id", "text"):
            if isinstance(value, bool) or not isinstance(value, (str, int)) or not str(value).strip():
                self.problem(where, name, "expected non-blank text")
                return None
            text = str(value).strip()
            if spec.choices is not None and text not in spec.choices:
                self.problem(where, name, f"'{text}' is not one of: {', '.join(spec.choices)}")
                return None
            return text
        if spec.type == "ids":
            items = value if isinstance(value, list) else None
            if not items or any(isinstance(i, bool) or not isinstance(i, (str, int)) or not str(i).strip()
                                for i in items):
                self.problem(where, name, "expected a non-empty list of ids")
                return None
            values = tuple(str(i).strip() for i in items)
            wrong = [v for v in values if spec.choices is not None and v not in spec.choices]
            if wrong:
                self.problem(where, name, f"'{wrong[0]}' is not one of: {', '.join(spec.choices or ())}")
                return None
            return values
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            self.problem(where, name, "expected a number of at least 0")
            return None
        return float(value)

    def change(self, item: Any, where: str) -> Change | None:
        if not isinstance(item, Mapping) or len(item) != 1:
            self.problem(where, None, f"expected one change: a mapping with one key of {', '.join(CHANGE_FIELDS)}")
            return None
        ((kind, body),) = item.items()
        if kind not in CHANGE_FIELDS:
            self.problem(where, str(kind), f"unknown change; allowed: {', '.join(CHANGE_FIELDS)}")
            return None
        where = f"{where}.{kind}"
        specs = CHANGE_FIELDS[kind]
        given = self.mapping(body, where, specs)
        if given is None:
            return None
        before = len(self.problems)
        values: dict[str, Any] = {}
        for name, spec in specs.items():
            if name in given and given[name] is not None:
                values[name] = self.value(spec, given[name], where, name)
            elif spec.required:
                self.problem(where, name, "required value is missing")
            else:
                values[name] = spec.default
        self._rules(kind, values, where)
        return Change(kind, values, self.file, where) if len(self.problems) == before else None

    def _rules(self, kind: str, values: dict[str, Any], where: str) -> None:
        if kind == "add_pool" and values.get("budgets") and len(set(values["budgets"])) < 2:
            self.problem(where, "budgets", "a pool needs two or more different budgets")
        if kind == "lead_commissioner" and (values["budgets"] is None) == (values["commissioners"] is None):
            self.problem(where, "budgets", "give exactly one of budgets or commissioners")
        if kind == "reassign_steps":
            if values["steps"] is not None and values["pathway"] is None:
                self.problem(where, "steps", "steps are local ids: give their pathway too")
            if values["pathway"] is None and values["service"] is None and values["from_budget"] is None:
                self.problem(where, None, "select steps by pathway, service and/or from_budget")

    def scenarios(self, document: Any) -> list[Scenario]:
        top = self.mapping(document, None, ("scenarios",))
        if top is None:
            return []
        items = top.get("scenarios")
        if not isinstance(items, list) or not items:
            self.problem("scenarios", None, "expected a non-empty list of scenarios")
            return []
        result: list[Scenario] = []
        seen: dict[str, str] = {}
        for i, item in enumerate(items):
            where = f"scenarios[{i}]"
            body = self.mapping(item, where, _SCENARIO_KEYS)
            if body is None:
                continue
            sid = self.value(FieldSpec(), body["id"], where, "id") if "id" in body else None
            if "id" not in body:
                self.problem(where, "id", "required value is missing")
            elif sid == BASELINE:
                self.problem(where, "id", f"'{BASELINE}' is reserved for the model as it is")
            elif sid in seen:
                self.problem(where, "id", f"duplicate scenario id '{sid}' (first at {seen[sid]})")
            elif sid is not None:
                seen[sid] = where
            texts = {key: self.value(FieldSpec("text"), body[key], where, key) if body.get(key) is not None else ""
                     for key in ("name", "description")}
            raw = body.get("changes") or []
            if not isinstance(raw, list):
                self.problem(where, "changes", "expected a list of changes")
                raw = []
            changes = [self.change(c, f"{where}.changes[{j}]") for j, c in enumerate(raw)]
            if sid is not None:
                result.append(Scenario(sid, texts["name"] or sid, texts["description"] or "",
                                       tuple(c for c in changes if c is not None)))
        return result


def read_scenarios(path: str | Path) -> list[Scenario]:
    """Read and check a scenario file.

    Parameters
    ----------
    path : str or Path
        A YAML file in the format of the module notes.

    Returns
    -------
    list of Scenario
        In file order.

    Raises
    ------
    networks.ValidationError
        Every problem in the file at once, each naming the file, the YAML
        path (``scenarios[2].changes[0].add_pool``) and the field.
        References to the model are checked by ``apply_scenario``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "bad.yaml"
    >>> _ = path.write_text("scenarios:\\n  - id: a\\n    changes:\\n      - add_pool: {id: p, budgets: [x]}\\n")
    >>> read_scenarios(path)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    networks.errors.ValidationError: 2 problems:
      ...bad.yaml, scenarios[0].changes[0].add_pool, field 'name': required value is missing
      ...bad.yaml, scenarios[0].changes[0].add_pool, field 'budgets': a pool needs two or more different budgets
    """
    label = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationError([Problem(label, None, None, f"cannot be read: {exc}")]) from None
    try:
        document = parse_yaml(text)
    except YAMLProblem as exc:
        raise ValidationError([Problem(label, exc.where, None, exc.message)]) from None
    reader = _Reader(label)
    scenarios = reader.scenarios(document)
    if reader.problems:
        raise ValidationError(reader.problems)
    return scenarios


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
    networks.ValidationError
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


def _measure(graph: CareGraph, by: str) -> dict[str, float]:

    handoffs = handoff_summary(graph, by=by)
    crossings = find_budget_crossings(graph)
    if handoffs["per_patient"].nunique() > 1:
        log.warning("totals add per-patient shares of pathways without volumes to yearly patients of others")
    entrants = math.fsum(handoffs["entrants"])
    per_year = math.fsum(handoffs["handoffs_per_year"])
    patients = math.fsum(crossings["patients_per_year"])
    return {"handoffs_per_year": per_year, "handoffs_per_patient": per_year / entrants if entrants else math.nan,
            "crossings": len(crossings), "patients_crossing": patients,
            "money_crossing": total_money(crossings["money"]),
            "crossings_per_patient": patients / entrants if entrants else math.nan}


def appraise(
    graph: CareGraph, scenarios: Sequence[Scenario], *, as_at: str | None = None, by: str = "provider"
) -> pd.DataFrame:
    """Compare commissioning scenarios: hand-offs and budget crossings, against the model as it is.

    Parameters
    ----------
    graph : CareGraph
    scenarios : sequence of Scenario
        From ``read_scenarios``.
    as_at : str, optional
        ISO date: the model in force that day is the baseline, and each
        scenario is applied to it. ``None`` reads the model as given.
    by : str
        What a hand-off is (``pathways.handoffs.BY_OPTIONS``).

    Returns
    -------
    pandas.DataFrame
        Columns ``APPRAISAL_COLUMNS``, one row per scenario with the
        ``"baseline"`` first: ``changes`` (how many), ``handoffs_per_year``
        (patients a year on hand-off transitions, all pathways),
        ``handoffs_per_patient`` (that over all entrants), ``crossings``
        (transitions crossing a budget boundary), ``patients_crossing``,
        ``money_crossing`` (``total_money``), ``crossings_per_patient``, and
        the change of hand-offs, crossings, patients and money against the
        baseline.

    Raises
    ------
    networks.ValidationError
        As ``apply_scenario``, ``find_budget_crossings`` and
        ``find_handoffs``.

    Examples
    --------
    >>> from loaders import load_model
    >>> pool = Scenario("spec-pool", "Pool specialised and ICB money", changes=(
    ...     Change("add_pool", {"id": "p1", "name": "Fund", "budgets": ("nhse-spec", "qhm-core"),
    ...                         "legal_basis": None}, "example", "scenarios[0].changes[0]"),))
    >>> table = appraise(load_model("tests/fixtures/small_model"), [pool])
    >>> table[["scenario", "crossings", "crossings_change"]].values.tolist()
    [['baseline', 3, 0], ['spec-pool', 1, -2]]
    """
    view = graph if as_at is None else graph.as_at(as_at)
    rows = [{"scenario": BASELINE, "name": "the model as it is", "changes": 0, **_measure(view, by)}]
    for scenario in scenarios:
        rows.append({"scenario": scenario.id, "name": scenario.name, "changes": len(scenario.changes),
                     **_measure(apply_scenario(view, scenario), by)})
    frame = pd.DataFrame(rows)
    base = frame.iloc[0]
    for column, change in (("handoffs_per_year", "handoffs_change"), ("crossings", "crossings_change"),
                           ("patients_crossing", "patients_crossing_change"),
                           ("money_crossing", "money_crossing_change")):
        frame[change] = frame[column] - base[column]
    return frame.reindex(columns=APPRAISAL_COLUMNS)
