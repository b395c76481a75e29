"""The parser reads the ways measures are actually typed, encoded and laid out.

Each test writes a small measure (or transforms a published one) and states what a reader
finds in it. Sections: encodings and line endings; punctuation; whitespace; numbering;
lists; 公文 numbering; compilations; hard-wrapped lines; bad input (library and CLI).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from rongcuo_kg.errors import BadInput
from rongcuo_kg.text.model import Measure, Unit
from rongcuo_kg.text.numerals import to_chinese
from rongcuo_kg.text.parser import parse_bytes, parse_file, parse_text

CLI = Path(sys.executable).parent / "rongcuo-kg"


def measure(text: str, **kw) -> Measure:
    doc = parse_text(text, **kw)
    assert len(doc.measures) == 1, [m.id for m in doc.measures]
    return doc.measures[0]


def outline(m: Measure) -> list[tuple[str, str, str]]:
    """(eId, REF or printed heading, text) of every unit, in reading order."""
    return [(u.eid, u.ref or u.printed, u.text) for u in m.units()]


def shape(m: Measure) -> list[tuple[str, str]]:
    """(kind, eId) of every unit: the structure without the text."""
    return [(u.kind, u.eid) for u in m.units()]


def by_ref(m: Measure, ref: str) -> Unit:
    return m.by_ref()[ref]


SIMPLE = """测试办法

第一条 为了规范容错工作，制定本办法。

第二条 有下列情形之一的，可以容错：

（一）先行先试出现失误的；

（二）其他情形。

