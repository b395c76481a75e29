"""The text of a measure file: plain text (any encoding textio reads), Word (.docx) or a PDF with
a text layer. A scanned PDF has no text to read: that is said, not guessed at."""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from rongcuo_kg.errors import BadInput
from rongcuo_kg.text.textio import check_zip_package, read_text

MAX_DOCX_UNPACKED = 50_000_000  # a measure is tens of KB of XML; 50 MB unpacked is no measure
MAX_PDF_PAGES = 300  # a measure runs to a few dozen pages; a compilation of many to a few hundred

SUFFIXES = (".txt", ".docx", ".pdf")


@dataclass
class Extracted:
    text: str
    kind: str  # "txt", "docx", "pdf"
    encoding: str  # of a .txt; "utf-8" for what the other formats give
    notes: list[str] = field(default_factory=list)  # what was changed on the way (said as warnings)


# Kangxi radicals (U+2F00–U+2FD5) that a PDF's font maps its ideographs to: ⼀ for 一, ⼗ for 十.
# They are the same glyphs, not other characters of the law; NFKC gives the ideograph.
_KANGXI = re.compile("[\u2f00-\u2fd5]")


def extract(path: str | Path) -> Extracted:
    """The file's text; Kangxi radicals a PDF export left in place of ideographs are read as the
    ideographs they show (第⼀条 is 第一条), and said."""
    out = _extract(Path(path))
    found = _KANGXI.findall(out.text)
    if found:
        out.text = _KANGXI.sub(lambda m: unicodedata.normalize("NFKC", m.group(0)), out.text)
        shown = "".join(sorted(set(found)))[:20]
        out.notes.append(f"{path}: {len(found)} Kangxi radicals (a PDF's glyphs: {shown}) read as the ideographs they show")
    return out


def _extract(path: Path) -> Extracted:
    if path.is_dir():
        raise BadInput("is a folder: give the measure's file (.txt, .docx or .pdf)", path)
    if path.exists() and not path.is_file():
        raise BadInput("is not a regular file (a pipe or a device): give the measure's file", path)
    if not path.is_file():
        raise BadInput("no such file", path)
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return Extracted(_docx(path), "docx", "utf-8")
    if suffix == ".pdf":
        return Extracted(_pdf(path), "pdf", "utf-8")
    if suffix in (".txt", ""):
        decoded = read_text(path)
        return Extracted(decoded.text, "txt", decoded.encoding)
    raise BadInput(f"unsupported file type '{suffix}': use .txt, .docx or .pdf", path)


def _docx(path: Path) -> str:
    """Paragraphs and tables in the order the body holds them (some measures put their items
    in a table between two articles)."""
    import zipfile

    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    from lxml.etree import XMLSyntaxError

    check_zip_package(path, MAX_DOCX_UNPACKED)
    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError, PackageNotFoundError, XMLSyntaxError) as exc:
        raise BadInput(f"not a readable Word document ({type(exc).__name__})", path) from None
    lines = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(child, document).text)
        elif tag == "tbl":
            for row in Table(child, document).rows:
                lines.append(" ".join(cell.text for cell in row.cells))
    return "\n".join(lines)


_ENDS_SENTENCE = re.compile(r"[。；;：:！!？?」』”)）]$")
_STARTS_UNIT = re.compile(r"^\s*(第[〇零一二三四五六七八九十百千0-9]+[章节条]|[（(][〇零一二三四五六七八九十0-9]+[)）]|"
                          r"[〇零一二三四五六七八九十]+、|[0-9]+[.、．])")


def unwrap_lines(text: str) -> str:
    """A PDF breaks a paragraph wherever the page is full: a line as long as the page's lines
    that does not end a sentence runs on into the next one, unless that starts an article,
    chapter or item."""
    lines = text.split("\n")
    lengths = sorted(len(x.strip()) for x in lines if x.strip())
    if not lengths:
        return text
    full = lengths[int(0.9 * (len(lengths) - 1))]  # the width of a full line
    out: list[str] = []
    last = ""  # the previous physical line
    for line in lines:
        stripped = line.strip()
        runs_on = (out and stripped and len(last) >= full - 2 and not _ENDS_SENTENCE.search(last)
                   and not _STARTS_UNIT.match(stripped))
        if runs_on:
            out[-1] = out[-1].rstrip() + stripped
        else:
            out.append(line)
        last = stripped
    return "\n".join(out)


def _pdf(path: Path) -> str:
    import pypdf
    from pypdf.errors import PdfReadError

    quiet = logging.getLogger("pypdf")  # its warnings on a damaged file are not for the user
    level = quiet.level
    quiet.setLevel(logging.ERROR + 10)
    from pypdf.errors import PyPdfError

    try:
        reader = pypdf.PdfReader(str(path))
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")  # encrypted with an empty password: readable as is
            except (PyPdfError, NotImplementedError):
                opened = 0
            if not opened:
                raise BadInput("the PDF is encrypted: save a copy without a password (or its text) and add that",
                               path)
        if len(reader.pages) > MAX_PDF_PAGES:
            raise BadInput(f"the PDF has {len(reader.pages)} pages, over the {MAX_PDF_PAGES} a measure may have",
                           path)
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, PyPdfError, ValueError, KeyError) as exc:
        raise BadInput(f"not a readable PDF ({type(exc).__name__})", path) from None
    finally:
        quiet.setLevel(level)
    text = unwrap_lines("\n".join(pages))
    if not text.strip():
        raise BadInput(f"the PDF has no text layer ({len(pages)} page(s), scanned?): "
                       "run OCR first or supply the text", path)
    return text
