"""The schema is consistent with itself."""

from caregraph import LABELS, NODE_KINDS, RELATIONSHIP_TYPES, kinds_with_label

ALLOWED_TYPES = {"str", "float", "int", "bool", "date"}


def test_every_kind_ends_with_its_own_label_and_has_no_duplicate_properties():
    for name, kind in NODE_KINDS.items():
        assert kind.labels[-1] == name
        names = [p.name for p in kind.properties]
        assert len(names) == len(set(names)), name
        assert {p.type for p in kind.properties} <= ALLOWED_TYPES


def test_relationship_endpoints_are_existing_labels():
    for rel in RELATIONSHIP_TYPES.values():
        assert set(rel.sources) <= set(LABELS), rel.name
        assert set(rel.targets) <= set(LABELS), rel.name
        assert set(rel.one_of) <= {p.name for p in rel.properties}


def test_the_issue_kinds_exist():
    commissioners = {"NHSEngland", "NHSERegion", "ICB", "SubICBLocation", "CCG", "LocalAuthority",
                     "CommissioningHub"}
    providers = {"NHSTrust", "Site", "GPPractice", "PCN", "IndependentProvider", "VoluntaryProvider"}
    assert set(kinds_with_label("Commissioner")) == commissioners
    assert set(kinds_with_label("Provider")) == providers
    assert set(kinds_with_label("Geography")) == {"Region", "System", "Place", "Neighbourhood"}
    assert "ProviderCollaborative" in kinds_with_label("Network")


def test_codependency_levels_follow_the_clinical_senate_scheme():
    level = RELATIONSHIP_TYPES["DEPENDS_ON"].property("level")
    assert level.choices == ("co-located", "in-reach", "networked", "none")
