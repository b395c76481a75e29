"""本体: the ontology's classes and properties and the concept schemes, with zh and en labels and
definitions, and a picture of the concept network (SVG made here: renders offline)."""

import base64

import streamlit as st

from rongcuo_kg.app import ui
from rongcuo_kg.app.conceptmap import concept_map_svg
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

    tab_classes, tab_props, tab_concepts, tab_map = st.tabs(
        [ui.t("类", "Classes"), ui.t("属性", "Properties"), ui.t("概念体系", "Concept schemes"),
         ui.t("概念网络图", "Concept network")])
    with tab_classes:
        st.dataframe([{ui.t("类", "class"): "rc:" + short(r["term"]), ui.t("中文", "zh"): r["labelZh"],
                       "en": r["labelEn"], ui.t("上位类", "subclass of"): short(r["parent"]),
                       ui.t("定义", "definition"): r["definitionZh"] if zh else r["definitionEn"]}
                      for r in terms if r["kind"] == "Class"], hide_index=True, width="stretch")
    with tab_props:
        st.dataframe([{ui.t("属性", "property"): "rc:" + short(r["term"]), ui.t("类型", "kind"): r["kind"],
                       ui.t("中文", "zh"): r["labelZh"], "en": r["labelEn"],
                       ui.t("上位属性", "sub-property of"): short(r["parent"]),
                       ui.t("定义", "definition"): r["definitionZh"] if zh else r["definitionEn"]}
                      for r in terms if r["kind"] != "Class"], hide_index=True, width="stretch")
    with tab_concepts:
        schemes = list(dict.fromkeys(r["scheme"] for r in concepts))
        names = {r["scheme"]: (r["schemeZh"] if zh else r["schemeEn"]) for r in concepts}
        scheme = st.selectbox(ui.t("概念体系", "Scheme"), schemes, format_func=lambda s: f"{names[s]} ({s})",
                              key="scheme")
        st.dataframe([{ui.t("概念", "concept"): r["concept"], ui.t("中文", "zh"): r["labelZh"], "en": r["labelEn"],
                       ui.t("上位概念", "broader"): r["broader"] or "",
                       ui.t("条款数", "clauses"): r["clauses"] or 0,
                       ui.t("定义", "definition"): r["definitionZh"] if zh else r["definitionEn"]}
                      for r in concepts if r["scheme"] == scheme], hide_index=True, width="stretch")
    with tab_map:
        core = [s for s in ("situations", "conditions", "exclusions", "consequences") if s in names]
        drawn = st.multiselect(ui.t("显示的概念体系", "Schemes drawn"), schemes, default=core or schemes[:4],
                               format_func=lambda s: f"{names[s]} ({s})", key="map_schemes")
        svg = concept_map_svg([{"scheme": r["scheme"], "schemeLabel": names[r["scheme"]], "concept": r["concept"],
                                "label": r["labelZh"] if zh else r["labelEn"], "broader": r["broader"]}
                               for r in concepts if r["scheme"] in drawn], lang=ui.lang())
        data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
        st.markdown(f'<img alt="concept network" src="data:image/svg+xml;base64,{data}" style="width:100%">',
                    unsafe_allow_html=True)
        st.download_button(ui.t("下载 SVG", "Download SVG"), svg, file_name="concept-network.svg",
                           mime="image/svg+xml", key="svg")
