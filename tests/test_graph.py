"""The built graph: corpus kept verbatim, clause IRIs that read like citations, the ontology's
labels and definitions, annotations that point at real clauses, and HermiT's verdict."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from rdflib import RDF, Literal, URIRef
from rdflib.namespace import OWL, RDFS, SKOS

from rongcuo_kg.graph.build import build
from rongcuo_kg.text.corpus import load_corpus
from rongcuo_kg.graph.namespaces import ELI, RC, RCC, unit_iri
from rongcuo_kg.paths import DEFAULT_DATA_DIR
from rongcuo_kg.graph.reasoner import check_graph

from places import SEED
CLI = [sys.executable, "-m", "rongcuo_kg.cli"]

REQUIRED_SITUATIONS = ["implementing_decisions", "exploratory_trial", "bold_performance",
                       "policy_change", "service_efficiency", "emergency", "legacy_conflict",
                       "self_correction", "mixed_ownership", "counterparty_concealment",
                       "counterparty_intent", "other"]
REQUIRED_CONDITIONS = ["not_prohibited", "democratic_decision", "no_improper_benefit",
                       "no_collusion", "proactive_correction", "no_serious_consequence",
                       "within_statutory_duty"]


@pytest.fixture(scope="module")
def built():
    return build(DEFAULT_DATA_DIR)


@pytest.fixture(scope="module")
def graph(built):
    return built.union()


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=120)


def test_corpus_files_are_verbatim_slices_of_the_published_compilation():
    """Each data/corpus/<id>.txt is exactly the lines its metadata names in the seed."""
    seed_lines = SEED.read_text(encoding="utf-8").split("\n")
    for entry in load_corpus(DEFAULT_DATA_DIR):
        first, last = entry.meta.source["lines"]
        expected = "\n".join(seed_lines[first - 1:last]) + "\n"
        assert entry.text_path.read_text(encoding="utf-8") == expected, entry.meta.id


def test_measure_ids_and_titles_are_the_fixed_ones():
    """audit, guian and enforcement, with their published titles."""
    titles = {e.meta.id: e.meta.title for e in load_corpus(DEFAULT_DATA_DIR)}
    assert titles == {"audit": "容错纠错机制实施办法", "guian": "贵安新区容错纠错实施办法(试行)",
                      "enforcement": "行政执法容错纠错实施办法"}


def test_guian_is_on_trial_and_defects_are_data(graph):
    """Gui'an's status is 试行; its "()" items and enforcement Art 14's missing days are recorded."""
    guian = URIRef("https://w3id.org/rongcuo-kg/eli/guian")
    assert str(graph.value(guian, RC.status)) == "试行"
    kinds = {str(graph.value(d, RC.defectKind)): d for d in graph.subjects(RDF.type, RC.TextDefect)}
    assert set(kinds) == {"missing_item_numeral", "missing_number"}
    days = kinds["missing_number"]
    assert set(graph.objects(days, RC.defectLocation)) == {unit_iri("enforcement", "art_14")}
    assert str(graph.value(days, RC.excerpt)) in str(graph.value(unit_iri("enforcement", "art_14"), RC.text))
    numerals = set(graph.objects(kinds["missing_item_numeral"], RC.defectLocation))
    flagged = set(graph.subjects(RC.numeralMissing, Literal(True)))
    assert numerals == flagged and len(flagged) == 32


def test_clause_iri_reads_like_its_citation(graph):
    """guian/art_6__para_1__item_5 is 《…》第六条第一款第五项, the emergency item, printed "()"."""
    item = unit_iri("guian", "art_6__para_1__item_5")
    labels = {l.language: str(l) for l in graph.objects(item, RDFS.label)}
    assert labels["zh"] == "《贵安新区容错纠错实施办法(试行)》第六条第一款第五项"
    assert labels["en"] == "《贵安新区容错纠错实施办法(试行)》 Art. 6 para. 1 item 5"  # a title, never an id
    assert str(graph.value(item, RC.ref)) == "6.5"
    assert str(graph.value(item, RC.printedNumber)) == "()"
    assert (item, RC.statesSituation, RCC.emergency) in graph
    assert graph.value(item, ELI.is_part_of) == unit_iri("guian", "art_6__para_1")


