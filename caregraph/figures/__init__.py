"""Figures for board papers: pathway diagrams, co-dependency maps, flow maps and options charts.

The show layer draws what the analyses found; it computes no number of its
own. Each figure is a ``matplotlib.figure.Figure`` on the Agg canvas (no
``pyplot`` state), sized to be printed on A4 landscape with no text under
7 pt (a pathway too long for one page: on several, ``cg.plot_pathway_pages``);
``cg.save_figure``, ``cg.save_figures_pdf`` and ``cg.save_pages`` write them.

Modules: ``pathway_figure`` (``plot_pathway``) with its data
(``pathway_data``), layout (``pathway_grid``, ``pathway_routes``,
``pathway_geometry``) and pages (``pathway_pages``,
``plot_pathway_pages``); ``codependency_map`` (``plot_codependencies``);
``flow_map`` (``plot_flows``); ``options_chart`` (``plot_options``); and the
shared ``style``, ``text`` and ``keys``.
"""
