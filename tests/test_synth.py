"""The synthetic corpus generator (rongcuo_kg/adding/synth.py): measures varied from the real ones,
laid out like data/, whose text parses back to the expected structure and whose annotations
follow their clauses."""

from __future__ import annotations

import difflib
import json
import random
from collections import defaultdict
from pathlib import Path

import pytest
from rdflib import URIRef
from rdflib.namespace import RDF, RDFS

from rongcuo_kg.graph.build import build
from rongcuo_kg.text.corpus import load_corpus
from rongcuo_kg.graph.namespaces import ELI, LEX, RC, measure_graph
from rongcuo_kg.adding.synth import MARKER, check_round_trip, generate, load_sources, make_measure

N = 12


@pytest.fixture(scope="module")
def sources(data_dir):
    return {s.id: s for s in load_sources(data_dir)}


@pytest.fixture(scope="module")
def synth_dir(data_dir, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("synth")
    generate(data_dir, out, N, seed=7)
    return out


@pytest.fixture(scope="module")
def built(synth_dir):
    return build(synth_dir)


def _file_bytes(folder: Path) -> dict[str, bytes]:
    """The corpus files of a folder (not the generator's marker, which records N)."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != MARKER}


def test_ids_and_layout(synth_dir, data_dir):
    """syn_00001 … syn_000NN beside the three sources, each with text, metadata and annotations."""
    ids = [f"syn_{k:05d}" for k in range(1, N + 1)]
    corpus = synth_dir / "corpus"
    assert sorted(p.stem for p in corpus.glob("*.json")) == sorted(ids + ["audit", "enforcement", "guian"])
    for mid in ids:
        meta = json.loads((corpus / f"{mid}.json").read_text(encoding="utf-8"))
        assert meta["id"] == mid and meta["synthetic"] is True
        assert meta["source"]["synthetic_from"] in {"audit", "enforcement", "guian"}
        assert (corpus / f"{mid}.txt").is_file() and (synth_dir / "annotations" / f"{mid}.ttl").is_file()
    # the sources are copied unchanged
    for name in ("corpus/guian.txt", "corpus/guian.json", "annotations/guian.ttl"):
        assert (synth_dir / name).read_bytes() == (data_dir / name).read_bytes()


def test_never_overwrites_another_corpus(data_dir, tmp_path):
    """A folder holding a corpus it did not write is refused, the sources' folder above all."""
    import shutil

    from rongcuo_kg.errors import BadInput

    other = tmp_path / "other"
    shutil.copytree(data_dir, other)
    with pytest.raises(BadInput):
        generate(data_dir, other, 2)
    with pytest.raises(BadInput):
        generate(data_dir, data_dir, 2)
    assert sorted(p.name for p in (other / "corpus").iterdir()) == \
        sorted(p.name for p in (data_dir / "corpus").iterdir())


def test_deterministic_for_a_seed(data_dir, synth_dir, tmp_path):
    """The same seed gives the same files; a smaller N gives the first measures of a larger one."""
    again, small, other = tmp_path / "again", tmp_path / "small", tmp_path / "other"
    generate(data_dir, again, N, seed=7)
    generate(data_dir, small, 4, seed=7)
    generate(data_dir, other, N, seed=8)
    assert _file_bytes(again) == _file_bytes(synth_dir)
    full = _file_bytes(synth_dir)
    assert all(full[name] == data for name, data in _file_bytes(small).items())
    assert _file_bytes(other) != full


def test_regions_and_bodies_vary(synth_dir, data_dir):
    """Titles, regions and issuers differ between measures, in the text as in the metadata."""
    metas = [json.loads(p.read_text(encoding="utf-8"))
             for p in sorted((synth_dir / "corpus").glob("syn_*.json"))]
    assert len({m["title"] for m in metas}) == N
    assert len({m["region"] for m in metas}) > N // 2
    for m in metas:
        text = (synth_dir / "corpus" / f"{m['id']}.txt").read_text(encoding="utf-8")
        assert text.splitlines()[0] == m["title"]
        assert "贵安新区" not in text and "审计局党组" not in text
        assert m["region"] != "未载明" and m["issuer"]


def test_generated_text_parses_to_the_expected_structure(sources):
    """For many seeds and every source, the rendered text parses back to the same units, eIds
    and texts; items are dropped and reordered, and every item is printed with its numeral."""
    dropped = reordered = 0
    for k in range(60):
        rng = random.Random(k)
        source = list(sources.values())[k % len(sources)]
        syn = make_measure(source, f"syn_{k:05d}", rng)
        check_round_trip(syn)
        assert "()" not in syn.text
        old_items = [u.eid for u in source.entry.measure.units() if u.kind in ("item", "subitem")]
        kept = [e for e in old_items if e in syn.eid_of]
        dropped += len(kept) < len(old_items)
        position = {u.eid: i for i, u in enumerate(syn.measure.units())}
        places = [position[syn.eid_of[e]] for e in kept]
        reordered += places != sorted(places)
    assert dropped > 10 and reordered > 5


def test_corpus_loads_and_parses_like_any_corpus(synth_dir):
    """load_corpus reads the folder without warnings; the guian defect of missing numerals is
    not carried over (items are numbered), enforcement's missing number of days is."""
    entries = {e.meta.id: e for e in load_corpus(synth_dir)}
    assert len(entries) == N + 3
    for mid, e in entries.items():
        if not mid.startswith("syn_"):
            continue
        assert e.warnings == []
        assert not any(u.numeral_missing for u in e.measure.units())
        kinds = {d["kind"] for d in e.meta.defects}
        source = e.meta.source["synthetic_from"]
        assert "missing_item_numeral" not in kinds
        if source == "enforcement":
            assert kinds == {"missing_number"}
            assert "应当于日内告知" in e.measure.by_ref()["14"].text


def _concept_links(graph) -> dict[URIRef, set[tuple]]:
    concerns = {p for p in graph.subjects(RDFS.subPropertyOf, RC.concerns)}
    links = defaultdict(set)
    for s, p, o in graph:
        if p in concerns or str(p).startswith(str(RC)) and "concept/" in str(o):
            links[s].add((p, o))
    return links


def test_every_annotated_clause_exists(built):
    """Every subject of a synthetic annotation is a unit of the same measure's graph."""
    ds = built.dataset
    for e in built.entries:
        g = ds.graph(measure_graph(e.meta.id))
        units = set(g.subjects(RDF.type, ELI.LegalResourceSubdivision))
        links = _concept_links(g)
        assert links, e.meta.id
        missing = [s for s in links if s not in units]
        assert not missing, f"{e.meta.id}: annotated IRIs not in the corpus: {missing[:3]}"


def test_annotations_follow_their_clauses_and_keep_their_concepts(sources, data_dir, tmp_path):
    """A kept clause has exactly its source clause's concepts under its new eId, and its text is
    the source clause's (reworded); a dropped clause's annotations are gone."""
    ids = generate(data_dir, tmp_path / "c", 9, seed=3)
    built = build(tmp_path / "c")
    ds = built.dataset
    src_links = {sid: _concept_links(ds.graph(measure_graph(sid))) for sid in sources}
    entries = {e.meta.id: e for e in built.entries}
    for k, mid in enumerate(ids, 1):
        rng = random.Random(f"rongcuo-synth:3:{k}")
        source = sources[list(sources)[rng.randrange(len(sources))]]
        syn = make_measure(source, mid, rng, 3)
        assert syn.meta == json.loads((tmp_path / "c" / "corpus" / f"{mid}.json").read_text("utf-8"))
        links = _concept_links(ds.graph(measure_graph(mid)))
        old = src_links[source.id]
        old_units = {u.eid: u for u in source.entry.measure.units()}
        new_units = {u.eid: u for u in entries[mid].measure.units()}
        expected = {}
        for iri, pairs in old.items():
            eid = str(iri).removeprefix(str(LEX[source.id]) + "/")
            if eid in old_units and eid in syn.eid_of:
                expected[URIRef(f"{LEX[mid]}/{syn.eid_of[eid]}")] = pairs
                a = old_units[eid].text.split("\n")[0][len(old_units[eid].printed):]
                new = new_units[syn.eid_of[eid]]
                b = new.text.split("\n")[0][len(new.printed):]
                assert difflib.SequenceMatcher(None, a, b).ratio() > 0.6, (eid, a, b)
        got = {s: pairs for s, pairs in links.items() if str(s).startswith(str(LEX[mid]) + "/")}
        assert got == expected