第三条 本办法自印发之日起施行。
"""

SIMPLE_SHAPE = [
    ("article", "art_1"), ("paragraph", "art_1__para_1"),
    ("article", "art_2"), ("paragraph", "art_2__para_1"),
    ("item", "art_2__para_1__item_1"), ("item", "art_2__para_1__item_2"),
    ("article", "art_3"), ("paragraph", "art_3__para_1"),
]


def test_simple_measure_reads_as_expected():
    """The reference measure of this file: three articles, the second with two items."""
    m = measure(SIMPLE)
    assert m.title == "测试办法"
    assert shape(m) == SIMPLE_SHAPE
    assert by_ref(m, "2.2").text == "（二）其他情形。"


# ---------------------------------------------------------------- encodings, line endings


@pytest.mark.parametrize("mid, codec", [("guian", "gbk"), ("audit", "gb18030"),
                                        ("enforcement", "gb18030")])
def test_gbk_and_gb18030_files_parse_like_utf8_and_report_gb18030(tmp_path, corpus_dir, mid, codec):
    """A published measure saved as GBK/GB18030 bytes parses to the same units; encoding gb18030."""
    utf8 = parse_file(corpus_dir / f"{mid}.txt", measure_id=mid)
    path = tmp_path / f"{mid}.txt"
    path.write_bytes((corpus_dir / f"{mid}.txt").read_text(encoding="utf-8").encode(codec))
    doc = parse_file(path, measure_id=mid)
    assert doc.encoding == "gb18030"
    assert outline(doc.measures[0]) == outline(utf8.measures[0])


def test_utf8_with_bom_reports_utf8_sig_and_drops_the_bom():
    """UTF-8 with a BOM is read as utf-8-sig; the BOM is not part of the title."""
    doc = parse_bytes(SIMPLE.encode("utf-8-sig"))
    assert doc.encoding == "utf-8-sig"
    assert doc.measures[0].title == "测试办法"
    assert shape(doc.measures[0]) == SIMPLE_SHAPE


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_bom_is_read(codec):
    """UTF-16 with a byte-order mark (either order) is read and reported as utf-16."""
    data = SIMPLE.encode(codec)
    if codec != "utf-16":
        data = ("\ufeff" + SIMPLE).encode(codec)
    doc = parse_bytes(data)
    assert doc.encoding == "utf-16"
    assert outline(doc.measures[0]) == outline(measure(SIMPLE))


def test_plain_utf8_reports_utf8():
    """UTF-8 without BOM is reported as utf-8."""
    assert parse_bytes(SIMPLE.encode("utf-8")).encoding == "utf-8"


@pytest.mark.parametrize("eol", ["\r\n", "\r"])
def test_crlf_and_lone_cr_line_endings_read_like_lf(eol):
    """CRLF (Windows) and lone CR (old Mac) end lines like LF: same units, texts, line numbers."""
    lf = measure(SIMPLE)
    other = measure(SIMPLE.replace("\n", eol))
    assert outline(other) == outline(lf)
    assert [u.line for u in other.units()] == [u.line for u in lf.units()]
    assert not any("\r" in u.text for u in other.units())


def test_crlf_bytes_in_gb18030(tmp_path):
    """GB18030 bytes with CRLF line ends: encodings and line endings combine."""
    path = tmp_path / "m.txt"
    path.write_bytes(SIMPLE.replace("\n", "\r\n").encode("gb18030"))
    doc = parse_file(path)
    assert doc.encoding == "gb18030"
    assert outline(doc.measures[0]) == outline(measure(SIMPLE))


# ---------------------------------------------------------------- punctuation

FULL = str.maketrans({",": "，", "(": "（", ")": "）", ":": "：", ";": "；"})
HALF = str.maketrans({"，": ",", "（": "(", "）": ")", "：": ":", "；": ";"})


def test_full_width_punctuation_gives_the_same_structure(corpus_dir):
    """audit retyped with full-width ，（）：； has the same units; texts are the retyped texts."""
    text = (corpus_dir / "audit.txt").read_text(encoding="utf-8")
    half = measure(text, measure_id="audit")
    full = measure(text.translate(FULL), measure_id="audit")
    assert shape(full) == shape(half)
    assert [u.text for u in full.units()] == [u.text.translate(FULL) for u in half.units()]
    assert by_ref(full, "7.2").printed == "（二）"
    assert by_ref(full, "7.2.3").text.startswith("三看方向，是符合中央")


def test_half_width_punctuation_gives_the_same_structure():
    """The reference measure retyped with ASCII ,():; parses to the same units."""
    m = measure(SIMPLE.translate(HALF))
    assert shape(m) == SIMPLE_SHAPE
    assert by_ref(m, "2.1").printed == "(一)"
    assert by_ref(m, "2").text == "第二条 有下列情形之一的,可以容错:\n(一)先行先试出现失误的;\n(二)其他情形。"


def test_mixed_half_and_full_width_brackets_number_items():
    """An item opened with "(" and closed with "）" (or the reverse) is still an item."""
    m = measure("办法\n第一条 下列：\n(一）甲；\n（二)乙。\n")
    assert [(u.number, u.printed) for u in by_ref(m, "1").walk() if u.kind == "item"] == [
        ("1", "(一）"), ("2", "（二)")]


# ---------------------------------------------------------------- whitespace


@pytest.mark.parametrize("heading", [
    "第一章  总    则", "第一章\t总\t则", "第一章\u00a0\u00a0总\u00a0\u00a0则", "第一章\u2002总\u2002则",
    "第一章\u3000总\u3000\u3000则", "\u3000\u3000第一章 总则\u3000", "\t第 一 章\u00a0总则 ",
])
def test_whitespace_in_and_around_a_chapter_heading(heading):
    """Spaces, tabs, U+00A0, U+2002, U+3000 in or around 第一章 总则 do not change it: 章 1, 总则."""
    m = measure(f"办法\n{heading}\n第一条 内容。\n")
    ch = m.children[0]
    assert (ch.kind, ch.number, ch.title, ch.eid) == ("chapter", "1", "总则", "chp_1")
    assert ch.text == heading.strip()
    assert [a.eid for a in ch.children] == ["art_1"]


@pytest.mark.parametrize("printed", ["第　三　条", "第 三 条", "第\t三\t条", "第\u00a0三\u2002条"])
def test_whitespace_inside_an_article_number(printed):
    """第　三　条 (spaced out) is article 3, printed as typed."""
    m = measure(f"办法\n第一条 甲。\n第二条 乙。\n{printed}　丙。\n")
    a = by_ref(m, "3")
    assert (a.printed, a.eid, a.text) == (printed, "art_3", f"{printed}　丙。")
    assert a.children[0].text == "丙。"


@pytest.mark.parametrize("indent", ["  ", "\t", "\u3000\u3000", "\u00a0", "\u2002"])
def test_indentation_and_trailing_layout_are_dropped(indent):
    """Leading indentation and trailing spaces are layout, not text; the units stay the same."""
    laid_out = "\n".join(indent + ln + (" \u3000" if ln else "") for ln in SIMPLE.split("\n"))
    assert outline(measure(laid_out)) == outline(measure(SIMPLE))


@pytest.mark.parametrize("sep", ["\u2002", "\u3000", "\t", "\u00a0\u00a0", "  "])
def test_whitespace_between_article_number_and_body_is_kept_in_the_article_only(sep):
    """The article keeps the space after 第X条 as printed; its first 款 starts at the first word."""
    a = by_ref(measure(f"办法\n第一条{sep}为了规范，制定本办法。\n"), "1")
    assert a.text == f"第一条{sep}为了规范，制定本办法。"
    assert a.children[0].text == "为了规范，制定本办法。"


def test_no_space_after_article_number():
    """"第五条执法人员…" is article 5 whose body starts 执法人员."""
    m = measure("办法\n第四条 甲。\n第五条执法人员应当依法履行职责。\n")
    a = by_ref(m, "5")
    assert (a.printed, a.eid) == ("第五条", "art_5")
    assert a.children[0].text == "执法人员应当依法履行职责。"


def test_blank_lines_between_units_do_not_matter_for_list_items():
    """With or without blank lines between them, items are the same."""
    tight = "\n".join(ln for ln in SIMPLE.split("\n") if ln)
    assert outline(measure(tight)) == outline(measure(SIMPLE))


def test_heading_title_on_the_line_after_its_number():
    """"第一章" alone on a line, "总 则" on the next: one chapter titled 总则, not a preamble."""
    m = measure("办法\n第一章\n总 则\n第一条 甲。\n第二章\n\n附则\n\n第二条 乙。\n")
    assert [(c.eid, c.title, c.text) for c in m.children] == [
        ("chp_1", "总则", "第一章\n总 则"), ("chp_2", "附则", "第二章\n附则")]
    assert m.preamble == []


def test_parts_chapters_and_sections_nest_and_name_their_eids():
    """编 > 章 > 节: eIds part_1__chp_1__sec_2; articles keep art_N; chapters may restart per 编."""
    m = measure("办法\n第一编 总则\n第一章 一般规定\n第一节 目的\n第一条 甲。\n第二节 范围\n第二条 乙。\n"
                "第二编 分则\n第一章 容错\n第三条 丙。\n")
    heads = [(u.eid, u.title) for u in m.units() if u.kind in ("part", "chapter", "section")]
    assert heads == [("part_1", "总则"), ("part_1__chp_1", "一般规定"), ("part_1__chp_1__sec_1", "目的"),
                     ("part_1__chp_1__sec_2", "范围"), ("part_2", "分则"), ("part_2__chp_1", "容错")]
    sec2 = m.children[0].children[0].children[1]
    assert [a.eid for a in sec2.children] == ["art_2"]
    assert [a.eid for a in m.articles()] == ["art_1", "art_2", "art_3"]


@pytest.mark.parametrize("sep", ["：", ":", " ： "])
def test_a_colon_after_the_article_number_is_not_part_of_its_first_paragraph(sep):
    """"第一条：为了…" is article 1 whose 款 starts at 为了; the article keeps the colon."""
    a = by_ref(measure(f"办法\n第一条{sep}为了规范，制定本办法。\n"), "1")
    assert a.text == f"第一条{sep}为了规范，制定本办法。".strip()
    assert a.children[0].text == "为了规范，制定本办法。"


# ---------------------------------------------------------------- article numbering


def test_inserted_articles_zhi_yi_and_zhi_er():
    """第八条之一 and 第八条之二 stand between 第八条 and 第九条: eId art_8-1, REF 8之一."""
    m = measure("办法\n第七条 甲。\n第八条 乙。\n第八条之一 丙：\n（一）子；\n（二）丑。\n"
                "第八条之二 丁。\n第九条 戊。\n")
    arts = m.articles()
    assert [(a.number, a.printed, a.eid, a.ref) for a in arts] == [
        ("7", "第七条", "art_7", "7"), ("8", "第八条", "art_8", "8"),
        ("8之一", "第八条之一", "art_8-1", "8之一"), ("8之二", "第八条之二", "art_8-2", "8之二"),
        ("9", "第九条", "art_9", "9")]
    item = by_ref(m, "8之一.2")
    assert (item.eid, item.text) == ("art_8-1__para_1__item_2", "（二）丑。")


def test_inserted_article_with_arabic_suffix_is_named_in_chinese():
    """第8条之1 is the same article as 第八条之一: REF 8之一, eId art_8-1."""
    a = measure("办法\n第8条 甲。\n第8条之1 乙。\n").articles()[1]
    assert (a.number, a.eid, a.printed) == ("8之一", "art_8-1", "第8条之1")


def test_articles_numbered_in_chinese_up_to_999():
    """Articles 第一条 … 第九百九十九条 are numbered 1 … 999, in order, without warning."""
    text = "长办法\n" + "".join(f"第{to_chinese(n)}条 内容{n}。\n" for n in range(1, 1000))
    doc = parse_text(text)
    arts = doc.measures[0].articles()
    assert [a.number for a in arts] == [str(n) for n in range(1, 1000)]
    assert arts[998].printed == "第九百九十九条" and arts[998].eid == "art_999"
    assert arts[100].printed == "第一百零一条" and arts[109].printed == "第一百一十条"
    assert doc.warnings == []


@pytest.mark.parametrize("printed, number", [("第12条", "12"), ("第１２条", "12"), ("第 12 条", "12")])
def test_arabic_article_numbers(printed, number):
    """第12条 (half or full width, spaced or not) is article 12, eId art_12."""
    m = measure(f"办法\n第11条 甲。\n{printed} 乙。\n")
    a = m.articles()[1]
    assert (a.number, a.printed, a.eid) == (number, printed, f"art_{number}")


def test_a_gap_in_article_numbers_is_a_warning_with_the_line():
    """第一条 then 第三条: both are read, and a warning names the line where numbers jump."""
    doc = parse_text("办法\n第一条 甲。\n第三条 乙。\n", path="m.txt")
    assert [a.number for a in doc.measures[0].articles()] == ["1", "3"]
    assert doc.warnings == ["m.txt:3: article numbers jump from 1 to 3"]


def test_an_earlier_article_number_inside_the_text_is_read_as_text():
    """A line starting 第二条 after 第三条 (a cross-reference) is text of 第三条, with a warning."""
    doc = parse_text("办法\n第一条 甲。\n第二条 乙。\n第三条 丙：\n第二条所列情形除外。\n", path="m.txt")
    m = doc.measures[0]
    assert [a.number for a in m.articles()] == ["1", "2", "3"]
    assert by_ref(m, "3.p2").text == "第二条所列情形除外。"
    assert any("m.txt:5" in w for w in doc.warnings)


# ---------------------------------------------------------------- lists: 项 and 目

NESTED = """办法
第一条 有下列情形之一的，可以容错：
（一）决策失误的：
1.经过集体决策的；
2.符合下列条件的：
(1)没有谋取私利；
(2)及时纠正。
3.其他。
（二）其他情形。
"""


def test_nested_lists_under_an_item_are_subitems_and_nested_subitems():
    """(一) is a 项; its 1. 2. 3. are 目; the (1) (2) under 2. are 目 of that 目."""
    m = measure(NESTED)
    assert outline(m) == [
        ("art_1", "1", NESTED.split("\n", 1)[1].rstrip("\n")),
        ("art_1__para_1", "1.p1", NESTED.split("\n", 1)[1].rstrip("\n")[4:]),
        ("art_1__para_1__item_1", "1.1", "（一）决策失误的：\n1.经过集体决策的；\n2.符合下列条件的：\n"
                                         "(1)没有谋取私利；\n(2)及时纠正。\n3.其他。"),
        ("art_1__para_1__item_1__subitem_1", "1.1.1", "1.经过集体决策的；"),
        ("art_1__para_1__item_1__subitem_2", "1.1.2", "2.符合下列条件的：\n(1)没有谋取私利；\n(2)及时纠正。"),
        ("art_1__para_1__item_1__subitem_2__subitem_1", "1.1.2.1", "(1)没有谋取私利；"),
        ("art_1__para_1__item_1__subitem_2__subitem_2", "1.1.2.2", "(2)及时纠正。"),
        ("art_1__para_1__item_1__subitem_3", "1.1.3", "3.其他。"),
        ("art_1__para_1__item_2", "1.2", "（二）其他情形。"),
    ]


@pytest.mark.parametrize("markers", [("1.", "2."), ("1．", "2．"), ("1、", "2、"), ("(1)", "(2)"),
                                     ("（1）", "（2）"), ("①", "②"), ("一看", "二看")])
def test_each_kind_of_subitem_marker(markers):
    """1. 1． 1、 (1) （1） ① 一看 each number the 目 of an item."""
    m = measure(f"办法\n第一条 下列：\n（一）甲：\n{markers[0]}子；\n{markers[1]}丑。\n（二）乙。\n")
    subs = [u for u in m.units() if u.kind == "subitem"]
    assert [(u.ref, u.printed) for u in subs] == [("1.1.1", markers[0]), ("1.1.2", markers[1])]


def test_a_list_straight_after_the_article_number_has_no_lead():
    """第一条 on its own line, then items: one 款 made of the items only (its lead is empty)."""
    m = measure("办法\n第一条\n（一）甲；\n（二）乙。\n第二条 丙。\n")
    a = by_ref(m, "1")
    (p,) = a.children
    assert a.text == "第一条\n（一）甲；\n（二）乙。"
    assert (p.eid, p.text, p.line) == ("art_1__para_1", "（一）甲；\n（二）乙。", 3)
    assert [i.ref for i in p.children] == ["1.1", "1.2"]


def test_article_number_alone_on_its_line_then_its_sentence():
    """第一条 alone on a line, its sentence on the next: one 款 holding that sentence."""
    a = by_ref(measure("办法\n第一条\n为了规范，制定本办法。\n"), "1")
    assert a.text == "第一条\n为了规范，制定本办法。"
    assert [p.text for p in a.children] == ["为了规范，制定本办法。"]


def test_a_plain_line_after_a_list_starts_a_new_paragraph_whose_list_restarts():
    """After a list, a plain sentence opens 款2; a list in 款2 numbers its items from 1 again."""
    m = measure("办法\n第一条 下列情形之一：\n（一）甲；\n（二）乙。\n同时符合下列条件的，免责：\n"
                "（一）丙；\n（二）丁。\n")
    assert [u.ref for u in m.units()] == ["1", "1.p1", "1.1", "1.2", "1.p2", "1.p2.1", "1.p2.2"]
    assert by_ref(m, "1.p2.1").eid == "art_1__para_2__item_1"


def test_the_issuer_and_date_under_the_last_article_sign_the_measure_not_the_article():
    """中共某某局党组 / 2019年3月12日 printed under 第十条 are the signature, not its 款2."""
    m = measure("办法\n第一条 为了规范，制定本办法。\n第二条 本办法自印发之日起施行。\n\n"
                "中共绵阳市财政局党组\n2019年3月12日\n")
    assert by_ref(m, "2").text == "第二条 本办法自印发之日起施行。"
    assert m.signature == ["中共绵阳市财政局党组", "2019年3月12日"]


def test_a_last_paragraph_that_is_not_a_signature_stays():
    """A last line that is a sentence (not a date) stays the article's paragraph."""
    m = measure("办法\n第一条 第一句。\n县委办公室\n")
    assert [p.text for p in by_ref(m, "1").children] == ["第一句。", "县委办公室"]
    assert m.signature == []


