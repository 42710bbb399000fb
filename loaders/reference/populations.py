"""Registered list sizes (January 2021) summed to sub-ICB locations, and from them to the 2026 ICBs.

caregraph ships two population files: the ICB totals
(``icb_registered_patients_2021_01.csv``, on the 42-ICB geography) and the
practice-level file they were summed from
(``gp_practice_registered_patients_2021_01.csv.gz``). Each practice carries
how it was placed on the 2022 geography (``icb_assignment_method``):

* ``practice_code_in_2026_01_map``: the practice is in the January 2026 GP
  map, whose ``sicbl_ods_code`` gives its sub-ICB location;
* ``ccg_code_equals_2022_sub_icb_code``: its 2021 CCG code is a 2022 sub-ICB
  location code, which is used;
* ``unassigned`` (585,013 patients): no sub-ICB location.

Summing practices by sub-ICB location gives the sub-ICB list sizes; they add
up, exactly, to the shipped ICB totals (a test holds this). A 2026 ICB's
population is then the sum over its sub-ICB locations, when every one of
them has a list size: five of the six new ICBs. Thames Valley (S0E4D) has
none, because its new sub-ICB location U2G6B did not exist in 2021 (it
appears to take in part of Frimley, whose D4U1Y has no 2026 parent in the
sources). All of these are **January 2021 list sizes**: stale, and
registered patients rather than residents.

Examples
--------
>>> sizes = sub_icb_list_sizes()
>>> len(sizes), sizes["D4U1Y"]
(106, 738933)
"""

from __future__ import annotations

import csv
import functools

from .data_files import open_reference_text

__all__ = ["PRACTICE_LIST_SIZES", "sub_icb_list_sizes"]

PRACTICE_LIST_SIZES = "gp_practice_registered_patients_2021_01.csv.gz"
"""Practice-level registered patients, January 2021, with each practice's placement on the 2022 geography."""

_PRACTICE_MAP = "gp_practices_pcn_map_2026_01.csv"


@functools.lru_cache(maxsize=1)
def sub_icb_list_sizes() -> dict[str, int]:
    """Return the January 2021 registered list size of each sub-ICB location (derived; see the module docstring).

    Returns
    -------
    dict of str to int
        Sub-ICB location code to patients; the 106 sub-ICB locations of 2022.
    """
    with open_reference_text(_PRACTICE_MAP) as handle:
        sub_icb_of = {row["practice_code"]: row["sicbl_ods_code"] for row in csv.DictReader(handle)}
    sizes: dict[str, int] = {}
    with open_reference_text(PRACTICE_LIST_SIZES) as handle:
        for row in csv.DictReader(handle):
            method = row["icb_assignment_method"]
            if method == "practice_code_in_2026_01_map":
                sub_icb = sub_icb_of[row["practice_code"]]
            elif method == "ccg_code_equals_2022_sub_icb_code":
                sub_icb = row["ccg_code_2021"]
            else:
                continue
            sizes[sub_icb] = sizes.get(sub_icb, 0) + int(row["number_of_patients"])
    return sizes
