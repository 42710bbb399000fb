"""Journeys from event logs: direct hand-offs between resources, and how they match a designed pathway.

A *hand-off* is one event of a case followed directly by an event of the
same case at another resource (care unit, department, provider, site).
Events of a case are ordered by timestamp, then by the order column if one
is given, then by their position in the file.

Events with no resource are *skipped*: they are dropped before consecutive
events are paired, so ``ED, (blank), ICU`` is one hand-off ED -> ICU. This is
exactly what PM4Py does: its ``format_dataframe`` (called with the resource
as activity key) drops rows lacking case, activity or timestamp before it
sorts by case, timestamp and row index, and its handover-of-work network
(``beta=0``) then pairs directly consecutive events (given a blank resource
it does not skip it but fails to compare a missing value with a string).
PM4Py's network divides each count by the number of all consecutive pairs,
self-pairs included; multiplied back and taken off the diagonal, it equals
:func:`eventlog_handoffs`, which the tests check on the MIMIC-III demo log.

The analysis takes events already read and checked: an event table open
in DuckDB (``loaders.event_logs.open_event_log``, for logs of any size: the
counting is one window query, ``lead() OVER (PARTITION BY case ORDER BY
timestamp, order, position)``, that spills to disk when the log does not fit
in memory), or a DataFrame as ``loaders.event_logs.read_event_log`` returns.

Examples
--------
>>> import pandas as pd
>>> import caregraph as cg
>>> log = pd.DataFrame({
...     "case": ["1", "1", "1", "1", "2", "2"],
...     "unit": ["ED", "ED", None, "ICU", "ED", "ward"],
...     "time": ["2024-01-01 10:00", "2024-01-01 11:00", "2024-01-01 12:00", "2024-01-01 13:00",
...              "2024-01-02 09:00", "2024-01-02 09:30"]})
>>> with cg.open_event_log(log, case="case", resource="unit", timestamp="time") as events:
...     handoffs = cg.eventlog_handoffs(events)
>>> handoffs
  from    to  count
0   ED   ICU      1
1   ED  ward      1
>>> handoffs.attrs["skipped_events"]
1
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Protocol, runtime_checkable

import duckdb
import pandas as pd

from networks.errors import ArgumentError, CareGraphError, Problem, ValidationError
from networks.graph import CareGraph
from networks.pathway_flows import pathway_ids, step_table, transition_table

from .choices import STEP_RESOURCES

__all__ = [
    "COMPARE_COLUMNS",
    "EVENTLOG_HANDOFF_COLUMNS",
    "EventSource",
    "compare_with_pathway",
    "eventlog_handoffs",
]

logger = logging.getLogger(__name__)

EVENTLOG_HANDOFF_COLUMNS = ["from", "to", "count"]
COMPARE_COLUMNS = ["from", "to", "status", "count", "designed_steps"]

_HANDOFFS_SQL = """
SELECT src AS "from", CASE WHEN src IS NOT NULL THEN dst END AS "to", count(*) AS "count"
FROM (
    SELECT resource AS src,
           lead(resource IGNORE NULLS) OVER (PARTITION BY case_id ORDER BY {order}) AS dst
    FROM {events}
)
WHERE src IS NULL OR (dst IS NOT NULL AND {keep})
GROUP BY ALL
ORDER BY "from" NULLS FIRST, "to"
"""


@runtime_checkable
class EventSource(Protocol):
    """Checked events held in DuckDB, as ``loaders.event_logs.open_event_log`` gives them.

    ``events`` is a SQL relation with ``pos`` (position in the file),
    ``case_id``, ``resource`` (NULL when blank), ``ts`` (TIMESTAMPTZ) and,
    when the log has one, ``ord``; ``query`` runs SQL on it. ``label``
    names the log and ``resource_column`` the log's resource column, in
    messages.
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

    def query(self, sql: str) -> pd.DataFrame:
        """Run ``sql`` and return the result."""
        ...


