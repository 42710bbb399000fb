"""The Neo4j pieces that need no server: settings, generated Cypher, the query catalogue."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from caregraph import LABELS, NODE_KINDS, RELATIONSHIP_TYPES, Neo4jError, Neo4jSettings, NodeKind, SchemaError
from caregraph.commands.common import add_connection
from cypher import available_queries, load_query
from loaders.neo4j.settings import ENV_DATABASE, ENV_PASSWORD, ENV_URI, ENV_USER
from loaders.neo4j.statements import (
    NODE_RESERVED,
    RELATIONSHIP_RESERVED,
    SCHEMA_QUERY,
    node_query,
    relationship_query,
    schema_cypher,
    schema_statements,
    split_statements,
)

CYPHER = Path(__file__).resolve().parents[2] / "cypher"


def test_schema_file_is_what_the_schema_generates() -> None:
    assert load_query(SCHEMA_QUERY) == schema_cypher(), (
        "cypher/schema/constraints.cypher is out of date; regenerate it with: python -c "
        "\"from loaders.neo4j import schema_cypher; "
        "open('cypher/schema/constraints.cypher', 'w').write(schema_cypher())\"")


def test_schema_statements_cover_identity_and_every_label() -> None:
    statements = split_statements(load_query(SCHEMA_QUERY))
    assert statements == schema_statements()
    assert "REQUIRE (n.model, n.id) IS UNIQUE" in statements[0]
    for label in LABELS:
        assert any(f"(n:`{label}`) ON (n.id)" in s for s in statements), label


def test_no_schema_property_uses_a_name_the_loader_reserves() -> None:
    for kind in NODE_KINDS.values():
        assert not {p.name for p in kind.properties} & set(NODE_RESERVED), kind.name
    for rel in RELATIONSHIP_TYPES.values():
        assert not {p.name for p in rel.properties} & set(RELATIONSHIP_RESERVED), rel.name


@pytest.mark.parametrize("kind", sorted(NODE_KINDS))
def test_node_query_writes_the_kinds_labels_and_only_parameters(kind: str) -> None:
    query = node_query(kind)
    assert "__LABELS__" not in query and "//" not in query
    assert ":".join(f"`{label}`" for label in NODE_KINDS[kind].labels) in query
    assert "'" not in query and '"' not in query  # no literal values


@pytest.mark.parametrize("rel_type", sorted(RELATIONSHIP_TYPES))
def test_relationship_query_writes_the_type(rel_type: str) -> None:
    query = relationship_query(rel_type)
    assert f"[r:`{rel_type}` {{key: properties.key}}]" in query and "__TYPE__" not in query
    assert "'" not in query and '"' not in query


def test_labels_and_types_come_only_from_the_schema(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(SchemaError, match="unknown node kind"):
        node_query("ICB`) DETACH DELETE n //")
    with pytest.raises(SchemaError, match="unknown relationship type"):
        relationship_query("PART_OF]->() DETACH DELETE n //")
    evil = "Evil`) DETACH DELETE n //"
    monkeypatch.setitem(NODE_KINDS, "Evil", NodeKind("Evil", (evil,), (), "a broken schema entry"))
    with pytest.raises(SchemaError, match="not a plain identifier"):
        node_query("Evil")


def test_settings_from_arguments_then_environment() -> None:
    env = {"CAREGRAPH_NEO4J_URI": "bolt://env:7687", "CAREGRAPH_NEO4J_USER": "reader",
           "CAREGRAPH_NEO4J_PASSWORD": "pw-from-env", "CAREGRAPH_NEO4J_DATABASE": "care"}
    settings = Neo4jSettings.from_env(uri="bolt://arg:7687", environ=env)
    assert (settings.uri, settings.user, settings.database) == ("bolt://arg:7687", "reader", "care")
    assert settings.auth == ("reader", "pw-from-env")
    assert "pw-from-env" not in repr(settings) and "pw-from-env" not in str(settings)


def test_settings_have_no_defaults_for_server_or_credentials() -> None:
    with pytest.raises(Neo4jError, match="CAREGRAPH_NEO4J_URI"):
        Neo4jSettings.from_env(environ={})
    with pytest.raises(Neo4jError, match="CAREGRAPH_NEO4J_PASSWORD"):
        Neo4jSettings.from_env(uri="bolt://x:7687", user="neo4j", environ={})
    settings = Neo4jSettings.from_env(uri="bolt://x:7687", environ={})
    assert settings.auth is None and settings.database == "neo4j"


def test_every_shipped_query_is_in_the_catalogue() -> None:
    readme = (CYPHER / "README.md").read_text(encoding="utf-8")
    missing = [name for name in available_queries() if f"`{name}`" not in readme]
    assert not missing, f"add these queries to cypher/README.md: {missing}"


@pytest.mark.parametrize("name", [n for n in available_queries() if not n.startswith(("load/", "schema/"))])
def test_catalogue_queries_take_the_model_as_a_parameter(name: str) -> None:
    assert "$model" in load_query(name), f"{name} must filter on $model (several models share a database)"


@pytest.mark.parametrize("block", ["ICB route", "commissioner coverage", "plan arrangements"])
def test_repeated_cypher_blocks_are_the_same_everywhere(block: str) -> None:
    pattern = re.compile(rf"^// -- {block} .*?^// -- end of {block}$", re.S | re.M)
    copies = {name: pattern.findall(load_query(name)) for name in available_queries()}
    found = {name: texts for name, texts in copies.items() if texts}
    assert len(found) >= 2, f"the '{block}' block is no longer repeated: drop its markers"
    assert len({text for texts in found.values() for text in texts}) == 1, (
        f"the '{block}' block differs between {sorted(found)}; copy one version to all of them")


def test_connection_options_name_the_environment_variables() -> None:
    parser = argparse.ArgumentParser()
    add_connection(parser)
    text = parser.format_help()
    for name in (ENV_URI, ENV_USER, ENV_PASSWORD, ENV_DATABASE):
        assert name in text
