"""Writing a corpus folder's files all together or not at all: what `ingest` writes for a new
measure and what `review` rewrites. A module of its own so that both use it without importing
each other."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from rongcuo_kg.errors import BadInput


def _file_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


_FILE_MODE = _file_mode()


def write_all(files: dict[Path, str]) -> None:
    """Write every file through a temporary one, then move them all in; on any failure remove
    what was moved, so the folder is as it was."""
    staged: list[tuple[Path, str]] = []
    placed: list[Path] = []
    try:
        for path, content in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
            os.chmod(tmp, _FILE_MODE)  # mkstemp's 0600 would set these files apart from the rest
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(content)
            staged.append((path, tmp))
        for path, tmp in staged:
            if path.exists():
                raise BadInput("exists already; nothing was written", path)
        for path, tmp in staged:
            os.replace(tmp, path)
            placed.append(path)
    except BaseException:
        for path in placed:
            path.unlink(missing_ok=True)
        for _path, tmp in staged:
            Path(tmp).unlink(missing_ok=True)
        raise
