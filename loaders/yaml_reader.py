"""Strict YAML reading for hand-written files: safe types only, no duplicate keys.

PyYAML keeps the last of two equal keys without a word; in a hand-edited
pathway a repeated ``probability:`` is a mistake, so it is reported.

Examples
--------
>>> parse_yaml("a: 1\\nb: [2, 3]\\n")
{'a': 1, 'b': [2, 3]}
>>> parse_yaml("a: 1\\na: 2\\n")
Traceback (most recent call last):
...
loaders.yaml_reader.YAMLProblem: line 2, column 1: duplicate key 'a'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from networks.errors import CareGraphError, Problem, ValidationError

__all__ = ["YAMLDocumentReader", "YAMLProblem", "parse_yaml", "read_yaml_file"]


class YAMLProblem(CareGraphError, ValueError):
    """Malformed YAML, with where it is (``line L, column C``) and what is wrong."""

    def __init__(self, where: str | None, message: str) -> None:
        self.where = where
        self.message = message
        super().__init__(f"{where}: {message}" if where else message)


class _StrictLoader(yaml.SafeLoader):
    pass


def _mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            mark = key_node.start_mark
            raise YAMLProblem(f"line {mark.line + 1}, column {mark.column + 1}", f"duplicate key '{key}'")
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def parse_yaml(text: str) -> Any:
    """Parse one YAML document with safe types, refusing duplicate keys.

    Parameters
    ----------
    text : str

    Returns
    -------
    object
        The document (mappings, lists, scalars).

    Raises
    ------
    YAMLProblem
        Malformed YAML or a duplicate key, with line and column.
    """
    try:
        return yaml.load(text, Loader=_StrictLoader)  # a SafeLoader subclass: safe types only
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else None
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise YAMLProblem(where, f"malformed YAML: {reason}") from None


def read_yaml_file(path: str | Path, label: str | None = None) -> Any:
    """Read and parse one hand-written YAML file, or raise one located problem.

    Parameters
    ----------
    path : str or Path
    label : str, optional
        How the problem names the file (default: the path as given).

    Raises
    ------
    networks.errors.ValidationError
        The file is missing, not UTF-8, malformed YAML or repeats a key.

    Examples
    --------
    >>> read_yaml_file("no-such.yaml")
    Traceback (most recent call last):
    ...
    networks.errors.ValidationError: 1 problem:
      no-such.yaml: no such file
    """
    label = str(path) if label is None else label
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ValidationError([Problem(label, None, None, "no such file")]) from None
    except UnicodeDecodeError as exc:
        line = Path(path).read_bytes()[: exc.start].count(b"\n") + 1
        raise ValidationError([Problem(label, f"line {line}", None, "is not UTF-8 text: save it as UTF-8")]) from None
    except OSError as exc:
        raise ValidationError([Problem(label, None, None, f"cannot be read: {exc.strerror or exc}")]) from None
    try:
        return parse_yaml(text)
    except YAMLProblem as exc:
        raise ValidationError([Problem(label, exc.where, None, exc.message)]) from None


class YAMLDocumentReader:
    """Walks a parsed hand-written YAML document, collecting located problems.

    The pathway, scenario and criteria readers build on it, so every file
    reports unknown keys and wrong shapes the same way.

    Parameters
    ----------
    file : str
        How problems name the file.

    Examples
    --------
    >>> reader = YAMLDocumentReader("plan.yaml")
    >>> reader.mapping({"id": "a", "colour": "red"}, "top level", ("id", "name"))
    {'id': 'a'}
    >>> print(reader.problems[0])
    plan.yaml, top level, field 'colour': unknown key; allowed: id, name
    """

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def problem(self, where: str | None, field: str | None, message: str) -> None:
        """Record a problem at a YAML path (``None``: the whole file)."""
        self.problems.append(Problem(self.file, where, field, message))

    def mapping(self, value: Any, where: str | None, allowed: Iterable[str]) -> dict[str, Any] | None:
        """Return the allowed keys of a mapping, reporting unknown keys; None if it is not a mapping."""
        allowed = tuple(allowed)
        if not isinstance(value, Mapping):
            self.problem(where, None, f"expected a mapping of {', '.join(allowed)}")
            return None
        for key in value:
            if key not in allowed:
                self.problem(where, str(key), f"unknown key; allowed: {', '.join(allowed)}")
        return {str(k): v for k, v in value.items() if k in allowed}
