"""Fill a pyoxigraph store straight from a corpus folder, the fast way.

`build.build` makes an rdflib Dataset (what `rongcuo-kg build`, the reasoner and the loader
need); filling a store through it spends most of its time in rdflib's indexes (bench/RESULTS.md,
issue 3: 52 s of 68 s at N = 1,000). Here the measures are written as N-Quads text by the same
`rdfgen` code and the Turtle files (ontology, annotations) are parsed by pyoxigraph itself. The
tests check that both paths give the same quads.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import BNode, Literal, URIRef

from rongcuo_kg.graph.build import ontology_files, parse_turtle
from rongcuo_kg.text.corpus import annotations_by_measure, left_out_line, load_corpus
from rongcuo_kg.errors import BadInput
from rongcuo_kg.graph.namespaces import META_GRAPH, ONTOLOGY_GRAPH, RC, measure_graph
from rongcuo_kg.graph.rdfgen import measure_to_graph

_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def nt_term(term) -> str:
    """A term in N-Triples/N-Quads syntax (rdflib's n3() writes Turtle's long strings)."""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Literal):
        lexical = '"' + str(term).translate(_ESCAPES) + '"'
        if term.language:
            return f"{lexical}@{term.language}"
        if term.datatype:
            return f"{lexical}^^<{term.datatype}>"
        return lexical
    if isinstance(term, BNode):
        return f"_:{term}"
    raise TypeError(f"not an RDF term: {term!r}")


class QuadSink:
    """Collects triples for one named graph as N-Quads lines (what rdfgen needs of a graph)."""

    def __init__(self, graph: URIRef, lines: list[str]):
        self.suffix = f" <{graph}> .\n"
        self.lines = lines

    def add(self, triple) -> None:
        s, p, o = triple
        self.lines.append(f"{nt_term(s)} {nt_term(p)} {nt_term(o)}{self.suffix}")


def _load_turtle(ox, store, path: Path, graph: URIRef) -> None:
    try:
        store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(str(graph)))
    except SyntaxError:
        from rdflib import Graph

        parse_turtle(path, Graph())  # rdflib names the line the way every other command does
        raise BadInput("Turtle syntax error", path) from None


def fill_store(ox_store, data: Path, strict: bool = False) -> list[str]:
    """Add the ontology, every measure and its annotations to an (empty) pyoxigraph store, one
    named graph each; returns the parser's warnings. A measure whose text, metadata or
    annotations are broken is left out, with its annotations, and named in the store's meta
    graph (rc:leftOut: connect.left_out), so every command and page goes on with the others and
    says which one is missing; a broken ontology file raises before anything is added.
    `strict`: the first broken file raises (ingest's check of a new measure)."""
    import pyoxigraph as ox

    problems: list[tuple[str, str]] = []
    entries = load_corpus(data, None if strict else problems)
    annotations = annotations_by_measure(data, {e.meta.id for e in entries}, None if strict else problems)
    staging = ox.Store()  # Turtle errors surface here, before the caller's store is touched
    for path in ontology_files():
        _load_turtle(ox, staging, path, ONTOLOGY_GRAPH)
    kept: dict[str, list[str]] = {}
    warnings: list[str] = []
    for entry in entries:
        mid = entry.meta.id
        lines: list[str] = []
        try:
            measure_to_graph(entry.measure, entry.meta, QuadSink(measure_graph(mid), lines))
            for path in annotations.get(mid, ()):
                one = ox.Store()  # a file apart: a syntax error leaves nothing of it behind
                _load_turtle(ox, one, path, measure_graph(mid))
                lines.append(one.dump(format=ox.RdfFormat.N_QUADS).decode("utf-8"))
        except (BadInput, ValueError) as exc:
            if strict:
                raise
            problems.append((mid, str(exc)))
            continue
        kept[mid] = lines
        warnings += entry.warnings
    if not kept:
        raise BadInput("no measure of the corpus folder can be used: " + "; ".join(w for _m, w in problems), data)
    lines = [line for mid in kept for line in kept[mid]]
    lines.append(staging.dump(format=ox.RdfFormat.N_QUADS).decode("utf-8"))
    for mid, why in problems:
        note = Literal(f"{mid}: {why}")
        lines.append(f"<{META_GRAPH}> <{RC.leftOut}> {nt_term(note)} <{META_GRAPH}> .\n")
        warnings.append(left_out_line(mid, why))
    ox_store.bulk_load("".join(lines).encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    return warnings
