"""OWL 2 DL reasoning with HermiT (owlready2) over the ontology and the annotated corpus.

Open-world reasoning checks the model, not case records: it finds contradictions such as
a concept used both as a situation and as a condition (the classes are disjoint), and
classes that can have no members. Closed-world checks of cases are SHACL's job.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from io import BytesIO

from rdflib import OWL, RDF, RDFS, Graph

from rongcuo_kg.errors import RongcuoError


class ReasonerUnavailable(RongcuoError):
    exit_code = 3


@dataclass
class ReasonerReport:
    consistent: bool
    unsatisfiable: list[str] = field(default_factory=list)
    explanation: str = ""
    individuals: int = 0
    classes: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.consistent and not self.unsatisfiable


def find_java() -> str | None:
    return shutil.which("java")


def check_graph(graph: Graph) -> ReasonerReport:
    """Run HermiT over `graph`; report consistency and unsatisfiable classes."""
    import time

    java = find_java()
    if java is None:
        raise ReasonerUnavailable("Java is not installed: the HermiT reasoner needs it "
                                  "(run `make setup`, which installs default-jre-headless)")
    import owlready2

    owlready2.JAVA_EXE = java
    start = time.perf_counter()
    nt = graph.serialize(format="nt", encoding="utf-8")
    tmp = tempfile.mkdtemp(prefix="rongcuo-owl-")
    try:
        world = owlready2.World(filename=os.path.join(tmp, "quadstore.sqlite3"))
        onto = world.get_ontology("https://w3id.org/rongcuo-kg/reasoning-input")
        onto.load(fileobj=BytesIO(nt), format="ntriples")
        report = ReasonerReport(consistent=True, individuals=_count_individuals(graph),
                                classes=len(set(graph.subjects(RDF.type, OWL.Class))))
        try:
            with onto:
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError as exc:
            report.consistent = False
            report.explanation = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        except owlready2.OwlReadyJavaError as exc:
            reason = next((ln.strip() for ln in str(exc).splitlines()
                           if "Exception" in ln or "Error:" in ln), str(exc).strip()[:300])
            raise ReasonerUnavailable(f"HermiT failed: {reason}") from None
        else:
            nothing = owlready2.Nothing
            report.unsatisfiable = sorted(
                c.iri for c in world.classes()
                if c is not nothing and nothing in c.equivalent_to)
        report.seconds = time.perf_counter() - start
        world.close()
        return report
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _count_individuals(graph: Graph) -> int:
    schema = (str(OWL), str(RDFS), str(RDF))
    return len({s for s, o in graph.subject_objects(RDF.type)
                if not str(o).startswith(schema)})
