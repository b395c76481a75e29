"""Merge ontology, corpus and annotations into one dataset: a named graph per measure
(its text, metadata and curated annotations) and one for the ontology and concept schemes."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rdflib import Dataset, Graph
from rdflib.exceptions import ParserError

from rongcuo_kg.text.corpus import CorpusEntry, annotation_files, load_corpus
from rongcuo_kg.errors import BadInput
from rongcuo_kg.graph.namespaces import ONTOLOGY_GRAPH, bind_prefixes, measure_graph
from rongcuo_kg.paths import ONTOLOGY_DIR
from rongcuo_kg.graph.rdfgen import measure_to_graph


@dataclass
class Built:
    dataset: Dataset
    entries: list[CorpusEntry]
    warnings: list[str]

    def union(self) -> Graph:
        """All named graphs as one graph (what a reasoner or a simple query wants)."""
        g = Graph()
        bind_prefixes(g)
        for ctx in self.dataset.graphs():
            for triple in ctx:
                g.add(triple)
        return g


def ontology_files() -> list[Path]:
    return sorted(ONTOLOGY_DIR.glob("*.ttl"))


@lru_cache(maxsize=1)
def ontology_graph() -> Graph:
    """The ontology files as one graph, parsed once per process (read it, never change it):
    validation takes class hierarchies, labels and ranks from it, registers their Chinese names."""
    onto = Graph()
    for f in ontology_files():
        parse_turtle(f, onto)
    return onto


def parse_turtle(path: Path, graph: Graph) -> None:
    """Parse a Turtle file; a syntax error becomes one line naming file and line."""
    try:
        graph.parse(path, format="turtle")
    except (ParserError, SyntaxError, ValueError) as exc:
        why = getattr(exc, "_why", None)
        if why is not None:  # rdflib's BadSyntax: `lines` counts the newlines before the error
            line = getattr(exc, "lines", None)
            raise BadInput(f"Turtle syntax error: {why}", path,
                           line + 1 if isinstance(line, int) else None) from None
        message = (str(exc).strip().splitlines() or [exc.__class__.__name__])[-1]
        raise BadInput(f"Turtle syntax error: {message}", path) from None


def build(data: Path) -> Built:
    ds = Dataset()
    bind_prefixes(ds)
    onto = ds.graph(ONTOLOGY_GRAPH)
    for path in ontology_files():
        parse_turtle(path, onto)
    entries = load_corpus(data)
    warnings: list[str] = []
    ids = {e.meta.id for e in entries}
    for entry in entries:
        measure_to_graph(entry.measure, entry.meta, ds.graph(measure_graph(entry.meta.id)))
        warnings += entry.warnings
    for path in annotation_files(data):
        mid = path.stem
        if mid not in ids:
            raise BadInput(f"annotations for unknown measure '{mid}'", path)
        parse_turtle(path, ds.graph(measure_graph(mid)))
    return Built(dataset=ds, entries=entries, warnings=warnings)
