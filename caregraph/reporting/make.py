"""``cg.report``: build a model's report and write it as HTML or an Excel workbook, in one call.

Examples
--------
>>> import tempfile, pathlib
>>> import caregraph as cg
>>> out = pathlib.Path(tempfile.mkdtemp()) / "cardiology.html"
>>> cg.report("examples/cardiology", out, as_at="2026-05-01", diagrams=False).name
'cardiology.html'
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

import caregraph as cg
from networks.dates import AsAt
from networks.graph import CareGraph
from networks.scenarios import Scenario

from .content import build_report
from .html import write_html
from .workbook import write_workbook

__all__ = ["REPORT_SUFFIXES", "report"]

REPORT_SUFFIXES = (".html", ".xlsx")
"""What a report can be written as."""


def report(
    model: str | Path | CareGraph,
    out: str | Path,
    *,
    as_at: AsAt = None,
    scenarios: str | Path | Sequence[Scenario] = (),
    plan: str | Path | pd.DataFrame | None = None,
    flows: str | Path | pd.DataFrame | None = None,
    diagrams: bool = True,
) -> Path:
    """Write a model's report: a self-contained HTML page (``.html``) or an Excel workbook (``.xlsx``).

    Parameters
    ----------
    model : str, Path or CareGraph
        A model folder (read and validated), or a model already loaded.
    out : str or Path
        The file to write; its suffix chooses the format.
    as_at : str, optional
        The day (``YYYY-MM-DD``); default today. The report says which.
    scenarios : str, Path or sequence of Scenario
        Commissioning options to appraise: a scenario file or scenarios.
    plan, flows : str, Path or DataFrame, optional
        A delegation plan and resident flows: files or frames.
    diagrams : bool
        Draw the pathway diagrams (HTML only; the workbook has none).

    Returns
    -------
    Path
        ``out``.

    Raises
    ------
    networks.errors.ArgumentError
        ``out`` is neither .html nor .xlsx, or ``as_at`` is ``"all"``.
    networks.errors.ValidationError
        An invalid model or input file, each problem located.
    networks.errors.OutputError
        The file cannot be written (nothing is left half-written).
    """
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in REPORT_SUFFIXES:
        raise cg.ArgumentError(f"'{out}': a report is written as {' or '.join(REPORT_SUFFIXES)}")
    if isinstance(model, CareGraph):
        graph, provenance = model, [f"Model: {model.name} (given in memory)"]
    else:
        graph, provenance = cg.load_model(model), cg.describe_model(model)
    options = cg.read_scenarios(scenarios) if isinstance(scenarios, (str, Path)) else list(scenarios)
    plan_frame = cg.read_plan(plan) if isinstance(plan, (str, Path)) else plan
    flow_frame = cg.read_flows(flows) if isinstance(flows, (str, Path)) else flows
    built = build_report(graph, as_at=as_at, scenarios=options, plan=plan_frame, flows=flow_frame,
                         provenance=provenance, diagrams=diagrams and suffix == ".html")
    if suffix == ".html":
        write_html(built, out)
    else:
        write_workbook(built, out)
    return out
