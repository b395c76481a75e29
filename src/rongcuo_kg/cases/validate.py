"""Validate case records against the measures' shapes and explain every finding by its clause.

The shapes (shapes/*.ttl, shapes/generated/*.ttl) are the law made executable: each finding's
citation is the clause its shape names (dcterms:source), and its message is the shape's
sh:message. This module reads registers, runs the shapes (compiled to SPARQL on pyoxigraph by
default, pyshacl as the reference), and assembles per-case results: conformance, outcome,
the consequences the measure attaches to that outcome, and the facts still missing.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH

from rongcuo_kg.graph.build import parse_turtle
from rongcuo_kg.cases.records import FACT_NS, FACTS, CaseRecord, ReadResult, read_register, records_to_ntriples
from rongcuo_kg.errors import BadInput, RongcuoError
from rongcuo_kg.graph.namespaces import BASE, LEX
from rongcuo_kg.paths import SHAPES_DIR
from rongcuo_kg.graph.querylib import run_named
from rongcuo_kg.text.refs import parse_ref
from rongcuo_kg.cases.shaclsparql import CompiledShapes, Finding, compile_shapes, run_compiled, run_pyshacl
from rongcuo_kg.graph.sparqlfiles import load_query
from rongcuo_kg.graph.store import OxigraphStore, Store

OUTCOME_NS = BASE + "outcome/"
STRUCTURE_SHAPE = BASE + "shape/CaseStructure"
VALIDATION_GRAPH = BASE + "graph/validation"


def shape_files(shapes_dir: Path = SHAPES_DIR) -> list[Path]:
    return sorted(shapes_dir.glob("*.ttl")) + sorted((shapes_dir / "generated").glob("*.ttl"))


@lru_cache(maxsize=1)
def _ontology() -> Graph:
    """The ontology files: sh:targetClass includes the subclasses they declare."""
    from rongcuo_kg.graph.build import ontology_files

    onto = Graph()
    for f in ontology_files():
        parse_turtle(f, onto)
    return onto


@lru_cache(maxsize=2)
def load_shapes(shapes_dir: str = str(SHAPES_DIR)) -> tuple[Graph, CompiledShapes]:
    """The committed shapes graph and its compiled form."""
    g = Graph()
    for f in shape_files(Path(shapes_dir)):
        parse_turtle(f, g)
    return g, compile_shapes(g, _ontology())


def eligibility_shape(measure_id: str) -> URIRef:
    return URIRef(f"{BASE}shape/{measure_id}_eligibility")


@dataclass
class Reference:
    """What the shapes need besides the cases: concept types, the class hierarchy, the measures.

    Read from the store the caller works on (embedded, on disk or a server), so that
    validating never rebuilds the corpus and sees exactly the measures the store holds."""

    ntriples: str
    graph: Graph
    measures: dict[str, str]  # id → title


def reference_data(store: Store) -> Reference:
    rows = run_named(store, "internal/validation_reference", timeout=None, limit=None).rows
    nt = "".join(f"<{s}> <{p}> <{o}> .\n" for s, p, o in rows)
    g = Graph()
    g.parse(data=nt, format="nt")
    titles = {r["measureId"]: r["title"] for r in run_named(store, "measures", limit=None).as_dicts()}
    return Reference(nt, g, titles)


# ---------------------------------------------------------------- results

NOT_ESTABLISHED = "未查明"  # the value shown for a fact the record leaves empty


@dataclass
class Violation:
    rule: str
    clause: dict | None
    message: str
    message_en: str
    severity: str
    path: str | None
    value: str | None

    def as_json(self) -> dict:
        return {"clause": self.clause, "message": self.message, "message_en": self.message_en,
                "severity": self.severity, "path": self.path, "value": self.value,
                "rule": self.rule.rsplit("/", 1)[-1]}


@dataclass
class CaseResult:
    record: CaseRecord
    conforms: bool
    outcome: str
    violations: list[Violation]
    missing: list[dict]
    consequences: list[dict]

    def as_json(self) -> dict:
        r = self.record
        return {"case_id": r.case_id, "measure": r.measure, "source": r.where,
                "conforms": self.conforms, "outcome": self.outcome,
                "violations": [v.as_json() for v in self.violations],
                "missing": self.missing, "consequences": self.consequences,
                "extra": r.extra}


@dataclass
class Report:
    cases: list[CaseResult]
    errors: list[str] = field(default_factory=list)  # files that could not be read
    warnings: list[str] = field(default_factory=list)
    engine: str = "sparql"

    @property
    def conforms(self) -> bool:
        return not self.errors and all(c.conforms for c in self.cases)

    def summary(self) -> dict:
        by_outcome = Counter(c.outcome for c in self.cases)
        by_measure: dict[str, dict] = defaultdict(lambda: {"cases": 0, "conforming": 0,
                                                            "by_outcome": Counter()})
        clause_counts: dict[tuple, dict] = {}
        for c in self.cases:
            m = by_measure[c.record.measure or "?"]
            m["cases"] += 1
            m["conforming"] += int(c.conforms)
            m["by_outcome"][c.outcome] += 1
            for v in c.violations:
                key = (v.clause["iri"] if v.clause else v.rule,)
                entry = clause_counts.setdefault(key, {
                    "clause": v.clause, "rule": v.rule.rsplit("/", 1)[-1],
                    "label": v.clause["label"] if v.clause else "记录结构 record structure",
                    "message": v.message, "message_en": v.message_en, "count": 0, "cases": []})
                entry["count"] += 1
                entry["cases"].append(c.record.case_id)
        return {
            "cases": len(self.cases),
            "conforming": sum(c.conforms for c in self.cases),
            "non_conforming": sum(not c.conforms for c in self.cases),
            "violations": sum(len(c.violations) for c in self.cases),
            "by_outcome": dict(sorted(by_outcome.items())),
            "by_measure": {k: {**v, "by_outcome": dict(v["by_outcome"])}
                           for k, v in sorted(by_measure.items())},
            "by_clause": sorted(clause_counts.values(), key=lambda e: (-e["count"], e["label"])),
            "unreadable_files": list(self.errors),
        }

    def as_json(self) -> dict:
        return {"conforms": self.conforms, "engine": self.engine,
                "cases": [c.as_json() for c in self.cases], "summary": self.summary(),
                "errors": self.errors, "warnings": self.warnings}


# ---------------------------------------------------------------- validation


class Validator:
    """Holds what does not change between validations: shapes, reference data, citations."""

    def __init__(self, store: Store, data: Path | None = None, shapes_dir: Path = SHAPES_DIR):
        """Everything is read from `store` (`data`, the corpus folder, is accepted for callers
        that have it at hand; the store was built from it)."""
        self.store = store
        self.committed_shapes, committed = load_shapes(str(shapes_dir))
        self.reference = reference_data(store)
        self.generated: dict[str, str] = {}  # measure id → Turtle generated from its annotations
        self._clauses: dict[str, dict] = {}
        self._consequences: dict[tuple[str, str], list[dict]] = {}
        self._duty: dict[str, set[str]] = {}
        self.last_findings: list[Finding] = []
        self._use(self.committed_shapes, committed)

    def _use(self, shapes: Graph, compiled: CompiledShapes) -> None:
        self.shapes, self.compiled = shapes, compiled
        self.constraints = {c.id: c for c in compiled.constraints}
        # node shape → the facts its rules need, with the clause each rule cites
        self._requires: dict[str, list[tuple[str, str | None]]] = defaultdict(list)
        for c in compiled.constraints:
            for fact_iri in c.requires_facts:
                self._requires[c.node_shape].append((fact_iri[len(FACT_NS):], c.source))

    def ensure_shapes(self, measures: Iterable[str]) -> None:
        """A measure added to the corpus (`rongcuo-kg ingest`) has no committed shapes file yet:
        its eligibility shapes are generated from its annotations, as `shapes --write` would."""
        from rongcuo_kg.cases.shapegen import generate_measure_shapes

        missing = sorted(m for m in set(measures)
                         if m in self.reference.measures and m not in self.generated
                         and (eligibility_shape(m), RDF.type, SH.NodeShape) not in self.committed_shapes)
        if not missing:
            return
        for m in missing:
            try:
                self.generated[m] = generate_measure_shapes(self.store, m, self.reference.measures[m])
            except BadInput as exc:
                raise BadInput(f"cannot validate cases under '{m}': {exc}; annotate (or review) its "
                               "clauses first") from None
        g = Graph()
        for t in self.committed_shapes:
            g.add(t)
        for text in self.generated.values():
            g.parse(data=text, format="turtle")
        self._use(g, compile_shapes(g, _ontology()))

    # citations come from the shapes' dcterms:source, described from the graph
    def clause(self, iri: str | None) -> dict | None:
        if not iri:
            return None
        if iri not in self._clauses:
            rows = self.store.select(load_query("clause_detail").text, {"clause": URIRef(iri)}).as_dicts()
            if not rows:
                raise RongcuoError(f"a shape cites {iri}, which is not a clause in the graph")
            row = rows[0]
            ref = parse_ref(row["ref"])
            self._clauses[iri] = {"measure": row["measureId"], "article": ref.article,
                                  "paragraph": ref.paragraph, "item": ref.item,
                                  "subitem": ref.subitem, "ref": row["ref"], "iri": iri,
                                  "label": row["labelZh"], "text": row["text"]}
        return self._clauses[iri]

    def consequences(self, measure: str, outcome: str) -> list[dict]:
        key = (measure, outcome)
        if key not in self._consequences:
            rows = run_named(self.store, "internal/outcome_consequences",
                             {"measure": measure, "outcome": OUTCOME_NS + outcome}).as_dicts()
            grouped: dict[str, dict] = {}
            for r in rows:
                entry = grouped.setdefault(r["clause"], {"clause": self.clause(r["clause"]), "concepts": []})
                entry["concepts"].append({"id": r["concept"], "label": r["conceptLabel"],
                                          "label_en": r.get("conceptLabelEn") or r["conceptLabel"]})
            self._consequences[key] = list(grouped.values())
        return self._consequences[key]

    def duty_circumstances(self, measure: str) -> set[str]:
        if measure not in self._duty:
            rows = run_named(self.store, "internal/shape_situations", {"measure": measure}).as_dicts()
            self._duty[measure] = {r["concept"] for r in rows if r["kind"] == "duty_fulfilled"}
        return self._duty[measure]

    def _findings(self, records: list[CaseRecord], engine: str) -> tuple[list[Finding], dict[str, set[str]]]:
        cases_nt = records_to_ntriples(records)
        if engine == "pyshacl":
            import logging
            import warnings

            data = Graph()
            # ill-typed values (a bad date or boolean) are findings, not warnings for the terminal
            logging.getLogger("rdflib.term").setLevel(logging.ERROR)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                data.parse(data=self.reference.ntriples + cases_nt, format="nt")
                findings = run_pyshacl(data, self.shapes)
        elif engine == "sparql":
            findings = None
        else:
            raise BadInput(f"unknown engine '{engine}': use sparql or pyshacl")
        store = OxigraphStore()
        import pyoxigraph as ox

        store.store.bulk_load((self.reference.ntriples + cases_nt).encode("utf-8"),
                              format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(VALIDATION_GRAPH))
        if findings is None:
            findings = run_compiled(store, self.compiled)
        targets: dict[str, set[str]] = {}
        for shape, query in self.compiled.targets.items():
            targets[shape] = {str(r[0]) for r in store.select(query, timeout=None).rows}
        return findings, targets

    def validate(self, records: list[CaseRecord], engine: str = "sparql") -> list[CaseResult]:
        self.ensure_shapes(r.measure for r in records)
        findings, targets = self._findings(records, engine) if records else ([], {})
        self.last_findings = findings
        by_focus: dict[str, list[Finding]] = defaultdict(list)
        for f in findings:
            by_focus[f.focus].append(f)
        shapes_of: dict[str, list[str]] = defaultdict(list)
        for shape, focus_nodes in targets.items():
            if shape in self._requires:
                for focus in focus_nodes:
                    shapes_of[focus].append(shape)
        violation_cache: dict[Finding, Violation] = {}
        results = []
        for rec in records:
            mine = sorted(set(by_focus.get(rec.iri, ())), key=lambda f: (f.constraint, f.component, f.value or ""))
            violations = []
            for f in mine:
                key = Finding("", f.constraint, f.component, f.value, f.path)
                if key not in violation_cache:
                    violation_cache[key] = self._violation(f)
                violations.append(self._with_case_value(violation_cache[key], rec))
            structural = any(self.constraints[f.constraint].node_shape == STRUCTURE_SHAPE for f in mine)
            missing = self._missing(rec, shapes_of.get(rec.iri, ()))
            if structural:
                outcome = "invalid"
            elif violations and all(v.value == NOT_ESTABLISHED for v in violations):
                outcome = "undetermined"  # nothing established rules tolerance out: not a "no"
            elif violations:
                outcome = "not_tolerable"
            elif set(rec.situations) & self.duty_circumstances(rec.measure):
                outcome = "duty_fulfilled"
            else:
                outcome = "tolerable"
            consequences = [] if outcome == "invalid" else self.consequences(rec.measure, outcome)
            results.append(CaseResult(rec, not violations, outcome, violations, missing, consequences))
        return results

    @staticmethod
    def _with_case_value(v: Violation, rec: CaseRecord) -> Violation:
        """SHACL reports no value when a required value is missing or wrong (sh:hasValue,
        sh:qualifiedMinCount); the reviewer still needs to see what the case said."""
        if v.value is not None or not v.path:
            return v
        if v.path == "inSituation":
            return replace(v, value=";".join(rec.situations) or NOT_ESTABLISHED)
        if v.path in rec.facts:
            return replace(v, value=rec.facts[v.path])
        if v.path in FACTS:
            return replace(v, value=NOT_ESTABLISHED)
        return v

    def _violation(self, f: Finding) -> Violation:
        c = self.constraints[f.constraint]
        raw_path = c.path or f.path
        path = raw_path.rsplit("/", 1)[-1].rsplit("#", 1)[-1] if raw_path else None
        value = f.value
        if value and value.startswith(str(LEX)):
            value = value[len(str(LEX)):]
        elif value and value.startswith(BASE + "concept/"):
            value = value[len(BASE + "concept/"):]
        return Violation(rule=c.id, clause=self.clause(c.source),
                         message=c.messages.get("zh") or c.messages.get("", ""),
                         message_en=c.messages.get("en", ""), severity=c.severity, path=path,
                         value=value)

    def _missing(self, rec: CaseRecord, shapes: Iterable[str]) -> list[dict]:
        out, seen = [], set()
        for shape in shapes:
            for fact, source in self._requires[shape]:
                if fact not in rec.facts and fact not in seen:
                    seen.add(fact)
                    out.append({"fact": fact, "clause": self.clause(source)})
        return out


def read_all(paths: Iterable[str | Path], max_bytes: int) -> tuple[list[CaseRecord], list[str], list[str]]:
    records, errors, warnings = [], [], []
    for p in paths:
        try:
            res: ReadResult = read_register(p, max_bytes)
        except BadInput as exc:
            errors.append(str(exc))
            continue
        records += res.records
        warnings += res.warnings
    return records, errors, warnings


def apply_settings(records: list[CaseRecord], settings: list[str]) -> None:
    """`--set CASE.FIELD=VALUE`: change one fact (or field) of one case and validate again."""
    for s in settings:
        target, sep, value = s.partition("=")
        case_id, dot, fld = target.rpartition(".")
        if not sep or not dot or not case_id or not fld:
            raise BadInput(f"--set takes CASE.FIELD=VALUE, got '{s}'")
        matching = [r for r in records if r.case_id == case_id]
        if not matching:
            raise BadInput(f"--set: no case '{case_id}' in the register(s)")
        for r in matching:
            r.set_field(fld, value)


def validate_files(paths: list[str], store: Store, data: Path, *, engine: str = "sparql",
                   settings: list[str] | None = None, max_bytes: int = 20 * 1024 * 1024,
                   validator: Validator | None = None) -> Report:
    records, errors, warnings = read_all(paths, max_bytes)
    apply_settings(records, settings or [])
    v = validator or Validator(store, data)
    return Report(v.validate(records, engine), errors, warnings, engine)


__all__ = ["Validator", "Report", "CaseResult", "validate_files", "load_shapes", "shape_files",
           "apply_settings", "read_all", "FACTS"]
