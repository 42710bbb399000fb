"""Writing a ``CareGraph`` to Neo4j: batched, idempotent, resumable, tagged with a model id.

``write_graph`` creates the schema's constraints and indexes, then writes
nodes (a batch per connection on ``workers`` connections) and relationships
(one type and one batch at a time) in batches of ``UNWIND $rows AS row
MERGE ...``, each batch a managed transaction that the driver retries on
transient failures (``load_batches``). ``MERGE`` on the identity
``(model, id)`` (nodes) and ``key`` between two nodes (relationships) makes
a second load change nothing and lets an interrupted load be completed by
running it again.

A load leaves the model equal to the graph it was given, also when the model
held more before (a pathway deleted from the folder since the last load): it
starts a new *generation* of the model (``cypher/load/begin_model``), stamps
every node and relationship it writes with it, and after the last batch
deletes, in batches, the model's nodes and relationships that carry an older
one. The model's ``CareGraphModel`` record says ``loading`` until all that
is done, so a half-written model is never read back as if it were whole;
running the load again, interrupted anywhere, completes it. Other models are
never touched: every query matches on the model id.

Examples
--------
With a running Neo4j (shown, not run as a doctest)::

    from loaders import load_model
    from loaders.neo4j import Neo4jBackend
    with Neo4jBackend() as db:
        write_graph(load_model("examples/cardiology"), db, "cardiology", replace=True)
    # LoadResult(model='cardiology', nodes=74, relationships=229, ...)
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cypher import load_query
from networks.errors import ArgumentError, Neo4jError
from networks.graph import CareGraph

from .backend import Neo4jBackend
from .load_batches import Progress, batches, node_rows, relationship_rows, write_batches
from .statements import SCHEMA_QUERY, node_query, relationship_query, split_statements

__all__ = ["LoadResult", "check_model_id", "delete_model", "ensure_schema", "write_graph"]

log = logging.getLogger(__name__)

_INDEX_WAIT_SECONDS = 300


@dataclass(frozen=True)
class LoadResult:
    """What one ``write_graph`` call did.

    Attributes
    ----------
    model : str
        The model id.
    nodes, relationships : int
        Elements written (created or already there).
    nodes_created, relationships_created : int
        Elements that were new; both 0 when the same model is loaded again.
    nodes_deleted, relationships_deleted : int
        Elements the database held for the model that the graph no longer
        has (deleted at the end of the load, or first with ``replace``).
    seconds : float
        Wall-clock time of the load.
    """

    model: str
    nodes: int
    relationships: int
    nodes_created: int
    relationships_created: int
    nodes_deleted: int
    relationships_deleted: int
    seconds: float


def check_model_id(model_id: str) -> str:
    """Return ``model_id`` if it is usable, else raise ``ArgumentError``.

    Any non-blank text is a model id (it only ever travels as a parameter).

    Examples
    --------
    >>> check_model_id("cardiology")
    'cardiology'
    """
    if not isinstance(model_id, str) or not model_id.strip():
        raise ArgumentError(f"model id {model_id!r}: must be non-blank text")
    return model_id


def ensure_schema(backend: Neo4jBackend) -> None:
    """Create caregraph's constraints and indexes (``cypher/schema/``) and wait for them.

    Idempotent: every statement is ``IF NOT EXISTS``.

    Examples
    --------
    With a running Neo4j (shown, not run as a doctest)::

        ensure_schema(db)
    """
    for statement in split_statements(load_query(SCHEMA_QUERY)):
        backend.execute(statement, write=True)
    backend.execute(load_query("schema/await_indexes"), {"seconds": _INDEX_WAIT_SECONDS})


def _writer(backend: Neo4jBackend, model: str, generation: int) -> Callable[[str, list[Any]], int]:
    """Return ``write(query, rows)``: write one batch, return how many elements were new."""

    def write(query: str, rows: list[Any]) -> int:
        result = backend.execute(query, {"model": model, "generation": generation, "rows": rows}, write=True)
        written = result.rows[0][0] if result.rows else 0
        if written != len(rows):
            raise Neo4jError(f"model '{model}': only {written} of {len(rows)} relationships of a batch could be "
                             "written (their end nodes are missing); load the model again")
        return result.counters["nodes_created"] + result.counters["relationships_created"]

    return write


def _delete_in_batches(backend: Neo4jBackend, queries: tuple[str, str], params: dict[str, Any]) -> tuple[int, int]:
    """Run two ``... LIMIT $limit DELETE ... RETURN count(*)`` queries (relationships, then nodes) until each
    deletes nothing; return (nodes, relationships) deleted."""
    deleted = []
    for name in queries:
        query, total = load_query(name), 0
        while count := int(backend.execute(query, params, write=True).rows[0][0]):
            total += count
        deleted.append(total)
    return deleted[1], deleted[0]


def _delete_elements(backend: Neo4jBackend, model: str, batch_size: int) -> tuple[int, int]:
    """Delete a model's relationships, then its nodes, in batches; return (nodes, relationships)."""
    return _delete_in_batches(backend, ("load/delete_relationships", "load/delete_nodes"),
                              {"model": model, "limit": batch_size})


