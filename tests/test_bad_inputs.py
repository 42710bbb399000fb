"""The bad-input corpus (``tests/bad_inputs/cases.yaml``): every kind of bad input, run through the command line.

Each case copies a base model (or none) into a fresh folder, breaks it as its
``edits`` say, runs the command and checks what a user sees: exit status 2,
every expected line on standard error (each names the file, row or YAML
path, and field), no traceback, no line asking to report a bug, and nothing
written or half-written: the folder holds exactly the files it held before.

Edits (each applies to ``file``, relative to the case's folder):

``replace: [old, new]``
    replace the first ``old`` by ``new`` (``old`` must be there);
``text: ...``
    write the file (UTF-8);
``latin1: ...``
    write the file in Latin-1 (to make a file that is not UTF-8);
``gzip: ...`` / ``gzip_truncated: ...``
    write the text gzipped, or gzipped and cut in half;
``hex: ...``
    write these bytes;
``sheets: {name: [[cell, ...], ...]}``
    write an .xlsx workbook (``"@datetime 2024-04-01T14:30"`` makes a date cell);
``delete: true``
    remove the file.

``args`` and ``expect`` may use ``{dir}`` (the case's folder); ``args`` also ``{root}`` (the repository).
"""

from __future__ import annotations

import datetime
import gzip
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml

from caregraph.cli import main

ROOT = Path(__file__).parents[1]
CASES_FILE = Path(__file__).parent / "bad_inputs" / "cases.yaml"
BASES = {
    "small_model": ROOT / "tests" / "fixtures" / "small_model",
    "cardiology": ROOT / "examples" / "cardiology",
    "south_london": ROOT / "examples" / "delegation-south-london",
    "cornwall": ROOT / "examples" / "cornwall-options",
}
CASES: list[dict[str, Any]] = yaml.safe_load(CASES_FILE.read_text(encoding="utf-8"))


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith("@datetime "):
        return datetime.datetime.fromisoformat(value.removeprefix("@datetime "))
    return value


def _apply(folder: Path, edit: dict[str, Any]) -> None:
    path = folder / edit["file"]
    path.parent.mkdir(parents=True, exist_ok=True)
    if "replace" in edit:
        old, new = edit["replace"]
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} is not in {edit['file']}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    elif "text" in edit:
        path.write_text(edit["text"], encoding="utf-8")
    elif "latin1" in edit:
        path.write_bytes(edit["latin1"].encode("latin-1"))
    elif "gzip" in edit:
        path.write_bytes(gzip.compress(edit["gzip"].encode("utf-8")))
    elif "gzip_truncated" in edit:
        data = gzip.compress(edit["gzip_truncated"].encode("utf-8"))
        path.write_bytes(data[: len(data) // 2])
    elif "hex" in edit:
        path.write_bytes(bytes.fromhex(edit["hex"]))
    elif "sheets" in edit:
        book = openpyxl.Workbook()
        book.remove(book.active)
        for name, rows in edit["sheets"].items():
            sheet = book.create_sheet(name)
            for row in rows:
                sheet.append([_cell(v) for v in row])
        book.save(path)
    elif edit.get("delete"):
        path.unlink()
    else:
        raise AssertionError(f"unknown edit {edit}")


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_corpus_is_broad():
    assert len(CASES) >= 60
    assert len({case["id"] for case in CASES}) == len(CASES)
    areas = {case["id"].split("-")[0] for case in CASES}
    assert areas >= {"model", "pathway", "scenario", "excel", "plan", "flows", "spend", "criteria", "scores",
                     "eventlog", "cli"}


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_bad_input_gets_one_clear_line_per_problem(case: dict[str, Any], tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "case"
    base = case.get("base")
    if base:
        shutil.copytree(BASES[base], folder)
    else:
        folder.mkdir()
    for edit in case.get("edits", []):
        _apply(folder, edit)
    before = _files(folder)
    args = [str(a).format(dir=folder, root=ROOT) for a in case["args"]]
    try:
        status = main(args)
    except SystemExit as stop:  # argparse refusing the arguments
        status = stop.code
    captured = capsys.readouterr()
    assert status == 2, captured.err
    err = captured.err
    assert "Traceback" not in err and "this is a bug in caregraph" not in err
    lines = [line.removeprefix("caregraph: ") for line in err.splitlines()]
    for expected in case["expect"]:
        expected = expected.replace("{dir}", str(folder))
        assert expected in lines, f"expected line {expected!r} in:\n{err}"
    if "lines" in case:  # exactly these problems: the root cause, no cascade
        problems = [line for line in lines if not line.endswith(" found") and not line.startswith("usage:")]
        assert len(problems) == case["lines"], err
    assert _files(folder) == before  # nothing written, nothing half-written
