"""对比: the measures side by side: a matrix of situations, conditions, consequences and
procedure (shared vs unique, coloured), and the 对照 of two measures — every provision beside its
counterpart, lone ones in their place, the words only one side has marked — with Word and Excel
exports (finding.parallel) and CSV."""


import streamlit as st

from rongcuo_kg.app import ui
from rongcuo_kg.finding.compare import compare
from rongcuo_kg.finding.matrix import KINDS, matrix
from rongcuo_kg.finding.parallel import NO_COUNTERPART, aligned_rows, citation, parallel_docx, parallel_xlsx, pieces
from rongcuo_kg.sheets import csv_text

ui.page_header("对比", "Compare",
               "选择两部或多部办法：概念矩阵显示共有与独有的规定；对应条款逐字对比。",
               "Pick two or more measures: the matrix shows what they share and what is unique; corresponding provisions are diffed character by character.")

KIND_LABELS = {"situation": ("容错情形", "situations"), "condition": ("容错条件", "conditions"),
               "consequence": ("处理结果", "consequences"), "procedure": ("程序", "procedure"),
               "exclusion": ("不予容错", "exclusions"), "mitigation": ("从轻减轻", "mitigation"),
               "duty-fulfilled": ("履职尽责", "duty fulfilled"), "correction": ("纠错措施", "correction"),
               "body": ("机构", "bodies"), "principle": ("原则", "principles")}


def parallel_html(rows, titles: tuple[str, str]) -> str:
    """The 对照 as an HTML table: A's provision, B's, and what links them; the words only one side
    has in red bold (<b class='only'>); every text escaped."""
    def side(row, key: str) -> str:
        clause = getattr(row, key)
        if clause is None:
            return f"<td class='none'>{ui.esc(NO_COUNTERPART[0 if ui.lang() == 'zh' else 1])}</td>"
        text = "".join(f"<b class='only'>{ui.esc(t)}</b>" if marked else ui.esc(t) for t, marked in pieces(row, key))
        return f"<td><b>{ui.esc(citation(clause, ui.lang()))}</b><br>{text}</td>"

    head = "".join(f"<th>{ui.esc(h)}</th>" for h in (f"《{titles[0]}》", f"《{titles[1]}》", ui.t("对应", "correspondence")))
    body = "".join(
        "<tr>" + side(r, "a") + side(r, "b")
        + (f"<td>{r.score:.0%}<br>{ui.esc('、'.join(r.shared))}</td>" if r.score is not None else "<td>—</td>")
        + "</tr>" for r in rows)
    return f"<table class='parallel'><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def matrix_html(rows, chosen: list[str], named) -> str:
    """The matrix as an HTML table: a concept per row (green: every chosen measure has it; yellow:
    some; orange: one), each cell the measure's clauses cited and linked to them (a new tab)."""
    head = "".join(f"<th>{ui.esc(h)}</th>" for h in
                   [ui.t("概念", "concept")] + [named(m) for m in chosen] + [ui.t("共有", "shared by")])
    body = []
    for label, cells, n in rows:
        shade = "all" if n == len(chosen) else ("some" if n > 1 else "one")
        tds = "".join("<td>" + "<br>".join(
            f"<a href='{ui.esc(ui.link('./', measure=m, ref=ref))}' target='_blank'>{ui.esc(cited)}</a>"
            for ref, cited in cell) + "</td>" for m, cell in zip(chosen, cells))
        body.append(f"<tr class='{shade}'><td>{ui.esc(label)}</td>{tds}<td>{n}</td></tr>")
    return f"<table class='matrix'><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


