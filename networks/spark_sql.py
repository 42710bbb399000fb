"""Running Spark SQL on a PySpark DataFrame without importing PySpark: the one home of what the Spark engines share.

The Spark engines (hand-offs of event logs, flow aggregation) take a
PySpark DataFrame and run SQL on its own session (``frame.sparkSession``),
so they work with classic and Spark Connect DataFrames alike and nothing
here imports PySpark. Each query reads a temporary view of a unique name,
collects its (small) result and drops the view; a failure inside Spark
becomes one line (``CareGraphError``), never a Java stack trace.

Examples
--------
>>> import pandas as pd
>>> is_spark_frame(pd.DataFrame()), trimmed("`case`").startswith("nullif(regexp_replace(CAST(`case` AS STRING)")
(False, True)
>>> quoted("it's")
"'it\\\\'s'"
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from networks.errors import ArgumentError, CareGraphError

__all__ = ["SPARK_LABEL", "collect", "is_spark_frame", "like_this", "pandas_only", "quoted", "spark_failure", "trimmed"]

SPARK_LABEL = "Spark DataFrame"
"""How problems name a table given as a Spark DataFrame (it has no file name or row numbers)."""

_NAMES = itertools.count(1)

# Java's \s is space, tab, line feed, vertical tab, form feed and carriage return: with the no-break space,
# the characters the readers trim (loaders.event_logs, networks.values.tidy_frame).
_TRIMMED = "nullif(regexp_replace(CAST({column} AS STRING), '^[\\\\s\\\\u00a0]+|[\\\\s\\\\u00a0]+$', ''), '')"


def is_spark_frame(frame: object) -> bool:
    """Whether ``frame`` is a PySpark DataFrame (classic or Spark Connect), told without importing PySpark.

    Examples
    --------
    >>> import pandas as pd
    >>> is_spark_frame(pd.DataFrame())
    False
    """
    return type(frame).__module__.startswith("pyspark.sql") and hasattr(frame, "sparkSession")


def pandas_only(frame: object, function: str) -> None:
    """Refuse a Spark DataFrame where a function works on every row in pandas (say so rather than collect it).

    Raises
    ------
    networks.errors.ArgumentError
        ``frame`` is a Spark DataFrame.
    """
    if is_spark_frame(frame):
        raise ArgumentError(f"{function} takes a pandas flow table, not a Spark DataFrame: bring the flows to "
                            "pandas with .toPandas() if they fit, or use flow_network, which runs in Spark")


def trimmed(column: str) -> str:
    """SQL for a column's value as text, trimmed, a blank ``NULL`` (``column`` quoted as SQL needs)."""
    return _TRIMMED.format(column=column)


def quoted(text: str) -> str:
    """A Spark SQL string literal."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def like_this(message: str, count: int) -> str:
    """A problem found on ``count`` rows, said once: ``message (2 more rows like this)``.

    >>> like_this("'x' is not a number", 3)
    "'x' is not a number (2 more rows like this)"
    """
    return message + (f" ({count - 1} more row{'s' if count > 2 else ''} like this)" if count > 1 else "")


def spark_failure(exc: Exception) -> CareGraphError:
    """The one line to report when Spark fails; re-raise anything that is not Spark's own."""
    if not type(exc).__module__.startswith(("pyspark", "py4j")):
        raise exc
    return CareGraphError(f"{SPARK_LABEL}: Spark failed: {str(exc).strip().splitlines()[0]}")


@contextmanager
def _views(frames: Mapping[str, Any]) -> Iterator[dict[str, str]]:
    names = {key: f"caregraph_{key}_{next(_NAMES)}" for key in frames}
    for key, frame in frames.items():
        frame.createOrReplaceTempView(names[key])
    try:
        yield names
    finally:
        spark = next(iter(frames.values())).sparkSession
        for name in names.values():
            spark.catalog.dropTempView(name)


def collect(sql: str, frames: Mapping[str, Any], conf: Mapping[str, str] | None = None) -> list[Any]:
    """Run ``sql`` on the session of ``frames`` and return its rows (``pyspark.sql.Row``).

    Parameters
    ----------
    sql : str
        A query naming each frame as ``{key}`` (replaced by its temporary view).
    frames : mapping of str to pyspark.sql.DataFrame
        The tables the query reads, all of one session.
    conf : mapping, optional
        Session settings for this query only (put back after it).

    Raises
    ------
    networks.errors.CareGraphError
        Spark fails (a malformed file read with ``mode="FAILFAST"``, say).
    """
    spark = next(iter(frames.values())).sparkSession
    saved = {key: spark.conf.get(key) for key in conf or {}}
    for key, value in (conf or {}).items():
        spark.conf.set(key, value)
    try:
        with _views(frames) as names:
            for key, name in names.items():
                sql = sql.replace("{" + key + "}", name)
            return list(spark.sql(sql).collect())
    except Exception as exc:
        raise spark_failure(exc) from None
    finally:
        for key, value in saved.items():
            spark.conf.set(key, value)
