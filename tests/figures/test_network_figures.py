"""The network pictures: the co-dependency map, the flow map and the options chart, checked against the analyses.

The South London plan's findings, as the example's README lists them (by
hand from the model): errors on ECMO -> adult critical care and major
trauma -> PICU (co-dependency splits) and on trauma unit -> emergency
surgery at Croydon University Hospital (RJ611, site co-location); warnings
on adult critical care -> renal (in-reach split), major trauma -> PICU and
neurosurgery -> low volume neurosurgery (depending on retained services),
and on kidney transplantation, specialist ophthalmology (tier fit) and
local neonatal units (network alignment); information on transplantation,
renal and ophthalmology (one provider in the ICB).
"""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import pandas as pd
import pytest
from matplotlib.colors import to_rgba
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch, Rectangle

from caregraph import (
    ValidationError,
    appraise,
    check_delegation,
    delegation_frames,
    load_model,
    plot_codependencies,
    plot_flows,
    plot_options,
    read_flows,
    read_plan,
    read_scenarios,
)
from caregraph.cli import main
from caregraph.figures.codependency_map import SEVERITY_COLOURS, STATUS_COLOURS, TIER_COLOURS

ROOT = Path(__file__).parents[2]
SOUTH_LONDON = ROOT / "examples" / "delegation-south-london"
CORNWALL = ROOT / "examples" / "cornwall-options"
DAY = "2026-05-01"


@pytest.fixture(scope="module")
def south_london():
    return load_model(SOUTH_LONDON)


@pytest.fixture(scope="module")
def codependency_map(south_london):
    return plot_codependencies(south_london, read_plan(SOUTH_LONDON / "plan.csv"),
                               flows=read_flows(SOUTH_LONDON / "flows.csv"), as_at=DAY)


def badges(fig) -> set[tuple[int, str]]:
    """(finding number, what it is on: 'a->b' for a co-dependency, a service id)."""
    found = set()
    for text in fig.findobj(lambda a: (getattr(a, "get_gid", lambda: None)() or "").startswith("finding:")):
        _, number, target = text.get_gid().split(":", 2)
        found.add((int(number), target))
    return found


def test_codependency_map_marks_exactly_the_findings(codependency_map, south_london, checks):
    drawn = checks.arrows(codependency_map, "link")
    coloured = {pair: next(s for s, c in SEVERITY_COLOURS.items() if to_rgba(c) == arrow.get_edgecolor())
                for pair, arrow in drawn.items()
                if arrow.get_edgecolor() in [to_rgba(c) for c in SEVERITY_COLOURS.values()]}
    assert coloured == {  # by hand, from the README (the worst finding on a link gives its colour)
        ("svc-ecmo", "svc-adult-critical-care"): "error",
        ("svc-mtc", "svc-picu"): "error",
        ("svc-trauma-unit", "svc-emergency-surgery"): "error",
        ("svc-adult-critical-care", "svc-renal"): "warning",
        ("svc-neurosurgery", "svc-low-volume-neurosurgery"): "warning",
    }
    # the same, from the findings the check returns: each finding on the co-dependencies between its services,
    # else on each of its services
    frames = delegation_frames(south_london, DAY)
    findings = check_delegation(frames, read_plan(SOUTH_LONDON / "plan.csv"),
                                flows=read_flows(SOUTH_LONDON / "flows.csv"), as_at=DAY)
    pairs = set(zip(frames.codependencies.service_id, frames.codependencies.depends_on, strict=True))
    expected = set()
    for number, services in enumerate(findings["services"], start=1):
        named = services.split(";")
        on_links = [f"{a}->{b}" for a, b in itertools.permutations(named, 2) if (a, b) in pairs]
        expected |= {(number, target) for target in on_links or named}
    assert badges(codependency_map) == expected
    assert len(findings) == 12


