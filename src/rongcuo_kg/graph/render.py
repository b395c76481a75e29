"""Query results as a terminal table, JSON or CSV."""

from __future__ import annotations

import json
import unicodedata
from decimal import Decimal

from rongcuo_kg.graph.store import QueryResult
from rongcuo_kg.sheets import csv_text

MAX_CELL = 48


def _plain(value) -> object:
    if isinstance(value, Decimal):
        return float(value)
    return value


def result_json(result: QueryResult) -> str:
    """The contract: {"columns": [...], "rows": [[...], ...]}."""
    return json.dumps({"columns": result.columns,
                       "rows": [[_plain(v) for v in row] for row in result.rows],
                       "truncated": result.truncated}, ensure_ascii=False, indent=2)


def result_csv(result: QueryResult) -> str:
    """Query results as CSV; a text that starts like a formula is shown as written (sheets.csv_cell)."""
    return csv_text(result.columns, result.rows)


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def clip(text: str, limit: int = MAX_CELL) -> str:
    text = text.replace("\n", " ⏎ ")
    if width(text) <= limit:
        return text
    out, w = "", 0
    for ch in text:
        cw = width(ch)
        if w + cw > limit - 1:
            break
        out, w = out + ch, w + cw
    return out + "…"


def result_table(result: QueryResult) -> str:
    """Aligned for CJK (double-width) text; long cells clipped — JSON and CSV keep them whole."""
    cells = [[clip("" if v is None else str(v)) for v in row] for row in result.rows]
    widths = [max([width(c)] + [width(r[i]) for r in cells]) for i, c in enumerate(result.columns)]

    def line(values: list[str]) -> str:
        return "  ".join(v + " " * (widths[i] - width(v)) for i, v in enumerate(values)).rstrip()

    out = [line(result.columns), line(["-" * w for w in widths])]
    out += [line(r) for r in cells]
    return "\n".join(out)
