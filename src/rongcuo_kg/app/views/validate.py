"""案件校验: one case as an interview (pick the measure and the situation; it asks only the
facts that measure's routes need there, each starting 未查明; every answer re-decides: what-if),
or a register uploaded
as CSV, Excel, Turtle or JSON-LD; findings grouped by clause, each citing the clause's text;
downloads as JSON, CSV and HTML."""

import datetime as dt
import tempfile
from pathlib import Path

import streamlit as st

from rongcuo_kg.app import ui
from rongcuo_kg.cases.records import record_from_fields, template_csv
from rongcuo_kg.graph.querylib import run_named
from rongcuo_kg.cases.report_render import message, shows_question, report_csv, report_html, report_json, report_xlsx
from rongcuo_kg.cases.validate import Report, read_all
from rongcuo_kg.messages import line_in

ui.page_header("案件校验", "Validate cases",
               "按适用办法校验案件：是否属于所列情形、各项条件是否成立、是否属于不予容错的情形，每一结论都注明所依据的条款。",
               "Check cases against the measure that applies: situation, required conditions, exclusions; every finding cites its clause.")

OUTCOMES = {"duty_fulfilled": ("履职尽责：依法不承担责任", "duty fulfilled: no liability"),
            "exemption": ("免责", "exemption"), "mitigation": ("从轻、减轻", "mitigation"),
            "not_tolerable": ("不予容错", "not tolerable"),
            "undetermined": ("待查明：先查明下列事实", "undetermined: establish the facts below first"),
            "invalid": ("记录有误", "invalid record")}
MODALITY = {"shall": ("应当", "shall"), "may": ("可以：由认定机关决定", "may: the body decides")}
STATUS = {"holds": ("✓ 成立", "✓ holds"), "open": ("？ 待查明", "? open"), "closed": ("✗ 不成立", "✗ closed"),
          "not_applicable": ("— 不适用", "— does not apply")}
MET = {True: "✓", False: "✗", None: "？"}
FACT_VALUES = ["", "true", "false"]  # 未查明 first: nothing is preset


def fact_label(v: str) -> str:
    return {"true": ui.t("是", "yes"), "false": ui.t("否", "no"), "": ui.t("未查明", "not established")}[v]


def show_routes(result) -> None:
    """Each route that applies: its modality, whether it holds, each requirement ticked or not."""
    for r in result.routes:
        if r["status"] == "not_applicable":
            continue
        d = v.route_definition(r["id"])
        cite = d["modality_clause"]["label"] if d["modality_clause"] else ""
        st.markdown(f"**{ui.esc(ui.t(d['label'], d['label_en'] or d['label']))}** — "
                    f"{ui.t(*STATUS[r['status']])}；{ui.t(*MODALITY[r['modality']])}（{ui.esc(cite)}）")
        lines = []
        for q in r["requirements"]:
            clause = v.clause_label(q["clause"])
            if "label" in q:
                words = ui.t(q["label"], q["label_en"] or q["label"])
            elif q.get("rule") and len(q["facts"]) == 1 and v.rule(q["rule"]):  # met: in the requirement's words
                words = ui.t(*v.requirement_words(v.rule(q["rule"]), q["facts"][0]))
            else:
                words = ui.t("、", ", ").join(ui.t(*v.fact_labels().get(f, (f, f))) for f in q["facts"]) or clause
            lines.append(f"{MET[q['met']]} {ui.esc(words)} — {ui.esc(clause)}")
        if lines:
            st.markdown("\n".join(f"- {x}" for x in lines))
        note = ui.t(d["note"] or "", d["note_en"] or d["note"] or "")
        if note and r["holds"]:
            st.caption(note)
        question = ui.t(d["open_question"] or "", d["open_question_en"] or d["open_question"] or "")
        if question and shows_question(r, result):
            st.info(ui.t("条文未明：", "Open question: ") + question)


