"""Generate a decision model for a measure that has no hand-written one (a measure added with
`rongcuo-kg ingest`), from the annotations in use, as Turtle a legal expert can review:

- its situations (rc:statesSituation) open one route, 容错 with exemption, modality 可以 — the
  modality most measures use; the route's note says it was not read from this measure's text;
- every condition the measure makes necessary (rc:requiresCondition, in whatever article or
  item it is stated, definition article included) is a requirement of that route;
- its duty-fulfilled circumstances (rc:statesDutyFulfilled), if any, open a 履职尽责 route;
- the consequences its clauses attach (rc:attachesConsequence) follow the route they belong to.

The three seed measures have hand-written models (shapes/measures/<id>.ttl) read from their
texts: they open more routes (mitigation), with their own modalities and overrides. A generated
model is marked provisional when the annotations it comes from have not been reviewed.
"""

from __future__ import annotations

from collections import defaultdict

from rongcuo_kg.errors import BadInput
from rongcuo_kg.graph.querylib import run_named
from rongcuo_kg.graph.store import Store

HEADER = """# GENERATED from the annotations of 《{title}》 ({id}): do not edit by hand; change the
# annotations, or write a decision model from the text in shapes/measures/{id}.ttl.

@prefix sh:      <http://www.w3.org/ns/shacl#> .
@prefix rc:      <https://w3id.org/rongcuo-kg/ontology#> .
@prefix rcc:     <https://w3id.org/rongcuo-kg/concept/> .
@prefix rcf:     <https://w3id.org/rongcuo-kg/fact/> .
@prefix rco:     <https://w3id.org/rongcuo-kg/outcome/> .
@prefix rsh:     <https://w3id.org/rongcuo-kg/shape/> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .

"""
NOTE_ZH = "由标注生成的认定模型：路径（容错免责）与情态（可以）未从本办法条文逐条读取，其从轻、减轻等路径亦未建模；请对照条文核对。"
NOTE_EN = ("A model generated from annotations: the route (exemption) and modality (may) were not read from this "
           "text clause by clause, and its mitigation routes are not modelled; check against the text.")
# consequences that follow 容错免责 and 履职尽责 (roots: the narrower ones count too)
EXEMPTION_OUTCOME = "https://w3id.org/rongcuo-kg/outcome/exemption"
DUTY_OUTCOME = "https://w3id.org/rongcuo-kg/outcome/duty_fulfilled"


