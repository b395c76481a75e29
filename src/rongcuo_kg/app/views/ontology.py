"""本体: the ontology's classes and properties (by label, under their parents; their IRIs, which a
SPARQL query names, last) and the concept schemes — each concept by its label with its definition in full and a link
to the clauses linked to it — and a picture of the concept network (SVG made here: renders offline)."""


import streamlit as st

from rongcuo_kg.app import ui
from rongcuo_kg.app.conceptmap import concept_map_svg, explorable_html
from rongcuo_kg.graph.querylib import run_named

ui.page_header("本体", "Ontology",
               "知识图谱的类、属性和概念体系（中英文标签与定义），以及概念网络图。",
               "The classes, properties and concept schemes of the graph (zh and en labels and definitions), and the concept network.")

with ui.friendly_errors():
    store = ui.store()
    terms = run_named(store, "internal/ontology_terms", limit=None).as_dicts()
    concepts = run_named(store, "internal/ontology_concepts", limit=None).as_dicts()
    zh = ui.lang() == "zh"

    def short(iri):
        return (iri or "").rsplit("#", 1)[-1].rsplit("/", 1)[-1]

    label = {short(r["term"]): (r["labelZh"] if zh else r["labelEn"]) or short(r["term"]) for r in terms}
    other = "labelEn" if zh else "labelZh"

    def ordered(rows):  # under their parent, the parent's own first: the hierarchy read top down
        return sorted(rows, key=lambda r: (label.get(short(r["parent"]), "") if r["parent"] else "",
                                           (r["labelZh"] if zh else r["labelEn"]) or ""))

    tab_classes, tab_props, tab_concepts, tab_map = st.tabs(
        [ui.t("类", "Classes"), ui.t("属性", "Properties"), ui.t("概念体系", "Concept schemes"),
         ui.t("概念网络图", "Concept network")])
    with tab_classes:
        st.dataframe([{ui.t("类", "class"): r["labelZh"] if zh else r["labelEn"],
                       ui.t("英文", "Chinese"): r[other],
                       ui.t("上位类", "subclass of"): label.get(short(r["parent"]), "—") if r["parent"] else "—",
                       ui.t("定义", "definition"): r["definitionZh"] if zh else r["definitionEn"],
                       "IRI": r["term"]}
                      for r in ordered(x for x in terms if x["kind"] == "Class")], hide_index=True, width="stretch")
    with tab_props:
        st.dataframe([{ui.t("属性", "property"): r["labelZh"] if zh else r["labelEn"],
                       ui.t("英文", "Chinese"): r[other],
                       ui.t("上位属性", "sub-property of"): label.get(short(r["parent"]), "—") if r["parent"] else "—",
                       ui.t("定义", "definition"): r["definitionZh"] if zh else r["definitionEn"],
                       "IRI": r["term"]}
                      for r in ordered(x for x in terms if x["kind"] != "Class")], hide_index=True, width="stretch")
    with tab_concepts:
        schemes = list(dict.fromkeys(r["scheme"] for r in concepts))
        names = {r["scheme"]: (r["schemeZh"] if zh else r["schemeEn"]) for r in concepts}
        scheme = st.selectbox(ui.t("概念体系", "Scheme"), schemes, format_func=names.get, key="scheme",
                              index=schemes.index("situations") if "situations" in schemes else 0)
        said = {r["concept"]: (r["labelZh"] if zh else r["labelEn"]) or r["concept"] for r in concepts}
        for r in sorted((x for x in concepts if x["scheme"] == scheme),
                        key=lambda x: (said.get(x["broader"], "") if x["broader"] else "", said[x["concept"]])):
            n = int(r["clauses"] or 0)
            where = (f"[{ui.t(f'{n} 个条款', f'{n} clauses')}]({ui.link('sparql', query='clauses_for_concept', **{'p.concept': r['concept']})})"
                     if n else ui.t("尚无条款", "no clause yet"))
            broader = f" · {ui.t('上位概念', 'broader')}：{ui.esc(said.get(r['broader'], r['broader']))}" if r["broader"] else ""
            other_label = f"<span lang='{'en' if zh else 'zh'}'>{ui.esc((r['labelEn'] if zh else r['labelZh']) or '')}</span>"
            st.markdown(f"**{ui.esc(said[r['concept']])}**（{other_label}）"
                        f"{broader} · {where}  \n{ui.esc((r['definitionZh'] if zh else r['definitionEn']) or '')}",
                        unsafe_allow_html=True)
    with tab_map:
        core = [s for s in ("situations", "conditions", "exclusions", "consequences") if s in names]
        drawn = st.multiselect(ui.t("显示的概念体系", "Schemes drawn"), schemes, default=core or schemes[:4],
                               format_func=names.get, key="map_schemes")
        drawn_concepts = [{"scheme": r["scheme"], "schemeLabel": names[r["scheme"]], "concept": r["concept"],
                           "label": r["labelZh"] if zh else r["labelEn"], "broader": r["broader"]}
                          for r in concepts if r["scheme"] in drawn]
        svg = concept_map_svg(drawn_concepts, lang=ui.lang())
        linked = concept_map_svg(drawn_concepts, lang=ui.lang(), href=lambda cid: ui.link(
            "sparql", query="clauses_for_concept", **{"p.concept": cid}))
        st.caption(ui.t("拖动平移，滚轮或 ＋/－ 缩放；点击概念，在新标签页列出其条款。",
                        "Drag to pan, wheel or ＋/－ to zoom; click a concept to list its clauses in a new tab."))
        st.iframe(explorable_html(linked, ui.lang()), height=780)  # our own escaped SVG and script only
        st.download_button(ui.t("下载 SVG", "Download SVG"), svg, file_name="concept-network.svg",
                           mime="image/svg+xml", key="svg")
