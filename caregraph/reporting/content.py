"""What a report holds: headline figures in plain words, the finding tables and the diagrams.

Everything comes from the exact analyses, taken as at one date; the report
only arranges and words them. Tables carry names beside codes
(``cg.add_names``) and say whether a total row means something
(``attrs["total"]``).

Examples
--------
>>> import caregraph as cg
>>> from caregraph.reporting.content import build_report
>>> report = build_report(cg.load_model("examples/cardiology"), as_at="2026-05-01", diagrams=False)
>>> report.as_at, [section.title for section in report.sections][:3]
('2026-05-01', ['Hand-offs', 'Budget boundary crossings', 'Pools that would remove crossings'])
>>> report.headlines[1]
'18 transitions cross a budget boundary: 18,852.6 patients and £15,973,160 a year move from one budget to another.'
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd
from matplotlib.figure import Figure as MatplotlibFigure

import caregraph as cg
from networks.dates import ALL_DATES, AsAt, as_at_label, resolve_as_at
from networks.flows.network import short_name
from networks.graph import CareGraph
from networks.scenarios import Scenario

from ..display import shown
from ..figures.flow_map import FLOW_MAP_COLUMNS

__all__ = ["Report", "ReportFigure", "ReportTable", "Section", "build_report", "svg_of"]


@dataclass(frozen=True)
class ReportTable:
    """One finding table: a key (for anchors and sheet names), a title, what it shows, and its rows."""

    key: str
    title: str
    note: str
    frame: pd.DataFrame


@dataclass(frozen=True)
class ReportFigure:
    """One diagram as inline SVG, with its title."""

    title: str
    svg: str


@dataclass(frozen=True)
class Section:
    """A part of the report: its title, a sentence on what it answers, its tables and figures."""

    title: str
    text: str
    tables: list[ReportTable] = field(default_factory=list)
    figures: list[ReportFigure] = field(default_factory=list)


@dataclass(frozen=True)
class Report:
    """A whole report, ready to render as HTML or a workbook."""

    title: str
    model: str
    as_at: str
    generated: str
    version: str
    provenance: list[str]
    headlines: list[str]
    sections: list[Section]


def _pathway_figures(graph: CareGraph, pathway: str, day: str) -> list[ReportFigure]:
    """A pathway's diagram, on as many pages as it needs to print at 7 pt (``cg.plot_pathway_pages``)."""
    pages = cg.plot_pathway_pages(graph, pathway, lanes="organisation", as_at=day)
    title = f"Pathway: {graph.node(pathway).get('name', pathway)}"
    return [ReportFigure(title if len(pages) == 1 else f"{title} (page {n} of {len(pages)})", svg_of(page))
            for n, page in enumerate(pages, 1)]


def svg_of(figure: MatplotlibFigure) -> str:
    """A figure as an SVG element to put inline (text drawn as paths: no fonts needed)."""
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", facecolor="white")
    text = buffer.getvalue()
    return text[text.index("<svg"):]


def _table(key: str, title: str, note: str, frame: pd.DataFrame, graph: CareGraph, names: Sequence[str] = (),
           total: bool = False) -> ReportTable:
    named = cg.add_names(frame, graph, names) if names else frame.copy()
    named.attrs["total"] = total
    return ReportTable(key, title, note, named)


def _money(value: float) -> str:
    return "£" + shown(value, "money_gbp")


