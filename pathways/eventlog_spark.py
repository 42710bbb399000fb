"""Hand-offs counted inside Spark, for event logs held as a PySpark DataFrame (Databricks, a Spark cluster).

The same rules as the DuckDB path (``pathways.eventlog_counts``): resource
values trimmed, blank resources skipped (or named with
``blank_resource``), events of a case ordered by timestamp, then the order
column, then their position; every row checked, a missing case or timestamp
or an unparseable timestamp or order value an error. The work is one Spark
SQL query on the DataFrame's own session: ``lead() IGNORE NULLS OVER
(PARTITION BY case ORDER BY ...)`` grouped by pair, with the checks folded
into the same aggregation, so Spark reads the data once and only the counts
(one row per pair of resources) come back to the driver.

Position is ``monotonically_increasing_id()`` of the DataFrame as given:
file order for a file freshly read, or a pandas frame passed to
``createDataFrame``. After a shuffle (a join, a ``repartition``) it is not
file order any more, so give an order column when equal timestamps occur.
Timestamps given as text are read as UTC (the session time zone is set to
UTC for the query and restored after it); timestamp columns are instants
already.

The module imports nothing from PySpark: it runs SQL through
``frame.sparkSession``, so it works with classic and Spark Connect
DataFrames alike (Databricks uses both).

Examples
--------
>>> from pyspark.sql import SparkSession  # doctest: +SKIP
>>> spark = SparkSession.builder.master("local[2]").getOrCreate()  # doctest: +SKIP
>>> log = spark.createDataFrame([("1", "ED", "2024-01-01 10:00"), ("1", "ICU", "2024-01-01 11:00")],
...                             "case string, resource string, timestamp string")  # doctest: +SKIP
>>> import caregraph as cg
>>> cg.eventlog_handoffs(log).values.tolist()  # doctest: +SKIP
[['ED', 'ICU', 1]]
"""

from __future__ import annotations

import logging
from typing import Any

import pandas as pd

from networks.errors import ArgumentError, Problem, ValidationError
from networks.spark_sql import SPARK_LABEL as _LABEL
from networks.spark_sql import collect, is_spark_frame, like_this, quoted, trimmed

from .eventlog_counts import EVENTLOG_HANDOFF_COLUMNS, warn_skipped

__all__ = ["is_spark_frame", "spark_handoffs"]

logger = logging.getLogger(__name__)

_TIMESTAMP_HELP = "expected ISO 8601 such as 2024-03-01 14:30:00"

_SQL = """
SELECT src AS `from`, CASE WHEN src IS NOT NULL AND dst IS NOT NULL AND {keep} THEN dst END AS `to`,
       count(*) AS n, count_if(clash) AS clashes,
       count_if(case_id IS NULL) AS case_missing,
       count_if(ts_raw IS NULL) AS timestamp_missing,
       count_if(ts_raw IS NOT NULL AND ts IS NULL) AS timestamp_bad,
       min_by(ts_raw, CASE WHEN ts_raw IS NOT NULL AND ts IS NULL THEN pos END) AS timestamp_example,
       count_if({ord_missing}) AS order_missing,
       count_if({ord_bad}) AS order_bad,
       min_by(ord_raw, CASE WHEN {ord_bad} THEN pos END) AS order_example
FROM (
    SELECT *, {resource} AS src, {clash} AS clash,
           lead({resource}) IGNORE NULLS OVER (PARTITION BY case_id ORDER BY ts, {order} pos) AS dst
    FROM (
        SELECT {case} AS case_id, {resource_value} AS resource, {ts_raw} AS ts_raw,
               try_cast({ts_raw} AS TIMESTAMP) AS ts, {ord_raw} AS ord_raw, try_cast({ord_raw} AS DOUBLE) AS ord,
               monotonically_increasing_id() AS pos
        FROM {view}
    )
)
GROUP BY 1, 2
"""

