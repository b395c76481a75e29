"""Properties that hold for every measure, checked on generated ones.

A generated measure has random articles (numbered in Chinese or Arabic digits, spaced or
not), each with random 款; a 款 has a lead sentence (the first may have none) and random 项
printed （一）, (一) or "()" (numeral lost); a 项 may hold 目 (1. （1） ① 一看) and those
目 nested 目. Lines are hard-wrapped at random, indented with any whitespace, separated by
blank lines or not, ended by LF, CRLF or CR, and encoded in UTF-8, UTF-8 with BOM, GB18030
or UTF-16. Whatever the variant, the parse must give back exactly what was generated.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from rongcuo_kg.errors import BadInput
from rongcuo_kg.text.model import Unit
from rongcuo_kg.text.numerals import to_chinese
from rongcuo_kg.text.parser import parse_bytes, parse_text

SETTINGS = settings(max_examples=200, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# words never start a marker: no numeral characters, no 第, 看, 之
WORD_CHARS = "甲乙丙丁戊己庚辛容错纠错执法人员情形条件应当予以免责处理规定程序决策改革创新"
SPACE = ["", " ", "  ", "\t", "\u3000", "\u00a0", "\u2002"]
INDENT = ["", "  ", "\u3000\u3000", "\t", "\u00a0", "\u2002"]
LEAD_END = ["：", ":", "。", "."]
UNIT_END = ["；", ";", "。", ".", "：", "！", "？"]
SUB_KINDS = ["dot", "paren", "circled", "kan"]
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩"
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@dataclass
class Listed:
    """A 项 or 目 as generated: its own lines (the first after its marker) and its 目."""

    marker: str
    lines: list[str]
    missing: bool = False
    subs: list["Listed"] = field(default_factory=list)

    def text(self) -> str:
        return "\n".join(self.lines + [s.text() for s in self.subs])


@dataclass
class Para:
    lead: list[str]
    items: list[Listed]

    def text(self) -> str:
        return "\n".join(self.lead + [i.text() for i in self.items])


@dataclass
class Article:
    number: int
    printed: str
    sep: str
    paras: list[Para]

    def text(self) -> str:
        body = "\n".join(p.text() for p in self.paras)
        return self.printed + (self.sep if self.paras[0].lead else "\n") + body


# words of one to ten characters from WORD_CHARS
WORDS = [WORD_CHARS[i:i + n] for n in (1, 2, 3, 5, 10) for i in range(0, len(WORD_CHARS) - n, 7)]

# Hypothesis draws the shape (how many articles, 款, 项, 目; which variants) so that a failure
# shrinks to a small measure; the words and the layout come from a seeded random.Random
# (drawing them one by one would make generating ten times slower).
COUNT = {n: st.integers(0, n) for n in range(4)}
NUMBERS = st.lists(st.integers(1, 999), min_size=1, max_size=3, unique=True)
SEED = st.integers(0, 2**32)
BOOL = st.booleans()
NUM_STYLE = st.sampled_from(["chinese", "arabic", "fullwidth"])
ITEM_STYLE = st.sampled_from(["full", "half", "()", "（）"])
SUB_KIND = {used: st.sampled_from([k for k in SUB_KINDS if k not in used])
            for used in [(), *((k,) for k in SUB_KINDS)]}
EOL = st.sampled_from(["\n", "\r\n", "\r"])
ENCODING = st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"])


def sentence_lines(rnd: random.Random, wrapped: bool, ends: list[str], bare: bool = True) -> list[str]:
    """One sentence, maybe hard-wrapped: every line but the last lacks closing punctuation.
    `bare=False`: a wrapped first line is not a bare phrase — next to 第X条, a short line without
    punctuation in most articles is read as the articles' captions (parser._mark_captions)."""
    lines = [rnd.choice(WORDS) + rnd.choice(["", "，", ",", "、"] if bare else ["，", ",", "、"])] if wrapped else []
    lines.append(rnd.choice(WORDS) + rnd.choice(["", "，"]) + rnd.choice(WORDS) + rnd.choice(ends))
    return lines


def sub_marker(kind: str, n: int, variant: int) -> str:
    if kind == "dot":
        return f"{n}{'.．、'[variant % 3]}"
    if kind == "paren":
        return f"({n})" if variant % 2 else f"（{n}）"
    if kind == "circled":
        return CIRCLED[n - 1]
    return f"{to_chinese(n)}看"


