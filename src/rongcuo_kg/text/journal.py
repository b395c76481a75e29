"""Changing a corpus folder all at once or not at all, even if the process is killed midway.

`ingest` writes four files for a new measure and `review` rewrites two; a crash between two
renames would leave a measure half added (its text without its metadata, a review half saved).
So the files are first written in full beside their targets, then a journal naming every
(temporary file, target) pair is written and synced, and only then are the files moved in. The
next command that opens the folder finishes what a journal lists (`recover`): once the journal
exists the change is decided, and every rename in it is repeated until done. Without a journal
nothing was moved, and the temporary files are removed.

RONGCUO_FAILPOINT=N kills the process at the N-th step of a commit (tests use it to prove that
every step leaves the folder in the old or the new state).
"""

from __future__ import annotations

import json
import os
import signal
import tempfile
import time
from pathlib import Path

from rongcuo_kg.errors import BadInput

JOURNAL = ".rongcuo-journal.json"
TEMP_PREFIX = ".rk-"  # temporary files: .rk-<name>.<random>
STALE_SECONDS = 3600  # a temporary file this old, no journal naming it, is left from a crash

_steps = 0


def _step() -> None:
    """A failpoint: RONGCUO_FAILPOINT=N kills this process (SIGKILL) at the N-th step."""
    global _steps
    _steps += 1
    if os.environ.get("RONGCUO_FAILPOINT") == str(_steps):
        os.kill(os.getpid(), signal.SIGKILL)


def usual_file_mode() -> int:
    """The mode a new file gets in this process (0666 less the umask): mkstemp's 0600 would set
    the files it writes apart from the rest of the folder."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


_FILE_MODE = usual_file_mode()


def _write_synced(path: Path, content: str) -> str:
    fd, tmp = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{path.name}.", dir=path.parent)
    try:
        os.chmod(tmp, _FILE_MODE)  # mkstemp's 0600 would set these files apart from the rest
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:  # a full disk: no empty or half temporary file is left
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp


def commit(root: Path, files: dict[Path, str], replace: bool = False) -> None:
    """Write `files` (paths inside the corpus folder `root`) all together or not at all. New
    files only, unless `replace`. A failure before the journal is written leaves the folder as
    it was; after, the change completes here or on the next `recover`."""
    recover(root)
    staged: list[tuple[Path, str]] = []
    try:
        for path, content in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            staged.append((path, _write_synced(path, content)))
            _step()
        if not replace:
            for path, _tmp in staged:
                if path.exists():
                    raise BadInput("exists already; nothing was written", path)
        entries = [[os.path.relpath(tmp, root), os.path.relpath(path, root)] for path, tmp in staged]
        journal_tmp = _write_synced(root / JOURNAL, json.dumps(entries, ensure_ascii=False))
        _step()
        os.replace(journal_tmp, root / JOURNAL)  # from here on the change is decided
        _fsync_dir(root)
        _step()
    except BaseException as exc:
        for _path, tmp in staged:
            Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):  # a full disk, a read-only folder: said with the file, nothing written
            where = staged[-1][0] if staged else next(iter(files), root)
            raise BadInput(f"cannot write here ({exc.strerror or exc}); nothing was written", where.parent) from None
        raise
    _finish(root, entries)


def _finish(root: Path, entries: list[list[str]]) -> None:
    for tmp, final in entries:
        source = root / tmp
        if source.exists():
            os.replace(source, root / final)
            _fsync_dir((root / final).parent)
        _step()
    (root / JOURNAL).unlink(missing_ok=True)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def recover(root: Path) -> None:
    """Finish a change a killed process decided (its journal), and remove temporary files left
    by one killed before it decided. A folder that cannot be written is left as it is."""
    journal = root / JOURNAL
    try:
        if journal.exists():
            entries = json.loads(journal.read_text(encoding="utf-8"))
            _finish(root, entries)
        now = time.time()
        for folder in (root, root / "corpus", root / "annotations", root / "annotations" / "suggested"):
            if not folder.is_dir():
                continue
            for stray in folder.glob(f"{TEMP_PREFIX}*"):
                if now - stray.stat().st_mtime > STALE_SECONDS:
                    stray.unlink(missing_ok=True)
    except (OSError, ValueError):
        return
