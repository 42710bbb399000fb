"""Pathway diagrams: readable by construction (checked through matplotlib's renderer) and showing exactly what the
analyses find.

Hand calculations on ``tests/fixtures/small_model``: 1,000 patients a year
see the GP (GP1, budget qhm-core, £40); 20% go to PCI (RTD, nhse-spec,
£5,000), 90% of those to rehab (RTD, qhm-core, £500), 10% of those to
reablement (LA1, la-asc, £800) and 5% of those back to PCI. PCI visits are
``200 / 0.9955 = 200.9``, rehab ``0.9 x 200.9 = 180.8``, reablement
``18.08`` and the loop carries ``0.904`` a year.

* Hand-offs by provider (GP1, RTD, RTD, LA1): gp -> pci, rehab -> care,
  care -> pci.
* Budget crossings (qhm-core, nhse-spec, qhm-core, la-asc): every
  transition before the Better Care Fund pool (qhm-core with la-asc) starts
  on 2024-04-01; from then on rehab -> care is inside the pool. Money is
  the flow times the receiving step's cost: gp -> pci ``200 x 5,000 =
  £1.0m``, pci -> rehab ``180.8 x 500 = £90k``, rehab -> care ``18.08 x
  800 = £14k``, care -> pci ``0.904 x 5,000 = £4.5k``.
* The loop is care -> pci: PCI is two transitions from the entry,
  reablement four.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
import yaml

from caregraph import (
    ArgumentError,
    CareGraph,
    ValidationError,
    find_budget_crossings,
    find_handoffs,
    load_model,
    plot_pathway,
    plot_pathway_pages,
    save_figure,
    save_pages,
)
from caregraph.cli import main
from caregraph.figures.style import HANDOFF_RED

ROOT = Path(__file__).parents[2]
CARDIOLOGY, CORNWALL = ROOT / "examples" / "cardiology", ROOT / "examples" / "cornwall-options"
CARDIOLOGY_DAY, CORNWALL_DAY = "2026-05-01", "2018-06-01"
MAGIC = {".png": b"\x89PNG", ".svg": b"<?xml", ".pdf": b"%PDF"}


def pdf_pages(path: Path) -> int:
    """The pages of a PDF file: its page objects (``/Type /Page``, not ``/Pages``)."""
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", path.read_bytes()))


def steps(pathway: str, *names: str) -> tuple[str, ...]:
    return tuple(f"{pathway}/{name}" for name in names)


def lines(texts: list) -> list[str]:
    """Texts with their line breaks and semicolons read alike (a box puts 'leave' on a line of its own if need be)."""
    return [re.sub(r";\s*|\n", " | ", t.get_text()) for t in texts]


@pytest.fixture(scope="module")
def small():
    return load_model(ROOT / "tests" / "fixtures" / "small_model")


@pytest.fixture(scope="module")
def small_figure(small):
    return plot_pathway(small, "chest-pain", as_at="2024-03-31")


@pytest.fixture(scope="module")
def cardiology():
    return load_model(CARDIOLOGY)


@pytest.fixture(scope="module")
def cornwall():
    return load_model(CORNWALL)


@pytest.mark.parametrize("suffix", list(MAGIC))
def test_writes_png_svg_or_pdf(small_figure, tmp_path, suffix):
    out = tmp_path / f"pathway{suffix}"
    save_figure(small_figure, out)
    assert out.read_bytes().startswith(MAGIC[suffix])
    assert [p.name for p in tmp_path.iterdir()] == [out.name]  # no temporary file left behind


def test_bad_suffix_is_refused_and_nothing_is_written(small_figure, tmp_path):
    with pytest.raises(ArgumentError, match=r"must end in \.png, \.svg, \.pdf"):
        save_figure(small_figure, tmp_path / "pathway.txt")
    assert list(tmp_path.iterdir()) == []


def test_hand_offs_crossings_and_loops_are_drawn_as_counted_by_hand(small_figure, small, checks):
    red, badges, dashed = checks.highlighted(small_figure, HANDOFF_RED)
    assert red == {steps("chest-pain", "gp", "pci"), steps("chest-pain", "rehab", "care"),
                   steps("chest-pain", "care", "pci")}
    assert badges == {steps("chest-pain", "gp", "pci"), steps("chest-pain", "pci", "rehab"),
                      steps("chest-pain", "rehab", "care"), steps("chest-pain", "care", "pci")}
    assert dashed == {steps("chest-pain", "care", "pci")}
    shown = {t.get_gid(): t.get_text() for t in checks.texts(small_figure) if t.get_gid()}
    assert shown["crossing:chest-pain/gp->chest-pain/pci"] in ("200\n£1.0m", "200 · £1.0m")
    assert shown["crossing:chest-pain/pci->chest-pain/rehab"] in ("181\n£90k", "181 · £90k")
    assert shown["crossing:chest-pain/rehab->chest-pain/care"] in ("18\n£14k", "18 · £14k")
    assert shown["crossing:chest-pain/care->chest-pain/pci"] in ("0.9\n£4.5k", "0.9 · £4.5k")
    after = plot_pathway(small, "chest-pain", as_at="2024-06-01")  # the Better Care Fund pool now in force
    assert checks.highlighted(after, HANDOFF_RED)[1] == badges - {steps("chest-pain", "rehab", "care")}


def test_box_labels_show_names_and_hand_calculated_patients(small_figure, checks):
    shown = lines(checks.texts(small_figure))
    assert "201 a year | 20 leave" in shown  # PCI: 200.9 visits, 200.9 - 180.8 leave
    assert "18 a year | 17 leave" in shown  # reablement: 18.08 visits, 18.08 - 0.904 leave
    assert "1,000 a year | 800 leave" in shown  # the GP
    assert any("The Newcastle upon Tyne Hospitals NHS Foundation Trust (RTD)" in t.replace(" | ", " ")
               for t in shown)  # the lane: the provider's name beside its code
    assert "1,000" in shown  # patients entering


CASES = [(CARDIOLOGY, "chest-pain-to-pci", CARDIOLOGY_DAY, lanes) for lanes in ("organisation", "budget", "setting",
                                                                             None)]
CASES += [(CORNWALL, "hip-fracture", CORNWALL_DAY, lanes) for lanes in ("organisation", "budget", "setting", None)]
CASES += [(CORNWALL, "adult-diabetes", CORNWALL_DAY, lanes) for lanes in ("organisation", None)]
CASES += [(CARDIOLOGY, "heart-failure", CARDIOLOGY_DAY, "budget"), (CORNWALL, "cyp-mental-health", CORNWALL_DAY,
                                                                    "setting")]


@pytest.mark.parametrize(("folder", "pathway", "day", "lanes"), CASES,
                         ids=[f"{c[1]}-{c[3]}" for c in CASES])
def test_examples_are_readable_and_highlight_what_the_analyses_find(folder, pathway, day, lanes, checks):
    graph = load_model(folder)
    fig = plot_pathway(graph, pathway, lanes, as_at=day)
    assert checks.overlapping_texts(fig) == []
    assert checks.pass_throughs(fig) == []
    assert checks.smallest_printed_font(fig) >= 7.0 - 1e-9
    width, height = checks.saved_inches(fig)
    assert 1.0 <= width / height <= 2.6
    assert max(checks.largest_empty_band(fig)) <= 0.1
    handoffs = find_handoffs(graph, pathway, by="provider", as_at=day)
    crossings = find_budget_crossings(graph, pathway, as_at=day)
    red, badges, _ = checks.highlighted(fig, HANDOFF_RED)
    assert red == set(zip(handoffs.from_step, handoffs.to_step, strict=True))
    assert badges == set(zip(crossings.from_step, crossings.to_step, strict=True))


def test_hand_offs_follow_by(cardiology, checks):
    fig = plot_pathway(cardiology, "heart-failure", "organisation", by="commissioner", as_at=CARDIOLOGY_DAY)
    found = find_handoffs(cardiology, "heart-failure", by="commissioner", as_at=CARDIOLOGY_DAY)
    assert checks.highlighted(fig, HANDOFF_RED)[0] == set(zip(found.from_step, found.to_step, strict=True))


def test_loops_are_the_ways_back_whatever_the_order_of_the_yaml(cardiology, cornwall, checks, tmp_path):
    # The loops the example files mark in comments (readmissions, re-referral, step-down), and for heart failure
    # by the rule: the admission is two transitions from the entry (GP -> admission), the nurse four, so nurse ->
    # admission (110 a year) is the way back; admission -> nurse leads on.
    expected = {
        "chest-pain-to-pci": {("rehab", "acute_admission"), ("reablement", "acute_admission"),
                              ("gp_followup", "racpc")},
        "heart-failure": {("hf_nurse", "hf_admission")},
        "hip-fracture": {("reablement", "ed"), ("falls_prevention", "ed")},
        "adult-diabetes": {("diabetes_clinic", "gp_care")},
    }
    for pathway, loops in expected.items():
        graph = cardiology if pathway in ("chest-pain-to-pci", "heart-failure") else cornwall
        day = CARDIOLOGY_DAY if graph is cardiology else CORNWALL_DAY
        dashed = checks.highlighted(plot_pathway(graph, pathway, None, as_at=day), HANDOFF_RED)[2]
        assert dashed == {steps(pathway, *pair) for pair in loops}, pathway
    # the steps written in reverse order (the first step last): the same loops
    model = tmp_path / "cardiology"
    model.mkdir()
    for item in CARDIOLOGY.iterdir():
        if item.is_file():
            (model / item.name).write_bytes(item.read_bytes())
    (model / "pathways").mkdir()
    document = yaml.safe_load((CARDIOLOGY / "pathways" / "chest-pain-to-pci.yaml").read_text(encoding="utf-8"))
    document["steps"].reverse()
    document["transitions"].reverse()
    (model / "pathways" / "chest-pain-to-pci.yaml").write_text(yaml.safe_dump(document), encoding="utf-8")
    dashed = checks.highlighted(plot_pathway(load_model(model), "chest-pain-to-pci", None, as_at=CARDIOLOGY_DAY),
                                HANDOFF_RED)[2]
    assert dashed == {steps("chest-pain-to-pci", *pair) for pair in expected["chest-pain-to-pci"]}


def test_no_flow_reads_zero_and_boxes_agree_with_arrows(cornwall, checks):
    # Diabetes: 8,000 x 0.04 = 320 reach the GP directly and 8,000 x 0.10 x 0.12 = 96 via weight management; the
    # clinic sends 2% on to dialysis and dialysis 25% to home care: 0.4 a year, shown as 0.4 in the box (all of
    # whom leave there) and on the arrow, never as 0.
    fig = plot_pathway(cornwall, "adult-diabetes", as_at=CORNWALL_DAY)
    shown = lines(checks.texts(fig))
    assert "0.4 a year | 0.4 leave" in shown
    arrow = {t.get_gid(): t.get_text() for t in checks.texts(fig) if t.get_gid()}
    assert arrow["crossing:adult-diabetes/dialysis->adult-diabetes/home_care"] in ("0.4\n£2.5k", "0.4 · £2.5k")
    assert not [text for text in shown if re.search(r"(^|\s)0 (a year|leave)", text)]
    assert not [text for text in lines(checks.texts(fig)) if re.search(r"(^|\s)0(\.0)? (a year|leave)", text)]


def test_a_pathway_without_volumes_shows_shares_of_patients_entering(model_copy, checks):
    yaml_file = model_copy / "pathways" / "chest-pain.yaml"
    yaml_file.write_text(yaml_file.read_text().replace("patients_per_year: 1000\n", ""))
    fig = plot_pathway(load_model(model_copy), "chest-pain", as_at="2024-06-01")
    shown = lines(checks.texts(fig))
    # per patient entering: PCI 0.2 / 0.9955 = 20.1% visits, of whom 20.1% - 18.1% = 2.0% leave
    assert "20% of entrants | 2.0% leave" in shown
    assert "100%" in shown  # the entry


def test_the_date_drawn_is_said(small, checks):
    def subtitle(fig):
        return " ".join(t.get_text().replace("\n", " ") for t in checks.texts(fig))

    assert "as at 2024-06-01" in subtitle(plot_pathway(small, "chest-pain", as_at="2024-06-01"))
    assert f"as at {datetime.date.today().isoformat()}" in subtitle(plot_pathway(small, "chest-pain"))
    assert "every date" in subtitle(plot_pathway(small, "chest-pain", as_at="all"))


def test_bad_input(small):
    with pytest.raises(ArgumentError, match="lanes='team' is not one of: organisation, budget, setting"):
        plot_pathway(small, "chest-pain", "team")
    with pytest.raises(ArgumentError, match="by='team' is not one of: provider, site"):
        plot_pathway(small, "chest-pain", by="team")
    with pytest.raises(ArgumentError, match="'2024-13-01' is not a date"):
        plot_pathway(small, "chest-pain", as_at="2024-13-01")
    with pytest.raises(ValidationError, match="unknown pathway 'nope'"):
        plot_pathway(small, "nope")


def test_a_step_repeating_itself_is_a_loop(checks):
    # per patient: a repeats with 0.3 and goes on to b with 0.5; a is visited 1 / (1 - 0.3) = 10/7 times
    g = CareGraph("repeat")
    g.add_node("T", "NHSTrust", name="A trust")
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
    fig = plot_pathway(g, "p", as_at="all")
    assert checks.highlighted(fig, HANDOFF_RED)[2] == {("p/a", "p/a")}
    assert "143% of entrants | 29% leave" in lines(checks.texts(fig))  # 10/7; (1 - 0.8) x 10/7
    assert checks.overlapping_texts(fig) == [] and checks.pass_throughs(fig) == []


SIZES_ON_A4 = [(3, 2), (6, 3), (12, 5), (12, 12)]
LARGER = [(20, 8), (40, 2), (40, 12)]


@pytest.mark.parametrize(("size", "lanes"), SIZES_ON_A4 + LARGER, ids=[f"{s}x{n}" for s, n in SIZES_ON_A4 + LARGER])
def test_generated_pathways_are_readable(size, lanes, generated_figure, checks):
    graph, fig = generated_figure(size, lanes, size * 100 + lanes)
    assert checks.overlapping_texts(fig) == []
    assert checks.pass_throughs(fig) == []
    width, height = checks.saved_inches(fig)
    assert 1.0 <= width / height <= 2.6
    assert max(checks.largest_empty_band(fig)) <= 0.1
    handoffs, crossings = find_handoffs(graph, "p"), find_budget_crossings(graph, "p")
    red, badges, _ = checks.highlighted(fig, HANDOFF_RED)
    assert red == set(zip(handoffs.from_step, handoffs.to_step, strict=True))
    assert badges == set(zip(crossings.from_step, crossings.to_step, strict=True))


@pytest.mark.parametrize(("size", "lanes"), SIZES_ON_A4, ids=[f"{s}x{n}" for s, n in SIZES_ON_A4])
def test_generated_pathways_print_on_a4_at_7_points(size, lanes, generated_figure, checks):
    _, fig = generated_figure(size, lanes, size * 100 + lanes)
    assert checks.smallest_printed_font(fig) >= 7.0 - 1e-9


PAGED = [(20, 6), (30, 9), (40, 12)]


@pytest.fixture(scope="module")
def paged(generated):
    """``plot_pathway_pages`` of the larger generated pathways, drawn once: {(steps, lanes): (graph, pages)}."""
    found = {}
    for size, lanes in PAGED:
        graph = generated(size, lanes, size * 100 + lanes)
        found[(size, lanes)] = graph, plot_pathway_pages(graph, "p", as_at="all")
    return found


@pytest.mark.parametrize(("size", "lanes"), PAGED, ids=[f"{s}x{n}" for s, n in PAGED])
def test_larger_generated_pathways_print_on_a4_pages_at_7_points(size, lanes, paged, checks):
    _, pages = paged[(size, lanes)]
    assert len(pages) >= 2  # none fits one page at 7 pt
    for number, fig in enumerate(pages, 1):
        assert checks.smallest_printed_font(fig) >= 7.0 - 1e-9, number
        assert checks.overlapping_texts(fig) == [], number
        assert checks.pass_throughs(fig) == [], number
        assert max(checks.largest_empty_band(fig)) <= 0.1, number
        assert fig.texts[0].get_text().replace("\n", " ").endswith(f"(page {number} of {len(pages)})")


def _definition(graph):
    """The generated pathway's steps (id: name) and its transitions, the entry included, from the graph itself."""
    names = {step: graph.node(step)["name"] for step in graph.successors("p", "HAS_STEP")}
    moves = {(u, v) for u, v in graph.edges_of("NEXT")} | {("<patients entering>", v)
                                                            for v in graph.successors("p", "STARTS_AT")}
    return names, moves


