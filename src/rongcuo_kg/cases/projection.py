"""Evaluate the compiled shapes on what each constraint reads: once per distinct combination.

A register of 100,000 cases is mostly repetition as far as any one rule is concerned: audit
Art 8's conditions read the measure and six facts, and the cases under audit come to a few
hundred combinations of those; a fact's format check reads that fact alone (true, false, empty
or a misspelling). So each constraint runs on a small graph holding one node per distinct
combination of the case properties it reads (readset.py), and its findings go back to every case
that has that combination. A constraint that reads other cases (an id unique in the register)
runs on every case, still with only the properties it reads.

The findings are the same as the shapes evaluated on the whole register (pyshacl, the
reference, checks it: tests/test_shacl_engines.py, bench/bench_validate.py on 10,000 cases):
a query's answer for a focus node depends only on the triples it reaches, and those are the
node's own properties that the query reads, plus the reference data, loaded in every graph.
"""

from __future__ import annotations

import hashlib
import os
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from rongcuo_kg.cases.readset import Reads, query_reads
from rongcuo_kg.cases.records import CASE_CLASSES, CASE_PREDICATES, CaseRecord, case_terms, case_values
from rongcuo_kg.cases.shaclsparql import CompiledShapes, Constraint, Finding
from rongcuo_kg.graph.store import OxigraphStore

VIEW_NS = "urn:x-rongcuo-kg:view:"


@dataclass
class Projection:
    """Cases projected on some of their properties; one graph, the queries that read no more."""

    predicates: tuple[str, ...] | None  # None: every property a case has
    dedup: bool  # one node per distinct combination (local queries) or one per case
    constraints: list[Constraint] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)  # node shapes whose focus nodes are wanted


def reads_of(queries: list[str]) -> dict[str, Reads]:
    """What each query reads. Parsing takes rdflib ~15 ms a query: the answers are kept in the
    cache folder, keyed on the queries themselves and on what a case is."""
    from rongcuo_kg.cache import load_or_build

    distinct = sorted(set(queries))
    h = hashlib.sha256("\0".join(distinct + sorted(CASE_PREDICATES) + sorted(CASE_CLASSES)).encode("utf-8"))
    return load_or_build("readsets", h.hexdigest()[:32],
                         lambda: {q: query_reads(q, CASE_PREDICATES, CASE_CLASSES) for q in distinct},
                         lambda cached: isinstance(cached, dict) and set(cached) == set(distinct))


def plan(compiled: CompiledShapes, wanted_targets: list[str], whole: bool = False) -> list[Projection]:
    """One projection per distinct (properties read, local) among the constraints and targets;
    `whole`: one graph of every case with every property, for all of them."""
    if whole:
        return [Projection(None, False, list(compiled.constraints), list(wanted_targets))]
    by_key: dict[tuple, Projection] = {}
    reads = reads_of([c.query for c in compiled.constraints] + [compiled.targets[t] for t in wanted_targets])

    def slot(reads: Reads) -> Projection:
        preds = None if reads.predicates is None else tuple(sorted(reads.predicates))
        key = (preds, reads.local)
        if key not in by_key:
            by_key[key] = Projection(preds, reads.local)
        return by_key[key]

    for c in compiled.constraints:
        slot(reads[c.query]).constraints.append(c)
    for shape in wanted_targets:
        slot(reads[compiled.targets[shape]]).targets.append(shape)
    # a graph of every case serves the local queries that read the same properties too
    for (preds, local), p in list(by_key.items()):
        whole = by_key.get((preds, False))
        if local and whole is not None:
            whole.constraints += p.constraints
            whole.targets += p.targets
            del by_key[(preds, local)]
    return list(by_key.values())


def _factorize(values: list) -> np.ndarray:
    """Codes 0..K-1 of a column's values, numbered by first occurrence."""
    number = {v: k for k, v in enumerate(dict.fromkeys(values))}
    return np.fromiter(map(number.__getitem__, values), dtype=np.int64, count=len(values))


