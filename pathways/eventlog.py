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

The log is loaded into a DuckDB table in file order (a CSV is read in
parallel) and the counting is one window query over it (``lead() OVER
(PARTITION BY case ORDER BY timestamp, order, rowid)``); both spill to disk
when the log does not fit in the memory DuckDB may use.

Examples
--------
>>> import pandas as pd
>>> log = pd.DataFrame({
...     "case": ["1", "1", "1", "1", "2", "2"],
...     "unit": ["ED", "ED", None, "ICU", "ED", "ward"],
...     "time": ["2024-01-01 10:00", "2024-01-01 11:00", "2024-01-01 12:00", "2024-01-01 13:00",
...              "2024-01-02 09:00", "2024-01-02 09:30"]})
>>> handoffs = eventlog_handoffs(log, case="case", resource="unit", timestamp="time")
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
from typing import TYPE_CHECKING

import pandas as pd

from networks import Problem, ValidationError

from .eventlog_read import XES_CASE, XES_RESOURCE, XES_TIMESTAMP, EventColumns, LogInput, open_event_log

if TYPE_CHECKING:
    from networks import CareGraph

__all__ = ["COMPARE_COLUMNS", "HANDOFF_COLUMNS", "STEP_RESOURCES", "compare_with_pathway", "eventlog_handoffs"]

logger = logging.getLogger(__name__)

HANDOFF_COLUMNS = ["from", "to", "count"]
COMPARE_COLUMNS = ["from", "to", "status", "count", "designed_steps"]
STEP_RESOURCES = ("provider", "site", "setting", "service")

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


def eventlog_handoffs(
    log: LogInput,
    *,
    case: str = XES_CASE,
    resource: str = XES_RESOURCE,
    timestamp: str = XES_TIMESTAMP,
    order: str | None = None,
    include_self: bool = False,
    delimiter: str = ",",
    memory_limit: str | None = None,
) -> pd.DataFrame:
    """Count direct hand-offs between resources within each case of an event log.

    Parameters
    ----------
    log : path or pandas.DataFrame
        A CSV (optionally gzipped), an XES file (streamed) or a DataFrame.
    case, resource, timestamp : str
        Column names (defaults: the XES standard attributes; in XES a trace
        attribute is ``case:<key>``).
    order : str, optional
        A numeric column that orders events with equal timestamps (before
        file order does).
    include_self : bool
        Also count consecutive events at the same resource (``from == to``).
    delimiter : str
        CSV field separator.
    memory_limit : str, optional
        DuckDB's memory limit, such as ``"2GB"``; beyond it the query spills
        to a temporary folder.

    Returns
    -------
    pandas.DataFrame
        Columns ``from``, ``to``, ``count``, sorted by ``from`` then ``to``.
        ``attrs["skipped_events"]`` is the number of events with no resource
        (also logged as a warning).

    Raises
    ------
    networks.ValidationError
        Missing file or column, a missing case or timestamp, an unparseable
        timestamp or order value, a malformed CSV row or XML: file, row and
        column are named.
    networks.CareGraphError
        If DuckDB fails otherwise (out of memory with no room to spill).

    Examples
    --------
    Equal timestamps keep file order unless an order column says otherwise:

    >>> import pandas as pd
    >>> log = pd.DataFrame({"case": ["1", "1", "1"], "unit": ["ED", "ICU", "ward"],
    ...                     "time": ["2024-01-01 10:00"] * 3, "seq": [1, 3, 2]})
    >>> eventlog_handoffs(log, case="case", resource="unit", timestamp="time").values.tolist()
    [['ED', 'ICU', 1], ['ICU', 'ward', 1]]
    >>> eventlog_handoffs(log, case="case", resource="unit", timestamp="time", order="seq").values.tolist()
    [['ED', 'ward', 1], ['ward', 'ICU', 1]]
    """
    columns = EventColumns(case, resource, timestamp, order=order)
    sort = "ts, ord, pos" if order is not None else "ts, pos"
    with open_event_log(log, columns, delimiter=delimiter, memory_limit=memory_limit) as table:
        sql = _HANDOFFS_SQL.format(order=sort, events=table.events, keep="TRUE" if include_self else "src <> dst")
        counts = table.query(sql)
    skipped_rows = counts["from"].isna()
    skipped = int(counts.loc[skipped_rows, "count"].sum())
    result = counts.loc[~skipped_rows].reset_index(drop=True)
    result.attrs["skipped_events"] = skipped
    if skipped:
        logger.warning("%s: skipped %d event%s with no '%s'", table.label, skipped,
                       "s" if skipped != 1 else "", resource)
    logger.info("%s: %d hand-offs between %d pairs of resources", table.label, result["count"].sum(),
                len(result))
    return result


def _step_values(graph: CareGraph, pathway: str, step_resource: str | Mapping[str, str]) -> dict[str, str]:
    """Map each step of the pathway (graph id) to the resource it is expected at."""
    from .flows import step_table  # NetworkX only when a designed pathway is compared

    steps = step_table(graph, pathway)
    where = f"pathway '{pathway}'"
    if isinstance(step_resource, str):
        if step_resource not in STEP_RESOURCES:
            raise ValueError(f"unknown step_resource '{step_resource}'; "
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
    networks.ValidationError
        Unknown pathway, a step without the chosen resource, a mapping that
        names no step of the pathway, or ``observed`` lacking a column.

    Examples
    --------
    >>> import pandas as pd
    >>> from loaders import load_model
    >>> g = load_model("tests/fixtures/small_model")
    >>> seen = pd.DataFrame({"from": ["GP1", "GP1"], "to": ["RTD", "LA1"], "count": [12, 3]})
    >>> print(compare_with_pathway(seen, g, "chest-pain").to_csv(index=False), end="")
    from,to,status,count,designed_steps
    GP1,LA1,observed_not_designed,3,
    GP1,RTD,both,12,gp->pci
    LA1,RTD,designed_not_observed,0,care->pci
    RTD,LA1,designed_not_observed,0,rehab->care
    """
    missing = [c for c in HANDOFF_COLUMNS if c not in observed.columns]
    if missing:
        raise ValidationError([Problem("observed hand-offs", None, c, "no such column") for c in missing])
    from .flows import pathway_ids, transition_table  # as above

    pathway_ids(graph, pathway)
    values = _step_values(graph, pathway, step_resource)
    designed: dict[tuple[str, str], list[str]] = {}
    transitions = transition_table(graph, pathway)
    for source, target in zip(transitions["from_step"], transitions["to_step"], strict=True):
        pair = (values[source], values[target])
        if pair[0] != pair[1]:
            designed.setdefault(pair, []).append(
                f"{source.rpartition('/')[2]}->{target.rpartition('/')[2]}")
    seen = observed.loc[observed["from"] != observed["to"], HANDOFF_COLUMNS]
    counts = {(str(a), str(b)): int(n) for a, b, n in seen.itertuples(index=False)}
    rows = []
    for pair in sorted(set(designed) | set(counts)):
        status = ("both" if pair in counts and pair in designed
                  else "observed_not_designed" if pair in counts else "designed_not_observed")
        rows.append({"from": pair[0], "to": pair[1], "status": status, "count": counts.get(pair, 0),
                     "designed_steps": "; ".join(designed.get(pair, []))})
    return pd.DataFrame(rows, columns=COMPARE_COLUMNS)