def test_a_plain_line_after_a_plain_line_starts_a_new_paragraph():
    """Two sentences on two lines of one article are two 款."""
    a = by_ref(measure("办法\n第一条 第一句。\n第二句。\n"), "1")
    assert [p.text for p in a.children] == ["第一句。", "第二句。"]


@pytest.mark.parametrize("printed", ["()", "（）", "( )", "（　）"])
def test_item_printed_without_numeral_is_numbered_by_position_and_flagged(printed):
    """An item printed "()" is numbered by its position and flagged numeral_missing."""
    m = measure(f"办法\n第一条 下列：\n{printed}甲；\n{printed}乙；\n{printed}丙。\n")
    its = [u for u in m.units() if u.kind == "item"]
    assert [(u.ref, u.printed, u.numeral_missing) for u in its] == [
        ("1.1", printed, True), ("1.2", printed, True), ("1.3", printed, True)]


def test_only_the_items_printed_without_numeral_are_flagged():
    """Beside (一) and (三), the "()" item is number 2 and is the only one flagged."""
    m = measure("办法\n第一条 下列：\n(一)甲；\n()乙；\n(三)丙。\n")
    assert [(u.number, u.numeral_missing) for u in m.units() if u.kind == "item"] == [
        ("1", False), ("2", True), ("3", False)]


