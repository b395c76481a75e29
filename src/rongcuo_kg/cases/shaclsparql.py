"""Compile the project's SHACL shapes to SPARQL queries over all focus nodes at once.

pyshacl validates one focus node at a time and is slow on large registers (pitfalls.md: ~63 s
per 1,000 cases on rdflib); the same constraints as one query each over all focus nodes take
seconds per 100,000 on pyoxigraph (projection.py runs them). The shapes stay the law: this
module only translates them, for the subset of SHACL they use, and refuses anything else.
pyshacl remains the reference (`--engine pyshacl`), and the tests check both give the same results.

Supported: node shapes with sh:targetClass or a SHACL-AF sh:SPARQLTarget; property shapes
with a predicate path and sh:minCount, sh:maxCount, sh:datatype, sh:class, sh:hasValue,
sh:in, sh:qualifiedValueShape [sh:in (…)] with sh:qualifiedMinCount; SHACL-SPARQL
constraints (sh:sparql with sh:select and sh:prefixes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rdflib import Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, RDF, RDFS, SH

from rongcuo_kg.errors import RongcuoError
from rongcuo_kg.graph.namespaces import RC

SUPPORTED_PROPERTY_PARAMS = {SH.path, SH.minCount, SH.maxCount, SH.datatype, SH["class"],
                             SH.hasValue, SH["in"], SH.qualifiedValueShape, SH.qualifiedMinCount,
                             SH.message, SH.severity, SH.name, SH.description, RDF.type,
                             DCTERMS.source, RC.requiresFact}
_DATATYPE_CHECK = {
    "http://www.w3.org/2001/XMLSchema#date":
        'REGEX(STR(?value), "^[0-9]{4}-[0-9]{2}-[0-9]{2}$") && COALESCE(datatype(xsd:date(STR(?value))) = xsd:date, false)',
    "http://www.w3.org/2001/XMLSchema#boolean": 'STR(?value) IN ("true", "false", "1", "0")',
    "http://www.w3.org/2001/XMLSchema#integer": 'REGEX(STR(?value), "^[+-]?[0-9]+$")',
}


class UnsupportedShape(RongcuoError):
    exit_code = 2


@dataclass
class Constraint:
    """One constraint component of one shape, as a query returning ?this (and ?value)."""

    id: str  # the property shape or SPARQL constraint IRI
    node_shape: str
    component: str  # SHACL constraint component local name
    path: str | None
    query: str
    messages: dict[str, str] = field(default_factory=dict)  # lang → text
    source: str | None = None  # clause IRI (dcterms:source)
    severity: str = "Violation"
    requires_facts: list[str] = field(default_factory=list)


@dataclass
class CompiledShapes:
    constraints: list[Constraint]
    targets: dict[str, str]  # node shape IRI → SELECT ?this query


def _n3(term) -> str:
    return term.n3()


def _prefix_block(shapes: Graph, node) -> str:
    lines = []
    for prefixes in shapes.objects(node, SH.prefixes):
        for decl in shapes.objects(prefixes, SH.declare):
            p = shapes.value(decl, SH.prefix)
            ns = shapes.value(decl, SH.namespace)
            lines.append(f"PREFIX {p}: <{ns}>")
    return "\n".join(sorted(set(lines)))


def _split_prologue(query: str) -> tuple[list[str], str]:
    """Separate PREFIX lines from the rest of a query."""
    prologue, rest = [], []
    for line in query.strip().splitlines():
        if re.match(r"^\s*PREFIX\s", line, re.I) and not rest:
            prologue.append(line.strip())
        else:
            rest.append(line)
    return prologue, "\n".join(rest)


def _messages(shapes: Graph, node) -> dict[str, str]:
    return {(m.language or ""): str(m) for m in shapes.objects(node, SH.message)}


def compile_shapes(shapes: Graph, ontology: Graph | None = None) -> CompiledShapes:
    """`ontology` gives the subclasses of target classes (sh:targetClass includes subclasses)."""
    constraints: list[Constraint] = []
    targets: dict[str, str] = {}
    for node_shape in sorted(set(shapes.subjects(RDF.type, SH.NodeShape)), key=str):
        target_sel, prologue = _target(shapes, node_shape, ontology)
        targets[str(node_shape)] = "\n".join(prologue + [f"SELECT DISTINCT ?this WHERE {{ {target_sel} }}"])
        for ps in shapes.objects(node_shape, SH.property):
            constraints += _property_constraints(shapes, node_shape, ps, target_sel, prologue)
        for sc in shapes.objects(node_shape, SH.sparql):
            constraints.append(_sparql_constraint(shapes, node_shape, sc, target_sel, prologue))
    return CompiledShapes(constraints, targets)


def _target(shapes: Graph, node_shape, ontology: Graph | None = None) -> tuple[str, list[str]]:
    parts, prologue = [], ["PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>",
                           "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>",
                           "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>"]
    for cls in shapes.objects(node_shape, SH.targetClass):
        # rdf:type/rdfs:subClassOf* as a VALUES list of the class and its known subclasses:
        # the same focus nodes, without a property path per node (case data declares no classes)
        classes = [cls] + sorted(set(shapes.transitive_subjects(RDFS.subClassOf, cls)) - {cls}, key=str)
        if ontology is not None:
            classes += sorted(set(ontology.transitive_subjects(RDFS.subClassOf, cls)) - set(classes), key=str)
        parts.append(f"{{ VALUES ?targetClass {{ {' '.join(_n3(c) for c in classes)} }} "
                     f"?this rdf:type ?targetClass . }}")
    for t in shapes.objects(node_shape, SH.target):
        if (t, RDF.type, SH.SPARQLTarget) not in shapes:
            raise UnsupportedShape(f"{node_shape}: only sh:targetClass and sh:SPARQLTarget targets are supported")
        pre, body = _split_prologue(str(shapes.value(t, SH.select)))
        prologue += _prefix_block(shapes, t).splitlines() + pre
        parts.append(f"{{ {body} }}")
    for other in (SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf):
        if (node_shape, other, None) in shapes:
            raise UnsupportedShape(f"{node_shape}: {other} is not supported by the SPARQL engine")
    if not parts:
        raise UnsupportedShape(f"{node_shape}: a node shape without a target")
    return " UNION ".join(parts), sorted(set(prologue))


def _property_constraints(shapes: Graph, node_shape, ps, target: str, prologue: list[str]) -> list[Constraint]:
    unknown = {p for p in shapes.predicates(ps, None)} - SUPPORTED_PROPERTY_PARAMS
    if unknown:
        raise UnsupportedShape(f"{ps}: unsupported SHACL parameters {sorted(map(str, unknown))}")
    path = shapes.value(ps, SH.path)
    if not isinstance(path, URIRef):
        raise UnsupportedShape(f"{ps}: only predicate paths are supported")
    p = _n3(path)
    base = dict(id=str(ps), node_shape=str(node_shape), path=str(path), messages=_messages(shapes, ps),
                source=str(shapes.value(ps, DCTERMS.source)) if shapes.value(ps, DCTERMS.source) else None,
                severity=str(shapes.value(ps, SH.severity) or SH.Violation).rsplit("#", 1)[-1],
                requires_facts=[str(f) for f in shapes.objects(ps, RC.requiresFact)])
    head = "\n".join(prologue)
    out: list[Constraint] = []

    def add(component: str, where: str, value: bool) -> None:
        select = "?this ?value" if value else "?this"
        out.append(Constraint(component=component,
                              query=f"{head}\nSELECT DISTINCT {select} WHERE {{ {{ {target} }} {where} }}",
                              **base))

    min_count = shapes.value(ps, SH.minCount)
    if min_count is not None:
        n = int(min_count)
        if n == 1:
            add("MinCountConstraintComponent", f"FILTER NOT EXISTS {{ ?this {p} ?any }}", False)
        else:
            add("MinCountConstraintComponent",
                f"OPTIONAL {{ {{ SELECT ?this (COUNT(?v) AS ?n) WHERE {{ ?this {p} ?v }} GROUP BY ?this }} }}"
                f" FILTER(COALESCE(?n, 0) < {n})", False)
    max_count = shapes.value(ps, SH.maxCount)
    if max_count is not None and int(max_count) == 1:
        add("MaxCountConstraintComponent",
            f"FILTER EXISTS {{ ?this {p} ?v1 , ?v2 . FILTER(!sameTerm(?v1, ?v2)) }}", False)
    elif max_count is not None:
        add("MaxCountConstraintComponent",
            f"{{ SELECT ?this (COUNT(?v) AS ?n) WHERE {{ ?this {p} ?v }} GROUP BY ?this }} "
            f"FILTER(?n > {int(max_count)})", False)
    datatype = shapes.value(ps, SH.datatype)
    if datatype is not None:
        check = _DATATYPE_CHECK.get(str(datatype), "true")
        add("DatatypeConstraintComponent",
            f"?this {p} ?value . FILTER(!(isLiteral(?value) && datatype(?value) = {_n3(datatype)}"
            f" && ({check})))", True)
    cls = shapes.value(ps, SH["class"])
    if cls is not None:
        add("ClassConstraintComponent",
            f"?this {p} ?value . FILTER NOT EXISTS {{ ?value rdf:type/rdfs:subClassOf* {_n3(cls)} }}", True)
    has_value = shapes.value(ps, SH.hasValue)
    if has_value is not None:
        add("HasValueConstraintComponent", f"FILTER NOT EXISTS {{ ?this {p} {_n3(has_value)} }}", False)
    in_list = shapes.value(ps, SH["in"])
    if in_list is not None:
        members = ", ".join(_n3(t) for t in Collection(shapes, in_list))
        add("InConstraintComponent", f"?this {p} ?value . FILTER(?value NOT IN ({members}))", True)
    qvs = shapes.value(ps, SH.qualifiedValueShape)
    if qvs is not None:
        inner = {q for q in shapes.predicates(qvs, None)} - {SH["in"], RDF.type}
        q_in = shapes.value(qvs, SH["in"])
        q_min = shapes.value(ps, SH.qualifiedMinCount)
        if inner or q_in is None or q_min is None or int(q_min) != 1:
            raise UnsupportedShape(f"{ps}: only sh:qualifiedValueShape [sh:in (…)] with "
                                   "sh:qualifiedMinCount 1 is supported")
        members = ", ".join(_n3(t) for t in Collection(shapes, q_in))
        add("QualifiedMinCountConstraintComponent",
            f"FILTER NOT EXISTS {{ ?this {p} ?q . FILTER(?q IN ({members})) }}", False)
    return out


def _sparql_constraint(shapes: Graph, node_shape, sc, target: str, prologue: list[str]) -> Constraint:
    select = shapes.value(sc, SH.select)
    if select is None:
        raise UnsupportedShape(f"{sc}: a SPARQL constraint without sh:select")
    pre, body = _split_prologue(str(select).replace("$this", "?this"))
    prefixes = sorted(set(prologue + _prefix_block(shapes, sc).splitlines() + pre))
    # the SELECT may bind ?path: the result's sh:resultPath (SHACL 5.3.2)
    variables = "?this ?value ?path" if re.search(r"\?path\b", body) else "?this ?value"
    query = "\n".join(prefixes + [
        f"SELECT DISTINCT {variables} WHERE {{ {{ {target} }} {{ {body} }} }}"])
    source = shapes.value(sc, DCTERMS.source)
    return Constraint(id=str(sc), node_shape=str(node_shape), component="SPARQLConstraintComponent",
                      path=None, query=query, messages=_messages(shapes, sc),
                      source=str(source) if source else None,
                      severity=str(shapes.value(sc, SH.severity) or SH.Violation).rsplit("#", 1)[-1],
                      requires_facts=[str(f) for f in shapes.objects(sc, RC.requiresFact)])


@dataclass(frozen=True)
class Finding:
    focus: str
    constraint: str  # Constraint.id
    component: str
    value: str | None
    path: str | None = None  # a SPARQL constraint's ?path (sh:resultPath); property shapes have their own


def run_pyshacl(data: Graph, shapes: Graph) -> list[Finding]:
    """The reference: pyshacl over the same data and shapes, findings in the same form."""
    import pyshacl

    _conforms, report, _text = pyshacl.validate(data, shacl_graph=shapes, advanced=True,
                                                inference="none", allow_warnings=True)
    findings = []
    for r in report.subjects(RDF.type, SH.ValidationResult):
        component = str(report.value(r, SH.sourceConstraintComponent)).rsplit("#", 1)[-1]
        constraint = report.value(r, SH.sourceConstraint) if component == "SPARQLConstraintComponent" else None
        source_shape = constraint or report.value(r, SH.sourceShape)
        value = report.value(r, SH.value)
        if component in ("MinCountConstraintComponent", "MaxCountConstraintComponent",
                         "HasValueConstraintComponent", "QualifiedMinCountConstraintComponent"):
            value = None
        path = report.value(r, SH.resultPath) if component == "SPARQLConstraintComponent" else None
        findings.append(Finding(str(report.value(r, SH.focusNode)), str(source_shape), component,
                                None if value is None else str(value), None if path is None else str(path)))
    return findings

