"""Reading a CSV event log into Spark, and starting a local Spark session, for ``--engine spark``.

Needs the optional extra ``caregraph[spark]`` (PySpark, and Java 17 or
later). On Databricks a session exists already (``spark``) and the events
are usually a table: select its columns as ``case``, ``resource``,
``timestamp`` (and ``order``) and pass the DataFrame to
``cg.eventlog_handoffs`` (see docs/spark.md); this module is for running
the same counting from the command line on a machine of one's own.

The CSV is read by Spark in parallel as text (one event per line: Spark
splits the file at line breaks, so a quoted cell must not hold one), with
the header checked first by ``loaders.event_logs.read_csv_header``, so a
missing column is the same one-line error as with DuckDB.

Examples
--------
>>> import caregraph as cg
>>> spark = cg.spark_session()  # doctest: +SKIP
>>> log = cg.read_spark_event_log(spark, "tests/data/mimic_iii_demo/transfers.csv", case="hadm_id",
...                               resource="curr_careunit", timestamp="intime")  # doctest: +SKIP
>>> log.columns  # doctest: +SKIP
['case', 'resource', 'timestamp']
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from pyspark.errors import PySparkException
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from networks.errors import ArgumentError, CareGraphError, Problem, ValidationError

from .event_logs import XES_CASE, XES_RESOURCE, XES_TIMESTAMP, EventColumns, read_csv_header

__all__ = ["read_spark_event_log", "spark_session"]

_SIZE = re.compile(r"\s*(\d+)\s*([KMGT])i?B\s*", re.IGNORECASE)


def spark_session(*, memory_limit: str | None = None, master: str = "local[*]") -> SparkSession:
    """Return the running Spark session, or start a local one (UTC, no web UI, no progress bars).

    Parameters
    ----------
    memory_limit : str, optional
        The driver's memory, in DuckDB's notation (``"2GB"``, ``"512MB"``);
        only for a session started here.
    master : str
        Where a new session runs: ``local[*]`` (every core), ``local[2]``...

    Raises
    ------
    networks.errors.ArgumentError
        A memory limit that is not a size.
    networks.errors.CareGraphError
        Spark could not start (no Java, say).
    """
    builder = (SparkSession.builder.master(master).appName("caregraph")
               .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.session.timeZone", "UTC"))
    if memory_limit is not None:
        size = _SIZE.fullmatch(memory_limit)
        if size is None:
            raise ArgumentError(f"memory limit '{memory_limit}': expected a size such as 2GB or 512MB")
        builder = builder.config("spark.driver.memory", f"{size.group(1)}{size.group(2).lower()}")
    try:
        session = builder.getOrCreate()
    except PySparkException as exc:
        raise CareGraphError(f"Spark could not start: {str(exc).strip().splitlines()[0]}") from None
    session.sparkContext.setLogLevel("ERROR")
    return session


def read_spark_event_log(
    spark: SparkSession,
    log: str | os.PathLike[str],
    *,
    case: str = XES_CASE,
    resource: str = XES_RESOURCE,
    timestamp: str = XES_TIMESTAMP,
    order: str | None = None,
    delimiter: str = ",",
) -> DataFrame:
    """Read a CSV event log (``.csv`` or ``.csv.gz``) as a Spark DataFrame of ``case, resource, timestamp[, order]``.

    Values stay text; ``cg.eventlog_handoffs`` checks, trims and types
    them inside Spark as it counts.

    Raises
    ------
    networks.errors.ValidationError
        No such file, a damaged file or header, a missing column, or an XES
        file (which only the DuckDB engine reads).
    """
    path = Path(log)
    if not path.is_file():
        raise ValidationError([Problem(str(path), None, None, "no such file")])
    if path.name.lower().endswith((".xes", ".xes.gz")):
        raise ValidationError([Problem(path.name, None, None, "the Spark engine reads CSV event logs only; "
                                       "use the DuckDB engine for XES")])
    columns = EventColumns(case, resource, timestamp, order=order)
    read_csv_header(path, columns, delimiter)
    frame = spark.read.csv(str(path.resolve()), header=True, sep=delimiter, quote='"', escape='"',
                           inferSchema=False, mode="FAILFAST", encoding="UTF-8")
    return frame.select(*[F.col("`" + column.replace("`", "``") + "`").alias(role)
                          for role, column in columns.roles().items()])
