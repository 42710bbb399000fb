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
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from networks.choices import SPOF_FOOTPRINTS, check_choice
from networks.dates import AsAt, resolve_as_at
from networks.delegation.tables import delegation_frames
from networks.flows.places import icb_on, region_on
from networks.graph import CareGraph
from networks.pathway_flows import PathwayFlows, entry_table, solve_flows, step_table, transition_table

__all__ = ["SPOF_COLUMNS", "single_points_of_failure"]

SPOF_COLUMNS = [
    "rank", "removed_id", "removed_name", "removed_kind", "footprint", "finding", "service_id", "service_name",
    "pathway", "pathway_name", "lost_steps", "patients_per_year", "note",
]
"""The columns of ``single_points_of_failure``' result."""

_Entry = tuple[str, str | None]  # (provider, site)
_Step = tuple[str, str, str | None, str | None, str | None]  # (pathway, step, service, provider, site)


class _Chain:
    """One pathway's solved chain as arrays: who reaches which steps when some are lost."""

    def __init__(self, flows: PathwayFlows, starts: set[str]) -> None:
        self.flows = flows
        self.starts = starts
        self.index = {step: i for i, step in enumerate(sorted(flows.visits))}
        visits = np.array([flows.visits[s] for s in sorted(flows.visits)])
        self.moves = np.zeros((len(visits), len(visits)))
        moves = flows.transitions
        for u, v, p in zip(moves["from_step"], moves["to_step"], moves["probability"], strict=True):
            if p > 0:
                self.moves[self.index[u], self.index[v]] += p
        self.entry = visits - self.moves.T @ visits  # what enters at each step, volumes included
        self._reached: dict[frozenset[str], float] = {}

    def reaching(self, lost: frozenset[str]) -> float:
        """Patients a year who reach a lost step: the chain solved with the lost steps made absorbing."""
        if lost not in self._reached:
            rows = [self.index[s] for s in sorted(lost)]
            moves = self.moves.copy()
            moves[rows, :] = 0.0
            visits = np.linalg.solve(np.eye(len(moves)) - moves.T, self.entry)
            self._reached[lost] = float(visits[rows].sum())
        return self._reached[lost]

    def has_route(self, lost: frozenset[str]) -> bool:
        """Whether some path from a start step to a step patients leave from avoids the lost steps."""
        seen = {self.index[s] for s in self.starts if s not in lost}
        blocked = {self.index[s] for s in lost}
        todo = sorted(seen)
        while todo:
            here = todo.pop()
            if 1 - self.moves[here].sum() > 1e-9:
                return True
            for there in np.flatnonzero(self.moves[here] > 0):
                if int(there) not in blocked and int(there) not in seen:
                    seen.add(int(there))
                    todo.append(int(there))
        return False


@dataclass
class _Model:
    """What the search needs: provision by footprint and service, each node's footprint, the pathways."""

    graph: CareGraph
    footprint_of: dict[str, str | None]
    offers: dict[tuple[str | None, str], set[_Entry]] = field(default_factory=dict)
    sites_of: dict[str, set[str]] = field(default_factory=dict)
    by_provider: dict[str, list[_Step]] = field(default_factory=dict)
    by_site: dict[str, list[_Step]] = field(default_factory=dict)
    by_service: dict[str, list[_Step]] = field(default_factory=dict)
    chains: dict[str, _Chain] = field(default_factory=dict)

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


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _chains(current: CareGraph, steps: pd.DataFrame) -> dict[str, _Chain]:
    """Every pathway's chain, solved once from the model's entry and transition tables."""
    entry_rows, move_rows = entry_table(current), transition_table(current)
    entries = {str(k): v for k, v in entry_rows.groupby("pathway", sort=False)}
    moves = {str(k): v for k, v in move_rows.groupby("pathway", sort=False)}
    chains = {}
    for pid, group in steps.groupby("pathway", sort=True):
        key = str(pid)
        flows = solve_flows(key, list(group["step"]), entries.get(key, entry_rows.iloc[0:0]),
                            moves.get(key, move_rows.iloc[0:0]))
        chains[key] = _Chain(flows, set(current.successors(key, "STARTS_AT")))
    return chains


