"""Sourced reference tables for delegation analyses, shipped in ``networks/reference_data/``.

* ``reference_codependencies()``: the 43 sourced co-dependency pairs
  (major trauma centre and trauma unit requirements, BAPM neonatal levels,
  the South East Coast Clinical Senate 2014 critical care draft, AoMRC 2007),
  each with its level in the clinical senate scheme and the page it comes
  from. PARTIAL: the sources' own lists are cut off.
* ``codependency_level_definitions()``: how each scheme's labels (Purple,
  Red, Amber, Green) map to ``co-located``, ``in-reach``, ``networked`` and
  ``none``.
* ``published_status(names)``: what NHS England published about a service,
  looked up by name in two PARTIAL lists (20 of the 59 services delegated
  from April 2024; 8 of the 89 kept national in February 2023).

Provenance is in ``networks/reference_data/SOURCES.md``. No service codes are
added to the sources.

Examples
--------
>>> pairs = reference_codependencies()
>>> len(pairs), sorted(pairs["level"].dropna().unique())
(43, ['co-located', 'in-reach', 'networked'])
>>> published_status(["Adult critical care"]).iloc[0]
'delegated to ICBs from 2024-04-01 (list PARTIAL: 20 of 59)'
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib import resources
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from importlib.abc import Traversable

__all__ = [
    "DELEGATED_LIST",
    "RETAINED_LIST",
    "codependency_level_definitions",
    "published_status",
    "reference_codependencies",
    "reference_data_file",
]

DELEGATED_LIST = "delegated_services_2024_25_partial.csv"
"""20 of the 59 services delegated to ICBs from 2024-04-01 (PARTIAL)."""

RETAINED_LIST = "retained_services_partial.csv"
"""8 of the 89 services kept national in February 2023 (PARTIAL)."""

_CODEPENDENCIES = "clinical_codependencies.csv"
_LEVELS = "codependency_level_definitions.csv"
_NOT_LISTED = "not in the shipped lists (lists PARTIAL: 20 of 59 delegated, 8 of 89 retained)"


def reference_data_file(name: str) -> Traversable:
    """Return a file of ``networks/reference_data/`` as an ``importlib.resources`` Traversable.

    Examples
    --------
    >>> reference_data_file("SOURCES.md").read_text(encoding="utf-8").splitlines()[0]
    '# Packaged delegation reference data: provenance'
    """
    return resources.files("networks") / "reference_data" / name


def _read(name: str) -> pd.DataFrame:
    with reference_data_file(name).open("rb") as handle:
        frame = pd.read_csv(handle, dtype=str, keep_default_na=False, encoding="utf-8")
    return frame.replace("", None)


def reference_codependencies() -> pd.DataFrame:
    """Return the sourced co-dependency pairs (PARTIAL), one row per directed pair.

    Returns
    -------
    pandas.DataFrame
        Columns ``service``, ``depends_on`` (names as the sources word
        them), ``level`` (``co-located``, ``in-reach``, ``networked``; missing
        where the source states no site requirement), ``original_level_label``,
        ``scheme``, ``source_url`` and ``note``.

    Examples
    --------
    >>> pairs = reference_codependencies()
    >>> row = pairs[(pairs.service == "Major trauma centre") & (pairs.depends_on == "Neurosurgery")]
    >>> row["level"].item()
    'co-located'
    """
    return _read(_CODEPENDENCIES)


def codependency_level_definitions() -> pd.DataFrame:
    """Return how each clinical senate scheme's labels map to the four levels.

    Examples
    --------
    >>> defs = codependency_level_definitions()
    >>> defs.loc[defs.original_level_label == "Purple", "definition"].item()
    'needing to be based on the same site'
    """
    return _read(_LEVELS)


def published_status(names: Iterable[str]) -> pd.Series:
    """Say what NHS England published about each service, matched by name.

    Names are matched exactly, ignoring case and surrounding spaces, against
    the two shipped lists. Both lists are partial, so every answer says so.

    Parameters
    ----------
    names : iterable of str
        Service names.

    Returns
    -------
    pandas.Series
        One text per name, in order.

    Examples
    --------
    >>> published_status(["Hyperbaric oxygen", "Cardiac rehabilitation"]).tolist()[1]
    'not in the shipped lists (lists PARTIAL: 20 of 59 delegated, 8 of 89 retained)'
    """
    delegated = _read(DELEGATED_LIST)
    retained = _read(RETAINED_LIST)
    status: dict[str, str] = {}
    for row in retained.itertuples():
        status[str(row.service_name).strip().lower()] = (
            f"retained nationally as of {row.as_of} (list PARTIAL: 8 of 89)"
        )
    for row in delegated.itertuples():
        status[str(row.service_name).strip().lower()] = (
            f"delegated to ICBs from {row.delegated_from} (list PARTIAL: 20 of 59)"
        )
    values = [status.get(str(name).strip().lower(), _NOT_LISTED) for name in names]
    return pd.Series(values, dtype=object)
