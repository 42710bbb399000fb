"""Where residents live and providers sit, on the geography in force on a date.

A flow row names a commissioner and a provider. ``locate`` places both on
the geography of one day, through the model's dated relationships:

* a **sub-ICB location** (or an ICB) stands for its residents: they live in
  the ICB it is ``PART_OF`` that day, in that ICB's region. So the same
  rows fall on the 42 ICBs as at 2026-03-31 and on the 36 from 2026-04-01;
* a **provider** sits in the ICB it is ``LOCATED_IN`` (a site through its
  trust; a practice or PCN through its sub-ICB location). A provider that
  has closed by the date keeps the ICB it was last in, while that ICB
  exists: its past activity happened there;
* NHS England **commissioning hubs**, NHS England regions and NHS England
  commissioning directly, and ``NONC`` (non-contracted activity), do not say
  where the patients live: they are kept as their own categories, never
  dropped and never guessed into an ICB.

A sub-ICB location with no ICB that day (one not yet created, or one whose
ICB has ended with no successor, like Frimley's D4U1Y after March 2026) is
its own category too (``no_icb``). An id that is not an organisation of the
model at all is an error, unless the caller asks to skip it
(``check_organisations``).

Examples
--------
>>> import caregraph as cg
>>> g = cg.CareGraph()
>>> g.add_node("Y56", "NHSERegion", name="London")
>>> g.add_node("QWE", "ICB", name="South West London")
>>> _ = g.add_edge("QWE", "Y56", "PART_OF")
>>> g.add_node("36L", "SubICBLocation")
>>> _ = g.add_edge("36L", "QWE", "PART_OF")
>>> g.add_node("RJ7", "NHSTrust")
>>> _ = g.add_edge("RJ7", "QWE", "LOCATED_IN")
>>> flows = pd.DataFrame({"commissioner_id": ["36L", "NONC"], "provider_id": ["RJ7", "RJ7"]})
>>> places = locate(g, flows, "2026-05-01")
>>> places.commissioners[["commissioner_id", "category", "icb", "region"]].values.tolist()
[['36L', 'residents', 'QWE', 'Y56'], ['NONC', 'non_contracted', None, None]]
>>> places.providers.values.tolist()
[['RJ7', 'QWE', 'Y56']]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import networkx as nx
import pandas as pd

from networks.choices import UNKNOWN_POLICIES, check_choice
from networks.errors import Problem, ValidationError
from networks.graph import CareGraph
from networks.schema import kinds_with_label
from networks.values import in_force, tidy_frame

from .table import NON_CONTRACTED, check_flows
from .unknown_ids import row_count, row_list, unknown_id_counts, unknown_ids

__all__ = [
    "CATEGORIES",
    "NO_ICB",
    "Places",
    "check_organisation_counts",
    "check_organisations",
    "checked_flows",
    "icb_on",
    "locate",
    "locate_ids",
    "region_on",
]

CATEGORIES: dict[str, str] = {
    "residents": "residents of the area",
    "no_icb": "residents of a sub-ICB location in no ICB on this date",
    "nhse_hub": "NHS England commissioning hub: where the patients live is not given",
    "nhse_region": "NHS England region as commissioner: where the patients live is not given",
    "nhs_england": "NHS England as commissioner: where the patients live is not given",
    "non_contracted": "non-contracted activity (NONC): no commissioner, where the patients live is not given",
    "other_commissioner": "a commissioner not placed in an ICB (CCG, local authority)",
}
"""What a commissioner tells about where its patients live: one category per commissioner."""

NO_ICB = "(no ICB)"
"""The area of a provider that is in no ICB on the date (e.g. a Welsh trust)."""

_CATEGORY_OF_KIND = {
    "CommissioningHub": "nhse_hub",
    "NHSERegion": "nhse_region",
    "NHSEngland": "nhs_england",
    "CCG": "other_commissioner",
    "LocalAuthority": "other_commissioner",
}
_PROVIDER_KINDS = frozenset(kinds_with_label("Provider"))
_COMMISSIONER_KINDS = frozenset(kinds_with_label("Commissioner"))
_ABOVE = ("LOCATED_IN", "PART_OF")
_ROLES = (("commissioner_id", _COMMISSIONER_KINDS, "commissioner"),
          ("provider_id", _PROVIDER_KINDS | {"LocalAuthority"}, "provider"))
"""Each id column of a flow table, the kinds of organisation it may name, and what they are called."""
_KNOWN_AS = "an organisation of the model"


@dataclass(frozen=True)
class Places:
    """Where each commissioner's residents live and each provider sits, on one day.

    Attributes
    ----------
    day : str
        The ISO date whose geography is used.
    commissioners : pandas.DataFrame
        ``commissioner_id``, ``category`` (a key of ``CATEGORIES``),
        ``sub_icb`` (the sub-ICB location, when the commissioner is one),
        ``icb`` and ``region`` (``None`` unless ``category`` is ``residents``).
    providers : pandas.DataFrame
        ``provider_id``, ``icb`` (``NO_ICB`` when in none that day) and
        ``region`` (the ICB's region; the provider's own ``LOCATED_IN``
        region when it has no ICB, else ``NO_ICB``).
    """

    day: str
    commissioners: pd.DataFrame
    providers: pd.DataFrame


def _links(view: nx.MultiDiGraph, node: str, day: str | None, target_kind: str,
           through: frozenset[str], seen: frozenset[str]) -> list[tuple[bool, str, str]]:
    """(link in force, link's last day, target) for every way up from ``node`` to a ``target_kind`` in force."""
    found: list[tuple[bool, str, str]] = []
    for _, target, attrs in view.out_edges(node, data=True):
        if attrs["type"] not in _ABOVE or target in seen:
            continue
        kind = view.nodes[target]["kind"]
        if kind == target_kind:
            targets = [target] if in_force(view.nodes[target], day) else []
        elif kind in through:
            targets = [t for _, _, t in _links(view, target, day, target_kind, through, seen | {node})]
        else:
            continue
        found += [(in_force(attrs, day), attrs.get("valid_to") or "9999-12-31", t) for t in targets]
    return found


def _pick(links: list[tuple[bool, str, str]], node: str, what: str) -> str | None:
    """The target of the links in force; else of the latest ended link; several at once is a model error."""
    current = sorted({target for now, _, target in links if now})
    if len(current) > 1:
        raise ValidationError([Problem(f"organisation '{node}'", None, None,
                                       f"is in several {what}s on the date ({', '.join(current)})")])
    if current:
        return current[0]
    ended = sorted(links, key=lambda link: (link[1], link[2]))
    return ended[-1][2] if ended else None


def icb_on(graph: CareGraph, node: str, day: str | None) -> str | None:
    """Return the ICB an organisation is in on ``day``, or ``None``.

    Parameters
    ----------
    graph : CareGraph
        The model, with every dated version (not taken as at a date).
    node : str
        An ICB, a sub-ICB location (``PART_OF`` an ICB) or a provider
        (``LOCATED_IN`` an ICB or sub-ICB location, or ``PART_OF`` one that
        is: a site's trust, a practice's PCN or sub-ICB location).
    day : str or None
        ISO date; ``None`` for no date filter (an undated model).

    Raises
    ------
    networks.errors.ValidationError
        The organisation is in several ICBs on the day.

    Examples
    --------
    >>> import caregraph as cg
    >>> g = cg.reference_graph("all", practices=False)
    >>> icb_on(g, "99E", "2026-03-31"), icb_on(g, "99E", "2026-04-01")
    ('QH8', 'D7T5G')
    >>> icb_on(g, "D4U1Y", "2026-04-01") is None  # Frimley: no ICB in the sources after March 2026
    True
    """
    view = graph.nx
    if view.nodes[node]["kind"] == "ICB":
        return node if in_force(view.nodes[node], day) else None
    through = _PROVIDER_KINDS | {"SubICBLocation"}
    return _pick(_links(view, node, day, "ICB", through, frozenset()), node, "ICB")


def region_on(graph: CareGraph, node: str, day: str | None) -> str | None:
    """Return the NHS England region an ICB is ``PART_OF`` (a provider: ``LOCATED_IN``) on ``day``, or ``None``.

    Examples
    --------
    >>> import caregraph as cg
    >>> region_on(cg.reference_graph("all", practices=False), "QWE", "2026-05-01")
    'Y56'
    """
    return _pick(_links(graph.nx, node, day, "NHSERegion", frozenset(), frozenset()), node, "region")


def _commissioner_row(graph: CareGraph, code: str, day: str) -> dict[str, Any]:
    if code == NON_CONTRACTED and code not in graph:
        return {"commissioner_id": code, "category": "non_contracted", "sub_icb": None, "icb": None, "region": None}
    kind = graph.kind(code)
    sub_icb = code if kind == "SubICBLocation" else None
    icb = icb_on(graph, code, day) if kind in ("SubICBLocation", "ICB") else None
    if kind in ("SubICBLocation", "ICB"):
        category = "residents" if icb is not None else "no_icb"
    else:
        category = _CATEGORY_OF_KIND[kind]
    region = region_on(graph, icb, day) if icb is not None else None
    return {"commissioner_id": code, "category": category, "sub_icb": sub_icb, "icb": icb, "region": region}


def _provider_row(graph: CareGraph, code: str, day: str) -> dict[str, Any]:
    icb = icb_on(graph, code, day)
    region = region_on(graph, code if icb is None else icb, day) or NO_ICB
    return {"provider_id": code, "icb": icb or NO_ICB, "region": region}


def locate(graph: CareGraph, flows: pd.DataFrame, day: str) -> Places:
    """Place every commissioner and provider of a flow table on the geography of ``day``.

    Parameters
    ----------
    graph : CareGraph
        The model, with every dated version (not taken as at a date): its
        dated relationships say which ICB each organisation is in that day.
    flows : pandas.DataFrame
        With ``commissioner_id`` and ``provider_id``; every id an
        organisation of ``graph`` (``check_organisations``), or ``NONC``.
    day : str
        ISO date.

    Returns
    -------
    Places
    """
    return locate_ids(graph, flows["commissioner_id"], flows["provider_id"], day)


def locate_ids(graph: CareGraph, commissioners: Iterable[str], providers: Iterable[str], day: str) -> Places:
    """As ``locate``, given the ids themselves (each may repeat): the ids of a Spark DataFrame, say.

    Examples
    --------
    >>> import caregraph as cg
    >>> g = cg.CareGraph()
    >>> g.add_node("RJ7", "NHSTrust")
    >>> locate_ids(g, ["NONC"], ["RJ7", "RJ7"], "2026-05-01").providers.values.tolist()
    [['RJ7', '(no ICB)', '(no ICB)']]
    """
    return Places(
        day,
        pd.DataFrame([_commissioner_row(graph, c, day) for c in sorted(set(commissioners))],
                     columns=["commissioner_id", "category", "sub_icb", "icb", "region"], dtype=object),
        pd.DataFrame([_provider_row(graph, p, day) for p in sorted(set(providers))],
                     columns=["provider_id", "icb", "region"], dtype=object),
    )


def _known(graph: CareGraph, field: str) -> Callable[[str], bool]:
    def known(code: str) -> bool:
        return code in graph or (field == "commissioner_id" and code == NON_CONTRACTED)
    return known


def _wrong_kind(graph: CareGraph, code: str, allowed: frozenset[str], role: str) -> str | None:
    """Why ``code`` cannot stand in its column (a provider given as commissioner, say), or ``None``."""
    if code in graph and graph.kind(code) not in allowed:
        return f"'{code}' is a {graph.kind(code)}, not a {role}"
    return None


def check_organisations(flows: pd.DataFrame, graph: CareGraph, unknown: str = "error") -> pd.DataFrame:
    """Check that every commissioner and provider of a checked flow table is an organisation of the model.

    Parameters
    ----------
    flows : pandas.DataFrame
        From ``networks.flows.table.check_flows`` (with ``row`` and
        ``attrs["source"]``).
    graph : CareGraph
        The model (every date).
    unknown : {"error", "skip"}
        What to do with ids that are not organisations of the model:
        ``"error"`` (default) raises; ``"skip"`` drops their rows and lists
        them in ``attrs["skipped"]``.

    Returns
    -------
    pandas.DataFrame
        The rows kept; ``attrs["skipped"]`` is a frame with one row per
        skipped id: ``field``, ``id``, ``rows``, ``n_rows``, ``activity``
        (empty when nothing was skipped).

    Raises
    ------
    networks.errors.ValidationError
        One problem per unknown id (with ``unknown="error"``), naming its
        first row, its rows and its activity; and, whatever ``unknown`` says,
        one per id of the wrong kind (a provider given as commissioner, or
        the reverse).

    Examples
    --------
    >>> import caregraph as cg
    >>> g = cg.CareGraph()
    >>> g.add_node("QWE", "ICB")
    >>> g.add_node("RJ7", "NHSTrust")
    >>> flows = cg.check_flows(pd.DataFrame({"commissioner_id": ["QWE", "QXX", "QXX"],
    ...                                      "provider_id": ["RJ7", "RJ7", "RJZ"], "activity": [5, 7, 3]}))
    >>> check_organisations(flows, g)
    Traceback (most recent call last):
    ...
    networks.errors.ValidationError: 2 problems:
      flows, row 3, field 'commissioner_id': 'QXX' is not an organisation of the model (rows 3, 4; activity 10)
      flows, row 4, field 'provider_id': 'RJZ' is not an organisation of the model (row 4; activity 3)
    >>> kept = check_organisations(flows, g, unknown="skip")
    >>> len(kept), kept.attrs["skipped"][["field", "id", "n_rows", "activity"]].values.tolist()
    (1, [['commissioner_id', 'QXX', 2, 10.0], ['provider_id', 'RJZ', 1, 3.0]])
    """
    check_choice("unknown", unknown, UNKNOWN_POLICIES)
    source = flows.attrs.get("source", "flows")
    problems: list[Problem] = []
    skipped: list[pd.DataFrame] = []
    drop = pd.Series(False, index=flows.index)
    for field, allowed, role in _ROLES:
        found = unknown_ids(flows, field, _known(graph, field), _KNOWN_AS, unknown, source)
        problems += found.problems
        drop |= found.dropped
        skipped.append(found.skipped)
        for code in sorted(str(c) for c in pd.unique(flows[field])):
            if (wrong := _wrong_kind(graph, code, allowed, role)) is not None:
                rows = flows[flows[field] == code]
                numbers = rows["row"].tolist()
                where = (f"row{'s' if len(numbers) > 1 else ''} {row_list(numbers)}; "
                         f"activity {rows['activity'].sum():g}")
                problems.append(Problem(source, min(numbers), field, f"{wrong} ({where})"))
    if problems:
        raise ValidationError(sorted(problems, key=lambda p: (p.row or 0, p.field or "")))
    kept = flows[~drop].reset_index(drop=True)
    kept.attrs = dict(flows.attrs)
    kept.attrs["skipped"] = pd.concat(skipped, ignore_index=True)
    return kept


def check_organisation_counts(counts: dict[str, pd.DataFrame], graph: CareGraph, unknown: str = "error",
                              source: str = "flows") -> tuple[list[Problem], pd.DataFrame]:
    """``check_organisations`` for a flow table summed per id (a Spark DataFrame's, whose rows stay in Spark).

    Parameters
    ----------
    counts : dict
        For ``commissioner_id`` and ``provider_id``, a frame with one row
        per id: ``id``, ``n_rows``, ``activity``.
    graph, unknown
        As for ``check_organisations``.
    source : str
        How problems name the table.

    Returns
    -------
    problems : list of Problem
        Unknown ids (``unknown="error"``) and ids of the wrong kind, each
        with how many rows and how much activity.
    skipped : pandas.DataFrame
        One row per id skipped with ``unknown="skip"`` (``SKIPPED_COLUMNS``).

    Examples
    --------
    >>> import caregraph as cg
    >>> g = cg.CareGraph()
    >>> g.add_node("QWE", "ICB"); g.add_node("RJ7", "NHSTrust")
    >>> counts = {"commissioner_id": pd.DataFrame({"id": ["RJ7", "QXX"], "n_rows": [1, 2], "activity": [5.0, 9.0]}),
    ...           "provider_id": pd.DataFrame({"id": ["RJ7"], "n_rows": [3], "activity": [14.0]})}
    >>> problems, _ = check_organisation_counts(counts, g)
    >>> for problem in problems:
    ...     print(problem.message)
    'QXX' is not an organisation of the model (2 rows; activity 9)
    'RJ7' is a NHSTrust, not a commissioner (1 row; activity 5)
    """
    problems: list[Problem] = []
    skipped: list[pd.DataFrame] = []
    for field, allowed, role in _ROLES:
        found, dropped = unknown_id_counts(counts[field], field, _known(graph, field), _KNOWN_AS, unknown, source)
        problems += found
        skipped.append(dropped)
        for code, n, activity in counts[field].sort_values("id")[["id", "n_rows", "activity"]].itertuples(
                index=False):
            if (wrong := _wrong_kind(graph, str(code), allowed, role)) is not None:
                problems.append(Problem(source, None, field,
                                        f"{wrong} ({row_count(n)}; activity {activity:g})"))
    return problems, pd.concat(skipped, ignore_index=True)


def _readable_ids(flows: pd.DataFrame) -> pd.DataFrame:
    """The rows whose ids are given, with activity as a number where it is one (for messages about ids)."""
    frame = tidy_frame(flows, ["commissioner_id", "provider_id", "activity"])
    frame = frame[frame["commissioner_id"].notna() & frame["provider_id"].notna()].copy()
    text = frame["activity"].map(lambda v: v.replace(",", "") if isinstance(v, str) else v)
    frame["activity"] = pd.to_numeric(text, errors="coerce").fillna(0.0)
    frame.attrs["source"] = flows.attrs.get("source", "flows")
    return frame


def checked_flows(flows: pd.DataFrame, graph: CareGraph, *, unknown: str = "error",
                  period: str | None = None) -> pd.DataFrame:
    """Check a flow table's values (``check_flows``) and organisations (``check_organisations``) together.

    Every problem of both kinds is raised at once, each naming file, row and
    field; the rows kept carry ``attrs["skipped"]``.

    Examples
    --------
    >>> import caregraph as cg
    >>> g = cg.CareGraph()
    >>> g.add_node("QWE", "ICB"); g.add_node("RJ7", "NHSTrust")
    >>> flows = pd.DataFrame({"commissioner_id": ["QWE", "QXX"], "provider_id": ["RJ7", "RJ7"],
    ...                       "activity": ["-1", "4"]})
    >>> checked_flows(flows, g)
    Traceback (most recent call last):
    ...
    networks.errors.ValidationError: 2 problems:
      flows, row 2, field 'activity': -1.0 is below the minimum 0
      flows, row 3, field 'commissioner_id': 'QXX' is not an organisation of the model (row 3; activity 4)
    """
    problems: list[Problem] = []
    try:
        checked = check_flows(flows, period=period)
    except ValidationError as exc:
        problems += exc.problems
        checked = _readable_ids(flows)
    try:
        kept = check_organisations(checked, graph, unknown)
    except ValidationError as exc:
        problems += exc.problems
    if problems:
        raise ValidationError(problems)
    return kept