def test_a_printed_item_number_that_skips_is_kept_with_a_warning():
    """(一) then (三): the items are numbers 1 and 3 as printed, and the gap is warned about."""
    doc = parse_text("办法\n第一条 下列：\n（一）甲；\n（三）乙。\n", path="m.txt")
    assert [u.ref for u in doc.measures[0].units() if u.kind == "item"] == ["1.1", "1.3"]
    assert doc.warnings == ["m.txt:4: item （三） is number 3 at position 2"]


@pytest.mark.parametrize("printed, numbers", [
    (["（二）", "（二）"], ["2", "3"]),
    (["（二）", "（一）"], ["2", "3"]),
    (["（二）", "（）", "（三）"], ["2", "3", "4"]),
])
def test_item_numbers_increase_down_a_list_so_no_two_items_share_one(printed, numbers):
    """A numeral that repeats or goes back (or a lost one) takes the number after the item before."""
    text = "办法\n第一条 下列：\n" + "".join(f"{p}项；\n" for p in printed)
    doc = parse_text(text, path="m.txt")
    its = [u for u in doc.measures[0].units() if u.kind == "item"]
    assert [(u.printed, u.number) for u in its] == list(zip(printed, numbers))
    assert len({u.eid for u in its}) == len(its)
    assert any("does not follow" in w for w in doc.warnings)


def test_item_numbers_past_ten():
    """（十）（十一）（十二） are items 10, 11, 12."""
    text = "办法\n第一条 下列：\n" + "".join(f"（{to_chinese(n)}）项{n}；\n" for n in range(1, 13))
    its = [u for u in measure(text).units() if u.kind == "item"]
    assert [u.number for u in its] == [str(n) for n in range(1, 13)]
    assert its[-1].printed == "（十二）"


# ---------------------------------------------------------------- 公文 numbering

GONGWEN = """关于建立容错纠错机制的实施意见

一、总体要求

（一）指导思想。坚持三个区分开来。

（二）基本原则：

1.依纪依法；

2.区别对待，具体包括：

（1）看动机；

（2）看程序。

二、容错情形

有下列情形之一的，可以容错。

（一）先行先试出现失误的；

（二）其他情形。

三、附则

本意见自印发之日起施行。
"""


def test_gongwen_numbering_makes_yi_dun_headings_articles():
    """With no 第X条, 一、二、三、 are articles titled by their heading; the style is gongwen."""
    m = measure(GONGWEN)
    assert m.numbering_style == "gongwen"
    assert m.title == "关于建立容错纠错机制的实施意见"
    assert [(a.number, a.printed, a.title, a.eid) for a in m.articles()] == [
        ("1", "一、", "总体要求", "art_1"), ("2", "二、", "容错情形", "art_2"),
        ("3", "三、", "附则", "art_3")]


def test_gongwen_items_and_subitems():
    """Under 一、: （一） are 项, 1. are 目 of a 项, （1） are 目 of a 目."""
    m = measure(GONGWEN)
    assert [(u.ref, u.printed) for u in by_ref(m, "1").walk() if u.kind in ("item", "subitem")] == [
        ("1.1", "（一）"), ("1.2", "（二）"), ("1.2.1", "1."), ("1.2.2", "2."),
        ("1.2.2.1", "（1）"), ("1.2.2.2", "（2）")]
    assert by_ref(m, "1.2.2.2").eid == "art_1__para_1__item_2__subitem_2__subitem_2"


def test_gongwen_article_body_after_its_heading():
    """二、容错情形 holds one 款: a lead sentence and its two items; 三、 holds one sentence."""
    m = measure(GONGWEN)
    (p,) = by_ref(m, "2").children
    assert p.text == "有下列情形之一的，可以容错。\n（一）先行先试出现失误的；\n（二）其他情形。"
    assert [p.text for p in by_ref(m, "3").children] == ["本意见自印发之日起施行。"]


def test_yi_dun_inside_a_statute_numbers_items_not_articles():
    """Where 第X条 exist, 一、二、 lines are items of the article, not articles."""
    m = measure("办法\n第一条 下列：\n一、甲；\n二、乙。\n")
    assert m.numbering_style == "statute"
    assert [(u.kind, u.ref) for u in m.units()] == [
        ("article", "1"), ("paragraph", "1.p1"), ("item", "1.1"), ("item", "1.2")]


# ---------------------------------------------------------------- compilations

COMPILATION = """容错纠错办法选编

目  录

甲市容错纠错办法……………………1
乙县容错纠错实施细则 ………… 3

甲市容错纠错办法

第一条 甲一。
第二条 甲二。

乙县容错纠错实施细则

第一章 总则
第一条 乙一。
第二章 附则
第二条 乙二。
第三条 乙三。

丙区容错纠错暂行办法
2024年1月1日
第一条 丙一。
"""


def test_compilation_with_table_of_contents_holds_each_measure():
    """Three measures, each starting at its 第一条 (or 第一章) under its own title; 目录 skipped."""
    doc = parse_text(COMPILATION, path="/tmp/xuanbian.txt")
    assert doc.title == "容错纠错办法选编"
    assert [(m.title, len(m.articles())) for m in doc.measures] == [
        ("甲市容错纠错办法", 2), ("乙县容错纠错实施细则", 3), ("丙区容错纠错暂行办法", 1)]
    assert [(m.first_line, m.last_line) for m in doc.measures] == [(8, 11), (13, 19), (21, 23)]
    assert all(m.preamble == [] for m in doc.measures[:2])
    assert doc.measures[2].preamble == ["2024年1月1日"]
    assert [c.title for c in doc.measures[1].children] == ["总则", "附则"]


def test_compilation_ids_come_from_known_titles_else_stem_and_position():
    """A measure whose title is known takes its id; the others are <file stem>_<n>."""
    doc = parse_text(COMPILATION, path="/tmp/xuanbian.txt",
                     known_titles={"乙县容错纠错实施细则": "yixian", "无关办法": "other"})
    assert [m.id for m in doc.measures] == ["xuanbian_1", "yixian", "xuanbian_3"]


def test_known_titles_match_whatever_the_whitespace_and_bracket_width():
    """"乙县容错纠错实施细则（试行）" matches the known title "乙县 容错纠错实施细则(试行)"."""
    text = COMPILATION.replace("乙县容错纠错实施细则\n\n第一章", "乙县容错纠错实施细则（试行）\n\n第一章")
    doc = parse_text(text, path="x.txt", known_titles={"乙县 容错纠错实施细则(试行)": "yixian"})
    assert doc.measures[1].id == "yixian"


def test_a_single_measure_takes_the_given_id_else_a_known_title_else_the_file_stem():
    """One measure: measure_id if given, else the id of its known title, else the file's stem."""
    assert measure(SIMPLE, path="/a/b/simple.txt").id == "simple"
    assert measure(SIMPLE, path="/a/b/simple.txt", measure_id="s1").id == "s1"
    assert measure(SIMPLE, path="/a/b/simple.txt", known_titles={"测试办法": "ceshi"}).id == "ceshi"


