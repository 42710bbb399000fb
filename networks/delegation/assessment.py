"""Suitability, readiness and tiering of specialised services for delegation (seed 002).

``assess_services(graph, criteria)`` scores every specialised service of a
model with the analyst's criteria (``networks.delegation.criteria``): computed measures
come from the graph -- co-dependency exposure (co-located or in-reach links
to highly specialised services), number of providers, footprint containment
(from optional flows) -- and the rest from the analyst's scores. Each step
passes when the weighted mean of its scored criteria reaches the pass mark,
no criterion is below the floor and no analyst score is missing. A highly
specialised service is never suitable: it stays national.

The recommended tier is the smallest planning footprint that can serve the
population. For each ICB of the model the footprints tried are, in order,
the ICB itself (``ics``) -- or, when a clinical network for the service
spans this ICB and others, that network's ICBs (``multi-ics``), since the
network is planned as one -- then the ICBs of its region (``region``). A
footprint serves the ICB when it has at least ``min_providers`` providers
and, when flows are given, treats at least ``min_containment`` of the ICB's
residents' activity. The region, the widest footprint ICBs plan together,
serves when it has any provider (residents leaving a region go to other
regions' or national centres). Footprints are limited to the ICBs in the
model. The service's tier is the widest its ICBs need (``national`` when the
region has no provider, or when the service is not suitable).

Examples
--------
>>> import caregraph as cg
>>> g = cg.CareGraph()
>>> g.add_node("QWE", "ICB")
>>> g.add_node("RJ7", "NHSTrust")
>>> _ = g.add_edge("RJ7", "QWE", "LOCATED_IN")
>>> g.add_node("svc-renal", "Service", name="Adult specialist renal services", specialised=True)
>>> _ = g.add_edge("RJ7", "svc-renal", "PROVIDES")
>>> criteria = cg.criteria_from_dict({
...     "suitability": {"pass_mark": 3, "criteria": {
...         "number_of_providers": {"source": "computed", "bands": [[0, 1], [1, 4]]}}},
...     "readiness": {"pass_mark": 3, "criteria": {
...         "codependency_exposure": {"source": "computed", "bands": [[0, 5], [1, 1]]}}}})
>>> row = cg.assess_services(g, criteria, published=cg.published_decisions()).iloc[0]
>>> row["classification"], row["recommended_tier"]
('suitable and ready', 'ics')
>>> row["published"]
'delegated to ICBs from 2024-04-01 (list PARTIAL: 20 of 59)'
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from networks.dates import AsAt, dated
from networks.errors import Problem, ValidationError
from networks.graph import CareGraph

from .checks import located_flows, network_spans
from .criteria import AssessmentStep, Criteria
from .tables import DelegationFrames, frames_at

__all__ = ["CLASSIFICATIONS", "TIER_ORDER", "assess_services"]

CLASSIFICATIONS = ("suitable and ready", "suitable not yet ready", "neither")
TIER_ORDER = ("ics", "multi-ics", "region", "national")
_HARD = ("co-located", "in-reach")
_COLUMNS = ("service_id", "name", "classification", "recommended_tier", "suitability_score", "readiness_score")


@dataclass
class _Model:
    """What the assessment needs from the frames, computed once."""

    frames: DelegationFrames
    located: pd.DataFrame | None

    def __post_init__(self) -> None:
        self.hss = set(self.frames.services.loc[self.frames.services["highly_specialised"], "service_id"])
        hard = self.frames.codependencies[self.frames.codependencies["level"].isin(_HARD)]
        self.partners: dict[str, set[str]] = {}
        for a, b in zip(hard["service_id"], hard["depends_on"], strict=True):
            self.partners.setdefault(a, set()).add(b)
            self.partners.setdefault(b, set()).add(a)
        provision = self.frames.provision.merge(self.frames.locations, left_on="provider_id",
                                                right_on="organisation_id", how="left")
        self.providers = provision[["service_id", "provider_id", "icb_id"]].drop_duplicates()
        icbs = self.frames.icbs()
        locations = self.frames.locations.set_index("organisation_id")
        self.region = {icb: locations["region_id"].get(icb) for icb in icbs}
        spans = network_spans(self.frames)
        self.spans = {(r.service_id, r.icb_id): set(str(r.span).split(";")) for r in spans.itertuples()}
        self.icbs = icbs

    def measures(self, service: str) -> dict[str, float]:
        exposure = len(self.partners.get(service, set()) & self.hss)
        providers = self.providers.loc[self.providers["service_id"] == service, "provider_id"].nunique()
        containment = float("nan")
        if self.located is not None:
            rows = self.located[self.located["service_id"] == service]
            total = rows["activity"].sum()
            if total > 0:
                containment = rows.loc[rows["provider_icb"] == rows["icb_id"], "activity"].sum() / total
        return {"codependency_exposure": float(exposure), "number_of_providers": float(providers),
                "footprint_containment": float(containment)}

    def footprints(self, service: str, icb: str) -> list[tuple[str, set[str]]]:
        """The footprints to try for an ICB, smallest first (no ``ics`` when a network spans several ICBs)."""
        network = set().union(*[span for (svc, member), span in self.spans.items()
                                if svc == service and member == icb])
        found = [("multi-ics", network)] if len(network) > 1 else [("ics", {icb})]
        region = self.region.get(icb)
        if region is not None:
            found.append(("region", {i for i in self.icbs if self.region[i] == region}))
        return found

    def tier_for(self, service: str, icb: str, criteria: Criteria) -> tuple[str, str]:
        """The smallest footprint serving an ICB's residents, with the reason."""
        offered = self.providers[self.providers["service_id"] == service]
        flows = None
        if self.located is not None:
            flows = self.located[(self.located["service_id"] == service) & (self.located["icb_id"] == icb)]
        tried = []
        for tier, footprint in self.footprints(service, icb):
            n = offered.loc[offered["icb_id"].isin(footprint), "provider_id"].nunique()
            text = f"{n} provider(s)"
            share = float("nan")
            if flows is not None and flows["activity"].sum() > 0:
                share = flows.loc[flows["provider_icb"].isin(footprint), "activity"].sum() / flows["activity"].sum()
                text += f", containment {share:.2f}"
            if tier == "region":
                serves = n >= 1
            else:
                serves = n >= criteria.min_providers and (math.isnan(share) or share >= criteria.min_containment)
            if serves:
                return tier, f"{icb}: {tier} ({text})"
            tried.append(f"{tier} {text}")
        return "national", f"{icb}: national (no footprint serves it: {'; '.join(tried)})"


