"""Checks that a model's pathways can be right, run when the model is loaded (``caregraph validate``).

The schema checks each node and relationship on its own; these checks look
at a pathway as a whole, so that an impossible one is an error at
validation, never a confident number later:

* its flows solve (``solve_flows``): a start step, no loop patients can
  never leave, and no step sending on more patients than reach it (flows
  cannot create patients). Dated pathways are checked on every day their
  steps or transitions change;
* a step's site belongs to the step's provider (error);
* a step's provider (or one of its sites) offers the step's service in
  the model's provision (a warning: provision may be partial).

Problems are located at the pathway and step (``pathway 'p'``, ``step
'b'``); ``loaders.model.load_model`` turns that into the file and YAML path.

Examples
--------
>>> import caregraph as cg
>>> g = cg.load_model("tests/fixtures/small_model")
>>> errors, warnings = pathway_problems(g)
>>> errors
[]
>>> print(warnings[0])
pathway 'chest-pain', step 'gp', field 'provider': GP1 does not offer gp (General practice) in the model's provision, \
which may be partial
"""

from __future__ import annotations

import datetime as dt

from networks.errors import Problem, ValidationError
from networks.graph import CareGraph
from networks.pathway_flows import entry_table, solve_flows, transition_table

__all__ = ["pathway_problems"]

_FLOW_ELEMENTS = ("NEXT", "STARTS_AT", "HAS_STEP")


def _step_problem(pathway: str, step: str, field: str, message: str) -> Problem:
    return Problem(f"pathway '{pathway}'", f"step '{step.removeprefix(pathway + '/')}'", field, message)


def _change_days(graph: CareGraph) -> list[str | None]:
    """The days pathways' flows can change: each ``valid_from`` and the day after each ``valid_to`` ([None] if none)."""
    days: set[str] = set()
    for kind in ("Pathway", "Step"):
        for _, attrs in graph.nodes_of(kind, data=True):
            days.update(_bounds(attrs))
    for rel_type in _FLOW_ELEMENTS:
        for _, _, attrs in graph.edges_of(rel_type, data=True):
            days.update(_bounds(attrs))
    found: list[str | None] = [*sorted(days)]
    return found or [None]


def _bounds(attrs: dict[str, object]) -> list[str]:
    found = []
    if isinstance(attrs.get("valid_from"), str):
        found.append(str(attrs["valid_from"]))
    if isinstance(attrs.get("valid_to"), str):
        found.append((dt.date.fromisoformat(str(attrs["valid_to"])) + dt.timedelta(days=1)).isoformat())
    return found


def _flow_problems(graph: CareGraph) -> list[Problem]:
    found: dict[tuple[object, ...], Problem] = {}
    for day in _change_days(graph):
        view = graph if day is None else graph.as_at(day)
        entries, transitions = entry_table(view), transition_table(view)
        for pathway in view.nodes_of("Pathway"):
            steps = view.successors(pathway, "HAS_STEP")
            try:
                solve_flows(pathway, steps, entries[entries["pathway"] == pathway],
                            transitions[transitions["pathway"] == pathway])
            except ValidationError as exc:
                for problem in exc.problems:
                    dated = problem if day is None else Problem(problem.file, problem.row, problem.field,
                                                                f"{problem.message} (as at {day})")
                    found.setdefault((problem.file, problem.row, problem.field, problem.message), dated)
    return list(found.values())


def _site_problems(graph: CareGraph) -> list[Problem]:
    problems = []
    for step, attrs in graph.nodes_of("Step", data=True):
        providers = set(graph.successors(step, "DELIVERED_BY"))
        for site in graph.successors(step, "AT_SITE"):
            owners = set(graph.successors(site, "PART_OF"))
            if providers and owners and not owners & providers:
                problems.append(_step_problem(
                    attrs["pathway"], step, "site",
                    f"site {site} belongs to {', '.join(sorted(owners))}, not to the step's provider "
                    f"{', '.join(sorted(providers))}"))
    return problems


def _provision_warnings(graph: CareGraph) -> list[Problem]:
    owners = {site: owner for site, owner in graph.edges_of("PART_OF") if graph.kind(site) == "Site"}
    offered = {(u, v) for u, v in graph.edges_of("PROVIDES")}
    offered |= {(owners[u], v) for u, v in offered if u in owners}  # a site's service is its trust's
    warnings = []
    for step, attrs in graph.nodes_of("Step", data=True):
        for service in graph.successors(step, "OF_SERVICE"):
            for provider in graph.successors(step, "DELIVERED_BY"):
                if (provider, service) not in offered:
                    name = graph.node(service).get("name")
                    shown = f"{service} ({name})" if name else service
                    warnings.append(_step_problem(
                        attrs["pathway"], step, "provider",
                        f"{provider} does not offer {shown} in the model's provision, which may be partial"))
    return warnings


def pathway_problems(graph: CareGraph) -> tuple[list[Problem], list[Problem]]:
    """Check every pathway of a model as a whole.

    Parameters
    ----------
    graph : CareGraph
        A model that passed the schema checks (as ``build_graph`` returns it).

    Returns
    -------
    errors, warnings : lists of Problem
        Each located at ``pathway '<id>'`` and, where there is one, ``step
        '<local id>'``, with the field at fault.
    """
    return [*_flow_problems(graph), *_site_problems(graph)], _provision_warnings(graph)
