"""A named query's table as a reader is shown it (the SPARQL page, `rongcuo-kg query`): the
columns its file declares, under headers in the reader's language, clauses by citation (the
measure by its title), concepts and kinds of link by their labels — no id, in Chinese or in English. JSON and
CSV keep every column as selected."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from rongcuo_kg.graph.connect import open_store
from rongcuo_kg.graph.querylib import list_queries, readable, run_named

from readable import offences
from test_queries_stores import EXAMPLE_PARAMS

CLI = [sys.executable, "-m", "rongcuo_kg.cli"]


@pytest.fixture(scope="module")
def store():
    return open_store()


def test_every_named_query_declares_what_a_reader_sees_and_selects_it():
    for q in list_queries():
        selected = set(re.findall(r"\?(\w+)", q.text.split("WHERE", 1)[0]))
        assert q.columns, f"{q.name} declares no column"
        assert {c.name for c in q.columns} <= selected, q.name
        assert all(c.label_zh and c.label_en for c in q.columns), q.name


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", sorted(EXAMPLE_PARAMS))
def test_a_named_querys_table_shows_no_id(store, name, lang):
    result = run_named(store, name, EXAMPLE_PARAMS[name], lang=lang, limit=None)
    shown = readable(store, name, result, lang)
    assert shown.rows and len(shown.rows) == len(result.rows)
    text = "\n".join(shown.columns + [str(v) for row in shown.rows for v in row])
    assert offences(text, lang) == []


def test_the_situations_matrix_cites_clauses_and_names_concepts(store):
    shown = readable(store, "situations_matrix", run_named(store, "situations_matrix", limit=None), "zh")
    assert shown.columns == ["概念", "条款"]
    assert ["处置突发事件、急难险重任务中临机决断出现失误",
            "《贵安新区容错纠错实施办法(试行)》第六条第一款第五项"] in shown.rows


def test_the_kind_of_link_and_the_measure_are_read_by_their_labels(store):
    shown = readable(store, "clauses_for_concept", run_named(store, "clauses_for_concept", {"concept": "emergency"},
                                                             lang="en"), "en")
    assert shown.columns == ["concept", "kind of link", "provision", "text"]
    assert {row[1] for row in shown.rows} == {"states situation"}
    assert "《贵安新区容错纠错实施办法(试行)》 Art. 6 para. 1 item 5" in {row[2] for row in shown.rows}


def test_the_query_command_prints_labels_and_keeps_ids_in_csv_and_json():
    table = subprocess.run([*CLI, "query", "clauses_for_concept", "--param", "concept=emergency"],
                           capture_output=True, text=True, timeout=120)
    assert table.returncode == 0 and offences(table.stdout, "zh") == []
    assert table.stdout.splitlines()[0].split() == ["概念", "链接种类", "条款", "条文"]
    as_csv = subprocess.run([*CLI, "query", "clauses_for_concept", "--param", "concept=emergency", "--format", "csv"],
                            capture_output=True, text=True, timeout=120)
    assert as_csv.stdout.splitlines()[0].startswith("matched,matchedLabel,relation,measureId,ref")
    assert "statesSituation" in as_csv.stdout  # for programs: the ids