def show_case(result) -> None:
    zh, en = OUTCOMES[result.outcome]
    modality = f"（{ui.t(*MODALITY[result.route['modality']])}）" if result.route else ""
    box = {"duty_fulfilled": st.success, "exemption": st.success, "mitigation": st.warning,
           "undetermined": st.info}.get(result.outcome, st.error)
    box(f"{ui.t('结论', 'Outcome')}: **{ui.t(zh, en)}**{modality}"
        + (ui.t("（暂定：本办法的标注尚未审核）", " (provisional: this measure's annotations are not reviewed)")
           if result.provisional else ""))
    if result.missing:
        st.markdown("**" + ui.t("尚未查明、影响结论的事实：", "Facts still missing for a decision: ") + "**")
        for m in result.missing:
            cite = m["clause"]["label"] if m["clause"] else ""
            st.markdown(f"- {ui.esc(ui.t(m.get('label', m['fact']), m.get('label_en') or m['fact']))}（{ui.esc(cite)}）")
    if result.outcome != "invalid" and result.routes:
        st.markdown("**" + ui.t("认定路径", "Routes") + "**")
        show_routes(result)
    for v in result.violations:
        c = v.clause
        cite = c["label"] if c else ui.t("记录结构", "record structure")
        st.markdown(f"- **{ui.esc(cite)}**: {ui.esc(message(v, ui.lang()))}"
                    + (f"（{ui.esc(v.value)}）" if v.value is not None else ""))
        if c:
            st.markdown(f"<div class='clause'>{ui.esc(c['text'])}</div>", unsafe_allow_html=True)
    if result.consequences:
        st.markdown("**" + ui.t("办法规定的处理结果：", "Consequences the measure attaches: ") + "**")
        for c in result.consequences:
            cl = c["clause"]
            labels = ui.t("、", ", ").join(ui.t(x["label"], x.get("label_en") or x["label"]) for x in c["concepts"])
            st.markdown(f"- {ui.esc(cl['label'] if cl else '')}" + (f"：{ui.esc(labels)}" if labels else ""))
            if cl:
                st.markdown(f"<div class='clause'>{ui.esc(cl['text'])}</div>", unsafe_allow_html=True)


MAX_COMPARED = 5  # measures a case is decided under at once, unless the reader picks others

