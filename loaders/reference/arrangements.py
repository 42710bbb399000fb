"""Existing joint commissioning arrangements between ICBs, to compare planning footprints with.

``joint_arrangements()`` reads ``loaders/reference/data/joint_arrangements.csv``
(provenance in ``SOURCES.md`` there): one row per member ICB. It holds one
arrangement, South London (South West London, QWE, and South East London,
QKK), the multi-ICS tier of seed paper 002; it is not a complete list.

Examples
--------
>>> import caregraph as cg
>>> cg.joint_arrangements()[["arrangement_id", "icb_ods_code"]].values.tolist()
[['south-london', 'QWE'], ['south-london', 'QKK']]
"""

from __future__ import annotations

import pandas as pd

from .data_files import read_reference_csv

__all__ = ["JOINT_ARRANGEMENTS", "joint_arrangements"]

JOINT_ARRANGEMENTS = "joint_arrangements.csv"
"""The packaged file of joint arrangements."""


def joint_arrangements() -> pd.DataFrame:
    """Return the shipped joint arrangements: ``arrangement_id, arrangement_name, icb_ods_code, icb_name, source``."""
    return read_reference_csv(JOINT_ARRANGEMENTS)
