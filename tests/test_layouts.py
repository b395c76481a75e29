"""Measures as they are really published: the structure a reader counts, exactly.

tests/fixtures/layouts/ holds measures written for these tests (never copies of real texts) by
helpers who never saw the parser, each laid out the way one kind of publication lays it out:
government sites and their furniture, document-sharing viewers that run articles together, PDF
and Word exports (wrapped lines, page numbers, running heads, appendices), WeChat articles,
清单 and 事项 lists, 公文 numbering, 实施细则 with 章 and 节, 国企 and university versions. Each
comes with the units a careful reader counts (`NAME.expected.tsv`: citation, the first eight
characters of the unit's own text, an article's caption) and what the document says about itself
(`NAME.meta.json`: title, its own 文号, issuer, date, the lines that are not its text).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from rongcuo_kg.text.metadata import read_metadata
from rongcuo_kg.text.model import LIST_PARTS, ZH_KIND, Measure, Unit
from rongcuo_kg.text.numerals import to_chinese
from rongcuo_kg.text.parser import parse_file

LAYOUTS = Path(__file__).parent / "fixtures" / "layouts"
NAMES = sorted(p.name.removesuffix(".txt") for p in LAYOUTS.glob("*.txt"))


def squash(text: str) -> str:
    """Layout whitespace is not text: compare without it."""
    return re.sub(r"\s+", "", text)


def own_text(u: Unit) -> str:
    """A unit's own words: after its printed number and its caption (and, for an entry, before
    its own entries: "改革创新类")."""
    text = u.text
    if u.kind in ("item", "subitem") and u.children:
        first = u.children[0].text.split("\n")[0]
        text = text[: text.index(first)] if first in text else text
    text = squash(text)
    printed = squash(u.printed)
    if printed and text.startswith(printed):
        text = text[len(printed):]
    if u.title and u.kind == "article":
        caption = squash(u.title)
        text = re.sub(rf"^[【\[（(]?{re.escape(caption)}[】\]）)]?[:：]?", "", text)
    return text


def article_citation(u: Unit) -> str:
    base, _, sub = u.number.partition("之")
    return f"第{to_chinese(int(base))}条" + (f"之{sub}" if sub else "")


def reader_outline(m: Measure) -> list[tuple[str, str, str]]:
    """Every unit as a reader cites it: (citation, first eight characters, caption)."""
    out: list[tuple[str, str, str]] = []

    def visit(u: Unit, prefix: str) -> None:
        if u.kind in ("part", "chapter", "section"):
            out.append((f"第{to_chinese(int(u.number))}{ZH_KIND[u.kind]}", squash(u.title or "")[:8], ""))
            for c in u.children:
                visit(c, "")
            return
        if u.kind == "article":
            cite = article_citation(u)
            out.append((cite, own_text(u)[:8], squash(u.title or "")))
        else:
            cite = prefix + f"第{to_chinese(int(u.number))}{ZH_KIND[u.kind]}"
            out.append((cite, own_text(u)[:8], ""))
        for c in u.children:
            visit(c, cite)

    for top in m.children:
        if top.kind not in LIST_PARTS:  # a 清单's 导语 and 结语 are not numbered units (tested apart)
            visit(top, "")
    return out


def expected_outline(name: str) -> list[tuple[str, str, str]]:
    rows = []
    for line in (LAYOUTS / f"{name}.expected.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        cells = line.split("\t") + ["", ""]
        rows.append((cells[0].strip(), squash(cells[1])[:8], squash(cells[2])))
    return rows


def parsed(name: str):
    doc = parse_file(LAYOUTS / f"{name}.txt", measure_id=name)
    assert len(doc.measures) == 1, [m.id for m in doc.measures]
    return doc, doc.measures[0]


def test_the_layout_corpus_has_twenty_measures_each_with_what_a_reader_counts():
    assert len(NAMES) >= 20
    for name in NAMES:
        assert (LAYOUTS / f"{name}.expected.tsv").is_file() and (LAYOUTS / f"{name}.meta.json").is_file(), name


@pytest.mark.parametrize("name", NAMES)
def test_structure_is_what_a_reader_counts(name):
    _doc, m = parsed(name)
    assert reader_outline(m) == expected_outline(name)


@pytest.mark.parametrize("name", NAMES)
def test_what_the_document_says_about_itself(name):
    meta = json.loads((LAYOUTS / f"{name}.meta.json").read_text(encoding="utf-8"))
    _doc, m = parsed(name)
    text = (LAYOUTS / f"{name}.txt").read_text(encoding="utf-8")
    got = read_metadata(text, m)
    assert squash(got.get("title", "")) == squash(meta["title"])
    assert got.get("document_number") == meta["doc_number"]
    assert got.get("issuer") == meta["issuer"]
    assert got.get("date") == meta["date"]


@pytest.mark.parametrize("name", NAMES)
def test_furniture_and_appendices_stay_out_of_the_text_and_are_reported(name):
    meta = json.loads((LAYOUTS / f"{name}.meta.json").read_text(encoding="utf-8"))
    doc, m = parsed(name)
    lines = {squash(line) for u in m.units() for line in u.text.splitlines()}
    for line in meta["furniture"]:
        assert squash(line) not in lines, line
        assert any(squash(line) in squash(w) for w in doc.warnings), (line, doc.warnings)
    if meta.get("appendix"):
        assert squash(meta["appendix"]) not in lines
        assert m.appendix and squash(m.appendix[0]) == squash(meta["appendix"])


def test_a_list_and_a_viewer_copy_are_added_and_cited_as_a_reader_cites_them(tmp_path):
    """End to end: a 清单 and a document-sharing copy whose articles run together are added to a
    corpus; the 清单's entries are cited 第三项第一目, never as 条, and the copy's articles are
    whole (an item broken by the viewer's page furniture is one item)."""
    import subprocess
    import sys

    cli = [sys.executable, "-m", "rongcuo_kg.cli"]
    data = tmp_path / "corpus"
    subprocess.run([*cli, "init", str(data)], check=True, capture_output=True)
    for name, mid in (("list_soe_checklist", "soe"), ("web_docshare_inline", "huayue")):
        done = subprocess.run([*cli, "ingest", str(LAYOUTS / f"{name}.txt"), "--id", mid, "--data", str(data)],
                              capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
    assert "14 项" not in done.stderr  # (the viewer copy is a measure of articles)
    shown = subprocess.run([*cli, "show", "soe", "3.1", "--data", str(data), "--json"],
                           capture_output=True, text=True, check=True)
    info = json.loads(shown.stdout)
    assert info["label"] == "《澜江省省属企业容错免责事项清单》第三项第一目"
    assert info["text"].startswith("（一）按照规定开展尽职调查")
    item = json.loads(subprocess.run([*cli, "show", "huayue", "5.2", "--data", str(data), "--json"],
                                     capture_output=True, text=True, check=True).stdout)
    assert "墨页文档" not in item["text"] and "第 2 页" not in item["text"]
    assert squash(item["text"]).endswith("发生重大变化造成投资收益未达预期的；")
