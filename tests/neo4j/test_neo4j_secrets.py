"""Secrets stay secret: no password in any output, log line, exception or process list; bad URIs are one line.

Each case runs the real command line (``caregraph -v ...``) against a real
Neo4j with a password that appears nowhere else, and looks for it in
standard output, standard error, every log record and the exception text.
"""

from __future__ import annotations

import logging
import os
import socket
import subprocess
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from caregraph import Neo4jBackend, Neo4jError, Neo4jSettings, run_query
from caregraph.cli import main
from loaders.neo4j.settings import ENV_DATABASE, ENV_PASSWORD, ENV_URI, ENV_USER

pytestmark = pytest.mark.neo4j

ROOT = Path(__file__).resolve().parents[2]
SCHEMES = "bolt://, bolt+s://, bolt+ssc://, neo4j://, neo4j+s:// or neo4j+ssc://"


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run_cli(capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture,
             monkeypatch: pytest.MonkeyPatch, env: dict[str, str | None], *args: str) -> tuple[int, str]:
    """Run ``caregraph -v ARGS`` with exactly ``env`` for Neo4j; return the status and everything it said."""
    for name in (ENV_URI, ENV_USER, ENV_PASSWORD, ENV_DATABASE):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        if value is not None:
            monkeypatch.setenv(name, value)
    caplog.clear()
    caplog.set_level(logging.DEBUG, logger="neo4j")  # the driver's own lines too, should -v ever show them
    status = main(["-v", *args])
    out, err = capsys.readouterr()
    logged = "\n".join(f"{r.name} {r.getMessage()} {r.exc_text or ''}" for r in caplog.records)
    return status, f"{out}\n{err}\n{logged}"


def _one_line(text: str) -> str:
    errors = [line for line in text.splitlines() if line.startswith("caregraph: ")]
    assert len(errors) >= 1 and "Traceback" not in text, text
    return errors[-1]


@pytest.mark.parametrize("uri", ["bolt://neo4j:secretpw123@127.0.0.1:7687", "neo4j+s://secretpw123@host.example",
                                 "bolt://neo4j:secretpw123@@127.0.0.1:7687", "neo4j:secretpw123@127.0.0.1:7687"])
