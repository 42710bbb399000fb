"""The driver's many exceptions turned into one ``Neo4jError`` line a person can act on.

Every message names the server (URI) and, where it matters, the user or
database, and never the password. It is built only from what holds no
secret: the URI (``Neo4jSettings`` refuses one with credentials in it), the
user and database names, the server's error code and message and the
driver's connection failure (neither of which ever sees the password, which
travels only in the login itself). Nothing is masked after the fact.

Examples
--------
>>> import caregraph as cg
>>> from neo4j.exceptions import ServiceUnavailable
>>> settings = cg.Neo4jSettings.from_env(uri="bolt://127.0.0.1:1", environ={})
>>> print(explain(ServiceUnavailable("Couldn't connect (reason [Errno 111] Connection refused)"), settings))
cannot reach Neo4j at bolt://127.0.0.1:1 ([Errno 111] Connection refused)
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from neo4j import exceptions as driver_errors

from networks.errors import Neo4jError

if TYPE_CHECKING:
    from .settings import Neo4jSettings

__all__ = ["explain"]

_REASON = re.compile(r"\(reason (.*)\)\s*$")


def _first_line(text: str) -> str:
    lines = [line.strip() for line in str(text).splitlines() if line.strip()]
    return lines[0] if lines else ""


def _describe(exc: Exception, settings: Neo4jSettings) -> str:
    uri = settings.uri
    if isinstance(exc, driver_errors.ServiceUnavailable):
        found = _REASON.search(str(exc).strip())
        reason = found.group(1) if found else _first_line(str(exc)) or "no answer"
        return f"cannot reach Neo4j at {uri} ({reason})"
    if isinstance(exc, driver_errors.Neo4jError):
        code = exc.code or ""
        message = _first_line(exc.message or str(exc))
        if isinstance(exc, driver_errors.AuthError) or code.startswith("Neo.ClientError.Security."):
            if settings.user is None:
                return (f"Neo4j at {uri} requires a login: set CAREGRAPH_NEO4J_USER and "
                        f"CAREGRAPH_NEO4J_PASSWORD ({message})")
            return f"Neo4j at {uri} refused the login of user '{settings.user}' ({message})"
        if code == "Neo.ClientError.Database.DatabaseNotFound":
            return f"Neo4j at {uri} has no database '{settings.database}'"
        if isinstance(exc, driver_errors.CypherSyntaxError):
            return f"Cypher syntax error: {message}"
        if code == "Neo.ClientError.Statement.AccessMode":
            return "the query writes to the database but ran read-only; allow writes with --write (write=True)"
        if code == "Neo.ClientError.Statement.ParameterMissing":
            return f"the query needs a parameter: {message} (pass it with --param NAME=VALUE)"
        return f"Neo4j error {code or type(exc).__name__}: {message}"
    if isinstance(exc, (driver_errors.ConfigurationError, ValueError)):
        return f"invalid Neo4j settings for {uri}: {_first_line(str(exc))}"
    return f"Neo4j driver error ({type(exc).__name__}): {_first_line(str(exc))}"


def explain(exc: Exception, settings: Neo4jSettings) -> Neo4jError:
    """Return a ``Neo4jError`` with a one-line message for a driver exception.

    Parameters
    ----------
    exc : Exception
        What the ``neo4j`` driver raised (``ServiceUnavailable``,
        ``AuthError``, ``ClientError``, ``ConfigurationError``, ...).
    settings : Neo4jSettings
        The connection, to name the server, user and database.

    Returns
    -------
    Neo4jError
        Its message is one line and never contains the password.
    """
    return Neo4jError(" ".join(_describe(exc, settings).split()))
