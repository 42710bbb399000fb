"""Hand-offs from event logs: hand-counted tiny logs, CSV = XES, PM4Py parity, bad input, Spark = DuckDB.

The Spark tests run on one real local Spark session (``local[2]``, the ``spark`` fixture of conftest.py) and
compare Spark's rows with the DuckDB path's on the same file.
"""

from __future__ import annotations

import datetime as dt
import gzip
import importlib.util
import logging
import os
import random
import re
import subprocess
import sys
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

import pandas as pd
import pytest

import caregraph as cg
from caregraph import ArgumentError, ValidationError, compare_with_pathway, load_model, read_event_log
from caregraph.cli import main

DATA = Path(__file__).parents[1] / "data" / "mimic_iii_demo"
TRANSFERS = DATA / "transfers.csv"
MIMIC: dict[str, Any] = {"case": "hadm_id", "resource": "curr_careunit", "timestamp": "intime"}
MIMIC_HANDOFFS = [["CCU", "MICU", 2], ["MICU", "CCU", 4], ["MICU", "SICU", 3], ["SICU", "CCU", 1],
                  ["TSICU", "MICU", 1]]
COLS: dict[str, Any] = {"case": "case", "resource": "unit", "timestamp": "time"}


def write_csv(path: Path, text: str) -> Path:
    path.write_text(text.strip() + "\n")
    return path


def write_xes(path: Path, frame: pd.DataFrame, case: str, event_keys: dict[str, str], *,
              namespace: bool = False, case_after_events: bool = False) -> Path:
    """Write ``frame`` as XES: one trace per ``case`` value (first-seen order), events in row order."""
    xmlns = ' xmlns="http://www.xes-standard.org/"' if namespace else ""
    lines = [f'<?xml version="1.0" encoding="UTF-8"?>\n<log xes.version="1.0"{xmlns}>',
             '<string key="concept:name" value="test log"/>',
             '<global scope="event"><string key="org:resource" value="UNKNOWN"/></global>']
    for case_id, events in frame.groupby(case, sort=False):
        name = f'<string key="concept:name" value={quoteattr(str(case_id))}/>'
        lines.append("<trace>" + ("" if case_after_events else name))
        for _, row in events.iterrows():
            attrs = "".join(f'<{kind} key="{key}" value={quoteattr(str(row[column]))}/>'
                            for column, (kind, key) in ((c, k.split(":", 1)) for c, k in event_keys.items())
                            if not pd.isna(row[column]))
            lines.append(f"<event>{attrs}<list key=\"nested\"><string key=\"x\" value=\"y\"/></list></event>")
        lines.append(("" if not case_after_events else name) + "</trace>")
    lines.append("</log>")
    text = "\n".join(lines)
    if path.suffix == ".gz":
        path.write_bytes(gzip.compress(text.encode()))
    else:
        path.write_text(text)
    return path


def eventlog_handoffs(log: Any, *, include_self: bool = False, memory_limit: str | None = None,
                      delimiter: str = ",", blank_resource: str | None = None, **columns: Any) -> pd.DataFrame:
    """Read a log (path or raw DataFrame) with ``open_event_log`` and count its hand-offs, as the CLI does."""
    with cg.open_event_log(log, delimiter=delimiter, memory_limit=memory_limit, **columns) as events:
        return cg.eventlog_handoffs(events, include_self=include_self, blank_resource=blank_resource)


def as_rows(frame: pd.DataFrame) -> list[list[object]]:
    return frame.values.tolist()


# --- hand-made logs, hand-counted ------------------------------------------------------------------

TINY = """
case,unit,time,seq
1,ED,2024-01-01 10:00,1
2,ED,2024-01-01 09:00,1
1,ICU,2024-01-01 12:00,2
1,,2024-01-01 13:00,3
2,ward,2024-01-01 09:30,2
1,ICU,2024-01-01 14:00,4
1,ward,2024-01-01 15:00,5
2,ED,2024-01-01 08:00,0
3,ED,2024-01-01 08:00,1
"""
# case 1: ED ICU (blank) ICU ward -> ED>ICU, ICU>ICU (self, blank skipped), ICU>ward
# case 2 by time: ED(08:00) ED(09:00) ward(09:30) -> ED>ED (self), ED>ward
# case 3: a single event, no pair


def test_tiny_log_counts_by_hand(tmp_path, caplog):
    log = write_csv(tmp_path / "tiny.csv", TINY)
    with caplog.at_level(logging.WARNING):
        result = eventlog_handoffs(log, **COLS)
    assert list(result.columns) == ["from", "to", "count"]
    assert as_rows(result) == [["ED", "ICU", 1], ["ED", "ward", 1], ["ICU", "ward", 1]]
    assert result.attrs["skipped_events"] == 1
    assert "tiny.csv: skipped 1 event with no 'unit'" in caplog.text


