"""The three published measures parse into exactly the structure a reader counts in them.

Every expected value below was taken by reading data/corpus/*.txt (and the seed they are
sliced from), not from the parser's output.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rongcuo_kg.text.corpus import known_titles
from rongcuo_kg.text.model import Measure, Unit
from rongcuo_kg.text.parser import parse_file
from rongcuo_kg.text.refs import parse_ref

MEASURE_IDS = ("audit", "guian", "enforcement")

TITLES = {
    "audit": "容错纠错机制实施办法",
    "guian": "贵安新区容错纠错实施办法(试行)",
    "enforcement": "行政执法容错纠错实施办法",
}

# chapter number, title (whitespace removed), first and last article
CHAPTERS = {
    "audit": [],
    "guian": [("1", "总则", 1, 5), ("2", "容错", 6, 12), ("3", "纠错", 13, 14),
              ("4", "澄清保护", 15, 15), ("5", "组织领导", 16, 16), ("6", "附则", 17, 18)],
    "enforcement": [("1", "总则", 1, 4), ("2", "履职尽责", 5, 10), ("3", "容错纠错", 11, 19)],
}

# article → number of 项 in each of its 款 (one entry per 款)
SHAPE = {
    "audit": {1: [0], 2: [0], 3: [0], 4: [0], 5: [0], 6: [0], 7: [4], 8: [6], 9: [4], 10: [0]},
    "guian": {1: [0], 2: [0, 0], 3: [0], 4: [0], 5: [0], 6: [8], 7: [6], 8: [4], 9: [4],
              10: [0], 11: [0], 12: [0], 13: [3, 0], 14: [0], 15: [3], 16: [4], 17: [0],
              18: [0]},
    "enforcement": {1: [0], 2: [0], 3: [0], 4: [0], 5: [0], 6: [0], 7: [0], 8: [0], 9: [0],
                    10: [11], 11: [9, 3], 12: [3], 13: [0], 14: [0], 15: [0], 16: [0],
                    17: [0], 18: [0], 19: [0]},
}

# the totals `rongcuo-kg stats` prints
TOTALS = {
    "audit": {"chapter": 0, "section": 0, "article": 10, "paragraph": 10, "item": 14,
              "subitem": 7},
    "guian": {"chapter": 6, "section": 0, "article": 18, "paragraph": 20, "item": 32,
              "subitem": 0},
    "enforcement": {"chapter": 3, "section": 0, "article": 19, "paragraph": 20, "item": 26,
                    "subitem": 0},
}

SEVEN_TESTS = ["一看初衷", "二看节点", "三看方向", "四看程序", "五看缘由", "六看后果", "七看处置"]


@pytest.fixture(scope="module")
def docs(corpus_dir: Path) -> dict:
    return {mid: parse_file(corpus_dir / f"{mid}.txt", measure_id=mid) for mid in MEASURE_IDS}


@pytest.fixture(scope="module")
def measures(docs) -> dict[str, Measure]:
    return {mid: doc.measures[0] for mid, doc in docs.items()}


@pytest.fixture(scope="module")
def sources(corpus_dir: Path) -> dict[str, list[str]]:
    return {mid: (corpus_dir / f"{mid}.txt").read_text(encoding="utf-8").split("\n")
            for mid in MEASURE_IDS}


def unit(m: Measure, ref: str) -> Unit:
    return m.by_ref()[ref]


def paragraphs(article: Unit) -> list[Unit]:
    return [c for c in article.children if c.kind == "paragraph"]


def items(u: Unit) -> list[Unit]:
    return [c for c in u.children if c.kind in ("item", "subitem")]


# ---------------------------------------------------------------- the whole measure


@pytest.mark.parametrize("mid", MEASURE_IDS)
def test_each_corpus_file_holds_one_measure_read_as_utf8_without_warnings(docs, mid):
    """A corpus file is one measure, UTF-8, and parses without a warning."""
    doc = docs[mid]
    assert [m.id for m in doc.measures] == [mid]
    assert doc.encoding == "utf-8"
    assert doc.warnings == []


@pytest.mark.parametrize("mid", MEASURE_IDS)
def test_title_is_the_line_above_the_first_chapter_or_article(measures, corpus_dir, mid):
    """The measure's title is its first line, and equals the title in its JSON sidecar."""
    meta = json.loads((corpus_dir / f"{mid}.json").read_text(encoding="utf-8"))
    assert measures[mid].title == TITLES[mid] == meta["title"]


