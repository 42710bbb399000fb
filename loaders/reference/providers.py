"""Every NHS provider code caregraph's reference data knows: what a flow table may name outside a model.

The union of the ODS NHS trusts (open and closed, ``nhs_trusts.csv``), the
providers of NHS England's RTT return for April 2026 (trusts and
independent providers, ``rtt_organisations_2026_04.csv``) and the hospital
sites of NHS Choices with their parent organisations
(``hospital_sites_2018.csv``); provenance in ``reference/data/SOURCES.md``.
A code outside it and outside the model (``RAXX`` for ``RAX``) is a typing
mistake until the user says otherwise.

Examples
--------
>>> import caregraph as cg
>>> codes = cg.nhs_provider_codes()
>>> "RAX" in codes, "RAXX" in codes, "RTD01" in codes, "NT204" in codes
(True, False, True, True)
"""

from __future__ import annotations

import functools

from .data_files import read_reference_csv

__all__ = ["PROVIDER_CODE_FILES", "nhs_provider_codes"]

PROVIDER_CODE_FILES = ("nhs_trusts.csv", "rtt_organisations_2026_04.csv", "hospital_sites_2018.csv")
"""The packaged files whose codes are NHS providers."""


@functools.lru_cache(maxsize=1)
def nhs_provider_codes() -> frozenset[str]:
    """Return every NHS provider code of the reference data (trusts, RTT providers, hospital sites).

    Returns
    -------
    frozenset of str
        About 1,900 codes: trusts (``RAX``), independent providers
        (``NT204``), sites (``RTD01``).
    """
    trusts = read_reference_csv("nhs_trusts.csv")["org_code"]
    rtt = read_reference_csv("rtt_organisations_2026_04.csv")
    sites = read_reference_csv("hospital_sites_2018.csv")
    codes = {*trusts, *rtt.loc[rtt["role"] == "provider", "org_code"], *sites["site_code"], *sites["trust_code"]}
    return frozenset(str(code) for code in codes if code)
