"""The command line speaks the user's language: every command's --help in Chinese with English
beside it — each option and argument explained in Chinese — and argparse's own errors too."""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

import pytest

from rongcuo_kg.cli.main import build_parser

HAN = re.compile(r"[\u4e00-\u9fff]")


def _commands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    subs = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return {"": parser, **subs.choices}


def test_every_option_of_every_command_is_explained_in_chinese():
    """No option, argument or command is explained in English only (a new one must bring its
    Chinese to cli/bilingual.py)."""
    english_only = []
    for name, parser in _commands().items():
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                english_only += [f"{c.dest}" for c in action._choices_actions if not HAN.search(c.help or "")]
            elif action.help is not argparse.SUPPRESS and not HAN.search(action.help or ""):
                english_only.append(f"{name} {'/'.join(action.option_strings) or action.dest}")
    assert english_only == []


def test_help_and_errors_read_in_chinese_first():
    out = subprocess.run([sys.executable, "-m", "rongcuo_kg.cli", "validate", "--help"], capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 0
    assert out.stdout.startswith("用法 usage: rongcuo-kg validate")
    assert "选项 options:" in out.stdout and "显示本帮助并退出 · show this help message and exit" in out.stdout
    assert "写出 Excel 报告（.xlsx） · write an Excel report (.xlsx)" in out.stdout
    bad = subprocess.run([sys.executable, "-m", "rongcuo_kg.cli", "query", "--format", "xml"], capture_output=True,
                         text=True, timeout=60)
    assert bad.returncode == 2
    assert bad.stderr.splitlines()[-1].startswith("rongcuo-kg query: 错误 error: argument --format: 无效的选择 invalid choice")


def _in_a_terminal(*args: str) -> bytes:
    """What the command writes to a terminal (a pseudo-terminal), stdout and stderr together."""
    import os
    import pty
    import time

    pid, fd = pty.fork()
    if pid == 0:
        import fcntl
        import struct
        import termios

        fcntl.ioctl(1, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))  # a terminal's size
        os.environ.pop("RONGCUO_NO_PROGRESS", None)
        os.execv(sys.executable, [sys.executable, "-m", "rongcuo_kg.cli", *args])
    said = b""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        said += chunk
    os.waitpid(pid, 0)
    os.close(fd)
    return said


def test_long_work_shows_its_progress_on_a_terminal_only(tmp_path):
    """On a terminal, building the graph and validating a register draw a progress bar (in
    Chinese, with English beside); piped, the same commands draw none."""
    from places import PROJECT_ROOT

    register = str(PROJECT_ROOT / "tests" / "cases" / "guian.csv")
    built = _in_a_terminal("build", "--out", str(tmp_path / "g.ttl"))
    assert "生成图谱 building".encode() in built and b"/3" in built
    checked = _in_a_terminal("validate", register)
    assert "校验 validating".encode() in checked and b"/3" in checked
    piped = subprocess.run([sys.executable, "-m", "rongcuo_kg.cli", "validate", register], capture_output=True,
                           text=True, timeout=120)
    assert "校验 validating" not in piped.stderr and "it/s" not in piped.stderr


TEXT_COMMANDS = [  # what a user runs, in its text form (ids stay in --json and CSV)
    ["show", "guian", "6.5"], ["find", "防汛时来不及请示就把群众转移了，征用的仓库受了损"], ["compare", "audit", "guian"],
    ["matrix", "--kind", "situation"], ["validate", "{cases}"], ["rules", "guian"], ["shapes"],
    ["query", "exclusions"]]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("command", TEXT_COMMANDS, ids=lambda c: c[0])
def test_text_output_names_measures_clauses_and_concepts_never_their_ids(command, lang):
    """No internal identifier in what a command prints (issue 14): measures by title, clauses by
    citation, concepts, facts and kinds of link by their labels. The output is bilingual by design
    (涉及要素 concepts), so English words are allowed in either language; a measure's id is not,
    outside a file's path."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from places import DEV_CASES
    from readable import offences

    args = [str(DEV_CASES) if a == "{cases}" else a for a in command]
    out = subprocess.run([sys.executable, "-m", "rongcuo_kg.cli", *args, "--lang", lang], capture_output=True,
                         text=True, timeout=300)
    assert out.returncode in (0, 1), out.stderr
    text = re.sub(r"\S+\.(?:csv|ttl)\b|https?://\S+", " ", out.stdout + out.stderr)  # files and IRIs
    assert text.strip() and offences(text, "en") == []
    # a measure's id used as its name: before "Art", a colon or a bracket, or as a column's header
    assert not re.findall(r"(?<![A-Za-z])(?:audit|guian|enforcement)(?=\s+Art\b|[:\])]|\s{2,}|$)", text, re.M)