@pytest.mark.parametrize("mid", MEASURE_IDS)
def test_structure_totals_are_those_stats_prints(measures, mid):
    """Totals: audit 10 条/10 款/14 项/7 目; guian 6 章/18 条/20 款/32 项; enforcement 3 章/19 条/20 款/26 项."""
    counts = measures[mid].counts()
    assert {k: counts[k] for k in TOTALS[mid]} == TOTALS[mid]


@pytest.mark.parametrize("mid", MEASURE_IDS)
def test_chapters_with_their_titles_and_article_ranges(measures, mid):
    """Each 章 has its number, its title without inner spaces, and its run of articles."""
    m = measures[mid]
    got = []
    for ch in m.children:
        if ch.kind != "chapter":
            continue
        arts = [int(a.number) for a in ch.children if a.kind == "article"]
        assert arts == list(range(arts[0], arts[-1] + 1)), f"gap in 第{ch.number}章"
        got.append((ch.number, ch.title, arts[0], arts[-1]))
    assert got == CHAPTERS[mid]


def test_a_measure_without_chapters_has_its_articles_at_the_top(measures):
    """audit has no 章: its ten articles are the measure's direct children."""
    got = [(u.kind, u.number) for u in measures["audit"].children]
    assert got == [("article", str(n)) for n in range(1, 11)]


@pytest.mark.parametrize("mid", MEASURE_IDS)
def test_articles_are_numbered_1_to_n_in_order(measures, mid):
    """Articles run 第一条 … 第N条 without gap, each printed with its Chinese numeral."""
    from rongcuo_kg.text.numerals import to_chinese

    arts = measures[mid].articles()
    assert [a.number for a in arts] == [str(n) for n in range(1, len(SHAPE[mid]) + 1)]
    assert [a.printed for a in arts] == [f"第{to_chinese(n)}条" for n in range(1, len(arts) + 1)]


@pytest.mark.parametrize("mid", MEASURE_IDS)
def test_paragraphs_and_items_of_every_article(measures, mid):
    """Every article has the 款 a reader counts, and each 款 its number of 项."""
    got = {int(a.number): [len(items(p)) for p in paragraphs(a)] for a in measures[mid].articles()}
    assert got == SHAPE[mid]


@pytest.mark.parametrize("mid", MEASURE_IDS)
def test_items_of_a_paragraph_are_numbered_from_one(measures, mid):
    """Within each 款, 项 are numbered 1, 2, 3 … (a new 款 restarts the numbering)."""
    for a in measures[mid].articles():
        for p in paragraphs(a):
            assert [i.number for i in items(p)] == [str(n) for n in range(1, len(items(p)) + 1)]


# ---------------------------------------------------------------- particular clauses


def test_guian_art2_has_two_paragraphs_defining_rong_and_jiu(measures):
    """guian 第二条: 款1 defines 容错, 款2 defines 纠错."""
    a = unit(measures["guian"], "2")
    assert [p.text[:4] for p in paragraphs(a)] == ["容错是指", "纠错是指"]


def test_guian_art13_second_paragraph_follows_its_items(measures):
    """guian 第十三条: 款1 is a lead and 3 items, 款2 the plain sentence after them."""
    a = unit(measures["guian"], "13")
    p1, p2 = paragraphs(a)
    assert p1.text.startswith("建立完善纠错机制,出现失误或过错的单位或个人,应当及时纠错。\n()出现")
    assert p2.text == "作出纠错决定的机构,负责对纠错整改情况进行回访督查,对纠错整改情况,在一定范围内公开。"
    assert p2.ref == "13.p2" and p2.eid == "art_13__para_2" and items(p2) == []