def _delete_stale(backend: Neo4jBackend, model: str, generation: int, batch_size: int) -> tuple[int, int]:
    """Delete a model's relationships, then nodes, of generations before ``generation``; return the counts."""
    return _delete_in_batches(backend, ("load/delete_stale_relationships", "load/delete_stale_nodes"),
                              {"model": model, "generation": generation, "limit": batch_size})


def delete_model(backend: Neo4jBackend, model_id: str, *, batch_size: int = 10_000) -> tuple[int, int]:
    """Delete one model's nodes, relationships and record, and nothing else.

    Only nodes labelled ``CareGraph`` whose ``model`` is ``model_id`` are
    deleted (with every relationship touching them); other models and data
    that is not caregraph's stay as they are.

    Parameters
    ----------
    backend : Neo4jBackend
    model_id : str
    batch_size : int
        Elements per transaction.

    Returns
    -------
    tuple of int
        ``(nodes, relationships)`` deleted (0, 0 for an unknown model).

    Examples
    --------
    With a running Neo4j (shown, not run as a doctest)::

        delete_model(db, "cardiology")
        # (74, 229)
    """
    model = check_model_id(model_id)
    counts = _delete_elements(backend, model, batch_size)
    backend.execute(load_query("load/delete_model"), {"model": model}, write=True)
    log.info("deleted model %s: %d nodes, %d relationships", model, *counts)
    return counts


def write_graph(
    graph: CareGraph,
    backend: Neo4jBackend,
    model_id: str,
    *,
    batch_size: int = 5000,
    replace: bool = False,
    show_progress: bool = False,
    workers: int = 2,
) -> LoadResult:
    """Write a graph to Neo4j as the model ``model_id``: batched, idempotent, resumable.

    Parameters
    ----------
    graph : CareGraph
        The model (already valid: it passed the schema on the way in).
    backend : Neo4jBackend
        An open connection (with write rights).
    model_id : str
        Tag for every node and relationship written; models with the same
        node ids live side by side under different model ids.
    batch_size : int
        Rows per ``UNWIND`` transaction (default 5000).
    replace : bool
        First delete what the database holds for this model id (only this
        model's nodes and relationships). Not needed for correctness: every
        load ends with the model equal to ``graph`` (what it no longer has
        is deleted at the end), but a model that changed a lot loads faster
        into an empty one.
    show_progress : bool
        Draw a progress bar on standard error.
    workers : int
        Node batches written at once, on as many connections (default 2).
        Relationships are written one batch at a time: batches written at
        once would lock the same end nodes and wait on each other.

    Returns
    -------
    LoadResult

    Raises
    ------
    networks.errors.ArgumentError
        Blank model id, or a batch size or number of workers below 1.
    Neo4jError
        The connection failed beyond the driver's retries, Neo4j refused a
        write, or another load of the same model id started meanwhile.
        Whatever was written stays, marked ``loading``: run the load again
        to complete it.

    Examples
    --------
    With a running Neo4j (shown, not run as a doctest)::

        result = write_graph(graph, db, "cardiology")
        write_graph(graph, db, "cardiology").nodes_created
        # 0
    """
    model = check_model_id(model_id)
    if batch_size < 1:
        raise ArgumentError(f"batch size {batch_size}: must be at least 1")
    if workers < 1:
        raise ArgumentError(f"workers {workers}: must be at least 1")
    started = time.monotonic()
    nodes, relationships = graph.number_of_nodes(), graph.number_of_edges()
    log.info("writing model %s to %s: %d nodes, %d relationships in batches of %d",
             model, backend.settings.uri, nodes, relationships, batch_size)
    ensure_schema(backend)
    begun = backend.execute(load_query("load/begin_model"), {"model": model, "name": graph.name}, write=True)
    generation, had_elements = int(begun.rows[0][0]), bool(begun.rows[0][1])
    deleted = _delete_elements(backend, model, max(batch_size, 1000)) if replace and had_elements else (0, 0)
    progress = Progress(nodes + relationships, f"loading {model}", sys.stderr if show_progress else None)
    write = _writer(backend, model, generation)
    node_work = [(node_query(kind), batch) for kind, rows in node_rows(graph).items()
                 for batch in batches(rows, batch_size)]
    created_nodes = write_batches(write, node_work, workers, progress)
    created_relationships = sum(
        write_batches(write, [(relationship_query(rel), batch) for batch in batches(rows, batch_size)], 1, progress)
        for rel, rows in relationship_rows(graph).items())
    cleanup = had_elements and not replace  # else nothing older can be there
    stale = _delete_stale(backend, model, generation, max(batch_size, 1000)) if cleanup else (0, 0)
    if any(stale):
        log.info("model %s: deleted %d nodes and %d relationships it no longer has", model, *stale)
    finished = backend.execute(load_query("load/finish_model"), {
        "model": model, "generation": generation, "nodes": nodes, "relationships": relationships}, write=True)
    if not finished.rows:
        raise Neo4jError(f"another load of model '{model}' started while this one ran; it finishes the model "
                         "(load one model id at a time)")
    result = LoadResult(model, nodes, relationships, created_nodes, created_relationships,
                        deleted[0] + stale[0], deleted[1] + stale[1], time.monotonic() - started)
    log.info("model %s written in %.1f s (%d nodes and %d relationships new, %d and %d deleted)",
             model, result.seconds, result.nodes_created, result.relationships_created,
             result.nodes_deleted, result.relationships_deleted)
    return result