with ui.friendly_errors():
    store = ui.store()
    v = ui.validator()
    index = ui.finder_index()
    measures = sorted(v.reference.measures)
    tab_form, tab_all, tab_register = st.tabs([ui.t("单个案件", "One case"),
                                               ui.t("各办法对照", "Under every measure"),
                                               ui.t("案件登记簿", "A register")])

    with tab_form:
        qp = st.query_params
        wanted = qp.get("measure")
        ui.warn_unknown_link("办法", "measure", wanted, measures)
        measure = st.selectbox(ui.t("适用办法", "Measure"), measures,
                               index=measures.index(wanted) if wanted in measures else 0,
                               format_func=lambda m: f"《{v.reference.measures[m]}》", key="form_measure")
        rows = run_named(store, "internal/shape_situations", {"measure": measure}, limit=None).as_dicts()
        options = list(dict.fromkeys(r["concept"] for r in rows))
        label = {cid: (index.concepts[cid].label_zh if ui.lang() == "zh" else index.concepts[cid].label_en)
                 if cid in index.concepts else cid for cid in options}
        linked = [s for s in (qp.get("situations") or "").split(";") if s]
        for s in linked:
            ui.warn_unknown_link("情形", "situation", s, options)
        preset = [s for s in linked if s in options]
        situations = st.multiselect(ui.t("案件所处情形", "Situations"), options, default=preset or options[:1],
                                    format_func=lambda c: label[c], key=f"form_situations_{measure}")
        c1, c2, c3 = st.columns(3)
        subject = c1.text_input(ui.t("当事人", "Subject"), "某某局", key="form_subject")
        date = c2.date_input(ui.t("日期", "Date"), dt.date.today(), key="form_date")
        issue = c3.text_input(ui.t("事项标识", "Issue key"), ui.t("事项1", "matter 1"), key="form_issue")
        questions = v.questions(measure, situations)
        st.markdown("**" + ui.t("请查明以下事实（只问本办法在此情形下需要的；改动即重新认定）",
                                "Establish these facts (only those this measure needs here; each change re-decides)") + "**")
        facts = {}
        value_names = {x: fact_label(x) for x in FACT_VALUES}  # labels fixed during the run
        for q in questions:
            words = ui.t("；".join(dict.fromkeys(r["words"] for r in q["requirements"])),
                         "; ".join(dict.fromkeys(r["words_en"] or r["words"] for r in q["requirements"])))
            cites = "、".join(dict.fromkeys(r["clause"]["label"] for r in q["requirements"] if r["clause"]))
            facts[q["fact"]] = st.radio(words, FACT_VALUES, index=0, horizontal=True, format_func=value_names.get,
                                        help=cites, key=f"fact_{measure}_{q['fact']}")
            st.caption(cites)
        record = record_from_fields({"case_id": "FORM-1", "measure": measure, "subject": subject,
                                     "date": date.isoformat(), "situations": ";".join(situations),
                                     "issue_key": issue, "description": "", **facts})
        st.divider()
        show_case(v.validate([record])[0])

    with tab_all:
        st.caption(ui.t("同一案件、同样的事实，在每部办法下分别认定：结论、路径及其情态、决定结论的要件。",
                        "The same case and facts decided under each measure: outcome, route and modality, "
                        "the requirement that decides it."))
        # the measures compared (a corpus of hundreds is compared a few at a time: each is decided)
        compared = st.multiselect(ui.t("比较的办法", "Measures compared"), measures, default=measures[:MAX_COMPARED],
                                  format_func=lambda m: f"《{v.reference.measures[m]}》", key="all_measures")
        if not compared:
            st.info(ui.t("请选择至少一部办法。", "Pick at least one measure."))
        all_rows = [r for m in compared
                    for r in run_named(store, "internal/shape_situations", {"measure": m}, limit=None).as_dicts()]
        all_options = list(dict.fromkeys(r["concept"] for r in all_rows))
        all_label = {cid: (index.concepts[cid].label_zh if ui.lang() == "zh" else index.concepts[cid].label_en)
                     if cid in index.concepts else cid for cid in all_options}
        chosen = st.multiselect(ui.t("案件所处情形", "Situations"), all_options, default=all_options[:1],
                                format_func=lambda c: all_label[c], key="all_situations")
        asked: dict[str, dict] = {}
        for m in compared:
            for q in v.questions(m, chosen):
                entry = asked.setdefault(q["fact"], {**q, "requirements": []})
                entry["requirements"] += q["requirements"]
        all_facts = {}
        value_names = {x: fact_label(x) for x in FACT_VALUES}
        for q in asked.values():
            cites = "、".join(dict.fromkeys(r["clause"]["label"] for r in q["requirements"] if r["clause"]))
            all_facts[q["fact"]] = st.radio(ui.t(q["label"], q["label_en"]), FACT_VALUES, index=0, horizontal=True,
                                            format_func=value_names.get, help=cites, key=f"all_fact_{q['fact']}")
            st.caption(cites)
        record = record_from_fields({"case_id": "FORM-ALL", "measure": (compared or measures)[0], "subject": "某某局",
                                     "date": dt.date.today().isoformat(), "situations": ";".join(chosen),
                                     "issue_key": "issue-1", "description": "", **all_facts})
        st.divider()
        (_, by_measure), = v.validate_under_all([record], compared) if compared else ((None, {}),)
        st.dataframe([{
            ui.t("办法", "measure"): f"《{v.reference.measures[m]}》",
            ui.t("结论", "outcome"): ui.t(*OUTCOMES[r.outcome]),
            ui.t("路径", "route"): ui.t(r.route["label"], r.route["label_en"] or r.route["label"]) if r.route else "—",
            ui.t("情态", "modality"): ui.t(*MODALITY[r.route["modality"]]) if r.route else "—",
            ui.t("决定结论的要件", "deciding requirements"): "；".join(
                (x.clause["label"] if x.clause else "") + f"（{value_names.get(x.value, x.value)}）"
                for x in r.violations) or "—",
            ui.t("待查明", "to establish"): "；".join(ui.t(x.get("label", x["fact"]), x.get("label_en") or x["fact"])
                                                   for x in r.missing) or "—"}
            for m, r in by_measure.items()], hide_index=True, width="stretch")

    with tab_register:
        st.download_button(ui.t("下载登记簿模板（CSV）", "Download a register template (CSV)"), template_csv(),
                           file_name="register-template.csv", mime="text/csv", key="template")
        limit = ui.upload_limit_mb()
        upload = st.file_uploader(ui.t(f"上传登记簿（CSV、XLSX、Turtle、JSON-LD；不超过 {limit} MB）",
                                       f"Upload a register (CSV, XLSX, Turtle, JSON-LD; at most {limit} MB)"),
                                  type=["csv", "xlsx", "ttl", "jsonld", "json"], key="upload")
        if upload is not None:
            data = upload.getvalue()
            if len(data) > limit * 1024 * 1024:
                st.error(ui.t(f"文件过大：{len(data) / 2**20:.1f} MB，上限 {limit} MB。",
                              f"File too large: {len(data) / 2**20:.1f} MB, the limit is {limit} MB."))
                st.stop()
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / Path(upload.name).name
                path.write_bytes(data)
                with st.spinner(ui.t("校验中……", "Validating …")):
                    records, errors, warnings = read_all([path], max_bytes=limit * 1024 * 1024)
                    results = v.validate(records)
                    report = Report(results, [e.replace(str(path), upload.name) for e in errors], warnings,
                                    route_definitions=v.route_definitions(results),
                                    titles=dict(v.reference.measures))
            for e in report.errors:
                hint = ui.t("（请将文件另存为 UTF-8 或 GBK 编码后重新上传）", " (save the file as UTF-8 or GBK and upload it again)") \
                    if "cannot decode" in e else ""
                st.error(ui.t("无法读取：", "Cannot read: ") + line_in(e, ui.lang()) + hint)
            for w in report.warnings:
                st.warning(line_in(w, ui.lang()))
            if report.errors and not report.cases:
                st.stop()
            s = report.summary()
            m1, m2, m3, m4 = st.columns(4)
            m1.metric(ui.t("案件数", "Cases"), s["cases"])
            m2.metric(ui.t("符合", "Conforming"), s["conforming"])
            m3.metric(ui.t("不符合", "Not conforming"), s["non_conforming"])
            m4.metric(ui.t("违规项", "Violations"), s["violations"])
            st.markdown("**" + ui.t("按条款汇总", "By clause") + "**")
            st.dataframe([{ui.t("条款", "clause"): e["label"], ui.t("次数", "count"): e["count"],
                           ui.t("说明", "message"): e["message"],
                           ui.t("条文", "text"): e["clause"]["text"] if e["clause"] else ""}
                          for e in s["by_clause"]], hide_index=True, width="stretch")
            st.markdown("**" + ui.t("按办法汇总", "By measure") + "**")
            titled = lambda m: f"《{v.reference.measures[m]}》" if m in v.reference.measures else m  # noqa: E731
            st.dataframe([{ui.t("办法", "measure"): titled(k), ui.t("案件", "cases"): m["cases"],
                           ui.t("符合", "conforming"): m["conforming"],
                           **{ui.t(*OUTCOMES[o]): n for o, n in m["by_outcome"].items() if o in OUTCOMES}}
                          for k, m in s["by_measure"].items()], hide_index=True, width="stretch")
            st.markdown("**" + ui.t("逐案结果", "Case by case") + "**")
            st.dataframe([{ui.t("案件编号", "case"): c.record.case_id, ui.t("办法", "measure"): titled(c.record.measure),
                           ui.t("结论", "outcome"): ui.t(*OUTCOMES[c.outcome]),
                           ui.t("违规项", "violations"): "；".join(
                               (x.clause["label"] if x.clause else ui.t("记录结构", "record structure")) for x in c.violations)}
                          for c in report.cases], hide_index=True, width="stretch")
            ids = [c.record.case_id or f"#{k}" for k, c in enumerate(report.cases)]
            if ids:
                k = st.selectbox(ui.t("查看案件详情", "Case detail"), range(len(ids)), format_func=lambda i: ids[i],
                                 key="case_detail")
                show_case(report.cases[k])
            d1, d2, d3, d4 = st.columns(4)
            d1.download_button("JSON", report_json(report),
                               file_name="validation.json", mime="application/json", key="dl_json")
            d2.download_button("CSV", report_csv(report, lang=ui.lang()), file_name="validation.csv", mime="text/csv", key="dl_csv")
            d3.download_button("HTML", report_html(report, lang=ui.lang()), file_name="validation.html", mime="text/html",
                               key="dl_html")
            d4.download_button("Excel", report_xlsx(report, lang=ui.lang()), file_name="validation.xlsx",
                               mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="dl_xlsx")