def _pathway_sections(graph: CareGraph, day: str, diagrams: bool) -> tuple[list[str], list[Section]]:
    summary = cg.handoff_summary(graph, as_at=day)
    crossings = cg.find_budget_crossings(graph, as_at=day)
    crossing_summary = cg.crossing_summary(graph, as_at=day)
    headlines = []
    if len(summary):
        per_pathway = "; ".join(f"{name or pid}: {value:.2f}" for pid, name, value in zip(
            summary["pathway"], cg.add_names(summary, graph, ["pathway"])["pathway_name"],
            summary["handoffs_per_patient"], strict=True))
        entrants = math.fsum(summary["entrants"])
        overall = math.fsum(summary["handoffs_per_year"]) / entrants if entrants else math.nan
        headlines.append(f"A patient on these {len(summary)} pathways meets {overall:.2f} hand-offs between "
                         f"providers on average ({per_pathway}).")
    patients = math.fsum(crossings["patients_per_year"])
    money = math.fsum(crossings["money_gbp"].dropna())
    headlines.append(f"{len(crossings)} transitions cross a budget boundary: {shown(patients, 'patients')} patients "
                     f"and {_money(money)} a year move from one budget to another.")
    figures = [figure for pid in summary["pathway"] for figure in _pathway_figures(graph, pid, day)] if diagrams else []
    handoffs = Section(
        "Hand-offs", "Where responsibility for the patient passes from one provider to another, with patients a year.",
        [_table("handoff_summary", "Hand-offs per pathway", "expected hand-offs per patient entering",
                summary, graph, ["pathway"], total=True),
         _table("handoffs", "Every hand-off", "transitions where the provider changes",
                cg.find_handoffs(graph, as_at=day), graph, ["from_step", "to_step", "from_value", "to_value"],
                total=True)],
        figures)
    boundary = Section(
        "Budget boundary crossings",
        "Where the budget paying for the next step is not the one paying for this step, outside a shared pool.",
        [_table("crossing_summary", "Crossings per pathway", "crossings, patients and money crossing a year",
                crossing_summary, graph, ["pathway"], total=True),
         _table("crossings", "Every crossing", "the money is the receiving step's cost times its patients",
                crossings, graph, ["from_step", "to_step", "from_budget", "to_budget", "from_holder", "to_holder"],
                total=True)])
    pools = cg.suggest_pools(graph, 3, as_at=day)
    pooling = Section("Pools that would remove crossings",
                      "The legal, separate pools of budgets that would remove the most crossing patients.",
                      [_table("pools", "Suggested pools", "greedy search; each pool is lawful for its budgets' "
                              "holders", pools, graph, total=True)])
    return headlines, [handoffs, boundary, pooling]


def _appraisal_section(graph: CareGraph, scenarios: Sequence[Scenario], day: str,
                       diagrams: bool) -> tuple[list[str], Section]:
    table = cg.appraise(graph, scenarios, as_at=day)
    options = table.iloc[1:]
    headlines = []
    if len(options):
        best = options.sort_values(["crossings_change", "money_crossing_change_gbp"]).iloc[0]
        headlines.append(f"Of {len(options)} commissioning options, {best['name']} removes the most crossings: "
                         f"{-int(best['crossings_change'])} of {int(table.iloc[0]['crossings'])}, "
                         f"{_money(-best['money_crossing_change_gbp'])} a year less crossing.")
    figures = [ReportFigure("Options against the baseline", svg_of(cg.plot_options(table, as_at=day)))] if diagrams \
        else []
    return headlines, Section("Commissioning options", "Each option's hand-offs and crossings against the model "
                              "as it is (the baseline).", [_table("appraisal", "Options appraisal",
                                                                  "changes against the baseline", table, graph)],
                              figures)


def _delegation_section(graph: CareGraph, plan: pd.DataFrame | None, flows: pd.DataFrame | None,
                        day: str, diagrams: bool) -> tuple[list[str], Section]:
    found = cg.check_delegation(graph, plan, as_at=day, flows=flows)
    counts = found["severity"].value_counts()
    errors, warnings = int(counts.get("error", 0)), int(counts.get("warning", 0))
    source = "The delegation plan" if plan is not None else "The model's commissioning"
    headline = (f"{source} raises {errors} error{'s' if errors != 1 else ''} and {warnings} "
                f"warning{'s' if warnings != 1 else ''} on co-dependencies, providers and networks.")
    bundles = cg.delegation_bundles(graph, plan, as_at=day).drop(columns=["spend_gbp", "spend_known"])
    figures = [ReportFigure("Co-dependency map", svg_of(cg.plot_codependencies(graph, plan, flows=flows, as_at=day)))
               ] if diagrams else []
    return [headline], Section(
        "Delegation of specialised services",
        "Co-dependent services that a plan splits, retains apart, leaves out or plans on the wrong footprint.",
        [_table("findings", "Findings", "errors first", found, graph),
         _table("bundles", "Bundles", "services joined by co-located or in-reach co-dependencies", bundles, graph)],
        figures)


