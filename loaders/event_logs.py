"""Reading event logs (CSV, XES or a DataFrame) into DuckDB, checked and typed.

An event log has one row per event: the case (a patient's admission or
referral), the resource that handled it (care unit, department, provider,
site), a timestamp and optionally an activity and an order column that
breaks ties between equal timestamps. Column names are arguments, so any
log can be read as it is.

The log is never loaded whole into Python: a CSV is scanned by DuckDB in
parallel and copied, checked and typed, into a DuckDB table whose row order
is the file's (so that equal timestamps can keep file order without
numbering the rows one by one, which DuckDB cannot do in parallel); an XES
file is streamed trace by trace into DuckDB; DuckDB spills to a temporary
folder beyond its memory limit, so logs larger than memory still work. This module
imports neither pandas nor numpy: ``caregraph eventlog handoffs`` starts
with DuckDB alone.

Rules, checked for every row:

* the case is required;
* the timestamp is required and must be ISO 8601 (``2024-03-01``,
  ``2024-03-01 14:30:00``, ``2024-03-01T14:30:00.250+01:00``); times
  without an offset are taken as UTC;
* the order column, if given, is required and must be a number;
* resource values are trimmed: leading and trailing spaces, tabs, line
  breaks and no-break spaces are dropped, so ``"ward"`` and ``" ward "`` are
  one resource;
* a blank resource is allowed: the analyses skip such events, or count
  them as a resource of their own when asked (``blank_resource``).

A broken rule raises ``networks.errors.ValidationError`` naming the file, the row
(as a spreadsheet shows it: the header is row 1; ``trace T, event E`` for
XES) and the column, with how many rows have the same problem. So does a
file that cannot be read at all: a damaged or truncated gzip file, a CSV
that is not UTF-8 (naming the row of the first bad byte) or has a row of
the wrong width, malformed XML.

Examples
--------
>>> import caregraph as cg
>>> import pandas as pd
>>> log = pd.DataFrame({"case": ["a", "a"], "unit": [" ED ", None],
...                     "time": ["2024-01-01 10:00", "2024-01-01T12:00+01:00"]})
>>> cg.read_event_log(log, case="case", resource="unit", timestamp="time")
  case resource                 timestamp
0    a       ED 2024-01-01 10:00:00+00:00
1    a      NaN 2024-01-01 11:00:00+00:00
"""

from __future__ import annotations

import contextlib
import csv
import gzip
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TypeVar, Union

import duckdb

from networks.errors import ArgumentError, CareGraphError, Problem, ValidationError

from .text_files import DAMAGED_FILE_ERRORS, damaged_file_problem, not_utf8_problem
from .xes import iter_xes_events

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "XES_ACTIVITY",
    "XES_CASE",
    "XES_RESOURCE",
    "XES_TIMESTAMP",
    "EventColumns",
    "EventTable",
    "LogInput",
    "open_event_log",
    "read_csv_header",
    "read_event_log",
]

logger = logging.getLogger(__name__)

XES_CASE = "case:concept:name"
XES_ACTIVITY = "concept:name"
XES_RESOURCE = "org:resource"
XES_TIMESTAMP = "time:timestamp"

LogInput = Union[str, "os.PathLike[str]", "pd.DataFrame"]

_XES_BATCH = 50_000
_TIMESTAMP_HELP = "expected ISO 8601 such as 2024-03-01 14:30:00"
# What trimming drops from both ends of a resource: spaces, tabs, line breaks, no-break spaces. Trimming with a
# list of characters is slow in DuckDB, so only values that start or end with one of them are trimmed (a value
# below '!' starts with a space or a control character, or is empty).
_TRIM = "' ' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13) || chr(160)"
_RESOURCE = ("nullif(CASE WHEN resource < '!' OR starts_with(resource, chr(160)) "
             "OR ord(resource[-1]) IN (9, 10, 11, 12, 13, 32, 160) "
             f"THEN trim(resource, {_TRIM}) ELSE resource END, '')")