@pytest.mark.parametrize(("size", "lanes"), PAGED, ids=[f"{s}x{n}" for s, n in PAGED])
def test_every_step_and_transition_is_on_one_page_or_joined_by_markers(size, lanes, paged, checks):
    graph, pages = paged[(size, lanes)]
    names, moves = _definition(graph)
    page_of: dict[str, int] = {}
    drawn: list[tuple[int, str, str]] = []
    shown = []
    for number, fig in enumerate(pages, 1):
        for step in checks.step_boxes(fig):
            if ":" not in step:
                assert step not in page_of, step  # on one page only
                page_of[step] = number
        drawn += [(number, u, v) for u, v in checks.arrows(fig)]
        shown.append(" ".join(t.get_text().replace("\n", " ") for t in checks.texts(fig)))
    assert sorted(page_of) == sorted(names)
    expected = []
    for u, v in moves:
        if u == "<patients entering>" or page_of[u] == page_of[v]:
            expected.append((page_of[v], u, v))
            continue
        here, there = page_of[u], page_of[v]
        expected += [(here, u, f"continues:{v}"), (there, f"from:{u}", v)]
        onward = "on to" if there > here else "back to"
        assert f"{onward} page {there}: {names[v]}" in shown[here - 1]
        came = "from" if there > here else "back from"
        assert f"{came} page {here}: {names[u]}" in shown[there - 1]
    assert sorted(drawn) == sorted(expected)


