"""Checking a delegation plan for specialised services against co-dependencies, providers and networks.

``check_delegation(graph, plan)`` returns one row per finding, with columns
``FINDING_COLUMNS``: ``check``, ``severity`` (``error``, ``warning``,
``info``), the subjects (``services`` with their ``service_names``,
``commissioners``, ``sites`` and ``areas`` -- the ICB populations
concerned -- each ``;``-separated), the
co-dependency ``level`` where one is involved, a ``message`` and
``evidence``. The checks:

``codependency_split``
    A co-located (error) or in-reach (warning) co-dependency whose two
    services are planned for the same ICB population by different
    commissioners or at different tiers.
``depends_on_retained``
    A delegated service depending (at any level but ``none``) on a service
    NHS England retains (warning; the level is given).
``site_colocation``
    A provider offers a service at a site, but a co-located dependency of
    it is not provided at that site (error). Plan independent. A dependency
    the same provider offers without naming a site counts as present.
``tier_fit``
    A service planned at ICS tier where that ICB has no provider of it
    (warning), fewer than ``min_providers`` (info), or -- when flows are
    given -- keeps less than ``containment_threshold`` of its residents'
    activity with providers in the ICB (warning).
``network_alignment``
    A service whose clinical network spans several ICBs but which is
    planned at ICS tier for one or more of them (warning).
``plan_incomplete``
    A specialised service the plan says nothing about for an ICB population
    in its footprint (the ICBs any of its rows plan for), although a planned
    service depends on it there (error when co-located, warning otherwise)
    or a provider in that ICB offers it (warning): a plan that leaves a
    service out cannot be checked for it, so the omission is a finding.

For scenario search build a ``DelegationChecker`` once and call
``check(plan)`` for each alternative: the model frames, provider counts,
containment, network spans and site findings are computed only once.

The model may be a ``CareGraph`` or a database backend (``QueryRunner``):
the checks run on the frames ``delegation_frames`` reads from either, so
both give the same findings. The graph-local checks also exist as Cypher
for Neo4j Browser (``cypher/networks/codependency_split.cypher``,
``depends_on_retained.cypher`` and ``site_colocation.cypher``, the same
rows as the findings of those checks).

Examples
--------
>>> import caregraph as cg
>>> import pandas as pd
>>> g = cg.CareGraph()
>>> g.add_node("X24", "NHSEngland")
>>> g.add_node("QWE", "ICB")
>>> for svc in ("svc-mtc", "svc-neurosurgery"):
...     g.add_node(svc, "Service", specialised=True)
>>> _ = g.add_edge("svc-mtc", "svc-neurosurgery", "DEPENDS_ON", level="co-located")
>>> plan = pd.DataFrame({"service_id": ["svc-mtc", "svc-neurosurgery"], "commissioner_id": ["QWE", "X24"],
...                      "status": ["delegated", "retained"], "tier": ["multi-ics", "national"]})
>>> found = cg.check_delegation(g, plan)
>>> found[["check", "severity", "services", "areas"]].values.tolist()
[['codependency_split', 'error', 'svc-mtc;svc-neurosurgery', 'QWE'], \
['depends_on_retained', 'warning', 'svc-mtc;svc-neurosurgery', 'QWE']]
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from networks.choices import CHECKS, SEVERITIES
from networks.dates import AsAt, dated
from networks.errors import Problem, ValidationError
from networks.graph import CareGraph
from networks.query_runner import QueryRunner

from .activity import validate_flows
from .plans import NHS_ENGLAND_KINDS, plan_from_graph, resolve_plan, validate_plan
from .tables import DelegationFrames, frames_at

__all__ = [
    "FINDING_COLUMNS",
    "DelegationChecker",
    "check_delegation",
    "containment_by_icb",
    "findings_at_or_above",
    "located_flows",
    "network_spans",
    "providers_by_icb",
]

FINDING_COLUMNS = ("check", "severity", "services", "service_names", "commissioners", "sites", "areas", "level",
                   "message", "evidence")
_HARD = ("co-located", "in-reach")
_PAIR_KEYS = ("service_id", "depends_on", "level", "evidence", "who_a", "status_a", "tier_a", "who_b", "status_b",
              "tier_b")


Row = dict[str, Any]
_ORDER = {**{s: n for n, s in enumerate(SEVERITIES)}, **{c: n for n, c in enumerate(CHECKS)}}


def _findings(rows: list[Row]) -> pd.DataFrame:
    """The findings frame: rows sorted by severity, check, services, areas and sites; blanks as ``""``."""
    rows = sorted(rows, key=lambda r: (_ORDER[r["severity"]], _ORDER[r["check"]], r["services"],
                                       r.get("areas", ""), r.get("sites", "")))
    return pd.DataFrame({c: [row.get(c, "") for row in rows] for c in FINDING_COLUMNS}, dtype=object)


def _join(values: object) -> str:
    return ";".join(sorted(set(values)))  # type: ignore[call-overload]


def providers_by_icb(frames: DelegationFrames) -> pd.DataFrame:
    """Count each service's providers (trusts, a site counting as its trust) per ICB.

    Returns
    -------
    pandas.DataFrame
        ``service_id, icb_id, n_providers`` for every pair with at least one.

    Examples
    --------
    >>> import caregraph as cg
    >>> g = cg.CareGraph()
    >>> g.add_node("QWE", "ICB")
    >>> g.add_node("RJ7", "NHSTrust")
    >>> _ = g.add_edge("RJ7", "QWE", "LOCATED_IN")
    >>> g.add_node("svc-renal", "Service", specialised=True)
    >>> _ = g.add_edge("RJ7", "svc-renal", "PROVIDES")
    >>> providers_by_icb(cg.delegation_frames(g)).values.tolist()
    [['svc-renal', 'QWE', 1]]
    """
    located = frames.provision.merge(frames.locations, left_on="provider_id", right_on="organisation_id")
    counts = located.groupby(["service_id", "icb_id"]).provider_id.nunique()
    return counts.rename("n_providers").reset_index()


def located_flows(frames: DelegationFrames, flows: pd.DataFrame) -> pd.DataFrame:
    """Check flows and give each row the residents' ICB and the provider's ICB.

    Returns
    -------
    pandas.DataFrame
        ``service_id, icb_id`` (residents), ``provider_icb`` (``None`` for a
        provider outside the model), ``activity``.
    """
    checked = validate_flows(flows, frames)
    resident = frames.coverage[frames.coverage.commissioner_kind.isin(["ICB", "SubICBLocation"])]
    icb_of = dict(zip(resident["commissioner_id"], resident["icb_id"], strict=True))
    provider_icb = dict(zip(frames.locations["organisation_id"], frames.locations["icb_id"], strict=True))
    return pd.DataFrame({
        "service_id": checked["service_id"],
        "icb_id": checked["commissioner_id"].map(icb_of),
        "provider_icb": pd.Series([provider_icb.get(p) for p in checked["provider_id"]], dtype=object),
        "activity": checked["activity"],
    })


def containment_by_icb(located: pd.DataFrame) -> pd.DataFrame:
    """Share of each ICB's residents' activity for a service treated by providers in that ICB.

    Parameters
    ----------
    located : pandas.DataFrame
        From ``located_flows``.

    Returns
    -------
    pandas.DataFrame
        ``service_id, icb_id, inside, total, containment`` (``inside / total``;
        missing when the total is 0).

    Examples
    --------
    >>> import pandas as pd
    >>> located = pd.DataFrame({"service_id": ["s", "s"], "icb_id": ["QWE", "QWE"],
    ...                         "provider_icb": ["QWE", None], "activity": [30.0, 70.0]})
    >>> containment_by_icb(located).values.tolist()
    [['s', 'QWE', 30.0, 100.0, 0.3]]
    """
    inside = located["activity"].where(located["provider_icb"] == located["icb_id"], 0.0)
    table = located.assign(inside=inside).groupby(["service_id", "icb_id"])[["inside", "activity"]].sum()
    table = table.rename(columns={"activity": "total"}).reset_index()
    table["containment"] = table["inside"] / table["total"].where(table["total"] > 0)
    return table


def _site_colocation(frames: DelegationFrames, colocated: pd.DataFrame) -> list[Row]:
    provision = frames.provision
    at_site = provision[provision["site_id"].notna()]
    need = at_site.merge(colocated, on="service_id")
    if need.empty:
        return []
    site_has = at_site[["site_id", "service_id"]].rename(columns={"service_id": "depends_on"})
    trust_has = provision[provision["site_id"].isna()][["provider_id", "service_id"]].rename(
        columns={"service_id": "depends_on"})
    need = need.merge(site_has.assign(at_site=True), on=["site_id", "depends_on"], how="left")
    need = need.merge(trust_has.assign(at_trust=True), on=["provider_id", "depends_on"], how="left")
    missing = need[need["at_site"].isna() & need["at_trust"].isna()].drop_duplicates(
        ["site_id", "service_id", "depends_on"])
    icb_of = dict(zip(frames.locations["organisation_id"], frames.locations["icb_id"], strict=True))
    return [
        {"check": "site_colocation", "severity": "error", "services": f"{r.service_id};{r.depends_on}",
         "sites": r.site_id, "areas": icb_of.get(r.site_id) or "", "level": "co-located",
         "message": (f"{r.provider_id} offers {r.service_id} at site {r.site_id}, but {r.depends_on}, a "
                     f"co-located dependency of {r.service_id}, is not provided at {r.site_id}"),
         "evidence": r.evidence or ""}
        for r in missing.itertuples()
    ]


def network_spans(frames: DelegationFrames) -> pd.DataFrame:
    """List the ICBs each clinical network spans, for networks whose members sit in 2 or more ICBs.

    Returns
    -------
    pandas.DataFrame
        One row per network, service it coordinates and ICB spanned:
        ``network_id, network_name, service_id, span`` (all the ICBs,
        ``;``-separated) and ``icb_id``.
    """
    members = frames.members.merge(frames.locations, on="organisation_id")[["network_id", "icb_id"]]
    spans = members.drop_duplicates().groupby("network_id")["icb_id"].agg(_join).rename("span")
    spans = spans[spans.str.contains(";")]
    networks = frames.networks.merge(spans.reset_index(), on="network_id")
    rows = [(r.network_id, r.network_name or r.network_id, r.service_id, r.span, icb)
            for r in networks.itertuples() for icb in r.span.split(";")]
    return pd.DataFrame(rows, columns=["network_id", "network_name", "service_id", "span", "icb_id"])


def _describe(group: dict[str, Any], side: str) -> str:
    """``"delegated, multi-ics, by each ICB for itself"`` or ``"retained, national, by X24"``."""
    who = group[f"who_{side}"] or "each ICB for itself"
    return f"{group[f'status_{side}']}, {group[f'tier_{side}']}, by {who}"


class _Grid:
    """Flat positions of (service, ICB) pairs: per-plan lookups become array indexing instead of merges."""

    def __init__(self, services: list[str], icbs: list[str]) -> None:
        self.icbs = np.array(icbs, dtype=object)
        self._service = {s: n for n, s in enumerate(services)}
        self._icb = {c: n for n, c in enumerate(icbs)}
        self.size = len(services) * len(icbs)

    def service_codes(self, services: pd.Series) -> np.ndarray:
        """Row numbers of services (-1 for unknown ones)."""
        return services.map(self._service).fillna(-1).to_numpy(dtype=np.int64)

    def keys(self, services: pd.Series, icbs: pd.Series) -> np.ndarray:
        """Flat positions of (service, ICB) pairs (-1 where either is unknown)."""
        s = self.service_codes(services)
        i = icbs.map(self._icb).fillna(-1).to_numpy(dtype=np.int64)
        return np.where((s >= 0) & (i >= 0), s * len(self.icbs) + i, -1)

    def spread(self, keys: np.ndarray, values: pd.Series, fill: Any) -> np.ndarray:
        """An array over all pairs holding ``values`` at their ``keys`` and ``fill`` elsewhere."""
        out = np.full(self.size, fill, dtype=object if fill is None else float)
        out[keys[keys >= 0]] = values.to_numpy()[keys >= 0]
        return out


class DelegationChecker:
    """A model prepared for checking delegation plans, fast enough for scenario search.

    Parameters
    ----------
    model : CareGraph, QueryRunner or DelegationFrames
        The model in memory, a database backend that knows it (its frames
        are read with ``delegation_frames``), or frames already extracted.
    as_at : str, optional
        The day (``YYYY-MM-DD``): the graph as in force that day, and plan
        rows started by then. Default today (or, for frames, their date);
        ``"all"`` for every date. Findings say which in ``attrs["as_at"]``.
    flows : pandas.DataFrame, optional
        Resident flows (``loaders.delegation_inputs.read_flows``): enables the
        containment part of ``tier_fit``.
    min_providers : int
        Fewer providers than this in an ICB planning at ICS tier is reported
        (as info; none at all is a warning).
    containment_threshold : float
        Share of residents' activity, between 0 and 1, an ICS-tier ICB must
        keep with its own providers.

    Raises
    ------
    ValidationError
        Bad thresholds or flows.

    Examples
    --------
    >>> import caregraph as cg
    >>> checker = cg.DelegationChecker(cg.CareGraph())
    >>> checker.check().empty
    True
    """

    def __init__(
        self,
        model: CareGraph | QueryRunner | DelegationFrames,
        *,
        as_at: AsAt = None,
        flows: pd.DataFrame | None = None,
        min_providers: int = 2,
        containment_threshold: float = 0.5,
    ) -> None:
        problems = []
        if isinstance(min_providers, bool) or not isinstance(min_providers, int) or min_providers < 1:
            problems.append(Problem("min_providers", None, None, f"{min_providers!r} is not a whole number >= 1"))
        if not 0 <= containment_threshold <= 1:
            problems.append(Problem("containment_threshold", None, None,
                                    f"{containment_threshold!r} is not between 0 and 1"))
        if problems:
            raise ValidationError(problems)
        self.frames = frames_at(model, as_at)
        self.as_at = self.frames.as_at
        self.min_providers = min_providers
        self.containment_threshold = containment_threshold
        links = self.frames.codependencies
        links = links[links["level"] != "none"].assign(evidence=links["evidence"].fillna(""))
        colocated = links[links["level"] == "co-located"][["service_id", "depends_on", "evidence"]]
        self._site_findings = _site_colocation(self.frames, colocated)
        coverage, locations = self.frames.coverage, self.frames.locations
        self._nhse = set(coverage.loc[coverage.commissioner_kind.isin(NHS_ENGLAND_KINDS), "commissioner_id"])
        icbs = sorted(set(coverage["icb_id"]) | set(locations["icb_id"].dropna()))
        grid = self._grid = _Grid(list(self.frames.services["service_id"]), icbs)
        self._service_ids = [str(s) for s in self.frames.services["service_id"]]
        self._names = {str(s): str(n) for s, n in zip(self.frames.services["service_id"],
                                                      self.frames.services["name"].fillna(""), strict=True)}
        self._joined_names: dict[str, str] = {}
        located = self.frames.provision.merge(self.frames.locations, left_on="provider_id", right_on="organisation_id")
        self._offered_by = {(str(s), str(i)): _join(group) for (s, i), group
                            in located.groupby(["service_id", "icb_id"])["provider_id"]}
        self._specialised = self.frames.services["specialised"].to_numpy(dtype=bool)
        providers = providers_by_icb(self.frames)
        self._n_providers = grid.spread(grid.keys(providers.service_id, providers.icb_id), providers.n_providers, 0.0)
        contained = (containment_by_icb(located_flows(self.frames, flows)) if flows is not None
                     else pd.DataFrame(columns=["service_id", "icb_id", "inside", "total", "containment"]))
        keys = grid.keys(contained.service_id, contained.icb_id)
        self._containment = {c: grid.spread(keys, contained[c], float("nan"))
                             for c in ("inside", "total", "containment")}
        # every co-dependency x every ICB, as flat positions of the two services
        a, b = grid.service_codes(links.service_id), grid.service_codes(links.depends_on)
        known = links[(a >= 0) & (b >= 0)]
        self._link_columns = {c: known[c].to_numpy(dtype=object)
                              for c in ("service_id", "depends_on", "level", "evidence")}
        a, b, width = a[(a >= 0) & (b >= 0)], b[(a >= 0) & (b >= 0)], len(icbs)
        self._pair_a = (a[:, None] * width + np.arange(width)).ravel()
        self._pair_b = (b[:, None] * width + np.arange(width)).ravel()
        self._pair_link = np.repeat(np.arange(len(a)), width)
        self._pair_icb = np.tile(np.arange(width), len(a))
        spans = network_spans(self.frames)
        spans = spans.assign(key=grid.keys(spans.service_id, spans.icb_id))
        self._spans = spans[spans["key"] >= 0]

    def arrangements(self, plan: pd.DataFrame | None = None) -> pd.DataFrame:
        """Check a plan (default: the graph's ``COMMISSIONS``) and resolve it per service and ICB.

        Returns
        -------
        pandas.DataFrame
            ``service_id, icb_id, commissioner_id, status, tier``.
        """
        checked = plan_from_graph(self.frames) if plan is None else validate_plan(plan, self.frames)
        return resolve_plan(checked, self.frames, self.as_at)

    def check(self, plan: pd.DataFrame | None = None) -> pd.DataFrame:
        """Return every finding for a plan (default: the graph's ``COMMISSIONS``).

        Raises
        ------
        ValidationError
            If the plan names unknown services or commissioners, unknown
            statuses or tiers, or plans a service twice for one ICB.
        """
        arrangements = self.arrangements(plan)
        planned = self._planned(arrangements)
        pairs = self._pairs(planned)
        found = _findings([*self._splits(pairs), *self._retained(pairs), *self._site_findings,
                           *self._tier_fit(arrangements), *self._alignment(planned), *self._unplanned(planned)])
        found["service_names"] = found["services"].map(self._service_names)
        return dated(found, self.as_at)

    def _service_names(self, services: str) -> str:
        """The names of ``;``-separated service ids, in the same order (``""`` for a service without one)."""
        if services not in self._joined_names:  # kept: one checker serves many plans; the same pairs recur
            self._joined_names[services] = ";".join(self._names.get(s, "") for s in services.split(";"))
        return self._joined_names[services]

    def _planned(self, arrangements: pd.DataFrame) -> dict[str, np.ndarray]:
        """Commissioner, status and tier of every (service, ICB) pair (``None`` where unplanned)."""
        keys = self._grid.keys(arrangements.service_id, arrangements.icb_id)
        return {column: self._grid.spread(keys, arrangements[column], None)
                for column in ("commissioner_id", "status", "tier")}

    def _pairs(self, planned: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Each co-dependency with both services' arrangements, in each ICB planning both (columns as arrays).

        ``who_a`` and ``who_b`` are the commissioners, blank where an ICB
        commissions for itself, so that ICBs planning alike group together.
        """
        commissioner = planned["commissioner_id"]
        both = pd.notna(commissioner[self._pair_a]) & pd.notna(commissioner[self._pair_b])
        link = self._pair_link[both]
        pairs = {c: values[link] for c, values in self._link_columns.items()}
        pairs["icb_id"] = self._grid.icbs[self._pair_icb[both]]
        for side, keys in (("a", self._pair_a[both]), ("b", self._pair_b[both])):
            for name, column in (("commissioner", "commissioner_id"), ("status", "status"), ("tier", "tier")):
                pairs[f"{name}_{side}"] = planned[column][keys]
            who = pairs[f"commissioner_{side}"]
            pairs[f"who_{side}"] = np.where(who == pairs["icb_id"], "", who).astype(object)
        return pairs

    @staticmethod
    def _grouped(pairs: dict[str, np.ndarray], mask: np.ndarray) -> list[dict[str, Any]]:
        """One entry per co-dependency and pair of arrangements, with the ICBs and commissioners concerned."""
        groups: dict[tuple[Any, ...], tuple[list[str], list[bool]]] = {}
        same = (pairs["commissioner_a"][mask] == pairs["commissioner_b"][mask]).tolist()
        keys = zip(*(pairs[k][mask].tolist() for k in _PAIR_KEYS), strict=True)
        for key, icb, alike in zip(keys, pairs["icb_id"][mask].tolist(), same, strict=True):
            areas, alikes = groups.setdefault(key, ([], []))
            areas.append(icb)
            alikes.append(alike)
        out = []
        for key, (areas, alikes) in groups.items():
            entry = dict(zip(_PAIR_KEYS, key, strict=True))
            own = areas if "" in (entry["who_a"], entry["who_b"]) else []
            entry.update(areas=_join(areas), same_commissioner=all(alikes),
                         commissioners=_join([*own, *(w for w in (entry["who_a"], entry["who_b"]) if w)]))
            out.append(entry)
        return out

    def _splits(self, pairs: dict[str, np.ndarray]) -> list[Row]:
        hard = np.isin(pairs["level"], _HARD)
        split = hard & ((pairs["commissioner_a"] != pairs["commissioner_b"]) | (pairs["tier_a"] != pairs["tier_b"]))
        rows: list[Row] = []
        for g in self._grouped(pairs, split):
            how = [what for what, differs in (("by different commissioners", not g["same_commissioner"]),
                                              ("at different tiers", g["tier_a"] != g["tier_b"])) if differs]
            rows.append({
                "check": "codependency_split", "severity": "error" if g["level"] == "co-located" else "warning",
                "services": f"{g['service_id']};{g['depends_on']}", "commissioners": g["commissioners"],
                "areas": g["areas"], "level": g["level"], "evidence": g["evidence"],
                "message": (f"{g['service_id']} ({_describe(g, 'a')}) depends on {g['depends_on']} "
                            f"({_describe(g, 'b')}) as {g['level']}, but for {g['areas']} they are planned "
                            f"{' and '.join(how)}: plan them together"),
            })
        return rows

    def _retained(self, pairs: dict[str, np.ndarray]) -> list[Row]:
        hit = ((pairs["status_a"] == "delegated") & (pairs["status_b"] == "retained")
               & np.isin(pairs["commissioner_b"], list(self._nhse)))
        return [
            {"check": "depends_on_retained", "severity": "warning",
             "services": f"{g['service_id']};{g['depends_on']}", "commissioners": g["commissioners"],
             "areas": g["areas"], "level": g["level"], "evidence": g["evidence"],
             "message": (f"for {g['areas']}, {g['service_id']} ({_describe(g, 'a')}) depends on "
                         f"{g['depends_on']} ({g['level']}), which NHS England retains ({_describe(g, 'b')})")}
            for g in self._grouped(pairs, hit)
        ]

    def _unplanned(self, planned: dict[str, np.ndarray]) -> list[Row]:
        """Specialised services missing from the plan in its footprint, though depended on or provided there."""
        grid, width = self._grid, len(self._grid.icbs)
        is_planned = pd.notna(planned["commissioner_id"])
        footprint = np.zeros(width, dtype=bool)
        footprint[np.flatnonzero(is_planned) % width] = True
        missing = ~is_planned & np.repeat(self._specialised, width) & np.tile(footprint, len(self._specialised))
        needed = missing[self._pair_b] & is_planned[self._pair_a]
        reasons: dict[tuple[str, str], list[tuple[str, str]]] = {}
        for link, icb in zip(self._pair_link[needed], self._pair_icb[needed], strict=True):
            key = (str(self._link_columns["depends_on"][link]), str(grid.icbs[icb]))
            reasons.setdefault(key, []).append((str(self._link_columns["service_id"][link]),
                                                str(self._link_columns["level"][link])))
        provided = np.flatnonzero(missing & (self._n_providers > 0))
        for position in provided:
            reasons.setdefault((self._service_ids[position // width], str(grid.icbs[position % width])), [])
        groups: dict[tuple[str, tuple[tuple[str, str], ...], str], list[str]] = {}
        for (service, icb), reasons_here in reasons.items():
            offered = self._offered_by.get((service, icb), "")
            groups.setdefault((service, tuple(sorted(set(reasons_here))), offered), []).append(icb)
        commissioner = planned["commissioner_id"]
        rows = []
        for (service, dependents, offered), icbs in sorted(groups.items()):
            areas = _join(icbs)
            keys = grid.keys(pd.Series([d for d, _ in dependents for _ in icbs], dtype=object),
                             pd.Series([icb for _ in dependents for icb in icbs], dtype=object))
            why = [f"{dependant} depends on it ({level})" for dependant, level in dependents]
            if offered:
                names = offered.split(";")
                why.append(f"{' and '.join(names)} offer{'s' if len(names) == 1 else ''} it there")
            rows.append({
                "check": "plan_incomplete",
                "severity": "error" if any(level == "co-located" for _, level in dependents) else "warning",
                "services": _join([service, *(d for d, _ in dependents)]), "areas": areas,
                "commissioners": _join(commissioner[keys]),
                "level": ";".join(sorted({level for _, level in dependents})),
                "evidence": "plan has no row for it",
                "message": (f"{service} is not in the plan for {areas}, but {' and '.join(why)}: say who "
                            f"commissions it there"),
            })
        return rows

    def _tier_fit(self, arrangements: pd.DataFrame) -> list[Row]:
        ics = arrangements[arrangements["tier"] == "ics"]
        keys = self._grid.keys(ics.service_id, ics.icb_id)
        ics = ics.assign(n_providers=self._n_providers[keys],
                         **{c: values[keys] for c, values in self._containment.items()})
        few = ics["n_providers"] < self.min_providers
        low = ics["containment"] < self.containment_threshold
        ics = ics[few | low]
        rows = []
        suggestion = "plan it across several ICBs (multi-ics) or the region"
        columns = ("service_id", "icb_id", "commissioner_id", "n_providers", "containment", "inside", "total")
        for service, icb, commissioner, n, share, inside, total in zip(
                *(ics[c].tolist() for c in columns), strict=True):
            n = int(n)
            by = "" if commissioner == icb else f" by {commissioner}"
            start = f"{service} is planned at ICS tier for {icb}{by}, but"
            base = {"check": "tier_fit", "services": service, "commissioners": commissioner, "areas": icb}
            if n < self.min_providers:
                rows.append({**base, "severity": "warning" if n == 0 else "info", "evidence": f"providers={n}",
                             "message": (f"{start} {icb} has no provider of it: {suggestion}" if n == 0
                                         else f"{start} {icb} has only {n} provider(s), fewer than "
                                         f"{self.min_providers}: consider multi-ics or region")})
            if share < self.containment_threshold:
                rows.append({**base, "severity": "warning",
                             "evidence": f"containment={share:.2f} ({inside:g} of {total:g})",
                             "message": (f"{start} only {share:.0%} of its residents' activity is with providers "
                                         f"in {icb} (threshold {self.containment_threshold:.0%}): {suggestion}")})
        return rows

    def _alignment(self, planned: dict[str, np.ndarray]) -> list[Row]:
        keys = self._spans["key"].to_numpy()
        at_ics = planned["tier"][keys] == "ics"
        hit = self._spans[at_ics].assign(commissioner_id=planned["commissioner_id"][keys[at_ics]])
        rows = []
        for (network, name, service, span), group in hit.groupby(
                ["network_id", "network_name", "service_id", "span"], sort=True):
            areas = _join(group["icb_id"])
            rows.append({
                "check": "network_alignment", "severity": "warning", "services": service,
                "commissioners": _join(group["commissioner_id"]), "areas": areas, "evidence": f"network={network}",
                "message": (f"{name} spans {span}, but {service} is planned ICB by ICB (ics tier for {areas}): "
                            "plan it across the network's footprint (multi-ics or region)"),
            })
        return rows


def check_delegation(
    graph: CareGraph | QueryRunner | DelegationFrames,
    plan: pd.DataFrame | None = None,
    *,
    as_at: AsAt = None,
    flows: pd.DataFrame | None = None,
    min_providers: int = 2,
    containment_threshold: float = 0.5,
) -> pd.DataFrame:
    """Check a delegation plan; return one row per finding (``FINDING_COLUMNS``).

    Parameters
    ----------
    graph : CareGraph, QueryRunner or DelegationFrames
        The model in memory, in a database (e.g.
        ``cg.Neo4jBackend(model="...")``: the same findings), or
        its frames.
    plan : pandas.DataFrame, optional
        A plan (see ``networks.delegation.plans``); default: the graph's ``COMMISSIONS``.
    as_at, flows, min_providers, containment_threshold
        As for ``DelegationChecker``.

    Returns
    -------
    pandas.DataFrame
        Findings sorted by severity, check, services and areas.

    Raises
    ------
    ValidationError
        Invalid plan, flows or thresholds, with every problem listed.

    Examples
    --------
    >>> import caregraph as cg
    >>> found = cg.check_delegation(cg.CareGraph())
    >>> list(found.columns) == list(cg.FINDING_COLUMNS), len(found)
    (True, 0)
    """
    checker = DelegationChecker(graph, as_at=as_at, flows=flows, min_providers=min_providers,
                                containment_threshold=containment_threshold)
    return checker.check(plan)


def findings_at_or_above(findings: pd.DataFrame, severity: str) -> pd.DataFrame:
    """Return the findings whose severity is ``severity`` or worse.

    Examples
    --------
    >>> import caregraph as cg
    >>> import pandas as pd
    >>> found = pd.DataFrame({"severity": ["error", "warning", "info"]})
    >>> cg.findings_at_or_above(found, "warning")["severity"].tolist()
    ['error', 'warning']
    """
    if severity not in SEVERITIES:
        raise ValidationError([Problem("severity", None, None,
                                       f"unknown level '{severity}'; one of: {', '.join(SEVERITIES)}")])
    worst = SEVERITIES[: SEVERITIES.index(severity) + 1]
    return findings[findings["severity"].isin(worst)]