# A timestamp in UTC. Parsing as TIMESTAMPTZ (which honours an offset) is several times slower than as
# TIMESTAMP (which ignores one), so the common forms that cannot hold an offset, 2024-03-01,
# 2024-03-01 14:30 and 2024-03-01 14:30:00 (or with a T), take the fast way.
_TIMESTAMP = ("CASE WHEN length(ts_raw) IN (10, 16) OR (length(ts_raw) = 19 AND ts_raw[17] = ':') "
              "THEN CAST(ts_raw AS TIMESTAMP) ELSE make_timestamp(epoch_us(CAST(ts_raw AS TIMESTAMPTZ))) END")
# role -> name of the column as read (VARCHAR)
_RAW = {"case": "case_id", "resource": "resource", "timestamp": "ts_raw", "activity": "activity", "order": "ord_raw"}

_T = TypeVar("_T")


@dataclass(frozen=True)
class EventColumns:
    """Which column of the log plays which role.

    Attributes
    ----------
    case, resource, timestamp : str
        Required columns.
    activity, order : str or None
        Optional columns; ``order`` breaks ties between equal timestamps
        (before file order does).
    """

    case: str
    resource: str
    timestamp: str
    activity: str | None = None
    order: str | None = None

    def roles(self) -> dict[str, str]:
        """Return ``role -> column`` for the roles in use.

        Examples
        --------
        >>> EventColumns("hadm_id", "curr_careunit", "intime").roles()
        {'case': 'hadm_id', 'resource': 'curr_careunit', 'timestamp': 'intime'}
        """
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) is not None}


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@dataclass(frozen=True)
class _Source:
    """A log as DuckDB reads it: every role column as VARCHAR under its ``_RAW`` name.

    ``scan`` yields the rows in file order; ``numbered`` adds ``pos`` (1, 2, ...) and
    ``row_sql`` turns a numbered row into its label in problems. ``csv`` is a CSV's
    path and delimiter, to find rows that DuckDB cannot read.
    """

    label: str
    scan: str
    numbered: str
    row_sql: str
    csv: tuple[Path, str] | None = None


@dataclass(frozen=True)
class _Check:
    """One rule on raw values: rows where ``bad`` holds break it."""

    role: str
    bad: str
    message: Callable[[str | None], str]


def _checks(columns: EventColumns) -> list[_Check]:
    missing = "required value is missing"
    checks = [
        _Check("case", "nullif(case_id, '') IS NULL", lambda _: missing),
        _Check("timestamp", "nullif(trim(ts_raw), '') IS NULL", lambda _: missing),
        _Check("timestamp", "try_cast(ts_raw AS TIMESTAMPTZ) IS NULL AND nullif(trim(ts_raw), '') IS NOT NULL",
               lambda v: f"'{v}' is not a timestamp ({_TIMESTAMP_HELP})"),
    ]
    if columns.order is not None:
        checks += [
            _Check("order", "nullif(trim(ord_raw), '') IS NULL", lambda _: missing),
            _Check("order", "try_cast(ord_raw AS DOUBLE) IS NULL AND nullif(trim(ord_raw), '') IS NOT NULL",
                   lambda v: f"'{v}' is not a number"),
        ]
    return checks


def _checked_sql(columns: EventColumns, scan: str) -> str:
    """The checked, typed events from raw ones; a broken rule makes DuckDB raise."""
    guard = "CASE WHEN {bad} THEN error('caregraph: invalid {role}') ELSE {value} END AS {name}"
    parts = [guard.format(bad="case_id IS NULL OR case_id = ''", role="case", value="case_id", name="case_id"),
             f"{_RESOURCE} AS resource",
             guard.format(bad="ts_raw IS NULL", role="timestamp", value=_TIMESTAMP, name="ts")]
    if columns.activity is not None:
        parts.append("activity")
    if columns.order is not None:
        parts.append(guard.format(bad="ord_raw IS NULL", role="order", value="CAST(ord_raw AS DOUBLE)", name="ord"))
    return f"SELECT {', '.join(parts)} FROM {scan}"


def _select_raw(columns: EventColumns, source: str, names: Mapping[str, str]) -> str:
    parts = [f"CAST({_ident(names[column])} AS VARCHAR) AS {_RAW[role]}" for role, column in columns.roles().items()]
    return f"(SELECT {', '.join(parts)} FROM {source})"


