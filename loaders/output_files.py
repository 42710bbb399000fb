"""Writing result files whole or not at all.

Every file caregraph writes (GraphML, JSON, CSV, diagrams, reports,
workbooks) is written to a temporary file beside its destination and moved
into place only when complete, so a failure never leaves half a file where
a good one was, and a file that cannot be written (a missing folder, no
permission, a full disk) is one ``OutputError`` naming it.

Examples
--------
>>> import tempfile, pathlib
>>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
>>> with output_file(target) as temp:
...     _ = temp.write_text("done")
>>> target.read_text()
'done'
>>> with output_file(target.parent / "missing" / "out.txt") as temp:  # doctest: +ELLIPSIS
...     _ = temp.write_text("never")
Traceback (most recent call last):
...
networks.errors.OutputError: cannot write .../missing/out.txt: the folder ... does not exist
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from networks.errors import OutputError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["output_file", "write_csv"]


@contextlib.contextmanager
def output_file(path: str | Path) -> Iterator[Path]:
    """Give a temporary path to write to; on success it replaces ``path``, on failure it is removed.

    Parameters
    ----------
    path : str or Path
        The destination. Its folder must exist.

    Yields
    ------
    Path
        A temporary file in the same folder, with the same suffix (so
        writers that choose a format by suffix still do).

    Raises
    ------
    networks.errors.OutputError
        The folder does not exist, or the file cannot be written or moved.
    """
    path = Path(path)
    folder = path.parent
    if not folder.is_dir():
        raise OutputError(f"cannot write {path}: the folder {folder} does not exist")
    try:
        handle, name = tempfile.mkstemp(prefix=f".{path.stem}-", suffix="".join(path.suffixes), dir=folder)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
    os.close(handle)
    temp = Path(name)
    try:
        yield temp
        os.replace(temp, path)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        with contextlib.suppress(OSError):
            temp.unlink()


def write_csv(frame: pd.DataFrame, path: str | Path) -> None:
    """Write a table as UTF-8 CSV with a header row and no index, whole or not at all.

    Examples
    --------
    >>> import caregraph as cg
    >>> import tempfile, pathlib
    >>> import pandas as pd
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> cg.write_csv(pd.DataFrame({"id": ["QHM"], "n": [1]}), target)
    >>> target.read_text()
    'id,n\\nQHM,1\\n'
    """
    with output_file(path) as temp:
        frame.to_csv(temp, index=False, lineterminator="\n", encoding="utf-8")
