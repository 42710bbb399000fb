"""Fixtures for the Neo4j tests: a real server, started once per session.

``CAREGRAPH_NEO4J_URI`` (+ ``_USER``, ``_PASSWORD``, ``_DATABASE``) points the
tests at a Neo4j of your own; otherwise ``scripts/neo4j_server.py`` starts a
local Neo4j Community 5.26 (no auth) for the session, and a second one with
auth only when the auth tests run. When no server can be had, the tests are
skipped with the reason, except under ``CI=true``, where they fail: no Neo4j
test is skipped in CI.

The tests never wipe the database (it may be yours): each test uses its own
model ids and probe values and deletes what it wrote.
"""

from __future__ import annotations

import importlib.util
import os
import secrets
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from caregraph import Neo4jBackend, Neo4jSettings, delete_model
from loaders.neo4j.settings import ENV_DATABASE, ENV_PASSWORD, ENV_URI, ENV_USER

ROOT = Path(__file__).resolve().parents[2]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "neo4j: needs a real Neo4j server (started by the tests, or CAREGRAPH_NEO4J_URI)")


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI must run the Neo4j tests, but no server could be had: {reason}", pytrace=False)
    pytest.skip(f"no Neo4j server ({reason}); set {ENV_URI} or install a JDK 17 and Maven")


def _server_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("neo4j_server", ROOT / "scripts" / "neo4j_server.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def _start(home: Path, auth: tuple[str, str] | None) -> Iterator[tuple[Any, Neo4jSettings]]:
    server_module = _server_module()
    try:
        server = server_module.start_server(auth=auth, home=home)
    except (server_module.Neo4jServerError, OSError) as exc:
        lines = [line for line in str(exc).splitlines() if line.strip()]
        _unavailable(lines[-1] if lines else type(exc).__name__)
    user, password = auth if auth else (None, None)
    try:
        yield server, Neo4jSettings(uri=server.uri, user=user, password=password)
    finally:
        server.stop()


@pytest.fixture(scope="session")
def neo4j_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Neo4jSettings]:
    """Settings of the session's Neo4j: ``CAREGRAPH_NEO4J_*`` if set, else a local server without auth."""
    if os.environ.get(ENV_URI):
        yield Neo4jSettings.from_env()
    else:
        for _, settings in _start(tmp_path_factory.mktemp("neo4j-home"), None):
            yield settings


@pytest.fixture(scope="session")
def local_auth_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Neo4jSettings]]:
    """A local server started with a login (``scripts/neo4j_server.py``), and the settings to log in with."""
    credentials = ("neo4j", f"pw-{secrets.token_urlsafe(12)}")
    yield from _start(tmp_path_factory.mktemp("neo4j-auth-home"), credentials)


@pytest.fixture(scope="session")
def auth_settings(request: pytest.FixtureRequest) -> Neo4jSettings:
    """Settings with the right password: the environment's, else those of ``local_auth_server``."""
    if os.environ.get(ENV_URI) and os.environ.get(ENV_PASSWORD):
        return Neo4jSettings.from_env()
    server_and_settings: tuple[Any, Neo4jSettings] = request.getfixturevalue("local_auth_server")
    return server_and_settings[1]


@pytest.fixture(scope="session")
def db(neo4j_settings: Neo4jSettings) -> Iterator[Neo4jBackend]:
    """An open backend on the session's server."""
    with Neo4jBackend(neo4j_settings) as backend:
        yield backend


@pytest.fixture
def model_id(db: Neo4jBackend) -> Iterator[Callable[[str], str]]:
    """Make unique model ids for one test; every model made is deleted afterwards."""
    made: list[str] = []

    def make(prefix: str = "test") -> str:
        made.append(f"{prefix}-{uuid.uuid4().hex[:10]}")
        return made[-1]

    yield make
    for model in made:
        delete_model(db, model)


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, neo4j_settings: Neo4jSettings) -> Neo4jSettings:
    """Point ``caregraph`` commands at the session's server through the environment."""
    values = {ENV_URI: neo4j_settings.uri, ENV_USER: neo4j_settings.user,
              ENV_PASSWORD: neo4j_settings.password, ENV_DATABASE: neo4j_settings.database}
    for name, value in values.items():
        if value:
            monkeypatch.setenv(name, value)
        else:
            monkeypatch.delenv(name, raising=False)
    return neo4j_settings
