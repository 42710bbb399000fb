"""Reading one care pathway from a YAML file into graph records.

A pathway file is written for people, not graphs: a list of steps (what
happens, who does it, where, in which setting, paid from which budget) and
a list of transitions (from one step to another, with a branch probability
or patients per year). Loops such as readmissions are allowed. Step ids are
local to the file; in the graph a step's id is ``<pathway id>/<step id>``.

A step's ``service``, ``provider``, ``site`` or ``budget`` may change over
time: give a list instead of one id, each entry an id (in force as long as
that node is) or a mapping ``{id, valid_from, valid_to}`` dating the link
itself (a single mapping needs no list). An analysis as at a date then sees
the one entry in force.

Examples
--------
>>> text = '''
... id: demo
... name: Demo pathway
... start: gp
... steps:
...   - {id: gp, service: gp, provider: P1, setting: primary, budget: B1}
... '''
>>> nodes, edges, problems = pathway_records(text, "demo.yaml")
>>> [n.id for n in nodes], sorted(e.type for e in edges), problems
(['demo', 'demo/gp'], ['DELIVERED_BY', 'HAS_STEP', 'OF_SERVICE', 'PAID_FROM', 'STARTS_AT'], [])

The GP's budget moves from one commissioner to its successor:

>>> text = text.replace("budget: B1", "budget: [{id: B1, valid_to: 2019-03-31}, {id: B2, valid_from: 2019-04-01}]")
>>> nodes, edges, problems = pathway_records(text, "demo.yaml")
>>> [(e.target, sorted(e.properties)) for e in edges if e.type == "PAID_FROM"]
[('B1', ['valid_to']), ('B2', ['valid_from'])]
"""

from __future__ import annotations

import math
from typing import Any

import networkx as nx

from networks.errors import Problem
from networks.records import EdgeRecord, NodeRecord, Origin
from networks.values import is_blank

from .yaml_reader import YAMLDocumentReader, YAMLProblem, parse_yaml

__all__ = ["LINK_KEYS", "PATHWAY_KEYS", "START_KEYS", "STEP_KEYS", "TRANSITION_KEYS", "pathway_records", "step_id"]

PATHWAY_KEYS = ("id", "name", "condition", "patients_per_year", "valid_from", "valid_to", "start",
                "steps", "transitions")
STEP_KEYS = ("id", "name", "service", "provider", "site", "setting", "budget", "unit_cost")
TRANSITION_KEYS = ("from", "to", "probability", "patients_per_year", "valid_from", "valid_to")
START_KEYS = ("step", "probability", "patients_per_year")
LINK_KEYS = ("id", "valid_from", "valid_to")
_STEP_REFERENCES = (("service", "OF_SERVICE", True), ("provider", "DELIVERED_BY", True),
                    ("site", "AT_SITE", False), ("budget", "PAID_FROM", True))


def step_id(pathway: str, step: str) -> str:
    """Return the graph id of a pathway step.

    Examples
    --------
    >>> step_id("cardiology", "echo")
    'cardiology/echo'
    """
    return f"{pathway}/{step}"


class _Reader(YAMLDocumentReader):
    def __init__(self, label: str) -> None:
        super().__init__(label)
        self.nodes: list[NodeRecord] = []
        self.edges: list[EdgeRecord] = []
        self.rejected: set[tuple[str, str]] = set()

    def missing(self, path: str, key: str) -> None:
        """Report a required value as missing, unless it was given and already reported as unusable."""
        if (path, key) not in self.rejected:
            self.problem(path, key, "required value is missing")

    def items(self, value: Any, path: str) -> list[Any]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(path, None, "expected a list")
            return []
        return value

    def checked(self, values: dict[str, Any], path: str, linked: tuple[str, ...] = ()) -> dict[str, Any]:
        """Drop, and report, values that cannot be right whatever the schema says: lists or mappings where one
        id or number belongs, and NaN or infinite numbers (YAML's ``.nan``, ``.inf``)."""
        kept = {}
        for key, value in values.items():
            if isinstance(value, (list, dict)) and key not in linked:
                self.problem(path, key, f"expected a single value, not a {type(value).__name__}")
                self.rejected.add((path, key))
            elif isinstance(value, float) and not math.isfinite(value):
                shown = ".nan" if math.isnan(value) else ".inf" if value > 0 else "-.inf"
                self.problem(path, key, f"'{shown}' is not a finite number")
                self.rejected.add((path, key))
            else:
                kept[key] = value
        return kept


