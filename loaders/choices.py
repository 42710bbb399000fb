"""The fixed options the readers take, importable without pandas (the command line offers them).

Examples
--------
>>> REFERENCE_KINDS
('regions', 'icbs', 'trusts', 'practices')
"""

__all__ = ["DIAGRAM_SUFFIXES", "GRAPH_FILE_SUFFIXES", "REFERENCE_KINDS", "RTT_PART_NAMES"]

REFERENCE_KINDS = ("regions", "icbs", "trusts", "practices")
"""The organisations ``reference_table`` lists."""

GRAPH_FILE_SUFFIXES = (".graphml", ".json")
"""The files a graph can be exported to: GraphML or node-link JSON."""

RTT_PART_NAMES = ("Part_1A", "Part_1B", "Part_2", "Part_2A", "Part_3")
"""The parts of the shipped RTT return (``loaders.reference.rtt.RTT_PARTS`` says what each counts)."""

DIAGRAM_SUFFIXES = (".png", ".svg", ".pdf")
"""The files a figure (a pathway diagram, a map, a chart) can be written as."""
