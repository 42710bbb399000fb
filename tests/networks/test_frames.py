"""pandas in, pandas out, and export files, round-trip exactly."""

import networkx as nx
import pandas as pd
import pytest

from caregraph import (
    ValidationError,
    graph_from_frames,
    graph_to_frames,
    load_model,
    read_node_link_json,
    write_graphml,
    write_node_link_json,
)


def test_frames_graph_frames_round_trip():
    nodes = pd.DataFrame(
        {
            "id": ["Y63", "QHM", "pci"],
            "kind": ["NHSERegion", "ICB", "Service"],
            "name": ["North East and Yorkshire", "NENC ICB", "PCI"],
            "population": [None, 3000000, None],
            "specialised": [None, None, True],
        }
    )
    edges = pd.DataFrame(
        {
            "source": ["QHM", "QHM"],
            "target": ["Y63", "pci"],
            "type": ["PART_OF", "COMMISSIONS"],
            "status": [None, "delegated"],
            "tier": [None, "ics"],
            "valid_from": [None, "2025-04-01"],
        }
    )
    graph = graph_from_frames(nodes, edges)
    out_nodes, out_edges = graph_to_frames(graph)
    assert out_nodes["id"].tolist() == ["Y63", "QHM", "pci"]
    assert out_nodes.loc[1, "population"] == 3000000
    assert out_edges[["source", "target", "type"]].values.tolist() == [
        ["QHM", "Y63", "PART_OF"],
        ["QHM", "pci", "COMMISSIONS"],
    ]
    assert graph_from_frames(out_nodes, out_edges) == graph


def test_model_round_trips_through_frames(small_model):
    graph = load_model(small_model)
    nodes, edges = graph_to_frames(graph)
    assert len(nodes) == 21 and len(edges) == 41
    assert graph_from_frames(nodes, edges, name=graph.name) == graph


def test_frames_report_every_problem_with_row_and_column():
    nodes = pd.DataFrame({"id": ["a", "a", "b"], "kind": ["Service", "Service", "Budget"],
                          "specialised": ["yes", "no", "no"]})
    edges = pd.DataFrame({"source": ["a"], "target": ["zz"], "type": ["DEPENDS_ON"], "level": ["close"]})
    with pytest.raises(ValidationError) as caught:
        graph_from_frames(nodes, edges)
    messages = sorted(str(p) for p in caught.value.problems)
    assert messages == [
        "edges, row 0, field 'level': 'close' is not one of: co-located, in-reach, networked, none",
        "edges, row 0, field 'target': unknown reference 'zz'",
        "nodes, row 1, field 'id': duplicate id 'a' (first defined at nodes row 0)",
        "nodes, row 2, field 'specialised': not a property of Budget",
        "nodes, row 2, field 'stream': required value is missing",
    ]


def test_node_link_json_round_trip(small_model, tmp_path):
    graph = load_model(small_model)
    path = tmp_path / "model.json"
    write_node_link_json(graph, path)
    assert read_node_link_json(path) == graph


def test_graphml_keeps_kinds_types_and_properties(small_model, tmp_path):
    graph = load_model(small_model)
    path = tmp_path / "model.graphml"
    write_graphml(graph, path)
    back = nx.read_graphml(path, force_multigraph=True)
    assert back.number_of_nodes() == 21 and back.number_of_edges() == 41
    assert back.nodes["QHM"]["kind"] == "ICB"
    assert back.nodes["chest-pain/pci"]["unit_cost"] == 5000.0
    assert {a["type"] for _, _, a in back.edges(data=True)} >= {"NEXT", "PAID_FROM", "IN_POOL"}
