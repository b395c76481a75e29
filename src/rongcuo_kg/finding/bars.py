"""What bars tolerance, said plainly: when an officer's question tells as a fact that a condition
of tolerance is not met or that an exclusion is present ("收了红包", "隐瞒不报"), the clauses of each
measure that require that condition or bar tolerance for it — quoted, with the lead of their list.

The wordings are the ontology's rc:breachLabel (ontology/labels-breach.ttl, for legal review). A
wording preceded by a negation ("没有隐瞒不报", "不是收了红包") tells the opposite and says nothing.
The statement is conditional ("若属实"): whether the facts hold, and what follows, is for the body
that decides; this module never decides a case.
"""

from __future__ import annotations

import re
from functools import lru_cache

# a negation right before the wording (at most two characters between): it tells the opposite
_NEGATED = re.compile(r"(?:没有|没|未|不|无|不曾|从未|从没|并非|并未|绝无|非)[^，。；！？,.;!?、\s]{0,2}$")
_LEAD_END = re.compile(r"[：:]")


@lru_cache(maxsize=1)
def breach_labels() -> list[tuple[str, str]]:
    """(wording, concept id), the longest wordings first."""
    from rdflib import URIRef

    from rongcuo_kg.graph.build import ontology_graph
    from rongcuo_kg.graph.namespaces import RC, RCC

    g = ontology_graph()
    out = [(str(o), str(s)[len(str(RCC)):]) for s, o in g.subject_objects(URIRef(str(RC) + "breachLabel"))
           if str(s).startswith(str(RCC))]
    return sorted(out, key=lambda x: (-len(x[0]), x[0]))


def told_breaches(question: str) -> list[tuple[str, str, int]]:
    """(wording, concept id, position) for each breach the question tells, not negated; where two
    wordings overlap, the longer."""
    taken: list[tuple[int, int]] = []
    out = []
    for words, cid in breach_labels():
        for m in re.finditer(re.escape(words), question):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            if not _NEGATED.search(question[:m.start()]):
                out.append((words, cid, m.start()))
    return sorted(out, key=lambda x: x[2])


def _lead(index, i: int) -> str:
    """The lead of the list an item stands in ("容错必须同时具备以下条件："), from its parent."""
    u = index.units[i]
    if u.parent is None or u.kind not in ("item", "subitem"):
        return ""
    text = index.units[u.parent].text
    m = _LEAD_END.search(text)
    return text[:m.end()].strip() if m and m.end() <= 200 else ""


def bars(index, question: str, measures: list[str], lang: str = "zh") -> list[dict]:
    """For each breach the question tells: the concept by its label, the kind (condition or
    exclusion) and, measure by measure, the clauses that require the condition or state the
    exclusion (an exclusion that is the condition's failure, rc:failsCondition, too)."""
    from rongcuo_kg.graph.rdfgen import iri_citation

    out = []
    seen: set[str] = set()
    for words, cid, _ in told_breaches(question):
        c = index.concepts.get(cid)
        if c is None or cid in seen:
            continue
        seen.add(cid)
        if c.scheme == "conditions":
            wanted = {("requiresCondition", cid)} | {("statesExclusion", e.id) for e in index.concepts.values()
                                                     if cid in e.fails}
            kind = "condition"
        elif c.scheme == "exclusions":
            wanted, kind = {("statesExclusion", cid)}, "exclusion"
        else:
            continue
        clauses = []
        for m in measures:
            for i in index.by_measure.get(m, []):
                u = index.units[i]
                if wanted & set(u.links):
                    clauses.append({"measure": m, "ref": u.ref, "iri": u.iri, "text": u.text,
                                    "citation": iri_citation(u.iri, lang), "lead": _lead(index, i),
                                    "as": "exclusion" if any(p == "statesExclusion" for p, _ in wanted & set(u.links))
                                    else "condition"})
        if clauses:
            out.append({"said": words, "concept": cid, "kind": kind,
                        "label": c.label_zh if lang == "zh" else c.label_en, "clauses": clauses})
    return out


def statement(bar: dict, lang: str = "zh") -> str:
    """The plain statement above the clauses it rests on."""
    if lang == "en":
        what = (f"the condition “{bar['label']}” that the clauses below require is not met" if bar["kind"] == "condition"
                else f"it is the exclusion “{bar['label']}” for which the clauses below bar tolerance")
        return (f"If what you describe (“{bar['said']}”) is so, {what}. Whether it is so, and what follows, "
                "is for the deciding body to establish.")
    what = (f"不具备下列条款要求的容错条件“{bar['label']}”" if bar["kind"] == "condition"
            else f"属于下列条款规定的不予容错情形“{bar['label']}”")
    return f"您所述“{bar['said']}”若属实，{what}。是否属实、如何处理，由认定机关依程序认定。"


def clause_role(clause: dict, lang: str = "zh") -> str:
    """What the clause does with it: requires the condition, or bars tolerance."""
    if lang == "en":
        return "requires it" if clause["as"] == "condition" else "bars tolerance"
    return "容错条件" if clause["as"] == "condition" else "不予容错"
