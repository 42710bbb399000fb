"""Delegation of specialised commissioning from NHS England to ICBs (seed 002).

``tables`` (the frames every delegation analysis reads, from either
backend), ``plans`` (who commissions each service for which ICB population),
``activity`` (resident flows and spend given by the analyst), ``checks``
(co-dependency, provider and network checks on a plan), ``bundles`` (the
groups of services that must move together), ``criteria`` and
``assessment`` (suitability, readiness and tiering).
"""
