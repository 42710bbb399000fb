"""Patient flows between where people live and where they are treated (seed 002's two financial changes).

``table`` (the flow table and its checks: one row per commissioner,
provider and optional service or specialty, with activity and cost),
``places`` (where each commissioner's residents live and each provider
sits, on the geography in force on a date), ``aggregate`` (the one
aggregation of rows into area-to-area flows, kept small so another engine
can give the same rows), ``network`` (the weighted flow graph, containment
and cross-boundary flows), ``geographies`` (the same rows on the 42 ICBs of
2022-2026 and the 36 from April 2026), ``money`` (hosted against population
basis), and ``footprints`` (multi-ICB planning footprints found by community
detection).
"""
