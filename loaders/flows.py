"""Reading a flow table (activity between commissioners and providers) and a unit cost table.

``read_flow_table`` reads the file (CSV, ``.csv.gz`` or an ``.xlsx`` sheet)
with the one table reader and returns its rows as text with their row
numbers; the analyses check the values and the organisations
(``networks.flows``), so that every problem, in the file or against the
model, is reported together, each naming file, row and field. The columns
are documented in ``docs/flows.md``.

Examples
--------
>>> import tempfile, pathlib
>>> import caregraph as cg
>>> path = pathlib.Path(tempfile.mkdtemp()) / "flows.csv"
>>> _ = path.write_text("commissioner_id,provider_id,activity\\n36L,RJ7,120\\n36L,RJZ,abc\\n")
>>> flows = cg.read_flow_table(path)
>>> flows.values.tolist()
[['36L', 'RJ7', '120', 2], ['36L', 'RJZ', 'abc', 3]]
>>> cg.check_flows(flows)
Traceback (most recent call last):
...
networks.errors.ValidationError: 1 problem:
  flows.csv, row 3, field 'activity': 'abc' is not a number
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from networks.flows.money import UNIT_COST_COLUMNS
from networks.flows.table import FLOW_COLUMNS, FLOW_OPTIONAL_COLUMNS

from .table_reader import read_input_frame

__all__ = ["read_flow_table", "read_unit_costs"]


def read_flow_table(path: str | Path) -> pd.DataFrame:
    """Read a flow table: ``commissioner_id, provider_id, activity`` and optional columns.

    Parameters
    ----------
    path : str or Path
        A CSV (``.csv``, ``.csv.gz``) or ``.xlsx`` file (first sheet), with
        ``FLOW_COLUMNS`` and any of ``FLOW_OPTIONAL_COLUMNS`` (``service``,
        ``service_name``, ``cost_gbp``, ``unit_cost_gbp``, ``period``).

    Returns
    -------
    pandas.DataFrame
        The columns present as stripped text (blanks ``None``) and ``row``;
        ``attrs["source"]`` is the file name, ``attrs["problems"]`` the
        problems that did not stop the reading (an unknown column).

    Raises
    ------
    networks.errors.ValidationError
        An unreadable file, or missing or repeated columns.
    """
    return read_input_frame(path, FLOW_COLUMNS, FLOW_OPTIONAL_COLUMNS)


def read_unit_costs(path: str | Path) -> pd.DataFrame:
    """Read a unit cost table: ``service, unit_cost_gbp`` (pounds per unit of activity), one row per service.

    Returns
    -------
    pandas.DataFrame
        As ``read_flow_table``; ``networks.flows.money.check_unit_costs``
        checks the values.
    """
    return read_input_frame(path, UNIT_COST_COLUMNS)
