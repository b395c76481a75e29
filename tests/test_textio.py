"""Reading a user's file: a binary file is refused, a text file in any encoding is read."""

from __future__ import annotations

from rongcuo_kg.text.textio import _NEVER_BINARY, _is_binary_char, _looks_like_text


def test_the_fast_pass_removes_only_characters_that_are_never_binary():
    """The one-pass removal before the character-by-character check changes no verdict."""
    removed_but_binary = [c for c in range(0x110000)
                          if _NEVER_BINARY.fullmatch(chr(c)) and _is_binary_char(chr(c))]
    assert removed_but_binary == []


def test_control_characters_among_chinese_text_still_count():
    text = "第一条 为了鼓励干部担当作为，制定本办法。" * 10
    assert _looks_like_text(text)
    assert not _looks_like_text(text + "\x01\x02\x03\x04" * 20)
    assert not _looks_like_text("abc\x00def")
