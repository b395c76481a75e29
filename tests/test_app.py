"""The web app, page by page, headless (streamlit.testing.v1.AppTest): what a user sets and
what the page must then show. The browser tests (tests/e2e/) do the same in Chromium."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parent.parent / "app"
TIMEOUT = 120


def page(name: str, **query) -> AppTest:
    at = AppTest.from_file(str(APP / "views" / f"{name}.py"), default_timeout=TIMEOUT)
    for k, v in query.items():
        at.query_params[k] = v
    return at.run()


def shown(at: AppTest) -> str:
    """Everything the page wrote as text (markdown, captions, messages)."""
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [e.value for e in at.success] + [e.value for e in at.error] + [e.value for e in at.info]
    return "\n".join(str(p) for p in parts)


def no_errors(at: AppTest) -> None:
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]


def test_the_app_opens_on_the_measures_page_and_switches_to_english():
    at = AppTest.from_file(str(APP / "main.py"), default_timeout=TIMEOUT).run()
    no_errors(at)
    assert at.title[0].value == "办法浏览"
    at.radio(key="lang_choice").set_value("English").run()
    assert at.title[0].value == "Measures"


def test_measures_lists_the_three_measures_with_metadata():
    at = page("measures")
    no_errors(at)
    table = at.dataframe[0].value
    assert sorted(table.iloc[:, 0]) == ["audit", "enforcement", "guian"]
    assert "贵安新区容错纠错实施办法(试行)" in set(table.iloc[:, 1])


def test_a_deep_link_opens_the_cited_clause_with_its_concepts_and_counterparts():
    """?measure=guian&ref=6.5 is Gui'an Art 6 item 5 (emergencies); its counterparts are the
    emergency items of the other two measures: audit 9.2 and enforcement 11.5."""
    at = page("measures", measure="guian", ref="6.5")
    no_errors(at)
    text = shown(at)
    assert at.subheader[-1].value == "《贵安新区容错纠错实施办法(试行)》第六条第一款第五项"
    assert "在处置突发事件或执行其他急难险重任务中" in text
    assert "emergency" in text
    assert "9.2" in text and "11.5" in text


def test_choosing_another_clause_updates_the_link():
    at = page("measures", measure="enforcement")
    at.selectbox(key="ref_select").select("13").run()
    no_errors(at)
    assert at.query_params["ref"] == ["13"] or at.query_params["ref"] == "13"
    assert "违反法定的职责范围和法定程序的,不予容错" in shown(at)


def test_finder_puts_the_emergency_clause_first_and_offers_validation():
    """An officer's flood story lands on each measure's emergency clause (audit 9.2, guian 6.5,
    enforcement 11.5), the matched words highlighted, with a link to validate such a case."""
    at = page("find")
    at.text_area(key="question").input("防汛时来不及请示就把群众转移了，征用的仓库受了损").run()
    no_errors(at)
    firsts = [m.value for m in at.markdown if "<div class='cite'>1." in m.value]
    assert any("audit 9.2" in f for f in firsts)
    assert any("guian 6.5" in f for f in firsts)
    assert any("enforcement 11.5" in f for f in firsts)
    assert "<mark>" in shown(at)
    assert "validate?measure=guian&situations=emergency" in shown(at)


def test_finder_names_the_conditions_that_must_also_hold():
    at = page("find")
    at.selectbox(key="scope").select("guian").run()
    at.text_area(key="question").input("疫情期间临时决定紧急采购防护物资").run()
    no_errors(at)
    text = shown(at)
    assert "经过民主决策程序" in text and "7.2" in text


def test_compare_colours_shared_and_unique_and_diffs_a_pair():
    at = page("compare")
    no_errors(at)
    matrix = at.dataframe[0].value
    assert {"audit", "guian", "enforcement"} <= set(matrix.columns)
    emergency = matrix[matrix.iloc[:, 0].str.contains("突发事件")]
    assert len(emergency) == 1 and emergency.iloc[0, -1] == 3  # all three measures
    at.radio(key="kind").set_value("condition").run()
    no_errors(at)
    assert any("民主决策" in str(v) for v in at.dataframe[0].value.iloc[:, 0])
    text = shown(at)
    assert "<del>" in text or "<ins>" in text


def test_compare_needs_two_measures():
    at = page("compare")
    at.multiselect(key="measures").set_value(["guian"]).run()
    assert "请至少选择两部办法" in [w.value for w in at.warning][0]


def test_validate_form_tolerable_then_what_if_fails_a_condition():
    """Gui'an, an emergency, all six conditions of Art 7 established: tolerable. Turn
    democratic decision to "no": not tolerable, citing Art 7(2) with its text."""
    at = page("validate", measure="guian", situations="emergency")
    no_errors(at)
    assert "tolerable" in at.success[0].value
    at.radio(key="fact_democratic_decision").set_value("false").run()
    assert "not_tolerable" in at.error[0].value
    text = shown(at)
    assert "《贵安新区容错纠错实施办法(试行)》第七条第一款第二项" in text
    assert "经过民主决策程序,未利用职权独断专行" in text


def test_validate_form_enforcement_outside_duty_is_excluded_by_art_13():
    at = page("validate", measure="enforcement", situations="emergency")
    at.radio(key="fact_within_statutory_duty").set_value("false").run()
    assert "not_tolerable" in at.error[0].value
    assert "《行政执法容错纠错实施办法》第十三条" in shown(at)


def test_named_query_runs_with_labels_and_a_bad_free_query_is_refused():
    at = page("sparql", query="conditions_matrix")
    no_errors(at)
    rows = at.dataframe[0].value
    assert len(rows) == 16 and any("标签" in c for c in rows.columns)
    at.text_area(key="free_text").input("DELETE WHERE { ?s ?p ?o }").run()
    at.button(key="run_free").click().run()
    assert at.error and "无法完成" in at.error[0].value


def test_a_shared_named_query_link_binds_its_parameters():
    at = page("sparql", **{"query": "text_search", "p.q": "突发事件"})
    no_errors(at)
    rows = at.dataframe[0].value
    assert len(rows) >= 2 and all("突发事件" in t for t in rows["text"])


def test_ontology_page_lists_classes_schemes_and_draws_the_network():
    at = page("ontology")
    no_errors(at)
    classes = at.dataframe[0].value
    assert "rc:Situation" in set(classes.iloc[:, 0])
    assert "data:image/svg+xml;base64," in shown(at)


def test_review_page_accepts_a_suggestion_for_an_added_measure(tmp_path, monkeypatch):
    """A measure added with `ingest` shows its suggestions; accepting a pending one moves it to
    the accepted list."""
    import shutil

    from rongcuo_kg.ingest import ingest
    from rongcuo_kg.paths import DEFAULT_DATA_DIR
    from rongcuo_kg.review import list_suggestions

    data = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, data)
    source = tmp_path / "county.txt"
    from test_ingest import MEASURE

    source.write_text(MEASURE, encoding="utf-8")
    ingest(source, data, "county")
    monkeypatch.setenv("RONGCUO_DATA", str(data))
    at = page("review")
    no_errors(at)
    pending = [r for r in list_suggestions(data, "county") if r["status"] == "pending"]
    assert len(at.dataframe[0].value) == len(pending) > 0
    at.multiselect(key="accept").set_value([pending[0]["number"]]).run()
    at.button(key="decide").click().run()
    after = {r["number"]: r["status"] for r in list_suggestions(data, "county")}
    assert after[pending[0]["number"]] == "accepted"
