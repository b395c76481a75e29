"""Clause references as people type them, and the eIds they stand for."""

from __future__ import annotations

import pytest

from rongcuo_kg.errors import BadInput
from rongcuo_kg.text.refs import Ref, parse_ref


@pytest.mark.parametrize("text, ref", [
    ("6", Ref("6")),
    ("6.5", Ref("6", 1, 5)),
    ("11.p2.1", Ref("11", 2, 1)),
    ("11.p2", Ref("11", 2)),
    ("7.2.3", Ref("7", 1, 2, (3,))),
    ("1.1.2.1", Ref("1", 1, 1, (2, 1))),
    ("8之一", Ref("8之一")),
    ("8之1", Ref("8之一")),
    ("8之一.2", Ref("8之一", 1, 2)),
])
def test_short_refs(text, ref):
    """`6` article, `6.5` item of the first 款, `11.p2.1` item of the 2nd 款, `7.2.3` 目, `8之一`."""
    assert parse_ref(text) == ref


@pytest.mark.parametrize("text, ref", [
    ("第十一条第二款第一项", Ref("11", 2, 1)),
    ("第十一条 第二款 第（一）项", Ref("11", 2, 1)),
    ("第六条第五项", Ref("6", 1, 5)),
    ("第七条第二项第三目", Ref("7", 1, 2, (3,))),
    ("第八条之一", Ref("8之一")),
    ("第八条之一第二款", Ref("8之一", 2)),
    ("第12条", Ref("12")),
    ("第一百条之三", Ref("100之三")),
])
def test_chinese_citations(text, ref):
    """A citation written out (第十一条第二款第一项) means the same clause as its short form."""
    assert parse_ref(text) == ref


@pytest.mark.parametrize("text, canonical", [
    (" 6.5 ", "6.5"), ("６．５", "6.5"), ("11.P2.1", "11.p2.1"), ("11.p1.1", "11.1"),
    ("06", "6"), ("8之1", "8之一"),
])
def test_equivalent_spellings_normalise(text, canonical):
    """Full-width digits and dots, a capital P, a redundant .p1 all give the canonical REF."""
    assert str(parse_ref(text)) == canonical


@pytest.mark.parametrize("text", ["6", "6.5", "11.p2", "11.p2.1", "7.2.3", "8之一", "8之一.p2.3"])
def test_canonical_refs_print_as_typed(text):
    """str(parse_ref(r)) == r for a REF written canonically."""
    assert str(parse_ref(text)) == text


@pytest.mark.parametrize("text, eid", [
    ("6", "art_6"),
    ("6.5", "art_6__para_1__item_5"),
    ("11.p2", "art_11__para_2"),
    ("11.p2.1", "art_11__para_2__item_1"),
    ("7.2.3", "art_7__para_1__item_2__subitem_3"),
    ("1.1.2.1", "art_1__para_1__item_1__subitem_2__subitem_1"),
    ("8之一", "art_8-1"),
    ("第十一条第二款第一项", "art_11__para_2__item_1"),
])
def test_eid_of_a_ref(text, eid):
    """A REF's eId follows Akoma Ntoso: art_/para_/item_/subitem_, 之一 as -1."""
    assert parse_ref(text).eid == eid


@pytest.mark.parametrize("text", [
    "", "abc", "0", "6.0", "6.p0", "8之0", "第零条", "6..5", "6.5.", "p2", "6.p", "第十一款",
    "第一千一条", "8之十千",
])
def test_not_a_ref_is_bad_input_listing_the_accepted_forms(text):
    """Anything else is BadInput whose message shows the forms a REF may take."""
    with pytest.raises(BadInput) as exc:
        parse_ref(text)
    assert "11.p2.1" in str(exc.value) and "第十一条第二款第一项" in str(exc.value)


def test_articles_past_999_are_cited_as_numbered():
    """A measure numbered past 999 keeps its numbers in citations: 第一千零五条 is 1005."""
    assert parse_ref("第一千零五条").article == "1005" and parse_ref("1005").eid == "art_1005"