def _codes(columns: list[np.ndarray], n: int) -> np.ndarray:
    """Dense codes 0..V-1 of the cases' combinations of column codes, numbered by first occurrence."""
    key = np.zeros(n, dtype=np.int64)
    for codes in columns:
        key = key * (int(codes.max(initial=0)) + 1) + codes
        if key.max(initial=0) > 2**40:
            _, key = np.unique(key, return_inverse=True)
            key = key.reshape(-1)
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    # renumber by first occurrence, so that view numbers follow the register's order
    order = np.argsort(first, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    return rank[inverse.reshape(-1)]


@dataclass
class _Views:
    codes: np.ndarray  # case index → view number
    reps: np.ndarray  # view number → the first case with it
    order: np.ndarray  # case indices grouped by view
    offsets: np.ndarray  # view v's cases: order[offsets[v]:offsets[v + 1]]

    def members(self, v: int) -> np.ndarray:
        return self.order[self.offsets[v]:self.offsets[v + 1]]


def _views(projection: Projection, column, n: int) -> _Views:
    """`column(predicate)`: the cases' codes for one property."""
    if not projection.dedup:
        ident = np.arange(n)
        return _Views(ident, ident, ident, np.arange(n + 1))
    preds = projection.predicates if projection.predicates is not None else tuple(sorted(CASE_PREDICATES))
    codes = _codes([column(p) for p in preds], n)
    count = int(codes.max(initial=-1)) + 1
    reps = np.full(count, n, dtype=np.int64)
    np.minimum.at(reps, codes, np.arange(n))
    order = np.argsort(codes, kind="stable")
    offsets = np.concatenate(([0], np.cumsum(np.bincount(codes, minlength=count))))
    return _Views(codes, reps, order, offsets)


def _ntriples(projection: Projection, records: list[CaseRecord], views: _Views) -> bytes:
    preds = projection.predicates if projection.predicates is not None else tuple(sorted(CASE_PREDICATES))
    reps = [records[i] for i in views.reps.tolist()]
    lines: list[str] = []
    for p in preds:
        terms = case_terms(p)
        lines += [f"<{VIEW_NS}{v}> <{p}> {t} ." for v, rec in enumerate(reps) for t in terms(rec)]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _rows(store: OxigraphStore, query: str) -> list[tuple[int, str | None, str | None]]:
    result = store.select(query, timeout=None)
    cols = result.columns
    value_col = cols.index("value") if "value" in cols else None
    path_col = cols.index("path") if "path" in cols else None
    out = []
    skip = len(VIEW_NS)
    for row in result.rows:
        focus = str(row[0])
        if not focus.startswith(VIEW_NS):
            continue  # a reference resource a target happens to match: not a case
        raw = None if value_col is None else row[value_col]
        value = None if raw is None else (str(raw).lower() if isinstance(raw, bool) else str(raw))
        path = None if path_col is None or row[path_col] is None else str(row[path_col])
        out.append((int(focus[skip:]), value, path))
    return out


# below this many cases one graph of the whole register answers sooner than forty small ones
# (one case on the app's form: 4 ms instead of 50)
PROJECT_FROM = 2000


def evaluate(records: list[CaseRecord], compiled: CompiledShapes, reference_nt: str,
             wanted_targets: list[str], constraints: bool = True, workers: int | None = None,
             project_from: int = PROJECT_FROM) -> tuple[list[Finding], dict[str, set[str]]]:
    """Every constraint's findings on every case (when `constraints`), and the cases each
    wanted node shape targets: on projections from `project_from` cases, else on the whole
    register. Graphs load and queries run on a thread pool (pyoxigraph releases the GIL) while
    the next projection's graph is written."""
    import pyoxigraph as ox

    projections = plan(compiled if constraints else CompiledShapes([], compiled.targets), wanted_targets,
                       whole=len(records) < project_from)
    n = len(records)
    columns: dict[str, np.ndarray] = {}

    def column(pred: str) -> np.ndarray:
        if pred not in columns:
            columns[pred] = _factorize(case_values(records, pred))
        return columns[pred]

    reference = reference_nt.encode("utf-8")

    def run(p: Projection, data: bytes) -> tuple[list, list]:
        store = OxigraphStore()
        store.store.bulk_load(reference, format=ox.RdfFormat.N_TRIPLES)
        store.store.bulk_load(data, format=ox.RdfFormat.N_TRIPLES)
        found = [_rows(store, c.query) for c in p.constraints]
        focus = [_rows(store, compiled.targets[t]) for t in p.targets]
        return found, focus

    jobs = []
    with ThreadPoolExecutor(max_workers=workers or min(4, os.cpu_count() or 1)) as pool:
        for p in projections:
            views = _views(p, column, n)
            jobs.append((p, views, pool.submit(run, p, _ntriples(p, records, views))))
        iris = [r.iri for r in records]
        findings: list[Finding] = []
        targets: dict[str, set[str]] = defaultdict(set)
        for p, views, job in jobs:
            found, focus = job.result()
            for c, rows in zip(p.constraints, found):
                for v, value, path in rows:
                    findings += [Finding(iris[i], c.id, c.component, value, path)
                                 for i in views.members(v).tolist()]
            for shape, rows in zip(p.targets, focus):
                mine = targets[shape]
                for v, _value, _path in rows:
                    mine.update(iris[i] for i in views.members(v).tolist())
    return findings, dict(targets)
