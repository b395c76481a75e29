"""rongcuo-kg web app: `rongcuo-kg app` starts it (Streamlit). Each page is a thin layer over
the library (rongcuo_kg), in Chinese with an English switch."""

from pathlib import Path

import streamlit as st

from rongcuo_kg.app import ui

HERE = Path(__file__).resolve().parent

st.set_page_config(page_title="容错纠错知识图谱 rongcuo-kg", page_icon="⚖", layout="wide")
ui.language_switch()

PAGES = [  # file, zh title, en title, url path
    ("measures.py", "办法浏览", "Measures", "measures"),
    ("find.py", "情形查询", "Which clause covers my situation", "find"),
    ("compare.py", "对比", "Compare", "compare"),
    ("validate.py", "案件校验", "Validate cases", "validate"),
    ("sparql.py", "SPARQL 查询", "SPARQL", "sparql"),
    ("ontology.py", "本体", "Ontology", "ontology"),
    ("review.py", "新增办法", "Add measures", "review"),
]
pages = [st.Page(str(HERE / "views" / f), title=ui.t(zh, en), url_path=path, default=(k == 0))
         for k, (f, zh, en, path) in enumerate(PAGES)]
st.sidebar.caption(ui.t("容错纠错实施办法知识图谱", "Knowledge graph of tolerance-and-correction measures"))
ui.warn_left_out()
st.navigation(pages).run()