def _numbered(scan: str) -> str:
    return f"(SELECT row_number() OVER () AS pos, * FROM {scan})"


class EventTable:
    """An event log opened in DuckDB; use within :func:`open_event_log`.

    The rows were checked when the table was made: a row that breaks a rule
    raises ``ValidationError`` naming the file, row and column.

    Attributes
    ----------
    con : duckdb.DuckDBPyConnection
        The connection holding the log.
    label : str
        How problems name the log (its file name).
    columns : EventColumns
        The roles of the log's columns.
    events : str
        The SQL relation of the checked events: ``pos`` (position in the
        file, from 0), ``case_id``, ``resource`` (trimmed; NULL when
        blank), ``ts`` (TIMESTAMP, in UTC), and ``activity`` and ``ord``
        (DOUBLE) when given.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, source: _Source, columns: EventColumns, temp: Path) -> None:
        self.con = con
        self.label = source.label
        self.columns = columns
        # the table's row order is the file's (DuckDB keeps insertion order, also when it copies in parallel);
        # 4 bytes a position is lighter to sort, and enough for 4,294,967,295 events
        self.events = "(SELECT CAST(rowid AS UINTEGER) AS pos, * FROM event_rows)"
        self._source = source
        self._temp = temp
        self._run(lambda: con.execute(f"CREATE TEMP TABLE event_rows AS {_checked_sql(columns, source.scan)}"))

    @property
    def resource_column(self) -> str:
        """The log's resource column, as messages name it."""
        return self.columns.resource

    def _run(self, step: Callable[[], _T]) -> _T:
        try:
            return step()
        except (duckdb.ConversionException, duckdb.InvalidInputException, duckdb.IOException) as exc:
            raise ValidationError(_diagnose(self.con, self._source, self.columns, exc)) from None
        except duckdb.Error as exc:
            raise CareGraphError(f"{self.label}: {str(exc).splitlines()[0]}") from None

    def query(self, sql: str) -> pd.DataFrame:
        """Run ``sql`` (which refers to :attr:`events`) and return the result as a DataFrame.

        Raises
        ------
        networks.errors.ValidationError
            If a row of the log breaks a rule.
        networks.errors.CareGraphError
            If DuckDB fails (out of memory with no room to spill, say), with
            its message.
        """
        return self._run(lambda: self.con.sql(sql).df())

    def execute(self, sql: str) -> None:
        """Run a statement (such as ``CREATE TEMP TABLE t AS ...``), raising as :meth:`query` does."""
        self._run(lambda: self.con.execute(sql))

    def fetch(self, sql: str) -> list[tuple[Any, ...]]:
        """Run ``sql`` and return its rows as tuples of Python values (no pandas), raising as :meth:`query` does."""
        return self._run(lambda: self.con.execute(sql).fetchall())

    def write_csv(self, sql: str, stream: IO[str]) -> None:
        """Write the result of ``sql`` as CSV (header row, comma-separated, ``\\n`` line ends) to a text stream.

        DuckDB writes the CSV itself, so a large result costs no Python
        time per row.

        Examples
        --------
        >>> import io
        >>> import caregraph as cg
        >>> import pandas as pd
        >>> frame = pd.DataFrame({"c": ["1"], "r": ["ED, main"], "t": ["2024-01-01"]})
        >>> out = io.StringIO()
        >>> with cg.open_event_log(frame, case="c", resource="r", timestamp="t") as log:
        ...     log.write_csv(f"SELECT case_id, resource FROM {log.events}", out)
        >>> print(out.getvalue(), end="")
        case_id,resource
        1,"ED, main"
        """
        target = self._temp / "result.csv"
        self.execute(f"COPY ({sql}) TO {_literal(str(target))} (HEADER, DELIMITER ',')")
        with target.open(encoding="utf-8", newline="") as handle:
            shutil.copyfileobj(handle, stream)
        target.unlink()


def _diagnose(con: duckdb.DuckDBPyConnection, source: _Source, columns: EventColumns,
              exc: duckdb.Error) -> list[Problem]:
    """Find the rows behind a failed query, one problem per rule broken."""
    try:
        problems = [p for check in _checks(columns) if (p := _first_breach(con, source, columns, check))]
    except duckdb.Error:
        problems = []
    return problems or _unreadable(exc, source)


