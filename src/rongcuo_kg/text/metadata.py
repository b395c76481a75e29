"""What a measure's text says about itself: title, its own 文号, the issuing body, the date.

Published copies put these in different places: a 文号 line under the title, the issuer and the
文号 on one line above it, a red header ("中共某某县委办公室文件"), a signature block (the issuing
body above the date) under the last article, a "（2021年11月3日中共南溪区委办公室印发）" line under
the title. The text also cites other documents with their 文号 ("根据《关于…的意见》（临州办发〔2018〕
20号）"): those are never this document's own. Only the lines outside the articles are read for
the 文号 and the issuer, and a 文号 that follows a cited title (《…》) is someone else's.
"""

from __future__ import annotations

import re
from datetime import datetime

from rongcuo_kg.text.furniture import COLOPHON
from rongcuo_kg.text.model import Measure
from rongcuo_kg.text.parser import ISSUER_LINE as ISSUER

# 文号: 绵委办发〔2018〕25号, also printed with [ ], ［ ］, ( ), （ ） or 第25号
DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,12}[〔\[［(（]\d{4}[〕\]］)）]第?\d{1,4}号")
DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
DATE_ONLY = re.compile(r"^[（(]?\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*(?:印发|发布|通过)?\s*[）)]?$")
ISSUED_BY = re.compile(r"^[（(]\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*(.*?)\s*(?:印发|发布)")


def _date(y: str, m: str, d: str) -> str | None:
    try:
        return datetime(int(y), int(m), int(d)).strftime("%Y-%m-%d")
    except ValueError:  # not a real date: say nothing rather than something wrong
        return None


def own_document_number(line: str) -> re.Match | None:
    """The 文号 on a line outside the articles, unless it is a cited document's (after 《…》)."""
    for m in DOC_NUMBER.finditer(line):
        before = line[: m.start()]
        if "《" in before or "》" in before:
            continue
        return m
    return None


def read_metadata(text: str, measure: Measure) -> dict:
    """Title, 文号 (`document_number`), issuer and date (YYYY-MM-DD) as the text states them;
    a key is absent where the text does not say."""
    lines = [ln.strip() for ln in text.splitlines()]
    first_article = next((u.line for u in measure.provisions()), 1)
    head = [ln for ln in lines[: max(first_article - 1, 0)] if ln]
    head = head[-12:]  # the lines just above the measure (a site's furniture far above is not it)
    foot = list(measure.signature)
    out: dict = {}
    if measure.title:
        out["title"] = measure.title
    number_line = None
    for ln in head + foot:
        m = own_document_number(ln)
        if m:
            out["document_number"] = m.group(0)
            number_line = (ln, m)
            break
    issuer = None
    if number_line:  # "中共云岭县纪委监委  云纪发〔2021〕9号"
        before = number_line[0][: number_line[1].start()].strip()
        if before and ISSUER.match(before):
            issuer = before
    date = None
    for ln in foot:  # the signature: issuing body above the date
        if DATE_ONLY.match(ln):
            date = date or _date(*DATE_ONLY.match(ln).groups()[:3])
        elif ISSUER.match(ln) and issuer is None:
            issuer = ln
    for ln in head:
        by = ISSUED_BY.match(ln)  # （2021年11月3日中共南溪区委办公室印发）
        if by:
            date = date or _date(*by.groups()[:3])
            if issuer is None and ISSUER.match(by.group(4)):
                issuer = by.group(4)
        elif DATE_ONLY.match(ln):
            date = date or _date(*DATE_ONLY.match(ln).groups()[:3])
        elif issuer is None and ISSUER.match(ln) and not own_document_number(ln):
            issuer = ln
    for ln in lines[::-1] if issuer is None or date is None else ():
        m = COLOPHON.match(ln)  # the 版记: "中共云岭县委办公室　　2023年4月3日印发"
        if m:
            issuer = issuer or (m.group(1).strip() if ISSUER.match(m.group(1).strip()) else None)
            date = date or _date(*m.groups()[1:])
            break
    if issuer:
        out["issuer"] = issuer.removesuffix("文件")  # the red header "中共某某县委办公室文件"
    if date:
        out["date"] = date
    return out
