"""Parity: every analysis with a Cypher version gives the same rows on NetworkX and on Neo4j.

For every example model and the small test model (each loaded once for the
module), and for randomly generated models (hypothesis), at several as-at
dates:

* the public functions (``find_handoffs``, ``handoff_summary``,
  ``handoff_hotspots`` for every ``by``; ``find_budget_crossings``,
  ``crossing_summary``; ``check_delegation``, ``delegation_bundles``) give
  identical rows from a ``CareGraph`` and from a ``Neo4jBackend``, or the
  same error;
* the tables they read (``PathwayTables``, ``delegation_frames``) are equal;
* the catalogue's graph-local queries (``pathways/handoffs``,
  ``pathways/budget_crossings``, ``networks/codependency_split``,
  ``networks/depends_on_retained``, ``networks/site_colocation``,
  ``networks/delegation_bundles``) return the rows of the Python findings.

Rows are compared after sorting, strings exactly and numbers to a relative
1e-9.
"""

from __future__ import annotations

import io
import math
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal

from caregraph import (
    BY_OPTIONS,
    CARE_SETTINGS,
    CODEPENDENCY_LEVELS,
    COMMISSIONING_STATUSES,
    PLANNING_TIERS,
    POOL_LEGAL_BASES,
    CareGraph,
    CareGraphError,
    Neo4jBackend,
    Neo4jSettings,
    QueryRunner,
    check_delegation,
    crossing_summary,
    delegation_bundles,
    delegation_frames,
    delete_model,
    find_budget_crossings,
    find_handoffs,
    handoff_hotspots,
    handoff_summary,
    load_model,
    read_plan,
    write_graph,
)
from caregraph.cli import main
from networks.dates import resolve_as_at
from networks.delegation.tables import FRAME_COLUMNS
from pathways.tables import PathwayTables

pytestmark = pytest.mark.neo4j

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = {
    "cardiology": ROOT / "examples" / "cardiology",
    "cornwall-options": ROOT / "examples" / "cornwall-options",
    "delegation-south-london": ROOT / "examples" / "delegation-south-london",
    "devon-integrated-commissioning": ROOT / "examples" / "devon-integrated-commissioning",
    "small_model": ROOT / "tests" / "fixtures" / "small_model",
}
EXAMPLE_DATES = (None, "all", "2022-06-30", "2024-03-31", "2025-04-01", "2027-04-01")
PLAN_COLUMNS = ["service_id", "commissioner_id", "status", "tier", "valid_from"]

Outcome = pd.DataFrame | CareGraphError


# --------------------------------------------------------------------------- comparing


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _column(values: pd.Series) -> pd.Series:
    """Numbers as floats (NaN where missing); anything else as objects (None where missing, lists as tuples)."""
    present = [v for v in values if not _missing(v)]
    if all(isinstance(v, (int, float, np.number)) and not isinstance(v, (bool, np.bool_)) for v in present):
        return values.astype(float)
    return pd.Series([None if _missing(v) else tuple(v) if isinstance(v, list) else v for v in values],
                     index=values.index, dtype=object)


