"""Where the package's declarative files are (ontology, shapes, queries, the shipped corpus),
and which corpus folder a command uses. Everything is found inside the installed package, so a
wheel works as well as a checkout."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
ONTOLOGY_DIR = PACKAGE_DIR / "ontology"
DEFAULT_DATA_DIR = PACKAGE_DIR / "data"
SHAPES_DIR = PACKAGE_DIR / "shapes"
QUERY_DIR = PACKAGE_DIR / "queries"
APP_DIR = PACKAGE_DIR / "app"


def data_dir(explicit: str | Path | None = None) -> Path:
    """`--data DIR`, else $RONGCUO_DATA, else the corpus shipped with the package."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("RONGCUO_DATA")
    return Path(env) if env else DEFAULT_DATA_DIR
