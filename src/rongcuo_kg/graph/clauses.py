"""Look up a clause by measure and REF: its IRI, parents, text and concepts."""

from __future__ import annotations

from rdflib import Literal

from rongcuo_kg.errors import BadInput
from rongcuo_kg.graph.namespaces import unit_iri
from rongcuo_kg.graph.querylib import run_named
from rongcuo_kg.text.refs import Ref, parse_ref
from rongcuo_kg.graph.store import Store
from rongcuo_kg.graph.sparqlfiles import load_query

_MEASURE_EXISTS = "PREFIX eli: <http://data.europa.eu/eli/ontology#> ASK WHERE { ?m eli:id_local ?id }"
_NUMBERING = ("PREFIX eli: <http://data.europa.eu/eli/ontology#> PREFIX rc: <https://w3id.org/rongcuo-kg/ontology#> "
              "SELECT ?style WHERE { ?m eli:id_local ?id ; rc:numberingStyle ?style }")


def clause_json(ref: Ref, measure_id: str, iri: str, text: str) -> dict:
    """The contract's CLAUSE object: {"measure", "article", "paragraph", "item", "subitem", "iri", "text"}."""
    return {"measure": measure_id, "article": ref.part or ref.article, "paragraph": ref.paragraph,
            "item": ref.item, "subitem": ref.subitem, "iri": iri, "text": text}


def known_measures(store: Store) -> list[str]:
    res = run_named(store, "measures")
    return [r[0] for r in res.rows]


def show_clause(store: Store, measure_id: str, ref_text: str, lang: str = "zh") -> dict:
    ref = parse_ref(ref_text)
    if not store.ask(_MEASURE_EXISTS, {"id": measure_id}):
        raise BadInput(f"unknown measure '{measure_id}'; known: {', '.join(known_measures(store))}")
    style = store.select(_NUMBERING, {"id": measure_id}).rows
    listed = bool(style) and style[0][0] == "list"  # a 清单: 3.1 is its third entry's first
    iri = unit_iri(measure_id, ref.list_eid if listed else ref.eid)
    detail = store.select(load_query("clause_detail").text, {"clause": iri}).as_dicts()
    if not detail:
        raise BadInput(f"{measure_id} has no clause {ref} (IRI {iri})")
    row = detail[0]
    out = clause_json(ref, measure_id, str(iri), row["text"])
    out["label"] = row["labelZh"] if lang == "zh" else row["labelEn"]
    out["measure_title"] = row["measureTitle"]
    parents = run_named(store, "clause_parents", {"clause": str(iri)}, lang=lang).as_dicts()
    out["parents"] = [{"iri": p["parent"], "label": p["label"] or p["parent"]} for p in parents]
    concepts: dict[str, dict] = {}
    said = property_labels(store, lang)
    for c in store.select(load_query("clause_concepts").text, {"clause": iri}).as_dicts():
        entry = concepts.setdefault(c["id"], {
            "id": c["id"], "label": c["labelZh"] if lang == "zh" else c["labelEn"],
            "iri": c["concept"], "links": []})
        entry["links"].append({"property": c["property"].rsplit("#", 1)[-1], "clause": c["via"],
                               "property_label": said.get(c["property"], c["property"].rsplit("#", 1)[-1])})
    out["concepts"] = sorted(concepts.values(), key=lambda c: c["id"])
    out["defects"] = defects_of(store, measure_id, lang).get(str(iri), [])
    return out


_PROPERTY_LABELS = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX rc: <https://w3id.org/rongcuo-kg/ontology#>
SELECT ?property ?label WHERE { ?property rdfs:subPropertyOf+ rc:concerns ; rdfs:label ?label FILTER(lang(?label) = ?lang) }"""


def property_labels(store: Store, lang: str = "zh") -> dict[str, str]:
    """How a clause concerns a concept, said in words (规定情形 for rc:statesSituation), by IRI."""
    return {r["property"]: r["label"] for r in store.select(_PROPERTY_LABELS, {"lang": Literal(lang)}).as_dicts()}


def defects_of(store: Store, measure_id: str, lang: str = "zh") -> dict[str, list[dict]]:
    """The known defects of a measure's published text (metadata `defects`: items printed "()"
    without numerals …), by the IRI of each clause they touch: {kind, excerpt, note}. Shown where
    the clause is shown, so nobody takes a position-inferred item number for the printed one."""
    rows = store.select(load_query("internal/defects").text,
                        {"measureId": Literal(measure_id), "lang": Literal(lang)}, limit=None).as_dicts()
    out: dict[str, list[dict]] = {}
    for r in rows:
        out.setdefault(r["clause"], []).append({"kind": r["kind"], "excerpt": r["excerpt"], "note": r["note"]})
    return out




def measure_titles(store: Store) -> dict[str, str]:
    """Each measure's title by its id: what readers see in place of the id."""
    return {r["measureId"]: r["title"] for r in run_named(store, "measures", limit=None).as_dicts()}
