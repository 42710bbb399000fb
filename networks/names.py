"""Names beside codes: the ``name`` of each node a result names by id, from either backend.

Results name organisations, budgets, steps and pathways by id (an ODS code
such as ``RTD``, a budget id such as ``bud-qhm-core``); people read names.
``add_names`` puts a ``<column>_name`` column beside each id column, read
from the model in memory or from the database
(``cypher/networks/node_names.cypher``), so both backends give the same rows.

Examples
--------
>>> import pandas as pd
>>> import caregraph as cg
>>> g = cg.load_model("tests/fixtures/small_model")
>>> add_names(pd.DataFrame({"holder": ["QHM", "LA1"], "n": [1, 2]}), g, ["holder"]).values.tolist()
[['QHM', 'NHS North East and North Cumbria ICB', 1], ['LA1', 'Example council', 2]]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from networks.graph import CareGraph
from networks.query_runner import QueryRunner, run_table

__all__ = ["add_names", "node_names"]


def node_names(source: CareGraph | QueryRunner, ids: Iterable[object]) -> dict[str, str]:
    """The name of each of ``ids`` that is a node with a name (others are left out)."""
    wanted = sorted({str(i) for i in ids if isinstance(i, str) and i})
    if not wanted:
        return {}
    if isinstance(source, CareGraph):
        found = {i: source.node(i).get("name") for i in wanted if i in source}
    else:
        table = run_table(source, "networks/node_names", ["id", "name"], ids=wanted)
        found = dict(zip(table["id"], table["name"], strict=True))
    return {str(i): str(name) for i, name in found.items() if isinstance(name, str) and name}


def add_names(frame: pd.DataFrame, source: CareGraph | QueryRunner, columns: Sequence[str]) -> pd.DataFrame:
    """Put ``<column>_name`` beside each of ``columns``: the named node's name, blank where it has none.

    Parameters
    ----------
    frame : pandas.DataFrame
        A result naming nodes by id in ``columns``.
    source : CareGraph or QueryRunner
        The model the ids belong to.
    columns : sequence of str
        The id columns; those ``frame`` lacks are skipped.

    Returns
    -------
    pandas.DataFrame
        A new frame, ``attrs`` kept.
    """
    present = [c for c in columns if c in frame.columns]
    names = node_names(source, (v for c in present for v in frame[c]))
    result = frame.copy()
    for column in present:
        position = list(result.columns).index(column) + 1
        values = [names.get(v) if isinstance(v, str) else None for v in result[column]]
        result.insert(position, f"{column}_name", pd.Series(values, index=result.index, dtype=object))
    result.attrs = dict(frame.attrs)
    return result
