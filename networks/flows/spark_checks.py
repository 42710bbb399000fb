"""The checks of ``checked_flows``, inside Spark, for a flow table held as a PySpark DataFrame.

The same rules as ``networks.flows.table.check_flows`` and
``networks.flows.places.check_organisations``: ids given, activity and
costs numbers >= 0 (commas allowed, as in NHS England's files), one cost
column at most, one period, no repeated rows, every id an organisation of
the model of the right kind. A Spark DataFrame has no row numbers and may
have millions of rows, so each problem says how many rows are like it (and
gives one example) instead of listing them, and unknown ids are counted
per id (rows and activity). Two aggregations do the work: one pass
grouping the rows by period and commissioner, and by period and
provider (the ids, their rows and activity, and the counts of bad
values), and one counting repeated rows; their results are small, and
the rows themselves stay in Spark.

Examples
--------
>>> from pyspark.sql import SparkSession  # doctest: +SKIP
>>> spark = SparkSession.builder.master("local[2]").getOrCreate()  # doctest: +SKIP
>>> import caregraph as cg
>>> g = cg.CareGraph()
>>> g.add_node("QWE", "ICB"); g.add_node("RJ7", "NHSTrust")
>>> raw = spark.createDataFrame([("QWE", "RJ7", "-3"), ("QWE", "RJ7", "x")],
...                             "commissioner_id string, provider_id string, activity string")  # doctest: +SKIP
>>> spark_checked_flows(raw, g)  # doctest: +SKIP
Traceback (most recent call last):
...
networks.errors.ValidationError: 3 problems:
  Spark DataFrame, field 'activity': 'x' is not a number
  Spark DataFrame, field 'activity': -3.0 is below the minimum 0
  Spark DataFrame: 1 row repeats another (same commissioner_id, provider_id), e.g. QWE, RJ7
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from networks.choices import UNKNOWN_POLICIES, check_choice
from networks.errors import Problem, ValidationError
from networks.graph import CareGraph
from networks.spark_sql import SPARK_LABEL, collect, like_this, quoted, trimmed

from .places import check_organisation_counts
from .table import BOTH_COSTS, FLOW_COLUMNS, FLOW_KEY, FLOW_NUMBERS, FLOW_OPTIONAL_COLUMNS, ONE_PERIOD, number_problem
from .unknown_ids import row_count

__all__ = ["SparkFlows", "spark_checked_flows"]

# A number as NHS England's files write it: digits with an optional point and exponent (commas are removed first).
# Spark's own cast also takes "1.5d", "Infinity" and "NaN", which are not numbers here.
_NUMBER = "'^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$'"
_TEXT_TYPES = ("string", "varchar", "char")

_SUMMARY = """
SELECT grouping(provider_id) = 1 AS by_commissioner, period, commissioner_id, provider_id,
       count(*) AS n_rows, sum(coalesce(activity, 0)) AS activity{checks}
