"""办法浏览: the measures, each one's tree, a clause with its concepts and its counterparts in
the other measures. Deep link: ?measure=guian&ref=6.5"""


import streamlit as st

from rongcuo_kg.app import ui
from rongcuo_kg.graph.clauses import defects_of, show_clause
from rongcuo_kg.graph.rdfgen import iri_citation
from rongcuo_kg.finding.compare import compare
from rongcuo_kg.errors import BadInput
from rongcuo_kg.graph.querylib import run_named
from rongcuo_kg.text.refs import parse_ref

ui.page_header("办法浏览", "Measures",
               "各办法的基本信息、条文结构（章/条/款/项/目）和每一条款的原文、概念及其在其他办法中的对应条款。",
               "Each measure's metadata and structure, and each clause's text, concepts and counterparts elsewhere.")

METHOD_SAID = {"text": "文字相似", "curated": "人工认定", "concept": "共同概念"}  # how a pair was found
UNIT_INDENT = {"part": 0, "chapter": 0, "section": 1, "article": 1, "paragraph": 2, "item": 3, "subitem": 4}

with ui.friendly_errors():
    store = ui.store()
    measures = run_named(store, "measures", lang=ui.lang())
    rows = measures.as_dicts()
    titles = {r["measureId"]: r["title"] for r in rows}
    st.dataframe([{ui.t("名称", "title"): r["title"],
                   ui.t("制定机关", "issuer"): r["issuer"], ui.t("地区", "region"): r["region"],
                   ui.t("层级", "level"): r["level"], ui.t("效力", "status"): r["status"],
                   ui.t("条数", "articles"): r["articles"]} for r in rows],
                 hide_index=True, width="stretch")
    ids = list(titles)
    wanted = st.query_params.get("measure")
    if wanted and wanted not in ids:
        st.warning(ui.t(f"链接中的办法“{wanted}”不存在，已显示第一部办法。",
                        f"The linked measure '{wanted}' does not exist; showing the first measure."))
    measure = st.selectbox(ui.t("办法", "Measure"), ids, index=ids.index(wanted) if wanted in ids else 0,
                           format_func=lambda i: f"《{titles[i]}》", key="measure_select")
    tree = run_named(store, "article_tree", {"measure": measure}, lang=ui.lang(), limit=None).as_dicts()
    refs = [r["ref"] for r in tree if r["ref"]]
    cited = {r["ref"]: iri_citation(r["unit"], ui.lang()) for r in tree if r["ref"]}
    wanted_ref = st.query_params.get("ref")
    if wanted_ref and wanted == measure:
        try:  # 6.5, 6.p1.5 and 第六条第一款第五项 name the same clause
            wanted_ref = str(parse_ref(wanted_ref))
        except BadInput:
            pass
        if wanted_ref not in refs:
            st.warning(ui.t(f"链接中的条款“{wanted_ref}”不在该办法中，已显示第一条。",
                            f"The linked clause '{wanted_ref}' is not in this measure; showing the first clause."))
    left, right = st.columns([2, 3])
    with left:
        st.subheader(ui.t("条文结构", "Structure"))
        lines = []
        defects = defects_of(store, measure, ui.lang())
        for r in tree:
            pad = "&nbsp;" * 4 * UNIT_INDENT.get(r["kind"], 0)
            if r["kind"] in ("part", "chapter", "section"):
                lines.append(f"{pad}**{ui.esc(r['label'] or r['heading'] or '')}**")
            else:  # each clause a link that opens it here; ⚠ where the published text is defective
                snippet = r["text"][:36] + ("…" if len(r["text"]) > 36 else "")
                flag = " ⚠" if r["unit"] in defects else ""
                href = ui.link(measure=measure, ref=r["ref"])
                lines.append(f"{pad}<a href='{ui.esc(href)}' target='_self'>{ui.esc(cited[r['ref']])}</a>{flag} "
                             f"{ui.esc(snippet)}")
        with st.container(height=520):
            st.markdown("  \n".join(lines), unsafe_allow_html=True)
    with right:
        ref = st.selectbox(ui.t("条款", "Clause"), refs, format_func=lambda r: cited.get(r, r),
                           index=refs.index(wanted_ref) if wanted_ref in refs else 0, key="ref_select")
        st.query_params["measure"] = measure
        st.query_params["ref"] = ref
        clause = show_clause(store, measure, ref, lang=ui.lang())
        st.subheader(clause["label"])
        st.markdown(f"<div class='clause'>{ui.esc(clause['text'])}</div>", unsafe_allow_html=True)
        for d in clause.get("defects", []):
            st.warning(ui.t("原文缺陷：", "Defect of the published text: ") + (d["note"] or d["kind"]))
        st.caption(" › ".join(p["label"] for p in clause["parents"]))
        st.markdown(f"{ui.t('引用链接', 'Link to cite')}: `?measure={measure}&ref={ref}` · `{clause['iri']}`")
        st.markdown("**" + ui.t("条款所涉概念", "Concepts of this clause") + "**")
        if clause["concepts"]:
            for c in clause["concepts"]:
                props = sorted({link["property_label"] for link in c.get("links", [])})
                st.markdown(f"- {ui.esc(c['label'])}（{ui.esc('、'.join(props))}）")
        else:
            st.caption(ui.t("（无标注概念）", "(no annotated concept)"))
        st.markdown("**" + ui.t("其他办法中的对应条款", "Counterparts in the other measures") + "**")
        found = False
        others = [i for i in ids if i != measure]
        if len(others) > 8:  # a large corpus: the user picks the measures to look in
            others = st.multiselect(ui.t("在这些办法中查找", "Look in these measures"), others,
                                    default=others[:5], key="counterpart_measures")
        concepts = ui.finder_index().concepts
        for other in others:
            with st.spinner(ui.t(f"查找 {other} 中的对应条款……", f"Looking for counterparts in {other} …")):
                result = compare(store, measure, other, index=ui.finder_index(), with_diff=False)
            for pair in result["pairs"]:
                if pair["a"]["iri"] == clause["iri"]:
                    found = True
                    basis = "、".join(
                        (concepts[x["concept"]].label_zh if ui.lang() == "zh" else concepts[x["concept"]].label_en)
                        if x.get("concept") in concepts else METHOD_SAID.get(x["method"], x["method"])
                        for x in pair["basis"])
                    b = pair["b"]
                    cite = iri_citation(b["iri"], ui.lang())
                    st.markdown(f"<div class='cite'>《{ui.esc(titles[other])}》{ui.esc(cite)} · "
                                f"{ui.t('相关', 'correspondence')} {pair['score']:.0%} · {ui.esc(basis)}</div>"
                                f"<div class='clause'>{ui.esc(b['text'])}</div>", unsafe_allow_html=True)
        if not found:
            st.caption(ui.t("其他办法中没有对应条款。", "No counterpart in the other measures."))
