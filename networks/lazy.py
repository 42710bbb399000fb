"""Lazy package exports: import a submodule only when one of its names is first used.

A package ``__init__`` lists its public names once, as relative imports inside
``if TYPE_CHECKING:`` (so type checkers and readers see ordinary imports),
and calls ``attach``; at run time each name is imported on first access
(PEP 562). ``caregraph eventlog handoffs`` then does not pay for importing
NetworkX, matplotlib or the delegation checks. This is the pattern of
scientific-python's ``lazy_loader.attach_stub``, reading the imports from the
package's own source instead of a stub file.

Examples
--------
>>> import networks
>>> "check_delegation" in networks.__all__
True
>>> networks.check_delegation.__module__
'networks.delegation'
"""

from __future__ import annotations

import ast
import importlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["attach"]


def _exports(init_file: str) -> dict[str, str]:
    """Map each name imported under ``if TYPE_CHECKING:`` to its submodule."""
    tree = ast.parse(Path(init_file).read_text(encoding="utf-8"))
    names: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            for statement in node.body:
                if isinstance(statement, ast.ImportFrom) and statement.level == 1 and statement.module:
                    for alias in statement.names:
                        names[alias.asname or alias.name] = statement.module
    return names


def attach(package: str, init_file: str) -> tuple[Callable[[str], Any], Callable[[], list[str]], list[str]]:
    """Return ``__getattr__``, ``__dir__`` and ``__all__`` for a package with lazy exports.

    Parameters
    ----------
    package : str
        The package's ``__name__``.
    init_file : str
        The package's ``__file__``, whose ``if TYPE_CHECKING:`` block lists
        the exports as ``from .module import name`` statements.

    Returns
    -------
    tuple
        ``(__getattr__, __dir__, __all__)`` to assign in the package.
    """
    exports = _exports(init_file)

    def __getattr__(name: str) -> Any:
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module '{package}' has no attribute '{name}'")
        value = getattr(importlib.import_module(f"{package}.{module}"), name)
        setattr(sys.modules[package], name, value)
        return value

    def __dir__() -> list[str]:
        return sorted(exports)

    return __getattr__, __dir__, sorted(exports)
