"""对比: the measures side by side: a matrix of situations, conditions, consequences and
procedure (shared vs unique, coloured), and two measures' corresponding provisions with a
character-level diff. CSV export of both."""


import streamlit as st

from rongcuo_kg.app import ui
from rongcuo_kg.finding.compare import compare
from rongcuo_kg.finding.matrix import KINDS, matrix
from rongcuo_kg.sheets import csv_text

ui.page_header("对比", "Compare",
               "选择两部或多部办法：概念矩阵显示共有与独有的规定；对应条款逐字对比。",
               "Pick two or more measures: the matrix shows what they share and what is unique; corresponding provisions are diffed character by character.")

KIND_LABELS = {"situation": ("容错情形", "situations"), "condition": ("容错条件", "conditions"),
               "consequence": ("处理结果", "consequences"), "procedure": ("程序", "procedure"),
               "exclusion": ("不予容错", "exclusions"), "mitigation": ("从轻减轻", "mitigation"),
               "duty-fulfilled": ("履职尽责", "duty fulfilled"), "correction": ("纠错措施", "correction"),
               "body": ("机构", "bodies"), "principle": ("原则", "principles")}


with ui.friendly_errors():
    store = ui.store()
    index = ui.finder_index()
    all_measures = sorted(index.by_measure)
    chosen = st.multiselect(ui.t("办法（至少两部）", "Measures (two or more)"), all_measures,
                            default=all_measures[:3], key="measures")
    if len(chosen) < 2:
        st.warning(ui.t("请至少选择两部办法。", "Pick at least two measures."))
        st.stop()
    kinds = [k for k in KIND_LABELS if k in KINDS]
    kind_names = {k: ui.t(*KIND_LABELS[k]) for k in kinds}  # labels fixed during the run
    kind = st.radio(ui.t("矩阵", "Matrix"), kinds, horizontal=True, key="kind", format_func=kind_names.get)
    with st.spinner(ui.t("生成矩阵……", "Building the matrix …")):
        result = matrix(store, kind, lang=ui.lang(), index=index)
    header = [ui.t("概念", "concept")] + chosen + [ui.t("共有", "shared by")]
    rows = []
    for c in result["concepts"]:
        cells = [", ".join(c["cells"].get(m, [])) for m in chosen]
        n = sum(1 for x in cells if x)
        if n:
            rows.append([c["label"]] + cells + [n])
    import pandas as pd

    frame = pd.DataFrame(rows, columns=header)
    full = len(chosen)

    def colour(row):
        n = row.iloc[-1]
        shade = "#d9f7be" if n == full else ("#fff1b8" if n > 1 else "#ffd8bf")
        return [f"background-color: {shade}" if (k == 0 or v) else "" for k, v in enumerate(row)]

    st.dataframe(frame.style.apply(colour, axis=1), hide_index=True, width="stretch")
    st.caption(ui.t("绿色：所选办法均有；黄色：部分办法有；橙色：仅一部办法有。单元格为条款号。",
                    "Green: in every chosen measure; yellow: in some; orange: in one only. Cells give clause refs."))
    st.download_button(ui.t("下载矩阵 CSV", "Download the matrix (CSV)"), csv_text(header, rows),
                       file_name=f"matrix-{kind}.csv", mime="text/csv", key="matrix_csv")

    st.subheader(ui.t("对应条款", "Corresponding provisions"))
    c1, c2 = st.columns(2)
    a = c1.selectbox("A", chosen, index=0, key="side_a")
    b = c2.selectbox("B", [m for m in chosen if m != a], index=0, key="side_b")
    with st.spinner(ui.t("比对中……", "Comparing …")):
        res = compare(store, a, b, index=index)
    pairs = res["pairs"]
    labels = [f"{ui.ref_text(p['a'])} ↔ {ui.ref_text(p['b'])} · {p['score']:.2f} · "
              + ", ".join(x.get("concept") or x["method"] for x in p["basis"]) for p in pairs]
    st.caption(ui.t(f"{len(pairs)} 对对应条款；仅 {a} 有 {len(res['only_a'])} 条，仅 {b} 有 {len(res['only_b'])} 条。",
                    f"{len(pairs)} corresponding pairs; {len(res['only_a'])} provisions only in {a}, "
                    f"{len(res['only_b'])} only in {b}."))
    if pairs:
        k = st.selectbox(ui.t("选择一对", "Pick a pair"), range(len(pairs)), format_func=lambda i: labels[i],
                         key="pair")
        pa, pb = ui.diff_html(pairs[k]["diff"])
        left, right = st.columns(2)
        left.markdown(f"**{a} {ui.ref_text(pairs[k]['a'])}**<div class='clause'>{pa}</div>", unsafe_allow_html=True)
        right.markdown(f"**{b} {ui.ref_text(pairs[k]['b'])}**<div class='clause'>{pb}</div>", unsafe_allow_html=True)
        st.caption(ui.t("删除线：A 有而 B 无；下划底色：B 新增。", "Struck: in A only; highlighted: added in B."))
    st.download_button(
        ui.t("下载对应条款 CSV", "Download the pairs (CSV)"),
        csv_text(["a_ref", "b_ref", "score", "basis", "a_text", "b_text"],
             [[ui.ref_text(p["a"]), ui.ref_text(p["b"]), p["score"],
               "; ".join(x.get("concept") or x["method"] for x in p["basis"]), p["a"]["text"], p["b"]["text"]]
              for p in pairs]
             + [[ui.ref_text(c), "", "", f"only {a}", c["text"], ""] for c in res["only_a"]]
             + [["", ui.ref_text(c), "", f"only {b}", "", c["text"]] for c in res["only_b"]]),
        file_name=f"compare-{a}-{b}.csv", mime="text/csv", key="pairs_csv")
    with st.expander(ui.t(f"仅 {a} 有的条款", f"Only in {a}")):
        for c in res["only_a"]:
            st.markdown(f"`{ui.ref_text(c)}` {ui.esc(c['text'])}")
    with st.expander(ui.t(f"仅 {b} 有的条款", f"Only in {b}")):
        for c in res["only_b"]:
            st.markdown(f"`{ui.ref_text(c)}` {ui.esc(c['text'])}")
