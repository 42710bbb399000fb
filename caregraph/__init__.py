"""The ``caregraph`` command line, a thin layer over ``networks``, ``loaders`` and ``pathways``.

Examples
--------
>>> from caregraph import main
>>> callable(main)
True
"""

from .cli import build_parser, main
from .output import FORMATS, render

__all__ = ["FORMATS", "build_parser", "main", "render"]
