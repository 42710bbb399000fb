"""Care pathways on the graph: flows, hand-offs, budget boundary crossings, pooling, scenarios and event logs.

``tables`` (the backend-neutral tables every pathway analysis reads, from
NetworkX or Neo4j), ``handoffs``, ``crossings``, ``pooling``,
``scenario_changes`` and ``appraisal`` (commissioning options) and
``eventlog`` (hand-offs in event logs); ``choices`` holds the fixed options
the analyses take. Pictures of the results are drawn in
``caregraph.figures``.

Users import the public API from one place, ``import caregraph as cg``;
this package's modules are imported directly. The flows through a
pathway (an absorbing Markov chain) are part of the graph model, in
``networks.pathway_flows``.
"""
