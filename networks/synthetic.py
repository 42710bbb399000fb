"""A synthetic national care system shaped like England: seeded, for benchmarks and scale tests.

``synthetic_system(icbs, seed=...)`` builds node and edge tables (for
``graph_from_frames``) and a resident flow table for a care system with
England's shape: NHS England and its regions and ICBs **with their real
codes and names** (the ``icbs`` table, e.g. ``cg.reference_table("icbs",
"2026-05-01")`` for the 36 ICBs, or a date before April 2026 for the 42),
about 106 sub-ICB locations, 1,250 PCNs and 6,300 GP practices, 200 trusts
with 1 to 5 sites each, 150 specialised services (15 highly specialised)
with about 600 co-dependency links, who commissions each, 40 operational
delivery networks, budgets, and 10,000 care pathways whose steps are
delivered by providers that offer the step's service. Everything below the
ICBs is synthetic (codes such as ``T001``, ``T001-2``, ``QWE-S1``) and says
so in its name. ``synthetic_event_log(events)`` gives an event log of any
size.

The same seed gives the same tables, row for row.

================  =========================================================
table             what it holds
================  =========================================================
``nodes``         ``id``, ``kind``, ``name`` and the kind's properties
                  (``population``, ``registered_patients``, ``specialised``,
                  ``stream``, ``setting``, ``unit_cost`` ...)
``edges``         ``source``, ``target``, ``type`` and properties
                  (``level``, ``status``, ``tier``, ``probability`` ...)
``flows``         a flow table (``networks.flows.table``): residents of each
                  sub-ICB location treated at trusts, mostly in their own
                  ICB, some in their region, a few elsewhere; plus activity
                  commissioned by NHS England's regional hubs and ``NONC``
================  =========================================================

Examples
--------
>>> import caregraph as cg
>>> icbs = cg.reference_table("icbs", "2026-05-01")
>>> system = cg.synthetic_system(icbs, seed=7, practices=600, pcns=120, trusts=40, pathways=50)
>>> g = system.graph()
>>> len(g.nodes_of("ICB")), len(g.nodes_of("NHSERegion")), len(g.nodes_of("NHSTrust"))
(36, 7, 40)
>>> cg.synthetic_system(icbs, seed=7, practices=600, pcns=120, trusts=40, pathways=50).edges.equals(system.edges)
True
>>> log = cg.synthetic_event_log(1_000, seed=1)
>>> len(log), list(log.columns)
(1000, ['case_id', 'activity', 'resource', 'timestamp'])
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .frames import graph_from_frames
from .graph import CareGraph
from .schema import CODEPENDENCY_LEVELS

__all__ = ["SyntheticSystem", "synthetic_event_codes", "synthetic_event_log", "synthetic_system"]

_LOCAL_SERVICES = (
    ("svc-general-practice", "General practice", "primary"),
    ("svc-outpatients", "Consultant outpatients", "acute"),
    ("svc-diagnostics", "Diagnostics", "acute"),
    ("svc-acute-medicine", "Acute medicine", "acute"),
    ("svc-general-surgery", "General surgery", "acute"),
    ("svc-emergency-department", "Emergency department", "acute"),
    ("svc-community-nursing", "Community nursing", "community"),
    ("svc-rehabilitation", "Rehabilitation", "community"),
    ("svc-mental-health", "Community mental health", "mental_health"),
    ("svc-reablement", "Reablement", "social_care"),
)
_LEVEL_WEIGHTS = (0.25, 0.25, 0.35, 0.15)
_PERIOD = "2026-04"


@dataclass(frozen=True)
class SyntheticSystem:
    """A synthetic national care system (see the module docstring).

    Attributes
    ----------
    nodes, edges : pandas.DataFrame
        For ``graph_from_frames``.
    flows : pandas.DataFrame
        A flow table: ``commissioner_id``, ``provider_id``, ``activity``,
        ``service``, ``period``.
    seed : int
    """

    nodes: pd.DataFrame
    edges: pd.DataFrame
    flows: pd.DataFrame
    seed: int

    def graph(self) -> CareGraph:
        """Build the ``CareGraph`` (validated against the schema) from the node and edge tables."""
        return graph_from_frames(self.nodes, self.edges, name=f"synthetic-england-{self.seed}")


class _Builder:
    def __init__(self, seed: int) -> None:
        self.rng = np.random.default_rng(seed)
        self.nodes: list[dict[str, Any]] = []
        self.edges: list[dict[str, Any]] = []

    def node(self, node_id: str, kind: str, name: str, **props: Any) -> None:
        self.nodes.append({"id": node_id, "kind": kind, "name": name, **props})

    def edge(self, source: str, target: str, rel_type: str, **props: Any) -> None:
        self.edges.append({"source": source, "target": target, "type": rel_type, **props})

    def split(self, total: int, parts: int, minimum: int = 1) -> list[int]:
        """``total`` split into ``parts`` random whole shares, each at least ``minimum``, adding up to ``total``."""
        raw = self.rng.dirichlet(np.full(parts, 4.0)) * (total - minimum * parts)
        shares = np.floor(raw).astype(int)
        shares[np.argsort(shares - raw)[: total - minimum * parts - int(shares.sum())]] += 1
        return [int(s) + minimum for s in shares]

    def pick(self, options: list[str], weights: np.ndarray | None = None) -> str:
        p = None if weights is None else weights / weights.sum()
        return options[int(self.rng.choice(len(options), p=p))]


def _geography(b: _Builder, icbs: pd.DataFrame, sub_icbs: int) -> tuple[dict[str, float], dict[str, list[str]]]:
    """NHS England, regions, ICBs (real codes) and synthetic sub-ICB locations; ICB populations and sub-ICBs."""
    b.node("X24", "NHSEngland", "NHS England")
    regions = icbs.drop_duplicates("region_code").sort_values("region_code")
    for code, name in zip(regions["region_code"], regions.get("region_name", regions["region_code"]), strict=True):
        b.node(str(code), "NHSERegion", str(name))
        b.edge(str(code), "X24", "PART_OF")
    population: dict[str, float] = {}
    for code, name, region, people in zip(icbs["icb_code"], icbs["name"], icbs["region_code"],
                                          icbs.get("population_2021", pd.Series([None] * len(icbs))), strict=True):
        known = people is not None and not pd.isna(people)
        population[str(code)] = float(people) if known else float(b.rng.integers(500_000, 3_000_000))
        b.node(str(code), "ICB", str(name), population=int(population[str(code)]))
        b.edge(str(code), str(region), "PART_OF")
    total = sum(population.values())
    counts = {icb: max(1, round(sub_icbs * p / total)) for icb, p in population.items()}
    members: dict[str, list[str]] = {}
    for icb, count in counts.items():
        shares = b.rng.dirichlet(np.full(count, 3.0))
        for n, share in enumerate(shares, start=1):
            code = f"{icb}-S{n}"
            members.setdefault(icb, []).append(code)
            b.node(code, "SubICBLocation", f"Synthetic sub-ICB location {n} of {icb}",
                   population=int(population[icb] * share))
            b.edge(code, icb, "PART_OF")
    return population, members


def _primary_care(b: _Builder, members: dict[str, list[str]], pcns: int, practices: int) -> dict[str, list[str]]:
    """PCNs and practices spread over sub-ICB locations; returns each ICB's practices (none without PCNs)."""
    if pcns == 0:
        return {}
    subs = [s for group in members.values() for s in group]
    icb_of = {s: icb for icb, group in members.items() for s in group}
    pcn_sub = [subs[i % len(subs)] for i in range(pcns)]
    per_pcn = b.split(practices, pcns)
    by_icb: dict[str, list[str]] = {}
    number = itertools.count(1)
    for p, (sub, count) in enumerate(zip(pcn_sub, per_pcn, strict=True), start=1):
        pcn = f"PCN{p:05d}"
        b.node(pcn, "PCN", f"Synthetic PCN {p}")
        b.edge(pcn, sub, "PART_OF")
        for _ in range(count):
            practice = f"GP{next(number):05d}"
            b.node(practice, "GPPractice", f"Synthetic practice {practice}",
                   registered_patients=int(b.rng.integers(2_000, 20_000)))
            b.edge(practice, pcn, "PART_OF")
            b.edge(practice, sub, "PART_OF")
            b.edge(practice, "svc-general-practice", "PROVIDES")
            by_icb.setdefault(icb_of[sub], []).append(practice)
    return by_icb