def test_codependency_map_colours_status_and_tier(codependency_map, checks):
    boxes = {p.get_gid().removeprefix("service:"): p for p in codependency_map.findobj(FancyBboxPatch)
             if (p.get_gid() or "").startswith("service:")}
    assert boxes["svc-picu"].get_facecolor() == to_rgba(STATUS_COLOURS["retained"])
    assert boxes["svc-picu"].get_edgecolor() == to_rgba(TIER_COLOURS["national"])
    assert boxes["svc-renal"].get_facecolor() == to_rgba(STATUS_COLOURS["delegated"])
    assert boxes["svc-renal"].get_edgecolor() == to_rgba(TIER_COLOURS["ics"])
    assert boxes["svc-trauma-unit"].get_facecolor() == to_rgba(STATUS_COLOURS["not planned"])
    groups = [p.get_gid() for p in codependency_map.findobj(FancyBboxPatch) if (p.get_gid() or "").startswith("group:")]
    assert sorted(groups) == ["group:Bundle 1: must move together", "group:Bundle 2: must move together",
                              "group:Bundle 3: must move together", "group:Not bundled"]
    levels = {pair: arrow.get_linestyle() for pair, arrow in checks.arrows(codependency_map, "link").items()}
    assert levels[("svc-neurosurgery", "svc-low-volume-neurosurgery")] != levels[("svc-mtc", "svc-picu")]


def test_codependency_map_is_readable(codependency_map, checks):
    assert checks.overlapping_texts(codependency_map) == []
    assert checks.smallest_printed_font(codependency_map) >= 7.0 - 1e-9
    listed = " ".join(t.get_text() for t in checks.texts(codependency_map))
    assert "Croydon University Hospital (RJ611)" in listed.replace("\n", " ")


def flows_table() -> pd.DataFrame:
    return pd.DataFrame({
        "from_id": ["A", "A", "B", "C", "A"], "from_name": ["Alpha ICB", "Alpha ICB", "Beta", "Gamma", "Alpha ICB"],
        "to_id": ["B", "C", "A", "A", "A"], "to_name": ["Beta", "Gamma", "Alpha ICB", "Alpha ICB", "Alpha ICB"],
        "activity": [1000, 250, 400, 10, 77]})


def test_flow_map_follows_the_positions_given_and_the_flows(checks):
    fig = plot_flows(flows_table(), {"A": (0.0, 0.0), "B": (10.0, 0.0), "C": (0.0, 5.0)}, top=None)
    centres = {c.get_gid().removeprefix("place:"): c.center for c in fig.findobj(Circle)}
    (ax, ay), (bx, by), (cx, cy) = centres["A"], centres["B"], centres["C"]
    assert ay == pytest.approx(by) and ax == pytest.approx(cx)
    assert (bx - ax) / (cy - ay) == pytest.approx(2.0)  # 10 east against 5 north: proportions kept
    widths = {p.get_gid(): p.get_linewidth() for p in fig.findobj(FancyArrowPatch)}
    assert widths["flow:A->B"] / widths["flow:B->A"] == pytest.approx(1000 / 400)  # widths follow activity
    assert "flow:A->A" not in widths  # within one organisation: not drawn, but said
    text = " ".join(t.get_text().replace("\n", " ") for t in checks.texts(fig))
    assert "Activity within an organisation, not drawn: 77." in text
    assert checks.overlapping_texts(fig) == []
    assert checks.smallest_printed_font(fig) >= 7.0 - 1e-9


def test_flow_map_places_organisations_by_their_hospital_sites(south_london, checks):
    flows = read_flows(SOUTH_LONDON / "flows.csv").astype({"activity": float})
    summed = flows.groupby(["commissioner_id", "provider_id"], as_index=False)["activity"].sum()
    names = {n: south_london.node(n).get("name", n) for n in set(summed.commissioner_id) | set(summed.provider_id)
             if n in south_london}
    table = pd.DataFrame({"from_id": summed.commissioner_id, "from_name": summed.commissioner_id.map(names),
                          "to_id": summed.provider_id, "to_name": summed.provider_id.map(names),
                          "activity": summed.activity})
    fig = plot_flows(table, top=25)
    centres = {c.get_gid().removeprefix("place:"): c.center for c in fig.findobj(Circle)}
    # Moorfields (RP601, City Road, 51.527 N) is north of every Epsom and St Helier site (51.326 to 51.397 N);
    # Kingston's sites (RAX01 0.283 W, RAX60 0.241 W) are west of Guy's and St Thomas' (0.081 to 0.119 W)
    assert centres["RP6"][1] > centres["RVR"][1]
    assert centres["RAX"][0] < centres["RJ1"][0]
    note = " ".join(t.get_text().replace("\n", " ") for t in checks.texts(fig))
    assert f"Not drawn: the {len(summed) - 25} smallest flows" in note
    assert checks.overlapping_texts(fig) == []
    assert checks.smallest_printed_font(fig) >= 7.0 - 1e-9


