"""Cells for spreadsheets (CSV and Excel reports, query results): a value a user typed into a
register or a measure — `=cmd|' /C calc'!A0` as a case id — is shown as written and never run
as a formula by the program that opens the file."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from typing import Any, Iterable

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# control characters an .xlsx cannot hold (openpyxl refuses them); shown as U+FFFD
_NOT_IN_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def csv_cell(value: Any) -> str:
    """A text cell that starts like a formula is prefixed with ' (OWASP's advice for CSV); a
    number stays a number (-3 is not a formula)."""
    if value is None:
        return ""
    if isinstance(value, (bool, int, float, Decimal)):
        return str(value)
    text = str(value)
    return "'" + text if text[:1] in FORMULA_START else text


class SafeCsvWriter:
    """csv.writer whose every cell goes through csv_cell."""

    def __init__(self, buf, **kwargs) -> None:
        kwargs.setdefault("lineterminator", "\n")
        self._w = csv.writer(buf, **kwargs)

    def writerow(self, row: Iterable[Any]) -> None:
        self._w.writerow([csv_cell(x) for x in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_text(header: list[str], rows: Iterable[Iterable[Any]]) -> str:
    buf = io.StringIO()
    w = SafeCsvWriter(buf)
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def xlsx_bytes(title: str, rows: Iterable[Iterable[Any]]) -> bytes:
    """One sheet of the rows (the first, a header). Text is stored as a text cell, verbatim (an Excel text cell is
    never evaluated, so no ' is needed); numbers and booleans keep their type. Rows stream
    (openpyxl's write-only mode), so a register of 100,000 cases is never held as cells."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title[:31] or "Sheet1")

    def cell(value: Any):
        if value is None:
            return None
        if isinstance(value, (bool, int, float)):
            return value
        c = WriteOnlyCell(ws, value=_NOT_IN_XLSX.sub("\ufffd", str(value)))
        c.data_type = "s"  # text, even where it reads like a formula
        return c

    for row in rows:
        ws.append([cell(v) for v in row])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
