"""新增办法: add a new local measure (.txt, .docx, text PDF) with suggested annotations, and review
the suggestions: accepted ones are used like curated annotations, rejected ones dropped."""

import tempfile
from pathlib import Path

import streamlit as st

from rongcuo_kg.app import ui
from rongcuo_kg.errors import BadInput, RongcuoError
from rongcuo_kg.messages import message_in
from rongcuo_kg.adding.ingest import ingest
from rongcuo_kg.adding.review import (clause_texts, decide, described, link_kind_labels, list_suggestions,
                                      status_label)
from rongcuo_kg.text.corpus import is_shipped_corpus

ui.page_header("新增办法", "Add measures",
               "上传新的地方办法，系统标出各条款可能涉及的情形、条件、结果等概念（附置信度与理由）；复核后生效。",
               "Upload a new local measure: the concepts its clauses likely state are suggested, with confidence and reason; review them.")


def refresh() -> None:
    """The corpus changed: build the graph and indexes again on the next use."""
    ui.forget_resources()


with ui.friendly_errors():
    data = Path(ui.data_folder())
    if is_shipped_corpus(data):
        st.info(ui.t("内置语料只读。要加入新的办法，请先建立自己的语料目录：`rongcuo-kg init 目录`，"
                     "再以 `rongcuo-kg app --data 目录` 启动。",
                     "The corpus shipped with rongcuo-kg is read-only. To add measures, start a corpus "
                     "folder of your own with `rongcuo-kg init DIR`, then `rongcuo-kg app --data DIR`."))
        st.stop()
    who = ui.editor()
    if who is None:
        st.stop()
    st.subheader(ui.t("上传办法", "Upload a measure"))
    c1, c2 = st.columns([2, 1])
    upload = c1.file_uploader(ui.t("办法文件（.txt、.docx、PDF）", "Measure file (.txt, .docx, PDF)"),
                              type=["txt", "docx", "pdf"], key="measure_file")
    new_id = c2.text_input(ui.t("标识（小写字母、数字、_ 或 -）", "Id (lower-case letters, digits, _ or -)"),
                           key="measure_id")
    region = c2.text_input(ui.t("地区", "Region"), key="measure_region")
    if upload is not None and new_id and st.button(ui.t("加入图谱", "Add to the graph"), key="ingest", type="primary"):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / Path(upload.name).name
            path.write_bytes(upload.getvalue())
            try:
                with st.spinner(ui.t("读取并生成建议标注……", "Reading and suggesting annotations …")):
                    result = ingest(path, data, new_id.strip(), region=region or None, index=ui.finder_index(),
                                    added_by=who)
            except RongcuoError as exc:  # named by the uploaded file's name, not the server's temp path
                st.error(ui.t("未能加入（图谱未改动）：", "Not added (the graph is unchanged): ")
                         + message_in(exc, ui.lang()).replace(str(path), upload.name))
                st.stop()
        refresh()
        st.success(ui.t(f"已加入 {new_id}《{result.meta['title']}》：{result.measure.size('zh')}，"
                        f"{len(result.suggestions)} 条建议标注（{len(result.auto)} 条立即生效）。",
                        f"Added {new_id} 《{result.meta['title']}》: {result.measure.size()}, "
                        f"{len(result.suggestions)} suggestions ({len(result.auto)} used at once)."))

    st.subheader(ui.t("复核建议标注", "Review suggestions"))
    folder = data / "annotations" / "suggested"
    ids = sorted(p.stem for p in folder.glob("*.ttl")) if folder.is_dir() else []
    if not ids:
        st.info(ui.t("还没有通过本页或 `rongcuo-kg ingest` 新增的办法。",
                     "No measure has been added here or with `rongcuo-kg ingest` yet."))
        st.stop()
    mid = st.selectbox(ui.t("办法", "Measure"), ids, key="review_measure",
                       format_func=lambda m: f"《{ui.measure_titles().get(m, m)}》")
    rows = described(data, mid, list_suggestions(data, mid), lang=ui.lang())
    status = st.radio(ui.t("显示", "Show"), ["pending", "auto", "accepted", "rejected"], horizontal=True,
                      key="review_status", format_func=lambda x: status_label(x, ui.lang()))
    shown = [r for r in rows if r["status"] == status]
    st.dataframe([{ui.t("编号", "#"): r["number"], ui.t("条款", "Clause"): r["citation"],
                   ui.t("条文", "Text"): r["text"], ui.t("链接种类", "Kind of link"): r["property_label"],
                   ui.t("概念", "Concept"): r["concept_label"], ui.t("置信度", "Confidence"): r["confidence"],
                   ui.t("建议理由", "Why suggested"): r["reason_label"]} for r in shown], hide_index=True, width="stretch")
    numbers = [r["number"] for r in shown]
    c1, c2 = st.columns(2)
    accept = c1.multiselect(ui.t("接受", "Accept"), numbers, key="accept",
                            placeholder=ui.t("选择建议编号", "Choose suggestions"))
    reject = c2.multiselect(ui.t("拒绝", "Reject"), numbers, key="reject",
                            placeholder=ui.t("选择建议编号", "Choose suggestions"))
    kind_label = link_kind_labels(ui.lang())
    kind_ids = sorted(kind_label, key=kind_label.get)
    with st.expander(ui.t("改变链接种类", "Change the kind of link")):
        c3, c4 = st.columns(2)
        change_n = c3.selectbox(ui.t("建议编号", "Suggestion"), [None] + [r["number"] for r in rows], key="change_n",
                                format_func=lambda n: "—" if n is None else str(n))
        change_kind = c4.selectbox(ui.t("改为", "Change to"), kind_ids, key="change_kind", format_func=kind_label.get)
    with st.expander(ui.t("新增链接（建议中没有的）", "Add a link the suggestions miss")):
        clauses = clause_texts(data, mid)
        c5, c6, c7 = st.columns([3, 1, 2])
        add_clause = c5.selectbox(ui.t("条款", "Clause"), [None] + list(clauses), key="add_clause",
                                  format_func=lambda i: "—" if i is None else f"{clauses[i][0]}  {clauses[i][1][:40]}")
        add_kind = c6.selectbox(ui.t("链接种类", "Kind"), kind_ids, key="add_kind", format_func=kind_label.get)
        add_concept = c7.text_input(ui.t("概念（中文名称）", "Concept (its Chinese label)"), key="add_concept")
    change = [(change_n, change_kind)] if change_n else []
    add = [(clauses[add_clause][0], add_kind, add_concept)] if add_clause and add_concept.strip() else []
    if (accept or reject or change or add) and st.button(ui.t("保存复核结果", "Save decisions"), key="decide"):
        try:
            decide(data, mid, accept=accept, reject=reject, change=change, add=add, reviewer=who)
        except BadInput as exc:
            st.error(ui.t("未保存：", "Not saved: ") + message_in(exc, ui.lang()))
            st.stop()
        refresh()
        st.success(ui.t(f"已保存（复核人：{who}）：接受 {len(accept)} 条，拒绝 {len(reject)} 条，"
                        f"改变 {len(change)} 条，新增 {len(add)} 条。",
                        f"Saved (reviewer: {who}): {len(accept)} accepted, {len(reject)} rejected, "
                        f"{len(change)} changed, {len(add)} added."))
        st.rerun()
