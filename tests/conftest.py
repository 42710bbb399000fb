"""Shared fixtures: paths to the hand-made model and a copy of it to break."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
SMALL_MODEL = FIXTURES / "small_model"


@pytest.fixture
def small_model() -> Path:
    """The hand-made valid model folder (read only)."""
    return SMALL_MODEL


@pytest.fixture
def model_copy(tmp_path: Path) -> Path:
    """A writable copy of the hand-made model, for tests that break it."""
    target = tmp_path / "model"
    shutil.copytree(SMALL_MODEL, target)
    return target
