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
from rongcuo_kg.text.furniture import furniture_line, page_marker, repeated_lines, starts_with_furniture
from rongcuo_kg.text.model import Measure, ParsedDocument, Unit, assign_identifiers
from rongcuo_kg.text.numerals import CHINESE_NUMERAL_CHARS, parse_numeral
from rongcuo_kg.text.textio import decode_bytes, read_text

_N = rf"[{CHINESE_NUMERAL_CHARS}0-9０-９]+"
_OPEN = r"[(（]"
_CLOSE = r"[)）]"

_NS = rf"{_N}(?:[ \u3000]+{_N})*"  # a numeral, perhaps printed spaced out: 第 十 二 条
# 第, and 笫 — what OCR of a scanned page makes of it (the text keeps 笫 as printed; a warning says it)
_DI = "[第笫]"
RE_PART = re.compile(rf"^{_DI}\s*({_NS})\s*编(?:[\s:：]*(.*))?$")
RE_CHAPTER = re.compile(rf"^{_DI}\s*({_NS})\s*章(?:[\s:：]*(.*))?$")
RE_SECTION = re.compile(rf"^{_DI}\s*({_NS})\s*节(?:[\s:：]*(.*))?$")
RE_ARTICLE = re.compile(rf"^{_DI}\s*({_NS})\s*条(?:\s*之\s*({_N}))?(.*)$", re.S)
RE_TOC = re.compile(r"^目\s*录$")
RE_PAGE_NUMBER = re.compile(r"(?:\s|[.…·．]{2,})\s*\d+$")

# list markers, each (kind, pattern); the group is the numeral (may be empty for "()")
LIST_MARKERS: list[tuple[str, re.Pattern[str]]] = [
    # (an unreadable numeral — "()" lost, "(-)" as OCR reads （一） — is numbered by its position)
    ("cn_paren", re.compile(rf"^{_OPEN}\s*([{CHINESE_NUMERAL_CHARS}]*|[-－—‐])\s*{_CLOSE}")),
    ("ar_paren", re.compile(rf"^{_OPEN}\s*([0-9０-９]+)\s*{_CLOSE}")),
    ("ar_dot", re.compile(r"^([0-9０-９]{1,3})\s*[.．、](?![0-9０-９])")),
    ("kan", re.compile(rf"^([{CHINESE_NUMERAL_CHARS}]{{1,3}})看")),
    ("cn_dun", re.compile(rf"^([{CHINESE_NUMERAL_CHARS}]{{1,4}})、")),
    ("circled", re.compile(r"^([①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])")),
    ("keycap", re.compile("^([0-9]{1,2})\ufe0f?\u20e3\\s*|^(🔟)\\s*")),  # 1️⃣ … 🔟 in a WeChat article
]
# bullets that number nothing: each is the next item of its list (a WeChat ❌ ✅ •, Word's Symbol-font
# "l" and "Ø" as they come out of a .docx saved as text)
_BULLET = re.compile("^(?:[•●▪◆◇■□❌✅✔☑➢➤►▶○◎★☆✦✧]\ufe0f?|[lØ§])[ \u3000]+(?=[^\\s])")
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
TERMINAL_PUNCT = "。.．；;：:！!？?…”\"」』）)"
MAX_TITLE_CHARS = 80
# the signature at the foot of a measure: the issuing body's name, then the date alone on a line
ISSUER_LINE = re.compile(r"^(?:中共|中国共产党)?[\u4e00-\u9fff（）()]{2,30}"
                         r"(?:委员会|常委会|人民政府|政府|办公室|办公厅|党组|党委|工委|纪委|监委|委|局|厅|部|集团|公司)(?:文件)?$")
DATE_LINE = re.compile(r"^[（(]?\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*(?:印发|发布|通过)?\s*[）)]?$")
RE_DOC_TYPE = re.compile(r"(办法|细则|规定|意见|制度|规则|方案|决定|条例|通知|清单|措施)[(（)）试行暂行\s]*$")


