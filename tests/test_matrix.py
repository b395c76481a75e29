"""Measures × concepts (issue 4): shared and unique provisions at a glance."""

from __future__ import annotations

import pytest

from rongcuo_kg.graph.connect import open_store
from rongcuo_kg.errors import BadInput
from rongcuo_kg.finding.matrix import KINDS, matrix, render_matrix


@pytest.fixture(scope="module")
def store():
    return open_store()


def row(result, cid):
    return next(r for r in result["concepts"] if r["id"] == cid)


def test_every_measure_lists_the_emergency_situation_with_its_clause(store):
    m = matrix(store, "situation")
    assert m["measures"] == ["audit", "enforcement", "guian"]
    assert row(m, "emergency")["cells"] == {"audit": ["9.2"], "enforcement": ["11.5"], "guian": ["6.5"]}
    assert row(m, "emergency")["measures"] == 3


def test_a_situation_only_one_measure_has_shows_empty_cells_elsewhere(store):
    m = matrix(store, "situation")
    assert row(m, "mixed_ownership")["cells"] == {"audit": ["9.3"], "enforcement": [], "guian": []}
    text = render_matrix(m)
    assert "  [1] 《容错纠错机制实施办法》" in text
    assert f"{row(m, 'mixed_ownership')['label']}\n    [1] 第九条第一款第三项；[2] —；[3] —  （仅一部）" in text


def test_the_condition_matrix_has_enforcements_shorter_list(store):
    m = matrix(store, "condition")
    assert row(m, "democratic_decision")["cells"] == {"audit": ["8.2"], "enforcement": [], "guian": ["7.2"]}
    assert row(m, "no_serious_consequence")["cells"]["enforcement"] == ["11.p2.2"]


@pytest.mark.parametrize("kind", ["consequence", "procedure"])
def test_other_kinds_have_rows(store, kind):
    assert matrix(store, kind)["concepts"]


def test_an_unknown_kind_is_refused(store):
    assert {"situation", "condition", "consequence", "procedure"} <= set(KINDS)
    with pytest.raises(BadInput, match="unknown kind"):
        matrix(store, "nonsense")
