"""Merge ontology, corpus and annotations into one dataset: a named graph per measure
(its text, metadata and curated annotations) and one for the ontology and concept schemes."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable

from rdflib import Dataset, Graph
from rdflib.exceptions import ParserError

from rongcuo_kg.text.corpus import CorpusEntry, annotations_by_measure, left_out_line, load_corpus
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


def build(data: Path, lenient: bool = False, progress: Callable[[int, int], None] | None = None) -> Built:
    """The dataset of a corpus folder. Strict by default (`build` and `load` check a corpus: the
    first broken file raises, naming it); `lenient`: a measure with a broken file is left out,
    with its annotations, and named in a warning (`stats`, `check`). `progress(done, total)`
    hears of each measure turned into RDF (the CLI's bar on a terminal)."""
    ds = Dataset()
    bind_prefixes(ds)
    onto = ds.graph(ONTOLOGY_GRAPH)
    for path in ontology_files():
        parse_turtle(path, onto)
    problems: list[tuple[str, str]] = []
    entries = load_corpus(data, problems if lenient else None)
    warnings: list[str] = []
    used: list[CorpusEntry] = []
    annotations = annotations_by_measure(data, {e.meta.id for e in entries}, problems if lenient else None)
    for done, entry in enumerate(entries):
        if progress:
            progress(done, len(entries))  # measures turned into RDF so far, of all
        mid = entry.meta.id
        # strict: straight into the dataset (the first fault raises anyway); lenient: aside first,
        # so a measure that fails halfway leaves nothing of itself behind
        graph = Graph() if lenient else ds.graph(measure_graph(mid))
        try:
            measure_to_graph(entry.measure, entry.meta, graph)
            for path in annotations.get(mid, ()):
                parse_turtle(path, graph)
        except (BadInput, ValueError) as exc:
            if not lenient:
                raise
            problems.append((mid, str(exc)))
            continue
        if lenient:
            target = ds.graph(measure_graph(mid))
            for triple in graph:
                target.add(triple)
        used.append(entry)
        warnings += entry.warnings
    warnings += [left_out_line(mid, why) for mid, why in problems]
    return Built(dataset=ds, entries=used, warnings=warnings)
