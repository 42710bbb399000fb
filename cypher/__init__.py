"""Parameterised Cypher queries shipped with caregraph, read with ``load_query``.

Queries live in ``.cypher`` files grouped by area (``schema/``, ``load/``,
``pathways/``, ``networks/``). They take values only as ``$parameters``; no
user text is ever pasted into a query.

Examples
--------
>>> import caregraph as cg
>>> isinstance(cg.available_queries(), list)
True
"""

from __future__ import annotations

from importlib.resources import files
from typing import Any

from networks.errors import QueryNotFound

__all__ = ["available_queries", "load_query"]

_SUFFIX = ".cypher"


def load_query(name: str) -> str:
    """Return the text of the query ``name`` (e.g. ``"pathways/handoffs"``).

    Parameters
    ----------
    name : str
        Path of the query under the ``cypher`` package, without ``.cypher``.

    Raises
    ------
    networks.errors.QueryNotFound
        If there is no such query (also a ``KeyError``).
    """
    if name not in available_queries():
        raise QueryNotFound(f"no Cypher query named '{name}'")
    resource = files(__name__).joinpath(*f"{name}{_SUFFIX}".split("/"))
    return resource.read_text(encoding="utf-8")


def available_queries() -> list[str]:
    """Return the names of all shipped queries, sorted."""
    names: list[str] = []

    def walk(folder: Any, prefix: str) -> None:
        for entry in folder.iterdir():
            if entry.is_dir():
                walk(entry, f"{prefix}{entry.name}/")
            elif entry.name.endswith(_SUFFIX):
                names.append(prefix + entry.name[: -len(_SUFFIX)])

    walk(files(__name__), "")
    return sorted(names)
