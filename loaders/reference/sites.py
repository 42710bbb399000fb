"""Where NHS hospital sites are, and from them where trusts and ICBs are (for maps).

``site_coordinates()`` reads the packaged NHS Choices hospital list (2018,
``reference/data/hospital_sites_2018.csv``; provenance in ``SOURCES.md``):
one row per site with its trust and its latitude and longitude.
``organisation_coordinates(ids)`` places any mix of codes: a site at its
own coordinates, a trust at the mean of its sites', an ICB or a sub-ICB
location at the mean of the sites of the trusts it hosts. Codes it cannot
place are left out, never guessed.

Examples
--------
>>> import caregraph as cg
>>> sites = cg.site_coordinates()
>>> sites.loc[sites.site_code == "RTD01", ["site_name", "trust_code"]].values.tolist()
[['Freeman Hospital', 'RTD']]
>>> places = cg.organisation_coordinates(["RTD01", "RTD", "QHM", "nowhere"])
>>> places[["id", "method"]].values.tolist()
[['RTD01', 'site'], ['RTD', 'trust sites'], ['QHM', 'hosted trusts sites']]
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

import pandas as pd

from .data_files import read_reference_csv

__all__ = ["COORDINATE_COLUMNS", "SITE_COLUMNS", "organisation_coordinates", "site_coordinates"]

SITE_COLUMNS = ["site_code", "site_name", "trust_code", "sector", "latitude", "longitude"]
COORDINATE_COLUMNS = ["id", "latitude", "longitude", "method"]


@functools.lru_cache(maxsize=1)
def _sites() -> pd.DataFrame:
    sites = read_reference_csv("hospital_sites_2018.csv")
    return sites.astype({"latitude": float, "longitude": float}).reindex(columns=SITE_COLUMNS)


def site_coordinates() -> pd.DataFrame:
    """One row per hospital site (NHS Choices, 2018): ``SITE_COLUMNS``, degrees WGS84."""
    return _sites().copy()


@functools.lru_cache(maxsize=1)
def _hosts() -> dict[str, set[str]]:
    """The trusts each ICB and sub-ICB location hosts (April-2026 ICB codes)."""
    trusts = read_reference_csv("nhs_trusts.csv")
    hosts: dict[str, set[str]] = {}
    for trust, icb in zip(trusts["org_code"], trusts["icb_ods_code"], strict=True):
        if icb:
            hosts.setdefault(icb, set()).add(trust)
    sub_icbs = read_reference_csv("sub_icb_locations.csv")
    for sub_icb, *icbs in sub_icbs[["sicbl_ods_code", "icb_ods_code_2022", "icb_ods_code_2026_04"]].itertuples(
            index=False):
        hosts[sub_icb] = set().union(*(hosts.get(icb, set()) for icb in icbs if icb))
    return hosts


def organisation_coordinates(ids: Iterable[str]) -> pd.DataFrame:
    """Place sites, trusts, ICBs and sub-ICB locations by their hospital sites' coordinates.

    Parameters
    ----------
    ids : iterable of str
        ODS codes of any of those kinds.

    Returns
    -------
    pandas.DataFrame
        ``COORDINATE_COLUMNS``, one row per code placed (in the order
        given), ``method`` saying how: ``site``, ``trust sites`` (the mean
        of the trust's sites) or ``hosted trusts sites`` (the mean of the
        sites of the trusts an ICB or sub-ICB location hosts). Codes with no
        site are left out.
    """
    sites = _sites()
    by_site = sites.set_index("site_code")[["latitude", "longitude"]]
    by_trust = sites.groupby("trust_code")[["latitude", "longitude"]].mean()
    rows = []
    for code in dict.fromkeys(str(i) for i in ids):
        if code in by_site.index:
            rows.append((code, *by_site.loc[code], "site"))
        elif code in by_trust.index:
            rows.append((code, *by_trust.loc[code], "trust sites"))
        else:
            hosted = sites[sites["trust_code"].isin(_hosts().get(code, set()))]
            if len(hosted):
                rows.append((code, hosted["latitude"].mean(), hosted["longitude"].mean(), "hosted trusts sites"))
    return pd.DataFrame(rows, columns=COORDINATE_COLUMNS)