def test_cli_plot_pathway(small_model, tmp_path, capsys):
    out = tmp_path / "chest-pain.png"
    assert main(["plot", "pathway", str(small_model), str(out), "--pathway", "chest-pain", "--lanes", "budget",
                 "--as-at", "2024-06-01"]) == 0
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == f"caregraph: wrote {out}\n"
    assert out.read_bytes().startswith(b"\x89PNG")


@pytest.mark.parametrize("argv", [
    ["--pathway", "nope"], ["--as-at", "2024-13-01"], ["--by", "commissioner", "--as-at", "2021-01-01"]])
def test_cli_plot_pathway_bad_input_writes_nothing(small_model, tmp_path, capsys, argv):
    out = tmp_path / "chest-pain.png"
    assert main(["plot", "pathway", str(small_model), str(out), *argv]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.startswith("caregraph: ")
    assert list(tmp_path.iterdir()) == []


def test_cli_plot_every_pathway_into_a_folder_or_one_pdf(tmp_path, capsys):
    example = str(CARDIOLOGY)
    assert main(["plot", "pathway", example, str(tmp_path / "diagrams"), "--image-format", "svg",
                 "--as-at", CARDIOLOGY_DAY]) == 0
    assert sorted(p.name for p in (tmp_path / "diagrams").iterdir()) == ["chest-pain-to-pci.svg", "heart-failure.svg"]
    pdf = tmp_path / "all.pdf"
    assert main(["plot", "pathway", example, str(pdf), "--lanes", "none", "--as-at", CARDIOLOGY_DAY]) == 0
    assert pdf_pages(pdf) == 2  # one page a pathway
    capsys.readouterr()
    assert main(["plot", "pathway", example, str(tmp_path / "one.png"), "--as-at", CARDIOLOGY_DAY]) == 2
    assert capsys.readouterr().err == (
        f"caregraph: '{tmp_path / 'one.png'}': 2 pathways make 2 diagrams; give a folder (a file a pathway) or a "
        ".pdf (every pathway, a page or more each), or choose one with --pathway\n")
    assert not (tmp_path / "one.png").exists()
    with pytest.raises(SystemExit) as stop:  # a diagram has no table format
        main(["plot", "pathway", example, str(pdf), "--format", "csv"])
    assert stop.value.code == 2


def test_cli_writes_a_pathway_too_long_for_one_page_as_pages(model_copy, tmp_path, capsys):
    # a chain of 20 steps through three providers: folded into four bands on one page it is too tall at 7 pt, so it
    # is cut into pages (each of at most two bands)
    cycle = [("gp", "GP1", "primary", "qhm-core"), ("pci", "RTD", "specialised", "nhse-spec"),
             ("care", "LA1", "social_care", "la-asc")]
    document = {"id": "long", "name": "A long chain", "patients_per_year": 1000, "start": "s0",
                "steps": [{"id": f"s{n}", "name": f"Step {n} of the long chain", "service": service,
                           "provider": provider, "setting": setting, "budget": budget, "unit_cost": 100}
                          for n, (service, provider, setting, budget) in enumerate(cycle * 7)][:20],
                "transitions": [{"from": f"s{n}", "to": f"s{n + 1}", "probability": 0.9} for n in range(19)]}
    (model_copy / "pathways" / "long.yaml").write_text(yaml.safe_dump(document), encoding="utf-8")
    args = ["--pathway", "long", "--as-at", "2024-06-01"]
    assert main(["plot", "pathway", str(model_copy), str(tmp_path / "long.png"), *args]) == 0
    pages = sorted(tmp_path.glob("long-p*.png"))
    assert len(pages) >= 2 and [p.name for p in pages] == [f"long-p{n}.png" for n in range(1, len(pages) + 1)]
    assert all(p.read_bytes().startswith(MAGIC[".png"]) for p in pages)
    assert not (tmp_path / "long.png").exists()
    assert capsys.readouterr().err == "caregraph: wrote " + ", ".join(str(p) for p in pages) + "\n"
    pdf = tmp_path / "long.pdf"
    assert main(["plot", "pathway", str(model_copy), str(pdf), *args]) == 0
    assert pdf_pages(pdf) == len(pages)
    assert capsys.readouterr().err == f"caregraph: wrote {pdf} ({len(pages)} pages)\n"
    # the report carries the same pages, each captioned with its number
    report = tmp_path / "report.html"
    assert main(["report", str(model_copy), "-o", str(report), "--as-at", "2024-06-01"]) == 0
    captions = re.findall(r"<figcaption>Pathway: A long chain([^<]*)</figcaption>", report.read_text(encoding="utf-8"))
    assert captions == [f" (page {n} of {len(pages)})" for n in range(1, len(pages) + 1)]


def test_save_pages_refuses_no_pages_and_writes_nothing(tmp_path):
    for name in ("none.pdf", "none.png"):
        with pytest.raises(ArgumentError, match="no pages to write"):
            save_pages([], tmp_path / name)
    assert list(tmp_path.iterdir()) == []
