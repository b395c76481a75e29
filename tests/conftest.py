"""Shared fixtures: where the project's data and the published seed text are."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from rongcuo_kg.paths import DEFAULT_DATA_DIR

from places import SEED

# The suite's own cache folder (stores, finder indexes), inherited by the commands and apps the
# tests start, and removed at the end: a run neither reads nor leaves the user's cache.
TEST_CACHE = tempfile.mkdtemp(prefix="rongcuo-test-cache-")
os.environ["RONGCUO_CACHE"] = TEST_CACHE


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(TEST_CACHE, ignore_errors=True)


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The corpus shipped with the package (corpus/, annotations/, eval/)."""
    return DEFAULT_DATA_DIR


@pytest.fixture(scope="session")
def corpus_dir(data_dir: Path) -> Path:
    return data_dir / "corpus"


@pytest.fixture(scope="session")
def seed_path() -> Path:
    """The compilation of the three measures as published."""
    return SEED
