"""The parsed structure of a measure: 编/章/节/条/款/项/目 with verbatim text.

Identifiers follow the Akoma Ntoso eId convention (``art_6__para_1__item_5``) so that
an IRI reads like its citation; the short REF form (``6.5``, ``11.p2.1``, ``8之一``) is
what people type.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

KINDS = ("part", "chapter", "section", "article", "paragraph", "item", "subitem", "intro", "wrapup")
EID_PREFIX = {"part": "part", "chapter": "chp", "section": "sec", "article": "art",
              "paragraph": "para", "item": "item", "subitem": "subitem", "intro": "intro", "wrapup": "wrapup"}
ZH_KIND = {"part": "编", "chapter": "章", "section": "节", "article": "条",
           "paragraph": "款", "item": "项", "subitem": "目", "intro": "导语", "wrapup": "结语"}
# a 清单's unnumbered text before its entries (导语) and after them (结语): Akoma Ntoso's intro and
# wrapUp of a list, each one unit, eId and REF "intro" / "wrapup"
LIST_PARTS = ("intro", "wrapup")


@dataclass
class Unit:
    kind: str
    number: str  # "6", "8之一", "5"; paragraphs are numbered from "1"
    printed: str  # numbering as printed: "第六条", "(一)", "()", "一看"; "" for a paragraph
    text: str  # verbatim lines joined by "\n"; for an article or item it starts with `printed`
    line: int  # 1-based line in the source file
    children: list["Unit"] = field(default_factory=list)
    numeral_missing: bool = False
    title: str | None = None  # chapter/section/part heading, whitespace removed ("总则")
    eid: str = ""
    ref: str | None = None
    columns: tuple[str, ...] = ()  # a row of a table drawn in text: its column names (cells tab-parted)

    def walk(self) -> Iterator["Unit"]:
        yield self
        for child in self.children:
            yield from child.walk()

    def body(self) -> str:
        """The text after the unit's own printed number: what its parts reassemble to."""
        return "\n".join(c.text for c in self.children) if self.children else self.text


@dataclass
class Measure:
    id: str
    title: str
    children: list[Unit]  # parts, chapters or articles at the top level
    numbering_style: str = "statute"  # or "gongwen"
    first_line: int = 1
    last_line: int = 1
    preamble: list[str] = field(default_factory=list)
    signature: list[str] = field(default_factory=list)  # issuer and date under the last article
    appendix: list[str] = field(default_factory=list)  # 附件 after the measure: kept apart, not its text

    def units(self) -> Iterator[Unit]:
        for child in self.children:
            yield from child.walk()

    def articles(self) -> list[Unit]:
        return [u for u in self.units() if u.kind == "article"]

    def size(self, lang: str = "en") -> str:
        """How many provisions, as a reader counts them: "14 articles" / "14 条", "20 entries" / "20 项"."""
        n = len(self.provisions())
        if self.numbering_style == "list":
            return f"{n} 项" if lang == "zh" else f"{n} entries"
        return f"{n} 条" if lang == "zh" else f"{n} articles"

    def provisions(self) -> list[Unit]:
        """What the measure is made of: its articles, or a 清单's entries (numbering_style "list")."""
        if self.numbering_style == "list":
            return [u for u in self.children if u.kind == "item"]
        return self.articles()

    def counts(self) -> dict[str, int]:
        counts = {k: 0 for k in KINDS}
        for u in self.units():
            counts[u.kind] += 1
        return counts

    def by_ref(self) -> dict[str, Unit]:
        return {u.ref: u for u in self.units() if u.ref}


@dataclass
class ParsedDocument:
    path: str
    encoding: str
    measures: list[Measure]
    warnings: list[str] = field(default_factory=list)
    title: str | None = None  # a compilation's own title, if any


def article_eid_number(number: str) -> str:
    """`8之一` → `8-1`: an eId component may not hold Chinese characters."""
    from rongcuo_kg.text.numerals import parse_numeral

    if "之" in number:
        base, _, sub = number.partition("之")
        return f"{base}-{parse_numeral(sub)}"
    return number


def assign_identifiers(measure: Measure) -> None:
    """Give every unit its eId and REF from its place in the tree."""

    def visit(unit: Unit, parent_eid: str, article: Unit | None, para_no: int | None,
              item_path: list[str]) -> None:
        if unit.kind in ("part", "chapter", "section"):
            unit.eid = _join(parent_eid, f"{EID_PREFIX[unit.kind]}_{unit.number}")
            unit.ref = None
            for c in unit.children:
                visit(c, unit.eid, None, None, [])
            return
        if unit.kind == "article":
            unit.eid = f"art_{article_eid_number(unit.number)}"
            unit.ref = unit.number
            for c in unit.children:
                visit(c, unit.eid, unit, None, [])
            return
        if unit.kind == "paragraph":
            unit.eid = f"{parent_eid}__para_{unit.number}"
            unit.ref = f"{article.ref}.p{unit.number}"
            for c in unit.children:
                visit(c, unit.eid, article, int(unit.number), [])
            return
        # item or subitem (目 may nest: 1. then (1))
        unit.eid = f"{parent_eid}__{EID_PREFIX[unit.kind]}_{unit.number}"
        path = item_path + [unit.number]
        head = article.ref if para_no == 1 else f"{article.ref}.p{para_no}"
        unit.ref = ".".join([head] + path)
        for c in unit.children:
            visit(c, unit.eid, article, para_no, path)

    if measure.numbering_style == "list":  # a 清单: entries are items of the document (第三项第一目)
        def visit_entry(unit: Unit, parent_eid: str, path: list[str]) -> None:
            if unit.kind in LIST_PARTS:
                unit.eid = unit.ref = unit.kind
                return
            unit.eid = _join(parent_eid, f"{EID_PREFIX[unit.kind]}_{unit.number}")
            unit.ref = ".".join(path + [unit.number])
            for c in unit.children:
                visit_entry(c, unit.eid, path + [unit.number])

        for top in measure.children:
            visit_entry(top, "", [])
        return
    for top in measure.children:
        visit(top, "", None, None, [])


def _join(parent: str, own: str) -> str:
    return f"{parent}__{own}" if parent else own