# (column, count, example, message) for each rule, in the order the DuckDB path reports them
_RULES = [
    ("case", "case_missing", None, lambda _: "required value is missing"),
    ("timestamp", "timestamp_missing", None, lambda _: "required value is missing"),
    ("timestamp", "timestamp_bad", "timestamp_example", lambda v: f"'{v}' is not a timestamp ({_TIMESTAMP_HELP})"),
    ("order", "order_missing", None, lambda _: "required value is missing"),
    ("order", "order_bad", "order_example", lambda v: f"'{v}' is not a number"),
]


def _problems(rows: list[Any]) -> list[Problem]:
    problems = []
    for column, count_name, example_name, message in _RULES:
        count = sum(row[count_name] for row in rows)
        if count:
            example = next((row[example_name] for row in rows if example_name and row[example_name] is not None),
                           None)
            problems.append(Problem(_LABEL, None, column, like_this(message(example), count)))
    return problems


def spark_handoffs(frame: Any, *, include_self: bool = False, blank_resource: str | None = None) -> pd.DataFrame:
    """Count direct hand-offs inside Spark; the result is the same as the DuckDB path gives on the same events.

    Parameters
    ----------
    frame : pyspark.sql.DataFrame
        Columns ``case``, ``resource``, ``timestamp`` (text in ISO 8601,
        or a timestamp) and optionally ``order`` (a number), as
        ``read_event_log`` names them; other columns are ignored.
    include_self, blank_resource
        As for :func:`pathways.eventlog.eventlog_handoffs`.

    Returns
    -------
    pandas.DataFrame
        Columns ``from``, ``to``, ``count`` sorted by ``from`` then ``to``;
        ``attrs["skipped_events"]`` counts events with no resource left out.

    Raises
    ------
    networks.errors.ValidationError
        A missing column, a missing case or timestamp, an unparseable
        timestamp or order value (with how many rows are like it).
    networks.errors.ArgumentError
        ``blank_resource`` is blank or is also a resource of the log.
    networks.errors.CareGraphError
        Spark fails (a malformed file read with ``mode="FAILFAST"``, say).
    """
    missing = [c for c in ("case", "resource", "timestamp") if c not in frame.columns]
    if missing:
        raise ValidationError([Problem(_LABEL, None, c, "no such column (expected the columns of read_event_log: "
                                       "case, resource, timestamp[, order])") for c in missing])
    name = None if blank_resource is None else blank_resource.strip()
    if name == "":
        raise ArgumentError("blank_resource must be a name, such as '(blank)'")
    literal = None if name is None else quoted(name)
    ordered = "order" in frame.columns
    sql = _SQL.format(
        view="{events}", case="nullif(CAST(`case` AS STRING), '')", resource_value=trimmed("resource"),
        ts_raw=trimmed("`timestamp`"),
        ord_raw=trimmed("`order`") if ordered else "CAST(NULL AS STRING)",
        ord_missing="ord_raw IS NULL" if ordered else "FALSE",
        ord_bad="ord_raw IS NOT NULL AND ord IS NULL",
        order="ord," if ordered else "",
        resource="resource" if literal is None else f"coalesce(resource, {literal})",
        clash="FALSE" if literal is None else f"resource = {literal}",
        keep="TRUE" if include_self else "src <> dst")
    rows = collect(sql, {"events": frame}, {"spark.sql.session.timeZone": "UTC"})
    problems = _problems(rows)
    if problems:
        raise ValidationError(problems)
    clashes = sum(row["clashes"] for row in rows)
    if clashes:
        raise ArgumentError(f"blank_resource '{name}' is also a resource in the {_LABEL} "
                            f"({clashes} event{'s' if clashes != 1 else ''}): choose another name")
    skipped = sum(row["n"] for row in rows if row["from"] is None)
    warn_skipped(_LABEL, skipped, "resource")
    pairs = sorted((row["from"], row["to"], row["n"]) for row in rows
                   if row["from"] is not None and row["to"] is not None)
    result = pd.DataFrame(pairs, columns=EVENTLOG_HANDOFF_COLUMNS).astype({"count": "int64"})
    result.attrs["skipped_events"] = skipped
    return result
