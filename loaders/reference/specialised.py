"""Sourced reference tables on specialised services, shipped in ``loaders/reference/data/``.

* ``reference_codependencies()``: the 43 sourced co-dependency pairs
  (major trauma centre and trauma unit requirements, BAPM neonatal levels,
  the South East Coast Clinical Senate 2014 critical care draft, AoMRC 2007),
  each with its level in the clinical senate scheme and the page it comes
  from. PARTIAL: the sources' own lists are cut off.
* ``codependency_level_definitions()``: how each scheme's labels (Purple,
  Red, Amber, Green) map to ``co-located``, ``in-reach``, ``networked`` and
  ``none``.
* ``published_decisions()``: what NHS England published about services, by
  name, from two PARTIAL lists (20 of the 59 services delegated from April
  2024; 8 of the 89 kept national in February 2023), for
  ``assess_services(..., published=...)``.

Provenance is in ``loaders/reference/data/SOURCES.md``. No service codes are
added to the sources.

Examples
--------
>>> import caregraph as cg
>>> pairs = cg.reference_codependencies()
>>> len(pairs), sorted(pairs["level"].dropna().unique())
(43, ['co-located', 'in-reach', 'networked'])
>>> decisions = cg.published_decisions()
>>> decisions.loc[decisions.service_name == "Adult critical care", "decision"].item()
'delegated to ICBs from 2024-04-01 (list PARTIAL: 20 of 59)'
"""

from __future__ import annotations

import pandas as pd

from .data_files import read_reference_csv

__all__ = [
    "DELEGATED_LIST",
    "RETAINED_LIST",
    "codependency_level_definitions",
    "published_decisions",
    "reference_codependencies",
]

DELEGATED_LIST = "delegated_services_2024_25_partial.csv"
"""20 of the 59 services delegated to ICBs from 2024-04-01 (PARTIAL)."""

RETAINED_LIST = "retained_services_partial.csv"
"""8 of the 89 services kept national in February 2023 (PARTIAL)."""

_CODEPENDENCIES = "clinical_codependencies.csv"
_LEVELS = "codependency_level_definitions.csv"


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
    >>> import caregraph as cg
    >>> pairs = cg.reference_codependencies()
    >>> row = pairs[(pairs.service == "Major trauma centre") & (pairs.depends_on == "Neurosurgery")]
    >>> row["level"].item()
    'co-located'
    """
    return read_reference_csv(_CODEPENDENCIES)


def codependency_level_definitions() -> pd.DataFrame:
    """Return how each clinical senate scheme's labels map to the four levels.

    Examples
    --------
    >>> import caregraph as cg
    >>> defs = cg.codependency_level_definitions()
    >>> defs.loc[defs.original_level_label == "Purple", "definition"].item()
    'needing to be based on the same site'
    """
    return read_reference_csv(_LEVELS)


def published_decisions() -> pd.DataFrame:
    """Return what NHS England published about specialised services, from the two shipped PARTIAL lists.

    Returns
    -------
    pandas.DataFrame
        ``service_name`` (as the list prints it), ``decision`` (e.g.
        ``delegated to ICBs from 2024-04-01 (list PARTIAL: 20 of 59)``) and
        ``list`` (which list, and how much of it is shipped). A service on
        both lists keeps the delegation, the later decision.

    Examples
    --------
    >>> import caregraph as cg
    >>> cg.published_decisions()["list"].unique().tolist()  # doctest: +NORMALIZE_WHITESPACE
    ['8 of the 89 services retained nationally (PARTIAL)',
     '20 of the 59 services delegated from April 2024 (PARTIAL)']
    """
    retained = read_reference_csv(RETAINED_LIST)
    delegated = read_reference_csv(DELEGATED_LIST)
    rows = [(str(r.service_name).strip(), f"retained nationally as of {r.as_of} (list PARTIAL: 8 of 89)",
             "8 of the 89 services retained nationally (PARTIAL)") for r in retained.itertuples()]
    rows += [(str(r.service_name).strip(), f"delegated to ICBs from {r.delegated_from} (list PARTIAL: 20 of 59)",
              "20 of the 59 services delegated from April 2024 (PARTIAL)") for r in delegated.itertuples()]
    frame = pd.DataFrame(rows, columns=["service_name", "decision", "list"])
    key = frame["service_name"].str.lower()
    return frame[~key.duplicated(keep="last")].reset_index(drop=True)