def test_enforcement_art11_two_paragraphs_each_with_own_items(measures):
    """enforcement 第十一条: 款1 lists items (一)…(九), 款2 restarts at (一)…(三)."""
    p1, p2 = paragraphs(unit(measures["enforcement"], "11"))
    assert [i.printed for i in items(p1)] == [f"({c})" for c in "一二三四五六七八九"]
    assert [i.printed for i in items(p2)] == ["(一)", "(二)", "(三)"]
    assert p2.text.split("\n")[0] == "具有上述情形之一同时符合下列条件的,可以免除相关执法机构及执法人员的责任:"


def test_enforcement_art10_numbers_items_past_ten(measures):
    """enforcement 第十条 has eleven items; (十一) is item 11."""
    last = items(paragraphs(unit(measures["enforcement"], "10"))[0])[-1]
    assert (last.printed, last.number, last.ref) == ("(十一)", "11", "10.11")


def test_audit_art7_item2_holds_the_seven_tests_as_subitems(measures):
    """audit 第七条(二) holds 目 1–7, 一看 … 七看; the other items of 第七条 hold none."""
    art7 = unit(measures["audit"], "7")
    item1, item2, item3, item4 = items(paragraphs(art7)[0])
    subs = items(item2)
    assert [s.printed for s in subs] == [t[:2] for t in SEVEN_TESTS]
    assert [s.text[:4] for s in subs] == SEVEN_TESTS
    assert [s.number for s in subs] == ["1", "2", "3", "4", "5", "6", "7"]
    assert all(s.kind == "subitem" for s in subs)
    assert items(item1) == items(item3) == items(item4) == []


@pytest.mark.parametrize("mid, ref, eid, kind, text", [
    ("guian", "6.5", "art_6__para_1__item_5", "item",
     "()在处置突发事件或执行其他急难险重任务中,主动作为、敢于担当,积极采取措施消除矛盾隐患,出现一定失误或过错的;"),
    ("enforcement", "11.p2.1", "art_11__para_2__item_1", "item", "(一)法律没有明令禁止的;"),
    ("audit", "7.2.3", "art_7__para_1__item_2__subitem_3", "subitem",
     "三看方向,是符合中央、省、市、县决策部署,还是上有政策、下有对策,打折扣、做选择、搞变通;"),
    ("audit", "9.4", "art_9__para_1__item_4", "item", "(四)根据有关规定可以适用的其他情形。"),
    ("guian", "18", "art_18", "article", "第十八条 本实施办法自印发之日起施行。"),
    ("enforcement", "12.3", "art_12__para_1__item_3", "item", "(三)其他依法可以从轻、减轻追究责任的。"),
    ("guian", "16.4", "art_16__para_1__item_4", "item",
     "()宣传部门应当统筹运用各类媒体资源,加强正面引导,对探索创新过程中的过失要客观理性报道,"
     "引导公众理解支持改革创新,营造容错纠错的浓厚氛围。"),
])
def test_ref_eid_and_text_of_named_clauses(measures, mid, ref, eid, kind, text):
    """A clause found by its REF has the eId of its citation and its text as printed."""
    u = unit(measures[mid], ref)
    assert (u.eid, u.kind, u.text) == (eid, kind, text)


@pytest.mark.parametrize("mid", MEASURE_IDS)
def test_every_units_ref_parses_to_its_own_eid(measures, mid):
    """For every unit, parse_ref(unit.ref).eid == unit.eid: REF and eId name the same clause."""
    for u in measures[mid].units():
        if u.ref is not None:
            assert parse_ref(u.ref).eid == u.eid, u.ref


@pytest.mark.parametrize("mid", MEASURE_IDS)
def test_eids_are_unique_within_a_measure(measures, mid):
    """No two units of a measure share an eId (each is one IRI)."""
    eids = [u.eid for u in measures[mid].units()]
    assert len(eids) == len(set(eids))


