"""The package rules of docs/architecture.md, read from every module's imports (AST), so the layout stays true.

One way through: read (``loaders``) -> graph (``networks``) -> analyse
(``pathways``, ``networks``) -> show (``caregraph``). No module reaches back
up the chain, no function imports inside its body (names load lazily through
``caregraph`` alone), and what the command line imports to start is light.
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
PACKAGES = ("caregraph", "networks", "pathways", "loaders", "cypher")
STDLIB = set(sys.stdlib_module_names) | {"__future__"}

ALLOWED: dict[str, set[str]] = {
    "networks": {"networks", "pandas", "numpy", "networkx"},
    "pathways": {"pathways", "networks", "pandas", "numpy", "networkx", "duckdb"},
    "loaders": {"loaders", "networks", "cypher", "pandas", "numpy", "networkx", "yaml", "openpyxl", "duckdb",
                "neo4j", "matplotlib", "pyspark"},
    "cypher": {"cypher", "networks.errors"},
    "caregraph": {"caregraph", "networks", "pathways", "loaders", "cypher", "pandas", "numpy", "networkx",
                  "matplotlib", "jinja2", "openpyxl"},
}
"""What each package may import (besides the standard library): the rules of docs/architecture.md."""

LIGHT = {"caregraph", "networks.errors", "networks.choices", "networks.dates", "pathways.choices", "loaders.choices"}
"""What the modules the command line loads to start may import at run time: nothing that imports pandas."""

LIGHT_MODULES = ("networks/errors.py", "networks/choices.py", "networks/dates.py", "pathways/choices.py",
                 "loaders/choices.py")
"""Modules importable without any third-party library (at run time)."""

STARTUP = ("caregraph/__init__.py", "caregraph/cli.py", "caregraph/output.py", "caregraph/commands/", *LIGHT_MODULES)
"""The modules ``caregraph --help`` loads."""


@dataclass(frozen=True)
class Import:
    module: str
    file: str
    line: int
    type_checking: bool
    in_function: bool


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> list[Import]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = _module_name(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    found: list[Import] = []

    def visit(node: ast.AST, type_checking: bool, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            guarded = type_checking or (isinstance(child, ast.If) and ast.unparse(child.test) == "TYPE_CHECKING")
            inside = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            if isinstance(child, ast.Import):
                found.extend(Import(a.name, str(path.relative_to(ROOT)), child.lineno, type_checking, in_function)
                             for a in child.names)
            elif isinstance(child, ast.ImportFrom):
                if child.level:
                    base = package.split(".")
                    base = base[: len(base) - child.level + 1]
                    module = ".".join([*base, child.module] if child.module else base)
                else:
                    module = child.module or ""
                names = [f"{module}.{a.name}" for a in child.names]
                targets = [n for n in names if _is_module(n)] or [module]
                found.extend(Import(t, str(path.relative_to(ROOT)), child.lineno, type_checking, in_function)
                             for t in targets)
            visit(child, guarded, inside)

    visit(tree, False, False)
    return found


def _is_module(dotted: str) -> bool:
    path = ROOT.joinpath(*dotted.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _all_imports() -> list[Import]:
    return [imp for package in PACKAGES for path in sorted((ROOT / package).rglob("*.py")) for imp in _imports(path)]


def _allowed(module: str, allowed: set[str]) -> bool:
    return any(module == a or module.startswith(f"{a}.") for a in allowed)


IMPORTS = _all_imports()


def test_the_rules_see_every_package():
    assert {imp.file.split("/")[0] for imp in IMPORTS} == set(PACKAGES)
    assert any(imp.module == "networks.graph" and imp.file.startswith("pathways/") for imp in IMPORTS)


@pytest.mark.parametrize("package", PACKAGES)
def test_each_package_imports_only_what_the_rules_allow(package):
    broken = [f"{imp.file}:{imp.line} imports {imp.module}" for imp in IMPORTS
              if imp.file.startswith(f"{package}/") and not imp.type_checking
              and imp.module.split(".")[0] not in STDLIB and not _allowed(imp.module, ALLOWED[package])]
    assert broken == []


def test_no_function_imports_inside_its_body():
    inside = [f"{imp.file}:{imp.line} imports {imp.module}" for imp in IMPORTS if imp.in_function]
    assert inside == []


def test_the_command_line_starts_without_heavy_imports():
    heavy = [f"{imp.file}:{imp.line} imports {imp.module}" for imp in IMPORTS
             if imp.file.startswith(STARTUP) and not imp.type_checking
             and imp.module.split(".")[0] not in STDLIB and not _allowed(imp.module, LIGHT)]
    assert heavy == []


def test_light_modules_import_only_the_standard_library_and_each_other():
    light = [imp for imp in IMPORTS if imp.file in LIGHT_MODULES and not imp.type_checking]
    assert light and all(imp.module.split(".")[0] in STDLIB or imp.module == "networks.errors" for imp in light)


def test_no_reader_outside_loaders():
    """Files are opened, and CSV/Excel/YAML parsed, only in loaders (and in caregraph's report writers)."""
    readers = {"yaml", "openpyxl", "csv"}
    offenders = [f"{imp.file}:{imp.line} imports {imp.module}" for imp in IMPORTS
                 if imp.module.split(".")[0] in readers and imp.file.split("/")[0] in ("networks", "pathways")]
    assert offenders == []
    calls = {"open", "read_csv", "read_excel", "read_text", "read_bytes", "write_text", "write_bytes", "savefig",
             "to_csv", "to_excel", "to_json"}
    opened = []
    for package in ("networks", "pathways"):
        for path in sorted((ROOT / package).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Call):
                    name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                    if name in calls:
                        opened.append(f"{path.relative_to(ROOT)}:{node.lineno} calls {name}")
    assert opened == []