def test_every_annotated_clause_exists(built):
    """Annotations point only at clauses the parser produced."""
    graph = built.union()
    units = set(graph.subjects(RDF.type, ELI.LegalResourceSubdivision))
    concerns = set(graph.subjects(RDFS.subPropertyOf, RC.concerns))
    annotated = {s for s, p, _o in graph if p in concerns}
    assert annotated and annotated <= units, sorted(map(str, annotated - units))[:5]


def test_required_concepts_exist_with_their_class(graph):
    """The situation and condition ids the other tools rely on are defined, typed and labelled."""
    for cid in REQUIRED_SITUATIONS:
        assert (RCC[cid], RDF.type, RC.Situation) in graph, cid
    for cid in REQUIRED_CONDITIONS:
        assert (RCC[cid], RDF.type, RC.Condition) in graph, cid


def test_every_class_property_and_concept_has_zh_and_en_label_and_definition(graph):
    """A legal expert can read every term in both languages."""
    from rongcuo_kg.graph.namespaces import BASE

    terms = set()
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, SKOS.Concept, SKOS.ConceptScheme):
        terms |= {t for t in graph.subjects(RDF.type, kind) if str(t).startswith(BASE)}
    assert len(terms) > 150
    missing = []
    for t in terms:
        labels = {l.language for l in graph.objects(t, RDFS.label)} | {
            l.language for l in graph.objects(t, SKOS.prefLabel)}
        defs = {l.language for l in graph.objects(t, SKOS.definition)}
        if not {"zh", "en"} <= labels or not {"zh", "en"} <= defs:
            missing.append(str(t))
    assert not missing, missing[:10]


def test_one_concept_across_measures_is_one_node(graph):
    """The emergency situation is stated by audit 9.2, guian 6.5 and enforcement 11.5: one node."""
    clauses = {str(graph.value(c, RC.ref)) + "@" + str(graph.value(c, RC.measure)).rsplit("/", 1)[-1]
               for c in graph.subjects(RC.statesSituation, RCC.emergency)}
    assert {"9.2@audit", "6.5@guian", "11.5@enforcement"} <= clauses


def test_conditions_are_annotated_where_the_text_lists_them(graph):
    """Required conditions sit on the condition lists: audit Art 8, guian Art 7, enforcement 11 ¶2 and Art 13."""
    refs = {(str(graph.value(c, RC.measure)).rsplit("/", 1)[-1], str(graph.value(c, RC.ref)))
            for c in graph.subjects(RC.requiresCondition, None)}
    assert refs == ({("audit", f"8.{i}") for i in range(1, 7)}
                    | {("guian", f"7.{i}") for i in range(1, 7)}
                    | {("enforcement", f"11.p2.{i}") for i in range(1, 4)}
                    | {("enforcement", "13")})


def test_hermit_finds_ontology_and_annotations_consistent(graph):
    """OWL 2 DL reasoning: consistent, and no class is unsatisfiable."""
    report = check_graph(graph)
    assert report.consistent, report.explanation
    assert report.unsatisfiable == []
    assert report.individuals > 300


def test_hermit_catches_a_concept_used_as_two_kinds(graph):
    """A control: a clause that 'requires' the emergency situation makes it a condition too,
    and situations and conditions are disjoint, so the graph becomes inconsistent."""
    g = graph.__class__()
    for triple in graph:
        g.add(triple)
    g.add((unit_iri("guian", "art_7__para_1__item_1"), RC.requiresCondition, RCC.emergency))
    assert not check_graph(g).consistent


