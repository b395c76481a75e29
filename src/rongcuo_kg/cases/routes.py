"""Decide a case by the routes its measure opens (履职尽责, 免责, 从轻/减轻), best first.

The routes are data: each measure's decision model (shapes/measures/<id>.ttl, or one generated
from a new measure's annotations) names, per route, the outcome it leads to, the modality of its
clause (应当 shall / 可以 may), what opens it (a listed situation, or a circumstance established
true), the SHACL shapes a case must conform to (conditions, an item's own elements, a clause that
closes the route) and the clauses whose consequences follow. The shapes decide each requirement
(true, false, or not established); this module only combines their findings, as
docs/decision-model.md sets out:

- a route *holds* when every requirement is met, is *closed* when one is established false (or
  an overriding clause closes it), and is *open* otherwise (a fact nobody has established);
- the outcome is the best route that holds, unless a better route is still open: then
  `undetermined`, naming the facts to establish; no route holds or is open: `not_tolerable`;
- a route that applies once per subject and issue (guian Art 12: 只适用一次容错免责) is closed for
  a later case when an earlier case of the same subject and issue has it holding, and open while
  such an earlier case is itself undetermined.

The modality travels with the route into the report: "可以" means the body decides.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from rdflib import Graph, Literal
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, RDF, RDFS

from rongcuo_kg.graph.namespaces import LEX, RC

OUTCOME_NS = "https://w3id.org/rongcuo-kg/outcome/"
NOT_ESTABLISHED = "未查明"  # the value of a requirement whose fact the record leaves empty
# record fields a once-only rule may group by, by the case property that names them
CASE_FIELDS = {str(RC.subject): "subject", str(RC.issueKey): "issue_key", str(RC.caseId): "case_id"}


def _texts(g: Graph, node, prop) -> dict[str, str]:
    return {(o.language or ""): str(o) for o in g.objects(node, prop) if isinstance(o, Literal)}


def _local(iri: str | None, ns: str) -> str | None:
    return iri[len(ns):] if iri and iri.startswith(ns) else iri


@dataclass(frozen=True)
class Route:
    iri: str
    measure: str
    outcome: str  # duty_fulfilled | exemption | mitigation
    rank: int  # of the outcome: lower is better for the official
    modality: str  # shall | may
    clause: str | None  # the clause that opens the route (dcterms:source)
    modality_clause: str | None
    triggers: frozenset[str]  # situation ids
    trigger_facts: tuple[str, ...]  # fact ids: one established true opens the route
    shapes: tuple[str, ...]  # node shapes the case must conform to
    consequence_clauses: tuple[str, ...]
    once_per: tuple[str, ...]  # record fields; empty: no once-only rule
    once_source: str | None
    label: dict[str, str]
    note: dict[str, str]
    open_question: dict[str, str]

    @property
    def id(self) -> str:
        return self.iri.rsplit("/", 1)[-1]

    def applies(self, situations, facts: dict[str, str]) -> bool:
        return not self.triggers.isdisjoint(situations) or any(
            facts.get(f, "").strip().lower() in ("true", "1", "是", "yes", "y", "t", "真")
            for f in self.trigger_facts)


@dataclass
class DecisionModel:
    measure: str
    iri: str
    routes: list[Route]
    situation_list: str | None  # node shape: its findings are always reported
    refusal_clauses: list[str] = field(default_factory=list)
    provisional: bool = False  # built from annotations nobody has reviewed yet


def load_models(shapes: Graph, ontology: Graph) -> dict[str, DecisionModel]:
    """Every rc:DecisionModel in the shapes graph, by measure id."""
    ranks = {str(o): int(r) for o, r in ontology.subject_objects(RC.rank)}
    models = {}
    for m in shapes.subjects(RDF.type, RC.DecisionModel):
        measure = _local(str(shapes.value(m, RC.forMeasure)), str(LEX))
        routes = []
        for r in shapes.objects(m, RC.hasRoute):
            outcome = str(shapes.value(r, RC.routeOutcome))
            once = shapes.value(r, RC.appliesOncePer)
            once_fields = tuple(CASE_FIELDS[str(p)] for p in Collection(shapes, once)) if once is not None else ()
            src = shapes.value(r, DCTERMS.source)
            routes.append(Route(
                iri=str(r), measure=measure, outcome=_local(outcome, OUTCOME_NS), rank=ranks.get(outcome, 9),
                modality=str(shapes.value(r, RC.modality)).rsplit("#", 1)[-1],
                clause=str(src) if src else None,
                modality_clause=str(shapes.value(r, RC.modalitySource) or src or "") or None,
                triggers=frozenset(str(t).rsplit("/", 1)[-1] for t in shapes.objects(r, RC.triggeredBy)),
                trigger_facts=tuple(sorted(str(t).rsplit("/", 1)[-1] for t in shapes.objects(r, RC.triggeredByFact))),
                shapes=tuple(sorted(str(s) for s in shapes.objects(r, RC.requiresShape))),
                consequence_clauses=tuple(sorted(str(c) for c in shapes.objects(r, RC.consequenceClause))),
                once_per=once_fields,
                once_source=str(shapes.value(r, RC.oncePerSource)) if once_fields else None,
                label=_texts(shapes, r, RDFS.label), note=_texts(shapes, r, RC.note),
                open_question=_texts(shapes, r, RC.openQuestion)))
        routes.sort(key=lambda x: (x.rank, x.modality != "shall", x.iri))
        listed = shapes.value(m, RC.situationList)
        models[measure] = DecisionModel(
            measure=measure, iri=str(m), routes=routes, situation_list=str(listed) if listed else None,
            refusal_clauses=sorted(str(c) for c in shapes.objects(m, RC.refusalClause)),
            provisional=bool(shapes.value(m, RC.provisional)))
    return models


# ---------------------------------------------------------------- deciding one case


@dataclass
class Failure:
    """A requirement the case does not meet: a shape's finding, with the case's value."""

    rule: str
    shape: str
    clause: str | None
    value: str | None
    facts: tuple[str, ...]  # the facts the requirement needs
    violation: object = None  # as reported (validate.Violation)

    @property
    def established(self) -> bool:
        return self.value != NOT_ESTABLISHED


@dataclass
class RouteStatus:
    route: Route
    status: str  # holds | open | closed | not_applicable
    failures: list[Failure]
    shapes: list[str]  # the route's shapes that apply to the case

    @property
    def holds(self) -> bool | None:
        return True if self.status == "holds" else None if self.status == "open" else False


def route_status(route: Route, situations: set[str] | list[str], facts: dict[str, str],
                 failures_by_shape: dict[str, list[Failure]], targeted: set[str]) -> RouteStatus:
    if not route.applies(situations, facts):
        return RouteStatus(route, "not_applicable", [], [])
    shapes = [s for s in route.shapes if s in targeted]
    failures = [f for s in shapes for f in failures_by_shape.get(s, ())]
    if any(f.established for f in failures):
        status = "closed"
    elif failures:
        status = "open"
    else:
        status = "holds"
    return RouteStatus(route, status, failures, shapes)


def close_by_once_only(statuses: dict[str, list[RouteStatus]], keys: dict[str, dict[str, str]],
                       order: list[str]) -> dict[str, list[tuple[RouteStatus, str, str]]]:
    """Apply every once-only rule: `statuses` are the case's route statuses (by case IRI),
    `keys` the values of the fields a rule groups by, `order` the cases by date then id.
    Returns, per case, the routes closed or held open and the earlier case responsible."""
    groups: dict[tuple, list[str]] = defaultdict(list)
    for case in order:
        for st in statuses.get(case, ()):
            r = st.route
            if r.once_per and st.status != "not_applicable":
                values = tuple(keys[case].get(f, "") for f in r.once_per)
                if all(values):
                    group = (r.measure, r.once_source, values)
                    if not groups[group] or groups[group][-1] != case:
                        groups[group].append(case)
    effects: dict[str, list[tuple[RouteStatus, str, str]]] = defaultdict(list)
    for (measure, source, _values), cases in groups.items():
        used = pending = None
        for case in cases:
            mine = [st for st in statuses[case] if st.route.once_per and st.route.once_source == source
                    and st.status != "not_applicable"]
            own = "holds" if any(s.status == "holds" for s in mine) else \
                "open" if any(s.status == "open" for s in mine) else "closed"
            if used is not None:
                effects[case] += [(st, "closed", used) for st in mine]
            elif pending is not None:
                effects[case] += [(st, "open", pending) for st in mine if st.status != "closed"]
            if used is None and pending is None and own == "holds":
                used = keys[case].get("case_id", case)
            elif used is None and own == "open" and pending is None:
                pending = keys[case].get("case_id", case)
    return effects


@dataclass
class Decision:
    outcome: str
    route: RouteStatus | None  # the route that decides (holds), if any
    considered: list[RouteStatus]  # routes whose failures explain the outcome
    statuses: list[RouteStatus]


def decide(statuses: list[RouteStatus]) -> Decision:
    holding = [s for s in statuses if s.status == "holds"]
    best = min((s.route.rank for s in holding), default=None)
    better = [s for s in statuses if s.status in ("open", "closed")
              and (best is None or s.route.rank < best)]
    if any(s.status == "open" for s in better):
        return Decision("undetermined", None, better, statuses)
    if holding:
        decisive = next(s for s in holding if s.route.rank == best)  # shall before may (model order)
        return Decision(decisive.route.outcome, decisive, better, statuses)
    return Decision("not_tolerable", None, better, statuses)
