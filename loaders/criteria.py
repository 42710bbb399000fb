"""Reading the analyst's criteria file (YAML) and the scores table it names.

The criteria file makes the weights and thresholds of seed 002's assessment
explicit and editable (its keys are documented in ``docs/inputs.md``)::

    scale: [1, 5]                 # analyst scores run from 1 (worst for delegation) to 5 (best)
    scores: scores.csv            # analyst scores, one row per service (path relative to this file)
    suitability:
      pass_mark: 3                # weighted mean score the step needs
      floor: 2                    # any criterion scoring below this fails the step
      criteria:
        patient_clinical_benefit: {source: analyst, weight: 2, description: ...}
        codependency_exposure:    {source: computed, weight: 1, bands: [[0, 5], [1, 2], [2, 1]]}
        financial_risk:           {source: analyst, weight: 1}
        number_of_providers:      {source: computed, weight: 1, bands: [[0, 1], [2, 3], [3, 5]]}
    readiness:
      pass_mark: 3
      floor: 2
      criteria:
        future_technologies:          {source: analyst}
        footprint_containment:        {source: computed, bands: [[0, 1], [0.5, 3], [0.8, 5]]}
        network_arrangements:         {source: analyst}
        commissioning_infrastructure: {source: analyst}
    tiering:
      min_providers: 1            # an ICS or network footprint needs this many providers of the service ...
      min_containment: 0.8        # ... and to treat this share of its residents' activity (when flows are given)

The scores table has ``service_id``, one column per analyst criterion and an
optional ``note``. ``weight`` defaults to 1 and ``floor`` to the scale
minimum.

Examples
--------
>>> import caregraph as cg
>>> criteria = cg.criteria_from_dict({
...     "suitability": {"pass_mark": 3, "criteria": {
...         "number_of_providers": {"source": "computed", "bands": [[0, 1], [2, 5]]}}},
...     "readiness": {"pass_mark": 3, "criteria": {
...         "footprint_containment": {"source": "computed", "bands": [[0, 1], [0.8, 5]]}}}})
>>> criteria.steps[0].criteria[0].score(3)
5.0
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from networks.delegation.criteria import COMPUTED_MEASURES, STEPS, AssessmentStep, Criteria, Criterion
from networks.errors import Problem, ValidationError

from .table_reader import read_checked_frame
from .yaml_reader import YAMLDocumentReader, read_yaml_file

__all__ = ["criteria_from_dict", "read_criteria"]

_TOP_KEYS = ("scale", "scores", *STEPS, "tiering")
_CRITERION_KEYS = ("source", "weight", "bands", "description")
_STEP_KEYS = ("pass_mark", "floor", "criteria")
_TIERING_KEYS = ("min_providers", "min_containment")


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


class _Reader(YAMLDocumentReader):

    def number(self, value: Any, path: str, key: str, low: float, high: float, default: float) -> float:
        if value is None:
            return default
        number = _number(value)
        if number is None or not low <= number <= high:
            self.problem(path, key, f"{value!r} is not a number from {low:g} to {high:g}")
            return default
        return number

    def bands(self, value: Any, path: str, scale: tuple[float, float]) -> tuple[tuple[float, float], ...]:
        pairs = value if isinstance(value, list) else None
        if not pairs or not all(isinstance(p, list) and len(p) == 2 for p in pairs):
            self.problem(path, "bands", "must be a list of [at_least, score] pairs")
            return ()
        bands = [(_number(a), _number(s)) for a, s in pairs]
        if any(a is None or s is None or not scale[0] <= s <= scale[1] for a, s in bands):
            self.problem(path, "bands", f"each pair needs a number and a score from {scale[0]:g} to {scale[1]:g}")
            return ()
        thresholds = [a for a, _ in bands]
        if thresholds != sorted(set(thresholds)):  # type: ignore[type-var]
            self.problem(path, "bands", "at_least values must increase")
        return tuple((float(a), float(s)) for a, s in bands)  # type: ignore[arg-type]

    def criterion(self, name: str, value: Any, path: str, scale: tuple[float, float]) -> Criterion:
        spec = self.mapping(value, path, _CRITERION_KEYS) or {}
        source = spec.get("source")
        if source not in ("analyst", "computed"):
            self.problem(path, "source", f"{source!r} is not 'analyst' or 'computed'")
        elif source == "computed" and name not in COMPUTED_MEASURES:
            self.problem(path, None, f"no computed measure '{name}'; one of: {', '.join(COMPUTED_MEASURES)}")
        elif source == "analyst" and "bands" in spec:
            self.problem(path, "bands", "only computed criteria have bands")
        bands = self.bands(spec.get("bands"), path, scale) if source == "computed" else ()
        weight = self.number(spec.get("weight"), path, "weight", 0, float("inf"), 1.0)
        return Criterion(name, str(source), weight, bands, str(spec.get("description") or ""), scale[0])

    def step(self, name: str, value: Any, scale: tuple[float, float]) -> AssessmentStep:
        spec = self.mapping(value, name, _STEP_KEYS) or {}
        if "pass_mark" not in spec:
            self.problem(name, "pass_mark", "required value is missing")
        pass_mark = self.number(spec.get("pass_mark"), name, "pass_mark", *scale, default=scale[1])
        floor = self.number(spec.get("floor"), name, "floor", *scale, default=scale[0])
        raw = spec.get("criteria")
        criteria: Mapping[str, Any] = raw if isinstance(raw, Mapping) else {}
        if not criteria:
            self.problem(name, "criteria", "give at least one criterion, as a mapping of name to settings")
        items = tuple(self.criterion(str(k), v, f"{name}.criteria.{k}", scale) for k, v in criteria.items())
        return AssessmentStep(name, pass_mark, floor, items)

    def scale(self, value: Any) -> tuple[float, float]:
        if value is None:
            return (1.0, 5.0)
        pair = [_number(v) for v in value] if isinstance(value, list) and len(value) == 2 else [None]
        if None in pair or pair[0] >= pair[1]:  # type: ignore[operator]
            self.problem("scale", None, "must be [lowest, highest] with lowest < highest")
            return (1.0, 5.0)
        return (float(pair[0]), float(pair[1]))  # type: ignore[arg-type]


def _scores(path: Path, criteria: list[str], scale: tuple[float, float],
            problems: list[Problem]) -> pd.DataFrame:
    frame, found = read_checked_frame(path, ["service_id", *criteria], ["note"])
    problems += found
    if frame is None:
        return pd.DataFrame({"service_id": [], "row": [], **{c: [] for c in criteria}})
    seen: dict[str, int] = {}
    for rec in frame.to_dict("records"):
        service = rec["service_id"]
        if service is None:
            problems.append(Problem(path.name, rec["row"], "service_id", "required value is missing"))
        elif service in seen:
            problems.append(Problem(path.name, rec["row"], "service_id",
                                    f"service '{service}' is already scored in row {seen[service]}"))
        else:
            seen[service] = rec["row"]
        for name in criteria:
            raw = rec[name]
            try:
                value = float(raw) if raw is not None else None
            except ValueError:
                value = float("nan")
            if value is not None and not scale[0] <= value <= scale[1]:
                problems.append(Problem(path.name, rec["row"], name,
                                        f"'{raw}' is not a score from {scale[0]:g} to {scale[1]:g}"))
    out = frame[["service_id", "row"]].copy()
    for name in criteria:
        out[name] = pd.to_numeric(frame[name], errors="coerce").astype(float)
    return out


def criteria_from_dict(data: Any, *, base: Path | None = None, file: str = "criteria") -> Criteria:
    """Check parsed criteria (as read from YAML) and load the analyst scores they name.

    Parameters
    ----------
    data : object
        The parsed YAML document.
    base : Path, optional
        Folder the ``scores`` path is relative to (default: current folder).
    file : str
        Name used in problems.

    Raises
    ------
    ValidationError
        Every problem in the criteria and the scores file, with YAML paths
        or rows.
    """
    reader = _Reader(file)
    spec = reader.mapping(data, None, _TOP_KEYS) or {}
    scale = reader.scale(spec.get("scale"))
    for step in STEPS:
        if step not in spec:
            reader.problem(None, step, "required value is missing")
    steps = tuple(reader.step(step, spec.get(step), scale) for step in STEPS if step in spec)
    names = [c.name for step in steps for c in step.criteria]
    for name in sorted({n for n in names if names.count(n) > 1}):
        reader.problem(None, None, f"criterion '{name}' is used in more than one step")
    tiering = reader.mapping(spec.get("tiering", {}), "tiering", _TIERING_KEYS) or {}
    min_providers = reader.number(tiering.get("min_providers"), "tiering", "min_providers", 1, 1e9, 1)
    if not float(min_providers).is_integer():
        reader.problem("tiering", "min_providers", f"{min_providers!r} is not a whole number")
    min_containment = reader.number(tiering.get("min_containment"), "tiering", "min_containment", 0, 1, 0.8)
    analyst = [c.name for step in steps for c in step.criteria if c.source == "analyst"]
    scores = pd.DataFrame({"service_id": [], "row": [], **{c: [] for c in analyst}})
    scores_file = "scores"
    if analyst:
        if not isinstance(spec.get("scores"), str):
            reader.problem(None, "scores", "give the analyst scores file (analyst criteria are listed)")
        else:
            path = (base or Path()) / spec["scores"]
            scores_file = path.name
            scores = _scores(path, analyst, scale, reader.problems)
    if reader.problems:
        raise ValidationError(reader.problems)
    return Criteria(steps, int(min_providers), min_containment, scale, scores, scores_file)


def read_criteria(path: str | Path) -> Criteria:
    """Read a criteria YAML file and the scores table it names (see the module notes).

    Raises
    ------
    networks.errors.ValidationError
        An unreadable file, invalid YAML, or any problem ``criteria_from_dict`` finds.
    """
    path = Path(path)
    return criteria_from_dict(read_yaml_file(path, path.name), base=path.parent, file=path.name)
