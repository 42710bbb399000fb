"""The packages' lazy exports resolve, and importing a package stays cheap."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest


@pytest.mark.parametrize("package", ["networks", "pathways", "loaders"])
def test_every_export_resolves(package):
    module = importlib.import_module(package)
    assert module.__all__, package
    for name in module.__all__:
        assert getattr(module, name) is not None, f"{package}.{name}"
    assert sorted(dir(module)) == sorted(module.__all__)
    with pytest.raises(AttributeError, match=f"module '{package}' has no attribute 'nope'"):
        module.nope  # noqa: B018


def test_importing_the_packages_imports_no_heavy_library():
    code = ("import sys, networks, pathways, loaders; "
            "print(sorted(m for m in ('networkx', 'matplotlib', 'duckdb', 'neo4j') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
