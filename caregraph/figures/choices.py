"""The fixed options of the figures, importable without pandas or matplotlib (the command line offers them).

Examples
--------
>>> import caregraph as cg
>>> cg.LANE_OPTIONS
('organisation', 'budget', 'setting')
"""

__all__ = ["LANE_OPTIONS"]

LANE_OPTIONS = ("organisation", "budget", "setting")
"""What a pathway diagram's swimlanes hold: one lane per providing organisation, paying budget or care setting."""