class _FrameEvents:
    """Events of a DataFrame shaped as ``read_event_log`` returns, in an in-memory DuckDB."""

    label = "DataFrame"
    resource_column = "resource"

    def __init__(self, frame: pd.DataFrame) -> None:
        missing = [c for c in ("case", "resource", "timestamp") if c not in frame.columns]
        if missing:
            raise ValidationError([Problem("events", None, c, "no such column (expected the columns of "
                                           "read_event_log: case, resource, timestamp[, order])")
                                   for c in missing])
        self._con = duckdb.connect()
        self._con.execute("SET TimeZone = 'UTC'")
        self._con.register("frame_events", frame)
        columns = ["row_number() OVER () - 1 AS pos", 'CAST("case" AS VARCHAR) AS case_id',
                   "CAST(resource AS VARCHAR) AS resource", 'CAST("timestamp" AS TIMESTAMPTZ) AS ts']
        if "order" in frame.columns:
            columns.append('CAST("order" AS DOUBLE) AS ord')
        self.events = f"(SELECT {', '.join(columns)} FROM frame_events)"

    def query(self, sql: str) -> pd.DataFrame:
        try:
            return self._con.sql(sql).df()
        except duckdb.Error as exc:
            raise CareGraphError(f"events: {str(exc).splitlines()[0]}") from None


def eventlog_handoffs(events: EventSource | pd.DataFrame, *, include_self: bool = False) -> pd.DataFrame:
    """Count direct hand-offs between resources within each case of an event log.

    Parameters
    ----------
    events : EventSource or pandas.DataFrame
        The checked events: an event table open in DuckDB
        (``loaders.event_logs.open_event_log``), or a DataFrame with the
        columns ``read_event_log`` returns (``case``, ``resource``,
        ``timestamp``, optionally ``order``), in file order.
    include_self : bool
        Also count consecutive events at the same resource (``from == to``).

    Returns
    -------
    pandas.DataFrame
        Columns ``from``, ``to``, ``count``, sorted by ``from`` then ``to``.
        ``attrs["skipped_events"]`` is the number of events with no resource
        (also logged as a warning).

    Raises
    ------
    networks.errors.CareGraphError
        If DuckDB fails (out of memory with no room to spill).

    Examples
    --------
    Equal timestamps keep file order unless an order column says otherwise:

    >>> import pandas as pd
    >>> import caregraph as cg
    >>> log = pd.DataFrame({"case": ["1", "1", "1"], "unit": ["ED", "ICU", "ward"],
    ...                     "time": ["2024-01-01 10:00"] * 3, "seq": [1, 3, 2]})
    >>> with cg.open_event_log(log, case="case", resource="unit", timestamp="time") as events:
    ...     cg.eventlog_handoffs(events).values.tolist()
    [['ED', 'ICU', 1], ['ICU', 'ward', 1]]
    >>> cg.eventlog_handoffs(cg.read_event_log(log, case="case", resource="unit", timestamp="time",
    ...                                        order="seq")).values.tolist()
    [['ED', 'ward', 1], ['ward', 'ICU', 1]]
    """
    source: EventSource = _FrameEvents(events) if isinstance(events, pd.DataFrame) else events
    ordered = "ord" in source.query(f"SELECT * FROM {source.events} LIMIT 0").columns
    sort = "ts, ord, pos" if ordered else "ts, pos"
    sql = _HANDOFFS_SQL.format(order=sort, events=source.events, keep="TRUE" if include_self else "src <> dst")
    counts = source.query(sql)
    skipped_rows = counts["from"].isna()
    skipped = int(counts.loc[skipped_rows, "count"].sum())
    result = counts.loc[~skipped_rows].reset_index(drop=True)
    result.attrs["skipped_events"] = skipped
    if skipped:
        logger.warning("%s: skipped %d event%s with no '%s'", source.label, skipped,
                       "s" if skipped != 1 else "", source.resource_column)
    logger.info("%s: %d hand-offs between %d pairs of resources", source.label, result["count"].sum(),
                len(result))
    return result


