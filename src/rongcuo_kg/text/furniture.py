"""Lines that are not the measure's text: page markers, running heads, site and app furniture.

Measures are copied from government sites (breadcrumbs, 发布时间/来源/浏览次数, 打印本页 关闭窗口,
上一篇/下一篇), document-sharing viewers (page counters, "本文档由用户上传" notices, the file name,
the site's name on every page), WeChat articles (点击上方蓝字关注, 阅读原文, 编辑/审核 lines) and
PDF exports (— 3 — footers, the title printed again at the top of every page). None of it is
law; all of it would otherwise become paragraphs, or split a sentence broken across a page.

Three tests, each on a whole line: a page marker; a line of furniture vocabulary (short, and
worded as a site or an app words it, never as a provision does); and a line printed again and
again that is not a provision (a running head or a watermark). The parser drops what they
find and reports each dropped line as a warning, so a reader can check.
"""

from __future__ import annotations

import re
from collections import Counter

PAGE_MARKERS = [
    re.compile(r"^第\s*\d+\s*页\s*[/，,、]?\s*共\s*\d+\s*页$"),  # 第 1 页 共 4 页
    re.compile(r"^共\s*\d+\s*页\s*[/，,、]?\s*第\s*\d+\s*页$"),
    re.compile(r"^[-—–－~～]+\s*\d+\s*[-—–－~～]+$"),  # — 3 —, -4-
    re.compile(r"^\d{1,3}\s*/\s*\d{1,3}$"),  # 3 / 8
    re.compile(r"^\d{1,3}$"),  # a lone page number
    re.compile(r"^[Pp](?:age)?\s*\d+(?:\s*(?:of|/)\s*\d+)?$"),
]

# what sites, viewers and apps print around a text; matched at the start of a short line
FURNITURE = re.compile(
    r"^[【\[［（(]?\s*(?:首页\s*[>＞»›]|当前位置|您的位置|您现在的位置|发布时间|发布日期|发布者|发布人|作者[:：]|信息来源|来源[:：]|浏览次数|阅读次数|点击数|"
    r"访问量|【?\s*字体|字号[:：]|打印本页|打印|关闭窗口|关闭|分享到|分享|收藏|下载文档|下载|立即下载|扫一扫|"
    r"点击上方|关注我们|长按|识别二维码|阅读原文|在看|点赞|转发|编辑[:：]|审核[:：]|责任编辑|审校|校对[:：]|"
    r"本文档由|本文档|文档|相关文档|相关阅读|相关链接|上一篇|下一篇|主办[:：]|承办[:：]|技术支持|版权所有|"
    r"抄送[:：]|原创\s|阅读\s*[0-9]|网站地图|主办单位|承办单位|主管单位|往期推荐|推荐阅读|相关推荐|热门推荐|精彩推荐|"
    r"©|Copyright|还剩.{0,6}未读|继续阅读|展开全文|阅读全文|上传人|上传者|上传时间|文档评分|格式[:：]|页数[:：]|[▶►▷]|联系我们|使用帮助|ICP|网站标识码|▲|△|图片|原标题|此件公开发布|此件不公开|此件发至|"
    r"（此件公开发布）|\(此件公开发布\))")
# a site's bar of page facts, wherever on the line: 发布者：… 发布时间：… 点击：562
FACT_BAR = re.compile(r"(?:发布时间|发布日期|浏览次数|阅读次数|点击数?|访问量)\s*[:：]\s*[\d-]+|\d{2}:\d{2}\s*发表于")
# the 版记 at the foot of a 公文: 抄送 line, and the issuing office with the print date (印发)
COLOPHON = re.compile(r"^(.{2,40}?)\s+(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*印发$")
FILE_NAME = re.compile(r"\.(?:docx?|pdf|wps|txt|xlsx?)$", re.I)
MAX_FURNITURE_CHARS = 60
# a viewer's fact bar or list of related files: furniture however long the line runs
VIEWER_LINE = re.compile(r"^(?:上传人|上传者|上传时间|相关文档|相关推荐|相关阅读|往期推荐|推荐阅读|浏览次数|下载次数|文档简介)\s*[:：]")
MAX_VIEWER_LINE_CHARS = 300
SENTENCE_ENDS = "。.．；;：:！!？?…”\"」』"
# a provision's own wording: a line that reads like one is never furniture, however short
PROVISION = re.compile(r"^(?:第\s*[一二三四五六七八九十百零〇0-9]+\s*[条章节编]|[（(]\s*[一二三四五六七八九十0-9０-９]*\s*[)）]|"
                       r"[一二三四五六七八九十]+[、看]|[0-9０-９]+\s*[.．、]|[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])")


# a line of decoration only: — ◆ —, ——END——, ★★★
DECORATION = re.compile(r"^[\s\-—–_=~·•◆◇★☆●○■□▶►◀◁▷*#|]*(?:END|End|end|完)?[\s\-—–_=~·•◆◇★☆●○■□▶►◀◁▷*#|]*$")


def page_marker(text: str) -> bool:
    return any(rx.match(text) for rx in PAGE_MARKERS)


def furniture_line(text: str) -> bool:
    """A line worded as a site, a viewer or an app words it (or a file name)."""
    if len(text) <= MAX_VIEWER_LINE_CHARS and VIEWER_LINE.match(text):
        return True
    if len(text) > MAX_FURNITURE_CHARS or PROVISION.match(text):
        return False
    return bool(FURNITURE.match(text) or FILE_NAME.search(text) or FACT_BAR.search(text) or COLOPHON.match(text)
                or DECORATION.match(text))


def starts_with_furniture(text: str, furniture: set[str]) -> bool:
    """A line that begins with a line already known as furniture (a site's name, then its
    slogan: "墨页文档 · 海量文档在线阅读")."""
    return len(text) <= MAX_FURNITURE_CHARS and not PROVISION.match(text) and any(
        text.startswith(f) and len(f) >= 2 for f in furniture)


def repeated_lines(texts: list[str], is_title=lambda text: False) -> set[str]:
    """Short lines printed three times or more (a running head, a site's name on every page, a
    watermark): provisions are not printed twice. A line printed only twice, and not ending a
    sentence, counts where a page break shows it — next to a page marker or other furniture —
    or when it is a title (`is_title`) printed again as a running head; elsewhere it may be a
    wrapped fragment of the text."""
    counts = Counter(texts)
    noise = {i for i, t in enumerate(texts) if page_marker(t) or furniture_line(t)}
    at: dict[str, list[int]] = {}
    for i, t in enumerate(texts):
        at.setdefault(t, []).append(i)
    out = set()
    for text, n in counts.items():
        if n < 2 or len(text) > MAX_FURNITURE_CHARS or PROVISION.match(text):
            continue
        if n >= 3:
            out.add(text)
        elif text[-1] not in SENTENCE_ENDS and (
                is_title(text) or any(i - 1 in noise or i + 1 in noise for i in at[text])):
            out.add(text)
    return out
