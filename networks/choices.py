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

__all__ = ["CHECKS", "SEVERITIES", "check_choice"]

SEVERITIES = ("error", "warning", "info")
"""How serious a delegation finding is, worst first."""

CHECKS = ("codependency_split", "depends_on_retained", "site_colocation", "tier_fit", "network_alignment",
          "plan_incomplete")
"""The checks ``check_delegation`` runs, in the order findings are listed."""


def check_choice(name: str, value: object, choices: Sequence[str]) -> None:
    """Raise ``ArgumentError`` unless ``value`` is one of ``choices``; ``name`` is the argument's name."""
    if value not in choices:
        raise ArgumentError(f"{name}={value!r} is not one of: {', '.join(choices)}")
