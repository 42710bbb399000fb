"""Pooling what-ifs and pool suggestions: which budget boundaries a new pool would remove.

A *pooled arrangement* is a set of two or more budgets that would become
one new pool, added beside the model's existing pools, under a legal basis
``legal_bases`` allows for their holders (NHS body + local authority under
s75; NHS England + ICB under s65Z5/s65Z6; NHS England + CCG under s13V).
A new pool removes exactly the crossings whose two budgets are both in it,
so what a set of pools removes is the sum of what each removes: crossing
flows are additive over pairs of budgets.

``suggest_pools`` returns a *plan* of up to ``k`` such arrangements,
**disjoint** from each other: a budget is in at most one suggested pool
(existing pools are kept and may share budgets with suggested ones). Each
suggested pool is then a separate agreement whose removals add up, and
the search is a packing problem. Overlapping arrangements, such as an s75
fund and an s13V pool sharing the CCG's budget (option 3 of the Cornwall
example), are not searched: evaluate them with ``pool_what_if`` or a
scenario. The plan maximises the patients a year no longer crossing a
budget boundary (ties: more money, then fewer budgets). Two methods:

``"exhaustive"``
    the optimum, searching every legal set of the budgets on crossings and
    every packing of up to ``k`` disjoint sets (limited to
    ``EXHAUSTIVE_LIMIT`` budgets).
``"greedy"``
    up to ``k`` times: take the legal pair of unused budgets that removes
    the most, then keep adding the unused budget that removes the most
    more while the set stays legal. Fast, but not always optimal: a pair
    that looks best can use up a budget better pooled elsewhere (tests
    compare it with the exhaustive search on small cases).

Examples
--------
>>> import caregraph as cg
>>> g = cg.load_model("tests/fixtures/small_model")
>>> cg.suggest_pools(g, 1)[["budgets", "legal_basis", "patients_removed"]].round(2).values.tolist()
[['nhse-spec;qhm-core', 's65Z5', 380.81]]
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import combinations

import pandas as pd

from networks.choices import check_choice
from networks.dates import ALL_DATES, AsAt, as_at_label, dated, resolve_as_at
from networks.errors import ArgumentError, Problem, ValidationError
from networks.graph import CareGraph

from .choices import POOL_METHODS
from .crossings import find_budget_crossings, legal_bases, total_money
from .tables import budget_table

__all__ = [
    "EXHAUSTIVE_LIMIT",
    "SUGGESTION_COLUMNS",
    "TOTAL_ROW",
    "WHAT_IF_COLUMNS",
    "check_pool",
    "pool_what_if",
    "suggest_pools",
    "what_if_from_tables",
]

EXHAUSTIVE_LIMIT = 12
WHAT_IF_COLUMNS = ["pathway", "budgets", "legal_basis", "crossings_before", "crossings_after", "crossings_removed",
                   "patients_before", "patients_after", "patients_removed", "money_before_gbp", "money_after_gbp",
                   "money_removed_gbp"]
SUGGESTION_COLUMNS = ["rank", "budgets", "holders", "legal_basis", "crossings_removed", "patients_removed",
                      "money_removed_gbp"]
TOTAL_ROW = "(total)"


def _problem(field: str, message: str) -> ValidationError:
    return ValidationError([Problem("pool", None, field, message)])


class _Legality:
    """Which sets of budgets the law allows to pool, from each budget's holder (cached)."""

    def __init__(self, budgets: pd.DataFrame) -> None:
        self.holders = {str(b): (h, k) for b, h, k in budgets[["budget", "holder", "holder_kind"]].itertuples(
            index=False)}
        self._cache: dict[frozenset[str], tuple[str, ...]] = {}

    def bases(self, members: Iterable[str]) -> tuple[str, ...]:
        key = frozenset(members)
        if key not in self._cache:
            held = [self.holders[b] for b in sorted(key)]
            self._cache[key] = () if any(pd.isna(h) for h, _ in held) else legal_bases(
                {str(h): k for h, k in held})
        return self._cache[key]

    def describe(self, members: Sequence[str]) -> str:
        held = ((b, *self.holders[b]) for b in members)
        return "; ".join(f"{b} held by {h} ({k})" if pd.notna(h) else f"{b} held by nobody" for b, h, k in held)


