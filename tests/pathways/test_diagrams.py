"""Pathway diagrams: files, layout by depth, flow labels and hand-off colours, checked by hand.

The hand-made model ``tests/fixtures/small_model`` has one pathway: 1,000 a
year see the GP (GP1, primary); 20% go to PCI (RTD, specialised), 90% of
those to rehab (RTD, community), 10% of those to reablement (LA1, social
care) and 5% of those back to PCI (a loop). PCI visits are
``200 / 0.9955 = 200.9``, rehab ``0.9 x 200.9 = 180.8``, reablement
``18.08`` and the loop carries ``0.904`` a year.
"""

from __future__ import annotations

import itertools
import re

import pytest
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch
from matplotlib.text import Text

from caregraph import ArgumentError, CareGraph, ValidationError, draw_pathway, load_model, save_figure
from caregraph.cli import main
from pathways.diagrams import SETTING_COLOURS

RED = to_rgba("#c0392b")


@pytest.fixture
def graph(small_model):
    return load_model(small_model)


def texts(fig: Figure) -> list[str]:
    return [t.get_text() for t in fig.axes[0].findobj(Text)]


def arrows(fig: Figure) -> list[FancyArrowPatch]:
    return list(fig.axes[0].findobj(FancyArrowPatch))


def boxes(fig: Figure) -> list[FancyBboxPatch]:
    return [p for p in fig.axes[0].patches if isinstance(p, FancyBboxPatch)]


MAGIC = {".png": b"\x89PNG", ".svg": b"<?xml", ".pdf": b"%PDF"}


@pytest.mark.parametrize("suffix", list(MAGIC))
def test_writes_png_svg_or_pdf(graph, tmp_path, suffix):
    out = tmp_path / f"pathway{suffix}"
    save_figure(draw_pathway(graph, "chest-pain"), out)
    assert out.read_bytes().startswith(MAGIC[suffix])
    assert [p.name for p in tmp_path.iterdir()] == [out.name]  # no temporary file left behind


def test_bad_suffix_is_refused_and_nothing_is_written(graph, tmp_path):
    out = tmp_path / "pathway.txt"
    with pytest.raises(ArgumentError, match=r"must end in \.png, \.svg, \.pdf"):
        save_figure(draw_pathway(graph, "chest-pain"), out)
    assert list(tmp_path.iterdir()) == []


def test_boxes_go_left_to_right_by_depth(graph):
    fig = draw_pathway(graph, "chest-pain")
    # the start box, then gp, pci, rehab, care: depths 0 to 4 along one row
    centres = sorted((b.get_x() + b.get_width() / 2, b.get_y()) for b in boxes(fig))
    assert len(centres) == 5
    assert len({round(y, 9) for _, y in centres}) == 1
    gaps = {round(b[0] - a[0], 9) for a, b in itertools.pairwise(centres)}
    assert len(gaps) == 1  # evenly spaced columns
    colours = [b.get_facecolor() for b in sorted(boxes(fig), key=lambda b: b.get_x())]
    assert colours == [to_rgba(c) for c in ("#ffffff", SETTING_COLOURS["primary"], SETTING_COLOURS["specialised"],
                                            SETTING_COLOURS["community"], SETTING_COLOURS["social_care"])]


def test_labels_show_hand_calculated_flows(graph):
    shown = texts(draw_pathway(graph, "chest-pain"))
    # entry 1,000; gp -> pci 200; pci -> rehab 180.8 -> "181"; rehab -> care 18.08 -> "18"; the loop 0.904 -> "0.9"
    assert {"1,000", "200", "181", "18", "0.9"} <= set(shown)
    assert "PCI\nRTD | 201 a year" in shown  # the box: name, provider, visits
    assert "Patients entering\n1,000 a year" in shown


@pytest.mark.parametrize(("by", "red"), [("provider", 3), ("site", 4), ("setting", 4), ("sector", 2),
                                         ("commissioner", 4)])
def test_handoffs_are_red(graph, by, red):
    # provider GP1, RTD, RTD, LA1: gp -> pci, rehab -> care, care -> pci;
    # site GP1 (no site), RTD01, RTD (no site), LA1: all four transitions; setting: all four;
    # sector health, health, health, social care: rehab -> care and care -> pci;
    # commissioner QHM, X24, QHM, LA1 (holders of the budgets): all four. The start arrow is never red.
    fig = draw_pathway(graph, "chest-pain", by=by)
    assert sum(a.get_edgecolor() == RED for a in arrows(fig)) == red