def _model(graph: CareGraph, day: str | None, footprint: str | Mapping[str, str]) -> _Model:
    current = graph if day is None else graph.as_at(day)
    provision = delegation_frames(current).provision
    steps = step_table(current)
    rows: list[_Step] = [(str(p), str(s), _text(v), _text(pr), _text(si)) for p, s, v, pr, si in
                         zip(steps["pathway"], steps["step"], steps["service"], steps["provider"], steps["site"],
                             strict=True)]
    nodes = {*provision["provider_id"], *provision["site_id"].dropna(), *(r[3] for r in rows if r[3]),
             *(r[4] for r in rows if r[4])}
    model = _Model(current, _footprints(graph, nodes, day, footprint), chains=_chains(current, steps))
    for provider, site, service in zip(provision["provider_id"], provision["site_id"], provision["service_id"],
                                       strict=True):
        model.offers.setdefault((model.place(provider, site), service), set()).add((provider, site))
        if site is not None:
            model.sites_of.setdefault(provider, set()).add(site)
    for row in rows:
        _, _, service, provider, site = row
        if service:
            model.by_service.setdefault(service, []).append(row)
        if provider:
            model.by_provider.setdefault(provider, []).append(row)
        if site:
            model.by_site.setdefault(site, []).append(row)
            for trust in [*current.successors(site, "PART_OF"), *([provider] if provider else [])]:
                model.sites_of.setdefault(trust, set()).add(site)
    return model


def _removed(entry: _Entry, node: str, is_site: bool) -> bool:
    provider, site = entry
    return site == node if is_site else provider == node


def _route_findings(model: _Model, node: str, is_site: bool) -> list[dict[str, Any]]:
    """Pathways whose patients lose their route when ``node`` (and, for a provider, its sites) goes."""
    if is_site:
        hit = model.by_site.get(node, [])
    else:
        hit = model.by_provider.get(node, []) + [r for s in sorted(model.sites_of.get(node, ()))
                                                  for r in model.by_site.get(s, []) if r[3] != node]
    lost_by_pathway: dict[str, set[str]] = {}
    for pathway, step, service, provider, site in hit:
        offers = model.offers.get((model.place(provider, site), service), set()) if service else set()
        if all(_removed(e, node, is_site) for e in offers):
            lost_by_pathway.setdefault(pathway, set()).add(step)
    rows = []
    for pathway, steps in sorted(lost_by_pathway.items()):
        chain, lost = model.chains[pathway], frozenset(steps)
        if chain.has_route(lost):
            finding, note = "route broken", "patients reaching a lost step have no other provider in the footprint"
        else:
            finding, note = "no route left", "every route from a start passes through a lost step"
        per_patient = chain.flows.per_patient
        rows.append({"finding": finding, "pathway": pathway, "footprint": model.footprint_of.get(node),
                     "lost_steps": ";".join(sorted(lost)),
                     "patients_per_year": float("nan") if per_patient else chain.reaching(lost),
                     "note": note + ("; the pathway gives no volume" if per_patient else "")})
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
        reached: dict[str, set[str]] = {}
        for pathway, step, _, provider, site in model.by_service.get(service, []):
            if model.place(provider, site) == place:
                reached.setdefault(pathway, set()).add(step)
        patients = sum(float("nan") if model.chains[p].flows.per_patient
                       else model.chains[p].reaching(frozenset(steps)) for p, steps in reached.items())
        note = f"used by {len(reached)} pathway{'s' if len(reached) != 1 else ''}" if reached else \
            "no pathway of the model uses it"
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
    rows: list[dict[str, Any]] = []
    for node in sorted({*sole, *model.by_provider, *model.by_site, *model.sites_of}):
        is_site = node in model.graph and model.graph.kind(node) == "Site"
        found = _route_findings(model, node, is_site) + _service_findings(model, sole.get(node, []))
        attrs = model.graph.node(node) if node in model.graph else {}
        for row in found:
            row.update({"removed_id": node, "removed_name": attrs.get("name"), "removed_kind": attrs.get("kind")})
        rows += found
    table = pd.DataFrame(rows, columns=SPOF_COLUMNS)
    names = {n: a.get("name") for n, a in model.graph.nx.nodes(data=True)}
    table["service_name"] = table["service_id"].map(names)
    table["pathway_name"] = table["pathway"].map(names)
    table["patients_per_year"] = table["patients_per_year"].astype(float).round(6)  # ranks without float noise
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
