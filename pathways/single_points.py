"""Single points of failure in provision: providers or sites whose loss leaves patients with nowhere to go.

For every provider (a trust with all its sites) and every site, on the
model as at a date, ``single_points_of_failure`` asks what would be left
if it closed, within its **footprint** (its ICB, its region, or a footprint
of ICBs the caller gives, such as ``discover_footprints`` proposes):

* **no provider left**: a service (``PROVIDES``) that only this provider or
  site offers in the footprint;
* a pathway step it delivers (``DELIVERED_BY`` it, or ``AT_SITE`` one of its
  sites) is **lost** unless another provider or site in the step's
  footprint ``PROVIDES`` the step's service (a step whose service no one is
  recorded as providing is lost too: the model knows no alternative);
* **no route left**: no path from a start step to a step patients leave
  from avoids the lost steps, so no patient can complete the pathway;
  **route broken**: some routes avoid them, but patients who reach a lost
  step have nowhere to go.

Findings are ranked by the patients affected a year: for a pathway, the
patients who reach a lost step (the chain solved with lost steps made
absorbing, so each patient counts once; all the entrants when no route is
left); for a service, the patients who reach a pathway step of that
service in the footprint, counted the same way (0 when no pathway of the
model uses it).

Examples
--------
In the test model 1,000 patients a year see their GP (GP1), the only start
step: losing GP1 leaves no route. RTD (with its site RTD01) is the only
provider of PCI: losing it breaks the route of the 200 patients a year
who go on to PCI (80% leave after the GP), and PCI has no provider left.

>>> import caregraph as cg
>>> g = cg.load_model("tests/fixtures/small_model")
>>> found = cg.single_points_of_failure(g, as_at="2024-06-01")
>>> columns = ["removed_id", "finding", "pathway", "service_id", "patients_per_year"]
>>> for row in found[columns].head(4).round(6).values.tolist():
...     print(row)
['GP1', 'no route left', 'chest-pain', None, 1000.0]
['RTD', 'route broken', 'chest-pain', None, 200.0]
['RTD01', 'route broken', 'chest-pain', None, 200.0]
['RTD', 'no provider left', None, 'pci', 200.0]
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from networks.choices import SPOF_FOOTPRINTS, check_choice
from networks.dates import AsAt, resolve_as_at
from networks.delegation.tables import delegation_frames
from networks.flows.places import icb_on, region_on
from networks.graph import CareGraph

from .flows import PathwayFlows, entry_table, pathway_flows, solve_flows, step_table

__all__ = ["SPOF_COLUMNS", "single_points_of_failure"]

SPOF_COLUMNS = [
    "rank", "removed_id", "removed_name", "removed_kind", "footprint", "finding", "service_id", "service_name",
    "pathway", "pathway_name", "lost_steps", "patients_per_year", "note",
]
"""The columns of ``single_points_of_failure``' result."""

_Entry = tuple[str, str | None]  # (provider, site)


@dataclass
class _Model:
    """What the search needs: provision by footprint and service, each node's footprint, the pathways."""

    graph: CareGraph
    footprint_of: dict[str, str | None]
    offers: dict[tuple[str | None, str], set[_Entry]]
    sites_of: dict[str, set[str]]
    steps: pd.DataFrame
    flows: dict[str, PathwayFlows]
    entries: dict[str, pd.DataFrame]

    def place(self, provider: str | None, site: str | None) -> str | None:
        """The footprint a step or a provision entry is in: its site's, else its provider's."""
        return self.footprint_of.get(site if isinstance(site, str) else str(provider))


def _footprints(graph: CareGraph, nodes: set[str], day: str | None,
                footprint: str | Mapping[str, str]) -> dict[str, str | None]:
    result: dict[str, str | None] = {}
    for node in sorted(nodes):
        icb = icb_on(graph, node, day) if node in graph else None
        if icb is None:
            result[node] = None
        elif isinstance(footprint, str):
            result[node] = icb if footprint == "icb" else region_on(graph, icb, day)
        else:
            result[node] = footprint.get(icb)
    return result


