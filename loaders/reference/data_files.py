"""Where the packaged reference files are: ``loaders/reference/data/``, read from the installed package.

Large tables are shipped gzipped (``.csv.gz``); ``open_reference_text``
and ``read_reference_csv`` read either form.

Examples
--------
>>> reference_file("SOURCES.md").read_text(encoding="utf-8").splitlines()[0]
'# Packaged reference data: provenance'
>>> read_reference_csv("nhs_england_regions.csv").shape[0]
7
>>> read_reference_csv("rtt_organisations_2026_04.csv").shape[0]
657
"""

from __future__ import annotations

import gzip
import io
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from typing import IO, TYPE_CHECKING, cast

import pandas as pd

if TYPE_CHECKING:
    from importlib.abc import Traversable

__all__ = ["open_reference_text", "read_reference_csv", "reference_file"]


def reference_file(name: str) -> Traversable:
    """Return the packaged reference file ``name`` as an ``importlib.resources`` Traversable.

    Parameters
    ----------
    name : str
        A file in ``loaders/reference/data/``, e.g. ``"SOURCES.md"``.
    """
    return resources.files("loaders.reference") / "data" / name


@contextmanager
def open_reference_text(name: str) -> Iterator[IO[str]]:
    """Open a packaged CSV (``.csv`` or ``.csv.gz``) as UTF-8 text, ready for the ``csv`` module."""
    with reference_file(name).open("rb") as raw:
        stream = cast("IO[bytes]", gzip.GzipFile(fileobj=raw)) if name.endswith(".gz") else raw
        with io.TextIOWrapper(stream, encoding="utf-8-sig", newline="") as text:
            yield text


def read_reference_csv(name: str) -> pd.DataFrame:
    """Read a packaged reference CSV (``.csv`` or ``.csv.gz``) as text cells, blank cells as ``None``."""
    with open_reference_text(name) as handle:
        frame = pd.read_csv(handle, dtype=str, keep_default_na=False)
    return frame.replace("", None)