@dataclass
class Line:
    no: int  # 1-based
    text: str  # stripped of layout whitespace
    blank_before: bool
    indent: bool = False  # printed indented (a PDF or Word export marks a paragraph's start so)
    kind: str = "text"  # part chapter section article toc text list
    number: str = ""  # for structure and list lines
    printed: str = ""
    rest: str = ""
    marker: str = ""  # list marker kind
    numeral_missing: bool = False
    caption: str = ""  # an article's caption (第三条【适用范围】)
    bullet: bool = False  # printed with a bullet (dropped from the text, as layout): an item by position
    in_table: bool = False  # a row (or a group's label) of a table drawn in text (_unbox)
    columns: tuple[str, ...] = ()  # a row's column names, from the table's header (its cells are tab-parted)


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
    warnings: list[str] = []
    lines = _drop_furniture(_unrun(_unbox(_split_lines(text), path, warnings), path, warnings), path, warnings)
    for ln in lines:  # (after furniture: ▶ 往期推荐 … is told by its glyph)
        bullet = _BULLET.match(ln.text)
        if bullet and (ln.text[0] not in "lØ§" or "\u4e00" <= ln.text[bullet.end():bullet.end() + 1] <= "\u9fff"):
            ln.bullet, ln.text = True, ln.text[bullet.end():]
        if not ln.text.startswith("🔟"):  # (a keycap ten numbers an item)
            ln.text = _LEAD_GLYPH.sub("", ln.text)
    lines = _classify(_reline(lines))
    for ln in lines:
        if ln.kind in ("part", "chapter", "section", "article") and ln.text.startswith("笫"):
            warnings.append(f"{path}:{ln.no}: 笫 read as 第 (a scanned page's OCR): {ln.text[:20]}")
        if ln.numeral_missing and ln.printed.strip("()（） \u3000") in ("-", "－", "—", "‐"):
            warnings.append(f"{path}:{ln.no}: item {ln.printed} has an unreadable numeral (OCR): "
                            "numbered by its position")
    _mark_captions(lines)
    style = "statute"
    if not any(ln.kind == "article" for ln in lines):
        listed = _list_document(lines)
        if listed is not None:
            return _parse_list(lines, listed, path, encoding, measure_id, title, warnings)
        if _promote_gongwen_articles(lines):
            style = "gongwen"
        else:
            raise BadInput("no recognisable structure: no 第X条 articles and no 一、 headings", path)
    _mark_toc(lines)
    for ln in lines:
        if ln.kind == "toc":
            warnings.append(f"{path}:{ln.no}: table of contents dropped: {ln.text}")
    starts = _measure_starts(lines)
    doc_title = None
    measures: list[Measure] = []
    stem = Path(path).stem if path and not path.startswith("<") else "measure"
    for index, (start, end) in enumerate(zip(starts, starts[1:] + [len(lines)])):
        floor = starts[index - 1] + 1 if index else 0
        title_idx = _title_index(lines, start, floor)
        if title_idx is not None and title_idx > floor and _title_head(lines[title_idx - 1], lines[title_idx]):
            title_idx -= 1  # a title printed over two lines
            lines[title_idx].text += lines[title_idx + 1].text
            lines[title_idx + 1].kind = "title-tail"
        if index == 0 and title_idx is not None:
            pre = [ln.text for ln in lines[:title_idx] if ln.kind != "toc"]
            if pre:
                doc_title = pre[0]
            for ln in lines[:title_idx] if len(starts) == 1 else ():  # (a compilation's own title)
                if ln.kind != "toc":
                    warnings.append(f"{path}:{ln.no}: before the title, not read as the measure: {ln.text}")
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


# ---------------------------------------------------------------- drawn tables

_VERTICAL = "│┃║|"
_JUNCTION = "│┃║|├┤┼┬┴┌┐└┘╠╣╬╦╩╔╗╚╝╟╢╫╤╧╪╞╡┣┫╋┳┻┏┓┗┛+"
_HORIZONTAL = "─━═-=┄┈╌"
_BOX_ONLY = re.compile(f"^[\\s:\u3000{re.escape(_JUNCTION + _HORIZONTAL)}]+$")
_SERIAL = re.compile(r"^([0-9０-９]{1,3})[.．、]?$")
MAX_GROUP_CELL = 16  # a category cell merged down a group of rows (一、投资并购类) is short


def _rule(text: str) -> bool:
    """A table's border or a line between rows (┌──┬──┐, ├──┼──┤, │   ├──┤, |---|---|, +---+)."""
    return bool(_BOX_ONLY.match(text)) and any(c in text for c in _HORIZONTAL)


def _cell_line(text: str) -> bool:
    return text[:1] in _VERTICAL and sum(text.count(c) for c in _VERTICAL) >= 3


def _segments(text: str, split: str) -> list[str]:
    """A table line's pieces between its separators, without the outer border."""
    parts = re.split(f"[{re.escape(split)}]", text)
    if parts and not parts[0].strip(" \u3000"):
        parts = parts[1:]
    if parts and not parts[-1].strip(" \u3000"):
        parts = parts[:-1]
    return parts


def _joined(pieces: list[str]) -> str:
    """A cell's lines as one text: Chinese wrapped anywhere joins directly, words with a space."""
    out = ""
    for p in (p.strip(" \u3000\t") for p in pieces):
        if p:
            space = out and out[-1].isascii() and out[-1].isalnum() and p[0].isascii() and p[0].isalnum()
            out += (" " if space else "") + p
    return out


@dataclass
class _Row:
    no: int
    lines: list[list[str]]  # the row's physical lines, split into cells
    crossed: set[int] | None  # columns the rule above it crosses (None: every column, or no rule)


def _unbox(lines: list[Line], path: str, warnings: list[str]) -> list[Line]:
    """A table drawn in text (box-drawing characters as a Word or WPS export draws one, a Markdown
    pipe table, an ASCII grid) becomes one line per row: the number of its 序号 column first, then
    its cells joined by tabs — the shape of a table row the 清单 reader knows (1<TAB>事项<TAB>说明).
    A cell wrapped over several lines is joined again; the header row (the first, without a serial
    number) is dropped with a warning; a category cell merged down a group of rows (一、投资并购类)
    becomes a line of its own before the group. Rows end at the rules between them, or, in a table
    that draws none (Markdown), at each line."""
    out: list[Line] = []
    header: list[str] | None = None  # a header drawn apart, above groups that rows of its own follow
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and (_cell_line(lines[j].text) or _rule(lines[j].text)):
            j += 1
        block = lines[i:j]
        cell_lines = [ln for ln in block if _cell_line(ln.text)]
        if len(cell_lines) >= 2:
            out.extend(_table_lines(block, path, warnings, header))
            i = j
            continue
        if len(cell_lines) == 1:  # │ 序号 │ 事项名称 │ 具体情形 │ 容错免责要件 │, then a group's row
            cells = _segments(cell_lines[0].text, _VERTICAL)
            header = cells if not any(_SERIAL.match(c) for c in cells) else header
        elif not (_rule(lines[i].text) or lines[i].text[:1] in _VERTICAL):
            header = None  # out of the table
        out.append(lines[i])
        i += 1
    return out


