"""What a shape's query reads of a case: which of its properties, and whether only its own.

A SHACL constraint's findings for a focus node depend on the triples its query can reach. The
case shapes mostly read a few properties of the focus node itself (a fact, the measure, the
situations); two cases that agree on those properties get the same findings from that
constraint. The SPARQL engine uses this to evaluate each constraint once per distinct
combination of the properties it reads, instead of once per case (projection.py) — 100,000
cases of a register come to a few thousand combinations for a measure's rules.

The analysis is static and conservative: it parses the query (rdflib's SPARQL parser) and
collects every predicate of every triple pattern, in the main pattern, in FILTER (NOT) EXISTS
and in subqueries. A query is *local* when every pattern that could reach a case other than the
focus node does not: a case property read from any subject but ?this, an inverse path, or a
variable in predicate position makes it non-local (it is then evaluated on every case, with the
properties it reads). Reading the class of a non-case resource (`?value a rc:Situation`) is local.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rdflib.paths import AlternativePath, InvPath, MulPath, NegatedPath, Path, SequencePath
from rdflib.term import URIRef, Variable

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
THIS = Variable("this")


@dataclass(frozen=True)
class Reads:
    """The case properties a query reads (None: any of them) and whether it reads only the
    focus node's own."""

    predicates: frozenset[str] | None
    local: bool

    def union(self, other: "Reads") -> "Reads":
        preds = None if self.predicates is None or other.predicates is None else self.predicates | other.predicates
        return Reads(preds, self.local and other.local)


def _path_iris(p) -> tuple[set[str], bool]:
    """The IRIs of a property path, and whether it walks a link backwards."""
    if isinstance(p, URIRef):
        return {str(p)}, False
    if isinstance(p, InvPath):
        iris, _ = _path_iris(p.arg)
        return iris, True
    if isinstance(p, (SequencePath, AlternativePath)):
        iris, inv = set(), False
        for a in p.args:
            i, v = _path_iris(a)
            iris |= i
            inv = inv or v
        return iris, inv
    if isinstance(p, MulPath):
        return _path_iris(p.path)
    if isinstance(p, NegatedPath):  # any predicate but some: reads everything
        return {"*"}, True
    raise ValueError(f"unknown path {p!r}")


def _triples(node, out: list, seen: set[int]) -> None:
    if id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, dict):  # rdflib's CompValue (and Expr) are dicts of their parts
        triples = node.get("triples") if hasattr(node, "name") else None
        for t in triples or ():  # a BGP's are triples; an untranslated block's, runs of s p o
            out.extend(tuple(t[k:k + 3]) for k in range(0, len(t) - 2, 3))
        for value in node.values():
            _triples(value, out, seen)
    elif isinstance(node, (list, tuple, set)):
        for value in node:
            _triples(value, out, seen)


@lru_cache(maxsize=1024)
def query_reads(query: str, case_predicates: frozenset[str], case_classes: frozenset[str]) -> Reads:
    """`case_predicates`: the properties a case has in the validation graph
    (records.CASE_PREDICATES); `case_classes`: the classes a case is an instance of, with their
    superclasses (reading `?x a C` for one of them reaches cases)."""
    from rdflib.plugins.sparql import prepareQuery

    algebra = prepareQuery(query).algebra
    triples: list = []
    _triples(algebra, triples, set())

    def is_case_predicate(iri: str) -> bool:
        return iri == "*" or iri in case_predicates

    read: set[str] = set()
    every = False
    local = True
    for s, p, o in triples:
        if isinstance(p, Variable):
            every = True
            if s != THIS or o == THIS:
                local = False
            continue
        iris, inverse = _path_iris(p) if isinstance(p, Path) else ({str(p)}, False)
        mine = {i for i in iris if is_case_predicate(i)}
        if "*" in mine:
            every = True
        read |= mine - {"*"}
        if not mine:
            continue
        if inverse or o == THIS and s != THIS:
            local = False
        elif s != THIS:
            only_type = mine == {RDF_TYPE}
            known_class = isinstance(o, URIRef) and str(o) not in case_classes
            if not (only_type and known_class):
                local = False
    return Reads(None if every else frozenset(read), local)
