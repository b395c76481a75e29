"""Read measure text files whatever their encoding, and say which encoding was read."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from rongcuo_kg.errors import BadInput


@dataclass(frozen=True)
class DecodedText:
    text: str  # line endings normalised to "\n", BOM removed
    encoding: str  # "utf-8", "utf-8-sig", "utf-16", "gb18030"


def decode_bytes(data: bytes, path: str | Path = "<bytes>") -> DecodedText:
    """Decode UTF-8 (with or without BOM), UTF-16 (with a BOM; without one, tried last), or
    GB18030/GBK.

    GB18030 accepts almost any byte string, so a decoded text that holds a NUL or is
    mostly control characters or unassigned code points is rejected as undecodable.
    """
    if not data.strip():
        raise BadInput("file is empty", path)
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = ["utf-8-sig"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8", "gb18030"]
        if len(data) % 2 == 0:  # UTF-16 saved without a BOM (some Windows tools), tried last;
            # the side of each pair that holds the NULs of ASCII characters says the byte order
            le = data[1::2].count(0) >= data[0::2].count(0)
            candidates += ["utf-16-le", "utf-16-be"] if le else ["utf-16-be", "utf-16-le"]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text) and (not encoding.startswith("utf-16-") or _mostly_chinese(text)):
            text = text.replace("\r\n", "\n").replace("\r", "\n")
            if not text.strip():
                raise BadInput("file is empty", path)
            return DecodedText(text=text, encoding=encoding)
    raise BadInput("cannot decode: not UTF-8, UTF-16 or GB18030/GBK text", path)


def read_text(path: str | Path) -> DecodedText:
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise BadInput("no such file", p) from None
    except IsADirectoryError:
        raise BadInput("is a directory, not a file", p) from None
    except OSError as exc:
        raise BadInput(f"cannot read: {exc.strerror}", p) from None
    return decode_bytes(data, p)


def _mostly_chinese(text: str) -> bool:
    """Any even byte string decodes as UTF-16; a measure or register so decoded is Chinese
    (with ASCII, CJK or full-width punctuation) throughout, and has no control characters."""
    if len(text) < 4 or any(ch < " " and ch not in "\n\r\t" for ch in text):
        return False
    cjk = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    ok = sum(1 for ch in text if ch < "\x7f" or "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef")
    return cjk >= 0.2 * len(text) and ok >= 0.95 * len(text)


# characters that are never binary (printable ASCII, whitespace, CJK ideographs, full-width
# forms, CJK punctuation: all assigned, none a control): removed in one pass before the rest is
# looked at one by one, which on a 100,000-row register took seconds
_NEVER_BINARY = re.compile("[\x20-\x7e\n\r\t\u4e00-\u9fa5\uff01-\uff5e\u3001-\u3003\u3008-\u3011]+")


def _looks_like_text(text: str) -> bool:
    if "\x00" in text:  # no text file holds a NUL (UTF-16 is decoded before this)
        return False
    bad = sum(1 for ch in _NEVER_BINARY.sub("", text) if _is_binary_char(ch))
    return bad <= max(2, len(text) // 200)


def _is_binary_char(ch: str) -> bool:
    if ch in "\n\r\t\f\v":
        return False
    cat = unicodedata.category(ch)
    return cat in ("Cc", "Cn", "Co", "Cs")


MAX_UNPACKED_RATIO = 100  # a member of a .docx/.xlsx that unpacks to more than this many times its size: a bomb


def check_zip_package(path: Path, max_unpacked: int) -> None:
    """A .docx or .xlsx is a zip of XML parts: refuse one that would unpack to more than
    `max_unpacked` bytes, or any part of which unpacks to over MAX_UNPACKED_RATIO times its packed
    size (a zip bomb), before any of it is parsed. A file that is no zip is left to its reader."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as z:
            members = z.infolist()
    except (zipfile.BadZipFile, OSError):
        return
    total = sum(m.file_size for m in members)
    if total > max_unpacked:
        raise BadInput(f"unpacks to {total / 1e6:.0f} MB, over the {max_unpacked / 1e6:.0f} MB limit", path)
    for m in members:
        if m.file_size > 1_000_000 and m.file_size > MAX_UNPACKED_RATIO * max(m.compress_size, 1):
            raise BadInput(f"part {m.filename} unpacks {m.file_size // max(m.compress_size, 1)} times its size: "
                           "refused as a zip bomb", path)
