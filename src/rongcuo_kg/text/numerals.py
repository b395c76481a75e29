"""Chinese and Arabic numerals as they number articles, chapters and items."""

from __future__ import annotations

import re

_DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "三": 3, "叁": 3,
           "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8,
           "九": 9, "玖": 9}
_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
FULLWIDTH_DIGITS = _FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")

CHINESE_NUMERAL_CHARS = "".join(_DIGITS) + "".join(_UNITS)

_D = "[" + "".join(k for k, v in _DIGITS.items() if v) + "]"  # 1–9
_Z = "[零〇○]"
# d百 alone or followed by 零d or [d]十[d]; else [d]十[d]; else d:
# 一百, 一百零五, 一百一十, 二十一, 十, 九 (not 十十, 二十百, 一百一, 零五)
_RE_CHINESE = re.compile(
    rf"^(?:(?P<h>{_D})[百佰](?:{_Z}(?P<z>{_D})|(?P<ht>{_D})?(?P<hten>[十拾])(?P<ho>{_D})?)?"
    rf"|(?P<t>{_D})?(?P<ten>[十拾])(?P<o>{_D})?"
    rf"|(?P<d>{_D}))$")


def parse_numeral(text: str) -> int:
    """Parse 一 … 九千九百九十九 (also 十一, 一百零五, 两百, 一千零一十) or Arabic digits (half or
    full width).

    Chinese numerals must be well formed (千 before 百 before 十, 零 only where a place is
    skipped), so "十十", "二十百", "一百一" or "一千一" are not numerals. Raises ValueError for
    anything else, so callers can treat the line as text.
    """
    s = text.strip().translate(_FULLWIDTH_DIGITS)
    if not s:
        raise ValueError("empty numeral")
    if s.isascii() and s.isdigit():
        if int(s) == 0:
            raise ValueError(f"not a positive numeral: {text!r}")
        return int(s)
    head, sep, rest = s.partition("千") if "千" in s else s.partition("仟")
    if sep:  # d千, d千零…, d千d百…
        if len(head) != 1 or head not in _DIGITS or not _DIGITS[head]:
            raise ValueError(f"not a numeral: {text!r}")
        if not rest:
            return _DIGITS[head] * 1000
        if rest[0] in "零〇○":
            low = _below_thousand(rest[1:], text)
            if low >= 100:
                raise ValueError(f"not a numeral: {text!r}")
        else:
            low = _below_thousand(rest, text)
            if low < 100:  # 一千一十 (not written so) or 一千二 (colloquial)
                raise ValueError(f"not a numeral: {text!r}")
        return _DIGITS[head] * 1000 + low
    return _below_thousand(s, text)


def _below_thousand(s: str, text: str) -> int:
    m = _RE_CHINESE.match(s)
    if not m:
        raise ValueError(f"not a numeral: {text!r}")
    g = m.groupdict()
    total = _DIGITS[g["h"]] * 100 if g["h"] else 0
    for tens, ten in (("ht", "hten"), ("t", "ten")):
        if g[ten]:
            total += (_DIGITS[g[tens]] if g[tens] else 1) * 10
    for ones in ("z", "ho", "o", "d"):
        if g[ones]:
            total += _DIGITS[g[ones]]
    return total


def to_chinese(n: int) -> str:
    """Write 1 … 9999 as a Chinese numeral (the inverse of parse_numeral): 十一, 一百零五,
    一千零一十. A larger number is written in Arabic digits, as a text numbering that far
    would be cited; never an error, so no citation can fail."""
    if n < 1:
        raise ValueError(f"out of range: {n}")
    if n > 9999:
        return str(n)
    digits = "零一二三四五六七八九"
    thousands, rest = divmod(n, 1000)
    if thousands:
        if not rest:
            return digits[thousands] + "千"
        if rest < 100:  # 一千零五, 一千零一十
            return digits[thousands] + "千零" + ("一" + _hundreds(rest) if 10 <= rest < 20 else _hundreds(rest))
        return digits[thousands] + "千" + _hundreds(rest)
    return _hundreds(n)


def _hundreds(n: int) -> str:
    digits = "零一二三四五六七八九"
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    out = ""
    if hundreds:
        out += digits[hundreds] + "百"
        if rest and tens == 0:
            out += "零"
    if tens:
        out += ("" if tens == 1 and not hundreds else digits[tens]) + "十"
    if ones:
        out += digits[ones]
    return out
