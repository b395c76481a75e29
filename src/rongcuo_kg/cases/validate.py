"""Validate case records against the measures' shapes and explain every finding by its clause.

The shapes (shapes/*.ttl, shapes/generated/*.ttl) are the law made executable: each finding's
citation is the clause its shape names (dcterms:source), and its message is the shape's
sh:message. This module reads registers, runs the shapes (compiled to SPARQL on pyoxigraph by
default, pyshacl as the reference), and assembles per-case results: conformance, outcome,
the consequences the measure attaches to that outcome, and the facts still missing.
"""

from __future__ import annotations

import gc
import json
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable
from urllib.parse import unquote

from rdflib import Graph, URIRef
from rdflib.namespace import RDFS

from rongcuo_kg.graph.build import ontology_graph, parse_turtle
from rongcuo_kg.cases.records import (FACT_NS, FACTS, LEGACY_FACTS, CaseRecord, ReadResult, normalise_boolean,
                                      read_register, records_to_ntriples)
from rongcuo_kg.cases.routes import (NOT_ESTABLISHED, Decision, DecisionModel, Failure, Route, RouteStatus,
                                     close_by_once_only, decide, load_models, route_status)
from rongcuo_kg.errors import BadInput, RongcuoError
from rongcuo_kg.graph.namespaces import BASE, LEX, RC, measure_of
from rongcuo_kg.paths import SHAPES_DIR
from rongcuo_kg.graph.clauses import measure_titles
from rongcuo_kg.graph.querylib import run_named
from rongcuo_kg.text.refs import parse_ref
from rongcuo_kg.cases.shaclsparql import CompiledShapes, Finding, compile_shapes, run_pyshacl
from rongcuo_kg.graph.sparqlfiles import load_query
from rongcuo_kg.graph.store import Store

_json_str = json.encoder.encode_basestring  # a str as json.dumps(ensure_ascii=False) writes it
STRUCTURE_SHAPE = BASE + "shape/CaseStructure"


def shape_files(shapes_dir: Path = SHAPES_DIR) -> list[Path]:
    """The structure shapes, then each measure's hand-written decision model (measures/); a
    measure without one gets a model generated in memory (shapegen.py)."""
    return sorted(shapes_dir.glob("*.ttl")) + sorted((shapes_dir / "measures").glob("*.ttl"))


@lru_cache(maxsize=2)
def load_shapes(shapes_dir: str = str(SHAPES_DIR)) -> tuple[Graph, CompiledShapes]:
    """The committed shapes graph and its compiled form."""
    g = Graph()
    for f in shape_files(Path(shapes_dir)):
        parse_turtle(f, g)
    return g, compile_shapes(g, ontology_graph())


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
    return Reference(nt, g, measure_titles(store))


# ---------------------------------------------------------------- results

CONFORMING = ("duty_fulfilled", "exemption")  # conforms: no liability, or exemption open


class _SharedText:
    """The JSON of what cases of one kind share (all but their record), written once."""

    __slots__ = ("body", "routes", "rendered")

    def __init__(self) -> None:
        self.body: bytes | None = None
        self.routes: list[dict] | None = None
        self.rendered: dict[tuple, object] = {}  # (format, language) → what a report writes of them


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
    statuses: list[RouteStatus] = field(default_factory=list, repr=False)
    decisive: RouteStatus | None = field(default=None, repr=False)  # the route that holds and decides
    provisional: bool = False  # the measure's rules come from annotations nobody has reviewed
    explain: object = field(default=None, repr=False, compare=False)  # Validator.route_json
    shared: _SharedText | None = field(default=None, repr=False, compare=False)  # cases of one kind

    @property
    def routes(self) -> list[dict]:
        """Every route of the measure for this case, as the officer reads it (built when asked:
        a register of 100,000 cases does not hold them all)."""
        if self.shared is not None and self.shared.routes is not None:
            return self.shared.routes
        routes = [self.explain(st, self.record) for st in self.statuses] if self.explain else []
        if self.shared is not None:
            self.shared.routes = routes
        return routes

    def rendered(self, key: tuple, render):
        """What a report writes of this case that does not depend on its record: `render(self)`,
        made once per kind of case."""
        if self.shared is None:
            return render(self)
        if key not in self.shared.rendered:
            self.shared.rendered[key] = render(self)
        return self.shared.rendered[key]

    @property
    def route(self) -> dict | None:
        if self.decisive is None:
            return None
        r = self.decisive.route
        return {"id": r.id, "route": r.outcome, "modality": r.modality,
                "label": r.label.get("zh", r.id), "label_en": r.label.get("en", "")}

    def as_json(self) -> dict:
        r = self.record
        return {"case_id": r.case_id, "measure": r.measure, "source": r.where,
                "conforms": self.conforms, "outcome": self.outcome,
                "route": self.decisive.route.id if self.decisive else None,
                "modality": self.decisive.route.modality if self.decisive else None,
                "provisional": self.provisional,
                "violations": [v.as_json() for v in self.violations],
                "missing": self.missing, "consequences": self.consequences,
                "routes": self.routes, "extra": r.extra}

    def json_bytes(self) -> bytes:
        """`as_json()` as compact UTF-8 JSON: what the cases of one kind share is encoded once."""
        if self.shared is None:
            return json.dumps(self.as_json(), ensure_ascii=False, default=str).encode("utf-8")
        if self.shared.body is None:
            whole = self.as_json()
            for k in ("case_id", "measure", "source", "extra"):
                del whole[k]
            self.shared.body = json.dumps(whole, ensure_ascii=False, default=str)[1:-1].encode("utf-8")
        r = self.record
        extra = json.dumps(r.extra, ensure_ascii=False, default=str) if r.extra else "{}"
        return b"".join((f'{{"case_id": {_json_str(r.case_id)}, "measure": {_json_str(r.measure)}, '
                         f'"source": {_json_str(r.where)}, '.encode("utf-8"), self.shared.body,
                         f', "extra": {extra}}}'.encode("utf-8")))


