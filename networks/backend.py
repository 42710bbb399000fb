"""The small protocol a graph database backend satisfies, so analyses need not import it.

An analysis that exists both in Python and in Cypher takes either a
``CareGraph`` (NetworkX, the default) or any object with ``run_named``: run
a named, parameterised query from the ``cypher`` package and return the rows
as a DataFrame. The Neo4j implementation lives in ``loaders.neo4j``; this
module only says what it must do (as the graphdatascience client's
QueryRunner does).

Examples
--------
>>> class Fake:
...     def run_named(self, name, **params):
...         return None
>>> isinstance(Fake(), QueryRunner)
True
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

import pandas as pd

__all__ = ["QueryRunner"]


@runtime_checkable
class QueryRunner(Protocol):
    """A backend that runs caregraph's named Cypher queries."""

    def run_named(self, name: str, **params: Any) -> pd.DataFrame:
        """Run the query ``cypher/<name>.cypher`` with parameters; return its rows."""
        ...