with ui.friendly_errors():
    store = ui.store()
    index = ui.finder_index()
    all_measures = sorted(index.by_measure)
    titles = ui.measure_titles()
    named = lambda m: f"《{titles.get(m, m)}》"  # noqa: E731 - a measure by its title, never its id
    chosen = st.multiselect(ui.t("办法（至少两部）", "Measures (two or more)"), all_measures,
                            default=all_measures[:3], key="measures", format_func=named)
    if len(chosen) < 2:
        st.warning(ui.t("请至少选择两部办法。", "Pick at least two measures."))
        st.stop()
    kinds = [k for k in KIND_LABELS if k in KINDS]
    kind_names = {k: ui.t(*KIND_LABELS[k]) for k in kinds}  # labels fixed during the run
    kind = st.radio(ui.t("矩阵", "Matrix"), kinds, horizontal=True, key="kind", format_func=kind_names.get)
    with st.spinner(ui.t("生成矩阵……", "Building the matrix …")):
        result = matrix(store, kind, lang=ui.lang(), index=index)
    rows, exported = [], []  # shown: titles, citations linked to their clauses; the CSV: ids and refs
    for c in result["concepts"]:
        refs = [", ".join(c["cells"].get(m, [])) for m in chosen]
        n = sum(1 for x in refs if x)
        if n:
            exported.append([c["label"]] + refs + [n])
            rows.append((c["label"], [list(zip(c["cells"][m], c["citations"][m])) for m in chosen], n))
    st.markdown(matrix_html(rows, chosen, named), unsafe_allow_html=True)
    st.caption(ui.t("绿色：所选办法均有；黄色：部分办法有；橙色：仅一部办法有。单元格为条款。",
                    "Green: in every chosen measure; yellow: in some; orange: in one only. Cells cite the clauses."))
    st.download_button(ui.t("下载矩阵 CSV", "Download the matrix (CSV)"),
                       csv_text([ui.t("概念", "concept")] + chosen + [ui.t("共有", "shared by")], exported),
                       file_name=f"matrix-{kind}.csv", mime="text/csv", key="matrix_csv")

    st.subheader(ui.t("对应条款", "Corresponding provisions"))
    c1, c2 = st.columns(2)
    a = c1.selectbox(ui.t("左栏", "Left"), chosen, index=0, key="side_a", format_func=named)
    b = c2.selectbox(ui.t("右栏", "Right"), [m for m in chosen if m != a], index=0, key="side_b", format_func=named)
    with st.spinner(ui.t("比对中……", "Comparing …")):
        res = compare(store, a, b, index=index)
    pairs = res["pairs"]
    ta, tb = titles.get(a, a), titles.get(b, b)
    st.caption(ui.t(f"对应 {len(pairs)} 处；仅见于《{ta}》{len(res['only_a'])} 条款，仅见于《{tb}》{len(res['only_b'])} 条款。",
                    f"{len(pairs)} corresponding pairs; {len(res['only_a'])} provisions only in {ta}, "
                    f"{len(res['only_b'])} only in {tb}."))
    concept_labels = {cid: (c.label_zh if ui.lang() == "zh" else c.label_en) for cid, c in index.concepts.items()}
    rows = aligned_rows(index, res, concept_labels)
    shown_kinds = {"all": ui.t("全部条款", "every provision"), "pairs": ui.t("有对应的", "corresponding pairs"),
                   "lone": ui.t("仅一方有的", "in one measure only")}
    show = st.radio(ui.t("对照", "Side by side"), list(shown_kinds), horizontal=True, key="parallel_show",
                    format_func=shown_kinds.get)
    picked = [r for r in rows if show == "all" or (show == "pairs") == (r.a is not None and r.b is not None)]
    st.markdown(parallel_html(picked, (ta, tb)), unsafe_allow_html=True)
    st.caption(ui.t("红色粗体：对方条款中没有的文字。相关度：两条款对应的程度（概念与文字）。",
                    "Red bold: words the other provision does not have. Correspondence: how closely the two "
                    "provisions correspond (concepts and words)."))
    d1, d2 = st.columns(2)
    d1.download_button(ui.t("下载对照（Word）", "Download the side by side (Word)"),
                       parallel_docx(rows, (ta, tb), ui.lang()), file_name=f"对照-{a}-{b}.docx",
                       mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                       key="parallel_docx")
    d2.download_button(ui.t("下载对照（Excel）", "Download the side by side (Excel)"),
                       parallel_xlsx(rows, (ta, tb), ui.lang()), file_name=f"对照-{a}-{b}.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       key="parallel_xlsx")
    st.download_button(
        ui.t("下载对应条款 CSV", "Download the pairs (CSV)"),
        csv_text(["a_ref", "b_ref", "score", "basis", "a_text", "b_text"],
             [[ui.ref_text(p["a"]), ui.ref_text(p["b"]), p["score"],
               "; ".join(x.get("concept") or x["method"] for x in p["basis"]), p["a"]["text"], p["b"]["text"]]
              for p in pairs]
             + [[ui.ref_text(c), "", "", f"only {a}", c["text"], ""] for c in res["only_a"]]
             + [["", ui.ref_text(c), "", f"only {b}", "", c["text"]] for c in res["only_b"]]),
        file_name=f"compare-{a}-{b}.csv", mime="text/csv", key="pairs_csv")
