"""Write a parsed measure as RDF: ELI for structure, rc: for what ELI does not say."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from rongcuo_kg.text.model import Measure, Unit
from rongcuo_kg.graph.namespaces import AGENT, ELI, RC, RCT, bind_prefixes, measure_iri, unit_iri
from rongcuo_kg.text.numerals import to_chinese

ZH = "zh"


def measure_to_graph(measure: Measure, meta=None, graph: Graph | None = None) -> Graph:
    """Add one measure (and its metadata, if given) to `graph`."""
    g = graph if graph is not None else Graph()  # or anything with add(triple): storebuild.QuadSink
    if isinstance(g, Graph):
        bind_prefixes(g)
    m = measure_iri(measure.id)
    title = meta.title if meta is not None else measure.title
    g.add((m, RDF.type, ELI.LegalResource))
    g.add((m, ELI.id_local, Literal(measure.id)))
    if title:
        g.add((m, ELI.title, Literal(title, lang=ZH)))
        g.add((m, DCTERMS.title, Literal(title, lang=ZH)))
        g.add((m, RDFS.label, Literal(title, lang=ZH)))
    g.add((m, ELI.language, Literal("zh")))
    g.add((m, RC.numberingStyle, Literal(measure.numbering_style)))
    if meta is not None:
        _add_metadata(g, m, meta)
    for child in measure.children:
        g.add((m, ELI.has_part, unit_iri(measure.id, child.eid)))
    order = 0
    for parent, unit in _walk_with_parent(measure):
        order += 1
        _add_unit(g, measure, title, parent, unit, order)
    return g


def _walk_with_parent(measure: Measure):
    def rec(parent, unit):
        yield parent, unit
        for c in unit.children:
            yield from rec(unit, c)

    for top in measure.children:
        yield from rec(None, top)


def _add_unit(g: Graph, measure: Measure, title: str, parent: Unit | None, unit: Unit,
              order: int) -> None:
    s = unit_iri(measure.id, unit.eid)
    g.add((s, RDF.type, ELI.LegalResourceSubdivision))
    g.add((s, ELI.type_subdivision, RCT[unit.kind]))
    g.add((s, ELI.number, Literal(unit.number)))
    g.add((s, RC.measure, measure_iri(measure.id)))
    g.add((s, ELI.is_part_of, unit_iri(measure.id, parent.eid) if parent else measure_iri(measure.id)))
    for c in unit.children:
        g.add((s, ELI.has_part, unit_iri(measure.id, c.eid)))
    g.add((s, RC.text, Literal(unit.text, lang=ZH)))
    g.add((s, RC.order, Literal(order, datatype=XSD.integer)))
    g.add((s, RC.sourceLine, Literal(unit.line, datatype=XSD.integer)))
    if unit.printed:
        g.add((s, RC.printedNumber, Literal(unit.printed)))
    if unit.ref:
        g.add((s, RC.ref, Literal(unit.ref)))
    if unit.title:
        g.add((s, ELI.title, Literal(unit.title, lang=ZH)))
    if unit.numeral_missing:
        g.add((s, RC.numeralMissing, Literal(True)))
    zh, en = citation_labels(measure.id, title, unit)
    g.add((s, RDFS.label, Literal(zh, lang=ZH)))
    g.add((s, RDFS.label, Literal(en, lang="en")))


def citation_labels(measure_id: str, title: str, unit: Unit) -> tuple[str, str]:
    """How a lawyer cites the unit: 《…》第六条第一款第五项 / 《…》 Art. 6 para. 1 item 5 (the measure
    by its title in both languages: it has no other name a reader knows)."""
    if unit.kind in ("part", "chapter", "section"):
        zh_kind = {"part": "编", "chapter": "章", "section": "节"}[unit.kind]
        heading = unit.title or ""
        return (f"《{title}》第{to_chinese(int(unit.number))}{zh_kind} {heading}".strip(),
                f"《{title}》 {unit.kind.capitalize()} {unit.number}" if title else f"{unit.kind.capitalize()} {unit.number}")
    return eid_citation(measure_id, title, unit.eid)


def iri_citation(iri: str, lang: str = "zh") -> str:
    """A clause cited by its IRI as readers cite it, without the measure's title (第六条第一款第五项 /
    Art. 6 para. 1 item 5): for lists that say the measure once, above."""
    zh, en = eid_citation("", "", iri.rsplit("/", 1)[-1])
    return zh if lang != "en" else en.strip()


def eid_citation(measure_id: str, title: str, eid: str) -> tuple[str, str]:
    """The citation of a clause (article, 款, 项, 目) from its eId: art_6__para_1__item_5 →
    《title》第六条第一款第五项 / 《title》 Art. 6 para. 1 item 5 (no title: the part after 《》).
    `measure_id` is not shown: a reader knows a measure by its title."""
    zh = en = f"《{title}》" if title else ""
    for part in eid.split("__"):
        kind, _, num = part.partition("_")
        if kind == "art":
            base, _, sub = num.partition("-")
            zh += f"第{to_chinese(int(base))}条" + (f"之{to_chinese(int(sub))}" if sub else "")
            en += f" Art. {base}" + (f"-{sub}" if sub else "")
        elif kind == "para":
            zh += f"第{to_chinese(int(num))}款"
            en += f" para. {num}"
        elif kind == "item":
            zh += f"第{to_chinese(int(num))}项"
            en += f" item {num}"
        elif kind == "subitem":
            zh += f"第{to_chinese(int(num))}目"
            en += f" sub-item {num}"
        elif kind == "intro":
            zh += "导语"
            en += " introduction"
        elif kind == "wrapup":
            zh += "结语"
            en += " closing text"
    return zh, en.strip()


def _add_metadata(g: Graph, m: URIRef, meta) -> None:
    if meta.title_en:
        g.add((m, RDFS.label, Literal(meta.title_en, lang="en")))
        g.add((m, DCTERMS.alternative, Literal(meta.title_en, lang="en")))
    if meta.issuer:
        agent = AGENT[f"{meta.id}_issuer"]
        g.add((m, ELI.passed_by, agent))
        g.add((agent, RDF.type, RC.Issuer))
        g.add((agent, RDFS.label, Literal(meta.issuer, lang=ZH)))
        if meta.issuer_en:
            g.add((agent, RDFS.label, Literal(meta.issuer_en, lang="en")))
        if meta.issuer_note:
            g.add((agent, SKOS.note, Literal(meta.issuer_note, lang=ZH)))
    g.add((m, RC.region, Literal(meta.region, lang=ZH)))
    g.add((m, RC.administrativeLevel, Literal(meta.administrative_level, lang=ZH)))
    if meta.status:
        g.add((m, RC.status, Literal(meta.status, lang=ZH)))
    if meta.date:
        g.add((m, ELI.date_document, Literal(meta.date, datatype=XSD.date)))
    src = meta.source or {}
    if src.get("file"):
        lines = src.get("lines")
        where = f" lines {lines[0]}-{lines[1]}" if lines else ""
        g.add((m, DCTERMS.source, Literal(f"{src['file']}{where}")))
    for note_key in ("issuer_note", "administrative_level_note"):
        note = meta.extra.get(note_key) if note_key != "issuer_note" else None
        if note:
            g.add((m, SKOS.note, Literal(note, lang=ZH)))
    for index, defect in enumerate(meta.defects, 1):
        d = URIRef(f"{m}/defect_{index}")
        g.add((m, RC.hasDefect, d))
        g.add((d, RDF.type, RC.TextDefect))
        g.add((d, RC.defectKind, Literal(defect.get("kind", "unknown"))))
        if defect.get("excerpt"):
            g.add((d, RC.excerpt, Literal(defect["excerpt"], lang=ZH)))
        if defect.get("description"):
            g.add((d, RDFS.comment, Literal(defect["description"], lang=ZH)))
        if defect.get("description_en"):
            g.add((d, RDFS.comment, Literal(defect["description_en"], lang="en")))
        for ref in defect.get("refs", []):
            g.add((d, RC.defectLocation, ref_to_iri(meta.id, ref)))


def ref_to_iri(measure_id: str, ref: str) -> URIRef:
    from rongcuo_kg.text.refs import parse_ref

    return unit_iri(measure_id, parse_ref(ref).eid)

