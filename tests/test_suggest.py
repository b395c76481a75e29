"""Suggested annotations for a measure new to the corpus (issue 7): what kind of element an item
states follows from its list's lead; every suggestion carries a confidence, a reason and PROV;
those at or above the threshold are used at once, the others wait for review; and, with each
real measure held out in turn, the suggestions find its situations and conditions as its
curators annotated them — without ever seeing its curated annotations."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import PROV, RDF
from test_ingest import data, folder_digest, links, measure_txt  # noqa: F401  (data, measure_txt: fixtures)

from rongcuo_kg.errors import BadInput
from rongcuo_kg.adding.holdout import hold_out
from rongcuo_kg.adding.ingest import ingest
from rongcuo_kg.graph.namespaces import RC
from rongcuo_kg.adding.review import decide, list_suggestions
from rongcuo_kg.adding.suggest import AUTO_THRESHOLD, list_kind


@pytest.mark.parametrize("lead, kind", [
    ("干部在工作中出现失误，有下列情形之一的，可以容错免责：", "situations"),
    ("容错应当同时符合下列条件：", "conditions"),
    ("有下列情形之一的，不予容错：", "exclusions"),
    ("有下列情形之一的，可以从轻或者减轻处理：", "mitigation"),
    ("执法人员有下列情形之一的，视为履职尽责，不予追究责任：", "duty-fulfilled"),
    ("坚持“七看”标准，合理划定容错界限：", None),
    # the noun after 下列 decides, not a word elsewhere in the lead
    ("干部在下列工作中出现失误错误，可以予以容错：", "situations"),
    ("干部在履行职责过程中，有下列情形之一，且符合本细则规定条件的，可以容错：", "situations"),
    ("二、干部在履职尽责中出现失误错误，有下列情形之一的，可以予以容错：", "situations"),
    ("行政执法人员履行职责过程中，符合下列情形的，应当认定为履职尽责：", "duty-fulfilled"),
    # what to weigh is not what tolerance needs
    ("认定容错，应当综合考虑下列因素：", None),
    ("认定容错，应当综合分析失误错误的性质、程度、后果和影响，同时具备下列条件：", "conditions"),
    ("对整改不力的，不再予以容错。", "exclusions"),
    ("下列各项，干部虽有失误，但经核实同时符合本办法第八条规定的，可以不予追究责任：", "situations"),
    ("以下失误错误，经认定后可以不予或者免予追究责任：", "situations"),
])
def test_a_list_lead_says_what_its_items_state(lead, kind):
    assert list_kind(lead) == kind


@pytest.fixture(scope="module")
def held_out(tmp_path_factory):
    work = tmp_path_factory.mktemp("holdout")
    return {m: hold_out(m, work) for m in ("audit", "guian", "enforcement")}


@pytest.mark.parametrize("measure", ["audit", "guian", "enforcement"])
def test_suggestions_for_a_held_out_measure_never_draw_on_its_curated_annotations(held_out, measure):
    r = held_out[measure]
    assert measure not in r.reference and len(r.reference) == 2
    assert r.leaks == []


@pytest.mark.parametrize("measure", ["audit", "guian", "enforcement"])
@pytest.mark.parametrize("kind", ["statesSituation", "requiresCondition"])
def test_a_held_out_measure_gets_its_situations_and_conditions_used_at_once(held_out, measure, kind):
    """Target of issue 7: of the suggestions used at once, precision ≥ 0.8; of the curated
    situations (conditions), recall ≥ 0.9 — on each real measure, suggested from the other two."""
    score = held_out[measure].auto[kind]
    assert score.curated > 0
    assert score.recall >= 0.9, held_out[measure].missed[kind]
    assert score.precision >= 0.8, held_out[measure].wrong[kind]


def test_a_link_that_would_decide_cases_is_not_used_outside_a_list_of_its_kind(held_out):
    """The audit measure has no list of duty-fulfilled circumstances; its principle 看缘由
    (7.2.5) speaks of force majeure. Suggesting force majeure there as a duty-fulfilled
    circumstance is offered to the reviewer, but not used at once: used, it would turn
    every force-majeure case under audit into 'duty fulfilled'."""
    audit = held_out["audit"]
    assert audit.offered["statesDutyFulfilled"].suggested >= 1
    assert audit.auto["statesDutyFulfilled"].suggested == 0


def test_every_suggestion_is_marked_as_suggested_with_prov_a_confidence_and_a_reason(data, measure_txt):
    result = ingest(measure_txt, data, "county")
    g = Graph().parse(data / "annotations" / "suggested" / "county.ttl", format="turtle")
    nodes = list(g.subjects(RDF.type, RC.SuggestedAnnotation))
    assert len(nodes) == len(result.suggestions) > 0
    for node in nodes:
        assert (node, RDF.type, PROV.Entity) in g
        activity = g.value(node, PROV.wasGeneratedBy)
        assert (activity, RDF.type, PROV.Activity) in g
        assert g.value(activity, PROV.wasAssociatedWith) is not None
        confidence = g.value(node, RC.confidence).toPython()
        assert isinstance(confidence, Decimal) and Decimal("0.3") <= confidence <= 1
        assert str(g.value(node, RC.reason)).strip()
        status = str(g.value(node, RC.reviewStatus))
        waits = "waits for review" in str(g.value(node, RC.reason))  # decisive, outside its list
        assert status == ("auto" if confidence >= Decimal(str(AUTO_THRESHOLD)) and not waits else "pending")
        assert str(g.value(node, RC.suggestedClause)).startswith("https://w3id.org/rongcuo-kg/eli/county/")


def test_the_reason_names_the_synonyms_matched_and_the_most_similar_annotated_clause(data, measure_txt):
    result = ingest(measure_txt, data, "county")
    emergency = next(s for s in result.suggestions if s.clause.ref == "3.1" and s.concept == "emergency")
    reason = "; ".join(emergency.reasons)
    assert "labels: " in reason and "抢险救灾" in reason
    assert emergency.neighbour and "/eli/county/" not in emergency.neighbour
    assert f"similar annotated clause {emergency.neighbour.rsplit('/eli/', 1)[1]}" in reason


def test_suggestions_above_the_threshold_are_used_at_once_and_the_rest_wait_for_review(data, measure_txt):
    result = ingest(measure_txt, data, "county")
    used = links(data, "county")
    for s in result.suggestions:
        key = (s.clause.ref, s.property, s.concept)
        assert (key in used) == (s.confidence >= AUTO_THRESHOLD), key
    # the annotations in use read like the curated files: grouped by article, each clause named
    text = (data / "annotations" / "county.ttl").read_text(encoding="utf-8")
    assert "# ── 第三条 ──" in text and "# 3.1: （一）在处置突发事件" in text
    assert "county:art_3__para_1__item_1\n    rc:statesSituation rcc:emergency ." in text


def test_with_a_threshold_above_one_nothing_is_used_until_reviewed(data, measure_txt):
    ingest(measure_txt, data, "county", threshold=1.01)
    assert links(data, "county") == set()
    rows = list_suggestions(data, "county")
    assert rows and {r["status"] for r in rows} == {"pending"}
    decided = decide(data, "county", accept_above=0.6)
    accepted = {(r["clause"], r["property"], r["concept"]) for r in decided if r["status"] == "accepted"}
    assert accepted and all(r["confidence"] >= 0.6 for r in decided if r["status"] == "accepted")
    assert ("3.1", "statesSituation", "emergency") in links(data, "county")
    text = (data / "annotations" / "county.ttl").read_text(encoding="utf-8")
    assert ", accepted in review (" in text and ", used at once (" not in text


def test_a_rejected_suggestion_leaves_the_graph_and_an_accepted_one_enters_it(data, measure_txt):
    ingest(measure_txt, data, "county")
    rows = list_suggestions(data, "county")
    auto = next(r for r in rows if r["status"] == "auto" and r["concept"] == "emergency")
    pending = next(r for r in rows if r["status"] == "pending")
    decide(data, "county", accept=[pending["number"]], reject=[auto["number"]])
    statuses = {r["number"]: r["status"] for r in list_suggestions(data, "county")}
    assert statuses[auto["number"]] == "rejected" and statuses[pending["number"]] == "accepted"
    used = links(data, "county")
    assert ("3.1", "statesSituation", "emergency") not in used
    g = Graph().parse(data / "annotations" / "suggested" / "county.ttl", format="turtle")
    node = URIRef(f"https://w3id.org/rongcuo-kg/suggestion/county/{auto['number']}")
    assert g.value(node, PROV.wasAttributedTo) is not None  # the reviewer's decision is attributed


@pytest.mark.parametrize("accept, reject", [([9999], []), ([1], [1])])
def test_an_impossible_review_decision_changes_nothing(data, measure_txt, accept, reject):
    ingest(measure_txt, data, "county")
    before = folder_digest(data)
    with pytest.raises(BadInput):
        decide(data, "county", accept=accept, reject=reject)
    assert folder_digest(data) == before


def test_reviewing_a_measure_that_was_not_ingested_is_refused(data):
    with pytest.raises(BadInput, match="no suggestions for 'guian'"):
        list_suggestions(data, "guian")


def test_folder_digest_sees_a_changed_byte(tmp_path):
    """The bad-input tests rely on this digest: it must change when any byte of the folder does."""
    (tmp_path / "a").mkdir()
    f = tmp_path / "a" / "x.ttl"
    f.write_bytes(b"abc")
    before = folder_digest(tmp_path)
    f.write_bytes(b"abd")
    assert folder_digest(tmp_path) != before


def suggested(measure_text: str, tmp_path: Path) -> dict[str, set[tuple[str, str]]]:
    """The suggestions used at once for a measure's text, by clause eId: {(property, concept)}."""
    from rongcuo_kg.adding.ingest import parse_new
    from rongcuo_kg.adding.suggest import suggest
    from rongcuo_kg.finding.finder import get_index
    from rongcuo_kg.graph.connect import open_store

    source = tmp_path / "new.txt"
    source.write_text(measure_text, encoding="utf-8")
    _, measure, _ = parse_new(source, "new", None)
    out: dict[str, set[tuple[str, str]]] = {}
    for s in suggest(get_index(open_store()), measure):
        if s.auto:
            out.setdefault(s.clause.iri.rsplit("/", 1)[-1], set()).add((s.property, s.concept))
    return out


