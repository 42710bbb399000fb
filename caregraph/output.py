"""Writing result DataFrames as a table, CSV or JSON for the command line.

Examples
--------
>>> import pandas as pd
>>> print(render(pd.DataFrame({"name": ["ICB"], "count": [42]}), "csv"), end="")
name,count
ICB,42
"""

from __future__ import annotations

import pandas as pd

__all__ = ["FORMATS", "render"]

FORMATS = ("table", "csv", "json")


def render(frame: pd.DataFrame, fmt: str) -> str:
    """Return ``frame`` as text in one of ``FORMATS``.

    Parameters
    ----------
    frame : pandas.DataFrame
        The result to show; its index is not written.
    fmt : {"table", "csv", "json"}
        ``table`` is aligned text for people (missing values blank), ``csv``
        has a header row (missing values empty), and ``json`` is a list of
        records (missing values ``null``).

    Returns
    -------
    str
        The text, ending with a newline.

    Examples
    --------
    >>> import pandas as pd
    >>> render(pd.DataFrame({"a": [1]}), "json")
    '[{"a":1}]\\n'
    """
    if fmt == "csv":
        return str(frame.to_csv(index=False, lineterminator="\n"))
    if fmt == "json":
        return str(frame.to_json(orient="records", force_ascii=False)) + "\n"
    if fmt == "table":
        if frame.empty:
            return "(no rows)\n"
        return str(frame.astype(object).where(frame.notna(), "").to_string(index=False)) + "\n"
    raise ValueError(f"unknown format '{fmt}'; choose one of {', '.join(FORMATS)}")
