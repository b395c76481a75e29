"""Numerals as they number 编/章/节/条/项/目: Chinese up to 九百九十九, Arabic digits."""

from __future__ import annotations

import pytest

from rongcuo_kg.text.numerals import parse_numeral, to_chinese


@pytest.mark.parametrize("text, value", [
    ("一", 1), ("九", 9), ("十", 10), ("十一", 11), ("十九", 19), ("二十", 20),
    ("二十一", 21), ("九十九", 99), ("一百", 100), ("一百零一", 101), ("一百零五", 105),
    ("一百一十", 110), ("一百一十一", 111), ("两百", 200), ("二百〇三", 203),
    ("九百九十九", 999),
])
def test_chinese_numerals_up_to_999_read_as_written(text, value):
    """A Chinese numeral 一 … 九百九十九 has its ordinary value (零/〇 marks a missing ten)."""
    assert parse_numeral(text) == value


@pytest.mark.parametrize("text, value", [("壹", 1), ("拾", 10), ("壹佰贰拾叁", 123)])
def test_financial_forms_of_chinese_digits_are_numerals(text, value):
    """The capital (大写) forms 壹贰叁…拾佰 count like 一二三…十百."""
    assert parse_numeral(text) == value


@pytest.mark.parametrize("text, value", [("12", 12), ("１２", 12), ("7", 7), ("999", 999)])
def test_arabic_numerals_half_and_full_width(text, value):
    """Arabic digits number units too (第12条), in half or full width (第１２条)."""
    assert parse_numeral(text) == value


def test_surrounding_whitespace_is_ignored():
    """Whitespace around a numeral is layout, not part of it."""
    assert parse_numeral(" 十二\u3000") == 12


@pytest.mark.parametrize("text", [
    "", "零", "〇", "0", "百", "十十", "二十百", "百百", "一百零零五", "一百一", "零五",
    "十〇", "千", "十一百", "1十", "甲", "一 二", "一千一", "一千二", "一千零二百", "一千一十", "十千",
])
def test_malformed_numerals_are_refused(text):
    """Anything but a well-formed positive numeral raises ValueError (so the line stays text)."""
    with pytest.raises(ValueError):
        parse_numeral(text)


def test_to_chinese_writes_the_numeral_that_parses_back():
    """to_chinese(n) is the inverse of parse_numeral for every n in 1 … 9999."""
    assert all(parse_numeral(to_chinese(n)) == n for n in range(1, 10000))


@pytest.mark.parametrize("text, value", [
    ("一千", 1000), ("一千零五", 1005), ("一千零一十", 1010), ("一千零十", 1010), ("一千二百", 1200),
    ("一千二百三十四", 1234), ("两千", 2000), ("九千九百九十九", 9999),
])
def test_thousands_read_as_written(text, value):
    """A text numbered past 999 (第一千零五条, a 1,000th paragraph) keeps its numbers."""
    assert parse_numeral(text) == value


def test_beyond_9999_a_number_is_written_in_digits_never_an_error():
    """No citation may fail: 第10000款 rather than an exception that takes the corpus down."""
    assert to_chinese(10000) == "10000" and parse_numeral(to_chinese(12345)) == 12345


@pytest.mark.parametrize("value, text", [
    (1, "一"), (10, "十"), (11, "十一"), (20, "二十"), (100, "一百"), (101, "一百零一"),
    (110, "一百一十"), (999, "九百九十九"), (1000, "一千"), (1005, "一千零五"), (1010, "一千零一十"),
    (1100, "一千一百"),
])
def test_to_chinese_uses_the_customary_form(value, text):
    """to_chinese writes 十一 (not 一十一) and 一百零一 as statutes number articles."""
    assert to_chinese(value) == text


@pytest.mark.parametrize("value", [0, -1])
def test_to_chinese_refuses_numbers_out_of_range(value):
    """Only positive numbers are written."""
    with pytest.raises(ValueError):
        to_chinese(value)
