"""Delegation bundles: the groups of services that must move together.

Two services joined by a co-located or in-reach co-dependency (in either
direction) cannot sensibly be commissioned apart, so the connected
components of those links are the bundles a delegation plan should keep
whole. Networked links and level ``none`` do not bind services together.

Spend is not part of the graph schema; pass it in (``spend``, e.g. from
``loaders.delegation_inputs.read_spend``) and each bundle sums what is
known, saying for how many of its services.

``delegation_bundles`` takes a ``CareGraph`` or a database backend
(``QueryRunner``, through ``delegation_frames``); in Neo4j Browser
``cypher/networks/delegation_bundles.cypher`` lists the same bundles.

Examples
--------
>>> import caregraph as cg
>>> g = cg.CareGraph()
>>> for svc in ("mtc", "neuro", "pci", "surgery"):
...     g.add_node(svc, "Service", specialised=True)
>>> _ = g.add_edge("mtc", "neuro", "DEPENDS_ON", level="co-located")
>>> _ = g.add_edge("pci", "surgery", "DEPENDS_ON", level="networked")
>>> cg.delegation_bundles(g)[["bundle", "services", "n_links", "split"]].values.tolist()
[['bundle-1', 'mtc;neuro', 1, False]]
"""

from __future__ import annotations

from collections.abc import Mapping

import networkx as nx
import pandas as pd

from networks.dates import AsAt, dated
from networks.graph import CareGraph
from networks.query_runner import QueryRunner

from .activity import validate_spend
from .plans import plan_from_graph, resolve_plan, validate_plan
from .tables import DelegationFrames, frames_at

__all__ = ["BUNDLE_COLUMNS", "bundle_membership", "delegation_bundles", "split_bundles"]

BUNDLE_COLUMNS = ("bundle", "services", "n_services", "n_links", "n_providers", "spend_gbp", "spend_known",
                  "split", "split_areas")
_HARD = ("co-located", "in-reach")


def bundle_membership(codependencies: pd.DataFrame) -> pd.DataFrame:
    """Assign each service with a co-located or in-reach link to its bundle.

    Bundles are the connected components of those links (undirected),
    numbered ``bundle-1``, ``bundle-2``, ... from the largest; ties by first
    service id.

    Parameters
    ----------
    codependencies : pandas.DataFrame
        ``service_id, depends_on, level`` (the ``codependencies`` frame).

    Returns
    -------
    pandas.DataFrame
        ``service_id, bundle``, sorted by bundle then service.

    Examples
    --------
    >>> import pandas as pd
    >>> links = pd.DataFrame({"service_id": ["a", "c"], "depends_on": ["b", "d"],
    ...                       "level": ["in-reach", "co-located"]})
    >>> bundle_membership(links).values.tolist()
    [['a', 'bundle-1'], ['b', 'bundle-1'], ['c', 'bundle-2'], ['d', 'bundle-2']]
    """
    hard = codependencies[codependencies["level"].isin(_HARD)]
    links = nx.Graph()
    links.add_edges_from(zip(hard["service_id"], hard["depends_on"], strict=True))
    components = sorted((sorted(c) for c in nx.connected_components(links)), key=lambda c: (-len(c), c[0]))
    rows = [(service, f"bundle-{n}") for n, members in enumerate(components, start=1) for service in members]
    return pd.DataFrame(rows, columns=["service_id", "bundle"], dtype=object)


def split_bundles(membership: pd.DataFrame, arrangements: pd.DataFrame) -> pd.DataFrame:
    """Find the ICBs for which a plan splits each bundle.

    A bundle is split for an ICB when the bundle's services planned for that
    ICB do not all have the same commissioner and tier.

    Parameters
    ----------
    membership : pandas.DataFrame
        From ``bundle_membership``.
    arrangements : pandas.DataFrame
        From ``networks.delegation.plans.resolve_plan`` (or ``DelegationChecker.arrangements``).

    Returns
    -------
    pandas.DataFrame
        ``bundle, split_areas`` (``;``-separated ICBs) for split bundles only.

    Examples
    --------
    >>> import pandas as pd
    >>> members = pd.DataFrame({"service_id": ["a", "b"], "bundle": ["bundle-1", "bundle-1"]})
    >>> plan = pd.DataFrame({"service_id": ["a", "b"], "icb_id": ["QWE", "QWE"],
    ...                      "commissioner_id": ["QWE", "X24"], "status": ["delegated", "retained"],
    ...                      "tier": ["ics", "national"]})
    >>> split_bundles(members, plan).values.tolist()
    [['bundle-1', 'QWE']]
    """
    planned = membership.merge(arrangements, on="service_id")
    distinct = planned.drop_duplicates(["bundle", "icb_id", "commissioner_id", "tier"])
    counts = distinct.groupby(["bundle", "icb_id"]).size()
    split = counts[counts > 1].reset_index()
    areas = split.groupby("bundle")["icb_id"].agg(lambda icbs: ";".join(sorted(icbs)))
    return areas.rename("split_areas").reset_index()


