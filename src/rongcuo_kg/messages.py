"""An error's message in the reader's language.

The library raises its errors in English (one line each, naming file, row and field; programs
and logs read them as they are). What a person reads comes from here: the Chinese of each
message is found by its template (messages_zh.ZH: the English as the code builds it, "{}" where
a value goes → the Chinese, the same values in the same order). A message built from pieces
("no concept 'x'" + "; labels containing it: …") is put into Chinese piece by piece; a message no
template knows stays in English rather than be guessed at.
"""

from __future__ import annotations

import re
from functools import lru_cache


@lru_cache(maxsize=1)
def _templates() -> list[tuple[re.Pattern, str, str]]:
    """(pattern, Chinese template, leading literal) for each template with words of its own, the
    most specific (longest literal text) first."""
    from rongcuo_kg.messages_zh import ZH

    out = []
    for en, zh in ZH.items():
        parts = en.split("{}")
        if not any(p.strip(" ;:,.()'\"") for p in parts):
            continue
        pattern = re.compile("^" + "(.+?)".join(re.escape(p) for p in parts) + "$", re.S)
        out.append((sum(len(p) for p in parts), pattern, zh, parts[0]))
    out.sort(key=lambda t: -t[0])
    return [(p, zh, lead) for _, p, zh, lead in out]


def _fill(zh: str, values: tuple[str, ...]) -> str:
    pieces = zh.split("{}")
    return "".join(p + (values[k] if k < len(values) else "") for k, p in enumerate(pieces))


def in_chinese(message: str, _depth: int = 0) -> str | None:
    """The Chinese of an English message, or None where no template fits it."""
    for pattern, zh, _ in _templates():
        m = pattern.match(message)
        if m:
            return _fill(zh, m.groups())
    if _depth >= 3:
        return None
    # built from pieces: a known piece that starts further on ("; labels containing it: …")
    for pattern, zh, lead in _templates():
        if len(lead.strip()) < 2:
            continue
        at = message.find(lead, 1)
        if at > 0:
            head, tail = in_chinese(message[:at], _depth + 1), in_chinese(message[at:], _depth + 1)
            if head is not None and tail is not None:
                return head + tail
    return None


def _where(exc: BaseException) -> tuple[str, str]:
    """The file (and line) an error names, and its message without them."""
    path = getattr(exc, "path", None)
    if path is not None and hasattr(exc, "message"):
        line = getattr(exc, "line", None)
        return f"{path}" + (f":{line}" if line else "") + ": ", exc.message
    return "", str(exc)


def message_in(exc: BaseException, lang: str = "zh") -> str:
    """The error in one language: Chinese (English where no Chinese is known) or English."""
    where, text = _where(exc)
    if lang == "en":
        return where + text
    return where + (in_chinese(text) or text)


def bilingual(exc: BaseException) -> str:
    """The error as the command line says it: Chinese first, the English beside it."""
    where, text = _where(exc)
    zh = in_chinese(text)
    return where + (f"{zh} · {text}" if zh and zh != text else text)


def line_in(line: str, lang: str = "zh") -> str:
    """A message already written as one line, perhaps after the file (and row) it names
    ("cases.csv:4: …"): the same line in the reader's language."""
    if lang == "en":
        return line
    at = 0
    while True:
        zh = in_chinese(line[at:])
        if zh is not None:
            return line[:at] + zh
        at = line.find(": ", at) + 2
        if at < 2:
            return line


def bilingual_line(line: str) -> str:
    """A message written as one line (perhaps after its file and row), as the command line says
    it: Chinese first, the English beside it; unchanged where no Chinese is known."""
    zh = line_in(line, "zh")
    if zh == line:
        return line
    at = 0  # the file (and row) the line starts with, said once
    while at < len(line) and line[at] == zh[at]:
        at += 1
    head = line[:line.rfind(": ", 0, at) + 2] if line.rfind(": ", 0, at) >= 0 else ""
    return f"{zh} · {line[len(head):]}"
