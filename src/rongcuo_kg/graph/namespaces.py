"""IRIs of the project's vocabularies and resources, in one place."""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

BASE = "https://w3id.org/rongcuo-kg/"

RC = Namespace(BASE + "ontology#")  # the domain ontology
RCC = Namespace(BASE + "concept/")  # concepts (situations, conditions, …): one node across measures
RCS = Namespace(BASE + "scheme/")  # concept schemes
RCT = Namespace(BASE + "subdivision-type/")  # 编/章/节/条/款/项/目
LEX = Namespace(BASE + "eli/")  # measures and their subdivisions
AGENT = Namespace(BASE + "agent/")
GRAPH = Namespace(BASE + "graph/")  # named graphs: one per measure, one for the ontology
ELI = Namespace("http://data.europa.eu/eli/ontology#")

ONTOLOGY_GRAPH = GRAPH["ontology"]
META_GRAPH = GRAPH["meta"]  # what a store says about its own build: fingerprint, measures left out

PREFIXES = {
    "rc": RC, "rcc": RCC, "rcs": RCS, "rct": RCT, "lex": LEX, "agent": AGENT, "eli": ELI,
    "skos": SKOS, "dcterms": DCTERMS, "prov": PROV, "owl": OWL, "rdf": RDF, "rdfs": RDFS,
    "xsd": XSD,
}


def measure_iri(measure_id: str):
    return LEX[measure_id]


def unit_iri(measure_id: str, eid: str):
    return LEX[f"{measure_id}/{eid}"]


def measure_of(iri: str) -> str:
    """The id of the measure a measure or clause IRI belongs to ("" for any other IRI)."""
    return iri[len(str(LEX)):].split("/", 1)[0] if iri.startswith(str(LEX)) else ""


def measure_graph(measure_id: str):
    return GRAPH[measure_id]


def bind_prefixes(graph) -> None:
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True)
