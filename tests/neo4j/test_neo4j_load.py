"""Loading models into a real Neo4j: round trips, idempotency, recovery, model isolation, safety."""

from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import neo4j
import pandas as pd
import pytest

from caregraph import (
    CareGraph,
    Neo4jBackend,
    Neo4jError,
    Neo4jSettings,
    list_models,
    load_model,
    read_graph,
    write_graph,
    write_node_link_json,
)
from caregraph.cli import main
from cypher import load_query
from loaders.neo4j import backend as backend_module
from loaders.neo4j.settings import ENV_DATABASE, ENV_PASSWORD, ENV_URI, ENV_USER
from loaders.neo4j.statements import NODE_RESERVED, RELATIONSHIP_RESERVED, node_query, relationship_query
from networks.schema import NODE_KINDS

pytestmark = pytest.mark.neo4j

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted(p.parent for p in (ROOT / "examples").glob("*/organisations.csv"))
EVIL = "x'}) DETACH DELETE n //"
EVIL_ID = "x'}),(n)DETACH/**/DELETE/**/n//"  # ids have no spaces; Cypher comments stand in for them


def _count(db: Neo4jBackend, model: str) -> tuple[int, int]:
    nodes = db.run_query("MATCH (n:CareGraph {model: $m}) RETURN count(n) AS n", {"m": model})
    rels = db.run_query("MATCH (:CareGraph {model: $m})-[r]->() RETURN count(r) AS n", {"m": model})
    return int(nodes["n"][0]), int(rels["n"][0])


def _dump(db: Neo4jBackend, model: str, *, stamps: bool = False) -> tuple[list[Any], list[Any]]:
    """Everything Neo4j holds for a model: labels and properties of nodes and relationships.

    Without ``stamps``, the loader's bookkeeping properties that a new load
    rewrites (its generation, ``_stamped``) are left out.
    """
    nodes = db.execute("MATCH (n:CareGraph {model: $m}) RETURN labels(n), properties(n)", {"m": model}).rows
    rels = db.execute("MATCH (a:CareGraph {model: $m})-[r]->(b) "
                      "RETURN a.id, type(r), b.id, properties(r)", {"m": model}).rows
    kept = set() if stamps else _stamped()
    return (sorted((sorted(labels), sorted(i for i in props.items() if i[0] not in kept)) for labels, props in nodes),
            sorted((a, t, b, sorted(i for i in props.items() if i[0] not in kept)) for a, t, b, props in rels))


def _stamped() -> set[str]:
    """Reserved property names that are not the node's identity (what a reload may rewrite)."""
    return (set(NODE_RESERVED) | set(RELATIONSHIP_RESERVED)) - {"model", "id", "kind", "key", "type"}


def _status(db: Neo4jBackend, model: str) -> str:
    models = list_models(db)
    return str(models.loc[models["model"] == model, "status"].iloc[0])


def _on_write(db: Neo4jBackend, monkeypatch: pytest.MonkeyPatch, text: str, nth: int,
              action: Callable[[], object]) -> None:
    """Run ``action`` just before the ``nth`` write of a query containing ``text``."""
    real_execute = db.execute
    calls = 0

    def execute(cypher: str, params: Any = None, *, write: bool = False) -> Any:
        nonlocal calls
        if write and text in cypher:
            calls += 1
            if calls == nth:
                action()
        return real_execute(cypher, params, write=write)

    monkeypatch.setattr(db, "execute", execute)


def _fail_on(db: Neo4jBackend, monkeypatch: pytest.MonkeyPatch, text: str, nth: int) -> None:
    """Make the ``nth`` write of a query containing ``text`` fail, as a lost connection would."""

    def lose_connection() -> None:
        raise Neo4jError("connection lost (simulated)")

    _on_write(db, monkeypatch, text, nth, lose_connection)


def _chain(size: int) -> CareGraph:
    """A made-up model big enough to interrupt: services in a chain of co-dependencies."""
    graph = CareGraph("chain")
    for i in range(size):
        graph.add_node(f"svc-{i:05d}", "Service", name=f"Service {i}", specialised=i % 2 == 0)
    for i in range(size - 1):
        graph.add_edge(f"svc-{i:05d}", f"svc-{i + 1:05d}", "DEPENDS_ON", level="networked")
    return graph


