"""Clause references as people type them (6, 6.5, 11.p2.1, 7.2.3, 8之一, 第十一条第二款第一项)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rongcuo_kg.errors import BadInput
from rongcuo_kg.text.model import article_eid_number
from rongcuo_kg.text.numerals import CHINESE_NUMERAL_CHARS, FULLWIDTH_DIGITS, parse_numeral, to_chinese

_CN = rf"[{CHINESE_NUMERAL_CHARS}0-9]+"
_ART = rf"([0-9]+)(?:之({_CN}))?"
RE_SHORT = re.compile(rf"^{_ART}(?:\.p([0-9]+))?((?:\.[0-9]+)*)$")
RE_CHINESE = re.compile(rf"^第({_CN})条(?:之({_CN}))?(?:第({_CN})款)?(?:第[(（]?({_CN})[)）]?项)?"
                        rf"(?:第({_CN})目)?$")


_LIST_PART = {"intro": "intro", "导语": "intro", "wrapup": "wrapup", "结语": "wrapup"}


@dataclass(frozen=True)
class Ref:
    article: str  # "6", "8之一"; "" for a 清单's 导语 or 结语
    paragraph: int | None = None
    item: int | None = None
    subitems: tuple[int, ...] = ()
    part: str | None = None  # "intro" (导语) or "wrapup" (结语) of a 清单

    @property
    def subitem(self) -> int | None:
        return self.subitems[0] if self.subitems else None

    @property
    def eid(self) -> str:
        if self.part:
            return self.part
        parts = [f"art_{article_eid_number(self.article)}"]
        if self.paragraph is not None or self.item is not None:
            parts.append(f"para_{self.paragraph or 1}")
        if self.item is not None:
            parts.append(f"item_{self.item}")
        parts += [f"subitem_{s}" for s in self.subitems]
        return "__".join(parts)

    @property
    def list_eid(self) -> str:
        """The eId in a 清单, whose entries are items of the document: 3 → item_3, 3.1 →
        item_3__subitem_1 (a 清单 has no articles or 款); its 导语 and 结语: intro, wrapup."""
        if self.part:
            return self.part
        parts = [f"item_{self.article}"]
        if self.item is not None:
            parts.append(f"subitem_{self.item}")
        parts += [f"subitem_{s}" for s in self.subitems]
        return "__".join(parts)

    def __str__(self) -> str:
        if self.part:
            return self.part
        out = self.article
        para = self.paragraph
        if self.item is None:
            return out + (f".p{para}" if para is not None else "")
        if para not in (None, 1):
            out += f".p{para}"
        return ".".join([out, str(self.item)] + [str(s) for s in self.subitems])


def parse_ref(text: str) -> Ref:
    """Parse a REF; raises BadInput with the accepted forms when it is not one."""
    s = text.strip().translate(FULLWIDTH_DIGITS).replace("．", ".").replace("Ｐ", "p")
    s = s.replace("P", "p")
    try:
        part = _LIST_PART.get(s.lower())
        if part:
            return Ref(article="", part=part)
        return _parse_short(s) or _parse_chinese(s) or _bad_ref(text)
    except ValueError:  # a zero or malformed number
        return _bad_ref(text)


def _parse_short(s: str) -> Ref | None:
    m = RE_SHORT.match(s)
    if not m:
        return None
    art, sub, para, rest = m.groups()
    article = str(_positive(art)) + (f"之{_cn(sub)}" if sub else "")
    nums = [_positive(x) for x in rest.split(".") if x]
    item = nums[0] if nums else None
    return Ref(article=article, paragraph=_positive(para) if para else (1 if item else None),
               item=item, subitems=tuple(nums[1:]))


def _parse_chinese(s: str) -> Ref | None:
    m = RE_CHINESE.match(re.sub(r"\s+", "", s))
    if not m:
        return None
    art, sub, para, item, subitem = m.groups()
    article = str(parse_numeral(art)) + (f"之{_cn(sub)}" if sub else "")
    p = parse_numeral(para) if para else None
    i = parse_numeral(item) if item else None
    si = (parse_numeral(subitem),) if subitem else ()
    return Ref(article=article, paragraph=p if p else (1 if i else None), item=i, subitems=si)


def _positive(digits: str) -> int:
    n = int(digits)
    if n <= 0:
        raise ValueError(f"not a positive number: {digits}")
    return n


def _bad_ref(text: str) -> Ref:
    raise BadInput(f"not a clause reference: '{text}' (use 6, 6.5, 11.p2.1, 7.2.3, 8之一, "
                   "第十一条第二款第一项, or a 清单's intro/导语, wrapup/结语)")


def _cn(sub: str) -> str:
    return to_chinese(parse_numeral(sub))
