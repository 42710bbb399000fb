"""The one definition of caregraph's node kinds, relationship types and properties.

Both backends (NetworkX and Neo4j), the model-folder loaders and the Cypher
constraints are driven by the tables in this module. A node has a stable
``id`` and a ``kind`` (its most specific label); the kind's ``labels`` add the
broader labels it also answers to (an ICB is an ``Organisation`` and a
``Commissioner``). A relationship has a ``type`` and may only join the labels
listed for it.

Dates are ISO strings (``YYYY-MM-DD``). ``valid_from`` is the first day a
node or relationship is in force and ``valid_to`` the last (inclusive, as in
ODS close dates); a blank bound is open.

Examples
--------
>>> import caregraph as cg
>>> cg.NODE_KINDS["ICB"].labels
('Organisation', 'Commissioner', 'ICB')
>>> cg.RELATIONSHIP_TYPES["DEPENDS_ON"].property("level").choices
('co-located', 'in-reach', 'networked', 'none')
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "BUDGET_STREAMS",
    "CARE_SETTINGS",
    "CODEPENDENCY_LEVELS",
    "COMMISSIONING_STATUSES",
    "LABELS",
    "NODE_KINDS",
    "PLANNING_TIERS",
    "POOL_LEGAL_BASES",
    "RELATIONSHIP_TYPES",
    "NodeKind",
    "Property",
    "RelationshipType",
    "kinds_with_label",
]

CODEPENDENCY_LEVELS = ("co-located", "in-reach", "networked", "none")
COMMISSIONING_STATUSES = ("retained", "delegated", "joint")
PLANNING_TIERS = ("ics", "multi-ics", "region", "national")
CARE_SETTINGS = (
    "primary",
    "community",
    "acute",
    "specialised",
    "mental_health",
    "social_care",
    "public_health",
)
BUDGET_STREAMS = (
    "nhse_specialised",
    "icb_core",
    "la_social_care",
    "la_public_health",
    "better_care_fund",
    "other",
)
POOL_LEGAL_BASES = ("s75", "s65Z5", "s65Z6", "s13V", "other")


@dataclass(frozen=True)
class Property:
    """One property of a node kind or relationship type.

    Parameters
    ----------
    name : str
        Property name, the same in NetworkX attributes, CSV columns and Neo4j.
    type : {"str", "float", "int", "bool", "date"}
        Value type; CSV text is converted to it on load.
    required : bool
        Whether every node or relationship of this kind must have it.
    choices : tuple of str, optional
        The allowed values, for enumerations.
    minimum, maximum : float, optional
        Inclusive bounds for numbers.
    description : str
        One line for the model-format reference.
    """

    name: str
    type: str = "str"
    required: bool = False
    choices: tuple[str, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None
    description: str = ""


NAME = Property("name", description="human-readable name")
VALID_FROM = Property("valid_from", "date", description="first day in force (blank: always)")
VALID_TO = Property("valid_to", "date", description="last day in force, inclusive (blank: open)")
POPULATION = Property("population", "int", minimum=0, description="resident or registered population")
NODE_COMMON = (NAME, VALID_FROM, VALID_TO)
EDGE_COMMON = (VALID_FROM, VALID_TO)


@dataclass(frozen=True)
class NodeKind:
    """A node kind: its labels and properties (``id`` and ``kind`` are implicit)."""

    name: str
    labels: tuple[str, ...]
    properties: tuple[Property, ...]
    description: str

    def property(self, name: str) -> Property:
        """Return the property called ``name`` (``KeyError`` if the kind has none)."""
        for prop in self.properties:
            if prop.name == name:
                return prop
        raise KeyError(name)


@dataclass(frozen=True)
class RelationshipType:
    """A relationship type: which labels it joins and its properties.

    ``one_of`` lists properties of which exactly one must be given (a
    transition has either a volume or a branch probability).
    """

    name: str
    sources: tuple[str, ...]
    targets: tuple[str, ...]
    properties: tuple[Property, ...]
    description: str
    one_of: tuple[str, ...] = ()

    def property(self, name: str) -> Property:
        """Return the property called ``name`` (``KeyError`` if the type has none)."""
        for prop in self.properties:
            if prop.name == name:
                return prop
        raise KeyError(name)


def _kind(name: str, parents: tuple[str, ...], description: str, *extra: Property) -> NodeKind:
    common = (*NODE_COMMON, _POSTCODE) if "Organisation" in parents else NODE_COMMON
    return NodeKind(name, (*parents, name), common + extra, description)


_COMMISSIONER = ("Organisation", "Commissioner")
_PROVIDER = ("Organisation", "Provider")
_CODE = Property("ons_code", description="ONS code (E54..., E38..., E40...) where one exists")
_POSTCODE = Property("postcode", description="postcode of the main address")

_NODE_KINDS = (
    _kind("NHSEngland", _COMMISSIONER, "NHS England, the national commissioner"),
    _kind("NHSERegion", _COMMISSIONER, "one of the 7 NHS England regions (Y56-Y63)", _CODE, POPULATION),
    _kind("ICB", _COMMISSIONER, "integrated care board, the statutory NHS commissioner of an ICS",
          _CODE, POPULATION),
    _kind("SubICBLocation", _COMMISSIONER, "sub-ICB location (former CCG footprint)", _CODE, POPULATION),
    _kind("CCG", _COMMISSIONER, "clinical commissioning group (before July 2022)"),
    _kind("LocalAuthority", _COMMISSIONER, "council: social care and public health", _CODE, POPULATION),
    _kind("CommissioningHub", _COMMISSIONER, "NHS England commissioning hub (ODS role RO218)"),
    _kind("NHSTrust", _PROVIDER, "NHS trust or foundation trust"),
    _kind("Site", _PROVIDER, "a hospital or clinic site of a provider",
          Property("latitude", "float", minimum=-90, maximum=90),
          Property("longitude", "float", minimum=-180, maximum=180)),
    _kind("GPPractice", _PROVIDER, "GP practice",
          Property("registered_patients", "int", minimum=0)),
    _kind("PCN", _PROVIDER, "primary care network of GP practices"),
    _kind("IndependentProvider", _PROVIDER, "independent sector provider"),
    _kind("VoluntaryProvider", _PROVIDER, "voluntary, community or social enterprise provider"),
    _kind("ProviderCollaborative", ("Network",), "trusts working together under one arrangement"),
    _kind("ODN", ("Network",), "operational delivery network (e.g. major trauma, neonatal)"),
    _kind("CancerAlliance", ("Network",), "cancer alliance"),
    _kind("ClinicalNetwork", ("Network",), "any other clinical network"),
    _kind("Region", ("Geography",), "regional geography", POPULATION),
    _kind("System", ("Geography",), "integrated care system footprint", POPULATION),
    _kind("Place", ("Geography",), "place, usually a council footprint (250-500k people)", POPULATION),
    _kind("Neighbourhood", ("Geography",), "neighbourhood (30-50k people)", POPULATION),
    _kind("Service", (), "a clinical or care service",
          Property("specialised", "bool", required=True, description="commissioned as specialised"),
          Property("service_code", description="national service code where known (never invented)"),
          Property("crg_code", description="clinical reference group code, e.g. A05"),
          Property("highly_specialised", "bool", description="highly specialised (stays national)")),
    _kind("Budget", (), "a funding stream held by one commissioner",
          Property("stream", required=True, choices=BUDGET_STREAMS),
          Property("amount_gbp", "float", minimum=0, description="annual amount in pounds")),
    _kind("Pool", (), "a pooled arrangement of budgets",
          Property("legal_basis", required=True, choices=POOL_LEGAL_BASES)),
    _kind("Pathway", (), "a care pathway",
          Property("condition", description="condition or programme the pathway is for"),
          Property("patients_per_year", "float", minimum=0, description="patients entering per year")),
    _kind("Step", (), "one step of a care pathway",
          Property("pathway", required=True, description="id of the pathway the step belongs to"),
          Property("setting", required=True, choices=CARE_SETTINGS),
          Property("unit_cost", "float", minimum=0, description="cost per patient in pounds")),
)

_VOLUME = Property("patients_per_year", "float", minimum=0, description="patients per year")
_PROBABILITY = Property("probability", "float", minimum=0, maximum=1, description="branch probability")

_RELATIONSHIP_TYPES = (
    RelationshipType("PART_OF", ("Organisation", "Geography"), ("Organisation", "Geography"), EDGE_COMMON,
                     "organisational or geographic hierarchy: practice -> PCN -> sub-ICB -> ICB -> region"),
    RelationshipType("LOCATED_IN", ("Provider",), ("Commissioner", "Geography"), EDGE_COMMON,
                     "a provider's home footprint (e.g. the ICB that hosts a trust)"),
    RelationshipType("COVERS", ("Commissioner",), ("Geography",), EDGE_COMMON,
                     "a commissioner's geography"),
    RelationshipType("SUCCEEDED_BY", ("Organisation",), ("Organisation",), EDGE_COMMON,
                     "an organisation merged into or replaced by another"),
    RelationshipType("PROVIDES", ("Provider", "LocalAuthority"), ("Service",), EDGE_COMMON,
                     "a provider (or one of its sites, or a council's in-house service) offers a service"),
    RelationshipType("HOSTED_BY", ("Network",), ("Organisation",), EDGE_COMMON,
                     "the organisation hosting a network"),
    RelationshipType("MEMBER_OF", ("Organisation",), ("Network",),
                     (*EDGE_COMMON, Property("role", description="e.g. major trauma centre, trauma unit")),
                     "an organisation is a member of a network"),
    RelationshipType("NETWORK_FOR", ("Network",), ("Service",), EDGE_COMMON,
                     "the services a network coordinates"),
    RelationshipType("HELD_BY", ("Budget",), ("Commissioner",), EDGE_COMMON, "who holds a budget"),
    RelationshipType("IN_POOL", ("Budget",), ("Pool",), EDGE_COMMON, "a budget is a member of a pool"),
    RelationshipType("COMMISSIONS", ("Commissioner",), ("Service",),
                     (*EDGE_COMMON,
                      Property("status", required=True, choices=COMMISSIONING_STATUSES),
                      Property("tier", required=True, choices=PLANNING_TIERS)),
                     "commissioning responsibility for a service"),
    RelationshipType("DEPENDS_ON", ("Service",), ("Service",),
                     (*EDGE_COMMON,
                      Property("level", required=True, choices=CODEPENDENCY_LEVELS),
                      Property("evidence",
                               description="where the dependency is stated (URL or citation), or 'illustrative'"),
                      Property("note")),
                     "clinical co-dependency between services"),
    RelationshipType("HAS_STEP", ("Pathway",), ("Step",), EDGE_COMMON, "a pathway's steps"),
    RelationshipType("STARTS_AT", ("Pathway",), ("Step",), (*EDGE_COMMON, _VOLUME, _PROBABILITY),
                     "where patients enter a pathway (volume or share of entrants)"),
    RelationshipType("OF_SERVICE", ("Step",), ("Service",), EDGE_COMMON, "the service a step delivers"),
    RelationshipType("DELIVERED_BY", ("Step",), ("Organisation",), EDGE_COMMON,
                     "the organisation responsible for a step"),
    RelationshipType("AT_SITE", ("Step",), ("Site",), EDGE_COMMON, "the site where a step happens"),
    RelationshipType("PAID_FROM", ("Step",), ("Budget",), EDGE_COMMON, "the budget paying for a step"),
    RelationshipType("NEXT", ("Step",), ("Step",), (*EDGE_COMMON, _VOLUME, _PROBABILITY),
                     "a transition between steps (loops allowed)", one_of=("patients_per_year", "probability")),
)

NODE_KINDS: dict[str, NodeKind] = {kind.name: kind for kind in _NODE_KINDS}
RELATIONSHIP_TYPES: dict[str, RelationshipType] = {rel.name: rel for rel in _RELATIONSHIP_TYPES}
LABELS: tuple[str, ...] = tuple(sorted({label for kind in _NODE_KINDS for label in kind.labels}))


def kinds_with_label(label: str) -> tuple[str, ...]:
    """Return the node kinds that carry ``label``.

    Parameters
    ----------
    label : str
        A label, e.g. ``"Commissioner"`` or a kind name such as ``"ICB"``.

    Returns
    -------
    tuple of str
        Kind names in schema order; empty when no kind has the label.

    Examples
    --------
    >>> import caregraph as cg
    >>> cg.kinds_with_label("Network")
    ('ProviderCollaborative', 'ODN', 'CancerAlliance', 'ClinicalNetwork')
    """
    return tuple(kind.name for kind in _NODE_KINDS if label in kind.labels)