def _step_values(graph: CareGraph, pathway: str, step_resource: str | Mapping[str, str]) -> dict[str, str]:
    """Map each step of the pathway (graph id) to the resource it is expected at."""
    steps = step_table(graph, pathway)
    where = f"pathway '{pathway}'"
    if isinstance(step_resource, str):
        if step_resource not in STEP_RESOURCES:
            raise ArgumentError(f"unknown step_resource '{step_resource}'; "
                             f"choose one of {', '.join(STEP_RESOURCES)} or give a mapping")
        values = dict(zip(steps["step"], steps[step_resource], strict=True))
        what = step_resource
    else:
        local = {str(s).rpartition("/")[2]: s for s in steps["step"]}
        unknown = [key for key in step_resource if key not in local and key not in local.values()]
        if unknown:
            raise ValidationError([Problem(where, f"step '{key}'", None, "no such step in the pathway")
                                   for key in unknown])
        values = {local.get(key, key): value for key, value in step_resource.items()}
        values = {s: values.get(s) for s in steps["step"]}
        what = "resource"
    blank = [s for s, v in values.items() if v is None or pd.isna(v)]
    if blank:
        raise ValidationError([Problem(where, f"step '{s.rpartition('/')[2]}'", what, f"the step has no {what}")
                               for s in blank])
    return {s: str(v) for s, v in values.items()}


def compare_with_pathway(
    observed: pd.DataFrame,
    graph: CareGraph,
    pathway: str,
    *,
    step_resource: str | Mapping[str, str] = "provider",
) -> pd.DataFrame:
    """Set hand-offs seen in an event log against the transitions a pathway designs.

    Each designed transition ``a -> b`` becomes the hand-off between the
    resources of its steps; transitions within one resource are not
    hand-offs and are left out on both sides.

    Parameters
    ----------
    observed : pandas.DataFrame
        Columns ``from``, ``to``, ``count``, as :func:`eventlog_handoffs`
        returns.
    graph : CareGraph
        The model holding the pathway.
    pathway : str
        Pathway id.
    step_resource : {"provider", "site", "setting", "service"} or mapping
        What a step's resource is in the log's terms: a property of the step,
        or a mapping from step id (``gp`` or ``chest-pain/gp``) to the
        resource name used in the log.

    Returns
    -------
    pandas.DataFrame
        Columns ``from``, ``to``, ``status`` (``both``,
        ``observed_not_designed`` or ``designed_not_observed``), ``count``
        (hand-offs observed; 0 if none) and ``designed_steps`` (the designed
        step transitions behind the pair, ``;``-separated), sorted by
        ``from`` then ``to``.

    Raises
    ------
    networks.errors.ValidationError
        Unknown pathway, a step without the chosen resource, a mapping that
        names no step of the pathway, or ``observed`` lacking a column.

    Examples
    --------
    >>> import caregraph as cg
    >>> import pandas as pd
    >>> g = cg.load_model("tests/fixtures/small_model")
    >>> seen = pd.DataFrame({"from": ["GP1", "GP1"], "to": ["RTD", "LA1"], "count": [12, 3]})
    >>> print(cg.compare_with_pathway(seen, g, "chest-pain").to_csv(index=False), end="")
    from,to,status,count,designed_steps
    GP1,LA1,observed_not_designed,3,
    GP1,RTD,both,12,gp->pci
    LA1,RTD,designed_not_observed,0,care->pci
    RTD,LA1,designed_not_observed,0,rehab->care
    """
    missing = [c for c in EVENTLOG_HANDOFF_COLUMNS if c not in observed.columns]
    if missing:
        raise ValidationError([Problem("observed hand-offs", None, c, "no such column") for c in missing])
    pathway_ids(graph, pathway)
    values = _step_values(graph, pathway, step_resource)
    designed: dict[tuple[str, str], list[str]] = {}
    transitions = transition_table(graph, pathway)
    for source, target in zip(transitions["from_step"], transitions["to_step"], strict=True):
        pair = (values[source], values[target])
        if pair[0] != pair[1]:
            designed.setdefault(pair, []).append(
                f"{source.rpartition('/')[2]}->{target.rpartition('/')[2]}")
    seen = observed.loc[observed["from"] != observed["to"], EVENTLOG_HANDOFF_COLUMNS]
    counts = {(str(a), str(b)): int(n) for a, b, n in seen.itertuples(index=False)}
    rows = []
    for pair in sorted(set(designed) | set(counts)):
        status = ("both" if pair in counts and pair in designed
                  else "observed_not_designed" if pair in counts else "designed_not_observed")
        rows.append({"from": pair[0], "to": pair[1], "status": status, "count": counts.get(pair, 0),
                     "designed_steps": "; ".join(designed.get(pair, []))})
    return pd.DataFrame(rows, columns=COMPARE_COLUMNS)
