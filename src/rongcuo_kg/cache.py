"""The on-disk cache that lets a new process start fast: the embedded store, the finder's index,
the bank of answered questions and the segmenter's dictionary, each saved once and reused by
every later process while the files it was built from are unchanged.

Where: `$RONGCUO_CACHE`, else `$XDG_CACHE_HOME/rongcuo-kg`, else `~/.cache/rongcuo-kg`.

Never trusted: every entry is keyed on the fingerprint of what it was built from and on the
version of the code that built it (`code_fingerprint`), written through a temporary file and
moved in whole, and read back only if its checksum holds; anything else (stale, truncated,
corrupted, written by other code) is rebuilt. A cache folder that cannot be written only costs
speed: the work is done in memory as if there were no cache.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Callable, TypeVar

T = TypeVar("T")
CACHE_ENV = "RONGCUO_CACHE"
_MAGIC = b"rongcuo-kg cache 1\n"


def cache_dir() -> Path:
    """The cache folder (created on first use)."""
    explicit = os.environ.get(CACHE_ENV)
    if explicit:
        base = Path(explicit)
    else:
        xdg = os.environ.get("XDG_CACHE_HOME")
        base = (Path(xdg) if xdg else Path.home() / ".cache") / "rongcuo-kg"
    try:
        base.mkdir(parents=True, exist_ok=True)
    except OSError:  # no home folder, or a read-only one: fall back to the system's temp folder
        base = Path(tempfile.gettempdir()) / f"rongcuo-kg-cache-{os.getuid()}"
        base.mkdir(parents=True, exist_ok=True)
    return base


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of the package's own code — its Python files and the queries, ontology and shapes
    it reads (.rq, .ttl; the corpus folder has its own fingerprint): a cache written by other
    code is not read."""
    package = Path(__file__).resolve().parent
    h = hashlib.sha256()
    data = package / "data"
    files = [p for suffix in ("*.py", "*.rq", "*.ttl") for p in package.rglob(suffix) if data not in p.parents]
    for path in sorted(files):
        h.update(str(path.relative_to(package)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def entry_path(kind: str, key: str, suffix: str = ".pickle") -> Path:
    return cache_dir() / kind / f"{key}-{code_fingerprint()}{suffix}"


def load(path: Path) -> object | None:
    """The object saved at `path`, or None if there is none or it does not check out."""
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    head = len(_MAGIC) + 32
    if len(blob) < head or not blob.startswith(_MAGIC):
        return None
    digest, payload = blob[len(_MAGIC):head], blob[head:]
    if hashlib.sha256(payload).digest() != digest:
        return None
    try:
        return pickle.loads(payload)
    except Exception:  # written by an incompatible version of a library: rebuild
        return None


def save(path: Path, value: object) -> None:
    """Save `value` at `path` whole or not at all; a failure to write is not an error."""
    try:
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(_MAGIC + hashlib.sha256(payload).digest() + payload)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except (OSError, pickle.PicklingError):
        pass


def load_or_build(kind: str, key: str, build: Callable[[], T], check: Callable[[object], bool]) -> T:
    """The cached `kind` for `key` if it is there and passes `check`, else `build()`, saved."""
    path = entry_path(kind, key)
    cached = load(path)
    if cached is not None and check(cached):
        return cached  # type: ignore[return-value]
    value = build()
    save(path, value)
    return value
