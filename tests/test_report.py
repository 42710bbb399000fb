"""The report: one self-contained HTML page that a real browser renders, and the same findings as a workbook.

The browser test runs Debian's headless Chromium on the page (no network),
takes a screenshot and dumps the DOM after the page's own script has run.
Under ``CI=true`` a missing Chromium is a failure, not a skip.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from matplotlib.image import imread

import caregraph as cg
from caregraph.cli import main

ROOT = Path(__file__).parents[1]
EXAMPLES = {  # each example, the date its numbers are for, and its extra inputs
    "cardiology": ("2026-05-01", {}),
    "cornwall-options": ("2018-04-01", {"scenarios": "scenarios.yaml"}),
    "delegation-south-london": ("2025-06-01", {"plan": "plan.csv", "flows": "flows.csv"}),
    "devon-integrated-commissioning": ("2019-04-01", {}),
}


def _chromium() -> str:
    found = next((shutil.which(name) for name in ("chromium", "chromium-browser", "google-chrome")
                  if shutil.which(name)), None)
    if found is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI must run the browser test, but no Chromium is installed (apt-get install chromium)")
        pytest.skip("no Chromium: apt-get install chromium")
    return found


def _browser(page: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    command = [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
               "--disable-background-networking", "--window-size=1280,2400", *flags, page.as_uri()]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)


@pytest.fixture(scope="module")
def cardiology_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "cardiology.html"
    assert main(["report", str(ROOT / "examples" / "cardiology"), "-o", str(out), "--as-at", "2026-05-01"]) == 0
    return out


def test_the_page_is_self_contained(cardiology_page: Path) -> None:
    html = cardiology_page.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["'](https?:)?//""", html)  # nothing fetched from a network
    assert "<script src" not in html and "<link " not in html
    assert "As at 2026-05-01" in html
    assert html.count("<svg") == 3  # the two pathway diagrams and the co-dependency map, inline


def test_a_real_browser_renders_the_tables_and_diagrams(cardiology_page: Path, tmp_path: Path) -> None:
    dom = _browser(cardiology_page, "--dump-dom").stdout
    crossings = dom.split('id="t-crossings"', 1)[1].split("</tbody>", 1)[0]
    # 18 crossings as at 2026-05-01 (issue 9's independent recomputation), one row each
    assert crossings.count("<tr") - crossings.count("<thead") == 18
    assert len(re.findall(r'<table id="t-', dom)) == 7
    assert dom.count("<svg") == 3
    assert "In brief" in dom and "£15,973,160" in dom
    shot = tmp_path / "report.png"
    _browser(cardiology_page, f"--screenshot={shot}")
    pixels = imread(shot)[..., :3]
    assert pixels.shape[:2] == (2400, 1280)
    assert pixels.std() > 0.1  # not blank
    blue_header = np.isclose(pixels[20, 20], [0, 94 / 255, 184 / 255], atol=0.02).all()
    assert blue_header, pixels[20, 20]


def test_printed_the_report_is_a4_landscape_and_codes_do_not_break(cardiology_page: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "report.pdf"
    _browser(cardiology_page, "--no-pdf-header-footer", f"--print-to-pdf={pdf}")
    boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf.read_bytes())
    # A4 landscape is 297 x 210 mm, 842 x 595 points
    assert boxes and all(abs(float(w) - 842) < 1 and abs(float(h) - 595) < 1 for w, h in boxes), boxes
    html = cardiology_page.read_text(encoding="utf-8")
    crossings = html.split('id="t-crossings"', 1)[1].split("</tbody>", 1)[0]
    header = re.findall(r'<th scope="col" class="([a-z]*)" title="([a-z_]+)"', crossings)
    kinds = {name: css for css, name in header}
    # ODS codes (QHM, X24) and legal bases (s65Z5) never break when printed; names wrap; money is a number
    assert kinds["from_holder"] == kinds["legal_basis"] == "code"
    assert kinds["from_holder_name"] == "" and kinds["money_gbp"] == "num"


def test_the_workbook_has_the_headlines_first_and_a_sheet_a_table(tmp_path: Path) -> None:
    out = tmp_path / "findings.xlsx"
    assert main(["report", str(ROOT / "examples" / "cardiology"), "-o", str(out), "--as-at", "2026-05-01"]) == 0
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[0] == "Summary"
    assert book["Summary"]["A2"].value == "As at 2026-05-01"
    crossings = book["Every crossing"]
    assert crossings.freeze_panes == "A2"
    header = [cell.value for cell in crossings[1]]
    money = header.index("money (£)") + 1
    assert crossings.cell(row=2, column=money).number_format == '"£"#,##0'
    assert crossings.cell(row=crossings.max_row, column=1).value == "(total)"
    total = crossings.cell(row=crossings.max_row, column=money).value
    assert round(total) == 15_973_160  # the 18 crossings' money, as above
    assert crossings.max_row == 1 + 18 + 1