def _flow_section(flows: pd.DataFrame, day: str, diagrams: bool) -> tuple[list[str], Section]:
    table = flows.rename(columns={"service_id": "service"})
    table.attrs.update(flows.attrs)
    reference = cg.rtt_graph()
    network = cg.flow_network(reference, table, "icb", as_at=day)
    containment = network.containment()
    shown_areas = containment[(containment["activity"] > 0) | (containment["area_code"] == "ALL")]
    residents = shown_areas[shown_areas["share_inside_pct"].notna() & (shown_areas["area_code"] != "ALL")]
    within = "; ".join(f"{short_name(name)} {share:.1f}%" for name, share in zip(
        residents["area_name"], residents["share_inside_pct"], strict=True))
    total = shown_areas[shown_areas["area_code"] == "ALL"].iloc[0]
    headline = (f"{total['share_inside_pct']:.1f}% of the residents' activity in the flows is treated by providers "
                f"in their own ICB ({within}).")
    figures = []
    if diagrams:
        moving = network.flows.rename(columns={"from_area": "from_id", "to_area": "to_id"})
        figures = [ReportFigure("Residents' activity between ICBs", svg_of(cg.plot_flows(
            moving[list(FLOW_MAP_COLUMNS)], title="Residents' activity between ICBs", unit="activity", top=12)))]
    return [headline], Section(
        "Patient flows",
        f"Where each ICB's residents are treated, on the ICBs in force on {day}: inside their own ICB or elsewhere.",
        [_table("containment", "Containment per ICB", "share of each ICB's residents' activity treated inside it",
                shown_areas.reset_index(drop=True), reference),
         _table("cross_boundary", "Largest flows out of an ICB", "the 20 largest, by activity",
                network.cross_boundary(20), reference)],
        figures)


def build_report(
    graph: CareGraph,
    *,
    as_at: AsAt = None,
    scenarios: Sequence[Scenario] = (),
    plan: pd.DataFrame | None = None,
    flows: pd.DataFrame | None = None,
    provenance: Sequence[str] = (),
    diagrams: bool = True,
) -> Report:
    """Assemble a report on a model as at one date.

    Parameters
    ----------
    graph : CareGraph
        The model.
    as_at : str, optional
        The day (``YYYY-MM-DD``); default today. ``"all"`` is refused: a
        report is for one day.
    scenarios : sequence of Scenario
        Commissioning options to appraise (``cg.read_scenarios``).
    plan, flows : pandas.DataFrame, optional
        A delegation plan and resident flows (``cg.read_plan``,
        ``cg.read_flows``); the delegation section (with the co-dependency
        map) is there when a plan is given or the model states
        co-dependencies; the patient flows section (containment per ICB,
        the largest flows out of an ICB and a flow map, the flows placed on
        NHS England's reference organisations) when flows are given.
    provenance : sequence of str
        Lines saying where the model comes from.
    diagrams : bool
        Draw the diagrams (pathways, options chart, co-dependency and flow
        maps: the slow part).

    Returns
    -------
    Report
    """
    day = resolve_as_at(as_at)
    if day is None:
        raise cg.ArgumentError(f"a report is as at one day: give a date rather than '{ALL_DATES}'")
    headlines, sections = _pathway_sections(graph, day, diagrams) if graph.nodes_of("Pathway") else ([], [])
    if scenarios:
        more, section = _appraisal_section(graph, scenarios, day, diagrams)
        headlines += more
        sections.append(section)
    if plan is not None or graph.edges_of("DEPENDS_ON"):
        more, section = _delegation_section(graph, plan, flows, day, diagrams)
        headlines += more
        sections.append(section)
    if flows is not None:
        more, section = _flow_section(flows, day, diagrams)
        headlines += more
        sections.append(section)
    return Report(title=f"{graph.name}: hand-offs, budget boundaries and delegation", model=graph.name,
                  as_at=as_at_label(day), generated=dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
                  version=cg.__version__, provenance=list(provenance), headlines=headlines, sections=sections)
