"""Getting data into and out of caregraph: model folders, pathway YAML and NHS reference data.

Examples
--------
>>> from loaders import TABLES
>>> sorted(TABLES)[:3]
['budgets', 'codependencies', 'commissioning']
"""

from typing import TYPE_CHECKING

from networks.lazy import attach

__getattr__, __dir__, __all__ = attach(__name__, __file__)

if TYPE_CHECKING:
    from .model import PATHWAY_FOLDER, WORKBOOK_NAME, load_model, model_records, validate_model
    from .pathway_yaml import pathway_records, step_id
    from .reference import TABLE_KINDS, reference_graph, reference_table
    from .tables import TABLES, EdgeTable, NodeTable, Reference
