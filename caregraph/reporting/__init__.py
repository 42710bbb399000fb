"""The report a board paper can carry: one self-contained HTML file, or the same as an Excel workbook.

``content`` assembles it (headline figures in plain words, every finding
table with names beside codes, the diagrams) from the exact analyses;
``html`` renders it with a Jinja2 template (inline CSS, JavaScript and SVG:
it opens with no network access) and ``workbook`` writes it as .xlsx;
``make.report`` does all three in one call (``cg.report``).
"""