def _first_breach(con: duckdb.DuckDBPyConnection, source: _Source, columns: EventColumns,
                  check: _Check) -> Problem | None:
    found = con.execute(f"SELECT count(*), arg_min({source.row_sql}, pos), arg_min({_RAW[check.role]}, pos) "
                        f"FROM {source.numbered} WHERE {check.bad}").fetchone()
    if found is None or not found[0]:
        return None
    count, row, text = found
    more = f" ({count - 1} more row{'s' if count > 2 else ''} like this)" if count > 1 else ""
    return Problem(source.label, row, getattr(columns, check.role), check.message(text) + more)


def _unreadable(exc: duckdb.Error, source: _Source) -> list[Problem]:
    """Say why DuckDB could not read a log: a damaged file, the first CSV row not UTF-8 or of the wrong width,
    else DuckDB's message."""
    if source.csv is not None:
        path, delimiter = source.csv
        if path.suffix.lower() == ".gz":  # a corrupt stream may give garbage rows before gzip notices
            with _damaged_as_problem(source.label), gzip.open(path, "rb") as whole:
                while whole.read(1 << 20):
                    pass
        with _damaged_as_problem(source.label), _open_text(path) as handle:
            reader = csv.reader(handle, delimiter=delimiter)
            header = next(reader, [])
            if problem := not_utf8_problem(source.label, 1, header):
                return [problem]
            for row_number, row in enumerate(reader, start=2):
                if problem := not_utf8_problem(source.label, row_number, row):
                    return [problem]
                if len(row) != len(header):
                    return [Problem(source.label, row_number, None,
                                    f"{len(row)} fields where the header has {len(header)}")]
    line = re.search(r"[Ll]ine:? (\d+)", str(exc))
    return [Problem(source.label, int(line.group(1)) if line else None, None, str(exc).splitlines()[0])]


@contextlib.contextmanager
def _damaged_as_problem(label: str) -> Iterator[None]:
    """Turn the errors of reading a damaged (or truncated, or not really gzipped) file into one problem."""
    try:
        yield
    except DAMAGED_FILE_ERRORS as exc:
        raise ValidationError([damaged_file_problem(label, exc)]) from None


def _open_text(path: Path) -> IO[str]:
    """The file as text; bytes that are not UTF-8 are kept as lone surrogates (see ``not_utf8_problem``)."""
    if path.suffix.lower() == ".gz":
        return gzip.open(path, "rt", encoding="utf-8-sig", errors="surrogateescape", newline="")
    return open(path, encoding="utf-8-sig", errors="surrogateescape", newline="")


def _missing(label: str, row: int | None, available: list[str], columns: EventColumns,
             where: str, hint: str = "") -> None:
    problems = [Problem(label, row, column, f"no such column; {where} has: {', '.join(available)}{hint}")
                for column in dict.fromkeys(columns.roles().values()) if column not in available]
    if problems:
        raise ValidationError(problems)


def read_csv_header(path: Path, columns: EventColumns, delimiter: str) -> list[str]:
    """The header of a CSV log, checked: readable, UTF-8, and holding every column in ``columns``.

    Raises
    ------
    networks.errors.ValidationError
        A damaged or empty file, a header that is not UTF-8, a missing
        column (with a hint when another delimiter seems to be used).
    """
    label = path.name
    with _damaged_as_problem(label), _open_text(path) as handle:
        header = next(csv.reader(handle, delimiter=delimiter), None)
    if not header:
        raise ValidationError([Problem(label, 1, None, "no header row: the file is empty")])
    if problem := not_utf8_problem(label, 1, header):
        raise ValidationError([problem])
    hint = ""
    if len(header) == 1 and (other := next((d for d in ";\t|," if d != delimiter and d in header[0]), None)):
        hint = f" (is the delimiter {other!r}?)"
    _missing(label, 1, header, columns, "the header", hint)
    return header


