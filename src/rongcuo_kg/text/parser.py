"""Parse measure text into 编/章/节/条/款/项/目, keeping every unit's text verbatim.

The parser works line by line. Layout (indentation, trailing spaces, line-ending style)
is not text and is dropped; everything else on a line is kept exactly as published,
defects included. Rules, in the words of Chinese legislative drafting:

- 编/章/节: a heading printed without its title ("第一章" alone) takes the short line
  after it as its title. A unit printed twice (two 第二条, two 第一章) is bad input.
- 款: an article's first line starts paragraph 1; a plain line after a list, or after
  another plain line, starts a new paragraph, and a list in it restarts item numbers.
- 项 and 目: the first kind of list marker met in a paragraph numbers its items; another
  kind met inside an item numbers that item's 目 (一看…七看, 1., (1), ①), nesting as
  needed. An item printed "()" has lost its numeral: it is numbered after the item
  before it (its position, in an intact list) and flagged. Numbers increase down a list:
  a numeral that repeats or goes back is replaced by the next number, with a warning.
- A compilation holds several measures: a new measure starts where article numbering
  restarts at 第一条 (or at the 第一章/第一编 before it) under a title: the title-like line
  just before. A 第一条 with no title before it is a repeated article, not a new measure.
  A 目录 (table of contents) is skipped: entries ending in a page number, and headings or
  titles printed again in the body, up to where the first entry appears again.
- 公文 numbering (一、/（一）/1./（1）) is read when a text has no 第X条 at all:
  一、 numbers articles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from rongcuo_kg.errors import BadInput
from rongcuo_kg.text.model import Measure, ParsedDocument, Unit, assign_identifiers
from rongcuo_kg.text.numerals import CHINESE_NUMERAL_CHARS, parse_numeral
from rongcuo_kg.text.textio import decode_bytes, read_text

_N = rf"[{CHINESE_NUMERAL_CHARS}0-9０-９]+"
_OPEN = r"[(（]"
_CLOSE = r"[)）]"

RE_PART = re.compile(rf"^第\s*({_N})\s*编(?:[\s:：]*(.*))?$")
RE_CHAPTER = re.compile(rf"^第\s*({_N})\s*章(?:[\s:：]*(.*))?$")
RE_SECTION = re.compile(rf"^第\s*({_N})\s*节(?:[\s:：]*(.*))?$")
RE_ARTICLE = re.compile(rf"^第\s*({_N})\s*条(?:\s*之\s*({_N}))?(.*)$", re.S)
RE_TOC = re.compile(r"^目\s*录$")
RE_PAGE_NUMBER = re.compile(r"(?:\s|[.…·．]{2,})\s*\d+$")

# list markers, each (kind, pattern); the group is the numeral (may be empty for "()")
LIST_MARKERS: list[tuple[str, re.Pattern[str]]] = [
    ("cn_paren", re.compile(rf"^{_OPEN}\s*([{CHINESE_NUMERAL_CHARS}]*)\s*{_CLOSE}")),
    ("ar_paren", re.compile(rf"^{_OPEN}\s*([0-9０-９]+)\s*{_CLOSE}")),
    ("ar_dot", re.compile(r"^([0-9０-９]{1,3})\s*[.．、](?![0-9０-９])")),
    ("kan", re.compile(rf"^([{CHINESE_NUMERAL_CHARS}]{{1,3}})看")),
    ("cn_dun", re.compile(rf"^([{CHINESE_NUMERAL_CHARS}]{{1,4}})、")),
    ("circled", re.compile(r"^([①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])")),
]
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
TERMINAL_PUNCT = "。.．；;：:！!？?…”\"」』）)"
MAX_TITLE_CHARS = 80
# the signature at the foot of a measure: the issuing body's name, then the date alone on a line
ISSUER_LINE = re.compile(r"^(?:中共|中国共产党)?[\u4e00-\u9fff（）()]{2,30}"
                         r"(?:委员会|人民政府|办公室|办公厅|党组|党委|工委|纪委|监委|局|厅)(?:文件)?$")
DATE_LINE = re.compile(r"^[（(]?\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*(?:印发|发布|通过)?\s*[）)]?$")
RE_DOC_TYPE = re.compile(r"(办法|细则|规定|意见|制度|规则|方案|决定|条例|通知)[(（)）试行暂行\s]*$")


@dataclass
class Line:
    no: int  # 1-based
    text: str  # stripped of layout whitespace
    blank_before: bool
    kind: str = "text"  # part chapter section article toc text list
    number: str = ""  # for structure and list lines
    printed: str = ""
    rest: str = ""
    marker: str = ""  # list marker kind
    numeral_missing: bool = False


@dataclass
class _Cursor:
    """Where the next line goes while building one measure."""

    container: list[Unit]  # where the next article goes
    parents: list[Unit] = field(default_factory=list)  # open part/chapter/section
    article: Unit | None = None
    paragraph: Unit | None = None
    markers: list[str] = field(default_factory=list)  # list kinds open in the paragraph
    stack: list[Unit] = field(default_factory=list)  # open item, subitem, … units
    last: Unit | None = None  # unit the last line went to (for hard-wrapped lines)


def parse_file(path: str | Path, measure_id: str | None = None, title: str | None = None,
               known_titles: dict[str, str] | None = None) -> ParsedDocument:
    decoded = read_text(path)
    return parse_text(decoded.text, str(path), decoded.encoding, measure_id, title, known_titles)


def parse_bytes(data: bytes, path: str = "<bytes>", measure_id: str | None = None,
                title: str | None = None) -> ParsedDocument:
    decoded = decode_bytes(data, path)
    return parse_text(decoded.text, path, decoded.encoding, measure_id, title)


def parse_text(text: str, path: str = "<text>", encoding: str = "utf-8",
               measure_id: str | None = None, title: str | None = None,
               known_titles: dict[str, str] | None = None) -> ParsedDocument:
    """Parse a text holding one measure or a compilation of several.

    `measure_id` names a single measure; for a compilation, ids come from
    `known_titles` (title → id) where a title matches, else `<file stem>_<n>`.
    """
    if not text.strip():
        raise BadInput("file is empty", path)
    lines = _classify(_split_lines(text))
    warnings: list[str] = []
    style = "statute"
    if not any(ln.kind == "article" for ln in lines):
        if _promote_gongwen_articles(lines):
            style = "gongwen"
        else:
            raise BadInput("no recognisable structure: no 第X条 articles and no 一、 headings", path)
    _mark_toc(lines)
    starts = _measure_starts(lines)
    doc_title = None
    measures: list[Measure] = []
    stem = Path(path).stem if path and not path.startswith("<") else "measure"
    for index, (start, end) in enumerate(zip(starts, starts[1:] + [len(lines)])):
        floor = starts[index - 1] + 1 if index else 0
        title_idx = _title_index(lines, start, floor)
        if index == 0 and title_idx is not None:
            pre = [ln.text for ln in lines[:title_idx] if ln.kind != "toc"]
            if pre:
                doc_title = pre[0]
        # lines belonging to the next measure's title end this measure early
        stop = end
        if index + 1 < len(starts):
            nxt = _title_index(lines, starts[index + 1], start)
            if nxt is not None:
                stop = nxt
        measure_title = lines[title_idx].text if title_idx is not None else (title or "")
        if title and len(starts) == 1:
            measure_title = title
        mid = _choose_id(measure_id, measure_title, known_titles, stem, index, len(starts))
        # lines between the title and the first chapter or article (a date, a 文号) are
        # the measure's preamble
        body = title_idx + 1 if title_idx is not None else (0 if index == 0 else start)
        m = _build_measure(lines[body:stop], mid, measure_title, style, path, warnings)
        m.first_line = lines[title_idx].no if title_idx is not None else lines[start].no
        m.last_line = lines[stop - 1].no
        if m.articles():
            measures.append(m)
    if not measures:
        raise BadInput("no recognisable structure: no articles found", path)
    ids = [m.id for m in measures]
    if len(set(ids)) != len(ids):
        raise BadInput(f"two measures would get the same id: {sorted(ids)}", path)
    for m in measures:
        assign_identifiers(m)
        _check_duplicates(m, path)
    return ParsedDocument(path=path, encoding=encoding, measures=measures, warnings=warnings,
                          title=doc_title if len(measures) > 1 else None)


# ---------------------------------------------------------------- lines


def _split_lines(text: str) -> list[Line]:
    out: list[Line] = []
    blank = True
    for no, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        stripped = raw.strip().lstrip("\ufeff").strip()
        if not stripped:
            blank = True
            continue
        out.append(Line(no=no, text=stripped, blank_before=blank))
        blank = False
    return out


def _classify(lines: list[Line]) -> list[Line]:
    for ln in lines:
        t = ln.text
        if RE_TOC.match(t):
            ln.kind = "toc-head"
            continue
        for kind, rx in (("part", RE_PART), ("chapter", RE_CHAPTER), ("section", RE_SECTION)):
            m = rx.match(t)
            if m and _is_heading(m.group(2) or ""):
                num = _numeral(m.group(1))
                if num is not None:
                    ln.kind, ln.number, ln.rest = kind, str(num), (m.group(2) or "")
                    ln.printed = t[: m.start(2)].strip() if m.group(2) else t
                    break
        else:
            m = RE_ARTICLE.match(t)
            if m:
                num = _numeral(m.group(1))
                sub = _numeral(m.group(2)) if m.group(2) else None
                if num is not None and (m.group(2) is None or sub is not None):
                    ln.kind = "article"
                    ln.number = str(num) + (f"之{_to_cn(sub)}" if sub else "")
                    ln.printed = t[: m.start(3)].rstrip()
                    ln.rest = m.group(3)
                    continue
            _classify_list(ln)
    return lines


def _classify_list(ln: Line) -> None:
    for kind, rx in LIST_MARKERS:
        m = rx.match(ln.text)
        if not m:
            continue
        numeral = m.group(1)
        if kind == "circled":
            num: int | None = _CIRCLED.index(numeral) + 1
        elif numeral == "" and kind == "cn_paren":
            num = None
            ln.numeral_missing = True
        else:
            num = _numeral(numeral)
            if num is None:
                continue
        ln.kind, ln.marker = "list", kind
        ln.number = str(num) if num is not None else ""
        ln.printed = m.group(0)
        return


def _is_heading(rest: str) -> bool:
    return len(rest) <= 40 and "。" not in rest and "，" not in rest and "," not in rest


def _numeral(s: str) -> int | None:
    try:
        n = parse_numeral(s)
    except ValueError:
        return None
    return n if 0 < n <= 9999 else None


def _to_cn(n: int) -> str:
    from rongcuo_kg.text.numerals import to_chinese

    return to_chinese(n)


def _promote_gongwen_articles(lines: list[Line]) -> bool:
    """In a text without 第X条, top-level 一、 lines are its articles."""
    found = False
    for ln in lines:
        if ln.kind == "list" and ln.marker == "cn_dun":
            ln.kind = "article"
            ln.rest = ln.text[len(ln.printed):]
            found = True
    return found


def _mark_toc(lines: list[Line]) -> None:
    """The lines after 目录 are table-of-contents entries up to where the body begins: an
    entry ends in a page number (or dot leaders), or is a heading or title printed again
    later in the body; the body begins where the first entry appears again."""
    for i, ln in enumerate(lines):
        if ln.kind != "toc-head":
            continue
        ln.kind = "toc"
        first: str | None = None
        for j in range(i + 1, len(lines)):
            nxt = lines[j]
            key = _toc_key(nxt.text)
            if key == first:
                break  # the body starts with the first entry's heading or title
            paged = RE_PAGE_NUMBER.search(nxt.text) and len(nxt.text) <= MAX_TITLE_CHARS
            repeated = (nxt.kind in ("part", "chapter", "section")
                        or (nxt.kind == "text" and _looks_like_title(nxt.text))) \
                and any(_toc_key(later.text) == key for later in lines[j + 1:])
            if not (paged or repeated):
                break
            nxt.kind = "toc"
            first = key if first is None else first


def _toc_key(text: str) -> str:
    """A TOC entry or heading without its page number, dot leaders and whitespace."""
    return re.sub(r"\s+", "", RE_PAGE_NUMBER.sub("", text)).rstrip(".…·．")


def _measure_starts(lines: list[Line]) -> list[int]:
    """Indices where a measure begins: article numbering restarts at 第一条 (or its 第一章
    before) under a title of its own."""
    starts: list[int] = []
    last_article = 0
    for i, ln in enumerate(lines):
        if ln.kind != "article":
            continue
        base = int(ln.number.split("之")[0])
        if base == 1 and "之" not in ln.number and (not starts or last_article >= 1):
            j = i
            while j > 0 and lines[j - 1].kind in ("part", "chapter", "section") \
                    and lines[j - 1].number == "1":
                j -= 1
            # a 第一条 with no title before it repeats an article; it starts no measure
            if not starts or (j > starts[-1]
                              and _title_index(lines, j, starts[-1] + 1) is not None):
                starts.append(j)
        last_article = base
    if not starts:
        starts = [next(i for i, ln in enumerate(lines) if ln.kind == "article")]
    # chapters before the first article of the first measure belong to it
    first = starts[0]
    while first > 0 and lines[first - 1].kind in ("part", "chapter", "section"):
        first -= 1
    starts[0] = first
    return starts


def _title_index(lines: list[Line], start: int, floor: int) -> int | None:
    """The measure's title: a title-like line naming a kind of document shortly before its
    first structural line (a date or 文号 may stand between), else the line just before."""
    window = range(start - 1, max(floor, start - 6) - 1, -1)
    for i in window:
        ln = lines[i]
        if ln.kind == "text" and _looks_like_title(ln.text) and RE_DOC_TYPE.search(ln.text):
            return i
    i = start - 1
    if i >= max(floor, 0) and lines[i].kind == "text" and _looks_like_title(lines[i].text):
        return i
    return None


def _looks_like_title(t: str) -> bool:
    return (len(t) <= MAX_TITLE_CHARS and t[-1] not in TERMINAL_PUNCT.replace("）", "").replace(")", "")
            and not RE_PAGE_NUMBER.search(t))


def _choose_id(measure_id: str | None, title: str, known: dict[str, str] | None, stem: str,
               index: int, total: int) -> str:
    if total == 1 and measure_id:
        return measure_id
    if known and title:
        key = _title_key(title)
        for known_title, mid in known.items():
            if _title_key(known_title) == key:
                return mid
    if total == 1:
        return stem
    return f"{measure_id or stem}_{index + 1}"


def _title_key(title: str) -> str:
    return re.sub(r"[\s()（）]", "", title)


# ---------------------------------------------------------------- tree


def _build_measure(lines: list[Line], mid: str, title: str, style: str, path: str,
                   warnings: list[str]) -> Measure:
    measure = Measure(id=mid, title=title, children=[], numbering_style=style)
    lines, measure.signature = _without_signature(lines)
    cur = _Cursor(container=measure.children)
    last_article_base = 0
    untitled: Unit | None = None  # a heading printed without its title, e.g. "第一章" alone
    for ln in lines:
        if ln.kind == "toc":
            continue
        heading, untitled = untitled, None
        if heading is not None and ln.kind == "text" and _is_heading(ln.text) \
                and ln.text[-1] not in TERMINAL_PUNCT:
            heading.title = re.sub(r"\s+", "", ln.text)  # its title, on the next line
            heading.text += "\n" + ln.text
            continue
        if ln.kind in ("part", "chapter", "section"):
            unit = _open_heading(measure, cur, ln)
            untitled = unit if unit.title is None else None
            continue
        if ln.kind == "article":
            base = int(ln.number.split("之")[0])
            if cur.article is not None and base < last_article_base:
                warnings.append(f"{path}:{ln.no}: {ln.printed} out of sequence, read as text")
                ln.kind = "text"
            else:
                if base > last_article_base + 1 and "之" not in ln.number:
                    warnings.append(f"{path}:{ln.no}: article numbers jump from "
                                    f"{last_article_base} to {base}")
                last_article_base = base
                _open_article(cur, ln, style)
                continue
        if cur.article is None:
            measure.preamble.append(ln.text)
            continue
        if ln.kind == "list":
            _add_list_line(cur, ln, warnings, path)
        else:
            _add_text_line(cur, ln)
    return measure


def _without_signature(lines: list[Line]) -> tuple[list[Line], list[str]]:
    """The issuing body and the date printed under the last article sign the measure; they are
    not words of that article. The block ends the text with a date-only line, above it at most
    three issuer lines."""
    end = len(lines)
    if not end or lines[-1].kind != "text" or not DATE_LINE.match(lines[-1].text):
        return lines, []
    start = end - 1
    while start > 0 and end - start <= 3 and lines[start - 1].kind == "text" \
            and ISSUER_LINE.match(lines[start - 1].text):
        start -= 1
    return lines[:start], [ln.text for ln in lines[start:end]]


def _open_heading(measure: Measure, cur: _Cursor, ln: Line) -> Unit:
    order = ("part", "chapter", "section")
    while cur.parents and order.index(cur.parents[-1].kind) >= order.index(ln.kind):
        cur.parents.pop()
    unit = Unit(kind=ln.kind, number=ln.number, printed=ln.printed, text=ln.text, line=ln.no,
                title=re.sub(r"\s+", "", ln.rest) or None)
    (cur.parents[-1].children if cur.parents else measure.children).append(unit)
    cur.parents.append(unit)
    cur.container = unit.children
    cur.article = cur.paragraph = cur.last = None
    cur.stack, cur.markers = [], []
    return unit


def _open_article(cur: _Cursor, ln: Line, style: str) -> None:
    article = Unit(kind="article", number=ln.number, printed=ln.printed, text=ln.text, line=ln.no)
    cur.container.append(article)
    cur.article, cur.paragraph, cur.stack, cur.markers = article, None, [], []
    cur.last = article
    body = ln.rest.lstrip()
    body = body.lstrip(":：").lstrip() if body[:1] in (":", "：") else body
    if body and style == "gongwen" and _is_heading(body) and body[-1] not in TERMINAL_PUNCT:
        article.title = body  # 公文 "一、总体要求": a heading, not a paragraph
        return
    if body:
        _new_paragraph(cur, body, ln.no)


def _new_paragraph(cur: _Cursor, text: str, line: int) -> Unit:
    assert cur.article is not None
    para = Unit(kind="paragraph", number=str(len(cur.article.children) + 1), printed="",
                text=text, line=line)
    cur.article.children.append(para)
    cur.paragraph, cur.stack, cur.markers, cur.last = para, [], [], para
    return para


def _add_text_line(cur: _Cursor, ln: Line) -> None:
    if cur.last is not None and not ln.blank_before and _is_continuation(cur.last):
        _append_text(cur, cur.last, ln.text)
        return
    _new_paragraph(cur, ln.text, ln.no)
    _extend_article(cur, ln.text)


def _is_continuation(unit: Unit) -> bool:
    """A hard-wrapped line continues a unit whose last line has no closing punctuation."""
    last = unit.text.rsplit("\n", 1)[-1]
    return bool(last) and last[-1] not in TERMINAL_PUNCT and unit.kind != "article"


def _append_text(cur: _Cursor, unit: Unit, text: str) -> None:
    """Add a line to a unit and to every unit above it up to the article."""
    chain = _open_units(cur)
    for u in chain[chain.index(unit):]:
        u.text += "\n" + text


def _open_units(cur: _Cursor) -> list[Unit]:
    """Open units from the deepest up to the article."""
    chain = list(reversed(cur.stack))
    if cur.paragraph is not None:
        chain.append(cur.paragraph)
    if cur.article is not None:
        chain.append(cur.article)
    return chain


def _extend_article(cur: _Cursor, text: str) -> None:
    assert cur.article is not None
    cur.article.text += "\n" + text


def _add_list_line(cur: _Cursor, ln: Line, warnings: list[str], path: str) -> None:
    if cur.paragraph is None:
        # a list straight after 第X条 with no lead sentence: a paragraph of items only
        para = Unit(kind="paragraph", number=str(len(cur.article.children) + 1), printed="",
                    text="", line=ln.no)
        cur.article.children.append(para)
        cur.paragraph, cur.stack, cur.markers = para, [], []
    # a marker kind already open returns to its level; a new kind opens a level below
    depth = cur.markers.index(ln.marker) if ln.marker in cur.markers else len(cur.markers)
    del cur.markers[depth:]
    del cur.stack[depth:]
    cur.markers.append(ln.marker)
    parent = cur.stack[-1] if cur.stack else cur.paragraph
    siblings = parent.children
    position = len(siblings) + 1
    # numbers increase down a list (so no two items share one): an item without numeral, or
    # whose numeral repeats or goes back, takes the number after the item before it
    following = int(siblings[-1].number) + 1 if siblings else 1
    if ln.numeral_missing:
        number = str(following)
    elif int(ln.number) < following:
        warnings.append(f"{path}:{ln.no}: item {ln.printed} does not follow item "
                        f"{following - 1}; numbered {following}")
        number = str(following)
    else:
        number = ln.number
        if int(number) != position:
            warnings.append(f"{path}:{ln.no}: item {ln.printed} is number {number} at position {position}")
    unit = Unit(kind="item" if depth == 0 else "subitem", number=number, printed=ln.printed,
                text=ln.text, line=ln.no, numeral_missing=ln.numeral_missing)
    siblings.append(unit)
    for u in _open_units(cur):
        u.text = (u.text + "\n" + ln.text) if u.text else ln.text
    cur.stack.append(unit)
    cur.last = unit


def _check_duplicates(measure: Measure, path: str) -> None:
    """An article, chapter, section or part printed twice would give two units one IRI."""
    seen: dict[str, Unit] = {}
    for u in measure.units():
        if u.kind in ("part", "chapter", "section", "article"):
            if u.eid in seen:
                raise BadInput(f"{u.kind} {u.printed} appears twice (also line {seen[u.eid].line})",
                               path, u.line)
            seen[u.eid] = u
