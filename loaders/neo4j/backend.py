"""``Neo4jBackend``: caregraph's connection to Neo4j through the official driver.

It satisfies ``networks.query_runner.QueryRunner`` (``run_named``), so an analysis that
exists in Cypher runs on it, and it runs ad hoc queries (``run_query``).
Every query runs in a managed transaction (the driver retries transient
failures) and in READ access mode unless writing is asked for, so a query
that writes is refused by the server unless ``write=True``. Values always
travel as parameters.

Examples
--------
>>> import caregraph as cg
>>> issubclass(cg.Neo4jBackend, cg.QueryRunner)
True

With a running Neo4j (shown, not run as a doctest)::

    with Neo4jBackend(model="cardiology") as db:
        db.run_query("MATCH (n:ICB {model: $model}) RETURN n.id AS id", {"model": "cardiology"})
    # id
    # 0  QHM
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import TYPE_CHECKING, Any, cast

import neo4j
import neo4j.graph
import neo4j.spatial
import neo4j.time
import pandas as pd
from neo4j import exceptions as driver_errors

from cypher import load_query

from .driver_errors import explain
from .settings import Neo4jSettings

if TYPE_CHECKING:
    from typing_extensions import LiteralString

__all__ = ["COUNTERS", "Neo4jBackend", "QueryResult", "plain", "run_query"]

log = logging.getLogger(__name__)

#: The summary counters a ``QueryResult`` keeps.
COUNTERS = ("nodes_created", "nodes_deleted", "relationships_created", "relationships_deleted",
            "properties_set", "labels_added", "labels_removed")


@dataclass(frozen=True)
class QueryResult:
    """The rows and update counters of one query.

    Attributes
    ----------
    keys : list of str
        Column names, in ``RETURN`` order.
    rows : list of list
        One list per record, values as plain Python (see ``plain``).
    counters : dict of str to int
        ``nodes_created``, ``relationships_created``, ... (``COUNTERS``).
    """

    keys: list[str]
    rows: list[list[Any]]
    counters: dict[str, int] = field(default_factory=dict)

    def frame(self) -> pd.DataFrame:
        """Return the rows as a DataFrame with one column per key (also when empty).

        Examples
        --------
        >>> QueryResult(["id"], [["QHM"]]).frame()
            id
        0  QHM
        """
        return pd.DataFrame(self.rows, columns=self.keys)


def plain(value: Any) -> Any:
    """Return a driver value as plain Python, for DataFrames, CSV and JSON.

    Nodes and relationships become their property maps (``RETURN labels(n)``
    or ``type(r)`` to see those), paths the list of their nodes' property
    maps, temporal values ISO strings and points lists of coordinates.

    Examples
    --------
    >>> import neo4j.time
    >>> plain({"when": neo4j.time.Date(2026, 4, 1), "ids": ("QHM", "QNQ")})
    {'when': '2026-04-01', 'ids': ['QHM', 'QNQ']}
    """
    if isinstance(value, neo4j.graph.Path):
        return [plain(node) for node in value.nodes]
    if isinstance(value, (neo4j.graph.Node, neo4j.graph.Relationship)):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, (neo4j.time.Date, neo4j.time.DateTime, neo4j.time.Time, neo4j.time.Duration)):
        return value.iso_format()
    if isinstance(value, neo4j.spatial.Point):
        return list(value)
    if isinstance(value, Mapping):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    return value


def _collect(tx: neo4j.ManagedTransaction, cypher: str, params: dict[str, Any]) -> QueryResult:
    """Run one query in a managed transaction and read it to the end."""
    result = tx.run(cast("LiteralString", cypher), params)
    keys = list(result.keys())
    rows = [[plain(value) for value in record.values()] for record in result]
    counters = result.consume().counters
    return QueryResult(keys, rows, {name: int(getattr(counters, name)) for name in COUNTERS})


class Neo4jBackend:
    """A connection to one Neo4j database, checked when it is opened.

    Parameters
    ----------
    settings : Neo4jSettings, optional
        Where to connect; default ``Neo4jSettings.from_env()``.
    model : str, optional
        The model id that ``run_named`` passes as ``$model`` when the caller
        does not (every catalogue query takes ``$model``).

    Raises
    ------
    Neo4jError
        The server cannot be reached, refuses the login, or has no such
        database.

    Notes
    -----
    Use it as a context manager, or call ``close()``.
    """

    def __init__(self, settings: Neo4jSettings | None = None, *, model: str | None = None) -> None:
        self.settings = settings if settings is not None else Neo4jSettings.from_env()
        self.model = model
        try:
            self._driver = neo4j.GraphDatabase.driver(
                self.settings.uri, auth=self.settings.auth, user_agent="caregraph",
                notifications_min_severity="WARNING",
            )
            self._driver.verify_connectivity()  # reachable and the login accepted: no retries
        except (driver_errors.DriverError, driver_errors.Neo4jError, ValueError) as exc:
            if hasattr(self, "_driver"):
                self._driver.close()
            raise explain(exc, self.settings) from exc
        try:
            self.execute("RETURN 1 AS ok")  # the database exists
        except BaseException:
            self._driver.close()
            raise
        log.info("connected to %s, database %s", self.settings.uri, self.settings.database)

    def execute(self, cypher: str, params: Mapping[str, Any] | None = None, *,
                write: bool = False, optional_properties: bool = False) -> QueryResult:
        """Run one query in a managed transaction; return its rows and counters.

        Parameters
        ----------
        cypher : str
            The query text; every value in it should be a ``$parameter``.
        params : mapping, optional
            Parameter values.
        write : bool
            Run in WRITE access mode; by default the transaction is READ-only
            and the server refuses any write.
        optional_properties : bool
            The query reads properties a model need not use (``crg_code``,
            ``valid_to``, ...), as the shipped queries do: the server's
            warning that no node or relationship has such a property yet is
            not logged.

        Returns
        -------
        QueryResult

        Raises
        ------
        Neo4jError
            One line: syntax error, write refused, missing parameter,
            connection lost after the driver's retries, ...
        """
        mode = neo4j.WRITE_ACCESS if write else neo4j.READ_ACCESS
        quiet = [neo4j.NotificationDisabledClassification.UNRECOGNIZED] if optional_properties else None
        try:
            with self._driver.session(database=self.settings.database, default_access_mode=mode,
                                      notifications_disabled_classifications=quiet) as session:
                work = session.execute_write if write else session.execute_read
                return work(_collect, cypher, dict(params or {}))
        except (driver_errors.DriverError, driver_errors.Neo4jError) as exc:
            raise explain(exc, self.settings) from exc

    def run_query(self, cypher: str, params: Mapping[str, Any] | None = None,
                  write: bool = False) -> pd.DataFrame:
        """Run an ad hoc query and return its rows as a DataFrame.

        Parameters
        ----------
        cypher : str
            Query text, e.g. ``"MATCH (n:ICB {model: $model}) RETURN n.id AS id"``.
        params : mapping, optional
            Parameter values (never paste values into the text).
        write : bool
            Allow the query to write (default: READ access mode).

        Returns
        -------
        pandas.DataFrame
            One column per ``RETURN`` item.

        Raises
        ------
        Neo4jError
            See ``execute``.

        Examples
        --------
        With a running Neo4j (shown, not run as a doctest)::

            db.run_query("RETURN $x + 1 AS y", {"x": 41})
            # y
            # 0  42
        """
        return self.execute(cypher, params, write=write).frame()

    def run_named(self, name: str, **params: Any) -> pd.DataFrame:
        """Run the shipped query ``cypher/<name>.cypher`` (read-only) and return its rows.

        Parameters
        ----------
        name : str
            Query name, e.g. ``"networks/organisation_hierarchy"``.
        **params
            Its parameters; ``model`` defaults to the backend's ``model``.

        Returns
        -------
        pandas.DataFrame

        Raises
        ------
        networks.errors.QueryNotFound
            No such query.
        Neo4jError
            The query failed (e.g. a parameter is missing).

        Examples
        --------
        With a running Neo4j (shown, not run as a doctest)::

            db.run_named("networks/model_summary", model="small_model")
        """
        if self.model is not None:
            params.setdefault("model", self.model)
        return self.execute(load_query(name), params, optional_properties=True).frame()

    def close(self) -> None:
        """Close the driver's connections (safe to call twice)."""
        self._driver.close()

    def __enter__(self) -> Neo4jBackend:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()

    def __repr__(self) -> str:
        return (f"Neo4jBackend(uri={self.settings.uri!r}, database={self.settings.database!r}, "
                f"model={self.model!r})")


def run_query(
    cypher: str,
    params: Mapping[str, Any] | None = None,
    *,
    write: bool = False,
    settings: Neo4jSettings | None = None,
) -> pd.DataFrame:
    """Run one ad hoc Cypher query on the Neo4j of ``CAREGRAPH_NEO4J_*`` (or ``settings``) and return its rows.

    Parameters
    ----------
    cypher : str
        Query text; put values in ``$parameters``, never in the text.
    params : mapping, optional
        Parameter values.
    write : bool
        Allow the query to write (default: read-only).
    settings : Neo4jSettings, optional
        Where the server is (default: ``Neo4jSettings.from_env()``).

    Returns
    -------
    pandas.DataFrame
        One column per ``RETURN`` item.

    Raises
    ------
    networks.errors.Neo4jError
        No server configured, the server cannot be reached, or the query fails.

    Examples
    --------
    With a running Neo4j (shown, not run as a doctest)::

        import caregraph as cg
        cg.run_query("MATCH (n:ICB {model: $model}) RETURN n.id AS id", {"model": "cardiology"})
    """
    with Neo4jBackend(settings or Neo4jSettings.from_env()) as backend:
        return backend.run_query(cypher, params, write=write)
