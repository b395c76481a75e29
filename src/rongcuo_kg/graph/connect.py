"""Choose the store a command works on: a SPARQL endpoint, an on-disk store (`--store DIR`), or
the embedded default built from the corpus folder.

The embedded store is built once per version of the corpus files (and of the code) into the
cache folder (`rongcuo_kg.cache`) and opened read-only by every later process: a command or the
app starts without rebuilding the graph. A store that is half-built, damaged or of another
version is never opened: it is built anew beside it and moved in whole."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import time
from functools import lru_cache
from pathlib import Path

from rdflib import Literal

from rongcuo_kg import cache
from rongcuo_kg.graph.build import ontology_files
from rongcuo_kg.text.corpus import annotation_files, corpus_dir
from rongcuo_kg.graph.namespaces import META_GRAPH, RC
from rongcuo_kg.paths import data_dir
from rongcuo_kg.errors import BadInput, RongcuoError
from rongcuo_kg.graph.store import OxigraphStore, RemoteStore, Store

ENDPOINT_ENV = "RONGCUO_SPARQL_ENDPOINT"


def source_files(data: Path) -> list[Path]:
    """Every file the graph is built from: the ontology, the corpus texts and metadata, the
    annotations in use."""
    return ontology_files() + sorted(corpus_dir(data).glob("*")) + annotation_files(data)


def source_fingerprint(data: Path) -> str:
    """A hash of every file the graph is built from: a stored graph with another hash is stale."""
    h = hashlib.sha256()
    for f in source_files(data):
        if f.is_file():
            h.update(f.name.encode())
            h.update(f.read_bytes())
    return h.hexdigest()[:16]


def left_out(store: Store) -> list[str]:
    """The measures a store's build left out (rc:leftOut in its meta graph), one line each
    naming the file and why: said wherever the store is used, so a broken file is seen."""
    try:
        rows = store.select("SELECT ?w WHERE { GRAPH ?g { ?g ?p ?w } } ORDER BY ?w",
                            {"g": META_GRAPH, "p": RC.leftOut}, timeout=None).rows
    except RongcuoError:
        return []
    return [str(r[0]) for r in rows]


def open_store(data: str | Path | None = None, endpoint: str | None = None,
               store_dir: str | Path | None = None) -> Store:
    endpoint = endpoint or os.environ.get(ENDPOINT_ENV) or None
    if endpoint:
        return RemoteStore(endpoint)
    folder = data_dir(data).resolve()
    if store_dir:
        return open_disk_store(folder, Path(store_dir))
    return embedded_store(str(folder), source_fingerprint(folder))


STORE_KEEP = 16  # cached stores kept (the most recently used); older ones are removed
_COMPLETE = "COMPLETE"  # written last into a cached store's folder, holding its fingerprint


@lru_cache(maxsize=4)
def embedded_store(folder: str, fingerprint: str) -> OxigraphStore:
    """The graph built from `folder`, opened once per process (per version of its files) from
    the cache folder, where it is built the first time."""
    path = cache.entry_path("stores", fingerprint, "")
    store = _open_cached(path, fingerprint)
    if store is None:
        if path.exists():  # half-written or damaged: never used, built anew
            shutil.rmtree(path, ignore_errors=True)
        try:
            _build_cached(Path(folder), path, fingerprint)
            store = _open_cached(path, fingerprint)
        except OSError:
            store = None  # a cache folder that cannot be written: build in memory instead
    if store is None:
        from rongcuo_kg.graph.storebuild import fill_store

        store = OxigraphStore()
        fill_store(store.store, Path(folder))
    store.fingerprint = fingerprint
    return store


def _open_cached(path: Path, fingerprint: str) -> OxigraphStore | None:
    """The cached store at `path` if it was completed for this fingerprint, else None."""
    try:
        if (path / _COMPLETE).read_text(encoding="utf-8") != fingerprint:
            return None
        store = OxigraphStore(path, read_only=True)
        stored = store.select("SELECT ?f WHERE { GRAPH ?g { ?g ?p ?f } }",
                              {"g": META_GRAPH, "p": RC.sourceFingerprint}, timeout=None)
        if [r[0] for r in stored.rows] != [fingerprint]:
            return None
        os.utime(path / _COMPLETE)  # most recently used: kept when the cache is pruned
        return store
    except (OSError, RongcuoError):
        return None


def _build_cached(folder: Path, path: Path, fingerprint: str) -> None:
    """Build the store for `folder` beside `path` and move it in whole (bad input raises here,
    before anything is moved)."""
    from rongcuo_kg.graph.storebuild import fill_store  # the build's modules load only to build
    import pyoxigraph as ox

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", dir=path.parent))
    try:
        staging = ox.Store(str(tmp))
        fill_store(staging, folder)
        staging.add(ox.Quad(ox.NamedNode(str(META_GRAPH)), ox.NamedNode(str(RC.sourceFingerprint)),
                            ox.Literal(fingerprint), ox.NamedNode(str(META_GRAPH))))
        staging.flush()
        staging.optimize()
        del staging  # closes the database before it is moved
        (tmp / _COMPLETE).write_text(fingerprint, encoding="utf-8")
        try:
            os.rename(tmp, path)
        except OSError:
            if not (path / _COMPLETE).is_file():  # unless another process has moved its own in
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    _prune(path.parent)


def _prune(folder: Path) -> None:
    """Keep the STORE_KEEP most recently used stores; remove folders of builds that died."""
    done = sorted((p for p in folder.iterdir() if (p / _COMPLETE).is_file()),
                  key=lambda p: (p / _COMPLETE).stat().st_mtime, reverse=True)
    for old in done[STORE_KEEP:]:
        shutil.rmtree(old, ignore_errors=True)
    for p in folder.glob(".*"):
        try:
            if p.is_dir() and time.time() - p.stat().st_mtime > 3600:
                shutil.rmtree(p, ignore_errors=True)
        except OSError:
            continue


def open_disk_store(folder: Path, store_dir: Path) -> OxigraphStore:
    """An on-disk store, (re)loaded when the corpus files have changed since it was filled."""
    from rongcuo_kg.graph.storebuild import fill_store, nt_term

    if store_dir.exists() and not store_dir.is_dir():
        raise BadInput("--store is a file, not a store folder: give a folder (new or one made by --store)", store_dir)
    store = OxigraphStore(store_dir)
    fingerprint = source_fingerprint(folder)
    stored = store.select(
        "SELECT ?f WHERE { GRAPH ?g { ?s ?p ?f } }",
        {"g": META_GRAPH, "p": RC.sourceFingerprint, "s": META_GRAPH}, timeout=None)
    if not stored.rows or stored.rows[0][0] != fingerprint:
        import pyoxigraph as ox

        staging = ox.Store()
        fill_store(staging, folder)  # bad input fails here, leaving the stored graph as it was
        meta = f"<{META_GRAPH}> <{RC.sourceFingerprint}> {nt_term(Literal(fingerprint))} <{META_GRAPH}> .\n"
        store.replace_nquads(staging.dump(format=ox.RdfFormat.N_QUADS) + meta.encode("utf-8"))
    store.fingerprint = fingerprint
    return store
