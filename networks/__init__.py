"""caregraph's graph model, and the analyses of networks of services and organisations.

The model: ``schema`` (node kinds, relationship types, properties: the one
definition both backends follow), ``graph`` (``CareGraph``), ``values``,
``records`` and ``frames`` (building and reading graphs), ``query_runner``
(the protocol a database backend satisfies), ``scenarios`` (the changes a
commissioning scenario makes) and ``errors`` (one root, ``CareGraphError``).

The analyses, grouped by topic: ``delegation`` (co-dependency and
delegation checks, bundles, suitability and readiness).

Users import the public API from one place, ``import caregraph as cg``;
this package's modules are imported directly.
"""