NEW_MEASURE = """临川县干部容错纠错办法
第一条 为激励干部担当作为，制定本办法。
第二条 干部在下列工作中出现失误错误，可以予以容错：
（一）在处置突发事件中，因情况紧急来不及请示而临机决断出现失误的；
（二）在应对突发事件中出现以下情形之一的：
1.未能严格履行请示报告程序，但事后及时补报的；
2.处置措施不够完善，但有效控制了事态发展的；
（三）其他因客观原因出现失误，经认定可以容错的。
第三条 有下列情形之一的，不予容错：
（一）为个人或者小团体谋取私利的；
（二）弄虚作假、隐瞒事实真相的；
（三）经组织提醒后仍然我行我素的。
第四条 纪委对容错纠错工作进行监督。对借容错之名弄虚作假的，依规依纪追究责任。
第五条 本办法自印发之日起施行。
"""


def test_an_exclusion_worded_as_a_conditions_opposite_is_that_exclusion(tmp_path):
    """Items of a 不予容错 list that word a condition's opposite (谋取私利 against 没有谋取不当利益)
    state the exclusion that is that condition's failure (rc:failsCondition), and are used at
    once; the same words in a supervision article, where nothing bars tolerance, wait for review."""
    got = suggested(NEW_MEASURE, tmp_path)
    assert ("statesExclusion", "violation_for_private_gain") in got["art_3__para_1__item_1"]
    assert ("statesExclusion", "concealment_refusal") in got["art_3__para_1__item_2"]
    assert ("statesExclusion", "defiance_of_prohibition") in got["art_3__para_1__item_3"]
    assert not any(p == "statesExclusion" for p, _ in got.get("art_4", set()))


