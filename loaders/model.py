"""Loading a model folder (CSV or Excel tables plus pathway YAML) into a ``CareGraph``.

The folder layout is documented in ``docs/model-format.md``. Every problem
in every file is collected before anything is built, and a folder with any
problem raises one ``ValidationError`` listing them all (file, row or YAML
path, field): nothing half-loaded is ever returned.

Examples
--------
>>> import caregraph as cg
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "organisations.csv").write_text("id,name,kind\\nQHM,NENC ICB,ICB\\n")
>>> cg.load_model(folder).nodes_of("ICB")
['QHM']
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from pathlib import Path

from networks.dates import AsAt, resolve_as_at
from networks.errors import Problem, ValidationError
from networks.graph import CareGraph
from networks.pathway_checks import pathway_problems
from networks.records import EdgeRecord, NodeRecord, Origin, build_graph

from .model_tables import TABLES, EdgeTable, NodeTable
from .pathway_yaml import pathway_records
from .table_reader import excel_sheet_names, read_table

__all__ = [
    "PATHWAY_FOLDER",
    "WORKBOOK_NAME",
    "ModelRecords",
    "check_model",
    "describe_model",
    "load_model",
    "model_records",
    "validate_model",
]

log = logging.getLogger(__name__)

WORKBOOK_NAME = "model.xlsx"
PATHWAY_FOLDER = "pathways"
_REQUIRED_TABLES = ("organisations",)

@dataclass
class ModelRecords:
    """Everything read from a model folder, ready for ``networks.records.build_graph``.

    Attributes
    ----------
    nodes, edges : lists of records
    problems : list of Problem
        File-level problems: unreadable or malformed files, missing or
        unknown columns, YAML structure.
    unchecked_ids : set of str
        Ids in rows that could not be checked (a table whose header is
        broken, a row with too many cells): references to them are not
        reported again.
    unchecked_kinds : set of str
        Kinds of the nodes a table that could not be read at all would have
        held: references that may point at them are not reported.
    """

    nodes: list[NodeRecord] = field(default_factory=list)
    edges: list[EdgeRecord] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    unchecked_ids: set[str] = field(default_factory=set)
    unchecked_kinds: set[str] = field(default_factory=set)

    def extend(self, nodes: list[NodeRecord], edges: list[EdgeRecord], problems: list[Problem]) -> None:
        """Add records and problems from one file."""
        self.nodes += nodes
        self.edges += edges
        self.problems += problems


Source = tuple[Path, str, str | int | None]


def _sources(folder: Path) -> tuple[dict[str, Source], list[Problem]]:
    """Find each table's file: ``name.csv``, ``name.xlsx`` or a sheet of ``model.xlsx``."""
    found: dict[str, Source] = {}
    problems: list[Problem] = []
    workbook = folder / WORKBOOK_NAME
    sheets: list[str] = []
    if workbook.exists():
        try:
            sheets = excel_sheet_names(workbook)
        except ValidationError as exc:
            problems += exc.problems
        for sheet in sheets:
            if sheet not in TABLES:
                problems.append(Problem(f"{WORKBOOK_NAME}[{sheet}]", None, None,
                                        f"unknown sheet; allowed: {', '.join(TABLES)}"))
    for name in TABLES:
        candidates: list[Source] = []
        for suffix, position in ((".csv", None), (".xlsx", 0)):
            path = folder / f"{name}{suffix}"
            if path.exists():
                candidates.append((path, path.name, position))
        if name in sheets:
            candidates.append((workbook, f"{WORKBOOK_NAME}[{name}]", name))
        if len(candidates) > 1:
            problems.append(Problem(candidates[1][1], None, None,
                                    f"table '{name}' is also given in {candidates[0][1]}; keep one"))
        if candidates:
            found[name] = candidates[0]
        elif name in _REQUIRED_TABLES:
            problems.append(Problem(f"{name}.csv", None, None, "required table is missing"))
    return found, problems


def _read_table(source: Source, table: NodeTable | EdgeTable, into: ModelRecords) -> None:
    """Read one table; unknown columns are reported and ignored, missing ones stop its rows."""
    path, label, sheet = source
    read = read_table(path, sheet=sheet, label=label)
    into.problems += read.problems
    into.unchecked_ids |= {str(row["id"]).strip() for _, row in read.broken if row.get("id") is not None}
    if not read.readable:
        if isinstance(table, NodeTable):
            into.unchecked_kinds |= set(table.kinds())
        return
    allowed = table.columns()
    missing = [column for column in table.required_columns() if column not in read.header]
    into.problems += read.column_problems(table.required_columns(), [c for c in allowed
                                                                      if c not in table.required_columns()])
    if missing:
        into.unchecked_ids |= {str(row["id"]).strip() for _, row in read.rows if row.get("id") is not None}
        return
    for number, row in read.rows:
        known = {column: value for column, value in row.items() if column in allowed}
        into.extend(*table.records(known, Origin(label, number)), [])
    log.debug("%s: %d rows", label, len(read.rows))


