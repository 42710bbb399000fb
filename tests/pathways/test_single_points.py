"""Single points of failure on hand-built models; patients worked out by hand."""

from __future__ import annotations

import pytest

import caregraph as cg
from caregraph import CareGraph


def _model(second_pci: str | None) -> CareGraph:
    """Region R: ICB A (trusts TA with site TA1, and TB) and ICB B (trust TC).

    Pathway p: 1,000 patients a year start at 'assess' (TB, 50% go on to 'pci' at TA1, the rest leave),
    'pci' sends 80% to 'rehab' (TB). PCI is provided by TA1 and, when given, by ``second_pci`` too.
    """
    g = CareGraph()
    g.add_node("R", "NHSERegion")
    for icb in ("A", "B"):
        g.add_node(icb, "ICB")
        g.add_edge(icb, "R", "PART_OF")
    for trust, icb in (("TA", "A"), ("TB", "A"), ("TC", "B")):
        g.add_node(trust, "NHSTrust", name=f"Trust {trust}")
        g.add_edge(trust, icb, "LOCATED_IN")
    g.add_node("TA1", "Site", name="Site TA1")
    g.add_edge("TA1", "TA", "PART_OF")
    for service in ("assess", "pci", "rehab"):
        g.add_node(service, "Service", specialised=service == "pci", name=service.upper())
    g.add_edge("TA1", "pci", "PROVIDES")
    g.add_edge("TB", "assess", "PROVIDES")
    g.add_edge("TB", "rehab", "PROVIDES")
    g.add_edge("TC", "rehab", "PROVIDES")
    if second_pci:
        g.add_edge(second_pci, "pci", "PROVIDES")
    g.add_node("p", "Pathway", patients_per_year=1000.0, name="Pathway p")
    for step, service, provider, site in (("p/assess", "assess", "TB", None), ("p/pci", "pci", "TA", "TA1"),
                                          ("p/rehab", "rehab", "TB", None)):
        g.add_node(step, "Step", pathway="p", setting="acute")
        g.add_edge("p", step, "HAS_STEP")
        g.add_edge(step, service, "OF_SERVICE")
        g.add_edge(step, provider, "DELIVERED_BY")
        if site:
            g.add_edge(step, site, "AT_SITE")
    g.add_edge("p", "p/assess", "STARTS_AT", probability=1.0)
    g.add_edge("p/assess", "p/pci", "NEXT", probability=0.5)
    g.add_edge("p/pci", "p/rehab", "NEXT", probability=0.8)
    return g


def _findings(g: CareGraph, footprint: str = "icb") -> dict[tuple[str, str, str], float]:
    found = cg.single_points_of_failure(g, "all", footprint=footprint)
    return {(r["removed_id"], r["finding"], r["service_id"] or r["pathway"]): r["patients_per_year"]
            for r in found.to_dict("records")}


def test_the_only_pci_site_in_the_icb_breaks_the_route_of_those_who_need_it():
    found = _findings(_model(None))
    # losing TA (or its site TA1) loses 'pci': the 500 patients who go on to PCI lose their route
    assert found[("TA", "route broken", "p")] == pytest.approx(500.0)
    assert found[("TA1", "route broken", "p")] == pytest.approx(500.0)
    assert found[("TA", "no provider left", "pci")] == pytest.approx(500.0)
    # losing TB loses the start step 'assess' (no other provider in A): no route for any of the 1,000
    assert found[("TB", "no route left", "p")] == pytest.approx(1000.0)
    # 'rehab' is also offered by TC, but in ICB B: in footprint A there is no other provider
    assert found[("TB", "no provider left", "rehab")] == pytest.approx(400.0)  # 1,000 x 0.5 x 0.8


def test_another_provider_in_the_footprint_removes_the_finding():
    found = _findings(_model("TB"))  # TB offers PCI too
    assert not any(key[0] in ("TA", "TA1") for key in found)


def test_a_regional_footprint_finds_the_provider_in_the_other_icb():
    found = _findings(_model(None), footprint="region")
    # in region R, TC (ICB B) also provides rehab: only 'assess' is lost with TB, still no route
    assert ("TB", "no provider left", "rehab") not in found
    assert found[("TB", "no route left", "p")] == pytest.approx(1000.0)


def test_findings_are_ranked_by_patients_and_say_the_date():
    found = cg.single_points_of_failure(_model(None), "2026-05-01")
    assert found["patients_per_year"].is_monotonic_decreasing
    assert found["rank"].tolist() == list(range(1, len(found) + 1))
    assert found.attrs["as_at"] == "2026-05-01"