@dataclass
class _Assessed:
    """A case's findings by shape and its route statuses, before the once-only rules and the outcome."""

    record: CaseRecord
    violations: list[Violation]
    structural: bool
    failures: dict[str, list[Failure]]
    statuses: list[RouteStatus]
    kind: tuple | None = None  # cases of one kind share all of this but the record
    once: bool = False  # a route that applies once per subject and issue applies


@dataclass
class Report:
    cases: list[CaseResult]
    errors: list[str] = field(default_factory=list)  # files that could not be read
    warnings: list[str] = field(default_factory=list)
    engine: str = "sparql"
    route_definitions: dict[str, dict] = field(default_factory=dict)  # route id → what it is, said once
    titles: dict[str, str] = field(default_factory=dict)  # measure id → title, for the text a person reads

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
                "route_definitions": self.route_definitions,
                "errors": self.errors, "warnings": self.warnings}


# ---------------------------------------------------------------- validation


class Validator:
    """Holds what does not change between validations: shapes, decision models, reference
    data, citations."""

    def __init__(self, store: Store, data: Path | None = None, shapes_dir: Path = SHAPES_DIR,
                 project_from: int | None = None):
        """Everything is read from `store` (`data`, the corpus folder, is accepted for callers
        that have it at hand; the store was built from it). `project_from`: the register size
        from which the shapes run on projections (projection.py) rather than the whole register."""
        from rongcuo_kg.cases.projection import PROJECT_FROM

        self.project_from = PROJECT_FROM if project_from is None else project_from
        self.store = store
        self.data = data
        self.committed_shapes, committed = load_shapes(str(shapes_dir))
        self.reference = reference_data(store)
        self.generated: dict[str, str] = {}  # measure id → Turtle generated from its annotations
        self._clauses: dict[str, dict] = {}
        self._clause_consequences: dict[str, list[dict]] = {}
        self._fact_labels: dict[str, tuple[str, str]] | None = None
        self._definitions: dict[str, dict] = {}
        self._route_cache: dict[tuple, dict] = {}
        self.last_findings: list[Finding] = []
        self._use(self.committed_shapes, committed)

    def _use(self, shapes: Graph, compiled: CompiledShapes) -> None:
        # the rules of a measure left out of the graph (a broken file) are not run: they would
        # cite clauses the graph does not hold; its cases are invalid records ("not in the graph")
        held = self.reference.measures
        kept = [c for c in compiled.constraints
                if not measure_of(c.source or "") or measure_of(c.source) in held]
        if len(kept) != len(compiled.constraints):
            compiled = CompiledShapes(kept, compiled.targets)
        self.shapes, self.compiled = shapes, compiled
        self.constraints = {c.id: c for c in compiled.constraints}
        self.constraints_of: dict[str, list] = defaultdict(list)  # node shape → its constraints
        for c in compiled.constraints:
            self.constraints_of[c.node_shape].append(c)
        # a measure left out of the graph (a broken file: connect.left_out) has no decision model
        # here: its cases are told their measure is not in the graph, the others are decided
        self.models = {m: model for m, model in load_models(shapes, ontology_graph()).items()
                       if m in self.reference.measures}
        self._facts_read: dict[str, tuple[str, ...]] = {}  # route IRI → the facts it reads
        self._kinds: dict[str, tuple[str, ...] | None] = {}  # measure → the facts its decision reads
        self._by_rule = {c.id.rsplit("/", 1)[-1]: c for c in compiled.constraints}

    def ensure_shapes(self, measures: Iterable[str]) -> None:
        """A measure added to the corpus (`rongcuo-kg ingest`) has no committed decision model:
        one is generated from its annotations, as `shapes --write` would."""
        from rongcuo_kg.cases.shapegen import generate_measure_shapes

        missing = sorted(m for m in set(measures)
                         if m in self.reference.measures and m not in self.models)
        if not missing:
            return
        for m in missing:
            try:
                self.generated[m] = generate_measure_shapes(self.store, m, self.reference.measures[m],
                                                            provisional=unreviewed(self.data, m))
            except BadInput as exc:
                raise BadInput(f"cannot validate cases under '{m}': {exc}; annotate (or review) its "
                               "clauses first") from None
        g = Graph()
        for t in self.committed_shapes:
            g.add(t)
        for text in self.generated.values():
            g.parse(data=text, format="turtle")
        self._use(g, compile_shapes(g, ontology_graph()))

    def facts_needed(self, measure: str) -> list[str]:
        """The fact columns a measure's routes read, in register order."""
        model = self.models.get(measure)
        if model is None:
            return []
        needed = {f for r in model.routes for f in self.route_facts(r)}
        return [f for f in FACTS if f in needed]

    def route_facts(self, route: Route) -> tuple[str, ...]:
        """The facts a route reads: those its required shapes need and those that open it."""
        facts = self._facts_read.get(route.iri)
        if facts is None:
            facts = self._facts_read[route.iri] = tuple(sorted(
                {f[len(FACT_NS):] for shape in route.shapes for c in self.constraints_of.get(shape, ())
                 for f in c.requires_facts} | set(route.trigger_facts)))
        return facts

    def concept_label(self, concept_id: str, lang: str = "zh") -> str:
        from rdflib.namespace import SKOS

        from rongcuo_kg.graph.namespaces import RCC

        labels = {o.language: str(o) for o in ontology_graph().objects(RCC[concept_id], SKOS.prefLabel)}
        return labels.get(lang) or labels.get("zh") or concept_id

    def describe(self, measure: str) -> list[dict]:
        """A measure's routes as a legal reader checks them: each route's outcome, modality and
        clause, what opens it, each requirement beside the clause text it implements, the
        once-only rule, the consequences, and the points the text leaves open."""
        self.ensure_shapes([measure])
        model = self.models[measure]
        out = []
        for r in model.routes:
            requirements = []
            for shape in r.shapes:
                for c in self.constraints_of.get(shape, ()):
                    requirements.append({"rule": c.id.rsplit("/", 1)[-1], "shape": shape.rsplit("/", 1)[-1],
                                         "clause": self.clause(c.source),
                                         "facts": [f[len(FACT_NS):] for f in c.requires_facts],
                                         "message": c.messages.get("zh", ""), "message_en": c.messages.get("en", "")})
            requirements.sort(key=lambda q: _clause_order(q["clause"]))
            out.append({
                "id": r.id, "route": r.outcome, "label": r.label.get("zh", r.id), "label_en": r.label.get("en", ""),
                "modality": r.modality, "clause": self.clause(r.clause), "modality_clause": self.clause(r.modality_clause),
                "opened_by": {"situations": [{"id": x, "label": self.concept_label(x),
                                              "label_en": self.concept_label(x, "en")} for x in sorted(r.triggers)],
                              "facts": [{"id": f, "label": self.fact_labels().get(f, (f, f))[0]} for f in r.trigger_facts]},
                "requirements": requirements,
                "once_per": list(r.once_per), "once_clause": self.clause(r.once_source),
                "consequences": [q for c in r.consequence_clauses for q in self.clause_consequences(c)],
                "note": r.note.get("zh"), "note_en": r.note.get("en"),
                "open_question": r.open_question.get("zh"), "open_question_en": r.open_question.get("en"),
                "provisional": model.provisional})
        return out

    def rule(self, rule_id: str):
        """A requirement's constraint by the rule id a route's requirement carries."""
        return self._by_rule.get(rule_id)

    def requirement_words(self, c, fact: str) -> tuple[str, str]:
        """A requirement as a question answered 是 when the requirement is met: the clause's own
        words where the rule states one fact positively (要件…：法律没有明令禁止), else the fact's
        label — never the words of an exclusion ("违反…的，不予容错"), where 是 would be misread."""
        zh, en = c.messages.get("zh", ""), c.messages.get("en", "")
        positive = "未成立或未查明：" in zh[:16] and len(c.requires_facts) == 1
        if positive:
            return zh.split("：", 1)[1], en.split(": ", 1)[-1]
        return self.fact_labels().get(fact, (fact, fact))

    def questions(self, measure: str, situations: list[str]) -> list[dict]:
        """The facts to ask about a case in these situations under this measure — only those the
        routes that can apply read — each in the words of the requirement(s) that need it, with
        their clauses; the circumstances that open a route by themselves (enforcement Art 12) too."""
        self.ensure_shapes([measure])
        model = self.models.get(measure)
        if model is None:
            return []
        asked: dict[str, dict] = {}
        # a route with nothing to establish that a situation already opens (履职尽责) leaves the
        # worse routes that only circumstances open (enforcement Art 12) nothing to decide
        settled = min((r.rank for r in model.routes if r.triggers.intersection(situations) and not r.shapes),
                      default=None)

        def ask(fact: str, words: str, words_en: str, clause: str | None) -> None:
            zh, en = self.fact_labels().get(fact, (fact, fact))
            q = asked.setdefault(fact, {"fact": fact, "label": zh, "label_en": en, "requirements": []})
            cited = self.cite(clause)
            if all(r["clause"] != cited or r["words"] != words for r in q["requirements"]):
                q["requirements"].append({"words": words, "words_en": words_en, "clause": cited})

        for r in model.routes:
            if r.trigger_facts and (settled is None or r.rank <= settled):
                for f in r.trigger_facts:
                    ask(f, *self.fact_labels().get(f, (f, f)), r.clause)
            if not r.triggers.intersection(situations):
                continue
            for shape in r.shapes:
                for c in self.constraints_of.get(shape, ()):
                    for f in c.requires_facts:
                        fact = f[len(FACT_NS):]
                        words, words_en = self.requirement_words(c, fact)
                        ask(fact, words, words_en, c.source)
        return sorted(asked.values(), key=lambda q: FACTS.index(q["fact"]) if q["fact"] in FACTS else 99)

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

    def cite(self, iri: str | None) -> dict | None:
        """A clause as a citation (no text): what each route and requirement carries."""
        c = self.clause(iri)
        return None if c is None else {k: v for k, v in c.items() if k != "text"}

    def clause_consequences(self, iri: str) -> list[dict]:
        """A consequence clause, cited, with the consequences it attaches."""
        if iri not in self._clause_consequences:
            rows = run_named(self.store, "internal/clause_consequences", {"clause": iri}).as_dicts()
            self._clause_consequences[iri] = [{
                "clause": self.clause(iri),
                "concepts": [{"id": r["concept"], "label": r["conceptLabel"],
                              "label_en": r.get("conceptLabelEn") or r["conceptLabel"]} for r in rows]}]
        return self._clause_consequences[iri]

    def fact_labels(self) -> dict[str, tuple[str, str]]:
        """fact id → (zh, en) label: the clause's words (ontology/cases.ttl)."""
        if self._fact_labels is None:
            onto = ontology_graph()
            self._fact_labels = {}
            for f in FACTS + tuple(LEGACY_FACTS):
                labels = {o.language: str(o) for o in onto.objects(URIRef(FACT_NS + f), RDFS.label)}
                self._fact_labels[f] = (labels.get("zh", f), labels.get("en", f))
        return self._fact_labels

    def _findings(self, records: list[CaseRecord], engine: str) -> tuple[list[Finding], dict[str, set[str]]]:
        """Every shape's findings on every case, and the cases each shape a route requires
        targets. The SPARQL engine evaluates each constraint once per distinct combination of
        the case properties it reads (projection.py); pyshacl, the reference, reads the whole
        register as one graph."""
        from rongcuo_kg.cases.projection import evaluate

        # which shapes a case is a focus node of: needed only for the shapes routes require
        required = [shape for shape in self.compiled.targets
                    if any(shape in r.shapes for m in self.models.values() for r in m.routes)]
        if engine == "sparql":
            return evaluate(records, self.compiled, self.reference.ntriples, required,
                            project_from=self.project_from)
        if engine != "pyshacl":
            raise BadInput(f"unknown engine '{engine}': use sparql or pyshacl")
        import logging
        import warnings

        data = Graph()
        # ill-typed values (a bad date or boolean) are findings, not warnings for the terminal
        logging.getLogger("rdflib.term").setLevel(logging.ERROR)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            data.parse(data=self.reference.ntriples + records_to_ntriples(records, descriptions=False), format="nt")
            findings = run_pyshacl(data, self.shapes)
        _, targets = evaluate(records, self.compiled, self.reference.ntriples, required, constraints=False,
                              project_from=self.project_from)
        return findings, targets

    def validate(self, records: list[CaseRecord], engine: str = "sparql", share: bool = True) -> list[CaseResult]:
        """Each case's outcome, route, findings, facts to establish and consequences.
        `share=False` decides every case on its own, even where cases of one kind could share
        their decision (the reference the tests compare the shared decisions with)."""
        self.ensure_shapes(r.measure for r in records)
        findings, targets = self._findings(records, engine) if records else ([], {})
        self.last_findings = findings
        by_focus: dict[str, list[Finding]] = defaultdict(list)
        for f in findings:
            by_focus[f.focus].append(f)
        self._violation_cache: dict[Finding, Violation] = {}

        def targeted(iri: str) -> set[str]:  # the shapes routes require that target the case
            return {shape for shape, focus in targets.items() if iri in focus}

        # 1. each case's requirements, shape by shape, and the status of each route. Cases under
        # a measure whose rules read only the measure, the situations and some facts share all of
        # it with the cases that agree on those (a register of 100,000: a few thousand kinds)
        structure_rules = {c.id for c in self.compiled.constraints if c.node_shape == STRUCTURE_SHAPE}
        facts_of = {m: self._decision_facts(model) for m, model in self.models.items()} if share else {}
        assessed: list[_Assessed] = []  # per case; one object for the cases of a kind
        shared: dict[tuple, _Assessed] = {}
        for rec in records:
            mine = by_focus.get(rec.iri, ())
            facts = facts_of.get(rec.measure)
            if facts is None or any(f.constraint in structure_rules for f in mine):
                assessed.append(self._assess(rec, mine, targeted(rec.iri), self.models.get(rec.measure)))
                continue
            key = (rec.measure, tuple(rec.situations), tuple(map(rec.facts.get, facts)))
            a = shared.get(key)
            if a is None:
                a = shared[key] = self._assess(rec, mine, targeted(rec.iri), self.models[rec.measure])
                a.kind = key
            assessed.append(a)

        # 2. once-only rules (guian Art 12) across the register, in date order: a case they
        # reach gets route statuses of its own
        once = [k for k, a in enumerate(assessed) if a.once]
        order = sorted(once, key=lambda k: (records[k].date, records[k].case_id))
        keys = {records[k].iri: {"subject": records[k].subject, "issue_key": records[k].issue_key,
                                 "case_id": records[k].case_id} for k in once}
        effects = close_by_once_only({records[k].iri: assessed[k].statuses for k in once}, keys,
                                     [records[k].iri for k in order])
        for k in once:
            reached = effects.get(records[k].iri)
            if reached:
                a = assessed[k]
                own = {id(st): RouteStatus(st.route, st.status, list(st.failures), st.shapes) for st in a.statuses}
                assessed[k] = _Assessed(records[k], a.violations, a.structural, a.failures, list(own.values()))
                for st, status, earlier in reached:
                    self._apply_once_only(own[id(st)], status, earlier)

        # 3. the outcome, best route first; decided once per kind of case
        results = []
        decided: dict[tuple, CaseResult] = {}
        for rec, a in zip(records, assessed):
            if a.kind is None:
                results.append(self._decide(a, rec))
                continue
            first = decided.get(a.kind)
            if first is None:
                first = decided[a.kind] = self._decide(a, rec)
                first.shared = _SharedText()
                results.append(first)
            else:
                results.append(CaseResult(rec, first.conforms, first.outcome, first.violations, first.missing,
                                          first.consequences, first.statuses, first.decisive, first.provisional,
                                          first.explain, first.shared))
        return results

    def _decision_facts(self, model: DecisionModel) -> tuple[str, ...] | None:
        """The facts a measure's decision reads, when its shapes read of a case nothing but the
        measure, the situations and facts, each its own (then two cases that agree on those get
        the same decision); None when they read more."""
        if model.measure in self._kinds:
            return self._kinds[model.measure]
        from rongcuo_kg.cases.projection import reads_of
        from rongcuo_kg.cases.records import CASE_PREDICATES, TYPE_IRI

        shapes = {s for r in model.routes for s in r.shapes} | ({model.situation_list} - {None})
        queries = [c.query for s in shapes for c in self.constraints_of.get(s, ())]
        queries += [self.compiled.targets[s] for s in shapes if s in self.compiled.targets]
        allowed = {str(RC) + "underMeasure", str(RC) + "inSituation", TYPE_IRI} | {
            p for p in CASE_PREDICATES if p.startswith(FACT_NS)}
        facts: set[str] | None = set()
        for reads in reads_of(queries).values():
            if not reads.local or reads.predicates is None or not reads.predicates <= allowed:
                facts = None
                break
            facts |= {p[len(FACT_NS):] for p in reads.predicates if p.startswith(FACT_NS)}
        if facts is not None:
            for r in model.routes:
                facts |= set(self.route_facts(r))
            facts |= {f[len(FACT_NS):] for s in shapes for c in self.constraints_of.get(s, ())
                      for f in c.requires_facts}
        self._kinds[model.measure] = None if facts is None else tuple(sorted(facts))
        return self._kinds[model.measure]

    def _assess(self, rec: CaseRecord, found, targeted: set[str], model: DecisionModel | None) -> "_Assessed":
        """A case's findings as violations, grouped by shape, and the status of each route."""
        violations = []
        failures: dict[str, list[Failure]] = defaultdict(list)
        for f in sorted(set(found), key=lambda f: (f.constraint, f.component, f.value or "")):
            key = Finding("", f.constraint, f.component, f.value, f.path)
            if key not in self._violation_cache:
                self._violation_cache[key] = self._violation(f)
            v = self._with_case_value(self._violation_cache[key], rec)
            violations.append(v)
            c = self.constraints[f.constraint]
            failures[c.node_shape].append(Failure(
                rule=c.id, shape=c.node_shape, clause=c.source, value=v.value,
                facts=tuple(x[len(FACT_NS):] for x in c.requires_facts), violation=v))
        structural = STRUCTURE_SHAPE in failures
        situations = set(rec.situations)
        statuses = [] if structural or model is None else [
            route_status(r, situations, rec.facts, failures, targeted) for r in model.routes]
        once = any(st.route.once_per and st.status != "not_applicable" for st in statuses)
        return _Assessed(rec, violations, structural, failures, statuses, once=once)

    def _decide(self, c: "_Assessed", rec: CaseRecord) -> CaseResult:
        """The outcome of a case (`rec`; `c` may be shared with the cases of its kind)."""
        failures, statuses = c.failures, c.statuses
        model = self.models.get(rec.measure)
        if c.structural or model is None:
            return CaseResult(rec, False, "invalid", c.violations, [], [])
        decision = decide(statuses)
        shown: list[Violation] = []
        seen = set()
        listed = failures.get(model.situation_list, []) if model.situation_list else []
        # a closed route is explained by what closed it, an open one by what it waits on
        explaining = [f for st in decision.considered for f in st.failures
                      if f.established or st.status == "open"]
        for f in listed + explaining:
            key = (f.rule, f.value)
            if key not in seen:
                seen.add(key)
                shown.append(f.violation)
        missing, seen_facts = [], set()
        for st in decision.considered:
            for f in st.failures:
                if f.established or st.status != "open":
                    continue
                for fact in f.facts:
                    if fact not in rec.facts and fact not in seen_facts:
                        seen_facts.add(fact)
                        zh, en = self.fact_labels().get(fact, (fact, fact))
                        missing.append({"fact": fact, "label": zh, "label_en": en,
                                        "clause": self.clause(f.clause)})
        consequences = self._consequences(model, decision)
        return CaseResult(rec, decision.outcome in CONFORMING, decision.outcome, shown,
                          missing, consequences, statuses, decision.route, model.provisional,
                          self.route_json)

    def validate_under_all(self, records: list[CaseRecord], measures: list[str] | None = None,
                           engine: str = "sparql") -> list[tuple[CaseRecord, dict[str, CaseResult]]]:
        """Each case decided under every measure (or those given) on the same facts: what a
        researcher comparing local measures wants to see side by side. The copies under one
        measure are decided together, so a once-only rule sees the register's other cases."""
        chosen = measures or sorted(self.reference.measures)
        under: dict[str, list[CaseResult]] = {}
        for m in chosen:  # one batch per measure: case ids stay unique within it, as in the register
            copies = [replace(rec, measure=m, iri=f"{rec.iri}/under/{m}", facts=dict(rec.facts),
                              situations=list(rec.situations)) for rec in records]
            under[m] = self.validate(copies, engine)
        return [(rec, {m: under[m][k] for m in chosen}) for k, rec in enumerate(records)]

    def _apply_once_only(self, st: RouteStatus, status: str, earlier: str) -> None:
        r = st.route
        clause = self.clause(r.once_source)
        cite = clause["label"] if clause else ""
        if status == "closed":
            zh = f"同一工作、同一问题只适用一次（{cite}）：在先案件 {earlier} 已经此路径成立"
            en = f"applies once only on the same work and problem ({cite}): earlier case {earlier} already had it"
            value = earlier
        else:
            zh = f"同一工作、同一问题只适用一次（{cite}）：在先案件 {earlier} 尚待查明，其结论决定本案能否适用"
            en = f"applies once only on the same work and problem ({cite}): earlier case {earlier} is undetermined"
            value = NOT_ESTABLISHED
        v = Violation(rule=r.iri + "/once", clause=clause, message=zh, message_en=en, severity="Violation",
                      path="issue_key", value=value)
        st.failures.append(Failure(rule=v.rule, shape="", clause=r.once_source, value=value, facts=(),
                                   violation=v))
        if status == "closed" or st.status == "holds":
            st.status = status

    def _consequences(self, model: DecisionModel, decision: Decision) -> list[dict]:
        if decision.route is not None:
            clauses = list(decision.route.route.consequence_clauses)
        elif decision.outcome == "not_tolerable":
            clauses = list(model.refusal_clauses)
            for st in decision.considered:  # a clause that closed a route and says what follows (Art 13)
                clauses += [f.clause for f in st.failures if f.established and f.clause
                            and self.clause_consequences(f.clause)[0]["concepts"]]
        else:
            return []
        out, seen = [], set()
        for c in clauses:
            if c not in seen:
                seen.add(c)
                out += self.clause_consequences(c)
        return out

    def route_json(self, st: RouteStatus, rec: CaseRecord) -> dict:
        """One route for one case: whether it holds and each requirement met (✓), not (✗) or
        not established (？). What the route is (label, clause text, note, open question) is
        said once per report (`route_definition`); an unmet requirement carries its words."""
        r = st.route
        if st.status == "not_applicable":
            return {"id": r.id, "route": r.outcome, "modality": r.modality, "status": st.status, "holds": st.holds}
        # most cases of a register share their route's explanation: made once per distinct one
        facts_read = self.route_facts(r)
        key = (r.id, st.status, tuple(st.shapes),
               tuple((f.rule, f.value, None if f.shape else f.violation.message) for f in st.failures),
               tuple(rec.facts.get(f) for f in facts_read), tuple(sorted(r.triggers.intersection(rec.situations))))
        cached = self._route_cache.get(key)
        if cached is None:
            if len(self._route_cache) > 50_000:
                self._route_cache.clear()
            cached = self._route_cache[key] = self._route_json(st, rec)
        return cached

    def _route_json(self, st: RouteStatus, rec: CaseRecord) -> dict:
        r = st.route
        out = {"id": r.id, "route": r.outcome, "modality": r.modality, "status": st.status, "holds": st.holds}
        failed = {f.rule: f for f in st.failures}
        requirements = []
        for shape in st.shapes:
            for c in self.constraints_of.get(shape, ()):
                f = failed.pop(c.id, None)
                facts = [x[len(FACT_NS):] for x in c.requires_facts]
                if f is None:
                    value = ";".join(normalise_boolean(rec.facts[x]) for x in facts if x in rec.facts) or "true"
                    requirements.append(self._requirement(c.source, None, facts, value, True, c.id))
                else:
                    requirements.append(self._requirement(c.source, c.messages, facts, f.value,
                                                          False if f.established else None, c.id))
        for f in failed.values():  # once-only
            requirements.append(self._requirement(f.clause, {"zh": f.violation.message, "en": f.violation.message_en},
                                                  [], f.value, False if f.established else None))
        requirements.sort(key=lambda q: _clause_order(q["clause"]))
        out["clause"] = self._short_cite(r.clause)
        out["opened_by"] = sorted(r.triggers.intersection(rec.situations)) + [
            f for f in r.trigger_facts if r.applies([], {f: rec.facts.get(f, "")})]
        out["requirements"] = requirements
        return out

    def route_definition(self, route_id: str) -> dict:
        """What a route is, for every report that mentions it: label, clause, modality and the
        clause giving it, note, open question."""
        if route_id not in self._definitions:
            r = next(x for m in self.models.values() for x in m.routes if x.id == route_id)
            self._definitions[route_id] = {
                "route": r.outcome, "measure": r.measure, "label": r.label.get("zh", r.id),
                "label_en": r.label.get("en", ""), "modality": r.modality, "clause": self.cite(r.clause),
                "modality_clause": self.cite(r.modality_clause),
                "note": r.note.get("zh"), "note_en": r.note.get("en"),
                "open_question": r.open_question.get("zh"), "open_question_en": r.open_question.get("en")}
        return self._definitions[route_id]

    def route_definitions(self, results: list[CaseResult]) -> dict[str, dict]:
        ids = {st.route.id for c in results for st in c.statuses}
        return {i: self.route_definition(i) for i in sorted(ids)}

    def clause_label(self, short: dict | None) -> str:
        """The citation (《简称》第八条第一款第二项) of a clause given as in a route's requirement."""
        if not short:
            return ""
        m, ref = short["measure"], short["ref"]
        for c in self._clauses.values():
            if c["measure"] == m and c["ref"] == ref:
                return c["label"]
        return f"{m} {ref}"

    def _short_cite(self, iri: str | None) -> dict | None:
        c = self.clause(iri)
        return None if c is None else {k: c[k] for k in ("measure", "article", "paragraph", "item", "ref")}

    def _requirement(self, clause: str | None, messages: dict[str, str] | None, facts: list[str],
                     value: str | None, met: bool | None, rule: str | None = None) -> dict:
        out = {"rule": rule.rsplit("/", 1)[-1] if rule else None, "clause": self._short_cite(clause),
               "facts": facts, "value": value, "met": met}
        if messages is not None:  # what is unmet is said in words; what is met, by its clause
            def words(text: str) -> str:  # the requirement itself, without "要件未成立或未查明："
                return text.split("：", 1)[1] if "：" in text[:12] else text.split(": ", 1)[-1]

            out["label"] = words(messages.get("zh") or messages.get("", ""))
            out["label_en"] = words(messages.get("en", ""))
        return out

    @staticmethod
    def _with_case_value(v: Violation, rec: CaseRecord) -> Violation:
        """SHACL reports no value when a required value is missing or wrong (sh:hasValue,
        sh:qualifiedMinCount); the reviewer still needs to see what the case said."""
        if v.value is not None or not v.path:
            return v
        if v.path == "inSituation":
            return replace(v, value=";".join(rec.situations) or NOT_ESTABLISHED)
        if v.path in rec.facts:
            return replace(v, value=normalise_boolean(rec.facts[v.path]))
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
            value = unquote(value[len(BASE + "concept/"):])  # as the register wrote it
        return Violation(rule=c.id, clause=self.clause(c.source),
                         message=c.messages.get("zh") or c.messages.get("", ""),
                         message_en=c.messages.get("en", ""), severity=c.severity, path=path,
                         value=value)