def _providers(b: _Builder, population: dict[str, float], trusts: int,
               sites_per_trust: tuple[int, int]) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Trusts (at least one per ICB, the rest by population) and their sites."""
    icbs = sorted(population)
    weights = np.array([population[i] for i in icbs])
    hosts = icbs + [icbs[int(i)] for i in b.rng.choice(len(icbs), trusts - len(icbs), p=weights / weights.sum())]
    trust_icb: dict[str, str] = {}
    sites: dict[str, list[str]] = {}
    for n, icb in enumerate(sorted(hosts), start=1):
        trust = f"T{n:03d}"
        trust_icb[trust] = icb
        b.node(trust, "NHSTrust", f"Synthetic trust {n}")
        b.edge(trust, icb, "LOCATED_IN")
        for service, _, setting in _LOCAL_SERVICES:
            if setting != "primary":
                b.edge(trust, service, "PROVIDES")
        for s in range(1, int(b.rng.integers(sites_per_trust[0], sites_per_trust[1] + 1)) + 1):
            site = f"{trust}-{s}"
            sites.setdefault(trust, []).append(site)
            b.node(site, "Site", f"Site {s} of synthetic trust {n}", latitude=round(float(b.rng.uniform(50, 55)), 4),
                   longitude=round(float(b.rng.uniform(-5, 1.5)), 4))
            b.edge(site, trust, "PART_OF")
    return trust_icb, sites


def _services(b: _Builder, services: int, highly: int, links: int, all_sites: list[str],
              icbs: list[str]) -> dict[str, list[str]]:
    """Local and specialised services, who provides and commissions them, co-dependencies; sites per service."""
    for service, name, _ in _LOCAL_SERVICES:
        b.node(service, "Service", name, specialised=False)
    specialised = [f"SVC{n:03d}" for n in range(1, services + 1)]
    hss = set(specialised[:highly])
    offered: dict[str, list[str]] = {}
    for n, service in enumerate(specialised):
        b.node(service, "Service", f"Synthetic specialised service {n + 1}", specialised=True,
               highly_specialised=service in hss, crg_code=f"{'ABCDEF'[n % 6]}{n % 20 + 1:02d}")
        count = int(b.rng.integers(2, 6)) if service in hss else int(b.rng.integers(8, 40))
        offered[service] = sorted(str(s) for s in b.rng.choice(all_sites, size=count, replace=False))
        for site in offered[service]:
            b.edge(site, service, "PROVIDES")
        if service in hss:
            b.edge("X24", service, "COMMISSIONS", status="retained", tier="national")
        else:
            for icb in icbs:
                b.edge(icb, service, "COMMISSIONS", status="delegated", tier="multi-ics")
    pairs: set[tuple[str, str]] = set()
    while len(pairs) < links:
        a, c = (str(x) for x in b.rng.choice(specialised, size=2, replace=False))
        pairs.add((a, c))
    for a, c in sorted(pairs):
        b.edge(a, c, "DEPENDS_ON", level=str(b.rng.choice(CODEPENDENCY_LEVELS, p=_LEVEL_WEIGHTS)),
               evidence="synthetic")
    return offered


def _networks_and_budgets(b: _Builder, networks: int, trust_icb: dict[str, str], offered: dict[str, list[str]],
                          icbs: list[str]) -> None:
    trusts = sorted(trust_icb)
    services = sorted(offered)
    for n in range(1, networks + 1):
        network = f"ODN{n:02d}"
        b.node(network, "ODN", f"Synthetic operational delivery network {n}")
        members = sorted(str(t) for t in b.rng.choice(trusts, size=5, replace=False))
        b.edge(network, members[0], "HOSTED_BY")
        for member in members:
            b.edge(member, network, "MEMBER_OF", role="member")
        for service in sorted(str(s) for s in b.rng.choice(services, size=int(b.rng.integers(1, 4)), replace=False)):
            b.edge(network, service, "NETWORK_FOR")
    b.node("bud-nhse-specialised", "Budget", "NHS England specialised commissioning", stream="nhse_specialised",
           amount_gbp=2.5e10)
    b.edge("bud-nhse-specialised", "X24", "HELD_BY")
    for icb in icbs:
        b.node(f"bud-{icb}", "Budget", f"{icb} core allocation", stream="icb_core", amount_gbp=3e9)
        b.edge(f"bud-{icb}", icb, "HELD_BY")


def _pathways(b: _Builder, count: int, population: dict[str, float], practices: dict[str, list[str]],
              trust_icb: dict[str, str], sites: dict[str, list[str]], offered: dict[str, list[str]]) -> None:
    """Pathways of 4 to 9 steps: GP, local acute care, often a specialised step, then community care."""
    icbs = sorted(population)
    weights = np.array([population[i] for i in icbs])
    local_trusts: dict[str, list[str]] = {}
    for trust, icb in sorted(trust_icb.items()):
        local_trusts.setdefault(icb, []).append(trust)
    site_trust = {s: t for t, group in sites.items() for s in group}
    specialised = sorted(offered)
    local = {setting: [s for s, _, st in _LOCAL_SERVICES if st == setting] for _, _, setting in _LOCAL_SERVICES}
    for p in range(1, count + 1):
        pathway = f"PW{p:05d}"
        home = icbs[int(b.rng.choice(len(icbs), p=weights / weights.sum()))]
        trust = b.pick(local_trusts[home])
        b.node(pathway, "Pathway", f"Synthetic pathway {p}", condition=f"condition {p % 400}",
               patients_per_year=float(b.rng.integers(50, 5_000)))
        plan: list[tuple[str, str, str, str | None, str]] = []
        if practices.get(home):
            plan.append(("primary", "svc-general-practice", b.pick(practices[home]), None, f"bud-{home}"))
        for _ in range(int(b.rng.integers(1, 4))):
            plan.append(("acute", b.pick(local["acute"]), trust, b.pick(sites[trust]), f"bud-{home}"))
        if b.rng.random() < 0.6:
            special = b.pick(specialised)
            where = b.pick(offered[special])
            plan.append(("specialised", special, site_trust[where], where, "bud-nhse-specialised"))
        for _ in range(int(b.rng.integers(1, 3))):
            setting = b.pick(["community", "mental_health", "social_care"])
            plan.append((setting, b.pick(local[setting]), trust, None, f"bud-{home}"))
        steps = [f"{pathway}/{n}" for n in range(1, len(plan) + 1)]
        for step, (kind, service, provider, at_site, budget) in zip(steps, plan, strict=True):
            b.node(step, "Step", f"Step {step}", pathway=pathway, setting=kind,
                   unit_cost=round(float(b.rng.uniform(40, 12_000)), 2))
            b.edge(pathway, step, "HAS_STEP")
            b.edge(step, service, "OF_SERVICE")
            b.edge(step, provider, "DELIVERED_BY")
            if at_site is not None:
                b.edge(step, at_site, "AT_SITE")
            b.edge(step, budget, "PAID_FROM")
        b.edge(pathway, steps[0], "STARTS_AT", probability=1.0)
        for here, there in itertools.pairwise(steps):
            share = round(float(b.rng.uniform(0.4, 0.9)), 3)
            b.edge(here, there, "NEXT", probability=share)
            if b.rng.random() < 0.1 and here != steps[0]:
                b.edge(here, steps[0], "NEXT", probability=round(float(b.rng.uniform(0, 1 - share)), 3))


def _flows(b: _Builder, members: dict[str, list[str]], nodes: pd.DataFrame, trust_icb: dict[str, str],
           icb_region: dict[str, str], rate: float) -> pd.DataFrame:
    """Residents' activity at trusts: 80% in their own ICB, 15% elsewhere in their region, 5% anywhere."""
    people = dict(zip(nodes["id"], nodes.get("population", pd.Series(dtype=float)), strict=True))
    trusts = sorted(trust_icb)
    by_icb: dict[str, list[str]] = {}
    by_region: dict[str, list[str]] = {}
    for trust in trusts:
        by_icb.setdefault(trust_icb[trust], []).append(trust)
        by_region.setdefault(icb_region[trust_icb[trust]], []).append(trust)
    specialties = [s for s, _, setting in _LOCAL_SERVICES if setting == "acute"]
    rows: list[tuple[str, str, float, str]] = []
    for icb, subs in sorted(members.items()):
        region_trusts = [t for t in by_region[icb_region[icb]] if trust_icb[t] != icb] or by_icb[icb]
        for sub in subs:
            total = float(people[sub]) * rate
            for share, pool, k in ((0.80, by_icb[icb], 3), (0.15, region_trusts, 4), (0.05, trusts, 6)):
                chosen = sorted({str(t) for t in b.rng.choice(pool, size=min(k, len(pool)), replace=False)})
                for trust, part in zip(chosen, b.rng.dirichlet(np.ones(len(chosen))), strict=True):
                    for service in sorted(str(s) for s in b.rng.choice(specialties, size=2, replace=False)):
                        rows.append((sub, trust, round(total * share * part / 2), service))
    for region, group in sorted(by_region.items()):
        for trust in group[:3]:
            rows.append((f"HUB-{region}", trust, float(b.rng.integers(100, 2_000)), "svc-outpatients"))
        rows.append(("NONC", group[0], float(b.rng.integers(50, 500)), "svc-outpatients"))
    flows = pd.DataFrame(rows, columns=["commissioner_id", "provider_id", "activity", "service"])
    flows = flows.groupby(["commissioner_id", "provider_id", "service"], as_index=False, sort=True)["activity"].sum()
    flows["period"] = _PERIOD
    return flows[["commissioner_id", "provider_id", "activity", "service", "period"]]


