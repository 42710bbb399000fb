"""A flow table as a Spark DataFrame, for ``caregraph flows ... --engine spark``.

Needs the optional extra ``caregraph[spark]`` (PySpark, and Java 17 or
later). On Databricks the flows are usually a table already: select its
columns as ``commissioner_id``, ``provider_id``, ``activity`` (and the
optional ones) and pass the DataFrame to ``cg.flow_network`` (see
docs/spark.md). ``read_spark_flow_table`` reads a CSV flow table
(``.csv`` or ``.csv.gz``) in Spark, values as text, with the header
checked as ``read_flow_table`` checks it; ``spark_flow_table`` hands a
pandas flow table (``cg.rtt_flows()``) to Spark.

Examples
--------
>>> import caregraph as cg
>>> spark = cg.spark_session()  # doctest: +SKIP
>>> flows = cg.spark_flow_table(spark, cg.rtt_flows())  # doctest: +SKIP
>>> flows.columns  # doctest: +SKIP
['commissioner_id', 'provider_id', 'activity', 'period']
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
from pyspark.sql import DataFrame, SparkSession

from networks.errors import Problem, ValidationError
from networks.flows.aggregate_spark import spark_table
from networks.flows.table import FLOW_COLUMNS, FLOW_OPTIONAL_COLUMNS
from networks.spark_sql import spark_failure

from .table_reader import Table

__all__ = ["read_spark_flow_table", "spark_flow_table"]

_COLUMNS = (*FLOW_COLUMNS, *FLOW_OPTIONAL_COLUMNS)


def read_spark_flow_table(spark: SparkSession, path: str | os.PathLike[str]) -> DataFrame:
    """Read a CSV flow table (``.csv`` or ``.csv.gz``) as a Spark DataFrame of its flow columns, as text.

    ``cg.flow_network`` checks, trims and types the values inside Spark.
    Spark splits the file at line breaks, so a quoted cell must not hold one.

    Raises
    ------
    networks.errors.ValidationError
        No such file, an ``.xlsx`` file (which only the pandas engine
        reads), or a missing or unknown column (naming the header, row 1).
    networks.errors.CareGraphError
        Spark cannot read the file.
    """
    file = Path(path)
    if not file.is_file():
        raise ValidationError([Problem(str(file), None, None, "no such file")])
    if not file.name.lower().endswith((".csv", ".csv.gz")):
        raise ValidationError([Problem(file.name, None, None, "the Spark engine reads CSV flow tables only "
                                       "(.csv, .csv.gz); use the DuckDB engine for other files")])
    try:
        frame = spark.read.csv(str(file.resolve()), header=True, quote='"', escape='"', inferSchema=False,
                               mode="FAILFAST", encoding="UTF-8")
        header = [c.strip() for c in frame.columns]
    except Exception as exc:
        raise spark_failure(exc) from None
    problems = Table(file.name, header).column_problems(FLOW_COLUMNS, FLOW_OPTIONAL_COLUMNS)
    if problems:
        raise ValidationError(problems)
    return frame.toDF(*header).select(*[c for c in _COLUMNS if c in header])


def spark_flow_table(spark: SparkSession, flows: pd.DataFrame) -> DataFrame:
    """A pandas flow table (``cg.rtt_flows()``, ``cg.read_flow_table(...)``) as a Spark DataFrame of text.

    Only the flow columns are kept (not ``row``): Spark checks and counts
    the same values.
    """
    return spark_table(spark, flows[[c for c in _COLUMNS if c in flows.columns]])