def _clause_order(c: dict | None) -> tuple:
    if not c:
        return (0,)
    return _ref_order(c["article"] or "", c["paragraph"] or 0, c["item"] or 0, c.get("subitem") or 0)


@lru_cache(maxsize=4096)
def _ref_order(art: str, paragraph: int, item: int, subitem: int) -> tuple:
    digits = "".join(ch for ch in art if ch.isdigit())
    return (1, int(digits) if digits else 0, art, paragraph, item, subitem)


def unreviewed(data: Path | None, measure: str) -> bool:
    """A measure added with `ingest` whose suggestions are still in use unreviewed (status
    `auto` in annotations/suggested/<id>.ttl): rules built from them are provisional."""
    if data is None:
        return False
    path = Path(data) / "annotations" / "suggested" / f"{measure}.ttl"
    if not path.is_file():
        return False
    from rdflib import Literal

    g = Graph()
    try:
        parse_turtle(path, g)
    except BadInput:
        return True  # unreadable review state: nothing says it was reviewed
    from rongcuo_kg.graph.namespaces import RC

    return (None, RC.reviewStatus, Literal("auto")) in g


def read_all(paths: Iterable[str | Path], max_bytes: int,
             absent: dict[str, list[str]] | None = None) -> tuple[list[CaseRecord], list[str], list[str]]:
    """Every readable register's records; a file that cannot be read is an error, the others
    are still read. `absent`, when given, receives each file's missing fact columns."""
    records, errors, warnings = [], [], []
    for p in paths:
        try:
            res: ReadResult = read_register(p, max_bytes)
        except BadInput as exc:
            errors.append(str(exc))
            continue
        records += res.records
        warnings += res.warnings
        if absent is not None and res.absent_facts:
            absent[str(p)] = res.absent_facts
    return records, errors, warnings


