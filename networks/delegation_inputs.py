"""Reading and checking the analyst's CSV inputs to delegation analyses: flows and spend.

Both are optional. **Flows** say where each ICB's residents are treated:
one row per service, residents' commissioner and provider, with an activity
count (e.g. RTT pathways or spells); they give footprint containment.
**Spend** gives a service's annual spend in pounds, summed per bundle.

========  ==================================================================
file      columns
========  ==================================================================
flows     ``service_id``, ``commissioner_id`` (the residents' ICB or sub-ICB
          location), ``provider_id`` (a trust or site; one not in the model
          counts as outside every footprint), ``activity`` (number >= 0)
spend     ``service_id``, ``spend_gbp`` (number >= 0), one row per service
========  ==================================================================

Every problem is collected and raised together as a ``ValidationError``
naming file, row (header = row 1) and field.

Examples
--------
>>> import pandas as pd
>>> from networks import CareGraph
>>> from networks.frames_delegation import delegation_frames
>>> g = CareGraph()
>>> g.add_node("QWE", "ICB")
>>> g.add_node("svc-neuro", "Service", specialised=True)
>>> frames = delegation_frames(g)
>>> flows = pd.DataFrame({"service_id": ["svc-neuro"], "commissioner_id": ["QWE"],
...                       "provider_id": ["RJ7"], "activity": ["2629"]})
>>> validate_flows(flows, frames)[["commissioner_id", "activity", "row"]].values.tolist()
[['QWE', 2629.0, 2]]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

import pandas as pd

from .errors import Problem, ValidationError
from .frames_delegation import DelegationFrames
from .schema import Property
from .values import convert_value, is_blank

__all__ = [
    "FLOW_COLUMNS",
    "SPEND_COLUMNS",
    "read_and_validate",
    "read_csv_table",
    "read_flows",
    "read_spend",
    "tidy_frame",
    "validate_flows",
    "validate_spend",
]

FLOW_COLUMNS = ("service_id", "commissioner_id", "provider_id", "activity")
SPEND_COLUMNS = ("service_id", "spend_gbp")
_AMOUNT = Property("amount", "float", minimum=0)
T = TypeVar("T")


def read_csv_table(
    path: str | Path, required: Sequence[str], optional: Sequence[str] = ()
) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Read a CSV of text cells and check its header.

    Parameters
    ----------
    path : str or Path
        The file.
    required, optional : sequence of str
        Columns that must be present, and columns that may be.

    Returns
    -------
    frame : pandas.DataFrame or None
        Stripped text cells (blank cells as ``None``) plus a ``row`` column
        numbered as a spreadsheet shows rows; ``None`` when the file cannot
        be read or lacks a required column.
    problems : list of Problem
        Unreadable file, missing or unknown columns.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "spend.csv"
    >>> _ = path.write_text("service_id,spend\\nsvc-a,10\\n")
    >>> frame, problems = read_csv_table(path, ["service_id", "spend_gbp"])
    >>> [str(p) for p in problems]  # doctest: +NORMALIZE_WHITESPACE
    ["spend.csv, row 1, field 'spend': unknown column; allowed: service_id, spend_gbp",
     "spend.csv, row 1, field 'spend_gbp': missing column"]
    """
    label = Path(path).name
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        return None, [Problem(label, None, None, f"cannot be read: {exc}")]
    frame.columns = [str(c).strip() for c in frame.columns]
    allowed = [*required, *optional]
    problems = [Problem(label, 1, c, f"unknown column; allowed: {', '.join(allowed)}")
                for c in frame.columns if c not in allowed]
    problems += [Problem(label, 1, c, "missing column") for c in required if c not in frame.columns]
    if any(p.message == "missing column" for p in problems):
        return None, problems
    return tidy_frame(frame, [c for c in allowed if c in frame.columns]), problems


def _cell(value: object) -> object:
    """A stripped text value, or ``None`` for a blank one (as ``is_blank`` decides, but faster)."""
    if isinstance(value, str):
        return value.strip() or None
    if value is None or (isinstance(value, float) and value != value):
        return None
    return None if is_blank(value) else value


