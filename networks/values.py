"""Checking and converting property values against the schema.

CSV and Excel cells arrive as text, numbers, timestamps or blanks; these
helpers turn them into the one stored form (``str``, ``float``, ``int``,
``bool`` or an ISO date string) or say in one line why they cannot.

Examples
--------
>>> import caregraph as cg
>>> check_properties(cg.NODE_KINDS["Service"].properties, {"specialised": "yes", "name": "PCI"})
({'specialised': True, 'name': 'PCI'}, [])
>>> check_properties(cg.NODE_KINDS["Service"].properties, {"specialised": "maybe"})[1]
[('specialised', "'maybe' is not one of yes/no/true/false/1/0")]
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

from .errors import Problem
from .schema import Property

__all__ = [
    "check_properties",
    "convert_value",
    "id_problem",
    "in_force",
    "is_blank",
    "parse_date",
    "read_problems",
    "tidy_frame",
]

_TRUE = {"yes", "y", "true", "1"}
_FALSE = {"no", "n", "false", "0"}


def is_blank(value: Any) -> bool:
    """Return True for ``None``, NaN, pandas' missing markers and blank text.

    Examples
    --------
    >>> is_blank(" "), is_blank(float("nan")), is_blank(0)
    (True, True, False)
    """
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple, dict, set)):
        return False
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def id_problem(value: Any) -> str | None:
    """Why ``value`` cannot be an id, or ``None`` if it can: ids are codes, one word of printable characters.

    Examples
    --------
    >>> id_problem("RTD01"), id_problem("svc-pci"), id_problem("chest-pain/gp")
    (None, None, None)
    >>> id_problem("gp review")
    "'gp review' is not an id: ids are codes without spaces or control characters (use - or _)"
    >>> id_problem(["a", "b"])
    'expected an id, not a list'
    """
    if isinstance(value, (list, tuple, dict, set)):
        return f"expected an id, not a {type(value).__name__}"
    text = str(value).strip()
    if any(ch.isspace() or not ch.isprintable() for ch in text):
        return f"{text!r} is not an id: ids are codes without spaces or control characters (use - or _)"
    return None


def parse_date(value: Any) -> str:
    """Return ``value`` as an ISO date string, or raise ``ValueError``.

    Accepts ``YYYY-MM-DD`` text, ``datetime.date``, and ``datetime`` or
    pandas timestamps at midnight (Excel date cells). A time of day is
    refused rather than cut off: a relationship's dates are whole days.

    Examples
    --------
    >>> import datetime
    >>> parse_date("2026-04-01"), parse_date(datetime.datetime(2026, 4, 1))
    ('2026-04-01', '2026-04-01')
    >>> parse_date(datetime.datetime(2026, 4, 1, 14, 30))
    Traceback (most recent call last):
    ...
    ValueError: '2026-04-01 14:30:00' has a time of day: give a date (YYYY-MM-DD) without one
    """
    if hasattr(value, "to_pydatetime"):
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime):
        if value.time() != dt.time(0, 0):
            raise ValueError(f"'{value.replace(tzinfo=None)}' has a time of day: give a date (YYYY-MM-DD) without one")
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    try:
        if len(text) != 10:
            raise ValueError
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise ValueError(f"'{text}' is not a date in the form YYYY-MM-DD") from None


def _number(value: Any) -> float:
    if isinstance(value, bool):
        raise ValueError(f"'{value}' is not a number")
    try:
        number = float(str(value).strip().replace(",", "")) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        raise ValueError(f"'{value}' is not a number") from None
    if not math.isfinite(number):
        raise ValueError(f"'{value}' is not a finite number")
    return number


def convert_value(prop: Property, value: Any) -> Any:
    """Convert one non-blank value to the property's type and check its limits.

    Parameters
    ----------
    prop : Property
        The schema property.
    value : object
        The raw value (text from CSV, or a Python value).

    Returns
    -------
    object
        The stored value.

    Raises
    ------
    ValueError
        With a one-line message saying what is wrong.

    Examples
    --------
    >>> import caregraph as cg
    >>> convert_value(cg.RELATIONSHIP_TYPES["NEXT"].property("probability"), "0.25")
    0.25
    """
    if isinstance(value, (list, tuple, dict, set)):
        raise ValueError(f"expected a single value, not a {type(value).__name__}")
    if prop.type == "str":
        result: Any = str(value).strip()
    elif prop.type == "float":
        result = _number(value)
    elif prop.type == "int":
        number = _number(value)
        if not number.is_integer():
            raise ValueError(f"'{value}' is not a whole number")
        result = int(number)
    elif prop.type == "bool":
        if isinstance(value, bool):
            result = value
        else:
            text = str(value).strip().lower()
            if text not in _TRUE | _FALSE:
                raise ValueError(f"'{value}' is not one of yes/no/true/false/1/0")
            result = text in _TRUE
    elif prop.type == "date":
        result = parse_date(value)
    else:  # pragma: no cover - guarded by the schema's own test
        raise TypeError(f"unknown property type {prop.type!r}")
    if prop.choices is not None and result not in prop.choices:
        raise ValueError(f"'{result}' is not one of: {', '.join(prop.choices)}")
    if prop.minimum is not None and result < prop.minimum:
        raise ValueError(f"{result} is below the minimum {prop.minimum:g}")
    if prop.maximum is not None and result > prop.maximum:
        raise ValueError(f"{result} is above the maximum {prop.maximum:g}")
    return result


def check_properties(
    properties: Iterable[Property],
    values: Mapping[str, Any],
    one_of: tuple[str, ...] = (),
    owner: str = "",
) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """Convert a node's or relationship's properties and list what is wrong.

    Parameters
    ----------
    properties : iterable of Property
        The schema definition of the kind or type.
    values : mapping
        Raw values by property name; blanks are dropped.
    one_of : tuple of str
        Properties of which exactly one must be given.
    owner : str
        The kind or type checked, named in "not a property of" messages.

    Returns
    -------
    cleaned : dict
        The converted, non-blank values that passed.
    problems : list of (field, message)
        Unknown or missing properties, bad values, and ``valid_from`` after
        ``valid_to``.

    Examples
    --------
    >>> import caregraph as cg
    >>> rel = cg.RELATIONSHIP_TYPES["NEXT"]
    >>> check_properties(rel.properties, {"probability": 1.5}, rel.one_of)[1]
    [('probability', '1.5 is above the maximum 1')]
    """
    defined = {prop.name: prop for prop in properties}
    cleaned: dict[str, Any] = {}
    problems: list[tuple[str, str]] = []
    for name, raw in values.items():
        if name not in defined:
            if not is_blank(raw):
                problems.append((name, f"not a property of {owner or 'this element'}"))
        elif not is_blank(raw):
            try:
                cleaned[name] = convert_value(defined[name], raw)
            except ValueError as exc:
                problems.append((name, str(exc)))
    for prop in defined.values():
        if prop.required and is_blank(values.get(prop.name)):
            problems.append((prop.name, "required value is missing"))
    if one_of:
        given = [name for name in one_of if not is_blank(values.get(name))]
        if len(given) != 1:
            problems.append((one_of[0], f"give exactly one of {' or '.join(one_of)}"))
    start, end = cleaned.get("valid_from"), cleaned.get("valid_to")
    if start is not None and end is not None and start > end:
        problems.append(("valid_to", f"valid_to {end} is before valid_from {start}"))
    return cleaned, problems


def in_force(attributes: Mapping[str, Any], date: str | None) -> bool:
    """Return whether a node or relationship is in force on ``date`` (ISO).

    ``None`` means no date filter: everything is in force.

    Examples
    --------
    >>> in_force({"valid_from": "2022-07-01", "valid_to": "2026-03-31"}, "2026-04-01")
    False
    """
    if date is None:
        return True
    start, end = attributes.get("valid_from"), attributes.get("valid_to")
    return (start is None or start <= date) and (end is None or date <= end)


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


def read_problems(frame: pd.DataFrame) -> list[Problem]:
    """The problems a reader found in a table without stopping (``frame.attrs["problems"]``), to report with the rest.

    Examples
    --------
    >>> import pandas as pd
    >>> read_problems(pd.DataFrame())
    []
    """
    return list(frame.attrs.get("problems", []))
