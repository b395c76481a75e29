"""The text of a measure file: plain text (any encoding textio reads), Word (.docx) or a PDF with
a text layer. A scanned PDF has no text to read: that is said, not guessed at."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import BadInput
from .textio import read_text

SUFFIXES = (".txt", ".docx", ".pdf")


@dataclass
class Extracted:
    text: str
    kind: str  # "txt", "docx", "pdf"
    encoding: str  # of a .txt; "utf-8" for what the other formats give


def extract(path: str | Path) -> Extracted:
    path = Path(path)
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
    import zipfile

    import docx

    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise BadInput(f"not a readable Word document ({type(exc).__name__})", path) from None
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:  # some measures put their items in a table
        for row in table.rows:
            lines.append(" ".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def _pdf(path: Path) -> str:
    import pypdf
    from pypdf.errors import PdfReadError

    try:
        reader = pypdf.PdfReader(str(path))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError) as exc:
        raise BadInput(f"not a readable PDF ({type(exc).__name__})", path) from None
    text = "\n".join(pages)
    if not text.strip():
        raise BadInput(f"the PDF has no text layer ({len(pages)} page(s), scanned?): "
                       "run OCR first or supply the text", path)
    return text