def absent_column_warnings(results: list[CaseResult], absent: dict[str, list[str]]) -> list[str]:
    """A fact column a register lacks is worth a warning where a case's outcome waits on it."""
    waiting: dict[str, Counter] = defaultdict(Counter)
    for c in results:
        if c.record.source in absent:
            for m in c.missing:
                if m["fact"] in absent[c.record.source]:
                    waiting[c.record.source][m["fact"]] += 1
    out = []
    for src, facts in waiting.items():
        cases = max(facts.values())
        out.append(f"{src}: no column {', '.join(sorted(facts))}: {cases} case(s) wait on "
                   f"{'it' if len(facts) == 1 else 'them'} (未查明)")
    return out


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


@contextmanager
def paused_gc():
    """Hold Python's cycle collector while a register is read, decided and written. The work
    allocates millions of small objects and no cycles worth collecting; left on, the collector
    walks every live object again and again (3.4 s of 14 at 100,000 cases). Nested uses are
    fine: the collector comes back as it was when the outermost one ends."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


VALIDATION_STEPS = 3  # reading the registers, deciding the cases, (the caller's) writing the reports


def validate_files(paths: list[str], store: Store, data: Path, *, engine: str = "sparql",
                   settings: list[str] | None = None, max_bytes: int = 20 * 1024 * 1024,
                   validator: Validator | None = None,
                   progress: Callable[[int, int], None] | None = None) -> Report:
    """Read the registers and decide every case; `progress(done, VALIDATION_STEPS)` hears of each
    step done (a register of 100,000 cases takes a while: the CLI shows a bar on a terminal)."""
    absent: dict[str, list[str]] = {}
    step = progress or (lambda done, total: None)
    with paused_gc():
        records, errors, warnings = read_all(paths, max_bytes, absent)
        apply_settings(records, settings or [])
        step(1, VALIDATION_STEPS)
        v = validator or Validator(store, data)
        results = v.validate(records, engine)
        step(2, VALIDATION_STEPS)
        return Report(results, errors, warnings + absent_column_warnings(results, absent), engine,
                      v.route_definitions(results), dict(v.reference.measures))


__all__ = ["Validator", "Report", "CaseResult", "validate_files", "load_shapes", "shape_files",
           "apply_settings", "read_all", "paused_gc", "FACTS"]