def _tidy(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows in a canonical order, each column in one representation whichever backend made it."""
    frame = pd.DataFrame({column: _column(frame[column]) for column in frame.columns}, index=frame.index)
    key = frame.map(repr)
    order = sorted(range(len(frame)), key=lambda i: tuple(key.iloc[i]))
    return frame.iloc[order].reset_index(drop=True)


def assert_same_rows(networkx: pd.DataFrame, neo4j: pd.DataFrame, what: str) -> None:
    """The same columns and, after sorting, the same rows (numbers to a relative 1e-9)."""
    assert list(networkx.columns) == list(neo4j.columns), what
    assert_frame_equal(_tidy(networkx), _tidy(neo4j), check_dtype=False, check_exact=False, rtol=1e-9,
                       atol=1e-12, obj=what)


def outcome(analysis: Callable[..., pd.DataFrame], *args: Any, **kwargs: Any) -> Outcome:
    """The rows of an analysis, or the caregraph error it raised."""
    try:
        return analysis(*args, **kwargs)
    except CareGraphError as error:
        return error


def assert_same_outcome(networkx: Outcome, neo4j: Outcome, what: str) -> None:
    """Both backends give the same rows, or both refuse with the same error."""
    if isinstance(networkx, CareGraphError) or isinstance(neo4j, CareGraphError):
        assert (type(networkx), str(networkx)) == (type(neo4j), str(neo4j)), what
    else:
        assert_same_rows(networkx, neo4j, what)


def plan_rows(plan: pd.DataFrame | None) -> list[dict[str, Any]] | None:
    """A checked plan as the ``$plan`` list of maps the catalogue queries take."""
    if plan is None:
        return None
    return [{c: (None if pd.isna(v) else v) for c, v in row.items()}
            for row in plan[PLAN_COLUMNS].to_dict("records")]


def _findings(found: Outcome, check: str) -> Outcome:
    return found if isinstance(found, CareGraphError) else found[found["check"] == check].reset_index(drop=True)


# --------------------------------------------------------------------------- the checks, per model and date


def check_tables(graph: CareGraph, runner: QueryRunner, as_at: str | None, what: str) -> None:
    """``PathwayTables`` and ``delegation_frames`` read equal tables from both backends."""
    mine, theirs = PathwayTables(graph, as_at=as_at), PathwayTables(runner, as_at=as_at)
    assert sorted(mine.pathways) == sorted(theirs.pathways), what
    for table in ("steps", "entries", "transitions", "holders", "budgets", "pools"):
        assert_same_outcome(outcome(getattr(mine, table)), outcome(getattr(theirs, table)), f"{what} {table}")
    frames, read = delegation_frames(graph, as_at), delegation_frames(runner, as_at)
    for name in FRAME_COLUMNS:
        assert_same_rows(getattr(frames, name), getattr(read, name), f"{what} frame {name}")


def check_pathway_analyses(graph: CareGraph, runner: QueryRunner, as_at: str | None, what: str,
                           by_options: tuple[str, ...] = BY_OPTIONS) -> None:
    """Hand-offs and budget crossings: public functions and catalogue queries."""
    for by in by_options:
        found = outcome(find_handoffs, graph, by=by, as_at=as_at)
        assert_same_outcome(found, outcome(find_handoffs, runner, by=by, as_at=as_at), f"{what} handoffs by {by}")
        for analysis in (handoff_summary, handoff_hotspots):
            assert_same_outcome(outcome(analysis, graph, by=by, as_at=as_at),
                                outcome(analysis, runner, by=by, as_at=as_at), f"{what} {analysis.__name__} {by}")
        if isinstance(found, pd.DataFrame):
            rows = runner.run_named("pathways/handoffs", pathway=None, by=by, as_at=resolve_as_at(as_at))
            assert_same_rows(found[list(rows.columns)], rows, f"{what} pathways/handoffs by {by}")
    crossings = outcome(find_budget_crossings, graph, as_at=as_at)
    assert_same_outcome(crossings, outcome(find_budget_crossings, runner, as_at=as_at), f"{what} crossings")
    assert_same_outcome(outcome(crossing_summary, graph, as_at=as_at),
                        outcome(crossing_summary, runner, as_at=as_at), f"{what} crossing summary")
    if isinstance(crossings, pd.DataFrame):
        rows = runner.run_named("pathways/budget_crossings", pathway=None, as_at=resolve_as_at(as_at))
        assert_same_rows(crossings[list(rows.columns)], rows, f"{what} pathways/budget_crossings")


def check_delegation_analyses(graph: CareGraph, runner: QueryRunner, as_at: str | None, what: str,
                              plan: pd.DataFrame | None = None) -> None:
    """Delegation checks and bundles: public functions and catalogue queries."""
    found = outcome(check_delegation, graph, plan, as_at=as_at)
    assert_same_outcome(found, outcome(check_delegation, runner, plan, as_at=as_at), f"{what} check_delegation")
    bundles = outcome(delegation_bundles, graph, plan, as_at=as_at)
    assert_same_outcome(bundles, outcome(delegation_bundles, runner, plan, as_at=as_at), f"{what} bundles")
    if isinstance(found, pd.DataFrame):
        for check in ("codependency_split", "depends_on_retained"):
            rows = runner.run_named(f"networks/{check}", plan=plan_rows(plan), as_at=resolve_as_at(as_at))
            assert_same_rows(_findings(found, check), rows, f"{what} networks/{check}")
        rows = runner.run_named("networks/site_colocation", as_at=resolve_as_at(as_at))
        assert_same_rows(_findings(found, "site_colocation"), rows, f"{what} networks/site_colocation")
    if isinstance(bundles, pd.DataFrame):
        rows = runner.run_named("networks/delegation_bundles", plan=plan_rows(plan), as_at=resolve_as_at(as_at))
        assert_same_rows(bundles[list(rows.columns)], rows, f"{what} networks/delegation_bundles")


# --------------------------------------------------------------------------- the examples


@pytest.fixture(scope="module")
def examples(db: Neo4jBackend, neo4j_settings: Neo4jSettings) -> Iterator[dict[str, tuple[CareGraph, Neo4jBackend]]]:
    """Every example model and the small model, loaded once under fresh ids, with backends scoped to them."""
    loaded: dict[str, tuple[CareGraph, Neo4jBackend]] = {}
    try:
        for name, folder in EXAMPLES.items():
            graph = load_model(folder)
            model = f"parity-{name}-{uuid.uuid4().hex[:8]}"
            loaded[name] = (graph, Neo4jBackend(neo4j_settings, model=model))
            write_graph(graph, db, model)
        yield loaded
    finally:
        for _, backend in loaded.values():
            backend.close()
            delete_model(db, str(backend.model))


@pytest.mark.parametrize("name", EXAMPLES)
@pytest.mark.parametrize("as_at", EXAMPLE_DATES)
def test_tables_are_equal(examples: dict[str, tuple[CareGraph, Neo4jBackend]], name: str, as_at: str | None) -> None:
    graph, backend = examples[name]
    check_tables(graph, backend, as_at, f"{name} as at {as_at}")


@pytest.mark.parametrize("name", EXAMPLES)
@pytest.mark.parametrize("as_at", EXAMPLE_DATES)
def test_pathway_analyses_agree(examples: dict[str, tuple[CareGraph, Neo4jBackend]], name: str,
                                as_at: str | None) -> None:
    graph, backend = examples[name]
    check_pathway_analyses(graph, backend, as_at, f"{name} as at {as_at}")


@pytest.mark.parametrize("name", EXAMPLES)
@pytest.mark.parametrize("as_at", EXAMPLE_DATES)
def test_delegation_analyses_agree(examples: dict[str, tuple[CareGraph, Neo4jBackend]], name: str,
                                   as_at: str | None) -> None:
    graph, backend = examples[name]
    check_delegation_analyses(graph, backend, as_at, f"{name} as at {as_at}")


@pytest.mark.parametrize("as_at", ["2019-03-31", "2019-04-01", "2022-03-31", "2022-04-01", "2022-07-01"])
def test_devon_steps_change_budget_and_provider_on_the_same_days(
        examples: dict[str, tuple[CareGraph, Neo4jBackend]], as_at: str) -> None:
    # the CCG merger, Northern Devon's trust merging into RH8 and the ICB: steps with dated budgets and providers
    graph, backend = examples["devon-integrated-commissioning"]
    check_tables(graph, backend, as_at, f"devon as at {as_at}")
    check_pathway_analyses(graph, backend, as_at, f"devon as at {as_at}", ("provider", "commissioner"))


@pytest.mark.parametrize("as_at", [None, "2024-03-31", "2025-04-01", "2027-04-01"])  # the plan's ICBs exist
def test_delegation_plan_agrees(examples: dict[str, tuple[CareGraph, Neo4jBackend]], as_at: str | None) -> None:
    graph, backend = examples["delegation-south-london"]
    plan = read_plan(EXAMPLES["delegation-south-london"] / "plan.csv")
    check_delegation_analyses(graph, backend, as_at, f"south london plan as at {as_at}", plan)


def test_the_examples_have_something_to_compare(examples: dict[str, tuple[CareGraph, Neo4jBackend]]) -> None:
    _, cardiology = examples["cardiology"]
    _, south_london = examples["delegation-south-london"]
    assert len(find_handoffs(cardiology, by="commissioner")) > 0
    assert len(find_budget_crossings(cardiology, as_at="2025-04-01")) > 0
    assert len(delegation_bundles(south_london)) == 3
    assert {"site_colocation"} <= set(check_delegation(south_london)["check"])


def test_errors_agree(examples: dict[str, tuple[CareGraph, Neo4jBackend]]) -> None:
    graph, backend = examples["small_model"]
    for analysis in (find_handoffs, find_budget_crossings):
        for arguments in ({"pathway": "no-such-pathway"}, {"as_at": "1/4/2026"}):
            mine, theirs = outcome(analysis, graph, **arguments), outcome(analysis, backend, **arguments)
            assert isinstance(mine, CareGraphError)
            assert_same_outcome(mine, theirs, f"{analysis.__name__} {arguments}")


SOUTH_LONDON_PLAN = str(EXAMPLES["delegation-south-london"] / "plan.csv")


@pytest.mark.parametrize(("command", "name", "options"), [
    (["handoffs", "list"], "cardiology", ["--by", "commissioner", "--as-at", "2025-04-01"]),
    (["handoffs", "summary"], "cardiology", ["--by", "site"]),
    (["handoffs", "hotspots"], "cardiology", ["--by", "setting"]),
    (["crossings"], "cardiology", ["--as-at", "2024-03-31"]),
    (["crossings"], "cardiology", ["--summary"]),
    (["delegation", "check"], "delegation-south-london", ["--plan", SOUTH_LONDON_PLAN]),
    (["delegation", "bundles"], "delegation-south-london", []),
])
def test_cli_backend_neo4j_prints_the_same(command: list[str], name: str, options: list[str],
                                           examples: dict[str, tuple[CareGraph, Neo4jBackend]],
                                           cli_env: Neo4jSettings, capsys: pytest.CaptureFixture[str]) -> None:
    arguments = [*command, str(EXAMPLES[name]), *options, "--format", "csv"]
    runs = []
    for backend in ([], ["--backend", "neo4j", "--model", str(examples[name][1].model)]):
        status = main([*arguments, *backend])
        runs.append((status, pd.read_csv(io.StringIO(capsys.readouterr().out))))
    (status, networkx), (status_neo4j, neo4j) = runs
    assert status == status_neo4j
    assert_same_rows(networkx, neo4j, " ".join(arguments))


def test_cli_backend_neo4j_needs_a_loaded_model(cli_env: Neo4jSettings, capsys: pytest.CaptureFixture[str]) -> None:
    missing = f"missing-{uuid.uuid4().hex[:8]}"
    assert main(["crossings", str(EXAMPLES["cardiology"]), "--backend", "neo4j", "--model", missing]) == 2
    assert f"has no model '{missing}'" in capsys.readouterr().err


# --------------------------------------------------------------------------- random models

STARTS = ("2023-04-01", "2024-04-01", "2025-04-01")
ENDS = ("2024-03-31", "2025-03-31", "2026-03-31")
AS_AT = st.sampled_from([None, "2023-01-01", "2024-03-31", "2024-04-01", "2025-03-31", "2025-04-01", "2026-06-30"])
PROVIDER_KINDS = ("NHSTrust", "Site", "GPPractice", "PCN")


@st.composite
def _period(draw: st.DrawFn, dated: float = 0.4) -> dict[str, str]:
    """Optional ``valid_from`` / ``valid_to`` (inclusive), sometimes neither."""
    if not draw(st.booleans()) or draw(st.floats(0, 1)) > dated:
        return {}
    start = draw(st.sampled_from((None, *STARTS)))
    ends = [end for end in ENDS if start is None or end >= start]
    end = draw(st.sampled_from((None, *ends)))
    return {k: v for k, v in (("valid_from", start), ("valid_to", end)) if v is not None}


@st.composite
def random_models(draw: st.DrawFn) -> CareGraph:
    """A valid model: commissioners, providers and sites, services with co-dependencies, provision,
    networks, commissioning, budgets, dated pools and pathways with loops, entered in a random order
    so that graph order and id order differ."""
    nodes: list[tuple[str, str, dict[str, Any]]] = [("X24", "NHSEngland", {})]
    edges: list[tuple[str, str, str, dict[str, Any]]] = []

    def some(prefix: str, low: int, high: int) -> list[str]:
        return [f"{prefix}{n}" for n in draw(st.sets(st.integers(1, 9), min_size=low, max_size=high))]

    regions = some("Y", 1, 2)
    nodes += [(r, "NHSERegion", {}) for r in regions]
    edges += [(r, "X24", "PART_OF", {}) for r in regions]
    hubs = some("H", 0, 1)
    for hub in hubs:
        nodes.append((hub, "CommissioningHub", {}))
        edges.append((hub, draw(st.sampled_from(regions)), "PART_OF", {}))
    icbs = some("Q", 1, 3)
    for icb in icbs:
        nodes.append((icb, "ICB", draw(_period(0.3))))
        region = draw(st.sampled_from([*regions, None]))
        if region:
            edges.append((icb, region, "PART_OF", {}))
    subs = some("S", 0, 2)
    for sub in subs:
        nodes.append((sub, "SubICBLocation", {}))
        parent = draw(st.sampled_from([*icbs, None]))
        if parent:
            edges.append((sub, parent, "PART_OF", {}))
    councils = some("L", 0, 2)
    nodes += [(la, "LocalAuthority", {}) for la in councils]
    ccgs = some("C", 0, 1)
    nodes += [(ccg, "CCG", {"valid_to": "2024-03-31"}) for ccg in ccgs]
    trusts = some("T", 1, 3)
    for trust in trusts:
        nodes.append((trust, "NHSTrust", draw(_period(0.3))))
        home = draw(st.sampled_from([*icbs, *subs, None]))
        if home:
            edges.append((trust, home, "LOCATED_IN", {}))
    sites = [f"{t}S{n}" for t in trusts for n in draw(st.sets(st.integers(1, 3), max_size=2))]
    for site in sites:
        nodes.append((site, "Site", draw(_period(0.2))))
        parent = draw(st.sampled_from([*trusts, None]))
        if parent:
            edges.append((site, parent, "PART_OF", {}))
        if draw(st.booleans()) and draw(st.booleans()):
            edges.append((site, draw(st.sampled_from(icbs)), "LOCATED_IN", {}))
    practices = some("P", 0, 2)
    for practice in practices:
        nodes.append((practice, "GPPractice", {}))
        parent = draw(st.sampled_from([*subs, *icbs, None]))
        if parent:
            edges.append((practice, parent, "PART_OF", {}))
    commissioners = ["X24", *regions, *hubs, *icbs, *subs, *councils, *ccgs]
    providers = [*trusts, *sites, *practices]

    services = some("V", 2, 6)
    for service in services:
        nodes.append((service, "Service", {"specialised": draw(st.booleans()),
                                           "highly_specialised": draw(st.sampled_from([None, True, False])),
                                           "crg_code": draw(st.sampled_from([None, "A05"])),
                                           "name": draw(st.sampled_from([None, f"service {service}"])),
                                           **draw(_period(0.2))}))
    pairs = draw(st.sets(st.tuples(st.sampled_from(services), st.sampled_from(services)).filter(
        lambda pair: pair[0] != pair[1]), max_size=6))
    for a, b in sorted(pairs):
        edges.append((a, b, "DEPENDS_ON", {"level": draw(st.sampled_from(CODEPENDENCY_LEVELS)),
                                           "evidence": draw(st.sampled_from([None, "illustrative"])),
                                           **draw(_period(0.3))}))
    provision = draw(st.sets(st.tuples(st.sampled_from([*providers, *councils]), st.sampled_from(services)),
                             max_size=10))
    edges += [(p, s, "PROVIDES", draw(_period(0.3))) for p, s in sorted(provision)]
    for network in some("N", 0, 2):
        nodes.append((network, "ODN", {"name": draw(st.sampled_from([None, f"network {network}"]))}))
        for service in draw(st.sets(st.sampled_from(services), max_size=2)):
            edges.append((network, service, "NETWORK_FOR", {}))
        for member in draw(st.sets(st.sampled_from(providers), max_size=3)):
            edges.append((member, network, "MEMBER_OF", {"role": draw(st.sampled_from([None, "hub"])),
                                                         **draw(_period(0.2))}))
    for service in services:  # distinct starts per service, so no plan plans one service twice from one day
        starts = draw(st.lists(st.sampled_from((None, *STARTS)), unique=True, max_size=3))
        for start in starts:
            ends = [end for end in ENDS if start is None or end >= start]
            edges.append((draw(st.sampled_from(commissioners)), service, "COMMISSIONS", {
                "status": draw(st.sampled_from(COMMISSIONING_STATUSES)),
                "tier": draw(st.sampled_from(PLANNING_TIERS)),
                **({"valid_from": start} if start else {}),
                **({"valid_to": end} if (end := draw(st.sampled_from((None, *ends)))) else {}),
            }))

    budgets = some("B", 1, 4)
    for budget in budgets:
        nodes.append((budget, "Budget", {"stream": draw(st.sampled_from(("icb_core", "nhse_specialised",
                                                                          "la_social_care", "other"))),
                                         **draw(_period(0.2))}))
        holder = draw(st.sampled_from(commissioners))
        edges.append((budget, holder, "HELD_BY", {}))
        if draw(st.integers(0, 9)) == 0:  # a budget changing hands: two holders unless a date is given
            others = [c for c in commissioners if c != holder]
            edges.append((budget, draw(st.sampled_from(others)), "HELD_BY", {"valid_from": "2025-04-01"}))
    for pool in some("K", 0, 2):
        nodes.append((pool, "Pool", {"legal_basis": draw(st.sampled_from(POOL_LEGAL_BASES)),
                                     **draw(_period(0.6))}))
        edges += [(b, pool, "IN_POOL", {}) for b in draw(st.sets(st.sampled_from(budgets), max_size=3))]

    for pathway in some("W", 1, 2):
        nodes.append((pathway, "Pathway", {"patients_per_year": draw(st.sampled_from([None, 1000.0])),
                                           **draw(_period(0.15))}))
        steps = [f"{pathway}/{n}" for n in draw(st.sets(st.sampled_from("abcdef"), min_size=1, max_size=5))]
        for step in steps:
            nodes.append((step, "Step", {"pathway": pathway, "setting": draw(st.sampled_from(CARE_SETTINGS)),
                                         "unit_cost": draw(st.sampled_from([None, 40.0, 250.5]))}))
            edges += [(pathway, step, "HAS_STEP", {}),
                      (step, draw(st.sampled_from(services)), "OF_SERVICE", {}),
                      (step, draw(st.sampled_from([*providers, *councils])), "DELIVERED_BY", {}),
                      (step, draw(st.sampled_from(budgets)), "PAID_FROM", {})]
            if sites and draw(st.booleans()):
                edges.append((step, draw(st.sampled_from(sites)), "AT_SITE", {}))
            if draw(st.integers(0, 9)) == 0:  # a step moving to another provider and budget from a date
                edges += [(step, draw(st.sampled_from(providers)), "DELIVERED_BY", {"valid_from": "2025-04-01"}),
                          (step, draw(st.sampled_from(budgets)), "PAID_FROM", {"valid_from": "2025-04-01"})]
        starts = draw(st.lists(st.sampled_from(steps), min_size=1, max_size=2, unique=True))
        volumes = draw(st.booleans())
        for start in starts:
            edges.append((pathway, start, "STARTS_AT", {"patients_per_year": 300.0} if volumes
                          else {"probability": 1 / len(starts)}))
        moves = draw(st.lists(st.tuples(st.sampled_from(steps), st.sampled_from(steps),
                                        st.sampled_from([0.1, 0.25, 0.3, None]), st.sampled_from((None, *STARTS))),
                              max_size=6, unique_by=lambda m: (m[0], m[1], m[3])))
        leaving: dict[str, float] = {}
        for a, b, probability, start in moves:
            if probability is not None and leaving.get(a, 0.0) + probability > 0.9:
                continue
            leaving[a] = leaving.get(a, 0.0) + (probability or 0.0)
            given = {"probability": probability} if probability is not None else {"patients_per_year": 12.0}
            edges.append((a, b, "NEXT", {**given, **({"valid_from": start} if start else {})}))

    graph = CareGraph("random")
    for node_id, kind, properties in draw(st.permutations(nodes)):
        graph.add_node(node_id, kind, **properties)
    for source, target, rel_type, properties in draw(st.permutations(edges)):
        graph.add_edge(source, target, rel_type, **properties)
    return graph


@pytest.fixture(scope="module")
def runner(neo4j_settings: Neo4jSettings) -> Iterator[Neo4jBackend]:
    """One backend for the random models; each example points it at its own model id."""
    with Neo4jBackend(neo4j_settings) as backend:
        yield backend


@settings(max_examples=25, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(graph=random_models(), as_at=AS_AT, by=st.sampled_from(BY_OPTIONS))
def test_random_models_agree(runner: Neo4jBackend, graph: CareGraph, as_at: str | None, by: str) -> None:
    model = f"parity-random-{uuid.uuid4().hex[:10]}"
    write_graph(graph, runner, model)
    runner.model = model
    try:
        for date in ("all", as_at):
            check_tables(graph, runner, date, f"random as at {date}")
            check_pathway_analyses(graph, runner, date, f"random as at {date}", (by,))
            check_delegation_analyses(graph, runner, date, f"random as at {date}")
    finally:
        delete_model(runner, model)