def test_loop_is_a_dashed_arc(graph):
    fig = draw_pathway(graph, "chest-pain")
    dashed = [a for a in arrows(fig) if a.get_linestyle() not in ("-", "solid")]
    assert len(dashed) == 1  # care -> pci


def test_a_step_repeating_itself_gets_an_arch():
    # per patient: a repeats with 0.3 and goes on to b with 0.5, so a is visited 1 / (1 - 0.3) = 10/7 times;
    # a -> a carries 0.3 x 10/7 = 3/7 = 43%, a -> b 0.5 x 10/7 = 5/7 = 71%
    g = CareGraph("repeat")
    g.add_node("T", "NHSTrust")
    g.add_node("B", "Budget", stream="other")
    g.add_node("p", "Pathway")
    for step in ("p/a", "p/b"):
        g.add_node(step, "Step", pathway="p", setting="acute")
        g.add_edge("p", step, "HAS_STEP")
        g.add_edge(step, "T", "DELIVERED_BY")
        g.add_edge(step, "B", "PAID_FROM")
    g.add_edge("p", "p/a", "STARTS_AT", probability=1.0)
    g.add_edge("p/a", "p/a", "NEXT", probability=0.3)
    g.add_edge("p/a", "p/b", "NEXT", probability=0.5)
    fig = draw_pathway(g, "p")
    assert {"43%", "71%", "p/a\nT | 143% of entrants"} <= set(texts(fig))
    assert len([a for a in arrows(fig) if a.get_linestyle() not in ("-", "solid")]) == 1


def test_per_patient_pathway_shows_percentages(model_copy):
    yaml = model_copy / "pathways" / "chest-pain.yaml"
    yaml.write_text(yaml.read_text().replace("patients_per_year: 1000\n", ""))
    shown = texts(draw_pathway(load_model(model_copy), "chest-pain"))
    # per patient entering: gp -> pci 20%, pci -> rehab 0.2 x 0.9 / 0.9955 = 18.1%
    assert {"100%", "20%", "18%"} <= set(shown)
    assert "Patients entering\nper patient" in shown


def test_draws_into_given_axes(graph):
    fig = Figure()
    ax = fig.add_subplot()
    assert draw_pathway(graph, "chest-pain", ax=ax, as_at="2026-05-01") is fig
    assert ax.get_title(loc="left").startswith("Chest pain to PCI (hand-made test pathway)\nArrows: patients a year")


def test_bad_input(graph):
    with pytest.raises(ArgumentError, match="by='team' is not one of: provider, site"):
        draw_pathway(graph, "chest-pain", by="team")
    with pytest.raises(ValidationError, match="unknown pathway 'nope'"):
        draw_pathway(graph, "nope")


def test_cli_plot_pathway(small_model, tmp_path, capsys):
    out = tmp_path / "chest-pain.png"
    assert main(["plot", "pathway", str(small_model), str(out), "--pathway", "chest-pain"]) == 0
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == f"caregraph: wrote {out}\n"
    assert out.read_bytes().startswith(b"\x89PNG")
    with pytest.raises(SystemExit) as stop:  # a diagram has no table format
        main(["plot", "pathway", str(small_model), str(out), "--format", "csv"])
    assert stop.value.code == 2
    assert main(["plot", "pathway", str(small_model), str(out), "--pathway", "nope"]) == 2


def test_cli_plot_every_pathway_into_a_folder_or_one_pdf(tmp_path, capsys):
    example = "examples/cardiology"
    assert main(["plot", "pathway", example, str(tmp_path / "diagrams"), "--image-format", "svg"]) == 0
    assert sorted(p.name for p in (tmp_path / "diagrams").iterdir()) == ["chest-pain-to-pci.svg", "heart-failure.svg"]
    pdf = tmp_path / "all.pdf"
    assert main(["plot", "pathway", example, str(pdf)]) == 0
    assert len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf.read_bytes())) == 2  # one page a pathway
    assert main(["plot", "pathway", example, str(tmp_path / "one.png")]) == 2  # two pathways, one picture
    assert "give a folder" in capsys.readouterr().err