def test_self_transitions_only_when_asked(tmp_path):
    log = write_csv(tmp_path / "tiny.csv", TINY)
    result = eventlog_handoffs(log, **COLS, include_self=True)
    assert as_rows(result) == [["ED", "ED", 1], ["ED", "ICU", 1], ["ED", "ward", 1], ["ICU", "ICU", 1],
                               ["ICU", "ward", 1]]


def test_equal_timestamps_keep_file_order_unless_an_order_column_says_otherwise(tmp_path):
    log = write_csv(tmp_path / "ties.csv", """
case,unit,time,seq
A,X,2024-01-01 10:00,3
A,Y,2024-01-01 10:00,1
A,Z,2024-01-01 10:00,2
A,W,2024-01-01 10:00,2
A,V,2024-01-01 09:59,9
""")
    # file order among the 10:00 events after V (09:59): X Y Z W
    assert as_rows(eventlog_handoffs(log, **COLS)) == [["V", "X", 1], ["X", "Y", 1], ["Y", "Z", 1],
                                                      ["Z", "W", 1]]
    # by seq: Y(1) Z(2) W(2, file order breaks the tie) X(3)
    assert as_rows(eventlog_handoffs(log, **COLS, order="seq")) == [["V", "Y", 1], ["W", "X", 1],
                                                                   ["Y", "Z", 1], ["Z", "W", 1]]


def test_timestamps_with_offsets_are_ordered_as_instants(tmp_path):
    log = write_csv(tmp_path / "tz.csv", """
case,unit,time
1,late,2024-06-01T10:00:00+01:00
1,early,2024-06-01 09:30:00
1,last,2024-06-01 09:45:00.500
""")
    # late is 09:00 UTC, before early (09:30 UTC, no offset = UTC)
    assert as_rows(eventlog_handoffs(log, **COLS)) == [["early", "last", 1], ["late", "early", 1]]


def test_missing_resources_are_dropped_before_pairing_and_counted():
    frame = pd.DataFrame({"case": ["1"] * 5 + ["2"] * 2,
                          "unit": ["A", None, "", "B", None, None, None],
                          "time": [f"2024-01-01 0{i}:00" for i in range(7)]})
    result = eventlog_handoffs(frame, **COLS)
    assert as_rows(result) == [["A", "B", 1]]
    assert result.attrs["skipped_events"] == 5


def test_empty_log_gives_no_rows(tmp_path):
    result = eventlog_handoffs(write_csv(tmp_path / "empty.csv", "case,unit,time"), **COLS)
    assert result.empty and list(result.columns) == ["from", "to", "count"]
    assert result.attrs["skipped_events"] == 0