def test_an_items_sub_list_holds_the_entries_and_the_catch_all_is_other(tmp_path):
    """"在应对突发事件中出现以下情形之一的：" opens a sub-list: each sub-item is one more situation of
    the article's list, in the item's setting (an emergency); the item itself is not an entry. The
    last item, 其他……, is the list's catch-all, whatever cause it names."""
    got = suggested(NEW_MEASURE, tmp_path)
    assert ("statesSituation", "emergency") in got["art_2__para_1__item_1"]
    assert not any(p == "statesSituation" for p, _ in got.get("art_2__para_1__item_2", set()))
    for sub in ("art_2__para_1__item_2__subitem_1", "art_2__para_1__item_2__subitem_2"):
        assert ("statesSituation", "emergency") in got[sub]
    assert {c for p, c in got["art_2__para_1__item_3"] if p == "statesSituation"} == {"other"}


def test_a_checklists_entries_are_what_its_title_says(tmp_path):
    """A 容错免责事项清单 has no lead sentence: its title says its entries are situations; a
    document it cites (《…》) names no concept."""
    text = """临川县容错免责事项清单
一、在招商引资中，为推动重大项目落地大胆决策，因市场变化导致项目未达预期的。《临川县招商引资优惠政策》
二、在处置突发事件中，因情况紧急临机决断出现失误的。
三、其他可以容错免责的情形。
"""
    got = suggested(text, tmp_path)
    assert ("statesSituation", "emergency") in got["item_2"]
    assert {c for p, c in got["item_3"] if p == "statesSituation"} == {"other"}
    assert any(p == "statesSituation" for p, _ in got["item_1"])


