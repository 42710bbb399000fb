"""Which date an analysis looks at: today unless told otherwise, and always said.

Organisations, budgets, pools and commissioning arrangements are dated, and
on 2026-04-01 the 42 ICBs became 36, so an answer depends on the day it is
for. Every date-dependent function takes ``as_at``:

* ``None`` (the default): **today** -- the model as it stands now, never a
  mixture of eras;
* an ISO date (``"2026-05-01"``) or a ``datetime.date``: that day;
* ``"all"`` (``ALL_DATES``): no date filter at all, every pool and
  arrangement counting whatever its dates -- meaningful for an undated
  model, or to see everything a model holds.

Results say which date they used in ``frame.attrs["as_at"]`` (an ISO date,
or ``"all"``); the command line prints it.

Examples
--------
>>> resolve_as_at("2026-05-01"), resolve_as_at("all")
('2026-05-01', None)
>>> import datetime
>>> resolve_as_at(None) == datetime.date.today().isoformat()
True
>>> as_at_label(None)
'all'
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, TypeVar

from networks.errors import ArgumentError

if TYPE_CHECKING:
    import pandas as pd

    Frame = TypeVar("Frame", bound=pd.DataFrame)

__all__ = ["ALL_DATES", "AsAt", "as_at_label", "dated", "resolve_as_at", "today"]

ALL_DATES = "all"
"""The ``as_at`` value that asks for every date: no filter."""

AsAt = str | dt.date | None
"""What ``as_at`` accepts: ``None`` (today), an ISO date or ``datetime.date``, or ``"all"``."""


def today() -> str:
    """Today's date in ISO form (the machine's local date)."""
    return dt.date.today().isoformat()


def resolve_as_at(as_at: AsAt) -> str | None:
    """Turn an ``as_at`` argument into the ISO date to filter on, or ``None`` for every date.

    Raises
    ------
    networks.errors.ArgumentError
        Not a ``YYYY-MM-DD`` date, a ``datetime.date``, ``None`` or ``"all"``.

    Examples
    --------
    >>> resolve_as_at("2026-13-01")
    Traceback (most recent call last):
    ...
    networks.errors.ArgumentError: as-at date: '2026-13-01' is not a date in the form YYYY-MM-DD (or 'all')
    """
    if as_at is None:
        return today()
    if isinstance(as_at, dt.datetime):
        return as_at.date().isoformat()
    if isinstance(as_at, dt.date):
        return as_at.isoformat()
    text = str(as_at).strip()
    if text.lower() == ALL_DATES:
        return None
    try:
        if len(text) != 10:
            raise ValueError
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise ArgumentError(f"as-at date: '{text}' is not a date in the form YYYY-MM-DD (or 'all')") from None


def as_at_label(day: str | None) -> str:
    """How a result names the date it used: the ISO date, or ``"all"`` for every date."""
    return ALL_DATES if day is None else day


def dated(frame: Frame, label: str) -> Frame:
    """Record on a result the date it used (``frame.attrs["as_at"]``: an ISO date or ``"all"``) and return it."""
    frame.attrs["as_at"] = label
    return frame
