"""Every reader and writer of caregraph: files, NHS reference data and Neo4j.

``table_reader`` (the one CSV/Excel table reader), ``yaml_reader`` (strict
YAML), ``model`` with ``model_tables`` and ``pathway_yaml`` (model folders),
``scenarios``, ``delegation_inputs`` and ``criteria`` (the analyst's inputs),
``event_logs`` with ``xes`` (event logs in CSV, XES or gzip), ``graph_files``
(GraphML and node-link JSON), ``reference`` (NHS reference data) and
``neo4j`` (the Neo4j backend: load, read back, query).

Users import the public API from one place, ``import caregraph as cg``;
this package's modules are imported directly.
"""
