"""The fixed options network analyses take, importable without pandas (the command line offers them).

Examples
--------
>>> import caregraph as cg
>>> cg.SEVERITIES
('error', 'warning', 'info')
>>> check_choice("by", "ward", ("provider", "site"))
Traceback (most recent call last):
...
networks.errors.ArgumentError: by='ward' is not one of: provider, site
"""

from collections.abc import Sequence

from networks.errors import ArgumentError

__all__ = ["CHECKS", "FLOW_LEVELS", "GEOGRAPHIES", "SEVERITIES", "SPOF_FOOTPRINTS", "UNKNOWN_POLICIES", "check_choice"]

SEVERITIES = ("error", "warning", "info")
"""How serious a delegation finding is, worst first."""

CHECKS = ("codependency_split", "depends_on_retained", "site_colocation", "tier_fit", "network_alignment",
          "plan_incomplete")
"""The checks ``check_delegation`` runs, in the order findings are listed."""


FLOW_LEVELS = ("icb", "sub_icb", "region", "provider")
"""The levels a flow network is drawn at (``networks.flows.network``)."""

UNKNOWN_POLICIES = ("error", "skip")
"""What to do with flow rows naming ids that are not organisations of the model: stop, or skip them and say so."""

GEOGRAPHIES = ("2022", "2026", "both")
"""The ICB geographies flows can be read on: the 42 ICBs of 2022-2026, the 36 from April 2026, or both side by side."""

SPOF_FOOTPRINTS = ("icb", "region")
"""The footprints single points of failure are looked for in (or a mapping of ICBs to footprints, from Python)."""


def check_choice(name: str, value: object, choices: Sequence[str | None]) -> None:
    """Raise ``ArgumentError`` unless ``value`` is one of ``choices``; ``name`` is the argument's name."""
    if value not in choices:
        raise ArgumentError(f"{name}={value!r} is not one of: {', '.join(str(c) for c in choices)}")
