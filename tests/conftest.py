"""Shared fixtures: paths to the hand-made model and a copy of it to break; one local Spark session."""

from __future__ import annotations

import importlib.util
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    """One real local Spark session (``local[2]``) for the whole test session; stopped at the end.

    Without PySpark (or Java) the Spark tests are skipped with the reason, except under ``CI=true``, where
    they fail: no Spark test is skipped in CI.
    """
    if importlib.util.find_spec("pyspark") is None:
        _no_spark("PySpark is not installed (pip install -e '.[test]')")
    from caregraph import CareGraphError, spark_session

    try:
        session = spark_session(master="local[2]")
    except CareGraphError as exc:
        _no_spark(str(exc))
    yield session
    session.stop()


def _no_spark(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI must run the Spark tests, but Spark could not be had: {reason}", pytrace=False)
    pytest.skip(reason)