CONDITIONS_WRITTEN_OUT = """临川县干部容错纠错办法
第一章 总则
第一条 为激励干部担当作为，制定本办法。
第二章 容错情形
第二条 干部在下列工作中出现失误错误，可以予以容错：
（一）在处置突发事件中，因情况紧急临机决断出现失误的；
（二）其他因客观原因出现失误的。
第三条 对干部予以容错，须同时具备以下条件：符合上级决策部署，法律法规没有明令禁止；经过集体研究决策；未为自己或者他人谋取不正当利益；事后积极挽回损失、消除影响。
第三章 容错条件
第四条 相关事项经过集体研究决策。
第五条 没有与他人恶意串通。
第六条 干部明知故犯的，不予容错。
第七条 有下列条件之一的，可以作为从宽考量的因素：主动纠正；如实说明情况。
第四章 附则
第八条 本办法自印发之日起施行。
"""


def test_conditions_written_into_one_sentence_are_each_required(tmp_path):
    """"须同时具备以下条件：A；B；C；D。" is a list of conditions in one sentence: every condition it
    names is required, used at once — an integrity condition worded as the exclusion it avoids
    (未…谋取不正当利益) included; nothing in it is a mere mention."""
    got = suggested(CONDITIONS_WRITTEN_OUT, tmp_path)["art_3"]
    required = {c for p, c in got if p == "requiresCondition"}
    assert {"not_prohibited", "democratic_decision", "no_improper_benefit", "proactive_correction"} <= required
    assert not any(p == "mentionsCondition" for p, _ in got)


def test_articles_under_a_conditions_heading_each_state_a_required_condition(tmp_path):
    """Under 第三章 容错条件 each article is one condition; an article there that bars tolerance
    (不予容错) or names a factor to weigh (从宽考量的因素) is no condition of the test."""
    got = suggested(CONDITIONS_WRITTEN_OUT, tmp_path)
    assert ("requiresCondition", "democratic_decision") in got["art_4"]
    assert ("requiresCondition", "no_collusion") in got["art_5"]
    assert not any(p == "requiresCondition" for p, _ in got.get("art_6", set()))
    assert not any(p == "requiresCondition" for p, _ in got.get("art_7", set()))


def test_a_remedy_named_in_a_list_of_conditions_is_the_condition_of_active_correction(tmp_path):
    """主动纠正 is a correction measure's label; in a list of conditions it states the condition
    of active correction (skos:closeMatch in the ontology)."""
    text = "某县容错办法\n第一条 容错应当同时符合下列条件：\n（一）经过集体研究决策；\n（二）出现失误后主动纠正、积极整改。\n"
    got = suggested(text, tmp_path)
    assert ("requiresCondition", "proactive_correction") in got["art_1__para_1__item_2"]


