"""Reading the analyst's tables for delegation analyses: plans, resident flows and spend.

Each reader checks the file and its header (``loaders.table_reader``) and
returns the rows as a frame of stripped text cells with a ``row`` column
(as a spreadsheet numbers rows), ``attrs["source"]`` set to the file name
and ``attrs["problems"]`` holding the problems that did not stop the
reading (an unknown column, a row with too many cells). The values are
checked against the model by the analysis that uses them
(``networks.delegation``), which reports those problems together with its
own, each naming file, row and field.
The columns are documented in ``docs/inputs.md``.

Examples
--------
>>> import tempfile, pathlib
>>> import caregraph as cg
>>> path = pathlib.Path(tempfile.mkdtemp()) / "plan.csv"
>>> _ = path.write_text("service_id,commissioner_id,status,tier\\nsvc-pci,QWE,delegated,ics\\n")
>>> plan = cg.read_plan(path)
>>> plan.values.tolist(), plan.attrs["source"]
([['svc-pci', 'QWE', 'delegated', 'ics', 2]], 'plan.csv')
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from networks.delegation.activity import RESIDENT_FLOW_COLUMNS, SPEND_COLUMNS
from networks.delegation.plans import PLAN_COLUMNS, PLAN_OPTIONAL_COLUMNS

from .table_reader import read_input_frame

__all__ = ["read_flows", "read_plan", "read_spend"]


def read_plan(path: str | Path) -> pd.DataFrame:
    """Read a delegation plan: ``service_id, commissioner_id, status, tier[, valid_from]``.

    Parameters
    ----------
    path : str or Path
        A CSV (``.csv``, ``.csv.gz``) or ``.xlsx`` file (first sheet).

    Returns
    -------
    pandas.DataFrame
        The columns present, stripped text (blanks ``None``), and ``row``.

    Raises
    ------
    networks.errors.ValidationError
        An unreadable file, or missing or repeated columns.
    """
    return read_input_frame(path, PLAN_COLUMNS, PLAN_OPTIONAL_COLUMNS)


def read_flows(path: str | Path) -> pd.DataFrame:
    """Read resident flows: ``service_id, commissioner_id, provider_id, activity`` (see ``read_plan``).

    Examples
    --------
    >>> import caregraph as cg
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "flows.csv"
    >>> _ = path.write_text("service_id,commissioner_id,provider_id,activity\\nsvc-pci,QWE,RJ7,12\\n")
    >>> cg.read_flows(path)["activity"].tolist()
    ['12']
    """
    return read_input_frame(path, RESIDENT_FLOW_COLUMNS)


def read_spend(path: str | Path) -> pd.DataFrame:
    """Read annual spend per service: ``service_id, spend_gbp`` (see ``read_plan``)."""
    return read_input_frame(path, SPEND_COLUMNS)