def test_table_of_contents_listing_chapters_without_page_numbers_is_skipped():
    """A 目录 listing 第一章 总则 / 第二章 附则 (no page numbers) is not read as two empty chapters."""
    m = measure("甲市容错纠错办法\n目录\n第一章 总则\n第二章 附则\n第一章 总则\n第一条 甲一。\n"
                "第二章 附则\n第二条 甲二。\n")
    assert [(c.eid, c.title, c.line, [a.number for a in c.children]) for c in m.children] == [
        ("chp_1", "总则", 5, ["1"]), ("chp_2", "附则", 7, ["2"])]


def test_table_of_contents_entries_with_dot_leaders_and_page_numbers_are_skipped():
    """目录 entries "第一章 总则……1" are skipped; the body's chapters are read."""
    m = measure("甲市容错纠错办法\n目  录\n第一章 总则……………1\n第二章 附则……………2\n\n"
                "第一章 总则\n第一条 甲一。\n第二章 附则\n第二条 甲二。\n")
    assert [(c.eid, c.line) for c in m.children] == [("chp_1", 6), ("chp_2", 8)]


def test_compilation_read_from_gb18030_bytes(tmp_path):
    """A compilation in GB18030 reads the same as in UTF-8."""
    path = tmp_path / "xuanbian.txt"
    path.write_bytes(COMPILATION.encode("gb18030"))
    doc = parse_file(path)
    assert doc.encoding == "gb18030"
    want = parse_text(COMPILATION, path=str(path))
    assert [outline(m) for m in doc.measures] == [outline(m) for m in want.measures]


# ---------------------------------------------------------------- hard-wrapped lines


def test_hard_wrapped_lead_sentence_continues_its_paragraph():
    """A line with no closing punctuation is continued by the next line: one 款, both lines."""
    a = by_ref(measure("办法\n第一条 为了规范容错纠错工作，根据有关\n规定，制定本办法。\n第二条 乙。\n"), "1")
    assert a.text == "第一条 为了规范容错纠错工作，根据有关\n规定，制定本办法。"
    assert [p.text for p in a.children] == ["为了规范容错纠错工作，根据有关\n规定，制定本办法。"]


def test_hard_wrapped_item_continues_the_item_and_its_article():
    """A wrapped item keeps both lines, and so do its 款 and its article."""
    m = measure("办法\n第一条 下列情形：\n（一）在推进改革中先行先试，因缺乏\n经验出现失误的；\n（二）其他。\n")
    assert by_ref(m, "1.1").text == "（一）在推进改革中先行先试，因缺乏\n经验出现失误的；"
    assert by_ref(m, "1").text == ("第一条 下列情形：\n（一）在推进改革中先行先试，因缺乏\n"
                                   "经验出现失误的；\n（二）其他。")
    assert by_ref(m, "1.p1").text == by_ref(m, "1").text[len("第一条 "):]


def test_hard_wrapped_subitem_continues_the_subitem_and_all_above_it():
    """A wrapped 目 keeps both lines; its item, 款 and article hold them too."""
    m = measure("办法\n第一条 下列：\n（一）甲：\n1.一看初衷，是出以公心\n还是源于私利；\n2.二看。\n")
    assert by_ref(m, "1.1.1").text == "1.一看初衷，是出以公心\n还是源于私利；"
    for ref in ("1", "1.p1", "1.1"):
        assert "是出以公心\n还是源于私利；\n2.二看。" in by_ref(m, ref).text


def test_a_blank_line_ends_a_unit_even_without_closing_punctuation():
    """After a blank line, a plain line is a new 款 even if the line before lacks punctuation."""
    a = by_ref(measure("办法\n第一条 第一句没有句号\n\n第二句。\n"), "1")
    assert [p.text for p in a.children] == ["第一句没有句号", "第二句。"]


@pytest.mark.parametrize("end", ["。", ".", "．", "；", ";", "：", ":", "！", "？", "”", "）", ")"])
def test_closing_punctuation_ends_a_line(end):
    """A line ending in 。 . ． ； ; ： : ！ ？ ” ） ) is complete: the next plain line is a new 款."""
    a = by_ref(measure(f"办法\n第一条 第一句{end}\n第二句。\n"), "1")
    assert [p.text for p in a.children] == [f"第一句{end}", "第二句。"]


def test_a_half_width_full_stop_ends_an_item():
    """An item ending in "." (typed half width) is complete: the next plain line is 款2."""
    m = measure("办法\n第一条 下列:\n(一)甲;\n(二)乙.\n不符合的,不予容错.\n")
    assert by_ref(m, "1.2").text == "(二)乙."
    assert by_ref(m, "1.p2").text == "不符合的,不予容错."


# ---------------------------------------------------------------- copied layouts

INLINE_COPY = (
    "某县干部容错纠错办法（试行）.doc\n"
    "上传人：abc****　　上传时间：2021-07-02　　页数：2　　浏览次数：2856　　下载次数：41　　格式：DOC　　文档评分：4.5分\n"
    "某县委办公室 关于印发《某县干部容错纠错办法（试行）》的通知 某办发〔2021〕3号 各乡镇： 现印发给你们，请认真执行。"
    " 某县委办公室 2021年6月8日 某县干部容错纠错办法（试行） 第一章 总则 第一条 为激励干部担当作为，制定本办法。"
    " 第二条 本办法适用于全县干部。 第 1 页 共 2 页 第二章 容错情形 第三条 有下列情形之一的，可以容错：（一）先行先试出现失误的；"
    "（二）因不可抗力造成 第 2 页 共 2 页 损失的。 第四条 有下列情形之一的，不予容错：（一）谋取私利的；（二）明知故犯的。"
    " 第三章 附则 第五条 本办法自印发之日起施行。\n"
    "相关文档：　干部容错纠错机制实施细则.doc　　关于激励干部担当作为的若干措施.docx　　乡镇容错纠错办法（试行）.pdf　　查看更多>>\n"
)


def test_a_document_sharing_copy_on_one_line_is_read_by_chapter_article_and_item():
    doc = parse_text(INLINE_COPY)
    m = doc.measures[0]
    assert m.title == "某县干部容错纠错办法（试行）"
    assert [(u.kind, u.number, u.title) for u in m.children] == [
        ("chapter", "1", "总则"), ("chapter", "2", "容错情形"), ("chapter", "3", "附则")]
    assert [a.number for a in m.articles()] == ["1", "2", "3", "4", "5"]
    # the page marker inside item (二) is dropped and the broken sentence joined again
    assert by_ref(m, "3.2").text == "（二）因不可抗力造成损失的。"
    assert by_ref(m, "4.2").text == "（二）明知故犯的。"
    assert by_ref(m, "2").text == "第二条 本办法适用于全县干部。"
    assert by_ref(m, "5").text == "第五条 本办法自印发之日起施行。"  # the viewer's related files are not text
    assert sum("page marker dropped" in w for w in doc.warnings) == 2
    assert any("相关文档" in w for w in doc.warnings) and any("上传人" in w for w in doc.warnings)