def _parse(text: str, reader: _Reader) -> Any:
    try:
        return parse_yaml(text)
    except YAMLProblem as exc:
        reader.problem(exc.where, None, exc.message)
        return None


def _steps(doc: dict[str, Any], pid: str, reader: _Reader) -> dict[str, str]:
    """Read the steps; return local step id -> YAML path."""
    seen: dict[str, str] = {}
    for i, raw in enumerate(reader.items(doc.get("steps"), "steps")):
        path = f"steps[{i}]"
        step = reader.mapping(raw, path, STEP_KEYS)
        if step is None:
            continue
        step = reader.checked(step, path, tuple(key for key, _, _ in _STEP_REFERENCES))
        if is_blank(step.get("id")):
            reader.missing(path, "id")
            continue
        local = str(step["id"]).strip()
        if local in seen:
            reader.problem(path, "id", f"duplicate step id '{local}' (first at {seen[local]})")
            continue
        seen[local] = path
        sid, origin = step_id(pid, local), Origin(reader.file, path)
        props: dict[str, Any] = {k: step.get(k) for k in ("name", "setting", "unit_cost") if k in step}
        reader.nodes.append(NodeRecord(sid, "Step", {**props, "pathway": pid}, origin))
        reader.edges.append(EdgeRecord(pid, sid, "HAS_STEP", {}, origin, "id", "id"))
        for key, rel_type, required in _STEP_REFERENCES:
            value = step.get(key)
            if is_blank(value) or value == []:
                if required:
                    reader.missing(path, key)
                continue
            if isinstance(value, list):
                entries = [(f"{path}.{key}[{j}]", entry) for j, entry in enumerate(value)]
            elif isinstance(value, dict):
                entries = [(f"{path}.{key}", value)]
            else:
                reader.edges.append(EdgeRecord(sid, value, rel_type, {}, origin, "id", key))
                continue
            links = (_dated_link(entry, sid, rel_type, where, reader) for where, entry in entries)
            reader.edges.extend(link for link in links if link is not None)
    if not seen and "steps" in doc:
        reader.problem("steps", None, "a pathway needs at least one step")
    return seen


def _dated_link(entry: Any, sid: str, rel_type: str, path: str, reader: _Reader) -> EdgeRecord | None:
    """One entry of a step's list of links: an id, or ``{id, valid_from, valid_to}``."""
    origin = Origin(reader.file, path)
    if not isinstance(entry, dict):
        if isinstance(entry, list):
            reader.problem(path, None, f"expected an id or a mapping of {', '.join(LINK_KEYS)}")
            return None
        return EdgeRecord(sid, entry, rel_type, {}, origin, "id", "id")
    link = reader.mapping(entry, path, LINK_KEYS)
    if link is None:
        return None
    props: dict[str, Any] = {k: link[k] for k in ("valid_from", "valid_to") if k in link}
    return EdgeRecord(sid, link.get("id"), rel_type, props, origin, "id", "id")


def _local_step(value: Any, steps: dict[str, str], path: str, key: str, reader: _Reader) -> str | None:
    if is_blank(value):
        reader.missing(path, key)
        return None
    if str(value).strip() not in steps:
        reader.problem(path, key, f"unknown step '{value}'")
        return None
    return str(value).strip()


