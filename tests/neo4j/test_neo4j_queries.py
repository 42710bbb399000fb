"""Ad hoc and catalogue queries on a real Neo4j: read-only by default, parameters only."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from caregraph import CareGraph, Neo4jBackend, Neo4jError, Neo4jSettings, load_model, read_graph, write_graph

pytestmark = pytest.mark.neo4j


@pytest.fixture
def small(db: Neo4jBackend, model_id: Callable[[str], str], small_model: Path) -> Iterator[tuple[str, CareGraph]]:
    """The small model, loaded under a fresh id."""
    graph = load_model(small_model)
    model = model_id("catalogue")
    write_graph(graph, db, model)
    yield model, graph


def test_run_query_is_read_only_unless_asked(db: Neo4jBackend) -> None:
    token = uuid.uuid4().hex
    count = "MATCH (p:CareGraphTestProbe {token: $t}) RETURN count(p) AS n"
    with pytest.raises(Neo4jError, match="read-only; allow writes with --write"):
        db.run_query("CREATE (:CareGraphTestProbe {token: $t})", {"t": token})
    assert db.run_query(count, {"t": token})["n"][0] == 0
    try:
        db.run_query("CREATE (:CareGraphTestProbe {token: $t})", {"t": token}, write=True)
        assert db.run_query(count, {"t": token})["n"][0] == 1
    finally:
        db.run_query("MATCH (p:CareGraphTestProbe {token: $t}) DELETE p", {"t": token}, write=True)


def test_query_errors_are_one_line(db: Neo4jBackend) -> None:
    with pytest.raises(Neo4jError, match=r"^Cypher syntax error: Invalid input") as syntax:
        db.run_query("MATCH (n RETURN n")
    with pytest.raises(Neo4jError, match="needs a parameter") as missing:
        db.run_query("RETURN $nothing AS x")
    for error in (syntax, missing):
        assert "\n" not in str(error.value)


def test_results_are_plain_python(db: Neo4jBackend, small: tuple[str, CareGraph]) -> None:
    model, _ = small
    frame = db.run_query("MATCH p = (t:NHSTrust {model: $m})-[r:LOCATED_IN]->(i) "
                         "RETURN t AS trust, r AS located, p AS path, date('2026-04-01') AS day", {"m": model})
    row = frame.iloc[0]
    assert row["trust"]["id"] == "RTD" and row["located"]["model"] == model
    assert [n["id"] for n in row["path"]] == ["RTD", "QHM"] and row["day"] == "2026-04-01"


def test_model_summary_matches_caregraph_summary(db: Neo4jBackend, small: tuple[str, CareGraph]) -> None:
    model, graph = small
    assert db.run_named("networks/model_summary", model=model).equals(graph.summary())


def test_run_named_passes_the_backends_model(neo4j_settings: Neo4jSettings,
                                            small: tuple[str, CareGraph]) -> None:
    model, graph = small
    with Neo4jBackend(neo4j_settings, model=model) as scoped:
        assert scoped.run_named("networks/model_summary").equals(graph.summary())


def test_catalogue_queries_answer_on_the_small_model(
    db: Neo4jBackend, small: tuple[str, CareGraph], caplog: pytest.LogCaptureFixture
) -> None:
    model, _ = small
    with caplog.at_level(logging.INFO, logger="neo4j"):
        hierarchy = db.run_named("networks/organisation_hierarchy", model=model, root="X24", as_at=None)
        providers = db.run_named("networks/service_providers", model=model, service="pci", as_at=None)
        commissioners = db.run_named("networks/service_commissioners", model=model, service="pci",
                                     as_at="2026-05-01")
        steps = db.run_named("pathways/pathway_steps", model=model, pathway="chest-pain")
    assert not [r for r in caplog.records if "notification" in r.getMessage()], "a query draws server warnings"
    assert hierarchy[["id", "depth"]].values.tolist() == [["Y63", 1], ["QHM", 2]]
    assert hierarchy["chain"].tolist()[-1] == ["X24", "Y63", "QHM"]
    assert providers[["provider", "part_of"]].values.tolist() == [["RTD01", "RTD"]]
    assert providers["located_in"].tolist() == [["QHM"]]
    assert commissioners[["commissioner", "status", "tier"]].values.tolist() == [["QHM", "delegated", "ics"]]
    assert steps["step"].tolist() == ["chest-pain/care", "chest-pain/gp", "chest-pain/pci", "chest-pain/rehab"]
    gp = steps.set_index("step").loc["chest-pain/gp"]
    assert (gp["entry"], gp["delivered_by"], gp["budget"], gp["unit_cost"]) == (True, "GP1", "qhm-core", 40.0)
    assert gp["next"] == [{"to": "chest-pain/pci", "probability": 0.2, "patients_per_year": None}]


def test_catalogue_queries_keep_models_apart(db: Neo4jBackend, model_id: Callable[[str], str],
                                             small: tuple[str, CareGraph]) -> None:
    model, graph = small
    other = model_id("other")
    write_graph(graph, db, other)
    hierarchy = db.run_named("networks/organisation_hierarchy", model=model, root="X24", as_at=None)
    assert len(hierarchy) == 2


def test_read_graph_of_an_unknown_model(db: Neo4jBackend) -> None:
    with pytest.raises(Neo4jError, match="has no model 'no-such-model'"):
        read_graph(db, "no-such-model")