def test_a_cross_reference_to_a_chapter_is_not_a_heading():
    text = ("某办法\n第一条 甲。 第二条 依照本办法第三章 规定办理。 第三条 乙。 第四条 丙。")
    m = measure(text)
    assert [u.kind for u in m.children] == ["article"] * 4
    assert by_ref(m, "2").text == "第二条 依照本办法第三章 规定办理。"


TABLE_LIST = (
    "某集团容错免责事项清单（试行）\n\n"
    "　　为激励干部担当作为，制定本清单。\n\n"
    "一、容错免责事项\n\n"
    "序号\t事项\t说明\n"
    "1.\t科研项目未达预期\t按规定立项，因技术路线失败，\n"
    "\t\t未形成预期成果的。\n"
    "2.\t套期保值亏损\t按批准方案开展业务，因市场波动亏损的。\n"
    "\t\t不包括以投机为目的的交易。\n"
    "3.\t政策调整损失\t因上级政策调整导致损失的。\n\n"
    "二、适用条件\n\n"
    "　　适用本清单，应当同时满足以下条件：\n"
    "　　（一）履行了集体决策程序；\n"
    "　　（二）未谋取私利。\n"
)


def test_a_tables_numbered_rows_are_the_entries_of_a_list_under_section_headings():
    m = measure(TABLE_LIST)
    assert m.numbering_style == "list"
    assert [(u.kind, u.eid) for u in m.children] == [
        ("intro", "intro"), ("item", "item_1"), ("item", "item_2"), ("item", "item_3"), ("wrapup", "wrapup")]
    rows = m.provisions()
    # a cell wrapped onto its own line (under the empty cells' tabs) stays in its row
    assert rows[0].text.endswith("未形成预期成果的。")
    assert rows[1].text.endswith("不包括以投机为目的的交易。")
    # the lead and headings before the table are its 导语; what follows it, its 结语 (not rows)
    intro, wrapup = m.children[0], m.children[-1]
    assert intro.text == "为激励干部担当作为，制定本清单。\n一、容错免责事项\n序号\t事项\t说明"
    assert wrapup.text.startswith("二、适用条件\n") and wrapup.text.endswith("（二）未谋取私利。")


def test_a_wechat_articles_section_glyphs_are_layout_and_its_lead_in_is_not_the_title():
    """▍一、适用范围 is section 一 of a 公文-numbered measure; "一起来看全文👇" above the title, after
    a rule of ━, is the editor's lead-in, not the first half of the title."""
    text = ("权威发布｜某区出台容错纠错办法\n\n点击上方蓝字关注我们\n\n一起来看全文👇\n\n━━━━━━━━\n\n"
            "某区容错纠错暂行办法\n\n为激励干部担当作为，制定本办法。\n\n▍一、适用范围\n\n本办法适用于全区干部。\n\n"
            "▍二、容错情形\n\n干部有下列情形之一的，予以容错：\n（一）先行先试出现失误的；\n（二）其他情形。\n")
    m = measure(text)
    assert m.title == "某区容错纠错暂行办法" and m.numbering_style == "gongwen"
    assert [a.printed for a in m.articles()] == ["一、", "二、"]
    assert by_ref(m, "2.2").text == "（二）其他情形。"


def test_a_reference_that_a_hard_wrap_put_at_the_start_of_a_line_is_no_article():
    """A PDF copy wraps "……且符合本细则 / 第九条规定条件的，也可以容错。": the line continues the open
    sentence before it; the real 第九条 follows, and the text is not refused as printing 第九条 twice."""
    text = ("某开发区容错细则\n第八条　干部出现失误，虽不属于本细则第五条所列情形，但符合本细则\n"
            "第九条规定条件的，也可以容错。\n第九条　符合下列全部条件的，方可认定容错：\n（一）经集体研究；\n（二）未谋取私利。\n")
    m = measure(text)
    assert [a.number for a in m.articles()] == ["8", "9"]
    assert by_ref(m, "8").text.endswith("第九条规定条件的，也可以容错。")


def test_kangxi_radicals_from_a_pdf_are_read_as_the_ideographs_they_show(tmp_path):
    """A PDF's font may give ⼀ (U+2F00) for 一: 第⼀条 is 第一条, and the change is said."""
    from rongcuo_kg.adding.ingest import parse_new

    source = tmp_path / "kangxi.txt"
    source.write_text("某县容错办法\n第⼀条　为激励⼲部担当作为，制定本办法。\n第⼆条　本办法⾃印发之⽇起施⾏。\n",
                      encoding="utf-8")
    text, m, warnings = parse_new(source, "kangxi", None)
    assert [a.number for a in m.articles()] == ["1", "2"] and "⼀" not in text
    assert by_ref(m, "2").text == "第二条　本办法自印发之日起施行。"
    assert any("Kangxi" in w for w in warnings)


def test_a_gongwen_run_together_on_one_line_is_read_by_section_item_and_sub_item():
    """A document-sharing copy of a 公文 (一、/（一）/1.) on one long line: where a line broke there
    is a space, and a marker after it that starts or continues its list is cut there; the page
    markers inline are dropped."""
    filler = "各单位应当结合实际认真贯彻执行本指引的各项要求，确保工作落到实处。" * 6
    text = ("某局容错纠错工作指引\n为激励干部担当作为，制定本指引。 一、适用范围 本指引适用于局机关干部。" + filler
            + " 二、容错情形 （一）应急处置类 1.对在事故现场果断处置出现失误的，予以容错。 2.对紧急调用物资未履行"
            " 第 2 页 共 5 页 程序的，予以容错。 （二）其他类 3.对其他出于公心出现失误的，予以容错。 三、附则 本指引自印发之日起施行。\n")
    m = measure(text)
    assert m.numbering_style == "gongwen" and [a.printed for a in m.articles()] == ["一、", "二、", "三、"]
    assert [u.ref for u in m.units() if u.kind == "subitem"] == ["2.1.1", "2.1.2", "2.2.3"]
    assert by_ref(m, "2.1.2").text == "2.对紧急调用物资未履行程序的，予以容错。"


def test_bullets_and_keycap_numerals_number_their_items_by_position():
    """A WeChat article's 1️⃣ 2️⃣ and ❌ bullets, a Word export's Symbol-font "l " bullets: each line is
    the next item of its list (the bullet is layout, dropped from the text; a keycap is a numeral)."""
    text = ("某县容错办法\n第一条 有下列情形之一的，予以容错：\n1️⃣ 先行先试出现失误的；\n2️⃣ 因不可抗力造成损失的。\n"
            "第二条 有下列情形之一的，不予容错：\n❌ 谋取私利的；\n❌ 明知故犯的。\n"
            "第三条 容错应当同时符合下列条件：\nl 经过集体研究；\nl 没有恶意串通。\n")
    m = measure(text)
    assert [u.ref for u in m.units() if u.kind == "item"] == ["1.1", "1.2", "2.1", "2.2", "3.1", "3.2"]
    assert by_ref(m, "2.2").text == "明知故犯的。" and by_ref(m, "3.1").text == "经过集体研究；"
    assert by_ref(m, "1.2").printed == "2️⃣ "