def _detail(name: str, measure: float) -> str:
    if name == "codependency_exposure":
        return f"{measure:g} hard link(s) to highly specialised services"
    if name == "number_of_providers":
        return f"{measure:g} provider(s)"
    return f"containment {measure:.2f}"


def _step(
    step: AssessmentStep, scores: dict[str, float], measures: dict[str, float]
) -> tuple[bool, float, str, dict[str, float]]:
    """Evaluate one step; return pass, weighted mean, the reasons and each criterion's score."""
    parts: list[str] = []
    marks: dict[str, float] = {}
    total = weight = 0.0
    missing = below = False
    for criterion in step.criteria:
        if criterion.source == "computed":
            measure = measures[criterion.name]
            if math.isnan(measure):
                parts.append(f"{criterion.name} not measured (no flows), left out")
                marks[criterion.name] = float("nan")
                continue
            score = criterion.score(measure)
            note = f" ({_detail(criterion.name, measure)})"
        else:
            score = scores.get(criterion.name, float("nan"))
            note = ""
            if math.isnan(score):
                parts.append(f"{criterion.name} not scored")
                marks[criterion.name] = score
                missing = True
                continue
        marks[criterion.name] = score
        flag = f" below floor {step.floor:g}" if score < step.floor else ""
        below = below or bool(flag)
        parts.append(f"{criterion.name} {score:g}{note}{flag}")
        total += criterion.weight * score
        weight += criterion.weight
    mean = total / weight if weight else float("nan")
    passed = not missing and not below and not math.isnan(mean) and mean >= step.pass_mark
    shown = "no score" if math.isnan(mean) else f"{mean:.2f}"
    return passed, mean, f"{shown} vs pass mark {step.pass_mark:g}; " + "; ".join(parts), marks


def _scores(criteria: Criteria, services: set[str]) -> dict[str, dict[str, float]]:
    scored = zip(criteria.scores["service_id"], criteria.scores["row"], strict=True)
    problems = [Problem(criteria.scores_file, int(r), "service_id", f"unknown service '{s}'")
                for s, r in scored if s not in services]
    if problems:
        raise ValidationError(problems)
    names = criteria.analyst_criteria()
    return {rec["service_id"]: {n: float(rec[n]) for n in names}
            for rec in criteria.scores.to_dict("records")}