def test_on_the_annotated_layouts_suggestions_keep_the_figures_they_were_set_to(tmp_path):
    """Measures annotated by hand by readers who never saw the code: the 30 layouts
    (tests/fixtures/suggest/dev) and the blind sets, spent once scored (blind1–blind7): the
    suggestions used at once keep the precision and recall the rules were last set to (2026-12-08,
    session 11: conditions in one sentence, prose lists, 要件 columns), less two points. A regression guard on sets now used for development; the blind
    figures, as they came out, are in bench/RESULTS.md."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    from score_suggest import score

    fixtures = Path(__file__).resolve().parent / "fixtures"
    sets = {
        "dev": ({"statesSituation": (0.807, 0.768), "requiresCondition": (0.962, 0.864),
                 "statesExclusion": (0.859, 0.880)}, fixtures / "layouts"),
        "blind1": ({"statesSituation": (0.727, 0.606), "requiresCondition": (0.900, 0.789),
                    "statesExclusion": (0.657, 0.710)}, None),
        "blind2": ({"statesSituation": (0.782, 0.697), "requiresCondition": (0.877, 0.814),
                    "statesExclusion": (0.761, 0.654)}, None),
        "blind3": ({"statesSituation": (0.627, 0.667), "requiresCondition": (0.892, 0.742),
                    "statesExclusion": (0.772, 0.746)}, None),
        "blind4": ({"statesSituation": (0.677, 0.717), "requiresCondition": (0.863, 0.688),
                    "statesExclusion": (0.709, 0.780)}, None),
        "blind5": ({"statesSituation": (0.585, 0.591), "requiresCondition": (0.582, 0.476),
                    "statesExclusion": (0.605, 0.471)}, None),
        "blind6": ({"statesSituation": (0.675, 0.727), "requiresCondition": (0.859, 0.760),
                    "statesExclusion": (0.702, 0.745)}, None),
        "blind7": ({"statesSituation": (0.636, 0.613), "requiresCondition": (0.635, 0.541),
                    "statesExclusion": (0.696, 0.649)}, None),
    }
    for name, (figures, texts) in sets.items():
        pooled = score([fixtures / "suggest" / name], False, texts)["pooled"]
        for kind, (p, r) in figures.items():
            suggested_, annotated, right = pooled[kind]
            assert annotated >= 40 and right / suggested_ >= p - 0.02 and right / annotated >= r - 0.02, \
                (name, kind, pooled[kind])


CHECKLIST_WITH_CLOSING_TEXT = """临川县容错免责事项清单
为激励干部担当作为，制定本清单。
一、在招商引资中，为推动重大项目落地大胆决策，因市场变化导致项目未达预期的。
二、在处置突发事件中，因情况紧急临机决断出现失误的。
三、其他可以容错免责的情形。
适用本清单，应当同时符合下列条件：
（一）经过集体研究决策；
（二）没有与他人恶意串通。
有下列情形之一的，不适用本清单：
（一）为个人谋取私利的；
（二）同一问题重复出现失误的。
本清单由县纪委监委负责解释。
"""


def test_a_checklists_closing_text_holds_its_conditions_and_its_exclusions_each_in_its_list(tmp_path):
    """The unnumbered text after a 清单's entries is its 结语 (one unit, eId wrapup): the list of
    conditions in it gives required conditions, the list of exclusions gives exclusions — each
    read under its own lead, never one for the other."""
    got = suggested(CHECKLIST_WITH_CLOSING_TEXT, tmp_path)["wrapup"]
    assert {("requiresCondition", "democratic_decision"), ("requiresCondition", "no_collusion"),
            ("statesExclusion", "violation_for_private_gain"), ("statesExclusion", "repeat_mistake")} <= got
    assert not any(p == "requiresCondition" and c == "no_improper_benefit" for p, c in got)


SETTING_AND_CAUSE = """临川县容错办法
第一条 干部在工作中出现失误，有下列情形之一的，可以容错：
（一）在招商引资中，因市场变化导致引进项目未达预期效益的；
（二）在招商引资中敢于决策、大胆履职出现失误的；
（三）在乡村产业发展中，因不可抗力造成项目损失的。
第二条 干部在处置突发事件中，来不及请示而临机决断，出现失误的，可以予以容错。
第三条 本办法所称容错，是指对干部在改革创新中出现的失误免予追究责任。
"""


def test_the_cause_of_the_mistake_decides_over_the_field_of_work(tmp_path):
    """招商引资 names the field (rc:settingLabel); where the entry names the cause — 市场变化, a
    change of circumstances — the cause is the situation it states; where it names the manner —
    大胆履职 — it is bold performance. 不可抗力 in a list of situations is a change of circumstances."""
    got = suggested(SETTING_AND_CAUSE, tmp_path)
    first = {c for p, c in got["art_1__para_1__item_1"] if p == "statesSituation"}
    assert "policy_change" in first and "bold_performance" not in first
    assert ("statesSituation", "bold_performance") in got["art_1__para_1__item_2"]
    assert ("statesSituation", "policy_change") in got["art_1__para_1__item_3"]


def test_a_sentence_that_grants_tolerance_states_its_situation_but_a_definition_does_not(tmp_path):
    """"……临机决断，出现失误的，可以予以容错。" states the emergency situation as a list item
    would; "本办法所称容错，是指……" defines the word and states no situation of the measure."""
    got = suggested(SETTING_AND_CAUSE, tmp_path)
    assert ("statesSituation", "emergency") in got["art_2"]
    assert not any(p == "statesSituation" for p, _ in got.get("art_3", set()))


def test_a_counterpartys_conduct_named_as_a_bar_is_the_officials_own(tmp_path):
    """瞒报 is a counterparty's concealment among the situations; in a list of exclusions it is the
    official's own concealment (rc:officialCounterpart), and revoking tolerance for hiding facts
    (撤销容错决定) bars tolerance as much as 不予容错 does."""
    text = ("某县容错办法\n第一条 有下列情形之一的，不予容错：\n（一）瞒报、漏报重大风险和损失的；\n（二）明知故犯的。\n"
            "第二条 容错决定作出后，发现干部隐瞒事实、提供虚假材料的，撤销容错决定。\n")
    got = suggested(text, tmp_path)
    assert ("statesExclusion", "concealment_refusal") in got["art_1__para_1__item_1"]
    assert not any(p == "statesSituation" for p, _ in got["art_1__para_1__item_1"])
    assert ("statesExclusion", "concealment_refusal") in got["art_2"]


# ---------------------------------------------------------------- lists written in one sentence or in a table


def test_conditions_after_their_lead_in_one_sentence_parted_by_commas_are_required(tmp_path):
    """"必须同时具备以下前提：A，B，C" lists its conditions as a list of items does (a 前提 is a
    condition of the test)."""
    got = suggested("某县容错纠错办法\n第一条 认定容错必须同时具备以下前提：符合党和国家方针政策，经过集体研究决策，"
                    "没有为个人谋取私利，失误发生后主动纠正、挽回损失。\n第二条 本办法自印发之日起施行。\n", tmp_path)
    assert {("requiresCondition", "democratic_decision"), ("requiresCondition", "no_improper_benefit"),
            ("requiresCondition", "proactive_correction")} <= got["art_1"]


def test_situations_written_in_prose_are_each_stated_by_their_paragraph(tmp_path):
    """GUIDE.md: a list written 一是…二是… has no items; its paragraph states each situation."""
    got = suggested("某校容错纠错办法\n第一条 干部出现失误，属于下列情形之一的，可以纳入容错范围：一是在改革试点中因缺乏经验、"
                    "先行先试出现失误的；二是在处置突发事件中因情况紧急临机决断出现失误的；三是其他情形。\n"
                    "第二条 本办法自印发之日起施行。\n", tmp_path)
    assert {("statesSituation", "exploratory_trial"), ("statesSituation", "emergency")} <= got["art_1"]


def test_a_list_that_may_not_be_found_tolerable_lists_exclusions_and_a_conditions_list_stays_one(tmp_path):
    """"不得认定容错" bars tolerance as "不予容错" does; a list of conditions that says what follows
    when one is missing ("缺少任何一项的，不得认定容错") is still a list of conditions."""
    got = suggested("某县容错纠错办法\n第一条 认定容错应当同时具备下列条件，缺少任何一项的，不得认定容错：\n"
                    "（一）经过集体研究决策；\n（二）没有为个人谋取私利。\n"
                    "第二条 有下列情形之一的，不得认定容错：\n（一）隐瞒不报、拒不纠正的；\n（二）为谋取私利违纪违法的。\n", tmp_path)
    assert ("requiresCondition", "democratic_decision") in got["art_1__para_1__item_1"]
    assert ("statesExclusion", "concealment_refusal") in got["art_2__para_1__item_1"]
    assert all(p != "statesSituation" for links in got.values() for p, _ in links)


CHECKLIST_WITH_REQUIREMENTS = """某市生态环境局容错免责事项清单
一、适用范围
本清单适用于全局干部。
二、容错免责事项
┌────┬──────────┬──────────────────┬────────────────┐
│序号│事项名称  │具体情形          │容错免责要件    │
├────┼──────────┼──────────────────┼────────────────┤
│1   │应急处置  │在处置突发环境事件中临机决断，出现一定失误的│经过集体研究决策；没有谋取私利│
├────┼──────────┼──────────────────┼────────────────┤
│2   │改革试点  │在排污权交易改革试点中先行先试，因缺乏经验出现偏差的│主动纠正、挽回损失│
└────┴──────────┴──────────────────┴────────────────┘
三、其他
本清单自印发之日起施行。
"""


def test_a_tables_requirements_column_holds_each_entrys_required_conditions(tmp_path):
    """A 清单 drawn as a table with a 容错免责要件 column: what that column names are conditions
    the entry requires; the situation comes from the rest of the row."""
    got = suggested(CHECKLIST_WITH_REQUIREMENTS, tmp_path)
    first, second = got["item_2__subitem_1"], got["item_2__subitem_2"]
    assert {("statesSituation", "emergency"), ("requiresCondition", "democratic_decision"),
            ("requiresCondition", "no_improper_benefit")} <= first
    assert ("requiresCondition", "proactive_correction") in second
    assert ("mentionsCondition", "democratic_decision") not in first
