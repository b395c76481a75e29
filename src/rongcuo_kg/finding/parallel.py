"""法规对照: two measures side by side, as researchers know it from 北大法宝 — each provision of A
beside its counterpart in B (the correspondences of `compare`), provisions without one in their
place, the words only one side has marked; as rows for the app and as a Word (.docx) or Excel
(.xlsx) file a researcher can paste into a paper."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from rongcuo_kg.finding.finder import FinderIndex
from rongcuo_kg.graph.rdfgen import iri_citation

MARK_RGB = "C00000"  # the words only one side has: dark red, bold (and the diff's side in the app)


@dataclass
class AlignedRow:
    a: dict | None  # the clause (compare's CLAUSE object), None where A has no counterpart
    b: dict | None
    score: float | None = None  # how closely the pair corresponds (compare's score)
    shared: list[str] = field(default_factory=list)  # what the pair shares, by concept label
    diff: list[dict] = field(default_factory=list)  # compare's character diff of the pair


def citation(clause: dict, lang: str = "zh") -> str:
    """第六条第一款第五项 (a 清单's entry: 第三项; English: Art. 6 para. 1 item 5)."""
    return iri_citation(clause["iri"], lang)


def aligned_rows(index: FinderIndex, result: dict, labels: dict[str, str] | None = None) -> list[AlignedRow]:
    """compare's result as rows in A's order: each provision of A with its counterparts (one row
    per pair), an A provision without one beside nothing; each B provision without a counterpart
    after the row of the B provision before it (so B reads in its own order too)."""
    labels = labels or {}
    order = {u.iri: u.order for u in index.units}
    rows: list[AlignedRow] = []
    for p in result["pairs"]:
        shared = [labels.get(x["concept"], x["concept"]) for x in p["basis"] if x.get("concept")]
        rows.append(AlignedRow(p["a"], p["b"], p["score"], shared, p["diff"]))
    rows += [AlignedRow(c, None) for c in result["only_a"]]
    rows.sort(key=lambda r: (order.get(r.a["iri"], 0), -(r.score or 0)))
    for c in sorted(result["only_b"], key=lambda c: order.get(c["iri"], 0)):
        at = order.get(c["iri"], 0)
        before = [k for k, r in enumerate(rows) if r.b is not None and order.get(r.b["iri"], 0) < at]
        rows.insert(before[-1] + 1 if before else 0, AlignedRow(None, c))
    return rows


def diff_pieces(diff: list[dict], side: str) -> list[tuple[str, bool]]:
    """One side ("a" or "b") of compare's character diff as (piece, marked) — marked: words the
    other side does not have."""
    own = {"a": "delete", "b": "insert"}[side]
    return [(op[side], op["op"] in (own, "replace")) for op in diff if op.get(side)]


def pieces(row: AlignedRow, side: str) -> list[tuple[str, bool]]:
    """One side's text of a row as (piece, marked)."""
    clause = getattr(row, side)
    if clause is None:
        return []
    return diff_pieces(row.diff, side) if row.diff else [(clause["text"], False)]


NO_COUNTERPART = ("（无对应条款）", "(no corresponding provision)")


def _headers(titles: tuple[str, str], lang: str) -> list[str]:
    ta, tb = titles
    if lang == "en":
        return [f"{ta}: provision", f"{ta}: text", f"{tb}: provision", f"{tb}: text", "correspondence", "shared"]
    return [f"《{ta}》条款", f"《{ta}》原文", f"《{tb}》条款", f"《{tb}》原文", "相关度", "共同要素"]


def parallel_docx(rows: list[AlignedRow], titles: tuple[str, str], lang: str = "zh") -> bytes:
    """A Word document: a heading, a note on the marks, and a table — A's provision, B's, and
    what links them — the words only one side has in dark red bold."""
    from docx import Document
    from docx.shared import Pt, RGBColor

    ta, tb = titles
    zh = lang != "en"
    doc = Document()
    doc.add_heading(f"《{ta}》与《{tb}》对照" if zh else f"{ta} and {tb} side by side", level=1)
    doc.add_paragraph("红色粗体：对方条款中没有的文字。相关度：两条款对应的程度（概念与文字）。" if zh else
                      "Red bold: words the other provision does not have. Correspondence: how closely the "
                      "two provisions correspond (concepts and words).")
    table = doc.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    head = table.rows[0].cells
    head[0].text, head[1].text = f"《{ta}》" if zh else ta, f"《{tb}》" if zh else tb
    head[2].text = "对应" if zh else "correspondence"
    for row in rows:
        cells = table.add_row().cells
        for cell, side in ((cells[0], "a"), (cells[1], "b")):
            clause = getattr(row, side)
            par = cell.paragraphs[0]
            if clause is None:
                par.add_run(NO_COUNTERPART[0 if zh else 1]).italic = True
                continue
            par.add_run(citation(clause, lang) + "\n").bold = True
            for text, marked in pieces(row, side):
                run = par.add_run(text)
                if marked:
                    run.bold = True
                    run.font.color.rgb = RGBColor.from_string(MARK_RGB)
        if row.score is not None:
            cells[2].text = f"{row.score:.0%}" + (f"\n{'、'.join(row.shared)}" if row.shared else "")
    for r in table.rows:
        for c in r.cells:
            for p in c.paragraphs:
                for run in p.runs:
                    run.font.size = Pt(9)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def parallel_xlsx(rows: list[AlignedRow], titles: tuple[str, str], lang: str = "zh") -> bytes:
    """An Excel workbook: one row per aligned pair (or lone provision), the citation and the text of
    each side, the correspondence and what the pair shares; the words only one side has in dark red
    bold (rich text). Every text is a text cell: nothing in it is ever a formula."""
    from openpyxl import Workbook
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont
    from openpyxl.styles import Alignment, Font

    zh = lang != "en"
    wb = Workbook()
    ws = wb.active
    ws.title = "对照" if zh else "side by side"
    ws.append(_headers(titles, lang))
    for c in ws[1]:
        c.font = Font(bold=True)
    mark = InlineFont(b=True, color=MARK_RGB)
    for row in rows:
        values: list = []
        for side in ("a", "b"):
            clause = getattr(row, side)
            if clause is None:
                values += ["", NO_COUNTERPART[0 if zh else 1]]
                continue
            rich = CellRichText([TextBlock(mark, t) if marked else t for t, marked in pieces(row, side)])
            values += [citation(clause, lang), rich]
        values += [row.score if row.score is not None else None, "、".join(row.shared)]
        ws.append(values)
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text, even where it reads like a formula
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        if row.score is not None:
            ws.cell(ws.max_row, 5).number_format = "0%"
    for col, width in zip("ABCDEF", (18, 60, 18, 60, 10, 24)):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