FROM {{flows}}
GROUP BY GROUPING SETS ((period, commissioner_id), (period, provider_id))
"""

_REPEATS = """
SELECT count(*) AS keys, sum(n) AS n_rows, min(example) AS example
FROM (SELECT concat_ws(', ', {key}) AS example, count(*) AS n FROM {{flows}} GROUP BY {key} HAVING count(*) > 1)
"""


@dataclass(frozen=True)
class SparkFlows:
    """A flow table checked in Spark: the rows kept (lazy) and what the driver needs to place them.

    Attributes
    ----------
    frame : pyspark.sql.DataFrame
        ``commissioner_id``, ``provider_id``, ``activity`` (double),
        ``service``, ``service_name``, ``period`` and, when a cost column
        is given, ``cost_gbp`` (double): the rows of the period analysed,
        without those of skipped ids. Nothing has run on it yet.
    commissioners, providers : list of str
        The ids of the rows kept.
    skipped : pandas.DataFrame
        One row per id skipped (``SKIPPED_COLUMNS``; ``rows`` blank).
    """

    frame: Any
    commissioners: list[str]
    providers: list[str]
    skipped: pd.DataFrame


def _is_text(frame: Any, column: str) -> bool:
    return dict(frame.dtypes)[column].split("(")[0] in _TEXT_TYPES


def _typed(frame: Any, numbers: list[str]) -> Any:
    """The columns of a flow table, ids and text trimmed (blanks ``NULL``), numbers as ``<c>_raw`` text and ``<c>``."""
    present = set(frame.columns)
    columns = []
    for name in ("commissioner_id", "provider_id", "service", "service_name", "period"):
        value = trimmed(f"`{name}`") if name in present else "CAST(NULL AS STRING)"
        columns.append(f"{value} AS {name}")
    for name in numbers:
        if _is_text(frame, name):
            raw = trimmed(f"`{name}`")
            text = f"replace({raw}, ',', '')"
            value = f"CASE WHEN {text} RLIKE {_NUMBER} THEN CAST({text} AS DOUBLE) END"
        else:
            raw = f"CAST(`{name}` AS STRING)"
            finite = f"NOT isnan(`{name}`) AND abs(`{name}`) < double('Infinity')"
            value = f"CASE WHEN {finite} THEN CAST(`{name}` AS DOUBLE) END"
        columns += [f"{raw} AS {name}_raw", f"{value} AS {name}"]
    return frame.selectExpr(*columns)


def _checks(numbers: list[str]) -> str:
    parts = ["count_if(commissioner_id IS NULL) AS commissioner_id_missing",
             "count_if(provider_id IS NULL) AS provider_id_missing", "count_if(period IS NULL) AS period_missing"]
    for c in numbers:
        parts += [f"count_if({c}_raw IS NULL) AS {c}_missing",
                  f"count_if({c}_raw IS NOT NULL AND {c} IS NULL) AS {c}_bad",
                  f"min({c}_raw) FILTER (WHERE {c} IS NULL) AS {c}_bad_example",
                  f"count_if({c} < 0) AS {c}_negative",
                  f"min({c}) FILTER (WHERE {c} < 0) AS {c}_negative_example"]
    return "".join(f",\n       {p}" for p in parts)


def _value_problems(rows: list[Any], numbers: list[str], has_period: bool) -> list[Problem]:
    """Missing ids, periods and numbers, and numbers that are not numbers >= 0: counted over every row."""
    def total(name: str) -> int:
        return sum(row[name] for row in rows)

    def example(name: str) -> Any:
        return min(row[name] for row in rows if row[name] is not None)

    problems = []
    for column in ("commissioner_id", "provider_id", *(["period"] if has_period else []), *numbers):
        if count := total(f"{column}_missing"):
            given = " (the column is given)" if column == "period" else ""
            problems.append(Problem(SPARK_LABEL, None, column, like_this(f"required value is missing{given}", count)))
        if column in numbers:
            for rule in ("bad", "negative"):
                if count := total(f"{column}_{rule}"):
                    message = number_problem(column, example(f"{column}_{rule}_example"))
                    problems.append(Problem(SPARK_LABEL, None, column, like_this(message, count)))
    return problems


def _period(rows: list[Any], period: str | None, has_period: bool) -> tuple[str | None, list[Problem]]:
    """The period to keep (``None``: every row) and the problems in choosing it."""
    if not has_period:
        if period is None:
            return None, []
        return None, [Problem(SPARK_LABEL, None, "period",
                              f"period '{period}' asked for, but the table has no period column")]
    found = sorted({row["period"] for row in rows if row["period"] is not None})
    if period is not None:
        if period not in found:
            return None, [Problem(SPARK_LABEL, None, "period",
                                  f"no rows for period '{period}' (found: {', '.join(found) or 'none'})")]
        return period, []
    if len(found) > 1:
        return None, [Problem(SPARK_LABEL, None, "period", f"{len(found)} periods ({', '.join(found)}): {ONE_PERIOD}")]
    return None, []


def _id_counts(rows: list[Any], period: str | None) -> dict[str, pd.DataFrame]:
    counts = {}
    for field, of_commissioners in (("commissioner_id", True), ("provider_id", False)):
        chosen = [(row[field], row["n_rows"], row["activity"]) for row in rows
                  if row["by_commissioner"] == of_commissioners and row[field] is not None
                  and (period is None or row["period"] == period)]
        frame = pd.DataFrame(chosen, columns=["id", "n_rows", "activity"])
        counts[field] = frame.groupby("id", as_index=False).agg(n_rows=("n_rows", "sum"), activity=("activity", "sum"))
    return counts


def _repeats(typed: Any, key: list[str]) -> list[Problem]:
    row = collect(_REPEATS.format(key=", ".join(key)), {"flows": typed})[0]
    if not row["keys"]:
        return []
    extra = row["n_rows"] - row["keys"]
    verb = "repeats" if extra == 1 else "repeat"
    return [Problem(SPARK_LABEL, None, None,
                    f"{row_count(extra)} {verb} another (same {', '.join(key)}), e.g. {row['example']}")]


def _kept(typed: Any, numbers: list[str], period: str | None, skipped: pd.DataFrame) -> Any:
    conditions = [] if period is None else [f"period = {quoted(period)}"]
    for field in ("commissioner_id", "provider_id"):
        ids = skipped.loc[skipped["field"] == field, "id"]
        if len(ids):
            conditions.append(f"{field} NOT IN ({', '.join(quoted(str(i)) for i in ids)})")
    kept = typed.where(" AND ".join(conditions)) if conditions else typed
    columns = ["commissioner_id", "provider_id", "activity", "service", "service_name", "period"]
    if "cost_gbp" in numbers:
        columns.append("cost_gbp")
    elif "unit_cost_gbp" in numbers:
        columns.append("unit_cost_gbp * activity AS cost_gbp")
    return kept.selectExpr(*columns)


def spark_checked_flows(frame: Any, graph: CareGraph, *, unknown: str = "error",
                        period: str | None = None) -> SparkFlows:
    """Check a flow table held in Spark against ``check_flows``' rules and the model, as ``checked_flows`` does.

    Parameters
    ----------
    frame : pyspark.sql.DataFrame
        ``FLOW_COLUMNS`` and any of ``FLOW_OPTIONAL_COLUMNS``, as text (a
        CSV read by Spark) or typed; other columns are ignored.
    graph, unknown, period
        As for ``networks.flows.places.checked_flows``.

    Returns
    -------
    SparkFlows

    Raises
    ------
    networks.errors.ValidationError
        Every problem at once, each naming its column and how many rows
        are like it: a missing column, missing ids, activity or costs that
        are not numbers >= 0, both cost columns, several periods or a
        period not in the table, repeated rows, unknown organisations (with
        their rows and activity) and ids of the wrong kind.
    networks.errors.CareGraphError
        Spark fails.
    """
    check_choice("unknown", unknown, UNKNOWN_POLICIES)
    missing = [c for c in FLOW_COLUMNS if c not in frame.columns]
    if missing:
        raise ValidationError([Problem(SPARK_LABEL, None, c, "no such column (expected "
                                       f"{', '.join(FLOW_COLUMNS)}[, {', '.join(FLOW_OPTIONAL_COLUMNS)}])")
                               for c in missing])
    numbers = [c for c in FLOW_NUMBERS if c in frame.columns]
    has_period = "period" in frame.columns
    problems = [] if "cost_gbp" not in numbers or "unit_cost_gbp" not in numbers else [
        Problem(SPARK_LABEL, None, "unit_cost_gbp", BOTH_COSTS)]
    typed = _typed(frame, numbers)
    rows = collect(_SUMMARY.format(checks=_checks(numbers)), {"flows": typed})
    problems += _value_problems([row for row in rows if row["by_commissioner"]], numbers, has_period)
    chosen, period_problems = _period(rows, period, has_period)
    problems += period_problems
    in_period = typed if chosen is None else typed.where(f"period = {quoted(chosen)}")
    key = [c for c in FLOW_KEY if c in ("commissioner_id", "provider_id") or c in frame.columns]
    problems += _repeats(in_period, key)
    counts = _id_counts(rows, chosen)
    found, skipped = check_organisation_counts(counts, graph, unknown, SPARK_LABEL)
    problems += found
    if problems:
        raise ValidationError(problems)
    dropped = {(f, i) for f, i in zip(skipped["field"], skipped["id"], strict=True)}
    ids = {field: sorted(str(i) for i in counts[field]["id"] if (field, i) not in dropped) for field in counts}
    return SparkFlows(_kept(typed, numbers, chosen, skipped), ids["commissioner_id"], ids["provider_id"], skipped)
