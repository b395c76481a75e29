"""Shared fixtures: where the project's data and the published seed text are."""

from __future__ import annotations

from pathlib import Path

import pytest

from rongcuo_kg.paths import DEFAULT_DATA_DIR, PROJECT_ROOT

SEED = PROJECT_ROOT.parent / "shared" / "seeds" / "rongcuo-measures-compilation.txt"


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The project's own data/ folder (corpus/ and annotations/)."""
    return DEFAULT_DATA_DIR


@pytest.fixture(scope="session")
def corpus_dir(data_dir: Path) -> Path:
    return data_dir / "corpus"


@pytest.fixture(scope="session")
def seed_path() -> Path:
    """The compilation of the three measures as published (../shared beside the checkout)."""
    assert SEED.is_file(), f"the seed text is expected at {SEED} (see README)"
    return SEED