def test_a_uri_with_credentials_is_refused_and_never_repeated(
    uri: str, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(Neo4jError) as refused:
        Neo4jSettings.from_env(environ={ENV_URI: uri})
    assert "secretpw123" not in str(refused.value) and "secretpw123" not in repr(refused.value)
    monkeypatch.setenv(ENV_URI, uri)
    with pytest.raises(Neo4jError) as refused:
        run_query("RETURN 1 AS one")
    assert "secretpw123" not in str(refused.value)
    for args in (["neo4j", "models"], ["query", "RETURN 1 AS one"], ["neo4j", "load", "tests/fixtures/small_model"],
                 ["handoffs", "summary", "tests/fixtures/small_model", "--backend", "neo4j"]):
        status, said = _run_cli(capsys, caplog, monkeypatch, {ENV_URI: uri}, *args)
        assert status == 2, said
        assert "secretpw123" not in said
        line = _one_line(said)
        assert "CAREGRAPH_NEO4J_USER and CAREGRAPH_NEO4J_PASSWORD" in line or "without a scheme" in line, line
    status, said = _run_cli(capsys, caplog, monkeypatch, {}, "neo4j", "models", "--uri", uri)
    assert status == 2 and "secretpw123" not in said


@pytest.mark.parametrize("uri", ["http://127.0.0.1:7474", "https://xxxx.databases.neo4j.io", "ftp://db:7687",
                                 "127.0.0.1:7687", "bolt+routing://db:7687"])
def test_a_uri_of_an_unsupported_scheme_is_one_line_naming_the_schemes(
    uri: str, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch
) -> None:
    status, said = _run_cli(capsys, caplog, monkeypatch, {ENV_URI: uri}, "neo4j", "models")
    assert status == 2, said
    line = _one_line(said)
    assert SCHEMES in line and "is not supported" in line, line


def test_no_failure_shows_the_password(
    auth_settings: Neo4jSettings, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch, model_id: Callable[[str], str]
) -> None:
    password = auth_settings.password or ""
    wrong = f"wrong-{password}"
    right = {ENV_URI: auth_settings.uri, ENV_USER: auth_settings.user, ENV_PASSWORD: password}
    cases: list[tuple[str, dict[str, str | None], list[str], str]] = [
        ("wrong password", {**right, ENV_PASSWORD: wrong}, ["neo4j", "models"], "refused the login of user"),
        ("unreachable", {**right, ENV_URI: f"bolt://127.0.0.1:{_closed_port()}"}, ["neo4j", "models"],
         "cannot reach Neo4j"),
        ("no such database", right, ["neo4j", "models", "--database", "nodb"], "has no database 'nodb'"),
        ("syntax error", right, ["query", "MATCH (n RETURN n"], "Cypher syntax error"),
        ("write refused", right, ["query", "CREATE (:CareGraphTestProbe)"], "ran read-only"),
        ("missing parameter", right, ["query", "RETURN $absent AS a"], "needs a parameter"),
        ("no such model", right, ["neo4j", "export", "--model", "no-such-model", "unused"], "has no model"),
    ]
    for name, env, args, expected in cases:
        status, said = _run_cli(capsys, caplog, monkeypatch, env, *args)
        assert status == 2, (name, said)
        assert expected in _one_line(said), (name, said)
        assert password not in said and wrong not in said, name
    model = model_id("secret")
    status, said = _run_cli(capsys, caplog, monkeypatch, right, "neo4j", "load", "tests/fixtures/small_model",
                            "--model", model, "--progress")
    assert status == 0 and "connected to" in said and password not in said
    for settings in (replace(auth_settings, password=wrong), replace(auth_settings, database="nodb")):
        with pytest.raises(Neo4jError) as failed:
            Neo4jBackend(settings)
        assert password not in str(failed.value) and wrong not in str(failed.value)
        assert password not in repr(settings) and wrong not in repr(settings)


def test_a_short_password_does_not_mangle_messages(auth_settings: Neo4jSettings) -> None:
    with pytest.raises(Neo4jError) as refused:
        Neo4jBackend(replace(auth_settings, password="o"))
    message = str(refused.value)
    assert message.startswith(f"Neo4j at {auth_settings.uri} refused the login of user '{auth_settings.user}' (")
    assert "***" not in message


def test_the_test_server_keeps_the_password_off_command_lines_and_out_of_its_files(local_auth_server: object) -> None:
    server, settings = local_auth_server  # type: ignore[misc]
    password = settings.password.encode()
    assert password not in Path(f"/proc/{server.pid}/cmdline").read_bytes()
    assert password not in Path(f"/proc/{server.pid}/environ").read_bytes()
    listing = subprocess.run(["ps", "-eww", "-o", "args"], capture_output=True, check=True).stdout
    assert password not in listing
    files = [path for path in server.home.rglob("*") if path.is_file()]
    assert any(path.name == "debug.log" for path in files), [p.name for p in files]
    leaked = [str(path) for path in files if password in path.read_bytes()]
    assert not leaked, f"the password is written in {leaked}"
    assert not [path for path in files if "auth" in path.name and path.name != "auth.ini"], files
    with Neo4jBackend(settings) as db:
        assert db.run_query("RETURN 1 AS ok")["ok"].tolist() == [1]


def test_the_test_server_refuses_load_csv_from_files(neo4j_settings: Neo4jSettings, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str],
                                                     caplog: pytest.LogCaptureFixture,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    if os.environ.get(ENV_URI):
        pytest.skip("checks the configuration of the project's own test server, not of CAREGRAPH_NEO4J_URI's")
    secret = tmp_path / "secret.csv"
    secret.write_text("line\nconfidential-8f3a\n", encoding="utf-8")
    env = {ENV_URI: neo4j_settings.uri}
    status, said = _run_cli(capsys, caplog, monkeypatch, env, "query",
                            "LOAD CSV FROM $url AS row RETURN row", "--param", f"url=file://{secret}")
    assert status == 2, said
    assert "confidential-8f3a" not in said
    assert "allow_csv_import_from_file_urls" in _one_line(said)