def synthetic_system(
    icbs: pd.DataFrame,
    *,
    seed: int = 1,
    sub_icbs: int = 106,
    pcns: int = 1_250,
    practices: int = 6_300,
    trusts: int = 200,
    sites_per_trust: tuple[int, int] = (1, 5),
    services: int = 150,
    highly_specialised: int = 15,
    codependencies: int = 600,
    networks: int = 40,
    pathways: int = 10_000,
    activity_rate: float = 0.12,
) -> SyntheticSystem:
    """Build a seeded synthetic national care system on the real regions and ICBs given.

    Parameters
    ----------
    icbs : pandas.DataFrame
        The ICBs, with ``icb_code``, ``name``, ``region_code`` and optionally
        ``region_name`` and ``population_2021`` (a missing population is
        drawn at random): ``cg.reference_table("icbs", as_at)`` has them.
    seed : int
        The same seed gives the same tables.
    sub_icbs, pcns, practices, trusts : int
        How many of each (sub-ICB locations are shared out by population, at
        least one per ICB; every ICB hosts at least one trust). ``pcns=0``
        leaves out primary care (practices too), for analyses that do not
        read it.
    sites_per_trust : (int, int)
        The fewest and most sites of a trust.
    services, highly_specialised, codependencies, networks : int
        Specialised services (the first ``highly_specialised`` retained
        nationally, the rest delegated), ``DEPENDS_ON`` links between them and
        operational delivery networks.
    pathways : int
        Care pathways (4 to 9 steps each).
    activity_rate : float
        Flow activity per resident of a sub-ICB location (default 0.12, about
        the waiting list's size in England).

    Returns
    -------
    SyntheticSystem
    """
    b = _Builder(seed)
    icbs = icbs.sort_values("icb_code").reset_index(drop=True)
    population, members = _geography(b, icbs, sub_icbs)
    codes = sorted(population)
    practice_of = _primary_care(b, members, pcns, practices)
    trust_icb, sites = _providers(b, population, trusts, sites_per_trust)
    all_sites = sorted(s for group in sites.values() for s in group)
    offered = _services(b, services, highly_specialised, codependencies, all_sites, codes)
    _networks_and_budgets(b, networks, trust_icb, offered, codes)
    _pathways(b, pathways, population, practice_of, trust_icb, sites, offered)
    icb_region = dict(zip(icbs["icb_code"].astype(str), icbs["region_code"].astype(str), strict=True))
    for region in sorted(set(icb_region.values())):
        b.node(f"HUB-{region}", "CommissioningHub", f"Synthetic NHS England commissioning hub for {region}")
        b.edge(f"HUB-{region}", region, "PART_OF")
    nodes = pd.DataFrame(b.nodes)
    edges = pd.DataFrame(b.edges)
    flows = _flows(b, members, nodes, trust_icb, icb_region, activity_rate)
    return SyntheticSystem(nodes, edges, flows, seed)