def test_flow_map_refuses_bad_tables():
    with pytest.raises(ValidationError, match="flows, field 'to_name': column missing"):
        plot_flows(flows_table().drop(columns="to_name"))
    bad = flows_table()
    bad.loc[1, "activity"] = -3
    with pytest.raises(ValidationError, match="'-3' is not a number of 0 or more"):
        plot_flows(bad)


@pytest.fixture(scope="module")
def appraisal():
    return appraise(load_model(CORNWALL), read_scenarios(CORNWALL / "scenarios.yaml"), as_at="2018-06-01")


def test_options_chart_shows_the_appraisal_with_the_baseline_marked(appraisal, checks):
    fig = plot_options(appraisal, as_at="2018-06-01")
    assert [ax.get_title(loc="left") for ax in fig.axes] == ["Budget crossings", "Money crossing budgets", "Hand-offs"]
    for ax, column in zip(fig.axes, ("crossings", "money_crossing_gbp", "handoffs_per_year"), strict=True):
        bars = [p for p in ax.patches if isinstance(p, Rectangle)]
        assert [b.get_width() for b in bars] == pytest.approx(appraisal[column].astype(float).tolist())
        baseline = [line.get_xdata()[0] for line in ax.lines]
        assert baseline == pytest.approx([appraisal[column].iloc[0]])
    crossings = [p for p in fig.axes[0].patches if isinstance(p, Rectangle)]
    # option 1 (do nothing) equals the baseline; every other option crosses fewer boundaries (README: 18 -> 11, 1, 4, 3,
    # 4)
    assert [b.get_facecolor() for b in crossings[1:3]] == [to_rgba("#768692"), to_rgba("#009639")]
    assert math.isclose(appraisal["crossings"].iloc[0], 18)
    assert checks.overlapping_texts(fig) == []
    assert checks.smallest_printed_font(fig) >= 7.0 - 1e-9


def test_options_chart_refuses_a_table_without_its_baseline(appraisal):
    with pytest.raises(ValidationError, match="the first row must be the 'baseline'"):
        plot_options(appraisal.iloc[1:])
    with pytest.raises(ValidationError, match="field 'crossings': column missing"):
        plot_options(appraisal.drop(columns="crossings"))


def test_cli_plot_codependencies_and_options(tmp_path, capsys):
    out = tmp_path / "map.svg"
    assert main(["plot", "codependencies", str(SOUTH_LONDON), str(out), "--plan", str(SOUTH_LONDON / "plan.csv"),
                 "--flows", str(SOUTH_LONDON / "flows.csv"), "--as-at", DAY]) == 0
    assert out.read_text(encoding="utf-8").startswith("<?xml")
    chart = tmp_path / "options.pdf"
    assert main(["plot", "options", str(CORNWALL), str(CORNWALL / "scenarios.yaml"), str(chart),
                 "--as-at", "2018-06-01"]) == 0
    assert chart.read_bytes().startswith(b"%PDF")
    assert capsys.readouterr().err == f"caregraph: wrote {out}\ncaregraph: wrote {chart}\n"


@pytest.mark.parametrize("argv", [
    ["codependencies", str(SOUTH_LONDON), "{out}/map.png", "--plan", str(SOUTH_LONDON / "flows.csv")],
    ["codependencies", str(SOUTH_LONDON), "{out}/map.txt", "--plan", str(SOUTH_LONDON / "plan.csv")],
    ["options", str(CORNWALL), str(CORNWALL / "scenarios.yaml"), "{out}/options.png", "--as-at", "2026-05-01"],
])
def test_cli_plot_bad_input_exits_2_and_writes_nothing(tmp_path, capsys, argv):
    assert main(["plot", *(a.format(out=tmp_path) for a in argv)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("caregraph: ") and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []
