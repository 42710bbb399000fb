"""The ``caregraph neo4j ...`` and ``caregraph query`` commands, run in-process on a real Neo4j."""

from __future__ import annotations

import io
import json
import uuid
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from caregraph import Neo4jBackend, Neo4jSettings, graph_from_frames, load_model, read_node_link_json
from caregraph.cli import main

pytestmark = pytest.mark.neo4j

EVIL = "x'}) DETACH DELETE n //"


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.parametrize("command", [["neo4j"], ["neo4j", "load"], ["neo4j", "export"], ["neo4j", "models"],
                                     ["neo4j", "delete"], ["query"]])
def test_every_command_has_help(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main([*command, "--help"])
    assert done.value.code == 0
    assert "usage: caregraph" in capsys.readouterr().out


def test_load_models_export_delete(cli_env: Neo4jSettings, db: Neo4jBackend, model_id: Callable[[str], str],
                                   small_model: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    model = model_id("cli")
    graph = load_model(small_model)
    status, out, _ = _cli(capsys, "--format", "json", "neo4j", "load", str(small_model), "--model", model,
                          "--batch-size", "5", "--no-progress")
    assert status == 0
    assert json.loads(out)[0] | {"seconds": 0} == {"model": model, "nodes": 21, "relationships": 41,
                                                   "nodes_created": 21, "relationships_created": 41,
                                                   "nodes_deleted": 0, "relationships_deleted": 0,
                                                   "seconds": 0}
    status, out, _ = _cli(capsys, "neo4j", "models", "--format", "csv")
    models = pd.read_csv(io.StringIO(out)).set_index("model")
    assert models.loc[model, "status"] == "complete"

    status, out, _ = _cli(capsys, "neo4j", "export", "--model", model, str(tmp_path / "frames"))
    assert status == 0
    nodes, edges = (pd.read_csv(tmp_path / "frames" / f"{name}.csv", dtype=str) for name in ("nodes", "edges"))
    assert graph_from_frames(nodes, edges) == graph
    status, _, _ = _cli(capsys, "neo4j", "export", "--model", model, "--json", str(tmp_path / "json"))
    assert status == 0 and read_node_link_json(tmp_path / "json" / "graph.json") == graph

    status, out, _ = _cli(capsys, "--format", "json", "neo4j", "delete", "--model", model)
    assert status == 0
    assert json.loads(out) == [{"model": model, "nodes_deleted": 21, "relationships_deleted": 41}]
    status, _, err = _cli(capsys, "neo4j", "export", "--model", model, str(tmp_path / "gone"))
    assert status == 2 and f"has no model '{model}'" in err


def test_load_replace_from_the_command_line(cli_env: Neo4jSettings, db: Neo4jBackend,
                                            model_id: Callable[[str], str], small_model: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    model = model_id("cli-replace")
    for extra in ([], ["--replace"]):
        status, out, _ = _cli(capsys, "--format", "json", "neo4j", "load", str(small_model), "--model", model,
                              *extra)
        assert status == 0
    assert json.loads(out)[0]["nodes_created"] == 21  # replaced: written anew


def test_query_with_a_malicious_parameter_deletes_nothing(cli_env: Neo4jSettings, db: Neo4jBackend,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    total = "MATCH (n) RETURN count(n) AS n"
    before = int(db.run_query(total)["n"][0])
    status, out, _ = _cli(capsys, "--format", "json", "query",
                          "MATCH (n:CareGraph {id: $id}) RETURN n.id AS id", "--param", f"id={EVIL}")
    assert (status, json.loads(out)) == (0, [])
    token = uuid.uuid4().hex
    try:
        status, out, _ = _cli(capsys, "--format", "json", "query",
                              "CREATE (p:CareGraphTestProbe {token: $token, value: $value}) RETURN p.value AS value",
                              "--param", f"token={token}", "--param", f"value={EVIL}", "--write")
        assert (status, json.loads(out)) == (0, [{"value": EVIL}])
        assert int(db.run_query(total)["n"][0]) == before + 1
    finally:
        db.run_query("MATCH (p:CareGraphTestProbe {token: $t}) DELETE p", {"t": token}, write=True)


def test_query_refuses_writes_without_write(cli_env: Neo4jSettings, db: Neo4jBackend,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    token = uuid.uuid4().hex
    status, out, err = _cli(capsys, "query", "CREATE (:CareGraphTestProbe {token: $t})", "--param", f"t={token}")
    assert status == 2 and out == ""
    assert err.strip() == ("caregraph: the query writes to the database but ran read-only; "
                           "allow writes with --write (write=True)")
    probes = db.run_query("MATCH (p:CareGraphTestProbe {token: $t}) RETURN count(p) AS n", {"t": token})
    assert probes["n"][0] == 0


def test_query_parameters_are_json_when_they_can_be(cli_env: Neo4jSettings,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = _cli(capsys, "--format", "json", "query",
                          "RETURN $n + 1 AS n, $flag AS flag, $ids AS ids, $text AS text, $none AS none",
                          "--param", "n=41", "--param", "flag=true", "--param", 'ids=["QHM","QNQ"]',
                          "--param", "text=QHM", "--param", "none=null")
    assert status == 0
    assert json.loads(out) == [{"n": 42, "flag": True, "ids": ["QHM", "QNQ"], "text": "QHM", "none": None}]
