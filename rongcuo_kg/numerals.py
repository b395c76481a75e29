"""Chinese and Arabic numerals as they number articles, chapters and items."""

from __future__ import annotations

_DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "三": 3, "叁": 3,
           "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8,
           "九": 9, "玖": 9}
_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100}
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")

CHINESE_NUMERAL_CHARS = "".join(_DIGITS) + "".join(_UNITS)


def parse_numeral(text: str) -> int:
    """Parse 一 … 九百九十九 (also 十一, 一百零五, 两百) or Arabic digits (half or full width).

    Raises ValueError for anything else, so callers can treat the line as text.
    """
    s = text.strip().translate(_FULLWIDTH_DIGITS)
    if not s:
        raise ValueError("empty numeral")
    if s.isdigit():
        return int(s)
    total, current = 0, None
    for ch in s:
        if ch in _DIGITS:
            if current is not None and current != 0:
                raise ValueError(f"not a numeral: {text!r}")
            current = _DIGITS[ch]
        elif ch in _UNITS:
            unit = _UNITS[ch]
            total += (1 if current is None else current) * unit
            current = None
        else:
            raise ValueError(f"not a numeral: {text!r}")
    if current:
        total += current
    if total <= 0:
        raise ValueError(f"not a positive numeral: {text!r}")
    return total


def to_chinese(n: int) -> str:
    """Write 1 … 999 as a Chinese numeral (the inverse of parse_numeral)."""
    if not 1 <= n <= 999:
        raise ValueError(f"out of range: {n}")
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