def delegation_bundles(
    graph: CareGraph | QueryRunner | DelegationFrames,
    plan: pd.DataFrame | None = None,
    *,
    as_at: AsAt = None,
    spend: Mapping[str, float] | pd.Series | pd.DataFrame | None = None,
) -> pd.DataFrame:
    """List the bundles of services that must move together, and which ones a plan splits.

    Parameters
    ----------
    graph : CareGraph, QueryRunner or DelegationFrames
        The model in memory, in a database (e.g.
        ``cg.Neo4jBackend(model="...")``: the same bundles), or
        its frames.
    plan : pandas.DataFrame, optional
        A delegation plan (see ``networks.delegation.plans``); default: the graph's
        ``COMMISSIONS`` relationships.
    as_at : str, optional
        ISO date for the graph and the plan.
    spend : mapping, Series or DataFrame, optional
        Annual spend in pounds by service id, where known: a mapping or
        Series of numbers, or a table with ``service_id`` and ``spend_gbp``
        (such as ``loaders.delegation_inputs.read_spend`` returns), which is
        checked against the model.

    Returns
    -------
    pandas.DataFrame
        ``BUNDLE_COLUMNS``: services (``;``-separated), number of services
        and of co-located/in-reach links, number of providers (trusts)
        offering any of the services, spend of the services with a known
        spend (missing if none) and for how many (``"2 of 3"``), whether the
        plan splits the bundle and for which ICBs.

    Raises
    ------
    ValidationError
        If the plan is invalid.

    Examples
    --------
    >>> import caregraph as cg
    >>> g = cg.CareGraph()
    >>> for svc in ("nicu", "obstetrics"):
    ...     g.add_node(svc, "Service", specialised=svc == "nicu")
    >>> _ = g.add_edge("nicu", "obstetrics", "DEPENDS_ON", level="co-located")
    >>> cg.delegation_bundles(g, spend={"nicu": 2.5e6})[["services", "spend_gbp", "spend_known"]].values.tolist()
    [['nicu;obstetrics', 2500000.0, '1 of 2']]
    """
    frames = frames_at(graph, as_at)
    membership = bundle_membership(frames.codependencies)
    checked = plan_from_graph(frames) if plan is None else validate_plan(plan, frames)
    splits = split_bundles(membership, resolve_plan(checked, frames))
    if isinstance(spend, pd.DataFrame):
        spend = validate_spend(spend, frames)
    known = pd.Series(dict(spend) if spend is not None else {}, dtype=float)
    hard = frames.codependencies[frames.codependencies["level"].isin(_HARD)]
    bundle_of = dict(zip(membership["service_id"], membership["bundle"], strict=True))
    links = hard["service_id"].map(bundle_of).value_counts()
    providers = frames.provision.assign(bundle=frames.provision["service_id"].map(bundle_of))
    n_providers = providers.dropna(subset=["bundle"]).groupby("bundle")["provider_id"].nunique()
    split_areas = dict(zip(splits["bundle"], splits["split_areas"], strict=True))
    rows = []
    for bundle, group in membership.groupby("bundle", sort=False):
        services = list(group["service_id"])
        with_spend = [s for s in services if s in known.index]
        rows.append({
            "bundle": bundle, "services": ";".join(services), "n_services": len(services),
            "n_links": int(links.get(bundle, 0)), "n_providers": int(n_providers.get(bundle, 0)),
            "spend_gbp": float(known[with_spend].sum()) if with_spend else float("nan"),
            "spend_known": f"{len(with_spend)} of {len(services)}",
            "split": bundle in split_areas, "split_areas": split_areas.get(bundle, ""),
        })
    return dated(pd.DataFrame(rows, columns=list(BUNDLE_COLUMNS)), frames.as_at)
