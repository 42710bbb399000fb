"""Reading a scenario file: commissioning options as YAML, checked and located.

The format (every change and its fields are in ``docs/inputs.md``)::

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

Every problem in the file is reported together, each naming the file, the
YAML path (``scenarios[2].changes[0].add_pool``) and the field. References
to the model are checked when a scenario is applied.

Examples
--------
>>> import tempfile, pathlib
>>> import caregraph as cg
>>> path = pathlib.Path(tempfile.mkdtemp()) / "scenarios.yaml"
>>> _ = path.write_text('''
... scenarios:
...   - id: spec-pool
...     changes:
...       - add_pool: {id: p1, name: Cardiac fund, budgets: [nhse-spec, qhm-core]}
... ''')
>>> (scenario,) = cg.read_scenarios(path)
>>> scenario.id, scenario.changes[0].kind
('spec-pool', 'add_pool')
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from networks.errors import ValidationError
from networks.scenarios import BASELINE, CHANGE_FIELDS, Change, FieldSpec, Scenario

from .yaml_reader import YAMLDocumentReader, read_yaml_file

__all__ = ["read_scenarios"]

_SCENARIO_KEYS = ("id", "name", "description", "changes")


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
    networks.errors.ValidationError
        Every problem in the file at once, each naming the file, the YAML
        path (``scenarios[2].changes[0].add_pool``) and the field.
        References to the model are checked by ``apply_scenario``.

    Examples
    --------
    >>> import caregraph as cg
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "bad.yaml"
    >>> _ = path.write_text("scenarios:\\n  - id: a\\n    changes:\\n      - add_pool: {id: p, budgets: [x]}\\n")
    >>> cg.read_scenarios(path)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    networks.errors.ValidationError: 2 problems:
      ...bad.yaml, scenarios[0].changes[0].add_pool, field 'name': required value is missing
      ...bad.yaml, scenarios[0].changes[0].add_pool, field 'budgets': a pool needs two or more different budgets
    """
    label = str(path)
    reader = _Reader(label)
    scenarios = reader.scenarios(read_yaml_file(path, label))
    if reader.problems:
        raise ValidationError(reader.problems)
    return scenarios