def check_pool(graph: CareGraph, budgets: Sequence[str], legal_basis: str | None = None) -> str:
    """Return the legal basis a new pool of ``budgets`` would have, or raise saying why the law forbids it.

    Parameters
    ----------
    graph : CareGraph
        The model (already as at a date if holders are dated).
    budgets : sequence of str
        Two or more different budget ids.
    legal_basis : str, optional
        The basis wanted; by default the first ``legal_bases`` allows.

    Returns
    -------
    str
        The legal basis.

    Raises
    ------
    networks.errors.ValidationError
        Unknown or repeated budgets, fewer than two, no legal basis for
        their holders, or a ``legal_basis`` that does not fit them.

    Examples
    --------
    >>> import caregraph as cg
    >>> cg.check_pool(cg.load_model("tests/fixtures/small_model"), ["qhm-core", "la-asc"])
    's75'
    """
    legality = _Legality(budget_table(graph))
    members = list(budgets)
    unknown = [b for b in members if b not in legality.holders]
    if unknown:
        raise _problem("budgets", f"unknown budget(s): {', '.join(unknown)}")
    if len(set(members)) != len(members) or len(members) < 2:
        raise _problem("budgets", "give two or more different budgets")
    allowed = legality.bases(members)
    if not allowed:
        raise _problem("budgets", f"no legal basis can pool {legality.describe(members)}: s75 joins NHS "
                                  "commissioners (ICBs or CCGs) with local authorities, s65Z5/s65Z6 NHS England "
                                  "with ICBs (or ICBs together), s13V NHS England with CCGs")
    if legal_basis is not None and legal_basis not in allowed:
        raise _problem("legal_basis", f"'{legal_basis}' cannot pool {legality.describe(members)}; "
                                      f"allowed: {', '.join(allowed)}")
    return legal_basis or allowed[0]


def _totals(frame: pd.DataFrame) -> tuple[int, float, float]:
    return len(frame), math.fsum(frame["patients_per_year"]), total_money(frame["money_gbp"])


def what_if_from_tables(crossings: pd.DataFrame, members: Iterable[str], legal_basis: str) -> pd.DataFrame:
    """Before and after a new pool of ``members``, per pathway and in total (the core of ``pool_what_if``).

    Parameters
    ----------
    crossings : pandas.DataFrame
        ``crossings_from_tables`` rows, with the model's existing pools.
    members : iterable of str
        The budgets of the new pool.
    legal_basis : str
        Its legal basis (reported, not checked here).

    Returns
    -------
    pandas.DataFrame
        Columns ``WHAT_IF_COLUMNS``: one row per pathway with crossings,
        sorted, then a ``"(total)"`` row. Money adds the crossings whose
        receiving step has a cost (``total_money``).

    Examples
    --------
    >>> import pandas as pd
    >>> x = pd.DataFrame({"pathway": ["p", "p"], "from_budget": ["A", "A"], "to_budget": ["B", "C"],
    ...                   "patients_per_year": [10.0, 5.0], "money_gbp": [100.0, None]})
    >>> w = what_if_from_tables(x, ["A", "B"], "s75")
    >>> w[["pathway", "crossings_removed", "patients_removed", "money_removed_gbp"]].values.tolist()
    [['p', 1, 10.0, 100.0], ['(total)', 1, 10.0, 100.0]]
    """
    pool = set(members)
    removed = crossings["from_budget"].isin(pool) & crossings["to_budget"].isin(pool)
    label = ";".join(sorted(pool))
    rows = []
    groups = [(p, crossings["pathway"] == p) for p in sorted(crossings["pathway"].unique())]
    for pathway, mine in [*groups, (TOTAL_ROW, pd.Series(True, index=crossings.index))]:
        before, after, gone = (_totals(crossings.loc[mask]) for mask in (mine, mine & ~removed, mine & removed))
        rows.append({"pathway": pathway, "budgets": label, "legal_basis": legal_basis,
                     "crossings_before": before[0], "crossings_after": after[0], "crossings_removed": gone[0],
                     "patients_before": before[1], "patients_after": after[1], "patients_removed": gone[1],
                     "money_before_gbp": before[2], "money_after_gbp": after[2], "money_removed_gbp": gone[2]})
    return pd.DataFrame(rows, columns=WHAT_IF_COLUMNS)


