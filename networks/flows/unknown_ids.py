"""Flow rows naming ids nobody knows: an error listing each id with its rows and activity, or skipped and said.

One wording for every flow table (national flow tables and a delegation
check's resident flows): a mistyped code (``RAXX`` for ``RAX``) must never
quietly count as activity "somewhere else".

Examples
--------
>>> import pandas as pd
>>> flows = pd.DataFrame({"provider_id": ["RAX", "RAXX", "RAXX"], "activity": ["5", "7", "3"],
...                       "row": [2, 3, 4]})
>>> found = unknown_ids(flows, "provider_id", {"RAX"}.__contains__, "an NHS provider", "error", "flows.csv")
>>> [str(p) for p in found.problems]
["flows.csv, row 3, field 'provider_id': 'RAXX' is not an NHS provider (rows 3, 4; activity 10)"]
>>> skipped = unknown_ids(flows, "provider_id", {"RAX"}.__contains__, "an NHS provider", "skip", "flows.csv")
>>> skipped.dropped.tolist(), skipped.skipped[["id", "n_rows", "activity"]].values.tolist()
([False, True, True], [['RAXX', 2, 10.0]])
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pandas as pd

from networks.choices import UNKNOWN_POLICIES, check_choice
from networks.errors import Problem

__all__ = ["SKIPPED_COLUMNS", "UnknownIds", "describe_skipped", "row_count", "row_list", "unknown_id_counts",
           "unknown_ids"]

SKIPPED_COLUMNS = ["field", "id", "rows", "n_rows", "activity"]
"""The columns of a table of skipped ids: one row per id."""


@dataclass(frozen=True)
class UnknownIds:
    """What ``unknown_ids`` found: problems (``unknown="error"``), or the rows to drop and what they held."""

    problems: list[Problem]
    dropped: pd.Series
    skipped: pd.DataFrame


def row_list(rows: Iterable[int]) -> str:
    """``"3, 4, 9, 12, 15 and 2 more"``: the first five row numbers.

    >>> row_list([9, 3, 4, 12, 15, 20, 21])
    '3, 4, 9, 12, 15 and 2 more'
    """
    numbers = sorted(rows)
    more = f" and {len(numbers) - 5} more" if len(numbers) > 5 else ""
    return ", ".join(str(n) for n in numbers[:5]) + more


def _activity(values: pd.Series) -> float:
    text = values.map(lambda v: v.replace(",", "") if isinstance(v, str) else v)
    return float(pd.to_numeric(text, errors="coerce").fillna(0.0).sum())


def unknown_ids(flows: pd.DataFrame, field: str, is_known: Callable[[str], bool], known_as: str, unknown: str,
                source: str) -> UnknownIds:
    """Find the ids of one column that are not known, as problems or as rows to skip.

    Parameters
    ----------
    flows : pandas.DataFrame
        With ``field``, ``activity`` (numbers or text) and ``row``.
    field : str
        The id column.
    is_known : callable
        ``is_known(id)`` is true for an id that may appear.
    known_as : str
        What a known id is, for the message ("an organisation of the model").
    unknown : {"error", "skip"}
        Problems to raise, or rows to drop and list.
    source : str
        The file, as messages name it.

    Returns
    -------
    UnknownIds
        ``problems`` (one per unknown id, at its first row, with its rows and
        activity) when ``unknown="error"``; else ``dropped`` (a mask of the
        rows of unknown ids) and ``skipped`` (``SKIPPED_COLUMNS``).
    """
    check_choice("unknown", unknown, UNKNOWN_POLICIES)
    problems: list[Problem] = []
    skipped: list[dict[str, object]] = []
    dropped = pd.Series(False, index=flows.index)
    for code in sorted({str(c) for c in pd.unique(flows[field].dropna()) if not is_known(str(c))}):
        mask = flows[field] == code
        numbers = [int(n) for n in flows.loc[mask, "row"]]
        activity = _activity(flows.loc[mask, "activity"])
        if unknown == "skip":
            skipped.append({"field": field, "id": code, "rows": row_list(numbers), "n_rows": len(numbers),
                            "activity": activity})
            dropped |= mask
        else:
            where = f"row{'s' if len(numbers) > 1 else ''} {row_list(numbers)}; activity {activity:g}"
            problems.append(Problem(source, min(numbers), field, f"'{code}' is not {known_as} ({where})"))
    return UnknownIds(problems, dropped, pd.DataFrame(skipped, columns=SKIPPED_COLUMNS))


def unknown_id_counts(counts: pd.DataFrame, field: str, is_known: Callable[[str], bool], known_as: str,
                      unknown: str, source: str) -> tuple[list[Problem], pd.DataFrame]:
    """As ``unknown_ids``, for a table summed per id (no row numbers): a Spark DataFrame's ids, say.

    Parameters
    ----------
    counts : pandas.DataFrame
        One row per id of ``field``: ``id``, ``n_rows`` and ``activity``
        (their sum).
    field, is_known, known_as, unknown, source
        As for ``unknown_ids``.

    Returns
    -------
    problems : list of Problem
        One per unknown id, with how many rows and how much activity
        (``unknown="error"``).
    skipped : pandas.DataFrame
        ``SKIPPED_COLUMNS`` (``rows`` blank: the rows are not numbered)
        for ``unknown="skip"``.

    Examples
    --------
    >>> counts = pd.DataFrame({"id": ["RAX", "RAXX"], "n_rows": [1, 2], "activity": [5.0, 10.0]})
    >>> problems, _ = unknown_id_counts(counts, "provider_id", {"RAX"}.__contains__, "an NHS provider", "error",
    ...                                 "Spark DataFrame")
    >>> [str(p) for p in problems]
    ["Spark DataFrame, field 'provider_id': 'RAXX' is not an NHS provider (2 rows; activity 10)"]
    """
    check_choice("unknown", unknown, UNKNOWN_POLICIES)
    found = counts[[not is_known(str(code)) for code in counts["id"]]].sort_values("id")
    if unknown == "skip":
        skipped = pd.DataFrame({"field": field, "id": found["id"].astype(str), "rows": None,
                                "n_rows": found["n_rows"].astype(int), "activity": found["activity"].astype(float)},
                               columns=SKIPPED_COLUMNS)
        return [], skipped.reset_index(drop=True)
    problems = [Problem(source, None, field, f"'{code}' is not {known_as} ({row_count(n)}; activity {activity:g})")
                for code, n, activity in zip(found["id"], found["n_rows"], found["activity"], strict=True)]
    return problems, pd.DataFrame(columns=SKIPPED_COLUMNS)


def row_count(n: int) -> str:
    """``"1 row"``, ``"2 rows"``.

    >>> row_count(1), row_count(2)
    ('1 row', '2 rows')
    """
    return f"{n} row{'s' if n != 1 else ''}"


def describe_skipped(skipped: pd.DataFrame | list[dict[str, object]], source: str, known_as: str) -> list[str]:
    """One line per skipped id (a frame or records of ``SKIPPED_COLUMNS``), for standard error or a log.

    Rows not numbered (``rows`` blank: from a Spark DataFrame) are not listed.

    >>> frame = pd.DataFrame([{"field": "provider_id", "id": "RAXX", "rows": "3, 4", "n_rows": 2, "activity": 10.0}])
    >>> describe_skipped(frame, "flows.csv", "an NHS provider")
    ["flows.csv: skipped 2 rows of provider_id 'RAXX' (rows 3, 4; activity 10): not an NHS provider"]
    """
    return [f"{source}: skipped {row_count(n)} of {field} '{code}' ("
            + (f"row{'s' if n != 1 else ''} {rows}; " if isinstance(rows, str) else "")
            + f"activity {activity:g}): not {known_as}"
            for field, code, rows, n, activity in
            pd.DataFrame(skipped, columns=SKIPPED_COLUMNS).itertuples(index=False)]
