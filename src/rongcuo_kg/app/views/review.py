"""新增办法: add a new local measure (.txt, .docx, text PDF) with suggested annotations, and review
the suggestions: accepted ones are used like curated annotations, rejected ones dropped."""

import tempfile
from pathlib import Path

import streamlit as st

from rongcuo_kg.app import ui
from rongcuo_kg.errors import RongcuoError
from rongcuo_kg.adding.ingest import ingest
from rongcuo_kg.adding.review import decide, list_suggestions
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
                    result = ingest(path, data, new_id.strip(), region=region or None, index=ui.finder_index())
            except RongcuoError as exc:  # named by the uploaded file's name, not the server's temp path
                st.error(ui.t("未能加入（图谱未改动）：", "Not added (the graph is unchanged): ")
                         + str(exc).replace(str(path), upload.name))
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
    mid = st.selectbox(ui.t("办法", "Measure"), ids, key="review_measure")
    rows = list_suggestions(data, mid)
    status = st.radio(ui.t("显示", "Show"), ["pending", "auto", "accepted", "rejected"], horizontal=True,
                      key="review_status")
    shown = [r for r in rows if r["status"] == status]
    st.dataframe([{"#": r["number"], ui.t("条款", "clause"): r["ref"], ui.t("属性", "property"): r["property"],
                   ui.t("概念", "concept"): r["concept"], ui.t("置信度", "confidence"): r["confidence"],
                   ui.t("理由", "reason"): r["reason"]} for r in shown], hide_index=True, width="stretch")
    numbers = [r["number"] for r in shown]
    c1, c2 = st.columns(2)
    accept = c1.multiselect(ui.t("接受", "Accept"), numbers, key="accept")
    reject = c2.multiselect(ui.t("拒绝", "Reject"), numbers, key="reject")
    if (accept or reject) and st.button(ui.t("保存复核结果", "Save decisions"), key="decide"):
        decide(data, mid, accept=accept, reject=reject)
        refresh()
        st.success(ui.t(f"已保存：接受 {len(accept)} 条，拒绝 {len(reject)} 条。",
                        f"Saved: {len(accept)} accepted, {len(reject)} rejected."))
        st.rerun()
