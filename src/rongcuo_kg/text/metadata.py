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
from rongcuo_kg.text.parser import DATE_LINE, ISSUER_LINE as ISSUER

# 文号: 绵委办发〔2018〕25号, also printed with [ ], ［ ］, ( ), （ ） or 第25号
DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,12}[〔\[［(（]\d{4}[〕\]］)）]第?\d{1,4}号")
DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
# （2021年11月3日中共南溪区委办公室印发）, （中共墨阳市委办公室2022年6月28日修订印发）,
# （2021年4月12日中共望川区纪委常委会会议审议通过）
ISSUED_BY = re.compile(r"^[（(]\s*(?P<before>[^\d（）()]*?)\s*(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"
                       r"\s*(?P<after>[^（）()]*?)\s*(?:第\s*[\d一二三四五六七八九十]+\s*次)?\s*(?:会议)?(?:修订)?"
                       r"(?:审议通过|印发|发布|通过)")


def _date(y: str, m: str, d: str) -> str | None:
    try:
        return datetime(int(y), int(m), int(d)).strftime("%Y-%m-%d")
    except ValueError:  # not a real date: say nothing rather than something wrong
        return None


FIELD = re.compile(r"(发文机关|发布机构|成文日期|发文日期)\s*[:：]\s*(.+?)(?=\s{2,}|\u3000{2,}|[^\s]+[:：]|$)")


def issuer_of(line: str) -> str | None:
    """The issuing body (or bodies, jointly: "中共某县委办公室　某县人民政府办公室") a line names."""
    parts = [p for p in re.split(r"[\s\u3000]+", line.strip()) if p]
    if parts and all(ISSUER.match(p) for p in parts):
        return " ".join(parts)
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
    head = head[-12:] + list(measure.preamble)  # the lines just above the measure (a site's
    # furniture far above is not it), and what the parser found between title and first article
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
    for ln in head:  # a site's 信息公开 fields: 发文机关：…　成文日期：…
        for name, value in FIELD.findall(ln):
            if name in ("发文机关", "发布机构") and issuer is None:
                issuer = issuer_of(value)
            elif DATE.search(value) and date is None:
                date = _date(*DATE.search(value).groups())
            elif re.match(r"\d{4}-\d{1,2}-\d{1,2}$", value.strip()) and date is None:
                date = _date(*value.strip().split("-"))
    signers = [issuer_of(ln) for ln in foot if issuer_of(ln)]
    for ln in foot:  # the signature: the issuing body (or two, jointly) above the date
        if DATE_LINE.match(ln):
            date = date or _date(*DATE_LINE.match(ln).groups()[:3])
    if signers and issuer is None:
        issuer = " ".join(signers)
    for ln in head:
        by = ISSUED_BY.match(ln)
        if by:
            date = date or _date(by["y"], by["m"], by["d"])
            body = (by["before"] or by["after"]).strip()
            if issuer is None and body and ISSUER.match(body):
                issuer = body
        elif DATE_LINE.match(ln):
            date = date or _date(*DATE_LINE.match(ln).groups()[:3])
        elif issuer is None and issuer_of(ln) and not own_document_number(ln):
            issuer = issuer_of(ln)
    if measure.title and (issuer is None or date is None):  # a news post: "2021年8月27日，X、Y联合印发《标题》"
        said = re.compile(r"(?:(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日)?[，,]?\s*([^，,。《》]{4,60}?)"
                          r"(?:联合)?(?:印发|出台|发布)(?:了)?《" + re.escape(measure.title) + "》")
        for ln in lines:
            m = said.search(ln)
            if m:
                bodies = [b for b in re.split(r"[、和与及]", m.group(4).strip()) if b]
                if issuer is None and bodies and all(ISSUER.match(b) for b in bodies):
                    issuer = m.group(4).strip()
                if date is None and m.group(1):
                    date = _date(m.group(1), m.group(2), m.group(3))
                break
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
