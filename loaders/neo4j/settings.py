"""Where caregraph's Neo4j is and how to log in: from arguments or the environment.

Settings come from explicit arguments first, then the environment variables
``CAREGRAPH_NEO4J_URI``, ``CAREGRAPH_NEO4J_USER``, ``CAREGRAPH_NEO4J_PASSWORD``
and ``CAREGRAPH_NEO4J_DATABASE``. Nothing has a default except the database
(``neo4j``): there is no default server, user or password. The password is
never shown: not in ``repr``, not in messages, not in logs.

The URI names the server only: a URI with a user or password in it
(``bolt://neo4j:secret@host:7687``) is refused, without repeating it, since
every message names the server by its URI; credentials come from the user
and password settings. Only the Bolt schemes the driver speaks over Bolt are
accepted (``SCHEMES``); the driver's preview HTTP support (``http://``,
``https://``) is not.

Examples
--------
>>> import caregraph as cg
>>> s = cg.Neo4jSettings.from_env(uri="bolt://127.0.0.1:7687", user="neo4j", password="s3cret",
...                            environ={})
>>> s
Neo4jSettings(uri='bolt://127.0.0.1:7687', user='neo4j', password='***', database='neo4j')
>>> s.auth
('neo4j', 's3cret')
>>> cg.Neo4jSettings(uri="bolt://neo4j:s3cret@127.0.0.1:7687")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
networks.errors.Neo4jError: the Neo4j URI must not hold a user name or password (before '@'): ..._PASSWORD
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from networks.errors import Neo4jError

__all__ = ["DEFAULT_DATABASE", "ENV_DATABASE", "ENV_PASSWORD", "ENV_URI", "ENV_USER", "SCHEMES", "Neo4jSettings",
           "check_uri"]

ENV_URI = "CAREGRAPH_NEO4J_URI"
ENV_USER = "CAREGRAPH_NEO4J_USER"
ENV_PASSWORD = "CAREGRAPH_NEO4J_PASSWORD"
ENV_DATABASE = "CAREGRAPH_NEO4J_DATABASE"
DEFAULT_DATABASE = "neo4j"
#: The URI schemes caregraph connects with: Bolt to one server, or Neo4j (routing, for clusters and Aura);
#: ``+s`` encrypted with a trusted certificate, ``+ssc`` with a self-signed one.
SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*")


def check_uri(uri: str) -> str:
    """Return ``uri`` if it names a Neo4j server by a supported scheme and holds no credentials.

    The messages never repeat the URI: a URI that is refused may hold a
    password.

    Raises
    ------
    Neo4jError
        A blank URI, a scheme caregraph does not connect with (``http``,
        ``https``, none), or a user name or password before ``@``.

    Examples
    --------
    >>> check_uri("neo4j+s://xxxx.databases.neo4j.io")
    'neo4j+s://xxxx.databases.neo4j.io'
    >>> check_uri("http://127.0.0.1:7474")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    networks.errors.Neo4jError: Neo4j URI scheme 'http' is not supported: use bolt://, bolt+s://, ... neo4j+ssc:// (...)
    """
    if not uri or not uri.strip():
        raise Neo4jError(f"no Neo4j server given: set {ENV_URI} or pass --uri")
    schemes = ", ".join(f"{scheme}://" for scheme in SCHEMES[:-1]) + f" or {SCHEMES[-1]}://"
    scheme, sep, _ = uri.partition("://")
    if not sep or scheme not in SCHEMES:
        found = f"scheme '{scheme}'" if sep and _SCHEME.fullmatch(scheme) else "without a scheme"
        raise Neo4jError(f"Neo4j URI {found} is not supported: use {schemes} "
                         "(e.g. bolt://127.0.0.1:7687, or neo4j+s://xxxx.databases.neo4j.io for Aura)")
    try:
        authority = urlsplit(uri).netloc
    except ValueError:
        raise Neo4jError("the Neo4j URI is not a valid URI (e.g. bolt://127.0.0.1:7687)") from None
    if "@" in authority:
        raise Neo4jError(f"the Neo4j URI must not hold a user name or password (before '@'): give the server "
                         f"only, e.g. bolt://HOST:7687, and the login in {ENV_USER} and {ENV_PASSWORD}")
    return uri


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
        A blank URI, a URI ``check_uri`` refuses, or a user without a
        password (or the reverse).
    """

    uri: str
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    database: str = DEFAULT_DATABASE

    def __post_init__(self) -> None:
        check_uri(self.uri)
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