def _csv_source(path: Path, columns: EventColumns, delimiter: str) -> _Source:
    """Scan a CSV with a fixed dialect: the header is read here, so DuckDB need not sniff the file."""
    label = path.name
    header = read_csv_header(path, columns, delimiter)
    names = {column: f"c{i}" for i, column in reversed(list(enumerate(header)))}
    spec = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(header)))
    read = (f"read_csv({_literal(str(path))}, header=true, auto_detect=false, delim={_literal(delimiter)}, "
            f"quote='\"', escape='\"', comment='', strict_mode=true, columns={{{spec}}})")
    scan = _select_raw(columns, read, names)
    return _Source(label, scan, _numbered(scan), "pos + 1", (path, delimiter))


def _xes_source(con: duckdb.DuckDBPyConnection, path: Path, columns: EventColumns) -> _Source:
    """Stream an XES file into the table ``xes_events`` (raw values, file order)."""
    label = path.name
    roles = columns.roles()
    names = ["pos", "trace_no", "event_no", *(_RAW[role] for role in roles)]
    types = ["BIGINT"] * 3 + ["VARCHAR"] * len(roles)
    con.execute("CREATE TEMP TABLE xes_events ("
                + ", ".join(f"{name} {kind}" for name, kind in zip(names, types, strict=True)) + ")")
    insert = ("INSERT INTO xes_events SELECT "
              + ", ".join(f"unnest(?::{kind}[])" for kind in types))
    seen: set[str] = set()
    batch: dict[str, list[Any]] = {name: [] for name in names}

    def flush() -> None:
        con.execute(insert, list(batch.values()))
        for values in batch.values():
            values.clear()

    opener = gzip.open if path.suffix.lower() == ".gz" else open
    with _damaged_as_problem(label), opener(path, "rb") as stream:
        for pos, event in enumerate(iter_xes_events(stream, label), start=1):
            seen.update(event.attributes)
            batch["pos"].append(pos)
            batch["trace_no"].append(event.trace)
            batch["event_no"].append(event.event)
            for role, column in roles.items():
                batch[_RAW[role]].append(event.attributes.get(column))
            if pos % _XES_BATCH == 0:
                flush()
    flush()
    _missing(label, None, sorted(seen), columns, "the log")
    scan = "(SELECT * FROM xes_events ORDER BY pos)"
    return _Source(label, scan, scan, "'trace ' || trace_no || ', event ' || event_no")


def _frame_source(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame, columns: EventColumns) -> _Source:
    label = "DataFrame"
    _missing(label, None, [str(c) for c in frame.columns], columns, "the DataFrame")
    used = list(dict.fromkeys(columns.roles().values()))
    con.register("log_frame", frame[used])
    scan = _select_raw(columns, "log_frame", {column: column for column in used})
    return _Source(label, scan, _numbered(scan), "pos + 1")


@contextlib.contextmanager
def open_event_log(
    log: LogInput,
    *,
    case: str = XES_CASE,
    resource: str = XES_RESOURCE,
    timestamp: str = XES_TIMESTAMP,
    activity: str | None = None,
    order: str | None = None,
    delimiter: str = ",",
    memory_limit: str | None = None,
) -> Iterator[EventTable]:
    """Open an event log in a private DuckDB database, for the duration of a ``with`` block.

    The file, its columns and every row are checked on entry, as DuckDB
    copies the rows into a table.

    Parameters
    ----------
    log : path or pandas.DataFrame
        A CSV file (``.csv``, optionally ``.gz``), an XES file (``.xes`` or
        ``.xes.gz``) or a DataFrame.
    case, resource, timestamp : str
        Column names (defaults: the XES standard attributes). In XES, event
        attributes are named by key and trace attributes as ``case:<key>``.
    activity, order : str, optional
        An activity column, and a numeric column that orders events with
        equal timestamps (before file order does).
    delimiter : str
        CSV field separator.
    memory_limit : str, optional
        DuckDB's memory limit, such as ``"2GB"`` (default: 80% of RAM);
        beyond it DuckDB spills to a temporary folder removed on exit.

    Yields
    ------
    EventTable
        Query it while the block runs.

    Raises
    ------
    networks.errors.ValidationError
        A missing, damaged or unreadable file, a missing column, malformed
        XML, a missing case or timestamp, an unparseable timestamp or order
        value, a CSV row that is not UTF-8 or of the wrong width.
    networks.errors.ArgumentError
        If DuckDB does not understand ``memory_limit``.

    Examples
    --------
    >>> import caregraph as cg
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"c": ["1"], "r": ["ED"], "t": ["2024-01-01"]})
    >>> with cg.open_event_log(frame, case="c", resource="r", timestamp="t") as log:
    ...     log.fetch(f"SELECT count(*) AS n FROM {log.events}")
    [(1,)]
    """
    columns = EventColumns(case, resource, timestamp, activity, order)
    temp = tempfile.mkdtemp(prefix="caregraph-eventlog-")
    config: dict[str, str | bool | int | float | list[str]] = {
        "autoinstall_known_extensions": False, "autoload_known_extensions": False, "temp_directory": temp}
    if memory_limit is not None:
        config["memory_limit"] = memory_limit
    try:
        try:
            con = duckdb.connect(config=config)
        except duckdb.Error as exc:
            raise ArgumentError(f"memory limit '{memory_limit}': {str(exc).splitlines()[0]}") from None
        with con:
            con.execute("SET TimeZone = 'UTC'; SET enable_progress_bar = false")
            yield EventTable(con, _source(con, log, columns, delimiter), columns, Path(temp))
    finally:
        shutil.rmtree(temp, ignore_errors=True)


