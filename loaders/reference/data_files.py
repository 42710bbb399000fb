"""Where the packaged reference files are: ``loaders/reference/data/``, read from the installed package.

Examples
--------
>>> reference_file("SOURCES.md").read_text(encoding="utf-8").splitlines()[0]
'# Packaged reference data: provenance'
>>> read_reference_csv("nhs_england_regions.csv").shape[0]
7
"""

from __future__ import annotations

from importlib import resources
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from importlib.abc import Traversable

__all__ = ["read_reference_csv", "reference_file"]


def reference_file(name: str) -> Traversable:
    """Return the packaged reference file ``name`` as an ``importlib.resources`` Traversable.

    Parameters
    ----------
    name : str
        A file in ``loaders/reference/data/``, e.g. ``"SOURCES.md"``.
    """
    return resources.files("loaders.reference") / "data" / name


def read_reference_csv(name: str) -> pd.DataFrame:
    """Read a packaged reference CSV as text cells, blank cells as ``None``."""
    with reference_file(name).open("rb") as handle:
        frame = pd.read_csv(handle, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    return frame.replace("", None)