def test_show_json_contract():
    """`show MEASURE REF --json` gives the clause with its concepts."""
    out = cli("show", "enforcement", "11.p2.1", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert {k: data[k] for k in ("measure", "article", "paragraph", "item", "subitem")} == {
        "measure": "enforcement", "article": "11", "paragraph": 2, "item": 1, "subitem": None}
    assert data["iri"] == "https://w3id.org/rongcuo-kg/eli/enforcement/art_11__para_2__item_1"
    assert data["text"] == "(一)法律没有明令禁止的;"
    concepts = {c["id"]: c["label"] for c in data["concepts"]}
    assert concepts["not_prohibited"] == "法律法规和纪律没有明令禁止"


def test_show_subitem_and_bad_refs():
    """7.2.3 is audit's third test (三看方向); an unknown measure or clause exits 2 with one line."""
    out = cli("show", "audit", "7.2.3", "--json")
    assert json.loads(out.stdout)["text"].startswith("三看方向")
    for args in (["show", "nowhere", "6"], ["show", "guian", "99"], ["show", "guian", "6.x"]):
        bad = cli(*args)
        assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1, bad.stderr
        assert "Traceback" not in bad.stderr


def test_stats_json_contract_for_the_compilation():
    """`stats FILE --json` parses the compilation into the three measures, ids from the corpus titles."""
    out = cli("stats", str(SEED), "--json")
    data = json.loads(out.stdout)
    assert data["measures"]["guian"] == {"title": "贵安新区容错纠错实施办法(试行)", "chapters": 6,
                                         "sections": 0, "articles": 18, "paragraphs": 20,
                                         "items": 32, "subitems": 0}
    assert data["measures"]["audit"]["subitems"] == 7
    assert data["measures"]["enforcement"]["paragraphs"] == 20
    assert data["triples"] > 1000


def test_build_writes_each_format(tmp_path):
    """build writes Turtle, N-Triples, JSON-LD and TriG that parse back to the same size."""
    from rdflib import Dataset, Graph

    sizes = {}
    for fmt, parse_as in (("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld")):
        out = tmp_path / f"g.{fmt}"
        res = cli("build", "--out", str(out), "--format", fmt, "--json")
        assert res.returncode == 0, res.stderr
        sizes[fmt] = len(Graph().parse(out, format=parse_as))
    assert len(set(sizes.values())) == 1
    trig = tmp_path / "g.trig"
    assert cli("build", "--out", str(trig), "--format", "trig").returncode == 0
    ds = Dataset().parse(trig, format="trig")
    assert len([g for g in ds.graphs() if len(g)]) == 4  # ontology + three measures


def test_data_option_and_environment_choose_the_corpus(tmp_path):
    """--data DIR and RONGCUO_DATA point every command at another corpus folder."""
    import os
    import shutil

    data = tmp_path / "mine"
    (data / "corpus").mkdir(parents=True)
    for name in ("audit.txt", "audit.json"):
        shutil.copy(DEFAULT_DATA_DIR / "corpus" / name, data / "corpus" / name)
    out = cli("stats", "--json", "--data", str(data))
    assert list(json.loads(out.stdout)["measures"]) == ["audit"]
    env = {**os.environ, "RONGCUO_DATA": str(data)}
    res = subprocess.run([*CLI, "stats", "--json"], capture_output=True, text=True, env=env)
    assert list(json.loads(res.stdout)["measures"]) == ["audit"]


def test_broken_corpus_files_are_named(tmp_path):
    """A bad metadata file or annotation file: exit 2 naming the file (and line), nothing written."""
    import shutil

    data = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, data)
    (data / "annotations" / "guian.ttl").write_text("@prefix x: <urn:x#> .\nx:a x:b \"open .\n",
                                                    encoding="utf-8")
    out_file = tmp_path / "out.ttl"
    res = cli("build", "--data", str(data), "--out", str(out_file))
    assert res.returncode == 2 and "guian.ttl:2" in res.stderr and "Traceback" not in res.stderr
    assert not out_file.exists()
    shutil.copy(DEFAULT_DATA_DIR / "annotations" / "guian.ttl", data / "annotations" / "guian.ttl")
    (data / "corpus" / "audit.json").write_text("{ not json", encoding="utf-8")
    res = cli("build", "--data", str(data), "--out", str(out_file))
    assert res.returncode == 2 and "audit.json" in res.stderr
    assert not out_file.exists()


def test_check_command_exit_codes():
    """`check` exits 0 on the project's graph and prints the verdict."""
    res = cli("check", "--json")
    assert res.returncode == 0, res.stderr
    verdict = json.loads(res.stdout)
    assert verdict["consistent"] is True and verdict["unsatisfiable"] == []