def listed(draw, rnd: random.Random, marker: str, missing: bool, depth: int,
           used: tuple[str, ...]) -> Listed:
    lines = sentence_lines(rnd, draw(BOOL), UNIT_END)
    lines[0] = marker + rnd.choice(["", " ", "\u3000"]) + lines[0]
    item = Listed(marker=marker, lines=lines, missing=missing)
    n_subs = draw(COUNT[3 - depth]) if depth < 2 else 0  # 0–3 目, 0–2 nested 目
    if n_subs:
        kind = draw(SUB_KIND[used])  # a kind not used by the levels above
        variant = rnd.randrange(6)
        for n in range(1, n_subs + 1):
            item.subs.append(listed(draw, rnd, sub_marker(kind, n, variant), False, depth + 1,
                                    used + (kind,)))
    return item


def paragraph(draw, rnd: random.Random, needs_lead: bool, first: bool = False) -> Para:
    n_items = draw(COUNT[3])
    has_lead = needs_lead or n_items == 0 or draw(BOOL)
    lead = sentence_lines(rnd, draw(BOOL), LEAD_END if n_items else UNIT_END, bare=not first) if has_lead else []
    items = []
    for n in range(1, n_items + 1):
        style = draw(ITEM_STYLE)
        marker = {"full": f"（{to_chinese(n)}）", "half": f"({to_chinese(n)})"}.get(style, style)
        items.append(listed(draw, rnd, marker, style in ("()", "（）"), 0, ()))
    return Para(lead=lead, items=items)


def article(draw, rnd: random.Random, number: int) -> Article:
    num = {"chinese": to_chinese(number), "arabic": str(number),
           "fullwidth": str(number).translate(FULLWIDTH)}[draw(NUM_STYLE)]
    pad = rnd.choice(["", " ", "\u3000"])
    printed = f"第{pad}{num}{pad}条"
    paras = [paragraph(draw, rnd, needs_lead=False, first=True)]
    for _ in range(draw(COUNT[2])):
        paras.append(paragraph(draw, rnd, needs_lead=True))
    return Article(number=number, printed=printed, sep=rnd.choice(SPACE), paras=paras)


@st.composite
def measures(draw):
    """(source text, encoding, articles): a generated measure and how it is written."""
    rnd = random.Random(draw(SEED))
    articles = [article(draw, rnd, n) for n in sorted(draw(NUMBERS))]
    # logical lines: (text, may a blank line stand before it?)
    logical: list[tuple[str, bool]] = [("测试办法", True)]

    def emit_listed(item: Listed) -> None:
        logical.append((item.lines[0], True))
        logical.extend((ln, False) for ln in item.lines[1:])
        for s in item.subs:
            emit_listed(s)

    for a in articles:
        first = a.paras[0]
        if first.lead:
            logical.append((a.printed + a.sep + first.lead[0], True))
            logical.extend((ln, False) for ln in first.lead[1:])
        else:
            logical.append((a.printed, True))
        for k, p in enumerate(a.paras):
            if k:
                logical.append((p.lead[0], True))
                logical.extend((ln, False) for ln in p.lead[1:])
            for item in p.items:
                emit_listed(item)
    # layout: indentation, trailing spaces, blank lines (never inside a wrapped sentence)
    out: list[str] = []
    for text, blank_ok in logical:
        if blank_ok and out:
            out.extend(rnd.choice(["", "  ", "\u3000"]) for _ in range(rnd.randint(0, 2)))
        out.append(rnd.choice(INDENT) + text + rnd.choice(["", " ", "\u3000"]))
    eol = draw(EOL)
    return eol.join(out) + eol, draw(ENCODING), articles


def children(u: Unit, kind: str | None = None) -> list[Unit]:
    return [c for c in u.children if kind is None or c.kind == kind]


def check_listed(unit: Unit, gen: Listed, eid: str) -> None:
    assert unit.eid == eid
    assert unit.printed == gen.marker
    assert unit.numeral_missing == gen.missing
    subs = children(unit)
    assert len(subs) == len(gen.subs)
    # an item is its own line(s) and then its 目
    assert unit.text == "\n".join(gen.lines + [s.text for s in subs])
    assert unit.text == gen.text()
    for n, (s, g) in enumerate(zip(subs, gen.subs), 1):
        assert (s.kind, s.number) == ("subitem", str(n))
        check_listed(s, g, f"{eid}__subitem_{n}")


def assert_verbatim(unit: Unit, source_lines: list[str]) -> None:
    """The unit's text is its source lines from unit.line on, without layout or blank lines."""
    text_lines = unit.text.split("\n")
    following = [ln.strip() for ln in source_lines[unit.line - 1:] if ln.strip()][:len(text_lines)]
    assert text_lines[0] in source_lines[unit.line - 1]
    assert following[0].endswith(text_lines[0])
    assert text_lines[1:] == following[1:]


