"""The rows a load sends to Neo4j, the batches it cuts them into, and the progress bar it draws.

Rows are as small as the load queries allow, since every value crosses the
wire and is packed by the driver: a node is one map (its ``id``, ``kind``
and schema properties), a relationship a list ``[source, target,
properties]`` whose properties hold its ``key``. ``write_batches`` runs the
batches of one step of a load, one managed transaction each (retried by the
driver on transient failures), on up to ``workers`` connections at once.

Examples
--------
>>> import caregraph as cg
>>> graph = cg.CareGraph("demo")
>>> graph.add_node("svc-a", "Service", name="A", specialised=True)
>>> graph.add_node("svc-b", "Service", name="B", specialised=False)
>>> graph.add_edge("svc-a", "svc-b", "DEPENDS_ON", level="co-located")
'DEPENDS_ON'
>>> node_rows(graph)["Service"][0]
{'kind': 'Service', 'name': 'A', 'specialised': True, 'id': 'svc-a'}
>>> relationship_rows(graph)["DEPENDS_ON"]
[['svc-a', 'svc-b', {'level': 'co-located', 'key': 'DEPENDS_ON'}]]
>>> [len(batch) for batch in batches([1, 2, 3, 4, 5], 2)]
[2, 2, 1]
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from typing import Any, TextIO, TypeVar

from networks.graph import CareGraph
from networks.schema import NODE_KINDS, RELATIONSHIP_TYPES

__all__ = ["Progress", "batches", "node_rows", "relationship_rows", "write_batches"]

Row = TypeVar("Row")


def node_rows(graph: CareGraph) -> dict[str, list[dict[str, Any]]]:
    """Return one map per node (its kind, schema properties and ``id``), by kind in schema order."""
    by_kind: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for node_id, attrs in graph.nx.nodes(data=True):
        row = dict(attrs)
        row["id"] = node_id
        by_kind[attrs["kind"]].append(row)
    return {kind: by_kind[kind] for kind in NODE_KINDS if kind in by_kind}


def relationship_rows(graph: CareGraph) -> dict[str, list[list[Any]]]:
    """Return ``[source, target, properties with key]`` per relationship, by type in schema order."""
    by_type: dict[str, list[list[Any]]] = defaultdict(list)
    for source, target, key, attrs in graph.nx.edges(keys=True, data=True):
        properties = dict(attrs)
        rel_type = properties.pop("type")
        properties["key"] = key
        by_type[rel_type].append([source, target, properties])
    return {rel: by_type[rel] for rel in RELATIONSHIP_TYPES if rel in by_type}


def batches(rows: Sequence[Row], size: int) -> list[list[Row]]:
    """Cut ``rows`` into lists of at most ``size``."""
    return [list(rows[start:start + size]) for start in range(0, len(rows), size)]


class Progress:
    """A one-line textual progress bar on a stream (no third-party dependency).

    On a terminal it redraws one line; in a log file it writes a line every
    10 %. With ``stream=None`` it only counts.
    """

    _WIDTH = 30

    def __init__(self, total: int, label: str, stream: TextIO | None) -> None:
        self.total, self.label, self.stream = max(total, 1), label, stream
        self.done, self.started, self._shown = 0, time.monotonic(), -1

    def advance(self, count: int) -> None:
        """Count ``count`` more elements done and redraw."""
        self.done += count
        if self.stream is None:
            return
        percent = 100 * self.done // self.total
        live = self.stream.isatty()
        if not live and percent // 10 == self._shown // 10 and self.done < self.total:
            return  # a log file gets one line per 10 %
        self._shown = percent
        rate = self.done / max(time.monotonic() - self.started, 1e-9)
        filled = self._WIDTH * self.done // self.total
        line = (f"{self.label} [{'#' * filled}{'.' * (self._WIDTH - filled)}] {percent:3d}% "
                f"{self.done:,}/{self.total:,} elements, {rate:,.0f}/s")
        self.stream.write(("\r" + line) if live else line + "\n")
        if live and self.done >= self.total:
            self.stream.write("\n")
        self.stream.flush()


def write_batches(write: Callable[[str, list[Any]], int], work: list[tuple[str, list[Any]]], workers: int,
                  progress: Progress) -> int:
    """Run ``write(query, batch)`` for every ``(query, batch)`` of ``work``, on up to ``workers`` threads.

    Returns the sum of what ``write`` returned. The first failure stops the
    batches not yet started and is raised once those running have ended:
    what was written stays (the load is resumable), nothing runs behind the
    caller's back.

    Examples
    --------
    >>> write_batches(lambda query, batch: len(batch), [("q", [1, 2]), ("q", [3])], 2, Progress(3, "", None))
    3
    """
    if workers == 1:
        total = 0
        for query, batch in work:
            total += write(query, batch)
            progress.advance(len(batch))
        return total
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="caregraph-load") as pool:
        sizes: dict[Future[int], int] = {pool.submit(write, query, batch): len(batch) for query, batch in work}
        pending, total = set(sizes), 0
        try:
            while pending:
                done, pending = wait(pending, return_when=FIRST_EXCEPTION)
                for future in done:
                    total += future.result()
                    progress.advance(sizes[future])
        except BaseException:
            for future in pending:
                future.cancel()
            raise
    return total
