"""The fixed options pathway analyses take, importable without pandas (the command line offers them).

Examples
--------
>>> import caregraph as cg
>>> cg.BY_OPTIONS
('provider', 'site', 'setting', 'sector', 'commissioner')
"""

__all__ = ["BY_OPTIONS", "POOL_METHODS", "STEP_RESOURCES"]

BY_OPTIONS = ("provider", "site", "setting", "sector", "commissioner")
"""What a hand-off is a change of (``pathways.handoffs``)."""

POOL_METHODS = ("greedy", "exhaustive")
"""How ``suggest_pools`` searches."""

STEP_RESOURCES = ("provider", "site", "setting", "service")
"""What a pathway step's resource is, when an event log is compared with the pathway."""