@SETTINGS
@given(measures())
def test_generated_measures_parse_back_to_what_was_generated(generated):
    """Counts, numbers, eIds, flags and texts of every unit are those generated; units reassemble."""
    source, encoding, articles = generated
    doc = parse_bytes(source.encode(encoding), path="gen.txt")
    assert doc.encoding == encoding
    (m,) = doc.measures
    assert m.title == "测试办法"
    got = m.articles()
    assert [a.number for a in got] == [str(a.number) for a in articles]
    source_lines = source.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for a, g in zip(got, articles):
        assert (a.printed, a.eid) == (g.printed, f"art_{g.number}")
        paras = children(a)
        assert [p.kind for p in paras] == ["paragraph"] * len(g.paras)
        # the article is its printed 第X条 and then its 款
        body = "\n".join(p.text for p in paras)
        assert a.text.endswith(body)
        assert a.text[: len(a.text) - len(body)].strip() == a.printed
        assert a.text == g.text()
        for n, (p, gp) in enumerate(zip(paras, g.paras), 1):
            assert (p.number, p.eid) == (str(n), f"art_{g.number}__para_{n}")
            items = children(p)
            assert [i.kind for i in items] == ["item"] * len(gp.items)
            # a 款 is its lead (maybe none) and then its 项
            assert p.text == "\n".join(gp.lead + [i.text for i in items])
            for k, (i, gi) in enumerate(zip(items, gp.items), 1):
                assert i.number == str(k)
                check_listed(i, gi, f"art_{g.number}__para_{n}__item_{k}")
    for u in m.units():
        assert_verbatim(u, source_lines)


# ---------------------------------------------------------------- robustness

TOKENS = ["第一条", "第二条", "第一条之一", "第十条", "第2条", "第一章", "第二章", "第一节", "第一编", "目录",
          "（一）", "(二)", "()", "（十一）", "1.", "2、", "（1）", "①", "一看", "一、", "二、", "总则",
          "容错", "实施办法", "。", "；", "：", "，", " ", "\u3000", "\u00a0", "\t", "\n", "\n",
          "\n\n", "\r", "\r\n", "甲乙", "丙丁", " 1", "……", "\ufeff"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=40).map("".join))
def test_any_text_parses_or_is_bad_input_and_units_are_verbatim(text):
    """Any text parses or raises BadInput; units have distinct eIds and lines of the source (a
    line that runs several articles or items together is split between them, never rewritten)."""
    try:
        doc = parse_text(text, path="fuzz.txt")
    except BadInput as exc:
        assert exc.path == "fuzz.txt"
        return
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    source = {ln.strip().lstrip("\ufeff").strip() for ln in lines}  # a BOM opening a line is layout
    for m in doc.measures:
        assert m.articles()
        eids = [u.eid for u in m.units()]
        assert len(eids) == len(set(eids)), "two units share an eId"
        for u in m.units():
            first, *rest = u.text.split("\n")
            assert first in lines[u.line - 1]
            assert all(ln in source or any(ln in src for src in source) for ln in rest)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_parse_or_are_bad_input(data):
    """Arbitrary bytes never crash the parser: they parse or raise BadInput naming the file."""
    try:
        parse_bytes(data, path="any.bin")
    except BadInput as exc:
        assert exc.path == "any.bin"


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_even_bytes_with_a_nul_are_utf16_chinese_or_undecodable(data):
    """Without a byte-order mark, bytes with a NUL read as UTF-16 only when the result is
    Chinese text; otherwise they are refused as "cannot decode"."""
    from rongcuo_kg.text.textio import decode_bytes

    data = data + b"\x00" * (2 - len(data) % 2 if len(data) % 2 else 2)
    assume(not data.startswith((b"\xff\xfe", b"\xfe\xff")))
    try:
        decoded = decode_bytes(data, "nul.bin")
    except BadInput as exc:
        assert exc.message.startswith(("cannot decode", "file is empty"))
        return
    assert decoded.encoding.startswith("utf-16-")
    assert sum("\u4e00" <= ch <= "\u9fff" for ch in decoded.text) >= 0.2 * len(decoded.text)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300), st.binary(max_size=300))
def test_bytes_holding_a_nul_are_undecodable(before, after):
    """Bytes with a NUL, no UTF-16 byte-order mark and an odd length (so not UTF-16 without a
    mark either) are no text: "cannot decode"."""
    data = before + b"\x00" + after
    assume(not data.startswith((b"\xff\xfe", b"\xfe\xff")) and len(data) % 2 == 1)
    with pytest.raises(BadInput) as exc:
        parse_bytes(data, path="nul.bin")
    assert exc.value.path == "nul.bin" and exc.value.message.startswith("cannot decode")