def test_a_checklists_entries_numbered_on_across_category_headings_are_its_entries():
    """一、改革创新类 1. 2. 二、投资经营类 3. 4.: the numbers run on, so the numbered lines are the
    清单's entries (cited 第三项) and 一、二、 are headings grouping them."""
    text = ("某集团容错免责事项清单\n一、改革创新类\n1. 在混合所有制改革中出现偏差的。\n2. 在员工持股试点中出现偏差的。\n"
            "二、投资经营类\n3. 因市场变化导致投资亏损的。\n4. 因汇率波动造成损失的。\n")
    m = measure(text)
    assert [u.eid for u in m.provisions()] == ["item_1", "item_2", "item_3", "item_4"]
    assert m.provisions()[2].text == "3. 因市场变化导致投资亏损的。"


# ---------------------------------------------------------------- bad input


def bad(text_or_bytes, path="bad.txt") -> BadInput:
    with pytest.raises(BadInput) as exc:
        if isinstance(text_or_bytes, bytes):
            parse_bytes(text_or_bytes, path=path)
        else:
            parse_text(text_or_bytes, path=path)
    return exc.value


@pytest.mark.parametrize("data", [b"", b"   \n\t\n\r\n", "\u3000\n\u00a0\n".encode("utf-8"), b"\xef\xbb\xbf\n"])
def test_empty_or_whitespace_only_file_is_bad_input(data):
    """An empty or whitespace-only file is BadInput "file is empty", naming the file."""
    err = bad(data)
    assert (err.path, err.message) == ("bad.txt", "file is empty")


def test_whitespace_only_text_is_bad_input():
    """Decoded text of whitespace only is BadInput "file is empty" too."""
    assert bad(" \n\u3000\n").message == "file is empty"


@pytest.mark.parametrize("data", [
    b"\x00", b"\x00\x01\x02\x03" * 20, bytes(range(256)), b"PK\x03\x04\x14\x00\x00\x00\x08\x00" * 8,
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "第一条 甲。".encode("utf-8") + b"\x00",
])
def test_binary_bytes_are_undecodable(data):
    """Bytes that are no text (control bytes, NULs, a zip or PNG header) cannot be decoded."""
    err = bad(data)
    assert err.path == "bad.txt" and err.message.startswith("cannot decode")


@pytest.mark.parametrize("text", ["随便写点什么，没有结构。\n第二行。\n", "标题\n（一）甲；\n（二）乙。\n",
                                  "第一章 总则\n第二章 附则\n"])
def test_text_without_articles_is_bad_input(text):
    """A text with neither 第X条 nor 一、 headings has no recognisable structure."""
    err = bad(text)
    assert err.path == "bad.txt" and "no recognisable structure" in err.message


def test_a_duplicate_article_is_bad_input_naming_its_line():
    """第二条 printed twice is BadInput naming the file and the line of the second one."""
    err = bad("办法\n第一条 甲。\n第二条 乙。\n第二条 丙。\n")
    assert (err.path, err.line) == ("bad.txt", 4)
    assert "第二条" in err.message and "line 3" in err.message
    assert str(err).startswith("bad.txt:4: ")


def test_a_repeated_first_article_without_a_title_is_a_duplicate_not_a_new_measure():
    """第一条 twice with no title between them is one measure with a duplicate article."""
    err = bad("办法\n第一条 甲。\n第一条 乙。\n")
    assert (err.path, err.line) == ("bad.txt", 3)


def test_a_duplicate_chapter_is_bad_input_naming_its_line():
    """第一章 printed twice in one measure (two units, one IRI) is BadInput at the second."""
    err = bad("办法\n第一章 总则\n第一条 甲。\n第一章 附则\n第二条 乙。\n")
    assert (err.path, err.line) == ("bad.txt", 4)
    assert "第一章" in err.message and "line 2" in err.message


def test_a_duplicate_inserted_article_is_bad_input():
    """第八条之一 printed twice is BadInput at the second."""
    err = bad("办法\n第八条 甲。\n第八条之一 乙。\n第八条之一 丙。\n")
    assert (err.path, err.line) == ("bad.txt", 4)


def test_missing_file_is_bad_input(tmp_path):
    """A path that does not exist is BadInput naming it."""
    with pytest.raises(BadInput) as exc:
        parse_file(tmp_path / "nope.txt")
    assert exc.value.path == str(tmp_path / "nope.txt")


# ---------------------------------------------------------------- the CLI

BAD_FILES = {
    "empty": b"",
    "whitespace": b" \n\t\n",
    "binary": bytes(range(256)) * 2,
    "nostructure": "随便写点什么，没有结构。\n".encode("utf-8"),
    "duplicate": "办法\n第一条 甲。\n第二条 乙。\n第二条 丙。\n".encode("utf-8"),
}


@pytest.fixture(scope="module")
def cli_runs(tmp_path_factory):
    """Run `rongcuo-kg ingest FILE --out OUT` on each bad file (all at once, to save time)."""
    folder = tmp_path_factory.mktemp("cli")
    procs = {}
    for name, data in BAD_FILES.items():
        src = folder / f"{name}.txt"
        src.write_bytes(data)
        out = folder / f"{name}.ttl"
        procs[name] = (src, out, subprocess.Popen([str(CLI), "ingest", str(src), "--out", str(out)],
                                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE))
    runs = {}
    for name, (src, out, p) in procs.items():
        stdout, stderr = p.communicate(timeout=60)
        runs[name] = (src, out, p.returncode, stdout.decode(), stderr.decode())
    return runs


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_cli_ingest_of_bad_input_exits_2_with_one_line_and_writes_nothing(cli_runs, name):
    """Bad input: exit code 2, one line on stderr naming the file, no traceback, OUT not created."""
    src, out, code, stdout, stderr = cli_runs[name]
    assert code == 2
    assert stdout == ""
    lines = stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"rongcuo-kg: {src}"), stderr
    assert "Traceback" not in stderr
    assert not out.exists()


def test_cli_ingest_of_a_duplicate_article_names_its_line(cli_runs):
    """The one line names file:line of the duplicate article."""
    src, _out, _code, _stdout, stderr = cli_runs["duplicate"]
    assert stderr.startswith(f"rongcuo-kg: {src}:4: ")


