"""Getting data into and out of caregraph: model folders, pathway YAML and NHS reference data.

Examples
--------
>>> from loaders import TABLES
>>> sorted(TABLES)[:3]
['budgets', 'codependencies', 'commissioning']
"""

from .model import PATHWAY_FOLDER, WORKBOOK_NAME, load_model, model_records, validate_model
from .pathway_yaml import pathway_records, step_id
from .reference import TABLE_KINDS, reference_graph, reference_table
from .tables import TABLES, EdgeTable, NodeTable, Reference

__all__ = [
    "PATHWAY_FOLDER",
    "TABLES",
    "TABLE_KINDS",
    "WORKBOOK_NAME",
    "EdgeTable",
    "NodeTable",
    "Reference",
    "load_model",
    "model_records",
    "pathway_records",
    "reference_graph",
    "reference_table",
    "step_id",
    "validate_model",
]