def _lit(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _target(measure_id: str, situation: str | None = None) -> str:
    """The cases under the measure (in the situation, if one is given)."""
    where = f"?this a rc:ToleranceMatter ; rc:underMeasure <https://w3id.org/rongcuo-kg/eli/{measure_id}>" \
        + (f" ; rc:inSituation rcc:{situation}" if situation else "")
    return (f"    sh:target [ a sh:SPARQLTarget ;\n        sh:prefixes rsh:prefixes ;\n"
            f"        sh:select {_lit(f'SELECT ?this WHERE {{ {where} . }}')} ] ;\n")


def generate_measure_shapes(store: Store, measure_id: str, title: str, provisional: bool = False) -> str:
    sit = run_named(store, "internal/shape_situations", {"measure": measure_id}, limit=None).as_dicts()
    cond = run_named(store, "internal/shape_conditions", {"measure": measure_id}, limit=None).as_dicts()
    situations = sorted({r["concept"] for r in sit if r["kind"] == "situation"})
    duty = sorted({r["concept"] for r in sit if r["kind"] == "duty_fulfilled"})
    if not situations:
        raise BadInput(f"measure '{measure_id}' has no annotated situations: cannot generate its shapes")
    articles = sorted({(r["articleRef"], r["article"], r["articleLabel"]) for r in sit
                       if r["kind"] == "situation"}, key=lambda a: _num(a[0]))
    art_ref, art_iri, art_label = articles[0]
    m = measure_id
    mentioned = run_named(store, "internal/shape_mentioned_conditions", {"measure": measure_id},
                          limit=None).as_dicts()
    by_fact: dict[str, list[dict]] = defaultdict(list)  # the measure's necessary conditions
    elements: dict[str, dict[str, dict]] = defaultdict(dict)  # situation → its own conditions
    for r in cond + [x for x in mentioned if not x["situation"]]:  # a list of conditions, or a definition
        if not r["fact"]:
            raise BadInput(f"condition '{r['concept']}' has no fact property (rc:establishesCondition)")
        by_fact[r["concept"]].append(r)
    for r in mentioned:
        if r["situation"] and r["fact"] and r["situation"] in situations:
            elements[r["situation"]].setdefault(r["concept"], r)
    conditions = sorted(by_fact, key=lambda c: _num(by_fact[c][0]["ref"]))
    # the measure's 不予容错 list: an exclusion a fact rules out is a requirement (that fact true);
    # "只适用一次" is the once-only rule; the others have no fact and are named in the route's note
    exclusions = run_named(store, "internal/shape_exclusions", {"measure": measure_id}, limit=None).as_dicts()
    barred = {r["concept"]: r for r in exclusions if r["fact"]}
    once = next((r for r in exclusions if r["concept"] == "repeat_mistake"), None)
    unmodelled = [r for r in exclusions if not r["fact"] and r["concept"] != "repeat_mistake"]

    def consequence_clauses(outcome: str) -> list[str]:
        rows = run_named(store, "internal/outcome_consequences", {"measure": m, "outcome": outcome},
                         limit=None).as_dicts()
        return sorted({r["clause"] for r in rows})

    out = [HEADER.format(id=m, title=title)]
    plain = [x for x in situations if x not in elements]  # situations with no elements of their own
    routes = ([f"rsh:{m}_route_tolerance"] if plain else []) + [f"rsh:{m}_route_{x}" for x in sorted(elements)] \
        + ([f"rsh:{m}_route_duty"] if duty else [])
    out.append(f"rsh:{m}_model a rc:DecisionModel ;\n"
               f"    rdfs:label {_lit(f'《{title}》认定模型（由标注生成）')}@zh , {_lit(f'{m}: decision model (generated from annotations)')}@en ;\n"
               f"    rc:forMeasure <https://w3id.org/rongcuo-kg/eli/{m}> ;\n"
               f"    rc:situationList rsh:{m}_listed ;\n"
               + ("    rc:provisional true ;\n" if provisional else "")
               + f"    rc:hasRoute {' , '.join(routes)} .\n")
    cons = consequence_clauses(EXEMPTION_OUTCOME)

    def route(name: str, label_zh: str, label_en: str, triggers: list[str], shapes: list[str], source: str) -> str:
        return (f"rsh:{m}_route_{name} a rc:Route ;\n"
                f"    rdfs:label {_lit(label_zh)}@zh , {_lit(label_en)}@en ;\n"
                f"    rc:routeOutcome rco:exemption ;\n"
                f"    rc:modality rc:may ;\n"
                f"    rc:modalitySource <{art_iri}> ;\n"
                f"    dcterms:source <{source}> ;\n"
                f"    rc:triggeredBy {' , '.join(f'rcc:{x}' for x in triggers)} ;\n"
                + (f"    rc:requiresShape {' , '.join(shapes)} ;\n" if shapes else "")
                + (f"    rc:consequenceClause {' , '.join(f'<{c}>' for c in cons)} ;\n" if cons else "")
                + (f"    rc:appliesOncePer ( rc:subject rc:issueKey ) ;\n    rc:oncePerSource <{once['clause']}> ;\n"
                   if once else "")
                + f"    rc:note {_lit(NOTE_ZH + unmodelled_zh)}@zh ,\n"
                f"        {_lit(NOTE_EN + unmodelled_en)}@en .\n")

    unmodelled_zh = "".join(f"{r['clauseLabel']}所列不予容错情形“{r['conceptLabel']}”无对应事实，须由认定机关另行查明。"
                            for r in unmodelled)
    unmodelled_en = "".join(f" The exclusion '{r['concept']}' ({m} {r['ref']}) has no fact: the body must establish it."
                            for r in unmodelled)

    measure_wide = ([f"rsh:{m}_conditions"] if conditions else []) + ([f"rsh:{m}_exclusions"] if barred else [])
    if plain:
        out.append(route("tolerance", f"容错免责（{art_label}所列情形）", f"exemption ({m} Art {art_ref})",
                         plain, measure_wide, art_iri))
    for x in sorted(elements):
        item = next(iter(elements[x].values()))
        out.append(route(x, f"容错免责（{item['clauseLabel']}）", f"exemption ({m} {item['ref']})",
                         [x], measure_wide + [f"rsh:{m}_elements_{x}"], item["clause"]))
    if duty:
        duty_art = next(r for r in sit if r["kind"] == "duty_fulfilled")
        duty_label, duty_ref = duty_art["articleLabel"], duty_art["articleRef"]
        dcons = consequence_clauses(DUTY_OUTCOME)
        out.append(f"rsh:{m}_route_duty a rc:Route ;\n"
                   f"    rdfs:label {_lit(f'履职尽责（{duty_label}）')}@zh , {_lit(f'duty fulfilled ({m} Art {duty_ref})')}@en ;\n"
                   f"    rc:routeOutcome rco:duty_fulfilled ;\n"
                   f"    rc:modality rc:shall ;\n"
                   f"    dcterms:source <{duty_art['article']}> ;\n"
                   f"    rc:triggeredBy {' , '.join(f'rcc:{x}' for x in duty)} ;\n"
                   + (f"    rc:consequenceClause {' , '.join(f'<{c}>' for c in dcons)} ;\n" if dcons else "")
                   + f"    rc:note {_lit('由标注生成：履职尽责情形依法不承担责任。')}@zh , {_lit('Generated from annotations: no liability in a duty-fulfilled circumstance.')}@en .\n")
    listed = " ".join(f"rcc:{x}" for x in situations + duty)
    extra = ""
    if duty:
        duty_label = next(r["articleLabel"] for r in sit if r["kind"] == "duty_fulfilled")
        extra = f"，也不属于{duty_label}所列的履职尽责情形"
    out.append(f"rsh:{m}_listed a sh:NodeShape ;\n"
               f"    rdfs:label {_lit(f'{art_label}所列情形')}@zh , {_lit(f'{m}: listed situations')}@en ;\n"
               + _target(m)
               + f"    sh:property rsh:{m}_situation .\n\n"
               f"rsh:{m}_situation a sh:PropertyShape ;\n"
               f"    sh:path rc:inSituation ;\n"
               f"    sh:qualifiedValueShape [ sh:in ( {listed} ) ] ;\n"
               f"    sh:qualifiedMinCount 1 ;\n"
               f"    dcterms:source <{art_iri}> ;\n"
               f"    sh:message {_lit(f'案件所处情形不属于{art_label}所列的容错情形{extra}')}@zh ,\n"
               f"        {_lit(f'none of the case situations is one that {m} Art {art_ref} lists')}@en .\n")
    if conditions:
        out.append(f"rsh:{m}_conditions a sh:NodeShape ;\n"
                   f"    rdfs:label {_lit(f'《{title}》：容错须具备的条件')}@zh , {_lit(f'{m}: conditions of tolerance')}@en ;\n"
                   + _target(m)
                   + f"    sh:property {' , '.join(f'rsh:{m}_condition_{c}' for c in conditions)} .\n")
    if barred:
        out.append(f"rsh:{m}_exclusions a sh:NodeShape ;\n"
                   f"    rdfs:label {_lit(f'《{title}》：不予容错的情形')}@zh , {_lit(f'{m}: exclusions')}@en ;\n"
                   + _target(m)
                   + f"    sh:property {' , '.join(f'rsh:{m}_exclusion_{c}' for c in sorted(barred))} .\n")
        for concept, r in sorted(barred.items()):
            message = (f"不予容错：{r['conceptLabel']}（{r['clauseLabel']}）：须查明不属此情形",
                       f"exclusion: {concept} ({m} {r['ref']}): it must be established that it does not apply")
            out.append(_requirement(f"rsh:{m}_exclusion_{concept}", concept, r, m, message))
    for x in sorted(elements):
        own = elements[x]
        item_label = next(iter(own.values()))["clauseLabel"]
        out.append(f"rsh:{m}_elements_{x} a sh:NodeShape ;\n"
                   f"    rdfs:label {_lit(f'{item_label}自身的要素')}@zh , {_lit(f'{m}: elements of {x}')}@en ;\n"
                   + _target(m, x)
                   + f"    sh:property {' , '.join(f'rsh:{m}_element_{x}_{c}' for c in sorted(own))} .\n")
        out += [_requirement(f"rsh:{m}_element_{x}_{concept}", concept, r, m) for concept, r in sorted(own.items())]
    out += [_requirement(f"rsh:{m}_condition_{concept}", concept, by_fact[concept][0], m) for concept in conditions]
    return "\n".join(out)


def _requirement(name: str, concept: str, r: dict, measure_id: str,
                 message: tuple[str, str] | None = None) -> str:
    """A requirement as a property shape: the condition's fact established true, citing its clause."""
    fact = r["fact"].rsplit("/", 1)[-1]
    label, clause_label, ref = r["conceptLabel"], r["clauseLabel"], r["ref"]
    zh, en = message or (f"要件未成立或未查明：{label}（{clause_label}）", f"not established: {concept} ({measure_id} {ref})")
    comment = " ".join(r["text"].split())  # a clause of several lines stays one comment line
    return (f"# {clause_label}: {comment}\n"
            f"{name} a sh:PropertyShape ;\n"
            f"    sh:path rcf:{fact} ;\n"
            f"    sh:hasValue true ;\n"
            f"    rc:requiresFact rcf:{fact} ;\n"
            f"    dcterms:source <{r['clause']}> ;\n"
            f"    sh:message {_lit(zh)}@zh ,\n"
            f"        {_lit(en)}@en .\n")


def _num(ref: str) -> tuple:
    parts = []
    for p in ref.replace("之", ".").split("."):
        p = p.lstrip("p")
        parts.append(int(p) if p.isdigit() else 0)
    return tuple(parts)