def pool_what_if(
    graph: CareGraph, budgets: Sequence[str], *, legal_basis: str | None = None, as_at: AsAt = None
) -> pd.DataFrame:
    """What a hypothetical pool of ``budgets`` would remove: crossings, patients and money.

    Parameters
    ----------
    graph : CareGraph
    budgets : sequence of str
        Two or more budget ids.
    legal_basis : str, optional
        The basis to pool under; by default the first ``legal_bases`` allows.
    as_at : str, optional
        The day (``YYYY-MM-DD``); default today; ``"all"`` for every date
        (see ``find_budget_crossings``). Holders are read that day.

    Returns
    -------
    pandas.DataFrame
        Columns ``WHAT_IF_COLUMNS``: per pathway with crossings, then a
        ``"(total)"`` row. ``*_before`` counts crossings with the model's
        pools, ``*_after`` with the new pool as well.

    Raises
    ------
    networks.errors.ValidationError
        Unknown or repeated budgets, fewer than two, or a combination (or
        ``legal_basis``) the law does not allow, naming each budget's
        holder.

    Examples
    --------
    Pooling NHS England specialised and ICB core money (s65Z5) removes
    GP -> PCI (200 a year) and PCI -> rehab (180.81) in the test model.

    >>> import caregraph as cg
    >>> g = cg.load_model("tests/fixtures/small_model")
    >>> w = cg.pool_what_if(g, ["nhse-spec", "qhm-core"], as_at="2024-06-01")
    >>> w.loc[w.pathway == "(total)", ["legal_basis", "crossings_removed", "patients_removed"]].round(2).values.tolist()
    [['s65Z5', 2, 380.81]]
    >>> cg.pool_what_if(g, ["nhse-spec", "la-asc"], as_at="2024-06-01")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    networks.errors.ValidationError: 1 problem:
      pool, field 'budgets': no legal basis can pool nhse-spec held by X24 (NHSEngland); la-asc held by LA1 ...
    """
    day = resolve_as_at(as_at)
    view = graph if day is None else graph.as_at(day)
    basis = check_pool(view, budgets, legal_basis)
    return dated(what_if_from_tables(find_budget_crossings(view, as_at=ALL_DATES), budgets, basis), as_at_label(day))


_Weight = tuple[int, float, float, int]
"""Crossings, patients, known money and how many crossings have a known money."""


@dataclass(frozen=True)
class _Weights:
    """Crossings aggregated by unordered pair of budgets."""

    budgets: tuple[str, ...]
    pairs: dict[frozenset[str], _Weight]

    def of(self, members: Iterable[str]) -> _Weight:
        """What a new pool of ``members`` removes."""
        got = [self.pairs[frozenset(p)] for p in combinations(sorted(members), 2) if frozenset(p) in self.pairs]
        return (sum(g[0] for g in got), math.fsum(g[1] for g in got), math.fsum(g[2] for g in got),
                sum(g[3] for g in got))


def _weights(crossings: pd.DataFrame) -> _Weights:
    pairs: dict[frozenset[str], _Weight] = {}
    for a, b, patients, money in crossings[["from_budget", "to_budget", "patients_per_year", "money_gbp"]].itertuples(
            index=False):
        key = frozenset((a, b))
        n, p, m, known = pairs.get(key, (0, 0.0, 0.0, 0))
        pairs[key] = (n + 1, p + patients, m + (0.0 if pd.isna(money) else money), known + (not pd.isna(money)))
    return _Weights(tuple(sorted({b for key in pairs for b in key})), pairs)


def _score(weight: _Weight, size: int) -> tuple[float, float, int]:
    """Order sets and plans: more patients, then more money, then fewer budgets."""
    return round(weight[1], 9), round(weight[2], 6), -size


def _greedy(weights: _Weights, legality: _Legality, k: int) -> list[tuple[str, ...]]:
    """Grow up to k disjoint pools, each from the best legal pair (ties: first in sorted order)."""
    used: set[str] = set()
    plan: list[tuple[str, ...]] = []
    for _ in range(k):
        free = [b for b in weights.budgets if b not in used]
        pairs = [p for p in combinations(free, 2) if legality.bases(p) and weights.of(p)[1] > 0]
        if not pairs:
            break
        chosen = set(max(pairs, key=lambda p: _score(weights.of(p), 2)))
        while grow := [b for b in free if b not in chosen and legality.bases(chosen | {b})
                       and weights.of(chosen | {b})[1] > weights.of(chosen)[1]]:
            chosen.add(max(grow, key=lambda b: _score(weights.of(chosen | {b}), 0)))
        used |= chosen
        plan.append(tuple(sorted(chosen)))
    return plan


