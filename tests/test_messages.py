"""Errors in the user's language (issue 14): the library raises each error as one English line;
the command line says it in Chinese with the English beside it, the app in the reader's language.
Every message the code can raise has its Chinese (messages_zh.py), found by its template."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import rongcuo_kg
from rongcuo_kg.errors import BadInput
from rongcuo_kg.messages import bilingual, in_chinese, line_in, message_in
from rongcuo_kg.messages_zh import ZH

ERRORS = {"BadInput", "StoreUnavailable", "RongcuoError", "QueryTimeout"}


def _templates(node) -> list[str]:
    """The English templates an error's message is built from ("{}" where a value goes)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        return ["".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _templates(node.left) + _templates(node.right)
    if isinstance(node, ast.IfExp):
        return _templates(node.body) + _templates(node.orelse)
    return []


def raised_templates() -> dict[str, str]:
    out = {}
    root = Path(rongcuo_kg.__file__).parent
    for f in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and node.args and \
                    getattr(node.func, "id", getattr(node.func, "attr", None)) in ERRORS:
                for t in _templates(node.args[0]):
                    if t.strip("{} ;:,.()"):
                        out.setdefault(t, f"{f.relative_to(root)}:{node.lineno}")
    return out


def test_every_message_the_code_raises_has_its_chinese():
    missing = {t: where for t, where in raised_templates().items() if t not in ZH}
    assert missing == {}  # a new message brings its Chinese to messages_zh.py


def test_each_chinese_template_takes_the_same_values():
    assert [en for en, zh in ZH.items() if zh.count("{}") != en.count("{}")] == []


def test_a_message_is_put_into_chinese_with_its_values_and_its_file():
    exc = BadInput("--date must be a date YYYY-MM-DD, got 'yesterday'", "county.txt")
    assert message_in(exc, "zh") == "county.txt: --date 须为 YYYY-MM-DD 格式的日期，收到的是“yesterday”"
    assert message_in(exc, "en") == "county.txt: --date must be a date YYYY-MM-DD, got 'yesterday'"
    assert bilingual(exc) == ("county.txt: --date 须为 YYYY-MM-DD 格式的日期，收到的是“yesterday” · "
                              "--date must be a date YYYY-MM-DD, got 'yesterday'")


def test_a_message_built_of_pieces_is_put_into_chinese_piece_by_piece():
    assert in_chinese("no concept '突发'; labels containing it: emergency, urgent_task") == \
        "未找到概念“突发”；含有该词的标签：emergency, urgent_task"


def test_an_unknown_message_stays_in_english_rather_than_be_guessed():
    assert in_chinese("something nobody wrote a template for") is None
    assert line_in("cases.csv:4: something nobody wrote a template for", "zh") == \
        "cases.csv:4: something nobody wrote a template for"


def test_the_command_line_says_an_error_in_chinese_first():
    out = subprocess.run([sys.executable, "-m", "rongcuo_kg.cli", "show", "nosuchmeasure", "1"], capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    line, = out.stderr.strip().splitlines()
    zh, en = line.removeprefix("rongcuo-kg: ").split(" · ", 1)
    assert en.startswith("unknown measure 'nosuchmeasure'") and zh.startswith("未知")


def test_a_warning_is_said_in_chinese_first_after_its_file_and_the_english_beside():
    from rongcuo_kg.messages import bilingual_line

    assert bilingual_line("cases.xlsx: read sheet 'A'; other sheets ignored: B, C") == \
        "cases.xlsx: 已读取工作表“A”；已忽略其他工作表：B, C · read sheet 'A'; other sheets ignored: B, C"
    assert bilingual_line("something nobody wrote a template for") == "something nobody wrote a template for"


def test_the_warnings_the_code_gives_have_their_chinese():
    """Every warning template (a `warnings.append(...)` in the code) has its Chinese."""
    missing = []
    root = Path(rongcuo_kg.__file__).parent
    for f in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "append" \
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "warnings" and node.args:
                missing += [t for t in _templates(node.args[0]) if t.strip("{} ;:,.()") and t not in ZH]
    assert missing == []