def _model(graph: CareGraph, day: str | None, footprint: str | Mapping[str, str]) -> _Model:
    current = graph if day is None else graph.as_at(day)
    provision = delegation_frames(current).provision
    steps = step_table(current)
    sites_of: dict[str, set[str]] = {}
    for provider, site in zip(provision["provider_id"], provision["site_id"], strict=True):
        if site is not None:
            sites_of.setdefault(provider, set()).add(site)
    for provider, site in zip(steps["provider"], steps["site"], strict=True):
        if isinstance(site, str):
            for trust in current.successors(site, "PART_OF"):
                sites_of.setdefault(trust, set()).add(site)
            if isinstance(provider, str):
                sites_of.setdefault(provider, set()).add(site)
    nodes = {*provision["provider_id"], *provision["site_id"].dropna(), *steps["provider"].dropna(),
             *steps["site"].dropna()}
    pathways = sorted(set(steps["pathway"]))
    entries = entry_table(current)
    model = _Model(current, _footprints(graph, nodes, day, footprint), {}, sites_of, steps,
                   {pid: pathway_flows(current, pid) for pid in pathways},
                   {pid: entries[entries["pathway"] == pid] for pid in pathways})
    for provider, site, service in zip(provision["provider_id"], provision["site_id"], provision["service_id"],
                                       strict=True):
        model.offers.setdefault((model.place(provider, site), service), set()).add((provider, site))
    return model


def _removed(entry: _Entry, node: str, is_site: bool) -> bool:
    provider, site = entry
    return site == node if is_site else provider == node


def _has_route(flows: PathwayFlows, entries: set[str], lost: set[str]) -> bool:
    """Whether some path from a start step to a step patients leave from avoids the lost steps."""
    out: dict[str, list[str]] = {}
    leaving: dict[str, float] = {}
    for u, v, p in zip(flows.transitions["from_step"], flows.transitions["to_step"],
                       flows.transitions["probability"], strict=True):
        if p > 0:
            out.setdefault(u, []).append(v)
            leaving[u] = leaving.get(u, 0.0) + p
    seen = {s for s in entries if s not in lost}
    todo = sorted(seen)
    while todo:
        step = todo.pop()
        if 1 - leaving.get(step, 0.0) > 1e-9:
            return True
        for nxt in out.get(step, []):
            if nxt not in lost and nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return False


def _patients_reaching(model: _Model, pathway: str, lost: set[str]) -> float:
    """Patients a year who reach a lost step: the chain solved with the lost steps made absorbing."""
    flows = model.flows[pathway]
    kept = flows.transitions[~flows.transitions["from_step"].isin(lost)]
    moves = kept.assign(patients_per_year=float("nan"))[["pathway", "from_step", "to_step", "probability",
                                                        "patients_per_year"]]
    solved = solve_flows(pathway, list(flows.visits), model.entries[pathway], moves)
    return sum(solved.visits[s] for s in lost)


def _route_findings(model: _Model, node: str, is_site: bool, hit: pd.DataFrame) -> list[dict[str, Any]]:
    """Pathways whose patients lose their route when ``node`` (and, for a provider, its sites) goes."""
    rows = []
    for pathway, group in hit.groupby("pathway", sort=True):
        lost: set[str] = set()
        for row in group.to_dict("records"):
            offers = model.offers.get((model.place(row["provider"], row["site"]), str(row["service"])), set())
            if all(_removed(e, node, is_site) for e in offers):
                lost.add(str(row["step"]))
        pid = str(pathway)
        flows = model.flows[pid]
        if not lost:
            continue
        if _has_route(flows, set(model.graph.successors(pid, "STARTS_AT")), lost):
            finding, note = "route broken", "patients reaching a lost step have no other provider in the footprint"
        else:
            finding, note = "no route left", "every route from a start passes through a lost step"
        reaching = _patients_reaching(model, pid, lost)
        rows.append({"finding": finding, "pathway": pid, "footprint": model.footprint_of.get(node),
                     "lost_steps": ";".join(sorted(lost)),
                     "patients_per_year": float("nan") if flows.per_patient else reaching,
                     "note": note + ("; the pathway gives no volume" if flows.per_patient else "")})
    return rows


def _sole_offers(model: _Model) -> dict[str, list[tuple[str | None, str]]]:
    """For each provider or site, the (footprint, service) pairs it alone offers."""
    sole: dict[str, list[tuple[str | None, str]]] = {}
    for key, offers in model.offers.items():
        providers = {p for p, _ in offers}
        sites = {s for _, s in offers}
        if len(providers) == 1:
            sole.setdefault(next(iter(providers)), []).append(key)
        if len(sites) == 1 and None not in sites:
            sole.setdefault(str(next(iter(sites))), []).append(key)
    return sole


