"""Look up a clause by measure and REF: its IRI, parents, text and concepts."""

from __future__ import annotations

from rdflib import Graph, URIRef

from .errors import BadInput
from .namespaces import ELI, measure_iri, unit_iri
from .refs import Ref, parse_ref
from .sparqlfiles import load_query


def clause_json(ref: Ref, measure_id: str, iri: str, text: str) -> dict:
    """The contract's CLAUSE object: {"measure", "article", "paragraph", "item", "subitem", "iri", "text"}."""
    return {"measure": measure_id, "article": ref.article, "paragraph": ref.paragraph,
            "item": ref.item, "subitem": ref.subitem, "iri": iri, "text": text}


def show_clause(graph: Graph, measure_id: str, ref_text: str, lang: str = "zh") -> dict:
    if (measure_iri(measure_id), None, None) not in graph:
        known = sorted(str(o) for o in graph.objects(None, ELI.id_local))
        raise BadInput(f"unknown measure '{measure_id}'; known: {', '.join(known)}")
    ref = parse_ref(ref_text)
    iri = unit_iri(measure_id, ref.eid)
    rows = list(graph.query(load_query("clause_detail").text, initBindings={"clause": iri}))
    if not rows:
        raise BadInput(f"{measure_id} has no clause {ref} (IRI {iri})")
    row = rows[0]
    out = clause_json(ref, measure_id, str(iri), str(row.text))
    out["label"] = str(row.labelZh if lang == "zh" else row.labelEn)
    out["measure_title"] = str(row.measureTitle)
    out["parents"] = _parents(graph, iri, lang)
    concepts: dict[str, dict] = {}
    for c in graph.query(load_query("clause_concepts").text, initBindings={"clause": iri}):
        entry = concepts.setdefault(str(c.id), {
            "id": str(c.id), "label": str(c.labelZh if lang == "zh" else c.labelEn),
            "iri": str(c.concept), "links": []})
        entry["links"].append({"property": _local(str(c.property)), "clause": str(c.via)})
    out["concepts"] = sorted(concepts.values(), key=lambda c: c["id"])
    return out


def _parents(graph: Graph, iri: URIRef, lang: str) -> list[dict]:
    chain = []
    node = graph.value(iri, ELI.is_part_of)
    while node is not None:
        label = next((str(o) for o in graph.objects(node, URIRef("http://www.w3.org/2000/01/rdf-schema#label"))
                      if getattr(o, "language", None) == lang), str(node))
        chain.append({"iri": str(node), "label": label})
        node = graph.value(node, ELI.is_part_of)
    return list(reversed(chain))


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1]
