"""Commands on Neo4j: ``neo4j load|export|models|delete`` and the ad hoc ``query``.

Every command names a model held in Neo4j the same way, ``--model ID``
(``load`` defaults it to the folder's name). The server comes from
``--uri``/``--user``/``--database`` or the variables ``CAREGRAPH_NEO4J_URI``,
``..._USER`` and ``..._DATABASE``; the password only from
``CAREGRAPH_NEO4J_PASSWORD`` (never a command-line argument, where it would
show in the shell history and process list).

Examples
--------
>>> _param("pathway=chest-pain"), _param("limit=10"), _param("ids=[\\"QHM\\"]")
(('pathway', 'chest-pain'), ('limit', 10), ('ids', ['QHM']))
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

import caregraph as cg

from .common import add_command, add_connection, add_group, add_model_id, neo4j_settings, positive_int, say

if TYPE_CHECKING:
    import pandas as pd

    from ..output import Result

__all__ = ["register"]


def _load(args: argparse.Namespace) -> Result:
    graph = cg.load_model(args.path)
    show = sys.stderr.isatty() if args.progress is None else args.progress
    with cg.Neo4jBackend(neo4j_settings(args)) as db:
        result = cg.write_graph(graph, db, args.model or graph.name, batch_size=args.batch_size,
                                replace=args.replace, show_progress=show, workers=args.workers)
    row = asdict(result)
    row["seconds"] = round(result.seconds, 2)
    return [row]


def _export(args: argparse.Namespace) -> None:
    with cg.Neo4jBackend(neo4j_settings(args)) as db:
        graph = cg.read_graph(db, args.model)
    out = Path(args.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    if args.json:
        written = [out / "graph.json"]
        cg.write_node_link_json(graph, written[0])
    else:
        written = [out / "nodes.csv", out / "edges.csv"]
        for frame, path in zip(cg.graph_to_frames(graph), written, strict=True):
            cg.write_csv(frame, path)
    say(f"wrote {', '.join(map(str, written))} ({graph.number_of_nodes()} nodes, "
        f"{graph.number_of_edges()} relationships of model {args.model})")


def _models(args: argparse.Namespace) -> pd.DataFrame:
    with cg.Neo4jBackend(neo4j_settings(args)) as db:
        return cg.list_models(db)


def _delete(args: argparse.Namespace) -> Result:
    with cg.Neo4jBackend(neo4j_settings(args)) as db:
        nodes, relationships = cg.delete_model(db, args.model)
    return [{"model": args.model, "nodes_deleted": nodes, "relationships_deleted": relationships}]


def _query(args: argparse.Namespace) -> Result:
    with cg.Neo4jBackend(neo4j_settings(args)) as db:
        result = db.execute(args.cypher, dict(args.param), write=args.write)
    if not result.keys and args.write:
        return [result.counters]
    return result.frame()


def _param(text: str) -> tuple[str, Any]:
    """Parse ``NAME=VALUE``: the value as JSON when it is JSON (42, true, [..], "42"), else as text."""
    name, sep, value = text.partition("=")
    if not sep or not name.isidentifier():
        raise argparse.ArgumentTypeError(f"'{text}': expected NAME=VALUE with NAME a parameter name")
    try:
        return name, json.loads(value)
    except ValueError:
        return name, value


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``neo4j`` (``load``, ``export``, ``models``, ``delete``) and ``query`` to the command line."""
    neo4j = add_group(commands, "neo4j", "load models into Neo4j, read them back, list and delete them", [
        "caregraph neo4j load examples/cardiology --replace",
        "caregraph neo4j models",
        "caregraph neo4j export --model cardiology out/",
        "caregraph neo4j delete --model cardiology",
    ])

    load = add_command(neo4j, "load", "write a model folder to Neo4j (batched, idempotent, resumable)",
                       "caregraph neo4j load examples/cardiology --replace", _load)
    load.add_argument("path", help="model folder")
    add_model_id(load, "the model's id in Neo4j (default: the folder's name)")
    load.add_argument("--replace", action="store_true",
                      help="first delete what Neo4j holds for this model id (and nothing else)")
    load.add_argument("--batch-size", type=positive_int, default=5000, metavar="N",
                      help="rows per transaction (default 5000)")
    load.add_argument("--workers", type=positive_int, default=2, metavar="N",
                      help="node batches written at once (default 2)")
    load.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                      help="progress bar on standard error (default: when it is a terminal)")
    add_connection(load)

    export = add_command(neo4j, "export", "read a model back from Neo4j into nodes.csv and edges.csv",
                         "caregraph neo4j export --model cardiology out/", _export, table=False)
    export.add_argument("--model", required=True, metavar="ID", help="the model's id in Neo4j")
    export.add_argument("out_dir", metavar="OUT_DIR", help="folder to write into (created if missing)")
    export.add_argument("--json", action="store_true", help="write node-link JSON (graph.json) instead")
    add_connection(export)

    models = add_command(neo4j, "models", "list the caregraph models in Neo4j", "caregraph neo4j models", _models)
    add_connection(models)

    delete = add_command(neo4j, "delete", "delete one model from Neo4j (and nothing else)",
                         "caregraph neo4j delete --model cardiology", _delete)
    delete.add_argument("--model", required=True, metavar="ID", help="the model's id in Neo4j")
    add_connection(delete)

    query = add_command(commands, "query", "run a Cypher query on Neo4j (read-only unless --write)",
                        "caregraph query 'MATCH (n:ICB {model: $model}) RETURN n.id AS id' "
                        "--param model=cardiology", _query)
    query.add_argument("cypher", help="the query; put values in $parameters, never in the text")
    query.add_argument("--param", type=_param, action="append", default=[], metavar="NAME=VALUE",
                       help="a parameter; VALUE is read as JSON when it is JSON (42, true, [..]), else text")
    query.add_argument("--write", action="store_true", help="allow the query to write (default: read-only)")
    add_connection(query)