def _table_rows(block: list[Line]) -> list[_Row]:
    rules_between = sum(1 for a, b in zip(block, block[1:]) if _cell_line(a.text) and _rule(b.text)) - 1
    by_rules = rules_between >= 2  # (a Markdown table: one rule, under its header)
    rows: list[_Row] = []
    crossed: set[int] | None = None
    open_row = False
    for ln in block:
        if _rule(ln.text):
            segments = _segments(ln.text, _JUNCTION)
            crossed = {k for k, s in enumerate(segments) if any(c in s for c in _HORIZONTAL)}
            open_row = False
            continue
        cells = _segments(ln.text, _VERTICAL)
        if open_row and by_rules:
            rows[-1].lines.append(cells)
        else:
            rows.append(_Row(ln.no, [cells], crossed if by_rules else None))
            open_row = True
        crossed = None
    return rows


def _table_lines(block: list[Line], path: str, warnings: list[str],
                 header: list[str] | None = None) -> list[Line]:
    """The rows of one table block; `header`: the column names drawn above it (apart from its
    rows, a group's full-width row between), when its own first row is not one."""
    rows = _table_rows(block)
    width = max(len(cells) for row in rows for cells in row.lines)
    texts = [[_joined([cells[k] if k < len(cells) else "" for cells in row.lines]) for k in range(width)]
             for row in rows]
    serial_col = next((k for k in range(width)
                       if sum(1 for t in texts if _SERIAL.match(t[k])) >= max(2, len(texts) // 2)), None)
    data = [r for r, t in enumerate(texts) if serial_col is not None and _SERIAL.match(t[serial_col])]

    def merged(k: int, r: int) -> bool:  # row r's cell k continues the one above (no rule crosses it)
        return rows[r].crossed is not None and k not in rows[r].crossed

    # a category column: a cell merged down its group (a drawn table says so by its rules), or,
    # where no rule tells (Markdown), short cells left blank under the first of a group — a column
    # before the one that holds the matters (the longest texts), never a column of remarks after it
    ruled = any(row.crossed is not None for row in rows)
    main_col = max(range(width), key=lambda k: sum(len(texts[r][k]) for r in data)) if data else 0
    groups = {k for k in range(width) if k != serial_col and data and (
        any(merged(k, r) for r in data) if ruled else
        (k < main_col and any(not texts[r][k] for r in data) and any(texts[r][k] for r in data)
         and all(len(texts[r][k]) <= MAX_GROUP_CELL for r in data)))}
    out: list[Line] = []

    def names(cells: list[str]) -> tuple[str, ...]:  # the names of the columns a row line keeps
        return tuple(cells[k] if k < len(cells) else "" for k in
                     ([serial_col] if serial_col is not None else [])
                     + [k for k in range(width) if k != serial_col and k not in groups])

    columns: tuple[str, ...] = names(header) if header and len(header) == width else ()
    for r, (row, cells) in enumerate(zip(rows, texts)):
        serial = _SERIAL.match(cells[serial_col]) if serial_col is not None else None
        if r == 0 and not serial:
            warnings.append(f"{path}:{row.no}: a table's header row, not read as text: "
                            + " | ".join(c for c in cells if c))
            columns = names(cells)
            continue
        for k in sorted(groups):
            if merged(k, r):
                continue  # (said with the group's first row)
            span = [r]
            while span[-1] + 1 < len(rows) and merged(k, span[-1] + 1):
                span.append(span[-1] + 1)
            label = _joined([texts[s][k] for s in span])
            if label:
                out.append(Line(no=row.no, text=label, blank_before=True, in_table=True))
        rest = [c for k, c in enumerate(cells) if c and k != serial_col and k not in groups]
        text = "\t".join(([serial.group(1)] if serial else []) + rest)
        if text:
            out.append(Line(no=row.no, text=text, blank_before=True, in_table=True, columns=columns))
    warnings.append(f"{path}:{block[0].no}: a table drawn in text, read one line per row")
    return out


# ---------------------------------------------------------------- lines


# a glyph that marks a heading or a paragraph in a WeChat article (▍一、适用范围, ◆ 第三条, 🔹 …):
# layout, like indentation, not the text
_GLYPHS = "\u2580-\u259f\u25a0-\u25ff\u2600-\u27bf\u2b00-\u2bff\U0001f300-\U0001faff\ufe0f"
_LEAD_GLYPH = re.compile(f"^[{_GLYPHS}]+[ \u3000]*(?=[^\\s{_GLYPHS}])")


def _split_lines(text: str) -> list[Line]:
    out: list[Line] = []
    blank = True
    for no, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        raw = raw.lstrip("\ufeff")
        stripped = raw.strip()
        if not stripped:
            blank = True
            continue
        out.append(Line(no=no, text=stripped, blank_before=blank, indent=raw[:1] in (" ", "\u3000", "\t")))
        blank = False
    return out


def _drop_furniture(lines: list[Line], path: str, warnings: list[str]) -> list[Line]:
    """Page markers, running heads and site furniture are not text (furniture.py); each dropped
    line is reported. A page break is not a paragraph break: the line after dropped lines is read
    as if no blank line stood before it, so a sentence the page broke continues."""
    texts = [ln.text for ln in lines]
    repeated = repeated_lines(texts, is_title=lambda t: RE_DOC_TYPE.search(t) is not None)
    first_article = next((i for i, t in enumerate(texts) if RE_ARTICLE.match(t)), len(texts))
    kept: list[Line] = []
    seen_title: set[str] = set()
    dropped_run = False
    for i, ln in enumerate(lines):
        t = ln.text
        why = None
        if page_marker(t):
            why = "page marker"
        elif furniture_line(t):
            why = "site furniture"
        elif t in repeated:
            if i < first_article and RE_DOC_TYPE.search(t) and t not in seen_title:
                seen_title.add(t)  # the title, printed again on every page as a running head
            else:
                why = "running head or repeated line"
        elif starts_with_furniture(t, repeated - seen_title):
            why = "site furniture"
        if why:
            warnings.append(f"{path}:{ln.no}: {why} dropped: {t}")
            dropped_run = True
            continue
        if dropped_run and kept:
            ln.blank_before = False
            ln.indent = ln.indent and not _open_sentence(kept[-1].text)
        dropped_run = False
        kept.append(ln)
    return kept


def _open_sentence(text: str) -> bool:
    return text[-1] not in TERMINAL_PUNCT


# a document-sharing copy runs the whole measure on one line: its page markers and its 章/节
# headings stand inline between the articles
_INLINE_PAGE_MARKER = re.compile(r"\s*(?:第\s*\d+\s*页\s*[/，,、]?\s*共\s*\d+\s*页|共\s*\d+\s*页\s*[/，,、]?\s*第\s*\d+\s*页)\s*")
_INLINE_HEADING = re.compile(rf"(?:(?<=\s)|(?<=^)|(?<=[。；;！？”]))\s*(第\s*{_N}\s*[编章节](?:\s*[^\s，。；：:、,.;第]{{1,20}})?)\s*"
                             rf"(?=第\s*{_N}\s*(?:[章节]|条))")
_INLINE_TITLE = re.compile(r"(?:^|\s)(\S{4,60}?(?:办法|细则|规定|意见|清单|措施)(?:[（(](?:试行|暂行)[）)])?)$")
MIN_RUN_ARTICLES = 3
MIN_RUN_CHARS = 300  # a line this long is text run together (a document-sharing copy), not a paragraph


def _unrun(lines: list[Line], path: str, warnings: list[str]) -> list[Line]:
    """Break a line that runs a whole measure together (three or more 第N条 on it) at its inline
    page markers (dropped, with a warning; a sentence the page broke is joined again; dropped
    too on any line of MIN_RUN_CHARS or more) and at its 章/节 headings, each printed just before
    the article or 节 it opens — a cross-reference (依照第二章规定) is never followed at once by
    第N条. A title just before the first heading gets its own line. Other lines stay as they are."""
    out: list[Line] = []
    for ln in lines:
        runs = len(_INLINE_ARTICLE.findall(ln.text)) >= MIN_RUN_ARTICLES
        if ln.in_table or (not runs and len(ln.text) < MIN_RUN_CHARS):
            out.append(ln)
            continue
        text = ln.text

        def drop(m: re.Match) -> str:
            warnings.append(f"{path}:{ln.no}: page marker dropped: {m.group(0).strip()}")
            return " " if m.start() and text[m.start() - 1] in _SENTENCE_END else ""

        text = _INLINE_PAGE_MARKER.sub(drop, text)
        if not runs:  # a long line of 公文 numbering run together: its page markers only
            out.append(Line(no=ln.no, text=text.strip(), blank_before=ln.blank_before, indent=ln.indent))
            continue
        pieces: list[str] = []
        last = 0
        for m in _INLINE_HEADING.finditer(text):
            before = text[last:m.start()].strip()
            if not pieces and before:
                t = _INLINE_TITLE.search(before)
                if t and t.start(1) > 0:
                    pieces.append(before[:t.start(1)].strip())
                    before = t.group(1)
            if before:
                pieces.append(before)
            pieces.append(re.sub(r"\s+", " ", m.group(1)).strip())
            last = m.end()
        pieces.append(text[last:].strip())
        out += [Line(no=ln.no, text=t, blank_before=ln.blank_before if k == 0 else True, indent=False)
                for k, t in enumerate(p for p in pieces if p)]
    return out


# an article number inside a line: where a copied text runs articles together
_INLINE_ARTICLE = re.compile(rf"第\s*({_NS})\s*条(?:\s*之\s*({_N}))?")
_INLINE_ITEM = re.compile(rf"(?:{_OPEN}\s*([{CHINESE_NUMERAL_CHARS}]+|[0-9０-９]+)\s*{_CLOSE}|([①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])"
                          r"|(?<![0-9０-９.．])([0-9０-９]{1,2})[.．](?![0-9０-９])"
                          r"|(?<![一二三四五六七八九十])([一二三四五六七八九十]{1,3})、)")
_SENTENCE_END = "。；;：:！!？?”」』"


def _reline(lines: list[Line]) -> list[Line]:
    """Split lines that run several articles or items together (copied from a web viewer, or a
    title run into 第一条), where the next number in sequence follows the end of a sentence:
    a cross-reference (依照本办法第五条) is never preceded by one, and its number is rarely next."""
    out: list[Line] = []
    expected = 1
    items: dict[str, int] = {}  # list kind → the number the next item of the open list takes
    for ln in lines:
        if ln.in_table:  # a table's row keeps its cells together
            out.append(ln)
            continue
        m = _TITLE_THEN_NOTE.match(ln.text) if expected == 1 else None
        if m:  # 某某办法（试行）（2020年6月18日…审议通过）第一条…: the title, its dated note, the text
            out.append(Line(no=ln.no, text=m.group(1), blank_before=ln.blank_before, indent=ln.indent))
            ln = Line(no=ln.no, text=ln.text[m.end(1):].strip(), blank_before=False, indent=True)
        pieces, expected = _split_articles(ln.text, expected)
        for k, piece in enumerate(pieces):
            if RE_ARTICLE.match(piece):
                items = {}
            out += _split_items(Line(no=ln.no, text=piece, blank_before=ln.blank_before if k == 0 else False,
                                     indent=ln.indent if k == 0 else True, bullet=ln.bullet and k == 0),
                                items, len(ln.text) >= MIN_RUN_CHARS)
    return out


_TITLE_THEN_NOTE = re.compile(r"^(.{4,60}?(?:办法|细则|规定|意见|清单|措施)(?:[（(](?:试行|暂行)[）)])?)(?=[（(]\s*\d{4}\s*年)")
_DATED_NOTE = re.compile(r"^[（(][^（）()]*\d{4}\s*年[^（）()]*[）)]")


def _split_articles(text: str, expected: int) -> tuple[list[str], int]:
    cuts = []
    for m in _INLINE_ARTICLE.finditer(text):
        num = _numeral(re.sub(r"\s+", "", m.group(1)))
        if num is None:
            continue
        if m.start() == 0:
            if num >= expected - 1:
                expected = num + 1
            continue
        before = text[: m.start()].rstrip()
        after_title = num == 1 and expected == 1 and (RE_DOC_TYPE.search(before) is not None
                                                      or _DATED_NOTE.fullmatch(before) is not None)
        sub = m.group(2) is not None and num == expected - 1
        if (num == expected or sub) and (before[-1:] in _SENTENCE_END or after_title):
            cuts.append(m.start())
            expected = num + 1 if not sub else expected
    if not cuts:
        return [text], expected
    bounds = [0] + cuts + [len(text)]
    return [text[a:b].strip() for a, b in zip(bounds, bounds[1:]) if text[a:b].strip()], expected


def _split_items(ln: Line, items: dict[str, int], run_on: bool = False) -> list[Line]:
    """Items run into their lead (…以下原则：（一）…；（二）…) or into each other, also on a line
    that continues an item broken across a page (`items`: the open lists, updated). On a line of
    text run together (`run_on`: a document-sharing copy) a space stands where a line broke: a
    marker after one starts a list (its first number) or continues one (the next number)."""
    text = ln.text
    cuts = []
    for m in _INLINE_ITEM.finditer(text):
        raw = m.group(1) or m.group(3) or m.group(4) or ""
        num = (_CIRCLED.index(m.group(2)) + 1) if m.group(2) else _numeral(raw)
        if num is None:
            continue
        if m.group(2):
            kind = "circled"
        elif m.group(3):
            kind = "ar_dot"
        elif m.group(4):
            kind = "cn_dun"  # 一、 sections of a 公文 run together
        else:
            kind = "ar" if raw[:1].isdigit() or raw[:1] in "０１２３４５６７８９" else "cn"
        if m.start() == 0:
            items[kind] = num + 1
            continue
        before = text[: m.start()].rstrip()[-1:]
        first_section = kind == "cn_dun" and num == 1 and before == "。" and kind not in items
        broke = run_on and text[m.start() - 1].isspace() and (num == 1 or items.get(kind) == num)
        if before in "：:" and num == 1 or before in "；;。" and items.get(kind) == num or first_section or broke:
            cuts.append(m.start())
            items[kind] = num + 1
    if not cuts:
        return [ln]
    bounds = [0] + cuts + [len(text)]
    return [Line(no=ln.no, text=text[a:b].strip(), blank_before=ln.blank_before if a == 0 else False,
                 indent=True) for a, b in zip(bounds, bounds[1:]) if text[a:b].strip()]


def _classify(lines: list[Line]) -> list[Line]:
    prev: Line | None = None
    in_body = False  # an article has been read: an open line before 第N条 is body text, not a title
    for ln in lines:
        t = ln.text
        before, prev = prev, ln
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
            if m and in_body and _wrapped_reference(before, ln, m.group(3)):
                m = None  # "……且符合本细则 / 第九条规定条件的": a reference the line wrap put first
            if m:
                num = _numeral(m.group(1))
                sub = _numeral(m.group(2)) if m.group(2) else None
                if num is not None and (m.group(2) is None or sub is not None):
                    in_body = True
                    ln.kind = "article"
                    ln.number = str(num) + (f"之{_to_cn(sub)}" if sub else "")
                    ln.printed = t[: m.start(3)].rstrip()
                    ln.rest = m.group(3)
                    continue
            _classify_list(ln)
    return lines


_BRACKET_CAPTION = re.compile(r"^[【\[]\s*([^】\]]{1,20}?)\s*[】\]]\s*")
_PAREN_CAPTION = re.compile(r"^[（(]\s*([^）)，。；：、,.;:]{2,16}?)\s*[）)]\s*")
_CAPTION_PUNCT = re.compile(r"[，。；：、,.;:！？!?“”\"]")
MAX_CAPTION_CHARS = 14
_CAPTION_NOTE = re.compile(r"[（(][^（()）]{1,8}[）)]$")


def _mark_captions(lines: list[Line]) -> None:
    """An article's caption is its heading, not its first paragraph: 第三条【适用范围】…,
    第三条（适用对象）…, or a short line "第二条 适用对象及实施原则" with the body on the next line.
    A bare caption is told from a short first sentence (or one broken by a hard wrap) by the
    layout of the whole text: captions are a style, kept by most articles of a measure."""
    bare = []
    articles = [i for i, ln in enumerate(lines) if ln.kind == "article"]
    for i in articles:
        ln = lines[i]
        rest = ln.rest.strip()
        m = _BRACKET_CAPTION.match(rest) or _PAREN_CAPTION.match(rest)
        if m and _numeral(m.group(1)) is None:
            ln.caption, ln.rest = m.group(1).strip(), rest[m.end():]
            continue
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        head = _heading_core(rest)
        if (2 <= len(head) <= MAX_CAPTION_CHARS and not _CAPTION_PUNCT.search(head)
                and head[-1] not in TERMINAL_PUNCT and nxt is not None and nxt.kind in ("text", "list")
                and not DATE_LINE.match(nxt.text) and not ISSUER_LINE.match(nxt.text)):
            bare.append(ln)
    if len(bare) >= 3 and len(bare) * 2 >= len(articles):
        for ln in bare:
            ln.caption, ln.rest = ln.rest.strip(), ""


def _wrapped_reference(before: Line | None, ln: Line, rest: str) -> bool:
    """A line that starts with 第N条 but continues the sentence the line before left open, the
    number run straight into the words after it (第九条规定…): a cross-reference a hard wrap put
    at the start of a line, not an article (which stands after a finished sentence, and is set
    off by a space, a caption or punctuation)."""
    return (before is not None and before.kind in ("text", "list", "article") and not ln.blank_before
            and _open_sentence(before.text) and rest[:1] != "" and not rest[:1].isspace()
            and rest[:1] not in "【[（(：:、，,.．")


def _classify_list(ln: Line) -> None:
    if ln.bullet:
        ln.kind, ln.marker, ln.number, ln.printed = "list", "bullet", "", ""
        return
    for kind, rx in LIST_MARKERS:
        m = rx.match(ln.text)
        if not m:
            continue
        numeral = m.group(1)
        if kind == "keycap":
            num: int | None = int(numeral) if numeral else 10
            if not num:
                continue
        elif kind == "circled":
            num = _CIRCLED.index(numeral) + 1
        elif kind == "cn_paren" and numeral in ("", "-", "－", "—", "‐"):
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


def _heading_core(text: str) -> str:
    """A heading less what may end it: a short note (容错情形（共10种）) or a question mark (怎么申请？,
    a heading put as the question its section answers)."""
    head = _CAPTION_NOTE.sub("", text.strip())
    return head[:-1] if head.endswith(("？", "?")) else head


def _is_heading(rest: str) -> bool:
    return len(rest) <= 40 and "。" not in rest and "，" not in rest and "," not in rest


def _numeral(s: str) -> int | None:
    try:
        n = parse_numeral(re.sub(r"\s+", "", s))
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
    window = [i for i in range(start - 1, floor - 1, -1) if lines[i].kind != "toc"][:5]
    for i in window:
        ln = lines[i]
        if ln.kind == "text" and _looks_like_title(ln.text) and RE_DOC_TYPE.search(ln.text):
            return i
    i = start - 1
    if i >= max(floor, 0) and lines[i].kind == "text" and _looks_like_title(lines[i].text):
        return i
    return None


def _title_head(first: Line, second: Line) -> bool:
    """The first half of a title broken over two lines: a short line of text just above, that
    is no 文号, date or issuer, and ends without punctuation (…干部容错纠错 / 实施办法（试行）)."""
    t = first.text
    return (first.kind == "text" and not second.blank_before and _looks_like_title(t)
            and len(t) + len(second.text) <= MAX_TITLE_CHARS and t[-1] not in "，,、：:"
            and not RE_DOC_TYPE.search(t) and not DATE_LINE.match(t) and not ISSUER_LINE.match(t)
            and not re.search(r"[〔\[［(（]\d{4}[〕\]］)）]", t) and not RE_DOC_NUMBERISH.search(t)
            and not re.search(f"[{_GLYPHS}]$", t))  # 一起来看全文👇: an editor's lead-in, not a title


RE_DOC_NUMBERISH = re.compile(r"\d+号$|[:：]")


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


# ---------------------------------------------------------------- 清单: a list, not articles

RE_LIST_TITLE = re.compile(r"清单|事项")
_TABLE_ROW = re.compile(r"^([0-9０-９]{1,3})[.．、]?[ \t\u3000]{2,}|^([0-9０-９]{1,3})[.．、]?\t")
_CLOSING = re.compile(r"^(?:说明|备注|注|附注)[:：]")
MIN_TABLE_ROWS = 3


def _list_document(lines: list[Line]) -> int | None:
    """A text without 第X条 that a 清单 or 事项 title heads is a list of matters, not a measure in
    公文 numbering: the index of its title line, else None."""
    found = [i for i, ln in enumerate(lines[:15])
             if ln.kind == "text" and _looks_like_title(ln.text) and RE_LIST_TITLE.search(ln.text)
             and RE_DOC_TYPE.search(ln.text)]
    # the list's own title (…清单) before the notice that sends it (关于印发《…清单》的通知)
    own = [i for i in found if re.search(r"清单[(（)）试行暂行\s]*$", lines[i].text) and "印发" not in lines[i].text]
    return (own or found or [None])[0]


def _numbered_across(body: list[Line]) -> str | None:
    """The marker of entries numbered on across the 一、 headings that group them (the numbers
    never restart under a new heading), else None."""
    markers = [ln.marker for ln in body if ln.kind == "list"]
    if not markers:
        return None
    top = markers[0]
    inner = next((m for m in markers if m != top), None)
    if inner is None:
        return None
    groups, numbers, seen_inner = 0, [], False
    for ln in body:
        if ln.kind != "list":
            continue
        if ln.marker == top:
            groups += 1
        elif ln.marker == inner and ln.number:
            numbers.append(int(ln.number))
            seen_inner = True
    steady = all(b == a + 1 for a, b in zip(numbers, numbers[1:]))
    return inner if seen_inner and groups >= 2 and len(numbers) > groups and steady else None


def _part_heading(text: str) -> bool:
    """An entry that is only the heading of a part of the 清单 (五、负面清单（不予容错免责事项）): a
    short line, a noun phrase — no sentence in it, not an entry "……的". The text under it is its own."""
    return "\n" not in text and len(text) <= 40 and not re.search(r"[。；;，,：:]", text) and not text.endswith("的")


def _table_in_parts(body: list[Line], rows: list[int]) -> bool:
    """Whether numbered parts outside the table stand both before its first row and after its
    last (一、… 四、[the table] 五、…): the 清单 is in parts and the rows belong to one of them."""
    outside = [i for i, ln in enumerate(body) if ln.kind == "list" and ln.marker != "table_row" and not ln.in_table]
    if not outside:
        return False
    part = body[outside[0]].marker
    return (any(i < rows[0] and body[i].marker == part for i in outside)
            and any(i > rows[-1] and body[i].marker == part for i in outside))


def _parse_list(lines: list[Line], title_idx: int, path: str, encoding: str, measure_id: str | None,
                title: str | None, warnings: list[str]) -> ParsedDocument:
    """A 清单: its entries (一、… or 1. …, or the numbered rows of a table) are items of the
    document, cited 第三项, their own entries 第三项第一目; the notice, the lead and the closing
    remarks around the list are not entries."""
    for ln in lines:  # a table's rows: "1  在招商引资中……  《某办法》第五条", "1.<TAB>事项<TAB>说明"
        if ln.kind in ("text", "list"):
            m = _TABLE_ROW.match(ln.text)
            if m:
                ln.kind, ln.marker, ln.number = "list", "table_row", str(_numeral(m.group(1) or m.group(2)))
                ln.printed = ln.text[: m.end()].rstrip()
    for ln in lines[:title_idx]:
        warnings.append(f"{path}:{ln.no}: before the title, not read as the list: {ln.text}")
    body = lines[title_idx + 1:]
    stem = Path(path).stem if path and not path.startswith("<") else "measure"
    m = Measure(id=measure_id or stem, title=title or lines[title_idx].text, children=[], numbering_style="list")
    body, m.appendix = _without_appendix(body, provisions=[i for i, ln in enumerate(body) if ln.kind == "list"])
    body, m.signature = _without_signature(body)
    # a table's numbered rows (序号 column) are the entries, whatever headings stand around it —
    # unless the 清单 is in parts (一、适用范围 … 四、事项清单 [the table] … 五、不予容错 …): then
    # they are the entries of the part that holds the table (第四项第三目); entries numbered on
    # across category headings (一、改革创新类 1.… 5. 二、投资经营类 6.…) are entries too
    rows = [i for i, ln in enumerate(body) if ln.kind == "list" and ln.marker == "table_row"]
    table = len(rows) >= MIN_TABLE_ROWS and not _table_in_parts(body, rows)
    for ln in body:
        if ln.in_table and ln.kind == "list" and ln.marker != "table_row":
            ln.kind = "text"  # a group's label drawn in the table (一、投资并购类): not a part of the 清单
    across = None if table else _numbered_across(body)
    if across:
        for ln in body:
            if ln.kind == "list" and ln.marker != across:
                ln.kind = "text"  # a category heading: not an entry
    top: str | None = "table_row" if table else across
    markers: list[str] = []
    stack: list[Unit] = []
    drawn: set[int] = set()  # the entries that are rows of a table drawn in text
    before: list[Line] = []  # unnumbered lines before the first entry …
    after: list[Line] = []  # … and after the last one (lines between entries stay in the preamble)
    # the line just before a table (its caption: 表1 容错免责事项) belongs to the part that holds it
    before_table = {i for i, ln in enumerate(body[:-1]) if ln.kind == "text" and not ln.in_table
                    and body[i + 1].in_table and not table}
    for index, ln in enumerate(body):
        if ln.in_table and ln.kind == "text" and stack:
            m.preamble.append(ln.text)  # a group's label between rows: it ends no entry, it is none
            continue
        if index in before_table and stack:
            for u in stack:
                u.text += "\n" + ln.text
            continue
        if table and ln.kind == "list" and ln.marker != "table_row":
            ln.kind = "text"  # 二、适用条件 after the table: closing remarks, not a row's sub-point
        if (table or markers[-1:] == ["table_row"]) and stack and ln.kind == "text" and ln.indent \
                and not ln.blank_before:
            for u in stack:  # a cell wrapped onto a line of its own (it starts with the tabs of the empty cells)
                u.text += "\n" + ln.text
            continue
        if ln.kind == "list" and top is None:
            top = ln.marker
        if ln.kind == "list" and (ln.marker == top or ln.marker in markers or stack):
            if after and not stack and ln.marker == top:  # more entries after loose lines: those lines
                m.preamble += [x.text for x in after]  # are no closing text
                after = []
            depth = markers.index(ln.marker) if ln.marker in markers else len(markers)
            del markers[depth:]
            del stack[depth:]
            markers.append(ln.marker)
            siblings = stack[-1].children if stack else m.children
            following = int(siblings[-1].number) + 1 if siblings else 1
            number = ln.number if ln.number and not ln.numeral_missing and int(ln.number) >= following \
                else str(following)
            if number != str(following) or ln.numeral_missing:
                warnings.append(f"{path}:{ln.no}: entry {ln.printed} is number {number} at position {following}")
            unit = Unit(kind="item" if depth == 0 else "subitem", number=number, printed=ln.printed,
                        text=ln.text, line=ln.no, numeral_missing=ln.numeral_missing, columns=ln.columns)
            siblings.append(unit)
            if ln.in_table:
                drawn.add(id(unit))  # a row of a drawn table is whole: no line after it continues it
            for u in stack:
                u.text += "\n" + ln.text
            stack.append(unit)
            continue
        if stack and not _CLOSING.match(ln.text) and ln.kind == "text" and id(stack[-1]) not in drawn and (
                _open_sentence(stack[-1].text) or _part_heading(stack[-1].text)):
            for u in stack:  # an entry's line broken by the page, its explanation under it, a part's text
                u.text += "\n" + ln.text
            continue
        if stack:
            stack, markers = [], []  # the list has ended: closing remarks
        (after if m.children else before).append(ln)
    if not m.children:
        raise BadInput("no recognisable structure: a 清单 title but no numbered entries", path)
    # the text before the entries is the list's 导语, after them its 结语 (conditions, exclusions …)
    if before:
        m.children.insert(0, Unit(kind="intro", number="1", printed="", text="\n".join(x.text for x in before),
                                  line=before[0].no))
    if after:
        m.children.append(Unit(kind="wrapup", number="1", printed="", text="\n".join(x.text for x in after),
                               line=after[0].no))
    m.first_line, m.last_line = lines[title_idx].no, lines[-1].no
    assign_identifiers(m)
    return ParsedDocument(path=path, encoding=encoding, measures=[m], warnings=warnings)


# ---------------------------------------------------------------- tree


def _build_measure(lines: list[Line], mid: str, title: str, style: str, path: str,
                   warnings: list[str]) -> Measure:
    measure = Measure(id=mid, title=title, children=[], numbering_style=style)
    lines, measure.appendix = _without_appendix(lines)
    lines, note = _without_attachment_note(lines) if measure.appendix else (lines, [])
    for text in note:
        warnings.append(f"{path}: list of attachments, not text: {text}")
    lines, measure.signature = _without_signature(lines)
    cur = _Cursor(container=measure.children)
    last_article_base = 0
    untitled: Unit | None = None  # a heading printed without its title, e.g. "第一章" alone
    for ln in lines:
        if ln.kind in ("toc", "title-tail"):
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


RE_APPENDIX = re.compile(rf"^附\s*件\s*(?:{_N})?\s*(?:[:：].*)?$|^附\s*件\s*(?:{_N})?\s+\S.{{0,40}}$")


RE_ATTACHMENT_NOTE = re.compile(r"^附\s*件\s*[:：]\s*\S")


def _without_appendix(lines: list[Line], provisions: list[int] | None = None) -> tuple[list[Line], list[str]]:
    """附件 (forms, flow charts, lists) printed after the measure are not its articles: from a
    line that is only 附件 (附件1, 附件：…) after the last article (or `provisions`) to the end."""
    if provisions is None:
        provisions = [i for i, ln in enumerate(lines) if ln.kind == "article"]
    last_article = max(provisions, default=None)
    if last_article is None:
        return lines, []
    for i in range(last_article + 1, len(lines)):
        if RE_APPENDIX.match(lines[i].text):
            if RE_ATTACHMENT_NOTE.match(lines[i].text) and any(
                    DATE_LINE.match(ln.text) for ln in lines[i + 1:i + 6]):
                continue  # 附件说明 ("附件：申请表") above the signature: the appendix follows it
            return lines[:i], [ln.text for ln in lines[i:]]
    return lines, []


def _without_attachment_note(lines: list[Line]) -> tuple[list[Line], list[str]]:
    """The 附件说明 printed between the last article and the signature is not text of that article."""
    for i in range(len(lines) - 1, max(len(lines) - 8, -1), -1):
        if RE_ATTACHMENT_NOTE.match(lines[i].text):
            return lines[:i] + lines[i + 1:], [lines[i].text]
    return lines, []


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
    article = Unit(kind="article", number=ln.number, printed=ln.printed, text=ln.text, line=ln.no,
                   title=ln.caption or None)
    cur.container.append(article)
    cur.article, cur.paragraph, cur.stack, cur.markers = article, None, [], []
    cur.last = article
    body = ln.rest.lstrip()
    body = body.lstrip(":：").lstrip() if body[:1] in (":", "：") else body
    if body and style == "gongwen" and _is_heading(body) and _heading_core(body)[-1:] not in ("", *TERMINAL_PUNCT):
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
    if ln.numeral_missing or ln.marker == "bullet":
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
