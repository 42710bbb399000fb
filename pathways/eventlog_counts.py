"""Counting direct hand-offs in an event log held in DuckDB, without pandas.

A *hand-off* is one event of a case followed directly by an event of the
same case at another resource (care unit, department, provider, site).
Events of a case are ordered by timestamp, then by the order column if one
is given, then by their position in the file. The counting is one window
query over the events that have a resource, ``lead(resource) OVER
(PARTITION BY case ORDER BY timestamp, order, position)``, grouped by pair;
DuckDB spills it to disk when the log does not fit in memory. The counts
stay in DuckDB (:class:`HandoffCounts`), so the command line writes them as
CSV straight from DuckDB and never imports pandas; :func:`pathways.eventlog.eventlog_handoffs` returns them as a
DataFrame.

Events with no resource are *skipped* by default: they are dropped before
consecutive events are paired, so ``ED, (blank), ICU`` is one hand-off
ED -> ICU, as PM4Py counts it. Their number is logged as a warning. With
``blank_resource="(blank)"`` they count as a resource of that name
instead: ``ED -> (blank)`` and ``(blank) -> ICU``. In the MIMIC-III demo
log a blank care unit is a general ward, and 6 of the 11 hand-offs between
intensive care units passed through one.

Examples
--------
>>> import pandas as pd
>>> import caregraph as cg
>>> log = pd.DataFrame({"case": ["1", "1", "1"], "unit": ["ED", None, "ICU"],
...                     "time": ["2024-01-01 10:00", "2024-01-01 11:00", "2024-01-01 12:00"]})
>>> with cg.open_event_log(log, case="case", resource="unit", timestamp="time") as events:
...     counts = cg.eventlog_handoff_counts(events, blank_resource="ward")
...     events.fetch(counts.select)
[('ED', 'ward', 1), ('ward', 'ICU', 1)]
"""

from __future__ import annotations

import itertools
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from networks.errors import ArgumentError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["EVENTLOG_HANDOFF_COLUMNS", "EventSource", "HandoffCounts", "eventlog_handoff_counts", "warn_skipped"]

logger = logging.getLogger(__name__)

EVENTLOG_HANDOFF_COLUMNS = ["from", "to", "count"]

_NAMES = itertools.count(1)

# Counted pairs are grouped by resource and next resource; the events with no resource fall in the group
# whose "from" is NULL (the skipped events), and events whose own resource is the name given to blanks
# ("clashes") in groups whose "to" is NULL. Events with and without a resource are partitioned apart, so that
# a plain lead() finds the next event that has one (faster, and lighter on memory, than lead() IGNORE NULLS).
_COUNTS_SQL = """
SELECT src AS "from", CASE WHEN src IS NOT NULL AND dst IS NOT NULL AND {keep} THEN dst END AS "to",
       count(*) AS "count", count(*) FILTER (WHERE clash) AS clashes
FROM (
    SELECT {resource} AS src,
           lead({resource}) OVER (PARTITION BY case_id, {resource} IS NULL ORDER BY {order}) AS dst,
           {clash} AS clash
    FROM {events}
)
WHERE src IS NULL OR clash OR (dst IS NOT NULL AND {keep})
GROUP BY ALL
"""


@runtime_checkable
class EventSource(Protocol):
    """Checked events held in DuckDB, as ``loaders.event_logs.open_event_log`` gives them.

    ``events`` is a SQL relation with ``pos`` (position in the file),
    ``case_id``, ``resource`` (trimmed; NULL when blank), ``ts``
    (TIMESTAMP in UTC, or TIMESTAMPTZ) and, when the log has one, ``ord``. ``execute``,
    ``fetch`` and ``query`` run SQL on it (a statement; rows as tuples; a
    DataFrame). ``label`` names the log and ``resource_column`` the log's
    resource column, in messages.
    """

    @property
    def label(self) -> str:
        """How messages name the log."""
        ...

    @property
    def events(self) -> str:
        """The SQL relation of the checked events."""
        ...

    @property
    def resource_column(self) -> str:
        """The log's resource column, as messages name it."""
        ...

    def execute(self, sql: str) -> None:
        """Run a statement."""
        ...

    def fetch(self, sql: str) -> list[tuple[Any, ...]]:
        """Run ``sql`` and return its rows."""
        ...

    def query(self, sql: str) -> pd.DataFrame:
        """Run ``sql`` and return the result as a DataFrame."""
        ...


