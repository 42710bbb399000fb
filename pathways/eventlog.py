"""Journeys from event logs: direct hand-offs between resources, and how they match a designed pathway.

A *hand-off* is one event of a case followed directly by an event of the
same case at another resource (care unit, department, provider, site).
Events of a case are ordered by timestamp, then by the order column if one
is given, then by their position in the file; the counting itself is
``pathways.eventlog_counts``.

Events with no resource are *skipped* by default: they are dropped before
consecutive events are paired, so ``ED, (blank), ICU`` is one hand-off
ED -> ICU. This is exactly what PM4Py does: its ``format_dataframe``
(called with the resource as activity key) drops rows lacking case,
activity or timestamp before it sorts by case, timestamp and row index, and
its handover-of-work network (``beta=0``) then pairs directly consecutive
events (given a blank resource it does not skip it but fails to compare a
missing value with a string). PM4Py's network divides each count by the
number of all consecutive pairs, self-pairs included; multiplied back and
taken off the diagonal, it equals :func:`eventlog_handoffs`, which the tests
check on the MIMIC-III demo log. Skipping can hide stays: ``blank_resource``
counts blank events as a resource of their own instead. Resource values
are trimmed (``"ward"`` and ``" ward "`` are one resource).

The analysis takes events already read and checked: an event table open
in DuckDB (``loaders.event_logs.open_event_log``, for logs of any size), or
a DataFrame as ``loaders.event_logs.read_event_log`` returns.

Examples
--------
>>> import pandas as pd
>>> import caregraph as cg
>>> log = pd.DataFrame({
...     "case": ["1", "1", "1", "1", "2", "2"],
...     "unit": ["ED", "ED", None, "ICU", "ED", "ward "],
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
from typing import Any

import duckdb
import pandas as pd

from networks.errors import ArgumentError, CareGraphError, Problem, ValidationError
from networks.graph import CareGraph
from networks.pathway_flows import pathway_ids, step_table, transition_table

from .choices import STEP_RESOURCES
from .eventlog_counts import EVENTLOG_HANDOFF_COLUMNS, EventSource, eventlog_handoff_counts
from .eventlog_spark import is_spark_frame, spark_handoffs

__all__ = [
    "COMPARE_COLUMNS",
    "EVENTLOG_HANDOFF_COLUMNS",
    "EventSource",
    "compare_with_pathway",
    "eventlog_handoffs",
]

logger = logging.getLogger(__name__)

COMPARE_COLUMNS = ["from", "to", "status", "count", "designed_steps"]

# what trimming drops from both ends of a resource, as loaders.event_logs trims them when reading
_TRIM = "' ' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13) || chr(160)"


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
                   f"nullif(trim(CAST(resource AS VARCHAR), {_TRIM}), '') AS resource",
                   'CAST("timestamp" AS TIMESTAMPTZ) AS ts']
        if "order" in frame.columns:
            columns.append('CAST("order" AS DOUBLE) AS ord')
        self.events = f"(SELECT {', '.join(columns)} FROM frame_events)"

    def _error(self, exc: duckdb.Error) -> CareGraphError:
        return CareGraphError(f"events: {str(exc).splitlines()[0]}")

    def execute(self, sql: str) -> None:
        try:
            self._con.execute(sql)
        except duckdb.Error as exc:
            raise self._error(exc) from None

    def fetch(self, sql: str) -> list[tuple[Any, ...]]:
        try:
            return self._con.execute(sql).fetchall()
        except duckdb.Error as exc:
            raise self._error(exc) from None

    def query(self, sql: str) -> pd.DataFrame:
        try:
            return self._con.sql(sql).df()
        except duckdb.Error as exc:
            raise self._error(exc) from None


def eventlog_handoffs(events: EventSource | pd.DataFrame | Any, *, include_self: bool = False,
                      blank_resource: str | None = None) -> pd.DataFrame:
    """Count direct hand-offs between resources within each case of an event log.

    Parameters
    ----------
    events : EventSource, pandas.DataFrame or pyspark.sql.DataFrame
        The checked events: an event table open in DuckDB
        (``loaders.event_logs.open_event_log``), or a DataFrame with the
        columns ``read_event_log`` returns (``case``, ``resource``,
        ``timestamp``, optionally ``order``), in file order. A PySpark
        DataFrame is counted inside Spark (``pathways.eventlog_spark``),
        with the same rules and the same result.
    include_self : bool
        Also count consecutive events at the same resource (``from == to``).
    blank_resource : str, optional
        Count events with no resource as a resource of this name (such as
        ``"(blank)"``) instead of skipping them (the default, as PM4Py does).

    Returns
    -------
    pandas.DataFrame
        Columns ``from``, ``to``, ``count``, sorted by ``from`` then ``to``.
        ``attrs["skipped_events"]`` is the number of events with no resource
        left out (also logged as a warning).

    Raises
    ------
    networks.errors.ArgumentError
        ``blank_resource`` is blank, or is also a resource of the log.
    networks.errors.ValidationError
        ``events`` is a DataFrame that lacks a column.
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
    if is_spark_frame(events):
        return spark_handoffs(events, include_self=include_self, blank_resource=blank_resource)
    source: EventSource = _FrameEvents(events) if isinstance(events, pd.DataFrame) else events
    counts = eventlog_handoff_counts(source, include_self=include_self, blank_resource=blank_resource)
    result = source.query(counts.select)
    result.attrs["skipped_events"] = counts.skipped_events
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