def _exhaustive(weights: _Weights, legality: _Legality, k: int) -> list[tuple[str, ...]]:
    """The best packing of up to k disjoint legal sets, over every subset of the budgets."""
    useful: dict[frozenset[str], _Weight] = {}
    for size in range(2, len(weights.budgets) + 1):
        for subset in combinations(weights.budgets, size):
            weight = weights.of(subset)
            if weight[1] > 0 and legality.bases(subset):
                useful[frozenset(subset)] = weight
    by_lowest: dict[str, list[frozenset[str]]] = {}
    for members in useful:
        by_lowest.setdefault(min(members), []).append(members)

    @cache
    def best(remaining: frozenset[str], left: int) -> tuple[tuple[float, float, int], tuple[frozenset[str], ...]]:
        if not remaining or not left:
            return (0.0, 0.0, 0), ()
        lowest = min(remaining)
        options = [best(remaining - {lowest}, left)]
        for members in by_lowest.get(lowest, []):
            if members <= remaining:
                (patients, money, size), rest = best(remaining - members, left - 1)
                mine = _score(useful[members], len(members))
                options.append(((round(patients + mine[0], 9), round(money + mine[1], 6), size + mine[2]),
                                (members, *rest)))
        return max(options, key=lambda option: option[0])

    plan = sorted((tuple(sorted(m)) for m in best(frozenset(weights.budgets), k)[1]), key=";".join)
    return sorted(plan, key=lambda m: _score(weights.of(m), len(m)), reverse=True)


def suggest_pools(
    graph: CareGraph, k: int, *, as_at: AsAt = None, method: str = "greedy"
) -> pd.DataFrame:
    """The k legal, disjoint pooled arrangements that remove the most crossing patients.

    Parameters
    ----------
    graph : CareGraph
    k : int
        How many pools at most (at least 1). Fewer rows come back when no
        further legal pool removes anything.
    as_at : str, optional
        The day (``YYYY-MM-DD``); default today; ``"all"`` for every date
        (see ``find_budget_crossings``).
    method : {"greedy", "exhaustive"}
        See the module notes; ``"exhaustive"`` is optimal but limited to
        ``EXHAUSTIVE_LIMIT`` budgets on crossings.

    Returns
    -------
    pandas.DataFrame
        Columns ``SUGGESTION_COLUMNS``, one row per suggested pool, most
        patients removed first: ``budgets`` and ``holders`` are
        ``;``-joined and sorted; ``money_removed_gbp`` adds the crossings whose
        receiving step has a cost.

    Raises
    ------
    networks.errors.ArgumentError
        ``k`` below 1, an unknown ``method`` or a bad ``as_at``.
    networks.errors.ValidationError
        As ``find_budget_crossings``; or more than ``EXHAUSTIVE_LIMIT``
        budgets for the exhaustive search.

    Examples
    --------
    >>> import caregraph as cg
    >>> g = cg.load_model("tests/fixtures/small_model")
    >>> s = cg.suggest_pools(g, 2, as_at="2024-03-31", method="exhaustive")
    >>> s[["budgets", "legal_basis", "crossings_removed"]].values.tolist()
    [['nhse-spec;qhm-core', 's65Z5', 2]]
    """
    check_choice("method", method, POOL_METHODS)
    if k < 1:
        raise ArgumentError(f"k must be at least 1 (got {k})")
    day = resolve_as_at(as_at)
    view = graph if day is None else graph.as_at(day)
    budgets = budget_table(view)
    weights = _weights(find_budget_crossings(view, as_at=ALL_DATES))
    if method == "exhaustive" and len(weights.budgets) > EXHAUSTIVE_LIMIT:
        raise ValidationError([Problem("suggest_pools", None, "method",
                                       f"{len(weights.budgets)} budgets are on crossings; the exhaustive search "
                                       f"is limited to {EXHAUSTIVE_LIMIT}: use method='greedy'")])
    legality = _Legality(budgets)
    plan = _greedy(weights, legality, k) if method == "greedy" else _exhaustive(weights, legality, k)
    holders = dict(zip(budgets["budget"], budgets["holder"], strict=True))
    rows = []
    for rank, members in enumerate(plan, start=1):
        n, patients, money, known = weights.of(members)
        rows.append({"rank": rank, "budgets": ";".join(members),
                     "holders": ";".join(sorted({str(holders[b]) for b in members})),
                     "legal_basis": legality.bases(members)[0], "crossings_removed": n,
                     "patients_removed": patients, "money_removed_gbp": money if known else math.nan})
    return dated(pd.DataFrame(rows, columns=SUGGESTION_COLUMNS), as_at_label(day))
