"""Connection errors: one line, exit status 2 from the CLI, and never the password."""

from __future__ import annotations

import logging
import socket
from dataclasses import replace

import pytest

from caregraph import Neo4jBackend, Neo4jError, Neo4jSettings
from caregraph.cli import main
from loaders.neo4j.settings import ENV_PASSWORD, ENV_URI, ENV_USER

pytestmark = pytest.mark.neo4j


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def _one_line_error(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("caregraph: "), err
    assert "Traceback" not in err
    return lines[0]


def test_unreachable_server(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    uri = f"bolt://127.0.0.1:{_closed_port()}"
    with pytest.raises(Neo4jError, match=f"^cannot reach Neo4j at {uri}"):
        Neo4jBackend(Neo4jSettings(uri=uri))
    monkeypatch.setenv(ENV_URI, uri)
    status, out, err = _cli(capsys, "neo4j", "models")
    assert status == 2 and out == ""
    assert "cannot reach Neo4j" in _one_line_error(err)


def test_missing_database(neo4j_settings: Neo4jSettings, capsys: pytest.CaptureFixture[str],
                          cli_env: Neo4jSettings) -> None:
    with pytest.raises(Neo4jError, match="has no database 'no_such_db'"):
        Neo4jBackend(replace(neo4j_settings, database="no_such_db"))
    status, _, err = _cli(capsys, "neo4j", "models", "--database", "no_such_db")
    assert status == 2 and "no database" in _one_line_error(err)


def test_syntax_error_in_an_ad_hoc_query(capsys: pytest.CaptureFixture[str], cli_env: Neo4jSettings) -> None:
    status, out, err = _cli(capsys, "query", "MATCH (n RETURN n")
    assert status == 2 and out == ""
    assert _one_line_error(err).startswith("caregraph: Cypher syntax error:")


def test_right_password_works(auth_settings: Neo4jSettings, capsys: pytest.CaptureFixture[str],
                              monkeypatch: pytest.MonkeyPatch) -> None:
    with Neo4jBackend(auth_settings) as db:
        assert db.run_query("RETURN 1 AS ok")["ok"].tolist() == [1]
    monkeypatch.setenv(ENV_URI, auth_settings.uri)
    monkeypatch.setenv(ENV_USER, auth_settings.user or "")
    monkeypatch.setenv(ENV_PASSWORD, auth_settings.password or "")
    status, out, err = _cli(capsys, "query", "RETURN 41 + 1 AS answer", "--format", "csv")
    assert (status, out) == (0, "answer\n42\n")
    assert auth_settings.password and auth_settings.password not in out + err


def test_wrong_password_is_one_line_without_the_password(
    auth_settings: Neo4jSettings, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture
) -> None:
    wrong = f"{auth_settings.password}-but-wrong"
    caplog.set_level(logging.DEBUG)
    with pytest.raises(Neo4jError, match="refused the login of user") as refused:
        Neo4jBackend(replace(auth_settings, password=wrong))
    assert wrong not in str(refused.value) and "\n" not in str(refused.value)
    monkeypatch.setenv(ENV_URI, auth_settings.uri)
    monkeypatch.setenv(ENV_USER, auth_settings.user or "")
    monkeypatch.setenv(ENV_PASSWORD, wrong)
    status, out, err = _cli(capsys, "-v", "neo4j", "models")
    assert status == 2 and out == ""
    assert "refused the login" in _one_line_error(err)
    assert auth_settings.password and auth_settings.password not in err
    assert not [r for r in caplog.records if wrong in r.getMessage()]


def test_no_credentials_for_a_server_that_needs_them(auth_settings: Neo4jSettings) -> None:
    with pytest.raises(Neo4jError, match="requires a login: set CAREGRAPH_NEO4J_USER"):
        Neo4jBackend(Neo4jSettings(uri=auth_settings.uri))
