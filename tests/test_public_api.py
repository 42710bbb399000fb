"""``import caregraph as cg``: every public name resolves, one lazy map says where each lives, importing is cheap."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import caregraph as cg

ROOT = Path(__file__).parents[1]


def test_every_public_name_resolves_from_its_home():
    assert len(cg.__all__) > 90
    for name in cg.__all__:
        value = getattr(cg, name)
        home = cg._HOME[name]
        assert value is getattr(__import__(home, fromlist=[name]), name), name
    with pytest.raises(AttributeError, match="module 'caregraph' has no attribute 'nope'"):
        cg.nope  # noqa: B018


def test_the_type_checking_imports_list_exactly_the_lazy_names():
    tree = ast.parse((ROOT / "caregraph" / "__init__.py").read_text(encoding="utf-8"))
    block = next(node for node in tree.body if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING")
    declared = {(stmt.module, alias.name) for stmt in block.body if isinstance(stmt, ast.ImportFrom)
                for alias in stmt.names}
    assert declared == {(module, name) for name, module in cg._HOME.items()}


def test_importing_caregraph_imports_no_heavy_library():
    code = ("import sys, caregraph; print(sorted(m for m in ('pandas', 'networkx', 'matplotlib', 'duckdb', 'neo4j', "
            "'numpy', 'yaml') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert done.stdout.strip() == "[]"


def test_the_packages_stay_importable_without_exports():
    for package in ("networks", "pathways", "loaders", "cypher"):
        module = __import__(package)
        assert module.__doc__, package


def test_version_is_the_distributions():
    from importlib.metadata import version

    assert cg.__version__ == version("caregraph")
