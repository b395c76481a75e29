"""情形查询: an officer describes the incident; the clauses that cover it, per measure, with
the words and concepts that matched, the conditions that must also hold, and a link to
validate a case in this situation."""


import streamlit as st

from rongcuo_kg.app import ui
from rongcuo_kg.finding.bars import clause_role, statement
from rongcuo_kg.finding.finder import RELEVANCE_LABELS as RELEVANCE, find
EVIDENCE_HELP = ("高：条款规定了问题所说的要素，且另有依据（文字、已答问题）一致；中：仅凭要素，或两类其他依据；低：仅凭文字或仅凭已答问题。",
                 "High: the clause states what the question names and other evidence agrees; medium: that alone, "
                 "or two other kinds of evidence; low: the words alone, or answered questions alone.")

ui.page_header("情形查询", "Which clause covers my situation",
               "用自己的话描述发生的情况，系统给出各办法中适用的条款，并说明匹配依据。",
               "Describe what happened in your own words; the finder returns the clauses of each measure that cover it, and why.")

with ui.friendly_errors():
    store = ui.store()
    index = ui.finder_index()
    measures = sorted(index.by_measure)
    titles = ui.measure_titles()
    question = st.text_area(ui.t("情况描述", "What happened"), value=st.query_params.get("q", ""),
                            placeholder="防汛时来不及请示就把群众转移了，征用的仓库受了损", key="question")
    c1, c2 = st.columns([2, 1])
    everything = ui.t("全部办法", "all measures")  # labels fixed during the run
    scope = c1.selectbox(ui.t("办法", "Measure"), ["*"] + measures,
                         format_func=lambda m: everything if m == "*" else f"《{titles.get(m, m)}》", key="scope")
    top = c2.number_input(ui.t("每部办法显示条数", "Results per measure"), 1, 10, 3, key="top")
    if question.strip():
        st.query_params["q"] = question
        with st.spinner(ui.t("检索中……", "Searching …")):
            result = find(store, question, measure=None if scope == "*" else scope, top=int(top),
                          lang=ui.lang(), index=index)
        said = sorted({w for r in result["results"] for c in r["why"].get("concepts", [])
                       for w in c.get("matched", [])} | {w for r in result["results"] for w in r["why"].get("terms", [])})
        if said:  # the user's own words that matched, marked in what they typed
            st.markdown(f"<div class='cite'>{ui.t('您的描述', 'You wrote')}：{ui.highlight(question, said)}</div>",
                        unsafe_allow_html=True)
        if result["concepts"]:
            st.markdown(ui.t("识别出的概念：", "Concepts recognised: ")
                        + "、".join(f"**{ui.esc(c['label'])}**" for c in result["concepts"]))
        if result.get("asks"):
            st.caption(ui.t("问题询问的是：", "The question asks for: ")
                       + "、".join(a["label"] for a in result["asks"]))
        for bar in result.get("bars", []):  # what the question tells that bars tolerance, said plainly first
            cited = "".join(
                f"<div class='cite'><b>《{ui.esc(titles.get(c['measure'], c['measure']))}》{ui.esc(c['citation'])}</b>"
                f"（{ui.esc(clause_role(c, ui.lang()))}）</div><div class='clause'>"
                + (f"<span class='lead'>{ui.esc(c['lead'])} …</span> " if c["lead"] else "")
                + f"{ui.esc(c['text'])}</div>" for c in bar["clauses"])
            st.warning(statement(bar, ui.lang()))
            st.markdown(cited, unsafe_allow_html=True)
        if not result["results"]:
            st.info(ui.t("没有找到相关条款，请换一种说法试试。", "No clause found; try other words."))
        by_measure: dict[str, list[dict]] = {}
        for r in result["results"]:
            by_measure.setdefault(r["measure"], []).append(r)
        for m, rows in by_measure.items():
            st.subheader(f"《{titles.get(m, m)}》")
            for rank, r in enumerate(rows, 1):
                why = r["why"]
                terms = list(why.get("terms", []))
                for c in why.get("concepts", []):  # the words of the query and of the concept found in the clause
                    terms += c.get("matched", []) + ui.shared_phrases(c["label"], r["text"])
                level = ui.t(*RELEVANCE[r["relevance"]])
                st.markdown(f"<div class='cite'>{rank}. <b>{ui.esc(r['citation'])}</b> · "
                            f"<span class='relevance {r['relevance']}' title='{ui.esc(ui.t(*EVIDENCE_HELP))}'>"
                            f"{ui.t('相关度', 'Relevance')}：{level}</span></div>"
                            f"<div class='clause'>{ui.highlight(r['text'], terms)}</div>",
                            unsafe_allow_html=True)
                with st.expander(ui.t("匹配依据与须同时满足的条件", "Why it matched, and the conditions that must also hold"),
                                 expanded=rank == 1):  # the best clause of each measure: open
                    if why.get("concepts"):
                        st.markdown(ui.t("概念：", "Concepts: ") + "；".join(
                            f"{ui.esc(c['label'])}（{ui.esc(c['via_label'])}）" for c in why["concepts"]))
                    if why.get("terms"):
                        st.markdown(ui.t("匹配词语：", "Matched words: ") + "、".join(why["terms"]))
                    for sq in why.get("similar_questions", []):
                        st.markdown(ui.t("相似的已答问题", "Similar answered question")
                                    + ui.t(f"（相似度 {sq['similarity']:.0%}）", f" ({sq['similarity']:.0%} similar)")
                                    + f"：{ui.esc(sq['question'])}")
                    if why.get("parts", {}).get("examples") and not why.get("similar_questions"):
                        st.caption(ui.t("另有仅弱相似的已答问题指向本条。",
                                        "Answered questions that are only weakly similar also point here."))
                    conditions = why.get("conditions") or []
                    if conditions:
                        st.markdown("**" + ui.t("容错还须同时满足：", "Tolerance also requires: ") + "**")
                        for c in conditions:
                            clauses = "；".join(f"{cite} {ui.unit_text(index, m, ref)}"
                                               for ref, cite in zip(c.get("clauses", []), c.get("citations", [])))
                            st.markdown(f"- {ui.esc(c['label'])} — {ui.esc(clauses)}")
                    situations = why.get("situations") or []
                    if situations:
                        link = ui.link("validate", measure=m, situations=";".join(situations))
                        st.markdown(f"[{ui.t('以此情形校验一个案件 →', 'Validate a case in this situation →')}]({link})")
        for m in result.get("no_clause", []):  # said, not padded with unrelated clauses
            st.subheader(f"《{titles.get(m, m)}》")
            st.caption(ui.t("本办法没有相应条款。", "This measure has no clause on the question."))