@dataclass(frozen=True)
class HandoffCounts:
    """Hand-off counts kept in DuckDB beside the events they came from (valid while the log is open).

    Attributes
    ----------
    events : EventSource
        Where the counts are held; ``events.fetch(select)``,
        ``events.query(select)`` or ``events.write_csv(select, stream)``
        read them.
    select : str
        SQL giving the columns ``from``, ``to``, ``count``, sorted by
        ``from`` then ``to``.
    skipped_events : int
        Events with no resource, left out (0 when ``blank_resource`` names
        them).
    """

    events: EventSource
    select: str
    skipped_events: int

    def records(self) -> list[dict[str, Any]]:
        """The counts as records (``{"from": ..., "to": ..., "count": ...}``), read from DuckDB without pandas."""
        return [dict(zip(EVENTLOG_HANDOFF_COLUMNS, row, strict=True)) for row in self.events.fetch(self.select)]


def warn_skipped(label: str, skipped: int, resource_column: str) -> None:
    """Log (as a warning, which the command line shows) how many events were skipped for having no resource."""
    if skipped:
        logger.warning("%s: skipped %d event%s with no '%s' (to count them as a resource, name it with "
                       "blank_resource, or --blank-resource on the command line)", label, skipped,
                       "s" if skipped != 1 else "", resource_column)


def eventlog_handoff_counts(events: EventSource, *, include_self: bool = False,
                            blank_resource: str | None = None) -> HandoffCounts:
    """Count direct hand-offs between resources within each case, keeping the counts in DuckDB.

    Parameters
    ----------
    events : EventSource
        The checked events (``loaders.event_logs.open_event_log``).
    include_self : bool
        Also count consecutive events at the same resource (``from == to``).
    blank_resource : str, optional
        Count events with no resource as a resource of this name (such as
        ``"(blank)"``) instead of skipping them.

    Returns
    -------
    HandoffCounts
        The counts, and how many events were skipped (also logged as a
        warning).

    Raises
    ------
    networks.errors.ArgumentError
        ``blank_resource`` is blank, or is also a resource of the log.
    networks.errors.CareGraphError
        If DuckDB fails (out of memory with no room to spill).

    Examples
    --------
    >>> import pandas as pd
    >>> import caregraph as cg
    >>> log = pd.DataFrame({"case": ["1", "1", "1"], "unit": ["ED", "ED", "ICU"],
    ...                     "time": ["2024-01-01 10:00", "2024-01-01 11:00", "2024-01-01 12:00"]})
    >>> with cg.open_event_log(log, case="case", resource="unit", timestamp="time") as events:
    ...     events.fetch(cg.eventlog_handoff_counts(events, include_self=True).select)
    [('ED', 'ED', 1), ('ED', 'ICU', 1)]
    """
    name = None if blank_resource is None else blank_resource.strip()
    if name == "":
        raise ArgumentError("blank_resource must be a name, such as '(blank)'")
    ordered = any(column == "ord" for column, *_ in events.fetch(f"DESCRIBE SELECT * FROM {events.events}"))
    literal = None if name is None else "'" + name.replace("'", "''") + "'"
    table = f"handoff_counts_{next(_NAMES)}"
    events.execute(f"CREATE TEMP TABLE {table} AS " + _COUNTS_SQL.format(
        resource="resource" if literal is None else f"coalesce(resource, {literal})",
        order="ts, ord, pos" if ordered else "ts, pos",
        keep="TRUE" if include_self else "src <> dst",
        clash="FALSE" if literal is None else f"resource = {literal}",
        events=events.events))
    skipped, clashes = events.fetch(f'SELECT coalesce(sum("count") FILTER (WHERE "from" IS NULL), 0), '
                                    f"coalesce(sum(clashes), 0) FROM {table}")[0]
    if clashes:
        raise ArgumentError(f"blank_resource '{name}' is also a resource in {events.label} "
                            f"({clashes} event{'s' if clashes != 1 else ''}): choose another name")
    warn_skipped(events.label, int(skipped), events.resource_column)
    select = (f'SELECT "from", "to", "count" FROM {table} WHERE "from" IS NOT NULL AND "to" IS NOT NULL '
              'ORDER BY "from", "to"')
    return HandoffCounts(events, select, int(skipped))