def _service_findings(model: _Model, keys: list[tuple[str | None, str]]) -> list[dict[str, Any]]:
    """Services left with no provider in their footprint, with the patients who reach their steps there."""
    rows = []
    for place, service in sorted(keys, key=lambda k: (str(k[0]), k[1])):
        using = model.steps[model.steps["service"] == service]
        reached: dict[str, set[str]] = {}
        for row in using.to_dict("records"):
            if model.place(row["provider"], row["site"]) == place:
                reached.setdefault(str(row["pathway"]), set()).add(str(row["step"]))
        patients = sum(float("nan") if model.flows[p].per_patient else _patients_reaching(model, p, steps)
                       for p, steps in reached.items())
        note = f"used by pathways {';'.join(sorted(reached))}" if reached else "no pathway of the model uses it"
        rows.append({"finding": "no provider left", "service_id": service, "footprint": place,
                     "patients_per_year": float(patients), "note": f"the only provider in the footprint; {note}"})
    return rows


def single_points_of_failure(
    graph: CareGraph,
    as_at: AsAt = None,
    *,
    footprint: str | Mapping[str, str] = "icb",
) -> pd.DataFrame:
    """Providers and sites whose removal leaves a service with no provider, or a pathway with no route.

    Parameters
    ----------
    graph : CareGraph
        A model with provision (``PROVIDES``) and, for routes, pathways
        (steps ``DELIVERED_BY`` a provider, optionally ``AT_SITE``).
    as_at : str or datetime.date, optional
        The model as in force that day (default today; ``"all"`` for every
        dated element, e.g. an undated model).
    footprint : {"icb", "region"} or mapping
        What "in the footprint" means: the provider's ICB (default), its
        region, or a mapping of ICB code to a footprint name (e.g. from
        ``discover_footprints``). A provider in no ICB is in footprint
        ``None``.

    Returns
    -------
    pandas.DataFrame
        ``SPOF_COLUMNS``: one row per finding, ranked by
        ``patients_per_year`` (largest first; unknown volumes last):
        ``removed_id``, ``removed_name``, ``removed_kind`` (the node's kind),
        ``footprint``, ``finding`` (``no route left`` or ``no provider
        left``), the ``service_id``/``service_name`` or the ``pathway``/
        ``pathway_name`` and its ``lost_steps``, ``patients_per_year`` and
        ``note``. ``attrs["as_at"]`` is the date used.

    Raises
    ------
    networks.errors.ArgumentError
        An unknown ``footprint`` string.
    networks.errors.ValidationError
        A pathway that cannot be solved (see ``pathway_flows``).
    """
    if isinstance(footprint, str):
        check_choice("footprint", footprint, SPOF_FOOTPRINTS)
    day = resolve_as_at(as_at)
    model = _model(graph, day, footprint)
    sole = _sole_offers(model)
    steps = model.steps
    by_provider = {str(k): v for k, v in steps.groupby("provider", sort=False)}
    by_site = {str(k): v for k, v in steps.groupby("site", sort=False)}
    rows: list[dict[str, Any]] = []
    for node in sorted({*sole, *by_provider, *by_site, *model.sites_of}):
        is_site = node in model.graph and model.graph.kind(node) == "Site"
        if is_site:
            hit = by_site.get(node, steps.iloc[0:0])
        else:
            parts = [by_provider.get(node)] + [by_site.get(s) for s in sorted(model.sites_of.get(node, ()))]
            present = [p for p in parts if p is not None]
            hit = pd.concat(present).drop_duplicates("step") if present else steps.iloc[0:0]
        found = _route_findings(model, node, is_site, hit) + _service_findings(model, sole.get(node, []))
        attrs = model.graph.node(node) if node in model.graph else {}
        for row in found:
            row.update({"removed_id": node, "removed_name": attrs.get("name"), "removed_kind": attrs.get("kind")})
        rows += found
    table = pd.DataFrame(rows, columns=SPOF_COLUMNS)
    names = {n: a.get("name") for n, a in model.graph.nx.nodes(data=True)}
    table["service_name"] = table["service_id"].map(names)
    table["pathway_name"] = table["pathway"].map(names)
    table["patients_per_year"] = table["patients_per_year"].astype(float)
    order = {"no route left": 0, "route broken": 1, "no provider left": 2}
    table = table.assign(_order=table["finding"].map(order)).sort_values(
        ["patients_per_year", "_order", "removed_id", "service_id", "pathway"],
        ascending=[False, True, True, True, True], na_position="last", kind="mergesort").drop(columns="_order")
    table["rank"] = range(1, len(table) + 1)
    table = table.astype({c: object for c in ("service_id", "pathway", "lost_steps")})
    table = table.where(table.notna(), None).astype({"patients_per_year": float, "rank": int})
    table = table.reset_index(drop=True)
    table.attrs["as_at"] = "all" if day is None else day
    return table
