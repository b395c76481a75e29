"""Choose the store a command works on: a SPARQL endpoint, an on-disk store, or the
embedded in-memory default built from the corpus folder."""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path

from rdflib import Literal

from rongcuo_kg.graph.build import ontology_files
from rongcuo_kg.text.corpus import annotation_files, corpus_dir
from rongcuo_kg.graph.namespaces import GRAPH, RC
from rongcuo_kg.paths import data_dir
from rongcuo_kg.graph.store import OxigraphStore, RemoteStore, Store
from rongcuo_kg.graph.storebuild import fill_store, nt_term

ENDPOINT_ENV = "RONGCUO_SPARQL_ENDPOINT"
META_GRAPH = GRAPH["meta"]


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


def open_store(data: str | Path | None = None, endpoint: str | None = None,
               store_dir: str | Path | None = None) -> Store:
    endpoint = endpoint or os.environ.get(ENDPOINT_ENV) or None
    if endpoint:
        return RemoteStore(endpoint)
    folder = data_dir(data).resolve()
    if store_dir:
        return open_disk_store(folder, Path(store_dir))
    return embedded_store(str(folder), source_fingerprint(folder))


@lru_cache(maxsize=4)
def embedded_store(folder: str, fingerprint: str) -> OxigraphStore:
    """The graph built from `folder`, loaded once per process (per version of its files)."""
    store = OxigraphStore()
    fill_store(store.store, Path(folder))
    return store


def open_disk_store(folder: Path, store_dir: Path) -> OxigraphStore:
    """An on-disk store, (re)loaded when the corpus files have changed since it was filled."""
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
    return store
