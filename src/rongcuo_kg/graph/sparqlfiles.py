"""Named SPARQL queries kept as .rq files with a small header a reviewer can read.

Header lines (before the first non-comment line):
    # title: 中文标题 | English title
    # description: 中文 | English
    # param: NAME (iri|string|int|measure|concept) 中文 | English [default=VALUE]
    # column: NAME 中文 | English [KIND]

A query's `column` lines say what a reader is shown, in that order and under those headers: IRI
cells by their labels, and a KIND names what a plain value stands for, shown by its label —
property (a link kind's local name) or subdivision (a unit's type's local name). Columns not
declared are for programs: JSON and CSV keep every column as selected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rongcuo_kg.errors import BadInput
from rongcuo_kg.paths import QUERY_DIR

RE_PARAM = re.compile(r"^(\w+)\s*\((\w+)\)\s*(.*?)(?:\s*\[default=(.*)\])?$")
RE_COLUMN = re.compile(r"^(\w+)\s+(.*?)(?:\s*\[(property|subdivision)\])?$")


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    label_zh: str
    label_en: str
    default: str | None = None


@dataclass(frozen=True)
class Column:
    name: str
    label_zh: str
    label_en: str
    kind: str | None = None  # what a plain value stands for: property, subdivision


@dataclass(frozen=True)
class NamedQuery:
    name: str
    text: str
    title_zh: str = ""
    title_en: str = ""
    description_zh: str = ""
    description_en: str = ""
    params: tuple[Param, ...] = field(default_factory=tuple)
    columns: tuple[Column, ...] = field(default_factory=tuple)  # what a reader is shown


def _split(value: str) -> tuple[str, str]:
    zh, _, en = value.partition("|")
    return zh.strip(), en.strip()


def parse_query_file(path: Path) -> NamedQuery:
    text = path.read_text(encoding="utf-8")
    meta: dict[str, str] = {}
    params: list[Param] = []
    columns: list[Column] = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        key, _, value = line[1:].strip().partition(":")
        key, value = key.strip(), value.strip()
        if key == "param":
            m = RE_PARAM.match(value)
            if not m:
                raise BadInput(f"malformed param header: {value}", path)
            name, ptype, labels, default = m.groups()
            zh, en = _split(labels)
            params.append(Param(name, ptype, zh, en, default))
        elif key == "column":
            m = RE_COLUMN.match(value)
            if not m:
                raise BadInput(f"malformed column header: {value}", path)
            zh, en = _split(m.group(2))
            columns.append(Column(m.group(1), zh, en, m.group(3)))
        elif key in ("title", "description"):
            meta[key] = value
    tzh, ten = _split(meta.get("title", path.stem))
    dzh, den = _split(meta.get("description", ""))
    return NamedQuery(name=path.stem, text=text, title_zh=tzh, title_en=ten,
                      description_zh=dzh, description_en=den, params=tuple(params), columns=tuple(columns))


@lru_cache(maxsize=None)
def load_query(name: str) -> NamedQuery:
    path = QUERY_DIR / f"{name}.rq"
    if not path.exists():
        names = ", ".join(list_query_names())
        raise BadInput(f"unknown query '{name}'; known: {names}")
    return parse_query_file(path)


def list_query_names() -> list[str]:
    return sorted(p.stem for p in QUERY_DIR.glob("*.rq"))
