"""Quality of suggested annotations, measured by holding out an annotated measure (issue 7).

A corpus folder is made with every measure except the held-out one (texts and curated
annotations); the held-out measure's raw text is then ingested into it as if new
(`ingest.ingest`, what `rongcuo-kg ingest` runs) and its suggestions are scored against its
curated annotations: a suggestion is right when the same clause, property and concept are
curated. The graph the suggestions come from never holds the held-out measure (checked, not
assumed: `HoldOut.leaks` lists any suggestion whose evidence is a clause of the held-out measure).

Used by `bench/bench_suggest.py` and `tests/test_suggest.py`.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from rongcuo_kg.graph.namespaces import BASE
from rongcuo_kg.paths import DEFAULT_DATA_DIR

# the kinds (clause-to-concept properties) scored, in the order tables show them
KINDS = ["statesSituation", "requiresCondition", "mentionsCondition", "statesExclusion",
         "attachesConsequence", "prescribesStep", "involvesBody", "expressesPrinciple",
         "statesDutyFulfilled", "statesMitigation", "prescribesCorrection", "statesGeneralProvision"]


@dataclass
class Score:
    suggested: int
    curated: int
    right: int

    @property
    def precision(self) -> float | None:
        return self.right / self.suggested if self.suggested else None

    @property
    def recall(self) -> float | None:
        return self.right / self.curated if self.curated else None


@dataclass
class HoldOut:
    measure: str
    seconds: float  # ingest + suggest + write, the index of the other measures already built
    reference: list[str]  # the measures the suggestions were drawn from
    auto: dict[str, Score] = field(default_factory=dict)  # kind → score of the suggestions used at once
    offered: dict[str, Score] = field(default_factory=dict)  # kind → score of every suggestion offered
    leaks: list[str] = field(default_factory=list)
    missed: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # kind → curated (ref, concept) not used at once
    wrong: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # kind → used at once, not curated


def curated_links(data: Path, measure: str) -> set[tuple[str, str, str]]:
    """(clause IRI, property, concept) of a measure's curated annotations, as the graph holds them."""
    from rongcuo_kg.graph.connect import open_store
    from rongcuo_kg.finding.finder import get_index

    index = get_index(open_store(data))
    return {(index.units[i].iri, prop, cid) for i in index.by_measure[measure]
            for prop, cid in index.units[i].links}


def without(measure: str, work: Path, data: Path = DEFAULT_DATA_DIR) -> tuple[Path, Path]:
    """A copy of the corpus folder without `measure` (its text moved out, its metadata and
    curated annotations removed): (the folder, the raw text file)."""
    folder = work / f"without-{measure}"
    shutil.copytree(data, folder)
    source = work / f"{measure}.txt"
    shutil.move(folder / "corpus" / f"{measure}.txt", source)
    (folder / "corpus" / f"{measure}.json").unlink()
    (folder / "annotations" / f"{measure}.ttl").unlink()
    for extra in (folder / "annotations" / "suggested" / f"{measure}.ttl",):
        extra.unlink(missing_ok=True)
    return folder, source


def hold_out(measure: str, work: Path, data: Path = DEFAULT_DATA_DIR) -> HoldOut:
    from rongcuo_kg.graph.connect import open_store
    from rongcuo_kg.finding.finder import get_index
    from rongcuo_kg.adding.ingest import ingest

    truth = curated_links(data, measure)
    folder, source = without(measure, Path(work), data)
    index = get_index(open_store(folder))  # the graph without the held-out measure
    reference = sorted(index.by_measure)
    started = time.perf_counter()
    result = ingest(source, folder, measure, index=index)  # title, 文号, issuer read from the text
    seconds = time.perf_counter() - started
    own = f"{BASE}eli/{measure}/"
    out = HoldOut(measure, seconds, reference)
    out.leaks = sorted({s.neighbour for s in result.suggestions if s.neighbour and s.neighbour.startswith(own)})
    if measure in index.by_measure:
        out.leaks.append(f"the index holds {measure}")
    auto = {(s.clause.iri, s.property, s.concept) for s in result.suggestions if s.auto}
    offered = {(s.clause.iri, s.property, s.concept) for s in result.suggestions}
    short = lambda x: (x[0].removeprefix(own), x[2])
    for kind in KINDS:
        tr = {x for x in truth if x[1] == kind}
        a = {x for x in auto if x[1] == kind}
        o = {x for x in offered if x[1] == kind}
        if not tr and not o:
            continue
        out.auto[kind] = Score(len(a), len(tr), len(a & tr))
        out.offered[kind] = Score(len(o), len(tr), len(o & tr))
        out.missed[kind] = sorted(map(short, tr - a))
        out.wrong[kind] = sorted(map(short, a - tr))
    return out
