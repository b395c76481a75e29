"""Comparing two measures (issue 4): corresponding provisions, their diff, what only one has."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF

from rongcuo_kg.finding.compare import align_all, char_diff, compare, correspondences_graph
from rongcuo_kg.graph.connect import open_store
from rongcuo_kg.errors import BadInput
from rongcuo_kg.graph.namespaces import RC, RCC
from rongcuo_kg.paths import DEFAULT_DATA_DIR
from places import PROJECT_ROOT

CLAUSE_KEYS = {"measure", "article", "paragraph", "item", "subitem", "iri", "text"}
A = "https://w3id.org/rongcuo-kg/eli/audit/"
G = "https://w3id.org/rongcuo-kg/eli/guian/"
E = "https://w3id.org/rongcuo-kg/eli/enforcement/"


@pytest.fixture(scope="module")
def store():
    return open_store()


@pytest.fixture(scope="module")
def audit_guian(store):
    return compare(store, "audit", "guian")


def pair(result, a_iri, b_iri):
    return next((p for p in result["pairs"] if p["a"]["iri"] == a_iri and p["b"]["iri"] == b_iri), None)


def test_the_result_follows_the_contract(audit_guian):
    assert set(audit_guian) == {"a", "b", "pairs", "only_a", "only_b"}
    assert (audit_guian["a"], audit_guian["b"]) == ("audit", "guian")
    p = audit_guian["pairs"][0]
    assert set(p) >= {"a", "b", "score", "basis", "diff"}  # and "diffed": what the diff is of
    assert set(p["a"]) == CLAUSE_KEYS and set(p["b"]) == CLAUSE_KEYS
    assert all(set(c) == CLAUSE_KEYS for c in audit_guian["only_a"] + audit_guian["only_b"])


def test_the_emergency_items_correspond_through_their_shared_situation(audit_guian):
    p = pair(audit_guian, A + "art_9__para_1__item_2", G + "art_6__para_1__item_5")
    assert p is not None and p["score"] >= 0.5
    assert {"method": "concept", "concept": "emergency", "property": "statesSituation"} in p["basis"]


def test_the_six_conditions_correspond_item_by_item(audit_guian):
    """Strongly (a condition several clauses name, 民主决策, weighs a little less than a rare one)."""
    for k in range(1, 7):
        p = pair(audit_guian, A + f"art_8__para_1__item_{k}", G + f"art_7__para_1__item_{k}")
        assert p is not None and p["score"] > 0.7, k


def test_each_pair_has_a_character_diff_that_rebuilds_both_texts(audit_guian):
    p = pair(audit_guian, A + "art_8__para_1__item_4", G + "art_7__para_1__item_4")
    assert "".join(op["a"] for op in p["diff"]) == p["a"]["text"]
    assert "".join(op["b"] for op in p["diff"]) == p["b"]["text"]
    assert {op["op"] for op in p["diff"]} <= {"equal", "insert", "delete"}
    assert {"op": "delete", "a": "四", "b": ""} in p["diff"]  # (四) vs the unnumbered ()


def test_a_list_lead_is_diffed_on_its_own_words_not_on_the_whole_list(store):
    """guian's definition of tolerance (2.p1) and enforcement's lead of its situations (11.p1)
    correspond; their diff shows the two leads, each printed as it is, without the items
    (which pair item by item)."""
    result = compare(store, "guian", "enforcement")
    leads = [p for p in result["pairs"] if p["diffed"] == "own_text"]
    assert leads
    for p in leads:
        a = "".join(op["a"] for op in p["diff"])
        b = "".join(op["b"] for op in p["diff"])
        assert a and a in p["a"]["text"] and b and b in p["b"]["text"]
        assert len(a) < len(p["a"]["text"]) or len(b) < len(p["b"]["text"])
    assert all(p["diffed"] == "text" for p in result["pairs"] if p["a"]["item"] and p["b"]["item"])


def test_char_diff_marks_insertions_and_deletions():
    assert char_diff("法律没有禁止", "法律法规没有明令禁止") == [
        {"op": "equal", "a": "法律", "b": "法律"}, {"op": "insert", "a": "", "b": "法规"},
        {"op": "equal", "a": "没有", "b": "没有"}, {"op": "insert", "a": "", "b": "明令"},
        {"op": "equal", "a": "禁止", "b": "禁止"}]


def test_what_only_one_measure_has_is_listed(audit_guian):
    only_a = {c["iri"] for c in audit_guian["only_a"]}
    only_b = {c["iri"] for c in audit_guian["only_b"]}
    assert A + "art_9__para_1__item_3" in only_a  # mixed ownership: audit only
    assert G + "art_6__para_1__item_4" in only_b  # 容缺受理: Gui'an only
    assert G + "art_12" in only_b  # the repeat-mistake exclusion
    paired = {p["a"]["iri"] for p in audit_guian["pairs"]}
    assert not only_a & paired


def test_a_curated_acceptance_adds_a_pair_no_method_found(audit_guian):
    p = pair(audit_guian, A + "art_7__para_1__item_2__subitem_1", G + "art_7__para_1__item_3")
    assert p is not None and p["score"] == 1.0
    assert any(b["method"] == "curated" for b in p["basis"])


def test_a_curated_rejection_removes_a_pair_the_concepts_proposed(store):
    result = compare(store, "audit", "enforcement")
    assert pair(result, A + "art_1", E + "art_19") is None
    assert pair(result, A + "art_1", E + "art_1") is not None  # the purpose clauses do correspond


def test_the_pairs_are_stored_as_rdf_with_score_method_and_provenance(audit_guian):
    g = correspondences_graph(audit_guian)
    found = Graph().parse(data=g.serialize(format="turtle"), format="turtle")
    corr = [c for c in found.subjects(RDF.type, RC.Correspondence)
            if found.value(c, RC.sourceClause) == URIRef(A + "art_9__para_1__item_2")
            and found.value(c, RC.targetClause) == URIRef(G + "art_6__para_1__item_5")]
    assert len(corr) == 1
    c = corr[0]
    assert float(found.value(c, RC.similarityScore)) >= 0.5
    assert Literal("concept") in set(found.objects(c, RC.alignmentMethod))
    assert RCC["emergency"] in set(found.objects(c, RC.sharedConcept))
    run = found.value(c, PROV.wasGeneratedBy)
    assert (run, RDF.type, RC.AlignmentActivity) in found
    assert found.value(c, PROV.generatedAtTime) is not None
    assert len(set(found.objects(run, PROV.used))) == 2


def test_bad_measures_are_refused(store):
    with pytest.raises(BadInput, match="unknown measure"):
        compare(store, "audit", "nope")
    with pytest.raises(BadInput, match="two different"):
        compare(store, "audit", "audit")


def test_align_all_blocks_instead_of_comparing_every_clause_with_every_other(store):
    result = align_all(store)
    n = result["clauses"]
    assert result["comparisons"] < n * (n - 1) / 2 / 10
    assert result["pairs"]


def test_align_all_finds_the_pairs_compare_finds_for_every_two_measures(store):
    """A few measures are aligned pair by pair: --all holds exactly the pairs of the three
    compares, curated decisions included (audit 1 ↔ enforcement 19 rejected, audit 7.2.1 ↔
    guian 7.3 accepted)."""
    every = {(p["a"], p["b"]) for p in align_all(store)["pairs"]}
    expected = {(p["a"]["iri"], p["b"]["iri"]) for a, b in (("audit", "enforcement"), ("audit", "guian"),
                                                              ("enforcement", "guian"))
                for p in compare(store, a, b)["pairs"]}
    assert every == expected
    assert (G + "art_6__para_1__item_5", E + "art_11__para_1__item_5") in every or \
        (E + "art_11__para_1__item_5", G + "art_6__para_1__item_5") in every
    assert (A + "art_1", E + "art_19") not in every
    assert (A + "art_7__para_1__item_2__subitem_1", G + "art_7__para_1__item_3") in every


def test_align_all_over_many_measures_keeps_blocks_and_curated_decisions(store, monkeypatch):
    """Past EXACT_MAX_MEASURES the blocked clustering runs; a curated rejection still removes a
    pair and an acceptance still adds one."""
    import rongcuo_kg.finding.compare as cmp

    monkeypatch.setattr(cmp, "EXACT_MAX_MEASURES", 1)
    result = align_all(store)
    assert result["method"] == "blocked" and result["blocks"] > 0
    found = {frozenset((p["a"], p["b"])) for p in result["pairs"]}
    assert frozenset((A + "art_1", E + "art_19")) not in found
    assert frozenset((A + "art_7__para_1__item_2__subitem_1", G + "art_7__para_1__item_3")) in found
    assert any(E in p["a"] or E in p["b"] for p in result["pairs"])


@pytest.mark.parametrize("decision, needle", [
    ('rc:sourceClause audit:art_99 ; rc:targetClause guian:art_1 ; rc:curationStatus "accepted"',
     "no clause of the graph"),
    ('rc:sourceClause audit:art_1 ; rc:targetClause guian:art_1 ; rc:curationStatus "Rejected"',
     'must be "accepted" or "rejected"'),
])
def test_a_mistake_in_the_curated_file_is_named(tmp_path, decision, needle):
    """A curated pair naming a clause that does not exist, or a status with a typo: exit 2
    naming the file, never silently ignored."""
    import shutil


    data = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, data)
    (data / "alignments" / "typo.ttl").write_text(
        "@prefix rc: <https://w3id.org/rongcuo-kg/ontology#> .\n"
        "@prefix audit: <https://w3id.org/rongcuo-kg/eli/audit/> .\n"
        "@prefix guian: <https://w3id.org/rongcuo-kg/eli/guian/> .\n"
        f"<https://w3id.org/rongcuo-kg/alignment/curated/x> {decision} .\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "rongcuo_kg.cli", "compare", "audit", "guian", "--data", str(data)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and needle in done.stderr and "typo.ttl" in done.stderr


def test_compare_on_the_command_line_writes_turtle(tmp_path):
    out = tmp_path / "corr.ttl"
    done = subprocess.run([sys.executable, "-m", "rongcuo_kg.cli", "compare", "audit", "enforcement",
                           "--json", "--out", str(out)], capture_output=True, text=True, cwd=PROJECT_ROOT,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["pairs"] and len(Graph().parse(out)) > 10


def test_a_curated_pair_in_rdf_points_to_the_curators_decision(audit_guian):
    """The correspondence a curator accepted says so: derived from the decision, attributed to
    the curator (PROV), not only to the automatic run."""
    g = correspondences_graph(audit_guian)
    curated = [c for c in g.subjects(RC.sourceClause, URIRef(A + "art_7__para_1__item_2__subitem_1"))
               if (c, RC.targetClause, URIRef(G + "art_7__para_1__item_3")) in g]
    assert curated
    decision = g.value(curated[0], PROV.wasDerivedFrom)
    assert str(decision) == "https://w3id.org/rongcuo-kg/alignment/curated/audit-7.2.1--guian-7.3"
    assert str(g.value(curated[0], PROV.wasAttributedTo)).endswith("/agent/curator")


def test_the_compare_text_cites_labels_and_marks_each_sides_own_words():
    """`compare A B` as a reader reads it: measures by title, clauses by citation, shared elements by
    their Chinese labels, each side's text on its own line with its own words in 〔〕 — no ids, no
    {+…+}[-…-] markup."""
    import re
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "rongcuo_kg.cli", "compare", "guian", "audit"],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert text.startswith("《贵安新区容错纠错实施办法(试行)》↔《容错纠错机制实施办法》")
    assert "第四条 ↔ 第三条" in text and "三个区分开来" in text
    assert "〔" in text and "{+" not in text and "[-" not in text
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", text)  # no snake_case ids
    assert "guian" not in text and "audit" not in text


def test_the_side_by_side_in_word_and_excel_reads_back_as_the_comparison(tmp_path):
    """compare A B --docx/--xlsx: every provision of both measures once, in a row beside its
    counterpart or beside "（无对应条款）", cited 第N条…; the words only one side has in dark red bold
    (Word runs, Excel rich text); the Excel cells are text, never formulas."""
    import docx
    import openpyxl
    from openpyxl.cell.rich_text import CellRichText, TextBlock

    out_docx, out_xlsx = tmp_path / "对照.docx", tmp_path / "对照.xlsx"
    done = subprocess.run([sys.executable, "-m", "rongcuo_kg.cli", "compare", "audit", "guian", "--json",
                           "--docx", str(out_docx), "--xlsx", str(out_xlsx)], capture_output=True, text=True,
                          cwd=PROJECT_ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    expected_rows = len(result["pairs"]) + len(result["only_a"]) + len(result["only_b"])
    sheet = openpyxl.load_workbook(out_xlsx, rich_text=True).active
    rows = list(sheet.iter_rows(min_row=2))
    assert len(rows) == expected_rows
    assert sheet["A1"].value == "《容错纠错机制实施办法》条款" and sheet["C1"].value.startswith("《贵安新区")
    cited_a = [r[0].value for r in rows if r[0].value]
    assert len(cited_a) == len(result["pairs"]) + len(result["only_a"]) and all(c.startswith("第") for c in cited_a)
    assert sum(1 for r in rows if r[3].value == "（无对应条款）") == len(result["only_a"])
    lone_b = [r for r in rows if r[0].value in (None, "") and r[1].value == "（无对应条款）"]
    assert len(lone_b) == len(result["only_b"])
    marked = [b for r in rows for cell in (r[1], r[3]) if isinstance(cell.value, CellRichText)
              for b in cell.value if isinstance(b, TextBlock)]
    assert marked and all(b.font.b and b.font.color.rgb.endswith("C00000") for b in marked)
    assert all(c.data_type != "f" for r in rows for c in r)
    word = docx.Document(out_docx).tables[0]
    assert len(word.rows) == expected_rows + 1
    red = [run for row in word.rows[1:] for cell in row.cells[:2] for run in cell.paragraphs[0].runs
           if run.font.color and run.font.color.rgb is not None]
    assert red and all(str(run.font.color.rgb) == "C00000" and run.bold for run in red)
