"""``aggregate_flows`` inside Spark, for flow rows held as a PySpark DataFrame (Databricks, a Spark cluster).

The same three-table contract as ``networks.flows.aggregate``: the flow
rows stay in Spark; the two small area tables (one row per commissioner
and per provider, built on the driver) are sent to Spark and broadcast,
so each executor joins its share of the rows without a shuffle of them;
one group-by sums activity (and cost) per area pair, and only those sums
(a few thousand rows at most) come back to the driver, as the same pandas
table the pandas path gives.

The module imports nothing from PySpark (``networks.spark_sql``).

Examples
--------
>>> from pyspark.sql import SparkSession  # doctest: +SKIP
>>> spark = SparkSession.builder.master("local[2]").getOrCreate()  # doctest: +SKIP
>>> flows = spark.createDataFrame([("36L", "RJ7", 30.0), ("36L", "RJZ", 70.0)],
...                               "commissioner_id string, provider_id string, activity double")  # doctest: +SKIP
>>> import pandas as pd
>>> commissioners = pd.DataFrame({"commissioner_id": ["36L"], "from_area": ["QWE"], "from_footprint": ["QWE"]})
>>> providers = pd.DataFrame({"provider_id": ["RJ7", "RJZ"], "to_area": ["QWE", "QKK"],
...                           "to_footprint": ["QWE", "QKK"]})
>>> keys = ["from_area", "from_footprint", "to_area", "to_footprint"]
>>> spark_aggregate_flows(flows, commissioners, providers, keys)[["to_area", "activity"]].values.tolist()
... # doctest: +SKIP
[['QKK', 70.0], ['QWE', 30.0]]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from networks.spark_sql import collect

__all__ = ["located_rows", "spark_aggregate_flows", "spark_table"]

_SQL = """
SELECT /*+ BROADCAST(c), BROADCAST(p) */ {keys}, sum(f.activity) AS activity{cost}, count(*) AS rows,
       count_if(c.commissioner_id IS NULL OR p.provider_id IS NULL) AS unplaced
FROM {{flows}} f
LEFT JOIN {{commissioners}} c ON f.commissioner_id = c.commissioner_id
LEFT JOIN {{providers}} p ON f.provider_id = p.provider_id
GROUP BY {keys}
"""


def _column(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def spark_table(spark: Any, table: pd.DataFrame) -> Any:
    """A small pandas table of text (``None`` for blanks) as a Spark DataFrame of strings, on ``spark``."""
    records = [tuple(None if pd.isna(v) else str(v) for v in row)
               for row in table.itertuples(index=False, name=None)]
    schema = ", ".join(f"{_column(str(c))} string" for c in table.columns)
    return spark.createDataFrame(records, schema)


def spark_aggregate_flows(
    flows: Any,
    commissioner_areas: pd.DataFrame,
    provider_areas: pd.DataFrame,
    keys: Sequence[str],
) -> pd.DataFrame:
    """Sum activity (and cost) from each residents' area to each provider area, inside Spark.

    Parameters
    ----------
    flows : pyspark.sql.DataFrame
        ``commissioner_id``, ``provider_id`` (text), ``activity`` (a
        number), optionally ``cost_gbp`` (a number) and the further columns of ``keys``.
    commissioner_areas, provider_areas
        As for ``networks.flows.aggregate.aggregate_flows``.
    keys : sequence of str
        The columns to group by: ``AGGREGATE_COLUMNS`` and the ``by`` columns.

    Returns
    -------
    pandas.DataFrame
        As ``aggregate_flows``: the same rows in the same order.

    Raises
    ------
    ValueError
        A commissioner or provider of ``flows`` that the area tables do not place.
    networks.errors.CareGraphError
        Spark fails.
    """
    spark = flows.sparkSession
    keys = list(keys)
    costed = "cost_gbp" in flows.columns
    sql = _SQL.format(keys=", ".join(_column(k) for k in keys), cost=", sum(f.cost_gbp) AS cost_gbp" if costed else "")
    rows = collect(sql, {"flows": flows, "commissioners": spark_table(spark, commissioner_areas),
                         "providers": spark_table(spark, provider_areas)})
    if any(row["unplaced"] for row in rows):
        raise ValueError("aggregate_flows: a commissioner or provider of the flows has no area")
    columns = [*keys, "activity", *(["cost_gbp"] if costed else []), "rows"]
    table = pd.DataFrame([[row[c] for c in columns] for row in rows], columns=columns)
    table = table.astype({"activity": float, **({"cost_gbp": float} if costed else {}), "rows": int})
    table[keys] = table[keys].astype(object).where(table[keys].notna(), None)
    return table.sort_values(keys, na_position="last", kind="mergesort", ignore_index=True)


def located_rows(flows: Any, commissioner_areas: pd.DataFrame, provider_areas: pd.DataFrame) -> Any:
    """The flow rows with their ``from_area`` and ``to_area``: a Spark DataFrame, lazy (nothing runs until used).

    ``commissioner_areas`` has ``commissioner_id`` and ``from_area``,
    ``provider_areas`` ``provider_id`` and ``to_area``, both small: they
    are broadcast.
    """
    spark = flows.sparkSession
    commissioners = spark_table(spark, commissioner_areas[["commissioner_id", "from_area"]])
    providers = spark_table(spark, provider_areas[["provider_id", "to_area"]])
    return (flows.join(commissioners.hint("broadcast"), "commissioner_id", "left")
            .join(providers.hint("broadcast"), "provider_id", "left"))