@pytest.mark.parametrize("codec, reported", [("gb18030", "gb18030"), ("utf-8-sig", "utf-8-sig")])
def test_cli_ingest_says_which_encoding_it_read(tmp_path, codec, reported):
    """`ingest` reports the encoding it read the file as, and writes OUT."""
    src = tmp_path / "m.txt"
    src.write_bytes(SIMPLE.encode(codec))
    out = tmp_path / "m.ttl"
    run = subprocess.run([str(CLI), "ingest", str(src), "--out", str(out)], capture_output=True,
                         text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert f"read {src} as {reported}:" in run.stderr
    assert out.stat().st_size > 0


BOXED_LIST = """某投资集团容错免责事项清单

为激励经营管理人员担当作为，制定本清单。符合下表所列事项的，可以容错免责：

┌────────┬────┬────────────────────┬──────────┐
│  类别  │序号│      容错免责事项      │ 佐证材料 │
├────────┼────┼────────────────────┼──────────┤
│一、投资│ 1  │按决策程序开展股权投│可研报告  │
│类      │    │资，因市场变化未达预│          │
│        │    │期收益的。          │          │
│        ├────┼────────────────────┼──────────┤
│        │ 2  │因交易对手故意隐瞒重│追偿记录  │
│        │    │大事项造成损失的。  │          │
├────────┼────┼────────────────────┼──────────┤
│二、改革│ 3  │在混合所有制改革中因│方案批复  │
│类      │    │缺乏经验出现偏差的。│          │
└────────┴────┴────────────────────┴──────────┘

本清单自印发之日起施行。
"""


def test_a_table_drawn_with_box_characters_is_read_row_by_row():
    """A 清单 drawn as a table (as a Word or WPS export draws one): each numbered row is an entry,
    cited 第一项…第三项, its wrapped cell joined again and its cells kept apart by tabs; the header
    row is said in a warning, not read as text; a category cell merged down a group of rows
    (一、投资类) is no entry and no part of a row's text."""
    doc = parse_text(BOXED_LIST)
    m = doc.measures[0]
    rows = m.provisions()
    assert [u.eid for u in rows] == ["item_1", "item_2", "item_3"]
    assert rows[0].text == "1\t按决策程序开展股权投资，因市场变化未达预期收益的。\t可研报告"
    assert rows[1].text == "2\t因交易对手故意隐瞒重大事项造成损失的。\t追偿记录"
    assert not any("投资类" in u.text for u in rows)
    assert any("header row" in w and "容错免责事项" in w for w in doc.warnings)
    assert m.children[0].kind == "intro" and m.children[-1].text == "本清单自印发之日起施行。"


PARTS_WITH_A_PIPE_TABLE = """某市国有企业容错免责清单

一、适用范围
本清单适用于市属国有企业经营管理人员。
二、基本条件
适用本清单，应当同时具备下列条件：
1.未违反法律法规禁止性规定；
2.未谋取私利。
三、容错免责事项
表1 容错免责事项
| 序号 | 类别 | 事项 |
|------|------|------|
| 1 | 改革创新 | 在混合所有制改革中因缺乏经验出现偏差的 |
| 2 |  | 在经理层任期制改革试点中出现偏差的 |
| 3 | 投资经营 | 因被投企业隐瞒重大事项导致投资损失的 |
四、负面清单（不予容错免责事项）
有下列情形之一的，不予容错免责：
1.谋取私利的；
2.上级明令禁止后仍然实施的。
"""


def test_a_table_inside_a_part_of_a_list_gives_that_parts_entries():
    """A 清单 in parts (一、… 四、) with a Markdown table in part 三: its rows are the entries of part
    三 (第三项第二目), its caption stays with the part, the blank category cell of a continued group
    is no entry; the text under a part's heading (四、负面清单（……）) is that part's, its items
    第四项第一目 and 第四项第二目."""
    m = measure(PARTS_WITH_A_PIPE_TABLE)
    assert [u.eid for u in m.children] == ["item_1", "item_2", "item_3", "item_4"]
    part3 = m.children[2]
    assert [u.eid for u in part3.children] == ["item_3__subitem_1", "item_3__subitem_2", "item_3__subitem_3"]
    assert part3.children[1].text == "2\t在经理层任期制改革试点中出现偏差的"
    assert "表1 容错免责事项" in part3.text and "改革创新" not in part3.children[1].text
    part4 = m.children[3]
    assert part4.text.startswith("四、负面清单（不予容错免责事项）\n有下列情形之一的，不予容错免责：")
    assert [u.text for u in part4.children] == ["1.谋取私利的；", "2.上级明令禁止后仍然实施的。"]


def test_ocr_of_a_scanned_page_keeps_its_articles_and_items():
    """A scanned measure read by OCR: 笫 for 第 (笫六条之一) still opens an article, cited 第六条之一, its
    text as printed; an item whose numeral came out as a dash, (-), is numbered by its position —
    each with a warning."""
    text = ("某大学容错纠错办法\n第六条 有下列情形之一的，可以容错：\n（一）先行先试出现失误的；\n（二）其他情形。\n"
            "笫六条之一 教学科研中有下列情形之一的，可以容错：\n（一）科研探索未达预期的。\n"
            "第七条 有下列情形之一的，不予容错：\n(-)明知故犯的；\n（二）谋取私利的。\n")
    doc = parse_text(text)
    m = doc.measures[0]
    assert [a.printed for a in m.articles()] == ["第六条", "笫六条之一", "第七条"]
    assert by_ref(m, "7.2").text == "（二）谋取私利的。" and by_ref(m, "7.1").text == "(-)明知故犯的；"
    assert any("笫 read as 第" in w for w in doc.warnings)
    assert any("unreadable numeral" in w for w in doc.warnings)


def test_a_remarks_column_with_blank_cells_stays_in_its_rows():
    """A Markdown table's short remarks after the matters, some left blank, are the rows' own text,
    not category labels (a category column stands before the matters)."""
    text = ("某区容错免责事项清单\n为激励干部担当作为，制定本清单。\n"
            "| 序号 | 事项 | 备注 |\n|---|---|---|\n"
            "| 1 | 在改革试点中因缺乏经验出现偏差的 | 试行 |\n"
            "| 2 | 在招商引资中因市场变化未达预期的 |  |\n"
            "| 3 | 因不可抗力造成损失的 | 须报备 |\n")
    rows = measure(text).provisions()
    assert [u.text for u in rows] == ["1\t在改革试点中因缺乏经验出现偏差的\t试行", "2\t在招商引资中因市场变化未达预期的",
                                      "3\t因不可抗力造成损失的\t须报备"]


def test_a_gongwen_heading_with_a_note_or_put_as_a_question_is_its_sections_title_not_a_paragraph():
    """二、容错情形（共2种） and 三、怎么申请？ (a WeChat repost's headings) title their sections, as
    一、目的依据 does: the list under the first is 第二条第一款's, as its readers cite it."""
    m = measure("某开发区容错纠错办法\n一、目的依据\n为鼓励干部担当作为，制定本办法。\n二、容错情形（共2种）\n"
                "干部出现失误，属于以下情形之一的，可以容错：\n1. 在改革试点中因缺乏经验出现失误的；\n2. 其他情形。\n"
                "三、怎么申请？\n当事人可以向纪工委提出书面申请。\n")
    titles = {u.eid: u.title for u in m.units() if u.kind == "article"}
    assert titles == {"art_1": "目的依据", "art_2": "容错情形（共2种）", "art_3": "怎么申请？"}
    assert [u.eid for u in m.units() if u.eid.startswith("art_2__")] == [
        "art_2__para_1", "art_2__para_1__item_1", "art_2__para_1__item_2"]
    assert [u.text for u in m.units() if u.eid == "art_3__para_1"] == ["当事人可以向纪工委提出书面申请。"]