def _source(con: duckdb.DuckDBPyConnection, log: LogInput, columns: EventColumns, delimiter: str) -> _Source:
    if not isinstance(log, (str, os.PathLike)):
        return _frame_source(con, log, columns)
    path = Path(log)
    if not path.is_file():
        raise ValidationError([Problem(str(path), None, None, "no such file")])
    if path.name.lower().endswith((".xes", ".xes.gz")):
        return _xes_source(con, path, columns)
    return _csv_source(path, columns, delimiter)


def read_event_log(
    log: LogInput,
    *,
    case: str = XES_CASE,
    resource: str = XES_RESOURCE,
    timestamp: str = XES_TIMESTAMP,
    activity: str | None = None,
    order: str | None = None,
    delimiter: str = ",",
) -> pd.DataFrame:
    """Read and check an event log into a DataFrame, in file order.

    For logs that fit in memory; the analyses themselves (such as
    :func:`pathways.eventlog.eventlog_handoffs` on :func:`open_event_log`)
    never load the whole log.

    Parameters
    ----------
    log : path or pandas.DataFrame
        CSV, XES (streamed) or a DataFrame.
    case, resource, timestamp, activity, order : str
        Column names (defaults: the XES standard attributes).
    delimiter : str
        CSV field separator.

    Returns
    -------
    pandas.DataFrame
        Columns ``case``, ``activity`` (if given), ``resource`` (trimmed;
        missing when blank), ``timestamp`` (UTC) and ``order`` (if given).

    Raises
    ------
    networks.errors.ValidationError
        Missing or damaged file, a missing column, a missing case or
        timestamp, an unparseable timestamp or order value, a malformed CSV
        row or XML.

    Examples
    --------
    >>> import caregraph as cg
    >>> import pandas as pd
    >>> bad = pd.DataFrame({"c": ["1", "1"], "r": ["ED", "ICU"], "t": ["2024-01-01", "soon"]})
    >>> cg.read_event_log(bad, case="c", resource="r", timestamp="t")
    Traceback (most recent call last):
    ...
    networks.errors.ValidationError: 1 problem:
      DataFrame, row 3, field 't': 'soon' is not a timestamp (expected ISO 8601 such as 2024-03-01 14:30:00)
    """
    select = ['case_id AS "case"', *(["activity"] if activity is not None else []), "resource",
              'ts AS "timestamp"', *(['ord AS "order"'] if order is not None else [])]
    with open_event_log(log, case=case, resource=resource, timestamp=timestamp, activity=activity, order=order,
                        delimiter=delimiter) as table:
        frame = table.query(f"SELECT {', '.join(select)} FROM {table.events} ORDER BY pos")
    frame["timestamp"] = frame["timestamp"].dt.tz_localize("UTC")
    logger.info("%s: read %d events", table.label, len(frame))
    return frame
