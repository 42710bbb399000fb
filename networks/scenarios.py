"""Commissioning scenarios: named lists of changes to who commissions and who pays.

A scenario describes an option to compare with the model as it is (seed
003's six ways of commissioning in Cornwall, an ICB merger, a delegation
plan): a list of ``Change`` values applied in order to a copy of the model
by ``pathways.scenario_changes.apply_scenario``, and compared by
``pathways.appraisal.appraise``. ``loaders.scenarios.read_scenarios`` reads
them from a YAML file (documented in ``docs/inputs.md``).

The changes (``CHANGE_FIELDS`` lists every field):

``add_budget``
    a new budget (``id``, ``name``, ``stream``, ``holder``, optional
    ``amount_gbp``), e.g. to split a budget by age group.
``add_pool``
    a new pool of ``budgets`` (two or more). ``legal_basis`` is optional
    (default: the first the law allows) and the pool is refused if the law
    does not allow its budgets' holders to pool (``legal_bases``).
``lead_commissioner``
    a lead commissioner takes over budgets: every holder (``HELD_BY``) of
    the listed ``budgets``, or of every budget held by the listed
    ``commissioners``, is replaced by ``lead``.
``merge_commissioners``
    the ``commissioners`` merge into ``into`` (e.g. the ICB mergers of
    2026-04-01): their budgets become ``into``'s and their ``COMMISSIONS``
    relationships move to it. For each stream in ``combine_streams``
    (optional, e.g. ``[icb_core]``), ``into``'s budgets of that stream then
    become one budget: the first of ``into``'s own (else the first merged
    one, in list order) keeps its id and takes the others' steps, pool
    memberships and the sum of their known ``amount_gbp``; the others are
    removed. Other streams keep their budgets apart (a merged ICB still
    makes one Better Care Fund contribution per council).
``delegate``
    ``to`` commissions ``service`` with ``status`` (default ``delegated``)
    and ``tier`` (default ``ics``), replacing any relationship ``to``
    already had with it; ``from``, if given, stops commissioning it.
``reassign_steps``
    steps are paid from ``budget`` instead: those of ``pathway`` (only the
    listed ``steps``, local ids, if given), of ``service`` and/or now paid
    from ``from_budget``; at least one selector, and all given must match.

Examples
--------
>>> import caregraph as cg
>>> change = cg.Change("add_pool", {"id": "p1", "name": "Fund", "budgets": ("a", "b"), "legal_basis": None},
...                    "scenarios.yaml", "scenarios[0].changes[0]")
>>> print(change.problem("budgets", "unknown budget 'a'"))
scenarios.yaml, scenarios[0].changes[0], field 'budgets': unknown budget 'a'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from networks.errors import Problem
from networks.schema import BUDGET_STREAMS, COMMISSIONING_STATUSES, PLANNING_TIERS, POOL_LEGAL_BASES

__all__ = ["BASELINE", "CHANGE_FIELDS", "Change", "FieldSpec", "Scenario"]

BASELINE = "baseline"
"""The reserved scenario id of the model as it is."""


@dataclass(frozen=True)
class FieldSpec:
    """One field of a change: its type (``id``, ``ids``, ``text`` or ``number``), need, choices and default."""

    type: str = "id"
    required: bool = False
    choices: tuple[str, ...] | None = None
    default: Any = None


CHANGE_FIELDS: dict[str, dict[str, FieldSpec]] = {
    "add_budget": {"id": FieldSpec(required=True), "name": FieldSpec("text", True),
                   "stream": FieldSpec(required=True, choices=BUDGET_STREAMS), "holder": FieldSpec(required=True),
                   "amount_gbp": FieldSpec("number")},
    "add_pool": {"id": FieldSpec(required=True), "name": FieldSpec("text", True),
                 "budgets": FieldSpec("ids", True), "legal_basis": FieldSpec(choices=POOL_LEGAL_BASES)},
    "lead_commissioner": {"lead": FieldSpec(required=True), "budgets": FieldSpec("ids"),
                          "commissioners": FieldSpec("ids")},
    "merge_commissioners": {"into": FieldSpec(required=True), "commissioners": FieldSpec("ids", True),
                            "combine_streams": FieldSpec("ids", choices=BUDGET_STREAMS, default=())},
    "delegate": {"service": FieldSpec(required=True), "to": FieldSpec(required=True), "from": FieldSpec(),
                 "status": FieldSpec(choices=COMMISSIONING_STATUSES, default="delegated"),
                 "tier": FieldSpec(choices=PLANNING_TIERS, default="ics")},
    "reassign_steps": {"budget": FieldSpec(required=True), "pathway": FieldSpec(), "steps": FieldSpec("ids"),
                       "service": FieldSpec(), "from_budget": FieldSpec()},
}
"""Every change kind and its fields."""

@dataclass(frozen=True)
class Change:
    """One change of a scenario: its kind, checked values (defaults filled in) and where it was written."""

    kind: str
    values: Mapping[str, Any]
    file: str
    where: str

    def problem(self, field_name: str | None, message: str) -> Problem:
        """A problem located at this change."""
        return Problem(self.file, self.where, field_name, message)


@dataclass(frozen=True)
class Scenario:
    """A named list of changes to apply to a copy of the model."""

    id: str
    name: str
    description: str = ""
    changes: tuple[Change, ...] = field(default_factory=tuple)