def test_a_small_memory_limit_spills_instead_of_failing(tmp_path):
    n = 60_000
    frame = pd.DataFrame({"case": [str(i // 6) for i in range(n)],
                          "unit": [f"U{(i * 7919) % 50}" for i in range(n)],
                          "time": pd.Timestamp("2024-01-01") + pd.to_timedelta(range(n), unit="s")})
    path = tmp_path / "big.csv"
    frame.to_csv(path, index=False)
    small = eventlog_handoffs(path, **COLS, memory_limit="20MB")
    assert small.equals(eventlog_handoffs(path, **COLS))
    assert small["count"].sum() == n - n // 6


def test_resources_are_trimmed(tmp_path):
    log = write_csv(tmp_path / "spaces.csv", """
case,unit,time
1,ward,2024-01-01 10:00
1, ward ,2024-01-01 11:00
1,ICU ,2024-01-01 12:00
1,\u00a0\tward\u00a0,2024-01-01 13:00
2,  ,2024-01-01 10:00
""")
    # one case "1": ward ward ICU ward -> ward>ICU, ICU>ward (and ward>ward when self pairs count);
    # case 2's resource is only spaces: blank, so skipped
    result = eventlog_handoffs(log, **COLS)
    assert as_rows(result) == [["ICU", "ward", 1], ["ward", "ICU", 1]]
    assert result.attrs["skipped_events"] == 1
    assert as_rows(eventlog_handoffs(log, **COLS, include_self=True))[-1] == ["ward", "ward", 1]
    read = read_event_log(log, **COLS)
    assert read["resource"].tolist()[:4] == ["ward", "ward", "ICU", "ward"] and pd.isna(read["resource"][4])
    # a DataFrame given straight to eventlog_handoffs is trimmed the same way
    raw = pd.read_csv(log, dtype=str, keep_default_na=False).rename(
        columns={"unit": "resource", "time": "timestamp"})
    assert as_rows(cg.eventlog_handoffs(raw)) == as_rows(result)


def test_blank_resources_can_count_as_a_named_resource(tmp_path):
    log = write_csv(tmp_path / "tiny.csv", TINY)
    # case 1: ED ICU (blank) ICU ward; case 2: ED ED ward; "(" sorts before letters
    result = eventlog_handoffs(log, **COLS, blank_resource="(blank)")
    assert as_rows(result) == [["(blank)", "ICU", 1], ["ED", "ICU", 1], ["ED", "ward", 1],
                               ["ICU", "(blank)", 1], ["ICU", "ward", 1]]
    assert result.attrs["skipped_events"] == 0
    assert as_rows(eventlog_handoffs(log, **COLS, blank_resource=" ward? ")) == [
        ["ED", "ICU", 1], ["ED", "ward", 1], ["ICU", "ward", 1], ["ICU", "ward?", 1], ["ward?", "ICU", 1]]


def test_a_blank_resource_name_must_be_new_and_not_blank(tmp_path):
    log = write_csv(tmp_path / "tiny.csv", TINY)
    with pytest.raises(ArgumentError, match=r"blank_resource 'ED' is also a resource in tiny.csv \(4 events\)"):
        eventlog_handoffs(log, **COLS, blank_resource="ED")
    with pytest.raises(ArgumentError, match="blank_resource must be a name"):
        eventlog_handoffs(log, **COLS, blank_resource=" ")


# Counted by hand from transfers.csv (and re-counted with a few lines of plain Python over csv.DictReader,
# sorting each admission's rows by intime): a blank curr_careunit is a general ward (185 transfer and 43 admit
# rows) or the discharge (129 rows). Of the 11 ICU -> ICU hand-offs seen when blanks are skipped, 6 passed
# through a ward: MICU>CCU 3 of 4, MICU>SICU 1 of 3, CCU>MICU 1 of 2, SICU>CCU 1 of 1; TSICU>MICU did not.
MIMIC_WITH_WARDS = [["(blank)", "CCU", 11], ["(blank)", "CSRU", 3], ["(blank)", "MICU", 27], ["(blank)", "SICU", 16],
                    ["(blank)", "TSICU", 2], ["CCU", "(blank)", 22], ["CCU", "MICU", 1], ["CSRU", "(blank)", 6],
                    ["MICU", "(blank)", 81], ["MICU", "CCU", 1], ["MICU", "SICU", 2], ["SICU", "(blank)", 26],
                    ["TSICU", "(blank)", 10], ["TSICU", "MICU", 1]]


def test_mimic_blank_care_units_as_wards_reveal_the_ward_stays_between_icus():
    result = eventlog_handoffs(TRANSFERS, **MIMIC, blank_resource="(blank)")
    assert as_rows(result) == MIMIC_WITH_WARDS
    assert result.attrs["skipped_events"] == 0
    # 524 events over 129 admissions: 395 consecutive pairs, 186 of them at the same resource
    assert result["count"].sum() == 395 - 186
    direct = result[(result["from"] != "(blank)") & (result["to"] != "(blank)")]
    assert direct["count"].sum() == 11 - 6


# --- readers: CSV, XES and DataFrame agree ----------------------------------------------------------

XES_KEYS = {"unit": "string:org:resource", "time": "date:time:timestamp", "seq": "int:seq"}


@pytest.mark.parametrize("options", [{}, {"namespace": True}, {"case_after_events": True}],
                         ids=["plain", "namespace", "case-after-events"])
def test_csv_and_xes_read_the_same(tmp_path, options):
    csv = write_csv(tmp_path / "tiny.csv", TINY)
    frame = pd.read_csv(csv, dtype=str)
    xes = write_xes(tmp_path / "tiny.xes", frame, "case", XES_KEYS, **options)
    from_csv = read_event_log(csv, **COLS, order="seq")
    # XES holds each trace's events together, so file order is trace by trace
    from_xes = read_event_log(xes, order="seq")
    by_case = from_csv.sort_values("case", kind="stable").reset_index(drop=True)
    pd.testing.assert_frame_equal(by_case, from_xes, check_dtype=False)
    assert eventlog_handoffs(xes, include_self=True).equals(eventlog_handoffs(csv, **COLS, include_self=True))


def test_mimic_transfers_csv_and_gzipped_xes_give_the_same_handoffs(tmp_path):
    frame = pd.read_csv(TRANSFERS, dtype=str)
    xes = write_xes(tmp_path / "transfers.xes.gz", frame, "hadm_id",
                    {"curr_careunit": "string:org:resource", "intime": "date:time:timestamp"})
    from_xes = eventlog_handoffs(xes)
    assert as_rows(from_xes) == MIMIC_HANDOFFS
    assert from_xes.attrs["skipped_events"] == 357


def test_mimic_transfers_by_hand_checked_totals():
    result = eventlog_handoffs(TRANSFERS, **MIMIC)
    assert as_rows(result) == MIMIC_HANDOFFS
    assert result.attrs["skipped_events"] == 357  # blank curr_careunit: non-ICU wards and discharges
    # 524 events - 357 skipped = 167 ICU events over 129 admissions, which all have one
    assert eventlog_handoffs(TRANSFERS, **MIMIC, include_self=True)["count"].sum() == 167 - 129


# --- PM4Py parity -----------------------------------------------------------------------------------

def _pm4py():
    if importlib.util.find_spec("pm4py") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("pm4py is a test dependency and must be installed in CI")
        pytest.skip("pm4py is not installed")
    import pm4py

    return pm4py


def pm4py_counts(path: Path, case: str, resource: str, timestamp: str, pairs: int) -> dict[tuple[str, str], int]:
    """PM4Py's handover-of-work network (beta=0), scaled back to counts, off the diagonal."""
    pm4py = _pm4py()
    frame = pm4py.format_dataframe(pd.read_csv(path), case_id=case, activity_key=resource, timestamp_key=timestamp)
    network = pm4py.discover_handover_of_work_network(frame, beta=0, resource_key=resource,
                                                      timestamp_key=timestamp, case_id_key="case:concept:name")
    scaled = {pair: value * pairs for pair, value in network.connections.items()}
    assert all(abs(v - round(v)) < 1e-9 for v in scaled.values())
    return {(str(a), str(b)): round(v) for (a, b), v in scaled.items() if a != b}


@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("log", ["mimic", "tiny"])
def test_equals_pm4py_handover_of_work(log, tmp_path):
    path, columns = (TRANSFERS, MIMIC) if log == "mimic" else (write_csv(tmp_path / "tiny.csv", TINY), COLS)
    pairs = int(eventlog_handoffs(path, **columns, include_self=True)["count"].sum())
    ours = {(a, b): n for a, b, n in as_rows(eventlog_handoffs(path, **columns))}
    assert ours == pm4py_counts(path, columns["case"], columns["resource"], columns["timestamp"], pairs)


# --- bad input --------------------------------------------------------------------------------------

def problems(excinfo: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return [str(p) for p in excinfo.value.problems]


def test_missing_column_names_file_header_row_and_field(tmp_path):
    with pytest.raises(ValidationError) as excinfo:
        eventlog_handoffs(write_csv(tmp_path / "log.csv", TINY), case="case", resource="ward", timestamp="time")
    assert problems(excinfo) == ["log.csv, row 1, field 'ward': no such column; the header has: "
                                 "case, unit, time, seq"]


BAD_VALUES = """
case,unit,time,seq
1,A,2024-01-01 10:00,1
1,B,01/02/2024 10:00,x
,C,2024-01-01 11:00,2
1,D,yesterday,3
1,E,,4
"""


def test_unparseable_and_missing_values_name_row_and_field(tmp_path):
    log = write_csv(tmp_path / "log.csv", BAD_VALUES)
    with pytest.raises(ValidationError) as excinfo:
        eventlog_handoffs(log, **COLS, order="seq")
    assert problems(excinfo) == [
        "log.csv, row 3, field 'time': '01/02/2024 10:00' is not a timestamp (expected ISO 8601 such as "
        "2024-03-01 14:30:00) (1 more row like this)",
        "log.csv, row 3, field 'seq': 'x' is not a number",
        "log.csv, row 4, field 'case': required value is missing",
        "log.csv, row 6, field 'time': required value is missing",
    ]


def test_malformed_csv_row_is_named(tmp_path):
    log = write_csv(tmp_path / "log.csv", "case,unit,time\n1,A,2024-01-01\n1,B,2024-01-02,extra\n")
    with pytest.raises(ValidationError) as excinfo:
        eventlog_handoffs(log, **COLS)
    assert problems(excinfo) == ["log.csv, row 3: 4 fields where the header has 3"]


def test_wrong_delimiter_gets_a_hint(tmp_path):
    log = write_csv(tmp_path / "log.csv", "case;unit;time\n1;A;2024-01-01\n")
    with pytest.raises(ValidationError, match=r"the header has: case;unit;time \(is the delimiter ';'\?\)"):
        eventlog_handoffs(log, **COLS)
    assert as_rows(eventlog_handoffs(log, **COLS, delimiter=";")) == []


def test_bad_xes_is_located(tmp_path):
    broken = tmp_path / "broken.xes"
    broken.write_text('<log>\n<trace><event><string key="org:resource" value="A"/></trace></log>')
    with pytest.raises(ValidationError, match=r"broken.xes, line 2, column 54: malformed XML: mismatched tag"):
        eventlog_handoffs(broken)
    frame = pd.DataFrame({"case": ["1"], "unit": ["A"], "time": ["not a date"]})
    xes = write_xes(tmp_path / "log.xes", frame, "case", {"unit": "string:org:resource",
                                                          "time": "date:time:timestamp"})
    with pytest.raises(ValidationError) as excinfo:
        eventlog_handoffs(xes)
    assert problems(excinfo)[0].startswith("log.xes, trace 1, event 1, field 'time:timestamp': 'not a date'")
    with pytest.raises(ValidationError, match=r"log.xes, field 'lifecycle:transition': no such column"):
        eventlog_handoffs(xes, resource="lifecycle:transition")


def test_missing_file(tmp_path):
    with pytest.raises(ValidationError, match=r"nothere.csv: no such file"):
        eventlog_handoffs(tmp_path / "nothere.csv")


def _gzip_logs(tmp_path: Path) -> dict[str, Path]:
    """Damaged gzip logs: cut short, not gzip at all, and corrupt deep inside a long log."""
    rows = "case,unit,time\n" + "".join(f"{i // 3},U{i % 7},2024-01-01 {i % 24:02d}:00\n" for i in range(60_000))
    packed = gzip.compress(rows.encode())
    corrupt = bytearray(packed)
    for i in range(len(packed) // 2, len(packed) // 2 + 200):
        corrupt[i] ^= 0x55
    xes = gzip.compress(b'<log><trace><string key="concept:name" value="1"/></trace></log>')
    files = {"cut.csv.gz": packed[:30], "plain.csv.gz": rows.encode(), "corrupt.csv.gz": bytes(corrupt),
             "cut.xes.gz": xes[:25], "plain.xes.gz": b"<log></log>"}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    return {name: tmp_path / name for name in files}


@pytest.mark.parametrize("name", ["cut.csv.gz", "plain.csv.gz", "corrupt.csv.gz", "cut.xes.gz", "plain.xes.gz"])
def test_a_damaged_gzip_log_is_one_problem_naming_the_file(tmp_path, name):
    path = _gzip_logs(tmp_path)[name]
    columns = COLS if name.endswith(".csv.gz") else {}
    with pytest.raises(ValidationError) as excinfo:
        eventlog_handoffs(path, **columns)
    [problem] = problems(excinfo)
    assert problem.startswith(f"{name}: cannot be read: not a complete gzip file (")


def test_a_log_that_is_not_utf8_names_the_row_not_a_byte_offset(tmp_path):
    log = tmp_path / "latin1.csv"
    # row 2 holds a line break inside quotes, so the bad byte is on row 3 but on the file's fourth line
    log.write_bytes(b'case,unit,time\n1,"ward\nA",2024-01-01\n1,caf\xe9,2024-01-02\n1,ICU,2024-01-03\n')
    with pytest.raises(ValidationError) as excinfo:
        eventlog_handoffs(log, **COLS)
    assert problems(excinfo) == ["latin1.csv, row 3: is not UTF-8 text (byte 0xe9): save it as CSV UTF-8"]
    log.write_bytes(b"case,unit,tim\xe9\n1,A,2024-01-01\n")
    with pytest.raises(ValidationError) as excinfo:
        eventlog_handoffs(log, **COLS)
    assert problems(excinfo) == ["latin1.csv, row 1: is not UTF-8 text (byte 0xe9): save it as CSV UTF-8"]


# --- the command line -------------------------------------------------------------------------------

MIMIC_ARGS = ["--case-col", "hadm_id", "--resource-col", "curr_careunit", "--timestamp-col", "intime"]


def test_cli_prints_exactly_from_to_count(capsys, caplog):
    assert main(["eventlog", "handoffs", str(TRANSFERS), *MIMIC_ARGS, "--format", "csv"]) == 0
    assert capsys.readouterr().out == "from,to,count\n" + "".join(f"{a},{b},{n}\n" for a, b, n in MIMIC_HANDOFFS)
    assert "skipped 357 events with no 'curr_careunit'" in caplog.text


def test_cli_include_self_and_order(capsys, tmp_path):
    log = write_csv(tmp_path / "tiny.csv", TINY)
    args = ["--case-col", "case", "--resource-col", "unit", "--timestamp-col", "time", "--order-col", "seq"]
    assert main(["--format", "csv", "eventlog", "handoffs", str(log), *args, "--include-self"]) == 0
    assert capsys.readouterr().out.splitlines()[1:3] == ["ED,ED,1", "ED,ICU,1"]


@pytest.mark.parametrize("args", [["--resource-col", "nope"], ["--timestamp-col", "outtime"]],
                         ids=["missing column", "missing timestamp"])
def test_cli_bad_input_exits_2_with_one_line(args, capsys):
    base = dict(zip(MIMIC_ARGS[::2], MIMIC_ARGS[1::2], strict=True))
    base.update(dict(zip(args[::2], args[1::2], strict=True)))
    assert main(["eventlog", "handoffs", str(TRANSFERS), *[x for kv in base.items() for x in kv]]) == 2
    out, err = capsys.readouterr()
    lines = err.splitlines()
    assert out == "" and len(lines) == 2 and lines[1] == "caregraph: 1 problem found"
    assert lines[0].startswith("caregraph: transfers.csv, row ")


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """``caregraph`` in a fresh process, as a user runs it (so logging is set up as at the shell)."""
    return subprocess.run([sys.executable, "-m", "caregraph", *args], capture_output=True, text=True,
                          cwd=Path(__file__).parents[2])


def test_cli_says_how_many_blank_events_it_skipped_without_being_asked():
    done = run_cli("eventlog", "handoffs", str(TRANSFERS), *MIMIC_ARGS, "--format", "csv")
    assert done.returncode == 0
    assert done.stderr.splitlines() == [
        "caregraph: transfers.csv: skipped 357 events with no 'curr_careunit' (to count them as a resource, name "
        "it with blank_resource, or --blank-resource on the command line)"]
    named = run_cli("eventlog", "handoffs", str(TRANSFERS), *MIMIC_ARGS, "--format", "csv",
                    "--blank-resource", "(blank)")
    assert named.returncode == 0 and named.stderr == ""
    assert named.stdout.splitlines()[1:] == [f"{a},{b},{n}" for a, b, n in MIMIC_WITH_WARDS]


@pytest.mark.parametrize("name", ["cut.csv.gz", "corrupt.csv.gz", "cut.xes.gz", "latin1.csv"])
def test_cli_bad_log_files_exit_2_with_one_line_and_no_traceback(tmp_path, name):
    logs = _gzip_logs(tmp_path)
    logs["latin1.csv"] = tmp_path / "latin1.csv"
    logs["latin1.csv"].write_bytes(b"case,unit,time\n1,caf\xe9,2024-01-02\n")
    columns = ["--case-col", "case", "--resource-col", "unit", "--timestamp-col", "time"] if ".csv" in name else []
    done = run_cli("eventlog", "handoffs", str(logs[name]), *columns)
    assert done.returncode == 2 and done.stdout == "" and "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 2 and lines[0].startswith(f"caregraph: {name}") and lines[1] == "caregraph: 1 problem found"


# --- observed against designed ----------------------------------------------------------------------

@pytest.fixture
def chest_pain(small_model):
    return load_model(small_model)


def test_compare_with_pathway_by_provider(chest_pain):
    # designed: gp>pci GP1>RTD, pci>rehab RTD>RTD (no hand-off), rehab>care RTD>LA1, care>pci LA1>RTD
    seen = pd.DataFrame({"from": ["GP1", "RTD", "GP1", "RTD"], "to": ["RTD", "LA1", "LA1", "RTD"],
                         "count": [40, 2, 5, 9]})
    result = compare_with_pathway(seen, chest_pain, "chest-pain")
    assert as_rows(result) == [["GP1", "LA1", "observed_not_designed", 5, ""],
                               ["GP1", "RTD", "both", 40, "gp->pci"],
                               ["LA1", "RTD", "designed_not_observed", 0, "care->pci"],
                               ["RTD", "LA1", "both", 2, "rehab->care"]]


def test_compare_with_pathway_by_setting_and_mapping(chest_pain):
    seen = pd.DataFrame({"from": ["primary"], "to": ["specialised"], "count": [7]})
    by_setting = compare_with_pathway(seen, chest_pain, "chest-pain", step_resource="setting")
    assert as_rows(by_setting)[0] == ["community", "social_care", "designed_not_observed", 0, "rehab->care"]
    assert ["primary", "specialised", "both", 7, "gp->pci"] in as_rows(by_setting)
    units = {"gp": "GP", "chest-pain/pci": "CATH", "rehab": "REHAB", "care": "HOME"}
    mapped = compare_with_pathway(pd.DataFrame({"from": ["GP"], "to": ["CATH"], "count": [3]}), chest_pain,
                                  "chest-pain", step_resource=units)
    assert [r[:3] for r in as_rows(mapped)] == [["CATH", "REHAB", "designed_not_observed"],
                                                ["GP", "CATH", "both"], ["HOME", "CATH", "designed_not_observed"],
                                                ["REHAB", "HOME", "designed_not_observed"]]


def test_compare_bad_input(chest_pain):
    seen = pd.DataFrame({"from": ["A"], "to": ["B"], "count": [1]})
    with pytest.raises(ValidationError, match="unknown pathway 'chest'"):
        compare_with_pathway(seen, chest_pain, "chest")
    with pytest.raises(ValidationError, match="step 'gp', field 'site': the step has no site"):
        compare_with_pathway(seen, chest_pain, "chest-pain", step_resource="site")
    with pytest.raises(ValidationError, match="step 'cath': no such step in the pathway"):
        compare_with_pathway(seen, chest_pain, "chest-pain", step_resource={"cath": "X"})
    with pytest.raises(ValidationError, match="field 'count': no such column"):
        compare_with_pathway(seen[["from", "to"]], chest_pain, "chest-pain")


def test_cli_compare(small_model, tmp_path, capsys):
    log = write_csv(tmp_path / "log.csv", """
case,org,time
1,GP1,2024-01-01
1,RTD,2024-01-05
1,LA1,2024-02-01
""")
    args = ["eventlog", "compare", str(log), str(small_model), "--pathway", "chest-pain",
            "--case-col", "case", "--resource-col", "org", "--timestamp-col", "time", "--format", "csv"]
    assert main(args) == 0
    assert capsys.readouterr().out.splitlines() == [
        "from,to,status,count,designed_steps", "GP1,RTD,both,1,gp->pci",
        "LA1,RTD,designed_not_observed,0,care->pci", "RTD,LA1,both,1,rehab->care"]
    assert main([*args[:5], "nope", *args[6:]]) == 2


# --- the Spark engine: the same rows as DuckDB ------------------------------------------------------

SEED = 20261201


def duckdb_handoffs(path: Path, order: str | None = None, **options: Any) -> list[list[object]]:
    columns = {"case": "case", "resource": "unit", "timestamp": "time", **options.pop("columns", {})}
    with cg.open_event_log(path, order=order, **columns) as events:
        return as_rows(cg.eventlog_handoffs(events, **options))


def spark_handoffs(spark: Any, path: Path, order: str | None = None, **options: Any) -> Any:
    columns = {"case": "case", "resource": "unit", "timestamp": "time", **options.pop("columns", {})}
    frame = cg.read_spark_event_log(spark, path, order=order, **columns)
    return cg.eventlog_handoffs(frame, **options)


@pytest.mark.parametrize("options", [{}, {"include_self": True}, {"blank_resource": "(blank)"}],
                         ids=["skip-blanks", "include-self", "blanks-named"])
def test_mimic_demo_spark_equals_duckdb(spark, options):
    columns = {"columns": MIMIC}
    result = spark_handoffs(spark, TRANSFERS, **columns, **options)
    assert as_rows(result) == duckdb_handoffs(TRANSFERS, **columns, **options)
    assert result.attrs["skipped_events"] == (0 if options.get("blank_resource") else 357)
    if options.get("blank_resource"):
        assert as_rows(result) == MIMIC_WITH_WARDS


def test_ties_keep_file_order_unless_an_order_column_says_otherwise(spark, tmp_path):
    log = write_csv(tmp_path / "tiny.csv", TINY)
    for options in ({}, {"order": "seq"}, {"order": "seq", "include_self": True}):
        assert as_rows(spark_handoffs(spark, log, **options)) == duckdb_handoffs(log, **options)


def seeded_log(path: Path, events: int = 20_000) -> Path:
    """A seeded log with what makes counting hard: equal timestamps, blanks, padded values, offsets, 40 units."""
    rng = random.Random(SEED)
    start = dt.datetime(2024, 1, 1)
    lines = ["case,unit,time,seq"]
    for number in range(events):
        case = f"C{rng.randrange(events // 8):05d}"
        unit = rng.choice([f"U{rng.randrange(40):02d}", f" U{rng.randrange(40):02d} ", ""])
        moment = start + dt.timedelta(minutes=rng.randrange(3_000))
        text = moment.strftime("%Y-%m-%d %H:%M") if rng.random() < 0.8 else moment.strftime("%Y-%m-%dT%H:%M:00+02:00")
        lines.append(f"{case},{unit},{text},{rng.randrange(3)}.{number % 7}")
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.parametrize("options", [{}, {"include_self": True, "order": "seq"}, {"blank_resource": "none"}],
                         ids=["file-order", "order-column", "blanks-named"])
def test_a_seeded_larger_log_spark_equals_duckdb(spark, tmp_path, options):
    log = seeded_log(tmp_path / "seeded.csv")
    expected = duckdb_handoffs(log, **options)
    assert len(expected) > 1_000
    assert as_rows(spark_handoffs(spark, log, **options)) == expected


def test_a_dataframe_made_in_spark_with_timestamp_values(spark):
    rows = [("1", " ED", dt.datetime(2024, 1, 1, 10)), ("1", None, dt.datetime(2024, 1, 1, 11)),
            ("1", "ICU", dt.datetime(2024, 1, 1, 12)), ("2", "ED", dt.datetime(2024, 1, 2, 9))]
    frame = spark.createDataFrame(rows, "case string, resource string, timestamp timestamp")
    result = cg.eventlog_handoffs(frame)
    assert as_rows(result) == [["ED", "ICU", 1]] and result.attrs["skipped_events"] == 1


def test_bad_values_are_errors_not_counts(spark, tmp_path):
    log = write_csv(tmp_path / "bad.csv", BAD_VALUES)
    with pytest.raises(ValidationError) as excinfo:
        spark_handoffs(spark, log, order="seq")
    assert [str(p) for p in excinfo.value.problems] == [
        "Spark DataFrame, field 'case': required value is missing",
        "Spark DataFrame, field 'timestamp': required value is missing",
        "Spark DataFrame, field 'timestamp': '01/02/2024 10:00' is not a timestamp (expected ISO 8601 such as "
        "2024-03-01 14:30:00) (1 more row like this)",
        "Spark DataFrame, field 'order': 'x' is not a number"]
    with pytest.raises(ValidationError, match=r"bad.csv, row 1, field 'ward': no such column"):
        cg.read_spark_event_log(spark, log, case="case", resource="ward", timestamp="time")
    with pytest.raises(ArgumentError, match=r"blank_resource 'ED' is also a resource in the Spark DataFrame"):
        spark_handoffs(spark, write_csv(tmp_path / "tiny.csv", TINY), blank_resource="ED")


def test_cli_engine_spark_prints_what_duckdb_prints(spark, capsys, tmp_path):
    args = ["eventlog", "handoffs", str(write_csv(tmp_path / "tiny.csv", TINY)), "--format", "csv",
            "--case-col", COLS["case"], "--resource-col", COLS["resource"], "--timestamp-col", COLS["timestamp"],
            "--blank-resource", "(blank)", "--order-col", "seq"]
    assert main(args) == 0
    by_duckdb = capsys.readouterr().out
    assert main([*args, "--engine", "spark"]) == 0
    assert capsys.readouterr().out == by_duckdb
    xes = tmp_path / "log.xes"
    xes.write_text("<log/>")
    assert main(["eventlog", "handoffs", str(xes), "--engine", "spark"]) == 2
    assert "the Spark engine reads CSV event logs only" in capsys.readouterr().err


def test_the_databricks_notebook_example_in_docs_runs(spark, tmp_path):
    """docs/spark.md's notebook code, on a table shaped as it expects, gives DuckDB's counts."""
    log = write_csv(tmp_path / "tiny.csv", TINY)
    table = spark.read.csv(str(log), header=True).selectExpr(
        "`case` AS spell_id", "unit AS ward_code", "time AS transfer_datetime", "seq AS episode_order")
    table.createOrReplaceTempView("ward_transfers")
    doc = (Path(__file__).parents[2] / "docs" / "spark.md").read_text()
    code = re.search(r"```python\n(.*?)```", doc, re.S).group(1).replace("hes.ward_transfers", "ward_transfers")
    shown: list[Any] = []
    namespace: dict[str, Any] = {"spark": spark, "display": shown.append}
    exec(compile(code, "docs/spark.md", "exec"), namespace)
    assert as_rows(shown[0]) == duckdb_handoffs(log, order="seq")
    assert as_rows(namespace["with_blanks"]) == duckdb_handoffs(log, order="seq", blank_resource="(no ward)")
