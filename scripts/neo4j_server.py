"""Start and stop a local Neo4j Community server for tests.

A thin, standard-library-only wrapper around the ``scripts/neo4j-server``
bash script, so pytest fixtures can run against a real Neo4j 5.26 without
Docker::

    from neo4j_server import start_server

    server = start_server(auth=("neo4j", "s3cret-pass"))
    try:
        ...  # connect to server.uri with the official neo4j driver
    finally:
        server.stop()

The first start resolves the Neo4j jars with Maven (from Maven Central) into
``$CAREGRAPH_NEO4J_CACHE`` (default ``~/.cache/caregraph/neo4j-5.26``); later
starts reuse them. Java 17+ (a JDK) is required; Maven only for that first
fetch.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

__all__ = ["SCRIPT", "Neo4jServer", "Neo4jServerError", "fetch_jars", "start_server"]

#: The bash script that does the work.
SCRIPT: Path = Path(__file__).resolve().parent / "neo4j-server"


class Neo4jServerError(RuntimeError):
    """Raised when the ``neo4j-server`` script fails.

    The message carries the script's standard error, which includes the last
    lines of the server log when startup failed.
    """


def _run(args: list[str], timeout: float, password: str | None = None) -> str:
    """Run the bash script and return its standard output, stripped.

    Parameters
    ----------
    args : list of str
        Arguments after the script name, e.g. ``["stop", "--home", "/tmp/x"]``.
    timeout : float
        Seconds to wait for the script before giving up.
    password : str, optional
        Given to the script in ``CAREGRAPH_NEO4J_PASSWORD`` (never as an
        argument, which any user could read in the process list).

    Returns
    -------
    str
        The script's standard output without surrounding whitespace.

    Raises
    ------
    Neo4jServerError
        If the script exits non-zero or does not finish within ``timeout``.
    """
    env = {name: value for name, value in os.environ.items() if name != "CAREGRAPH_NEO4J_PASSWORD"}
    if password is not None:
        env["CAREGRAPH_NEO4J_PASSWORD"] = password
    try:
        proc = subprocess.run(
            ["bash", str(SCRIPT), *args],
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise Neo4jServerError(
            f"neo4j-server {args[0]} timed out after {timeout:.0f} s"
        ) from exc
    if proc.returncode != 0:
        detail = proc.stderr.strip() or f"exit status {proc.returncode}"
        raise Neo4jServerError(f"neo4j-server {args[0]} failed:\n{detail}")
    return proc.stdout.strip()


@dataclass(frozen=True)
class Neo4jServer:
    """A running local Neo4j server started by :func:`start_server`.

    Attributes
    ----------
    uri : str
        Bolt URI of the server, ``bolt://127.0.0.1:PORT`` (unencrypted).
    home : Path
        The server's home directory (data, ``neo4j.log`` and ``neo4j.pid``).
    pid : int
        Process id of the server's JVM.
    auth : tuple of (str, str) or None
        The ``(user, password)`` the server was started with, or ``None`` when
        authentication is disabled. Pass it as the driver's ``auth``.
    """

    uri: str
    home: Path
    pid: int
    auth: tuple[str, str] | None = None

    def stop(self, timeout: float = 120.0) -> None:
        """Stop the server and wait until its process has exited.

        Safe to call more than once; the home directory is left in place.

        Parameters
        ----------
        timeout : float, optional
            Seconds to wait for the script (which itself sends SIGKILL after
            ``$CAREGRAPH_NEO4J_STOP_TIMEOUT``, default 60 s).

        Raises
        ------
        Neo4jServerError
            If the server could not be stopped.
        """
        _run(["stop", "--home", str(self.home)], timeout=timeout)


def fetch_jars(timeout: float = 1800.0) -> None:
    """Resolve the Neo4j jars into the cache if they are not there yet.

    Parameters
    ----------
    timeout : float, optional
        Seconds to wait for Maven.

    Raises
    ------
    Neo4jServerError
        If Maven is missing or the jars cannot be resolved.
    """
    _run(["fetch"], timeout=timeout)


def start_server(
    auth: tuple[str, str] | None = None,
    home: Path | None = None,
    port: int | None = None,
    timeout: float = 1800.0,
) -> Neo4jServer:
    """Start a local Neo4j server and wait until it accepts Bolt connections.

    Parameters
    ----------
    auth : tuple of (str, str), optional
        ``(user, password)`` to enable authentication with; the user ``neo4j``
        gets that password, any other user is created. ``None`` (the default)
        disables authentication. The password reaches the server through the
        environment and a file only its owner can read, never a command line.
    home : Path, optional
        Home directory for the server; created if missing. Only one server
        may use a home at a time. Default: a fresh temporary directory.
    port : int, optional
        Bolt port on 127.0.0.1. Default: a free port.
    timeout : float, optional
        Seconds to wait for the script, including a first-time jar fetch
        (server startup itself is bounded by ``$CAREGRAPH_NEO4J_START_TIMEOUT``,
        default 180 s).

    Returns
    -------
    Neo4jServer
        The running server; call :meth:`Neo4jServer.stop` when done.

    Raises
    ------
    Neo4jServerError
        If Java or Maven is missing, the jars cannot be fetched, or the
        server does not become ready.
    ValueError
        If ``auth`` has an empty user or password or the user contains ``:``.
    """
    args = ["start"]
    password = None
    if auth is not None:
        user, password = auth
        if not user or not password or ":" in user:
            raise ValueError(
                "auth must be (user, password), both non-empty, user without ':'"
            )
        args += ["--auth", user]
    if home is None:
        home = Path(tempfile.mkdtemp(prefix="caregraph-neo4j."))
    home = Path(home).resolve()
    args += ["--home", str(home)]
    if port is not None:
        args += ["--port", str(int(port))]
    try:
        out = _run(args, timeout=timeout, password=password)
    except Neo4jServerError:
        _stop_quietly(home)  # a timed-out script may have left the JVM running
        raise
    uri = out.splitlines()[-1] if out else ""
    if not uri.startswith("bolt://"):
        _stop_quietly(home)
        raise Neo4jServerError(f"neo4j-server start printed no URI (stdout: {out!r})")
    pid = int((home / "neo4j.pid").read_text().strip())
    return Neo4jServer(uri=uri, home=home, pid=pid, auth=auth)


def _stop_quietly(home: Path) -> None:
    """Best-effort stop of a server in ``home``; errors are ignored."""
    with contextlib.suppress(Neo4jServerError):
        _run(["stop", "--home", str(home)], timeout=120.0)