def synthetic_event_codes(events: int, *, seed: int | Sequence[int] = 20261122, resources: int = 2_000,
                          mean_events_per_case: float = 9, stay: float = 0.7) -> pd.DataFrame:
    """A seeded event log as compact numbers, for logs too big to hold as text.

    Cases have a geometric number of events (mean ``mean_events_per_case``);
    a case stays with the same resource from one event to the next with
    probability ``stay``; gaps between a case's events are up to 6 hours;
    rows are in time order, so cases interleave.

    Returns
    -------
    pandas.DataFrame
        ``case_no``, ``seq`` (file order), ``activity`` (0-29), ``resource``
        (0 to ``resources - 1``) and ``seconds`` (Unix time), in time order.
    """
    rng = np.random.default_rng(seed)
    lengths = rng.geometric(1 / mean_events_per_case, size=events)
    lengths = lengths[np.cumsum(lengths) <= events]
    if (rest := events - int(lengths.sum())) > 0:
        lengths = np.append(lengths, rest)
    case = np.repeat(np.arange(len(lengths)), lengths)
    first = np.r_[True, case[1:] != case[:-1]]
    kept = (rng.random(events) < stay) & ~first
    last_change = np.maximum.accumulate(np.where(kept, 0, np.arange(events)))
    resource = rng.integers(0, resources, events)[last_change]
    gaps = np.where(first, 0, rng.integers(0, 6 * 3600, events))
    elapsed = np.cumsum(gaps)
    start = rng.integers(0, 365 * 86400, len(lengths)) - elapsed[first]
    seconds = 1_700_000_000 + np.repeat(start, lengths) + elapsed
    frame = pd.DataFrame({"case_no": case, "seq": np.arange(events), "activity": rng.integers(0, 30, events),
                          "resource": resource, "seconds": seconds})
    return frame.sort_values(["seconds", "case_no", "seq"], kind="mergesort", ignore_index=True)


def synthetic_event_log(events: int, *, seed: int = 20261122, resources: int = 2_000) -> pd.DataFrame:
    """A seeded event log of any size, readable: ``case_id``, ``activity``, ``resource``, ``timestamp``.

    The events of ``synthetic_event_codes`` with text ids (``C00000001``,
    ``act12``, ``R0042``) and ``timestamp`` as ``datetime64``.
    """
    codes = synthetic_event_codes(events, seed=seed, resources=resources)
    return pd.DataFrame({
        "case_id": "C" + codes["case_no"].astype(str).str.zfill(8),
        "activity": "act" + codes["activity"].astype(str),
        "resource": "R" + codes["resource"].astype(str).str.zfill(4),
        "timestamp": pd.to_datetime(codes["seconds"], unit="s"),
    })
