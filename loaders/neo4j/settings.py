"""Where caregraph's Neo4j is and how to log in: from arguments or the environment.

Settings come from explicit arguments first, then the environment variables
``CAREGRAPH_NEO4J_URI``, ``CAREGRAPH_NEO4J_USER``, ``CAREGRAPH_NEO4J_PASSWORD``
and ``CAREGRAPH_NEO4J_DATABASE``. Nothing has a default except the database
(``neo4j``): there is no default server, user or password. The password is
never shown: not in ``repr``, not in messages, not in logs.

Examples
--------
>>> import caregraph as cg
>>> s = cg.Neo4jSettings.from_env(uri="bolt://127.0.0.1:7687", user="neo4j", password="s3cret",
...                            environ={})
>>> s
Neo4jSettings(uri='bolt://127.0.0.1:7687', user='neo4j', password='***', database='neo4j')
>>> s.auth
('neo4j', 's3cret')
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from networks.errors import Neo4jError

__all__ = ["DEFAULT_DATABASE", "ENV_DATABASE", "ENV_PASSWORD", "ENV_URI", "ENV_USER", "Neo4jSettings"]

ENV_URI = "CAREGRAPH_NEO4J_URI"
ENV_USER = "CAREGRAPH_NEO4J_USER"
ENV_PASSWORD = "CAREGRAPH_NEO4J_PASSWORD"
ENV_DATABASE = "CAREGRAPH_NEO4J_DATABASE"
DEFAULT_DATABASE = "neo4j"


@dataclass(frozen=True)
class Neo4jSettings:
    """How to connect to a Neo4j server.

    Parameters
    ----------
    uri : str
        Bolt or Neo4j URI, e.g. ``bolt://127.0.0.1:7687`` or
        ``neo4j+s://xxxx.databases.neo4j.io`` (Aura).
    user, password : str, optional
        Credentials; both or neither (neither: a server without
        authentication).
    database : str
        Database name (``neo4j`` unless given).

    Raises
    ------
    Neo4jError
        A blank URI, or a user without a password (or the reverse).
    """

    uri: str
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    database: str = DEFAULT_DATABASE

    def __post_init__(self) -> None:
        if not self.uri or not self.uri.strip():
            raise Neo4jError(f"no Neo4j server given: set {ENV_URI} or pass --uri")
        if bool(self.user) != bool(self.password):
            missing = f"{ENV_PASSWORD} (the password)" if self.user else f"{ENV_USER} (or --user)"
            raise Neo4jError(f"Neo4j credentials need both a user and a password: set {missing}")
        if not self.database or not self.database.strip():
            raise Neo4jError("the Neo4j database name is blank")

    @classmethod
    def from_env(
        cls,
        uri: str | None = None,
        user: str | None = None,
        password: str | None = None,
        database: str | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> Neo4jSettings:
        """Build settings from arguments, falling back on ``CAREGRAPH_NEO4J_*`` variables.

        Parameters
        ----------
        uri, user, password, database : str, optional
            Explicit values; ``None`` (or blank) means "take it from the
            environment".
        environ : mapping, optional
            The environment to read (default ``os.environ``).

        Returns
        -------
        Neo4jSettings

        Raises
        ------
        Neo4jError
            No URI anywhere, or only half of the credentials.

        Examples
        --------
        >>> import caregraph as cg
        >>> cg.Neo4jSettings.from_env(environ={"CAREGRAPH_NEO4J_URI": "bolt://db:7687"}).auth is None
        True
        """
        env = os.environ if environ is None else environ

        def pick(value: str | None, name: str) -> str | None:
            chosen = value if value else env.get(name)
            return chosen if chosen else None

        return cls(
            uri=pick(uri, ENV_URI) or "",
            user=pick(user, ENV_USER),
            password=pick(password, ENV_PASSWORD),
            database=pick(database, ENV_DATABASE) or DEFAULT_DATABASE,
        )

    @property
    def auth(self) -> tuple[str, str] | None:
        """``(user, password)`` for the driver, or ``None`` without authentication."""
        if self.user and self.password:
            return (self.user, self.password)
        return None

    def __repr__(self) -> str:
        shown = "'***'" if self.password else "None"
        return (f"Neo4jSettings(uri={self.uri!r}, user={self.user!r}, password={shown}, "
                f"database={self.database!r})")