def test_chapter_eids(measures):
    """A chapter's eId is chp_N; articles keep art_N whatever chapter holds them."""
    g = measures["guian"]
    assert [c.eid for c in g.children] == [f"chp_{n}" for n in range(1, 7)]
    assert g.children[1].children[0].eid == "art_6"


# ---------------------------------------------------------------- defects kept as printed


def test_guian_items_printed_without_numeral_are_flagged(measures):
    """Exactly the guian items printed "()" are flagged numeral_missing, numbered by position."""
    g = measures["guian"]
    flagged = [u for u in g.units() if u.numeral_missing]
    printed_empty = [u for u in g.units() if u.kind in ("item", "subitem") and u.printed == "()"]
    assert flagged == printed_empty
    assert len(flagged) == 32
    assert all(u.text.startswith("()") for u in flagged)


def test_flagged_guian_items_are_those_listed_in_its_defects(measures, corpus_dir):
    """The refs of flagged items equal the refs of guian.json's missing_item_numeral defect."""
    meta = json.loads((corpus_dir / "guian.json").read_text(encoding="utf-8"))
    (defect,) = [d for d in meta["defects"] if d["kind"] == "missing_item_numeral"]
    flagged = [u.ref for u in measures["guian"].units() if u.numeral_missing]
    assert flagged == defect["refs"]


@pytest.mark.parametrize("mid", ["audit", "enforcement"])
def test_measures_with_printed_numerals_flag_nothing(measures, mid):
    """audit and enforcement print every item's numeral: nothing is flagged."""
    assert not any(u.numeral_missing for u in measures[mid].units())


def test_enforcement_art14_keeps_its_missing_number_of_days(measures):
    """enforcement 第十四条 keeps "应当于日内告知" as printed (the number of days is missing)."""
    assert "容错决定作出后,应当于日内告知相关单位及当事人" in unit(measures["enforcement"], "14").text


def test_ascii_punctuation_is_kept_as_printed(measures):
    """ASCII commas and colons of the published text are not converted to full width."""
    a = unit(measures["audit"], "7")
    assert a.text.startswith("第七条 贯彻落实“三个区分开来”重要思想,建立容错纠错机制,应遵循以下原则:\n")


def test_audit_art10_keeps_its_en_space(measures, sources):
    """audit 第十条 is printed "第十条 \\u2002对于…": the article text keeps the U+2002."""
    a = unit(measures["audit"], "10")
    assert a.text == sources["audit"][62]
    assert a.text.startswith("第十条 \u2002对于认定不符合容错情形的")
    assert paragraphs(a)[0].text.startswith("对于认定不符合容错情形的")


def test_enforcement_headings_keep_their_no_break_spaces(measures, sources):
    """enforcement's "第一章\\xa0\\xa0总\\xa0\\xa0\\xa0\\xa0则" is kept as printed; its title is 总则."""
    ch = measures["enforcement"].children[0]
    assert ch.text == "第一章\xa0\xa0总\xa0\xa0\xa0\xa0则" == sources["enforcement"][2]
    assert (ch.printed, ch.title) == ("第一章", "总则")


@pytest.mark.parametrize("mid", MEASURE_IDS)
def test_unit_text_is_the_source_lines_verbatim(measures, sources, mid):
    """A unit's text is its source lines from unit.line on, without layout or blank lines."""
    # a paragraph's first line may be the end of its article's line (after 第X条)
    src = sources[mid]
    for u in measures[mid].units():
        text_lines = u.text.split("\n")
        following = [ln.strip() for ln in src[u.line - 1:] if ln.strip()][:len(text_lines)]
        assert text_lines[0] in src[u.line - 1], (u.eid, text_lines[0])
        if u.kind == "paragraph":
            assert following[0].endswith(text_lines[0]) and text_lines[1:] == following[1:]
        else:
            assert text_lines == following, u.eid