def test_round_trip_small_model(db: Neo4jBackend, model_id: Callable[[str], str], small_model: Path,
                                capsys: pytest.CaptureFixture[str]) -> None:
    graph = load_model(small_model)
    model = model_id("small")
    result = write_graph(graph, db, model, batch_size=7, show_progress=True)
    assert "100% 62/62 elements" in capsys.readouterr().err
    assert (result.nodes, result.relationships) == (graph.number_of_nodes(), graph.number_of_edges())
    assert (result.nodes_created, result.relationships_created) == (result.nodes, result.relationships)
    back = read_graph(db, model)
    assert back == graph and back.name == graph.name
    assert _count(db, model) == (graph.number_of_nodes(), graph.number_of_edges())
    row = list_models(db).set_index("model").loc[model]
    assert (row["status"], row["nodes"], row["relationships"]) == ("complete", 21, 41)


@pytest.mark.parametrize("folder", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_round_trip_every_example(db: Neo4jBackend, model_id: Callable[[str], str], folder: Path) -> None:
    graph = load_model(folder)
    model = model_id(folder.name)
    write_graph(graph, db, model)
    assert read_graph(db, model) == graph


def test_loading_twice_changes_nothing(db: Neo4jBackend, model_id: Callable[[str], str],
                                       small_model: Path) -> None:
    graph = load_model(small_model)
    model = model_id("twice")
    write_graph(graph, db, model)
    before = _dump(db, model)
    again = write_graph(graph, db, model, batch_size=3)
    assert (again.nodes_created, again.relationships_created) == (0, 0)
    assert _dump(db, model) == before
    assert read_graph(db, model) == graph


def test_failed_batch_leaves_model_loading_and_a_rerun_completes_it(
    db: Neo4jBackend, model_id: Callable[[str], str], small_model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    graph = load_model(small_model)
    model = model_id("broken")
    _fail_on(db, monkeypatch, "UNWIND $rows", 6)
    with pytest.raises(Neo4jError, match="simulated"):
        write_graph(graph, db, model, batch_size=4)
    monkeypatch.undo()
    nodes, rels = _count(db, model)
    assert 0 < nodes + rels < graph.number_of_nodes() + graph.number_of_edges()
    assert _status(db, model) == "loading"
    with pytest.raises(Neo4jError, match="has not finished"):
        read_graph(db, model)
    write_graph(graph, db, model, batch_size=4)
    assert _count(db, model) == (graph.number_of_nodes(), graph.number_of_edges())
    assert read_graph(db, model) == graph


def test_transient_failure_inside_a_batch_is_retried(
    db: Neo4jBackend, model_id: Callable[[str], str], small_model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    graph = load_model(small_model)
    model = model_id("retry")
    real_collect = backend_module._collect
    failed: list[str] = []

    def flaky(tx: neo4j.ManagedTransaction, cypher: str, params: dict[str, Any]) -> Any:
        if cypher.lstrip().startswith("UNWIND") and not failed:
            failed.append(cypher)
            raise neo4j.exceptions.ServiceUnavailable("connection dropped (simulated)")
        return real_collect(tx, cypher, params)

    monkeypatch.setattr(backend_module, "_collect", flaky)
    write_graph(graph, db, model)
    assert failed, "the simulated failure did not happen"
    assert read_graph(db, model) == graph


def _settled_count(db: Neo4jBackend, model: str) -> tuple[int, int]:
    """The model's counts once the server has finished the batches a killed client had already committed.

    A commit sent just before the kill still completes on the server after the client is gone (the load
    writes node batches on two connections), so the counts are read until they stay the same for a second.
    """
    counts, deadline = _count(db, model), time.monotonic() + 30
    while True:
        time.sleep(1.0)
        again = _count(db, model)
        if again == counts or time.monotonic() > deadline:
            return again
        counts = again


def test_killed_load_is_completed_by_running_it_again(
    db: Neo4jBackend, neo4j_settings: Neo4jSettings, model_id: Callable[[str], str], tmp_path: Path
) -> None:
    graph = _chain(4000)
    model = model_id("killed")
    source = tmp_path / "chain.json"
    write_node_link_json(graph, source)
    child_code = (
        "import sys\n"
        "from caregraph import Neo4jBackend, Neo4jSettings, write_graph\n"
        "from caregraph import read_node_link_json\n"
        "with Neo4jBackend(Neo4jSettings.from_env()) as db:\n"
        "    write_graph(read_node_link_json(sys.argv[1]), db, sys.argv[2], batch_size=20)\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAREGRAPH_NEO4J_")}
    s = neo4j_settings
    env.update({ENV_URI: s.uri, ENV_DATABASE: s.database}, **(
        {ENV_USER: s.user, ENV_PASSWORD: s.password} if s.user and s.password else {}))
    child = subprocess.Popen([sys.executable, "-c", child_code, str(source), model], cwd=ROOT, env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while _count(db, model)[0] < 400:
            assert child.poll() is None, f"the load ended before it could be killed: {child.stderr}"
            assert time.monotonic() < deadline, "the load did not start"
            time.sleep(0.02)
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=60)
        if child.stderr:
            child.stderr.close()
    nodes, rels = _settled_count(db, model)
    assert nodes + rels < graph.number_of_nodes() + graph.number_of_edges(), "killed too late"
    assert _status(db, model) == "loading"
    result = write_graph(graph, db, model, batch_size=500)
    assert result.nodes_created == graph.number_of_nodes() - nodes
    assert _count(db, model) == (graph.number_of_nodes(), graph.number_of_edges())
    assert read_graph(db, model) == graph


def test_models_with_the_same_ids_coexist_and_replace_touches_only_one(
    db: Neo4jBackend, model_id: Callable[[str], str], small_model: Path
) -> None:
    graph = load_model(small_model)
    first, second = model_id("first"), model_id("second")
    write_graph(graph, db, first)
    write_graph(graph, db, second)
    token = uuid.uuid4().hex
    db.run_query("CREATE (:CareGraphTestProbe {token: $t, model: $m, id: 'QHM'})"
                 "-[:WATCHES]->(:CareGraphTestProbe {token: $t, model: $m, id: 'RTD'})",
                 {"t": token, "m": first}, write=True)
    try:
        assert read_graph(db, first) == graph and read_graph(db, second) == graph
        smaller = graph.as_at("2024-01-01")
        assert smaller.number_of_nodes() < graph.number_of_nodes()
        write_graph(smaller, db, first, replace=True)
        assert read_graph(db, first) == smaller
        assert _count(db, first) == (smaller.number_of_nodes(), smaller.number_of_edges())
        assert read_graph(db, second) == graph
        probes = db.run_query("MATCH (:CareGraphTestProbe {token: $t})-[w:WATCHES]->"
                              "(:CareGraphTestProbe {token: $t}) RETURN count(w) AS n", {"t": token})
        assert probes["n"][0] == 1
    finally:
        db.run_query("MATCH (p:CareGraphTestProbe {token: $t}) DETACH DELETE p", {"t": token}, write=True)


def test_malicious_values_are_stored_as_data(db: Neo4jBackend, model_id: Callable[[str], str]) -> None:
    graph = CareGraph("evil")
    graph.add_node(EVIL_ID, "Service", name=EVIL, specialised=True, crg_code='"}) MATCH (m) DETACH DELETE m //')
    graph.add_node("plain", "Service", name="plain", specialised=False)
    graph.add_edge(EVIL_ID, "plain", "DEPENDS_ON", level="none", note=EVIL)
    total = "MATCH (n) RETURN count(n) AS n"
    before = int(db.run_query(total)["n"][0])
    model = model_id(f"evil{EVIL}")  # deleted afterwards, like every model made here
    write_graph(graph, db, model)
    assert int(db.run_query(total)["n"][0]) == before + 3  # two services and the model record
    assert read_graph(db, model) == graph
    found = db.run_query("MATCH (n:Service {model: $m, id: $id}) RETURN n.name AS name",
                         {"m": model, "id": EVIL_ID})
    assert found["name"].tolist() == [EVIL]


def test_load_queries_seek_the_identity_index(db: Neo4jBackend, neo4j_settings: Neo4jSettings,
                                             model_id: Callable[[str], str]) -> None:
    def operators(plan: dict[str, Any]) -> list[str]:
        return [plan["operatorType"].split("@")[0]] + [o for c in plan.get("children", []) for o in operators(c)]

    # Neo4j's planner is cost-based: on a nearly empty store a label scan costs less than a seek, as it would
    # for a user's first load. A store with a model in it, and a fresh plan (replan=force, not one cached while
    # the store was empty), is what a load of any size meets after its first batches.
    write_graph(_chain(2000), db, model_id("seek"))
    with neo4j.GraphDatabase.driver(neo4j_settings.uri, auth=neo4j_settings.auth) as driver:
        for query in (node_query("ICB"), relationship_query("PART_OF")):
            summary = driver.execute_query("CYPHER replan=force EXPLAIN " + query, {"model": "m", "rows": []},
                                           database_=neo4j_settings.database).summary
            assert summary.plan is not None
            used = operators(summary.plan)
            assert any(o.startswith("NodeUniqueIndexSeek") for o in used), " ".join(used)
            assert not any("Scan" in o for o in used), used


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    assert status == 0, err
    return status, out


def test_reloading_a_changed_folder_leaves_exactly_the_folder(
    db: Neo4jBackend, model_id: Callable[[str], str], cli_env: Neo4jSettings, tmp_path: Path,
    capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "cardiology"
    shutil.copytree(ROOT / "examples" / "cardiology", folder)
    full = load_model(folder)
    model, other = model_id("reload"), model_id("other")
    write_graph(full, db, model)
    write_graph(full, db, other)
    (folder / "pathways" / "heart-failure.yaml").unlink()
    smaller = load_model(folder)
    assert "heart-failure" in full.nodes_of("Pathway") and "heart-failure" not in smaller.nodes_of("Pathway")
    _cli(capsys, "neo4j", "load", str(folder), "--model", model, "--no-progress")
    assert read_graph(db, model) == smaller
    assert _count(db, model) == (smaller.number_of_nodes(), smaller.number_of_edges())
    row = list_models(db).set_index("model").loc[model]
    assert (row["status"], row["nodes"], row["relationships"]) == (
        "complete", smaller.number_of_nodes(), smaller.number_of_edges())
    by_backend = {}
    for backend in ("networkx", "neo4j"):
        _, out = _cli(capsys, "handoffs", "summary", str(folder), "--backend", backend, "--model", model,
                      "--as-at", "2026-05-01", "--format", "csv")
        by_backend[backend] = pd.read_csv(io.StringIO(out))
    assert by_backend["neo4j"]["pathway"].tolist() == ["chest-pain-to-pci"]
    pd.testing.assert_frame_equal(by_backend["neo4j"], by_backend["networkx"])
    assert read_graph(db, other) == full  # another model with the same ids is untouched


def _kinds_changed() -> tuple[CareGraph, CareGraph]:
    """The same ids before and after: one node changes kind, one loses a property, one edge changes key."""
    before = CareGraph("kinds")
    before.add_node("org", "ICB", name="Org", valid_from="2022-07-01")
    before.add_node("region", "NHSERegion", name="Region")
    before.add_node("svc", "Service", name="Service", specialised=True, crg_code="A01")
    before.add_edge("org", "region", "PART_OF", valid_from="2022-07-01")
    after = CareGraph("kinds")
    after.add_node("org", "NHSTrust", name="Org")
    after.add_node("region", "NHSERegion", name="Region")
    after.add_node("svc", "Service", name="Service", specialised=True)
    after.add_edge("org", "region", "PART_OF", valid_from="2023-04-01")
    return before, after


def test_reload_rewrites_labels_properties_and_keys(db: Neo4jBackend, model_id: Callable[[str], str]) -> None:
    before, after = _kinds_changed()
    model = model_id("kinds")
    write_graph(before, db, model)
    write_graph(after, db, model)
    assert read_graph(db, model) == after
    labels = db.run_query("MATCH (n:CareGraph {model: $m, id: 'org'}) RETURN labels(n) AS labels", {"m": model})
    assert sorted(labels["labels"][0]) == sorted(["CareGraph", *NODE_KINDS["NHSTrust"].labels])
    assert db.run_query("MATCH (n:ICB {model: $m}) RETURN count(n) AS n", {"m": model})["n"][0] == 0
    assert _count(db, model) == (3, 1)


def test_reload_interrupted_anywhere_is_completed_by_the_next_load(
    db: Neo4jBackend, model_id: Callable[[str], str], small_model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    graph = load_model(small_model)
    smaller = graph.as_at("2024-01-01")
    assert smaller.number_of_nodes() < graph.number_of_nodes()
    model = model_id("interrupted")
    for fail_at in ("UNWIND $rows", "DELETE r", "DETACH DELETE n"):  # a batch, the deletion of what is stale
        write_graph(graph, db, model, batch_size=5)
        _fail_on(db, monkeypatch, fail_at, 2)
        with pytest.raises(Neo4jError, match="simulated"):
            write_graph(smaller, db, model, batch_size=5)
        monkeypatch.undo()
        assert _status(db, model) == "loading", fail_at
        with pytest.raises(Neo4jError, match="has not finished"):
            read_graph(db, model)
        write_graph(smaller, db, model, batch_size=5)
        assert read_graph(db, model) == smaller, fail_at
        assert _count(db, model) == (smaller.number_of_nodes(), smaller.number_of_edges()), fail_at


def test_a_load_overtaken_by_a_later_load_of_the_same_model_does_not_finish_it(
    db: Neo4jBackend, model_id: Callable[[str], str], small_model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    graph = load_model(small_model)
    model = model_id("overtaken")
    begin = partial(db.execute, load_query("load/begin_model"), {"model": model, "name": "other"}, write=True)
    _on_write(db, monkeypatch, "UNWIND $rows", 1, begin)  # another load of the model begins meanwhile
    with pytest.raises(Neo4jError, match=r"another load of model .* started while this one ran"):
        write_graph(graph, db, model)
    monkeypatch.undo()
    assert _status(db, model) == "loading"
    write_graph(graph, db, model)
    assert read_graph(db, model) == graph
