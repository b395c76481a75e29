"""Shared fixtures: where the project's data and the published seed text are."""

from __future__ import annotations

from pathlib import Path

import pytest

from rongcuo_kg.paths import DEFAULT_DATA_DIR

from places import SEED


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