def tidy_frame(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """Return the given columns as stripped Python objects (blanks ``None``) plus ``row``.

    Missing columns are blank. ``row`` is kept when present, otherwise rows
    are numbered as in a spreadsheet (first data row 2).

    Examples
    --------
    >>> import pandas as pd
    >>> tidy_frame(pd.DataFrame({"a": [" x ", float("nan")]}), ["a", "b"]).values.tolist()
    [['x', None, 2], [None, None, 3]]
    """
    data: dict[str, pd.Series] = {}
    for column in columns:
        values = frame[column].tolist() if column in frame else [None] * len(frame)
        data[column] = pd.Series([(v.strip() or None) if type(v) is str else _cell(v) for v in values],
                                 dtype=object)
    rows = frame["row"].tolist() if "row" in frame else list(range(2, len(frame) + 2))
    data["row"] = pd.Series(rows, dtype=object)
    return pd.DataFrame(data)


def _amounts(frame: pd.DataFrame, column: str, source: str, problems: list[Problem]) -> list[float | None]:
    values: list[float | None] = []
    for row, raw in zip(frame["row"], frame[column], strict=True):
        if is_blank(raw):
            problems.append(Problem(source, int(row), column, "required value is missing"))
            values.append(None)
            continue
        try:
            values.append(float(convert_value(_AMOUNT, raw)))
        except ValueError as exc:
            problems.append(Problem(source, int(row), column, str(exc)))
            values.append(None)
    return values


def _check_services(frame: pd.DataFrame, frames: DelegationFrames, source: str,
                    problems: list[Problem]) -> None:
    known = set(frames.services["service_id"])
    for row, service in zip(frame["row"], frame["service_id"], strict=True):
        if is_blank(service):
            problems.append(Problem(source, int(row), "service_id", "required value is missing"))
        elif service not in known:
            problems.append(Problem(source, int(row), "service_id", f"unknown service '{service}'"))


def validate_flows(flows: pd.DataFrame, frames: DelegationFrames, source: str = "flows") -> pd.DataFrame:
    """Check a flows frame against the model.

    Parameters
    ----------
    flows : pandas.DataFrame
        Columns ``FLOW_COLUMNS``; an optional ``row`` column gives row
        numbers for messages (default: index order, first row 2).
    frames : DelegationFrames
        The model.
    source : str
        File name used in problems.

    Returns
    -------
    pandas.DataFrame
        ``FLOW_COLUMNS`` with ``activity`` as a float, and ``row``; checking
        the result again gives the same frame.

    Raises
    ------
    ValidationError
        Unknown services, commissioners that are not one ICB or sub-ICB
        location of the model, blank providers, bad activity numbers.
    """
    frame = tidy_frame(flows, FLOW_COLUMNS)
    problems: list[Problem] = []
    _check_services(frame, frames, source, problems)
    resident = frames.coverage[frames.coverage.commissioner_kind.isin(["ICB", "SubICBLocation"])]
    icb_of = dict(zip(resident["commissioner_id"], resident["icb_id"], strict=True))
    for row, commissioner, provider in zip(frame["row"], frame["commissioner_id"], frame["provider_id"], strict=True):
        if is_blank(commissioner):
            problems.append(Problem(source, int(row), "commissioner_id", "required value is missing"))
        elif commissioner not in icb_of:
            problems.append(Problem(source, int(row), "commissioner_id",
                                    f"'{commissioner}' is not an ICB or sub-ICB location of the model"))
        if is_blank(provider):
            problems.append(Problem(source, int(row), "provider_id", "required value is missing"))
    activity = _amounts(frame, "activity", source, problems)
    if problems:
        raise ValidationError(problems)
    frame["activity"] = pd.Series(activity, dtype=float)
    return frame


def validate_spend(spend: pd.DataFrame, frames: DelegationFrames, source: str = "spend") -> pd.Series:
    """Check a spend frame; return annual spend in pounds indexed by service id.

    Raises
    ------
    ValidationError
        Unknown or repeated services and bad amounts.

    Examples
    --------
    >>> import pandas as pd
    >>> from networks import CareGraph
    >>> from networks.frames_delegation import delegation_frames
    >>> g = CareGraph()
    >>> g.add_node("svc-a", "Service", specialised=True)
    >>> validate_spend(pd.DataFrame({"service_id": ["svc-a"], "spend_gbp": ["1,500"]}),
    ...                delegation_frames(g)).to_dict()
    {'svc-a': 1500.0}
    """
    frame = tidy_frame(spend, SPEND_COLUMNS)
    problems: list[Problem] = []
    _check_services(frame, frames, source, problems)
    first: dict[str, int] = {}
    for row, service in zip(frame["row"], frame["service_id"], strict=True):
        if not is_blank(service) and service in first:
            problems.append(Problem(source, int(row), "service_id",
                                    f"service '{service}' already has a spend in row {first[service]}"))
        first.setdefault(service, int(row))
    amounts = _amounts(frame, "spend_gbp", source, problems)
    if problems:
        raise ValidationError(problems)
    return pd.Series(amounts, index=list(frame["service_id"]), dtype=float, name="spend_gbp")


def read_and_validate(
    path: str | Path,
    validate: Callable[[pd.DataFrame, str], T],
    required: Sequence[str],
    optional: Sequence[str] = (),
) -> T:
    """Read a CSV with ``read_csv_table`` and pass it to ``validate(frame, file name)``.

    Header and value problems are raised together in one ``ValidationError``.
    """
    frame, problems = read_csv_table(path, required, optional)
    if frame is None:
        raise ValidationError(problems)
    try:
        result = validate(frame, Path(path).name)
    except ValidationError as exc:
        raise ValidationError(problems + exc.problems) from None
    if problems:
        raise ValidationError(problems)
    return result


def read_flows(path: str | Path, frames: DelegationFrames) -> pd.DataFrame:
    """Read and check a flows CSV (see ``validate_flows``).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from networks import CareGraph
    >>> from networks.frames_delegation import delegation_frames
    >>> g = CareGraph()
    >>> g.add_node("QWE", "ICB")
    >>> g.add_node("svc-pci", "Service", specialised=True)
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "flows.csv"
    >>> _ = path.write_text("service_id,commissioner_id,provider_id,activity\\nsvc-pci,QWE,RJ7,12\\n")
    >>> read_flows(path, delegation_frames(g))["activity"].tolist()
    [12.0]
    """
    return read_and_validate(path, lambda frame, name: validate_flows(frame, frames, name), FLOW_COLUMNS)


def read_spend(path: str | Path, frames: DelegationFrames) -> pd.Series:
    """Read and check a spend CSV (see ``validate_spend``)."""
    return read_and_validate(path, lambda frame, name: validate_spend(frame, frames, name), SPEND_COLUMNS)
