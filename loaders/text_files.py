"""Reading text files that users give: the problems of a damaged file and of text that is not UTF-8, said one way.

The table reader (``loaders.table_reader``) and the event-log reader
(``loaders.event_logs``) both read CSV, plain or gzipped; this module is
their one wording of what can go wrong before a single value is looked at,
and imports only the standard library, so the event-log command starts
fast.

Examples
--------
>>> print(not_utf8_problem("log.csv", 2, ["1", "caf\\udce9"]))
log.csv, row 2: is not UTF-8 text (byte 0xe9): save it as CSV UTF-8
"""

from __future__ import annotations

import gzip
import re
import zlib
from collections.abc import Iterable

from networks.errors import Problem

__all__ = ["DAMAGED_FILE_ERRORS", "damaged_file_problem", "first_line", "not_utf8_problem"]

DAMAGED_FILE_ERRORS = (OSError, EOFError, zlib.error)
"""What reading a file that is missing or damaged raises: ``OSError`` (``gzip.BadGzipFile`` among them), and
``EOFError`` or ``zlib.error`` from a gzip stream that is cut short or corrupt."""

_SURROGATE = re.compile("[\\udc80-\\udcff]")


def first_line(exc: BaseException) -> str:
    """The first line of an exception's message (its type's name if it has none).

    Examples
    --------
    >>> first_line(EOFError())
    'EOFError'
    """
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def damaged_file_problem(label: str, exc: BaseException) -> Problem:
    """The one problem for a file that cannot be read at all (one of ``DAMAGED_FILE_ERRORS``).

    Examples
    --------
    >>> import gzip
    >>> try:
    ...     gzip.decompress(b"not gzip")
    ... except DAMAGED_FILE_ERRORS as exc:
    ...     print(damaged_file_problem("log.csv.gz", exc))
    log.csv.gz: cannot be read: not a complete gzip file (Not a gzipped file (b'no'))
    """
    if isinstance(exc, FileNotFoundError):
        return Problem(label, None, None, "no such file")
    if isinstance(exc, (EOFError, zlib.error, gzip.BadGzipFile)):
        return Problem(label, None, None, f"cannot be read: not a complete gzip file ({first_line(exc)})")
    return Problem(label, None, None, f"cannot be read: {first_line(exc)}")


def not_utf8_problem(label: str, row: int, cells: Iterable[str]) -> Problem | None:
    """The problem for a row holding bytes that are not UTF-8, if it does.

    The text must have been decoded with ``errors="surrogateescape"``, which
    keeps each undecodable byte as a lone surrogate character.

    Examples
    --------
    >>> print(not_utf8_problem("plan.csv", 2, ["svc-a", b"\\xe9cs".decode("utf-8", "surrogateescape")]))
    plan.csv, row 2: is not UTF-8 text (byte 0xe9): save it as CSV UTF-8
    """
    for cell in cells:
        if found := _SURROGATE.search(cell):
            byte = ord(found.group()) - 0xDC00
            return Problem(label, row, None, f"is not UTF-8 text (byte 0x{byte:02x}): save it as CSV UTF-8")
    return None