@pytest.mark.parametrize("mid", MEASURE_IDS)
def test_units_reassemble_into_their_parent(measures, mid):
    """An article is 第X条 + its 款; a 款 is its lead + its 项; a 项 is its line + its 目."""
    for a in measures[mid].articles():
        body = "\n".join(p.text for p in paragraphs(a))
        assert a.text.endswith(body)
        assert a.text[: len(a.text) - len(body)].strip() == a.printed
        for p in paragraphs(a):
            its = items(p)
            if its:
                tail = "\n".join(i.text for i in its)
                assert p.text == tail or p.text.endswith("\n" + tail)
                assert "\n" not in p.text[: len(p.text) - len(tail)].rstrip("\n")  # one-line lead
            for i in its:
                for u in [i, *items(i)]:
                    subs = items(u)
                    own = u.text.split("\n")[0]
                    assert u.text == "\n".join([own] + [s.text for s in subs])


# ---------------------------------------------------------------- the compilation


@pytest.fixture(scope="module")
def compilation(seed_path: Path, data_dir: Path):
    return parse_file(seed_path, known_titles=known_titles(data_dir))


def test_compilation_holds_three_measures_named_by_known_titles(compilation):
    """The seed is read as audit, guian, enforcement, ids taken from the corpus titles."""
    assert [(m.id, m.title) for m in compilation.measures] == [(mid, TITLES[mid]) for mid in MEASURE_IDS]
    assert compilation.title == "容错纠错机制实施办法汇编(3篇)"
    # nothing but its table of contents is left out, and that is said line by line
    assert [w.split(": ", 2)[1] for w in compilation.warnings] == ["table of contents dropped"] * 4


def test_compilation_without_known_titles_numbers_its_measures(seed_path):
    """Without known titles a compilation's measures are <file stem>_1, _2, _3."""
    doc = parse_file(seed_path)
    stem = seed_path.stem
    assert [m.id for m in doc.measures] == [f"{stem}_1", f"{stem}_2", f"{stem}_3"]
    assert [m.title for m in doc.measures] == [TITLES[mid] for mid in MEASURE_IDS]


def test_compilation_table_of_contents_is_skipped(compilation):
    """The 目录 (three titles with page numbers) is neither a measure, nor a preamble, nor text."""
    first = compilation.measures[0]
    assert first.preamble == []
    assert first.first_line == 11  # the audit title, after the 目录 on lines 3–9
    assert all(u.line >= 13 for m in compilation.measures for u in m.units())


def test_compilation_measures_span_the_lines_of_their_corpus_slices(compilation, corpus_dir):
    """Each measure's first and last line in the seed are the `source.lines` of its sidecar."""
    for m in compilation.measures:
        meta = json.loads((corpus_dir / f"{m.id}.json").read_text(encoding="utf-8"))
        assert [m.first_line, m.last_line] == meta["source"]["lines"]


def test_compilation_measures_equal_their_corpus_slices(compilation, measures):
    """Each measure read from the compilation has the same units, eIds and texts as its slice."""
    for m in compilation.measures:
        got = [(u.kind, u.eid, u.ref, u.text, u.numeral_missing) for u in m.units()]
        want = [(u.kind, u.eid, u.ref, u.text, u.numeral_missing) for u in measures[m.id].units()]
        assert got == want


def test_corpus_files_are_verbatim_slices_of_the_seed(seed_path, corpus_dir):
    """data/corpus/<id>.txt is the seed's lines `source.lines` exactly (plus a final newline)."""
    seed = seed_path.read_text(encoding="utf-8").split("\n")
    for mid in MEASURE_IDS:
        meta = json.loads((corpus_dir / f"{mid}.json").read_text(encoding="utf-8"))
        first, last = meta["source"]["lines"]
        text = (corpus_dir / f"{mid}.txt").read_text(encoding="utf-8")
        assert text == "\n".join(seed[first - 1:last]) + "\n"
