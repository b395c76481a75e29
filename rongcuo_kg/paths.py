"""Where the project's files are, and which corpus folder a command uses."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY_DIR = PROJECT_ROOT / "ontology"
DEFAULT_DATA_DIR = PROJECT_ROOT / "data"
SHAPES_DIR = PROJECT_ROOT / "shapes"


def data_dir(explicit: str | Path | None = None) -> Path:
    """`--data DIR`, else $RONGCUO_DATA, else the project's own data/."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("RONGCUO_DATA")
    return Path(env) if env else DEFAULT_DATA_DIR
