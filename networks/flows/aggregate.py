"""The one aggregation of flow rows into area-to-area flows: two joins and a group-by.

This is the step that touches every row of a flow table, so it is kept
small and separate: a table of rows (``commissioner_id``, ``provider_id``,
``activity`` and optionally ``cost_gbp`` and grouping columns such as
``service``), a small table placing each commissioner's residents
(``commissioner_id`` -> ``from_area``, ``from_footprint``) and one placing
each provider (``provider_id`` -> ``to_area``, ``to_footprint``). Another
engine can implement the same three-table contract and give the same rows:
given a PySpark DataFrame of flow rows, ``aggregate_flows`` runs in Spark
(``networks.flows.aggregate_spark``). Everything before (placing
organisations) and after (shares, rankings, footprints) works on small
tables.

Examples
--------
>>> import pandas as pd
>>> flows = pd.DataFrame({"commissioner_id": ["36L", "36L", "72Q"], "provider_id": ["RJ7", "RJZ", "RJZ"],
...                       "activity": [30.0, 70.0, 50.0]})
>>> commissioners = pd.DataFrame({"commissioner_id": ["36L", "72Q"], "from_area": ["QWE", "QKK"],
...                               "from_footprint": ["QWE", "QKK"]})
>>> providers = pd.DataFrame({"provider_id": ["RJ7", "RJZ"], "to_area": ["QWE", "QKK"],
...                           "to_footprint": ["QWE", "QKK"]})
>>> aggregate_flows(flows, commissioners, providers)[["from_area", "to_area", "activity", "rows"]].values.tolist()
[['QKK', 'QKK', 50.0, 1], ['QWE', 'QKK', 70.0, 1], ['QWE', 'QWE', 30.0, 1]]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from networks.spark_sql import is_spark_frame

from .aggregate_spark import spark_aggregate_flows

__all__ = ["AGGREGATE_COLUMNS", "aggregate_flows"]

AGGREGATE_COLUMNS = ("from_area", "from_footprint", "to_area", "to_footprint")
"""The leading columns of ``aggregate_flows``' result, before any ``by`` columns and the sums."""


def aggregate_flows(
    flows: pd.DataFrame | Any,
    commissioner_areas: pd.DataFrame,
    provider_areas: pd.DataFrame,
    by: Sequence[str] = (),
) -> pd.DataFrame:
    """Sum activity (and cost) from each residents' area to each provider area.

    Parameters
    ----------
    flows : pandas.DataFrame or pyspark.sql.DataFrame
        ``commissioner_id``, ``provider_id``, ``activity``, optionally
        ``cost_gbp`` and the ``by`` columns. A PySpark DataFrame is
        aggregated inside Spark (``spark_aggregate_flows``).
    commissioner_areas : pandas.DataFrame
        ``commissioner_id``, ``from_area``, ``from_footprint`` (the area whose
        providers count as "inside"; ``None`` when where the patients live is
        not known), one row per commissioner of ``flows``.
    provider_areas : pandas.DataFrame
        ``provider_id``, ``to_area``, ``to_footprint``, one row per provider.
    by : sequence of str
        Further columns of ``flows`` to keep apart (e.g. ``["service"]``).

    Returns
    -------
    pandas.DataFrame
        ``AGGREGATE_COLUMNS``, the ``by`` columns, ``activity``, ``cost_gbp``
        (when ``flows`` has it) and ``rows`` (flow rows summed), sorted by
        the key columns. Missing keys stay ``None``.

    Raises
    ------
    ValueError
        A commissioner or provider of ``flows`` that the area tables do not
        place (a caller's bug: ``networks.flows.places.locate`` places all).
    """
    if is_spark_frame(flows):
        return spark_aggregate_flows(flows, commissioner_areas, provider_areas, [*AGGREGATE_COLUMNS, *by])
    located = flows.merge(commissioner_areas, on="commissioner_id", how="left", validate="many_to_one")
    located = located.merge(provider_areas, on="provider_id", how="left", validate="many_to_one")
    if located["from_area"].isna().any() or located["to_area"].isna().any():
        raise ValueError("aggregate_flows: a commissioner or provider of the flows has no area")
    keys = [*AGGREGATE_COLUMNS, *by]
    sums = {"activity": ("activity", "sum")}
    if "cost_gbp" in located:
        sums["cost_gbp"] = ("cost_gbp", "sum")
    sums["rows"] = ("activity", "size")
    table = located.groupby(keys, dropna=False, sort=True).agg(**sums).reset_index()
    table[keys] = table[keys].astype(object).where(table[keys].notna(), None)
    return table.astype({"rows": int})