@pytest.mark.parametrize("example", sorted(EXAMPLES))
def test_every_example_has_a_report_and_a_workbook(example: str, tmp_path: Path) -> None:
    as_at, extras = EXAMPLES[example]
    folder = ROOT / "examples" / example
    options = [arg for key, name in extras.items() for arg in (f"--{key}", str(folder / name))]
    for suffix in (".html", ".xlsx"):
        out = tmp_path / f"{example}{suffix}"
        assert main(["report", str(folder), "-o", str(out), "--as-at", as_at, *options]) == 0
        assert out.stat().st_size > 5_000
    html = (tmp_path / f"{example}.html").read_text(encoding="utf-8")
    assert f"As at {as_at}" in html and "In brief" in html


def test_bad_output_and_dates_are_refused_and_nothing_is_written(tmp_path: Path, capsys) -> None:
    model = str(ROOT / "tests" / "fixtures" / "small_model")
    with pytest.raises(SystemExit) as stop:
        main(["report", model, "-o", str(tmp_path / "report.pdf")])
    assert stop.value.code == 2
    assert main(["report", model, "-o", str(tmp_path / "report.html"), "--as-at", "all"]) == 2
    assert "a report is as at one day" in capsys.readouterr().err
    assert main(["report", model, "-o", str(tmp_path / "missing" / "report.html")]) == 2
    assert list(tmp_path.iterdir()) == []


def test_the_python_call_writes_the_same_report(tmp_path: Path) -> None:
    out = cg.report(ROOT / "tests" / "fixtures" / "small_model", tmp_path / "small.html", as_at="2024-06-01",
                    diagrams=False)
    assert "3 transitions cross a budget boundary" in out.read_text(encoding="utf-8")


def test_a_plan_and_flows_bring_the_codependency_map_and_the_flows(tmp_path: Path) -> None:
    folder = ROOT / "examples" / "delegation-south-london"
    out = tmp_path / "south-london.html"
    assert main(["report", str(folder), "-o", str(out), "--as-at", "2025-06-01", "--plan", str(folder / "plan.csv"),
                 "--flows", str(folder / "flows.csv")]) == 0
    html = out.read_text(encoding="utf-8")
    assert html.count("<svg") == 2  # no pathways: the co-dependency map and the flow map
    assert 'id="t-containment"' in html and 'id="t-cross_boundary"' in html
    # By hand from flows.csv: 72Q is South East London's residents, 36L South West London's; the providers
    # in each ICB (ODS: trusts and independent sites by their host ICB) are listed here.
    flows = pd.read_csv(folder / "flows.csv")
    inside = {"72Q": {"RJZ", "RJ1", "NT406", "NT409", "NT437", "Y8L9S"},
              "36L": {"RJ7", "RVR", "RAX", "NT3X3", "N1N0Y", "NT436"}}
    shares = {c: 100 * flows[(flows.commissioner_id == c) & flows.provider_id.isin(ps)].activity.sum()
              / flows[flows.commissioner_id == c].activity.sum() for c, ps in inside.items()}
    assert f"South East London {shares['72Q']:.1f}%; South West London {shares['36L']:.1f}%" in html


def test_scenarios_bring_the_options_chart(tmp_path: Path) -> None:
    folder = ROOT / "examples" / "cornwall-options"
    out = tmp_path / "cornwall.html"
    assert main(["report", str(folder), "-o", str(out), "--as-at", "2018-06-01", "--scenarios",
                 str(folder / "scenarios.yaml")]) == 0
    html = out.read_text(encoding="utf-8")
    assert html.count("<svg") == 3 + 1  # a diagram for each of the three pathways, and the options chart
    assert 'id="t-appraisal"' in html and "Options against the baseline" in html


@pytest.mark.parametrize("example", sorted(EXAMPLES))
def test_each_example_readme_gives_one_command_that_runs(example: str, tmp_path: Path, monkeypatch) -> None:
    readme = (ROOT / "examples" / example / "README.md").read_text(encoding="utf-8")
    section = re.search(r"^## (?:The question and the one command|The one command)\n(.*?)^## ", readme, re.S | re.M)
    assert section, "the README states the question and the one command that answers it"
    command = re.search(r"```\w+\n(?:\$ )?(caregraph [^\n]+)\n", section.group(1)).group(1)
    argv = shlex.split(command)[1:]
    if "-o" in argv:
        argv[argv.index("-o") + 1] = str(tmp_path / Path(argv[argv.index("-o") + 1]).name)
    monkeypatch.chdir(ROOT)
    assert main(argv) == 0