def _starts(doc: dict[str, Any], pid: str, steps: dict[str, str], reader: _Reader) -> list[str]:
    start = doc.get("start")
    entries = start if isinstance(start, list) else [{"step": start}]
    starts = []
    for i, raw in enumerate(entries):
        path = "start" if not isinstance(start, list) else f"start[{i}]"
        entry = reader.mapping(raw, path, START_KEYS)
        if entry is None:
            continue
        entry = reader.checked(entry, path)
        local = _local_step(entry.get("step"), steps, path, "step" if isinstance(start, list) else "start",
                            reader)
        if local is None:
            continue
        starts.append(local)
        if any((path, key) in reader.rejected for key in START_KEYS):
            continue  # already reported; reachability still counts the entry
        props = {k: v for k, v in entry.items() if k != "step"}
        if not isinstance(start, list):
            props = {"probability": 1.0}
        reader.edges.append(EdgeRecord(pid, step_id(pid, local), "STARTS_AT", props,
                                       Origin(reader.file, path), "id", "step"))
    return starts


def _transitions(doc: dict[str, Any], pid: str, steps: dict[str, str], reader: _Reader) -> nx.DiGraph:
    flow = nx.DiGraph()
    flow.add_nodes_from(steps)
    for i, raw in enumerate(reader.items(doc.get("transitions"), "transitions")):
        path = f"transitions[{i}]"
        move = reader.mapping(raw, path, TRANSITION_KEYS)
        if move is None:
            continue
        move = reader.checked(move, path)
        ends = [_local_step(move.get(k), steps, path, k, reader) for k in ("from", "to")]
        source, target = ends
        if source is None or target is None:
            continue
        flow.add_edge(source, target)
        if any((path, key) in reader.rejected for key in TRANSITION_KEYS):
            continue  # already reported; reachability still counts the transition
        props = {k: v for k, v in move.items() if k not in ("from", "to")}
        reader.edges.append(EdgeRecord(step_id(pid, source), step_id(pid, target), "NEXT", props,
                                       Origin(reader.file, path), "from", "to"))
    return flow


def pathway_records(text: str, label: str) -> tuple[list[NodeRecord], list[EdgeRecord], list[Problem]]:
    """Turn the text of one pathway YAML file into graph records.

    Parameters
    ----------
    text : str
        The YAML document.
    label : str
        How problems name the file, e.g. ``"pathways/cardiology.yaml"``.

    Returns
    -------
    nodes, edges : lists of records
        For ``networks.records.build_graph``, which checks them against the schema
        and the rest of the model (services, providers, budgets).
    problems : list of Problem
        Malformed YAML, duplicate keys, unknown keys, missing required values, unknown step
        ids in ``start`` or ``transitions``, duplicate step ids and steps
        that cannot be reached from the start, each with its YAML path.
    """
    reader = _Reader(label)
    doc = _parse(text, reader)
    if reader.problems:
        return [], [], reader.problems
    top = reader.mapping(doc, "top level", PATHWAY_KEYS)
    if top is None:
        return [], [], reader.problems
    top = {**reader.checked({k: v for k, v in top.items() if k not in ("steps", "transitions", "start")}, "top level"),
           **{k: v for k, v in top.items() if k in ("steps", "transitions", "start")}}
    for key in ("id", "start", "steps"):
        if is_blank(top.get(key)) and ("top level", key) not in reader.rejected:
            reader.problem(key, None, "required value is missing")
    if is_blank(top.get("id")):
        return [], [], reader.problems
    pid = str(top["id"]).strip()
    props = {k: top.get(k) for k in ("name", "condition", "patients_per_year", "valid_from", "valid_to")}
    reader.nodes.append(NodeRecord(pid, "Pathway", props, Origin(label, "top level")))
    steps = _steps(top, pid, reader)
    starts = _starts(top, pid, steps, reader) if not is_blank(top.get("start")) else []
    flow = _transitions(top, pid, steps, reader)
    if starts:
        reached = set(starts).union(*(nx.descendants(flow, s) for s in starts))
        for local, path in steps.items():
            if local not in reached:
                reader.problem(path, "id", f"step '{local}' cannot be reached from the start")
    return reader.nodes, reader.edges, reader.problems
