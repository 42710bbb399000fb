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

from collections.abc import Collection
from pathlib import Path

import pandas as pd

from networks.delegation.activity import RESIDENT_FLOW_COLUMNS, SPEND_COLUMNS
from networks.delegation.plans import PLAN_COLUMNS, PLAN_OPTIONAL_COLUMNS
from networks.flows.unknown_ids import unknown_ids

from .reference.providers import nhs_provider_codes
from .table_reader import read_input_frame

__all__ = ["UNKNOWN_PROVIDER", "read_flows", "read_plan", "read_spend"]

UNKNOWN_PROVIDER = "an organisation of the model or an NHS provider code"
"""What a flow's provider must be (the message of an unknown one)."""


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


def read_flows(path: str | Path, known: Collection[str] = (), *, unknown: str = "error") -> pd.DataFrame:
    """Read resident flows: ``service_id, commissioner_id, provider_id, activity`` (see ``read_plan``).

    A provider must be one of ``known`` or an NHS provider code
    of the reference data (``nhs_provider_codes``): a mistyped code would
    otherwise count as activity treated "elsewhere" and lower containment.
    Like the reader's other problems, an unknown provider is held in
    ``attrs["problems"]`` and reported, with the analysis's own problems,
    by the analysis that checks the flows (``check_delegation``,
    ``assess_services``).

    Parameters
    ----------
    path : str or Path
        A CSV (``.csv``, ``.csv.gz``) or ``.xlsx`` file (first sheet).
    known : collection of str
        More codes a provider may have: the model's organisations
        (``DelegationFrames.organisations()``, or a ``CareGraph``).
    unknown : {"error", "skip"}
        An unknown provider is an error naming its rows and activity
        (default), or its rows are left out and listed in
        ``attrs["skipped"]`` (records of ``field, id, rows, n_rows,
        activity``; records, so that pandas can still copy the frame).

    Raises
    ------
    networks.errors.ValidationError
        An unreadable file, or missing or repeated columns.

    Examples
    --------
    >>> import caregraph as cg
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "flows.csv"
    >>> _ = path.write_text("service_id,commissioner_id,provider_id,activity\\nsvc-pci,QWE,RJ7,12\\n"
    ...                     "svc-pci,QWE,RJ77,3\\n")
    >>> for problem in cg.read_flows(path).attrs["problems"]:
    ...     print(problem)  # doctest: +NORMALIZE_WHITESPACE
    flows.csv, row 3, field 'provider_id': 'RJ77' is not an organisation of the model or an NHS provider code
    (row 3; activity 3)
    >>> kept = cg.read_flows(path, unknown="skip")
    >>> kept["activity"].tolist(), [s["id"] for s in kept.attrs["skipped"]]
    (['12'], ['RJ77'])
    """
    frame = read_input_frame(path, RESIDENT_FLOW_COLUMNS)
    providers = nhs_provider_codes()

    def is_known(code: str) -> bool:
        return code in providers or code in known

    found = unknown_ids(frame, "provider_id", is_known, UNKNOWN_PROVIDER, unknown, frame.attrs["source"])
    kept = frame[~found.dropped].reset_index(drop=True)
    kept.attrs = {**frame.attrs, "problems": [*frame.attrs["problems"], *found.problems],
                  "skipped": found.skipped.to_dict("records")}
    return kept


def read_spend(path: str | Path) -> pd.DataFrame:
    """Read annual spend per service: ``service_id, spend_gbp`` (see ``read_plan``)."""
    return read_input_frame(path, SPEND_COLUMNS)