def model_records(folder: str | Path) -> ModelRecords:
    """Read every table and pathway of a model folder into records and problems.

    Schema and reference problems are found later, by ``networks.records.build_graph``.

    Parameters
    ----------
    folder : str or Path
        The model folder.

    Returns
    -------
    ModelRecords
    """
    root = Path(folder)
    if not root.is_dir():
        return ModelRecords(problems=[Problem(str(folder), None, None, "not a folder")])
    found, problems = _sources(root)
    result = ModelRecords(problems=problems)
    for name in _REQUIRED_TABLES:  # a missing required table is one problem, not one per reference to it
        table = TABLES[name]
        if name not in found and isinstance(table, NodeTable):
            result.unchecked_kinds |= set(table.kinds())
    for name, source in found.items():
        _read_table(source, TABLES[name], result)
    pathway_dir = root / PATHWAY_FOLDER
    files = sorted([*pathway_dir.glob("*.yaml"), *pathway_dir.glob("*.yml")]) if pathway_dir.is_dir() else []
    for path in files:
        label = f"{PATHWAY_FOLDER}/{path.name}"
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            result.problems.append(Problem(label, None, None, f"cannot be read: {exc}"))
            continue
        result.extend(*pathway_records(text, label))
    return result


def check_model(folder: str | Path) -> tuple[CareGraph | None, list[Problem]]:
    """Read, build and check a model folder: the graph (``None`` if there are errors) and every problem found.

    Returns
    -------
    graph : CareGraph or None
        The model, unless an error was found.
    problems : list of Problem
        Errors, then warnings (``Problem.severity``), each with file, row
        (or YAML path) and field.

    Examples
    --------
    >>> graph, problems = check_model("tests/fixtures/small_model")
    >>> graph.number_of_nodes(), [p.severity for p in problems]
    (21, ['warning', 'warning'])
    """
    read = model_records(folder)
    try:
        graph = build_graph(read.nodes, read.edges, Path(folder).name, read.unchecked_ids, read.unchecked_kinds)
    except ValidationError as exc:
        return None, _ordered(read.problems + exc.problems)
    if read.problems:
        return None, _ordered(read.problems)
    errors, warnings = pathway_problems(graph)
    located = _locate([*errors, *(replace(w, severity="warning") for w in warnings)], read.nodes)
    log.info("loaded %s: %d nodes, %d relationships", folder, graph.number_of_nodes(), graph.number_of_edges())
    return (None if errors else graph), _ordered(located)


def _ordered(problems: list[Problem]) -> list[Problem]:
    """Errors before warnings, each by file and row."""
    return sorted(problems, key=lambda p: (p.severity != "error", p.sort_key()))


_STEP = "step '"


def _locate(problems: list[Problem], nodes: list[NodeRecord]) -> list[Problem]:
    """Turn ``pathway 'p'`` / ``step 'b'`` into the pathway file and the step's YAML path."""
    origins = {str(rec.id).strip(): rec.origin for rec in nodes if isinstance(rec.id, str)}
    located = []
    for problem in problems:
        pathway = problem.file.removeprefix("pathway '").removesuffix("'")
        origin = origins.get(pathway)
        if origin is None or not problem.file.startswith("pathway '"):
            located.append(problem)
            continue
        row = problem.row
        if isinstance(row, str) and row.startswith(_STEP):
            step = origins.get(f"{pathway}/{row[len(_STEP):-1]}")
            row = step.row if step is not None else row
        located.append(replace(problem, file=origin.file, row=row))
    return located


def load_model(folder: str | Path, *, as_at: AsAt = None) -> CareGraph:
    """Load and validate a model folder.

    Parameters
    ----------
    folder : str or Path
        A folder holding ``organisations.csv`` and any other tables (CSV,
        ``<table>.xlsx`` or sheets of ``model.xlsx``) and ``pathways/*.yaml``.
    as_at : str, optional
        ``YYYY-MM-DD``: keep only what is in force that day. By default the
        whole model, every date: the analyses then take it as at the day
        they are asked for (today unless told otherwise).

    Returns
    -------
    CareGraph
        Named after the folder.

    Raises
    ------
    networks.errors.ValidationError
        Listing every problem in the folder, each with file, row (or YAML
        path) and field: the schema's, and pathways that cannot be right
        (``networks.pathway_checks``). Warnings do not stop the load; see
        ``validate_model``.
    """
    day = None if as_at is None else resolve_as_at(as_at)
    graph, problems = check_model(folder)
    if graph is None:
        raise ValidationError([p for p in problems if p.severity == "error"])
    return graph if day is None else graph.as_at(day)


def validate_model(folder: str | Path) -> list[Problem]:
    """Return every problem in a model folder: errors, then warnings (an empty list when it is clean).

    A warning (``Problem.severity == "warning"``), such as a step whose
    provider does not offer its service in the model's provision (which may
    be partial), does not stop the model being loaded.

    Examples
    --------
    >>> import caregraph as cg
    >>> import tempfile
    >>> [str(p) for p in cg.validate_model(tempfile.mkdtemp())]
    ['organisations.csv: required table is missing']
    """
    return check_model(folder)[1]


def describe_model(folder: str | Path) -> list[str]:
    """Lines saying where a model comes from: its title (the README's first heading), folder, files and sources.

    Examples
    --------
    >>> describe_model("examples/cardiology")[0]
    'Model: Cardiology in North East and North Cumbria: an example model'
    """
    root = Path(folder)
    lines = []
    readme = root / "README.md"
    if readme.is_file():
        heading = next((line[2:].strip() for line in readme.read_text(encoding="utf-8").splitlines()
                        if line.startswith("# ")), None)
        if heading:
            lines.append(f"Model: {heading}")
    files = sorted(p.relative_to(root).as_posix() for p in root.rglob("*")
                   if p.is_file() and p.suffix in (".csv", ".xlsx", ".yaml", ".yml"))
    lines.append(f"Folder {root.as_posix()}: {len(files)} files ({', '.join(files[:12])}"
                 f"{', ...' if len(files) > 12 else ''})")
    if (root / "SOURCES.md").is_file():
        lines.append(f"Provenance of every code and figure: {(root / 'SOURCES.md').as_posix()}")
    return lines
