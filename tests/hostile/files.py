"""Hostile files built for the tests (issue 16): XML entity bombs inside a real .docx and .xlsx,
a zip bomb, an encrypted PDF. Each is made from a genuine file of its kind, one part replaced."""

from __future__ import annotations

import zipfile
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent  # tests/

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_S = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _laughs(body: str) -> str:
    """A billion-laughs document: nine levels of ten references each."""
    entities = "".join(f'<!ENTITY lol{i} "' + ("&lol;" if i == 1 else f"&lol{i - 1};") * 10 + '">'
                       for i in range(1, 10))
    return f'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">{entities}]>{body}'


def _replace_part(src: Path, dst: Path, name: str, data: str) -> Path:
    with zipfile.ZipFile(src) as zi, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zo:
        for item in zi.infolist():
            zo.writestr(item, data if item.filename == name else zi.read(item.filename))
    return dst


def word(folder: Path) -> Path:
    import docx

    d = docx.Document()
    d.add_paragraph("第一条 为激励干部担当作为，制定本办法。")
    d.save(folder / "plain.docx")
    return folder / "plain.docx"


def docx_laughs(folder: Path) -> Path:
    body = f'<w:document xmlns:w="{_W}"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>'
    return _replace_part(word(folder), folder / "laughs.docx", "word/document.xml", _laughs(body))


def _padded(head: str, tail: str, megabytes: int) -> str:
    """A well-formed part that unpacks to `megabytes` MB of whitespace: it packs to almost nothing."""
    return f'<?xml version="1.0"?>{head}' + " " * (megabytes * 1_000_000) + tail


def docx_bomb(folder: Path, megabytes: int = 200) -> Path:
    body = _padded(f'<w:document xmlns:w="{_W}"><w:body>', "</w:body></w:document>", megabytes)
    return _replace_part(word(folder), folder / "bomb.docx", "word/document.xml", body)


def workbook(folder: Path) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "cases"
    ws.append(["case_id", "measure"])
    ws.append(["C1", "guian"])
    wb.save(folder / "plain.xlsx")
    return folder / "plain.xlsx"


def xlsx_laughs(folder: Path) -> Path:
    body = (f'<worksheet xmlns="{_S}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c>'
            "</row></sheetData></worksheet>")
    return _replace_part(workbook(folder), folder / "laughs.xlsx", "xl/worksheets/sheet1.xml", _laughs(body))


def xlsx_bomb(folder: Path, megabytes: int = 500) -> Path:
    body = _padded(f'<worksheet xmlns="{_S}"><sheetData>', "</sheetData></worksheet>", megabytes)
    return _replace_part(workbook(folder), folder / "bomb.xlsx", "xl/worksheets/sheet1.xml", body)


def locked_pdf(folder: Path) -> Path:
    import pypdf

    w = pypdf.PdfWriter()
    w.add_blank_page(200, 200)
    w.encrypt("secret", algorithm="RC4-128")
    w.write(folder / "locked.pdf")
    return folder / "locked.pdf"


def long_pdf(folder: Path, pages: int = 301) -> Path:
    """A PDF longer than any measure (blank pages: nothing to read, much to walk)."""
    import pypdf

    w = pypdf.PdfWriter()
    for _ in range(pages):
        w.add_blank_page(200, 200)
    w.write(folder / "long.pdf")
    return folder / "long.pdf"


def xlsx_external_link(folder: Path, url: str) -> Path:
    """A register whose workbook links to another workbook at `url` (an external reference part,
    as Excel writes one for ='[book.xlsx]Sheet1'!A1): the link must never be followed."""
    import csv

    import openpyxl

    cases = TESTS / "cases" / "guian.csv"
    rows = list(csv.reader(cases.open(encoding="utf-8")))[:3]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "cases"
    for row in rows:
        ws.append(row)
    plain = folder / "plain-register.xlsx"
    wb.save(plain)
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts = {
        "xl/externalLinks/externalLink1.xml":
            f'<externalLink xmlns="{_S}"><externalBook xmlns:r="{rel}" r:id="rId1"><sheetNames>'
            '<sheetName val="Sheet1"/></sheetNames></externalBook></externalLink>',
        "xl/externalLinks/_rels/externalLink1.xml.rels":
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/externalLinkPath" Target="{url}/book.xlsx" TargetMode="External"/>'
            "</Relationships>",
    }
    out = folder / "linked.xlsx"
    with zipfile.ZipFile(plain) as zi, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zo:
        for item in zi.infolist():
            data = zi.read(item.filename).decode("utf-8")
            if item.filename == "xl/workbook.xml":
                data = data.replace("<definedNames/>", f'<externalReferences><externalReference xmlns:r="{rel}" '
                                    'r:id="rId9"/></externalReferences><definedNames/>')
            elif item.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace("</Relationships>", f'<Relationship Type="{rel}/externalLink" '
                                    'Target="externalLinks/externalLink1.xml" Id="rId9"/></Relationships>')
            elif item.filename == "[Content_Types].xml":
                data = data.replace("</Types>", '<Override PartName="/xl/externalLinks/externalLink1.xml" '
                                    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
                                    'externalLink+xml"/></Types>')
            zo.writestr(item, data)
        for name, data in parts.items():
            zo.writestr(name, data)
    return out