def assess_services(
    graph: CareGraph | DelegationFrames,
    criteria: Criteria,
    *,
    flows: pd.DataFrame | None = None,
    published: pd.DataFrame | None = None,
    as_at: AsAt = None,
) -> pd.DataFrame:
    """Classify each specialised service as suitable and ready, suitable not yet ready, or neither.

    Parameters
    ----------
    graph : CareGraph or DelegationFrames
        The model.
    criteria : Criteria
        From ``loaders.criteria.read_criteria`` or ``criteria_from_dict``.
    flows : pandas.DataFrame, optional
        Resident flows (``loaders.delegation_inputs.read_flows``) for containment.
    published : pandas.DataFrame, optional
        NHS England's published decisions (``service_name``, ``decision``,
        ``list``), such as ``loaders.reference.specialised.published_decisions()``:
        matched to services by name, ignoring case and surrounding spaces.
    as_at : str, optional
        ISO date for the graph.

    Returns
    -------
    pandas.DataFrame
        One row per specialised service, sorted by id: ``service_id, name,
        classification, recommended_tier, suitability_score,
        readiness_score``, each criterion's score, the measures
        ``n_providers``, ``hard_links_to_hss`` and ``containment``, the
        reasons (``suitability_reasons``, ``readiness_reasons``,
        ``tier_reasons``) and ``published``: the published decision where
        ``published`` names the service, what lists were searched where it
        does not, and blank without ``published``.

    Raises
    ------
    ValidationError
        Scores for unknown services, or invalid flows.
    """
    frames = frames_at(graph, as_at)
    model = _Model(frames, None if flows is None else located_flows(frames, flows))
    services = frames.services[frames.services["specialised"]].sort_values("service_id")
    scores = _scores(criteria, set(frames.services["service_id"]))
    suitability, readiness = criteria.steps
    rows = []
    listed = zip(services["service_id"], services["name"], services["highly_specialised"], strict=True)
    for service, name, hss in listed:
        measures = model.measures(service)
        suitable, s_mean, s_why, s_marks = _step(suitability, scores.get(service, {}), measures)
        ready, r_mean, r_why, r_marks = _step(readiness, scores.get(service, {}), measures)
        s_why = ("fail (highly specialised: stays national): " if hss
                 else "pass: " if suitable else "fail: ") + s_why
        r_why = ("pass: " if ready else "fail: ") + r_why
        suitable = suitable and not hss
        if suitable:
            tiers = [model.tier_for(service, icb, criteria) for icb in model.icbs]
            tier = max((t for t, _ in tiers), key=TIER_ORDER.index, default="national")
            tier_why = "; ".join(why for _, why in tiers) or "no ICB in the model"
        else:
            tier, tier_why = "national", "not suitable for delegation"
        label = CLASSIFICATIONS[0] if suitable and ready else CLASSIFICATIONS[1] if suitable else CLASSIFICATIONS[2]
        rows.append({
            "service_id": service, "name": name, "classification": label, "recommended_tier": tier,
            "suitability_score": s_mean, "readiness_score": r_mean, **s_marks, **r_marks,
            "n_providers": int(measures["number_of_providers"]),
            "hard_links_to_hss": int(measures["codependency_exposure"]),
            "containment": measures["footprint_containment"],
            "suitability_reasons": s_why, "readiness_reasons": r_why, "tier_reasons": tier_why,
        })
    result = pd.DataFrame(rows, columns=list(rows[0]) if rows else list(_COLUMNS))
    result["published"] = _published(result["name"], published)
    return dated(result, frames.as_at)


def _published(names: pd.Series, published: pd.DataFrame | None) -> list[str | None]:
    """Each name's published decision, or which lists were searched in vain (``None`` without lists)."""
    if published is None:
        return [None] * len(names)
    decisions = dict(zip(published["service_name"].str.strip().str.lower(), published["decision"], strict=True))
    searched = "not in the lists given: " + "; ".join(dict.fromkeys(published["list"]))
    return [decisions.get(str(name).strip().lower(), searched) if isinstance(name, str) else searched
            for name in names]
