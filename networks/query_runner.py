"""The small protocol a graph database backend satisfies, so analyses need not import it.

An analysis that exists both in Python and in Cypher takes either a
``CareGraph`` (NetworkX, the default) or any object with ``run_named``: run
a named, parameterised query from the ``cypher`` package and return the rows
as a DataFrame. The Neo4j implementation lives in ``loaders.neo4j``; this
module only says what it must do (as the graphdatascience client's
QueryRunner does), and gives the analyses the two helpers they share:
``as_at_parameter`` (the date a query filters on, checked as
``CareGraph.as_at`` checks it) and ``run_table`` (a query's rows as a table
with fixed columns).

Examples
--------
>>> import caregraph as cg
>>> import pandas as pd
>>> class Fake:
...     def run_named(self, name, **params):
...         return pd.DataFrame({"id": ["QHM"], "extra": [1]})
>>> isinstance(Fake(), cg.QueryRunner)
True
>>> run_table(Fake(), "networks/anything", ["id"])
    id
0  QHM
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol, runtime_checkable

import pandas as pd

from .errors import SchemaError
from .values import parse_date

__all__ = ["QueryRunner", "as_at_parameter", "run_table"]


@runtime_checkable
class QueryRunner(Protocol):
    """A backend that runs caregraph's named Cypher queries."""

    def run_named(self, name: str, **params: Any) -> pd.DataFrame:
        """Run the query ``cypher/<name>.cypher`` with parameters; return its rows."""
        ...


def as_at_parameter(as_at: Any) -> str | None:
    """Return an as-at date as the ISO text a query compares ``valid_from``/``valid_to`` with.

    Raises
    ------
    SchemaError
        Not a ``YYYY-MM-DD`` date (the same message as ``CareGraph.as_at``).

    Examples
    --------
    >>> as_at_parameter("2026-05-01"), as_at_parameter(None)
    ('2026-05-01', None)
    """
    if as_at is None:
        return None
    try:
        return parse_date(as_at)
    except ValueError as exc:
        raise SchemaError(f"as-at date: {exc}") from None


def run_table(runner: QueryRunner, name: str, columns: Sequence[str], **params: Any) -> pd.DataFrame:
    """Run a named query and return its rows with exactly ``columns``, in order, also when there are none.

    Parameters
    ----------
    runner : QueryRunner
    name : str
        Query name, e.g. ``"pathways/tables/steps"``.
    columns : sequence of str
        The columns to keep, in this order.
    **params
        The query's parameters.

    Returns
    -------
    pandas.DataFrame
        Built from the rows the way the Python tables are (from a list of
        dicts), so missing values and column types come out as they do there.

    Raises
    ------
    SchemaError
        The query does not return one of ``columns`` (the database does not
        hold what caregraph wrote).
    """
    frame = runner.run_named(name, **params)
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise SchemaError(f"query '{name}' returns no column {', '.join(missing)}")
    records = [dict(zip(frame.columns, row, strict=True)) for row in frame.itertuples(index=False, name=None)]
    return pd.DataFrame(records, columns=list(columns))
