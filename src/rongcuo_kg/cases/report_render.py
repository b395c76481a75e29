"""A validation report as text, CSV and a self-contained HTML page (Chinese first)."""

from __future__ import annotations

import html
import io
import json
from functools import lru_cache

from rongcuo_kg.cases.validate import Report
from rongcuo_kg.messages import line_in
from rongcuo_kg.sheets import SafeCsvWriter, xlsx_bytes

OUTCOME_ZH = {"duty_fulfilled": "履职尽责", "exemption": "免责", "mitigation": "从轻、减轻",
              "not_tolerable": "不予容错", "undetermined": "待查明", "invalid": "记录无效"}
OUTCOME_EN = {"duty_fulfilled": "duty fulfilled", "exemption": "exemption", "mitigation": "mitigation",
              "not_tolerable": "not tolerable", "undetermined": "undetermined", "invalid": "invalid record"}
MODALITY = {"shall": ("应当", "shall"), "may": ("可以（由认定机关决定）", "may (the body decides)")}
STATUS = {"holds": ("成立", "holds"), "open": ("待查明", "open: facts to establish"),
          "closed": ("不成立", "closed"), "not_applicable": ("不适用", "does not apply")}
MET = {True: "✓", False: "✗", None: "？"}


def outcome_label(outcome: str, lang: str = "zh") -> str:
    return (OUTCOME_EN if lang == "en" else OUTCOME_ZH).get(outcome, outcome)


def shows_question(r: dict, case) -> bool:
    """A route's open question matters where the outcome waits on the route or rests on it."""
    return r["status"] == "open" or (case.route is not None and r["id"] == case.route["id"])


def route_lines(c, definitions: dict[str, dict], lang: str = "zh") -> list[str]:
    """The routes that apply to a case, each with its modality and requirements, as text."""
    zh = lang != "en"
    out = []
    routes = c.routes
    if not any(r["status"] != "not_applicable" for r in routes):
        return ["    " + ("无适用路径：情形不属于本办法所列" if zh else "no route applies: the situation is not one the measure lists")]
    for r in routes:
        if r["status"] == "not_applicable":
            continue
        d = definitions.get(r["id"], {})
        label = d.get("label", r["id"]) if zh else (d.get("label_en") or d.get("label", r["id"]))
        modality = MODALITY[r["modality"]][0 if zh else 1]
        status = STATUS[r["status"]][0 if zh else 1]
        out.append(f"    {MET[r['holds']]} {label}：{modality}；{status}" if zh else
                   f"    {MET[r['holds']]} {label}: {modality}; {status}")
        for q in r["requirements"]:
            if q["met"] is not True:
                words = q["label"] if zh else (q["label_en"] or q["label"])
                value = ("；".join(VALUE_ZH.get(x, x) for x in (q["value"] or "").split(";")) if zh
                         else q["value"] or "")
                out.append(f"        {MET[q['met']]} {words}：{value}" if zh else f"        {MET[q['met']]} {words} = {value}")
        note = d.get("note") if zh else (d.get("note_en") or d.get("note"))
        if note and r["holds"]:
            out.append(("        说明：" if zh else "        note: ") + note)
        question = d.get("open_question") if zh else (d.get("open_question_en") or d.get("open_question"))
        if question and shows_question(r, c):
            out.append(("        条文未明：" if zh else "        open question: ") + question)
    return out


def cite(clause: dict | None) -> str:
    return f"{clause['measure']}:{clause['ref']}" if clause else "结构"


def in_lang(zh: str, en: str | None, lang: str) -> str:
    """The English text when asked for and written, else the Chinese."""
    return (en or zh) if lang == "en" else zh


def message(v, lang: str) -> str:
    """The rule's message in the language asked for (Chinese where no English is written)."""
    return in_lang(v.message, v.message_en, lang)


def write_report_json(report: Report, write) -> None:
    """The report as UTF-8 JSON, indented, with each case on one line of its own, written piece
    by piece (`write(bytes)`): a register of 100,000 cases is never held as one document. An
    indented dump runs json's pure-Python encoder; each case dumped compactly runs the C
    encoder, and the file still reads a case a line."""
    keys = ["conforms", "engine", "cases", "summary", "route_definitions", "errors", "warnings"]
    values = {"conforms": report.conforms, "engine": report.engine, "summary": report.summary(),
              "route_definitions": report.route_definitions, "errors": report.errors,
              "warnings": report.warnings}
    write(b"{\n")
    for k, key in enumerate(keys):
        write(f"  {json.dumps(key)}: ".encode())
        if key == "cases" and report.cases:
            write(b"[\n")
            last = len(report.cases) - 1
            for i, c in enumerate(report.cases):
                write(b"    " + c.json_bytes() + (b",\n" if i < last else b"\n"))
            write(b"  ]")
        else:
            text = json.dumps(values.get(key, []), ensure_ascii=False, indent=2, default=str).replace("\n", "\n  ")
            write(text.encode("utf-8"))
        write(b",\n" if k < len(keys) - 1 else b"\n")
    write(b"}\n")


def report_json(report: Report) -> str:
    """The report as one JSON string (for a download); see write_report_json."""
    parts: list[bytes] = []
    write_report_json(report, parts.append)
    return b"".join(parts).decode("utf-8").rstrip("\n")


VALUE_ZH = {"true": "是", "false": "否"}


def _first_name_by_id(zh_to_id: dict[str, str]) -> dict[str, str]:
    """Id → the first Chinese name that maps to it (the preferred one comes first)."""
    names: dict[str, str] = {}
    for zh, ident in zh_to_id.items():
        names.setdefault(ident, zh)
    return names


@lru_cache(maxsize=1)
def _fact_names() -> dict[str, str]:
    """A fact's (or a record field's) Chinese name, by id: the register's Chinese headers."""
    from rongcuo_kg.cases.records import zh_column_names

    return _first_name_by_id(zh_column_names())


@lru_cache(maxsize=1)
def _situation_names() -> dict[str, str]:
    """A situation's name by id: its preferred label (listed first by zh_situation_names)."""
    from rongcuo_kg.cases.records import zh_situation_names

    return _first_name_by_id(zh_situation_names())


def finding_detail(v, lang: str = "zh") -> str:
    """The field and value a finding is about, in words: （主动纠错…：否） / (proactive correction…: no)."""
    if not v.path and not v.value:
        return ""
    if lang == "en":  # by the ontology's English labels
        from rongcuo_kg.cases.records import en_names

        names = en_names()
        name = "situation" if v.path == "inSituation" else names.get(v.path, v.path) if v.path else ""
        value = "; ".join({"true": "yes", "false": "no"}.get(x, names.get(x, x))
                          for x in (v.value or "").split(";")) if v.value else ""
        return f" ({name}: {value})" if name and value else f" ({name or value})"
    name = _fact_names().get(v.path, v.path) if v.path else ""
    value = VALUE_ZH.get(v.value, v.value) if v.value else ""
    if v.path == "inSituation":  # situations by their names; one the register made up, as written
        name = "情形"
        value = "；".join(_situation_names().get(x, x) for x in (v.value or "").split(";"))
    return f"（{name}：{value}）" if name and value else f"（{name or value}）"


def clause_said(clause: dict | None, lang: str = "zh") -> str:
    """A clause as a person cites it: 《简称》第八条第一款第五项 (记录结构 for the register's own rules)."""
    if not clause:
        return "记录结构" if lang != "en" else "record structure"
    return clause["label"]  # the law's own words, in English mode too


def report_text(report: Report, lang: str = "zh") -> str:
    return "\n".join(iter_report_text(report, lang))


def iter_report_text(report: Report, lang: str = "zh"):
    """The text report a case at a time, each piece one or more lines (a register of 100,000
    cases is never held as one text)."""
    s = report.summary()
    yield (f"校验 {s['cases']} 件：{s['conforming']} 件符合，{s['non_conforming']} 件不符合，"
           f"{s['violations']} 项违反" if lang != "en" else
           f"{s['cases']} cases: {s['conforming']} conform, {s['non_conforming']} do not, "
           f"{s['violations']} findings (engine: {report.engine})")
    for c in report.cases:
        lines = []
        mark = "✓" if c.conforms else "✗"
        route = c.route
        modality = f" · {MODALITY[route['modality']][0 if lang != 'en' else 1]}" if route else ""
        measure = report.titles.get(c.record.measure)  # by its title; a measure the corpus lacks, as written
        measure = f"《{measure}》" if measure else f"[{c.record.measure or '—'}]"
        lines.append(f"{mark} {c.record.case_id or ('(无编号)' if lang != 'en' else '(no id)')} {measure} "
                     f"{outcome_label(c.outcome, lang)}{modality}  {c.record.where}"
                     + (("  暂定（规则来自未复核的标注）" if lang != "en" else "  provisional") if c.provisional else ""))
        lines += c.rendered(("text", lang), lambda c: _case_text(c, report.route_definitions, lang))
        yield "\n".join(lines)
    lines = []
    zh = lang != "en"
    if s["by_clause"]:
        lines.append("按条款汇总：" if zh else "by clause:")
        for e in s["by_clause"]:
            lines.append(f"  {e['count']:>5}  {e['label'] if zh else clause_said(e['clause'], lang)}  "
                         f"{in_lang(e['message'], e.get('message_en'), lang)}")
    if s["by_measure"]:
        lines.append("按办法汇总：" if zh else "by measure:")
        for m, e in s["by_measure"].items():
            name = f"《{report.titles[m]}》" if m in report.titles else m
            lines.append((f"  {name}：{e['cases']} 件，{e['conforming']} 件符合；" if zh else
                          f"  {name}: {e['cases']} cases, {e['conforming']} conform; ")
                         + ("，" if zh else ", ").join(f"{outcome_label(o, lang)} {n}" for o, n in e["by_outcome"].items()))
    for e in report.errors:
        lines.append(f"无法读取：{line_in(e, lang)}" if zh else f"unreadable: {e}")
    yield from lines


def _case_text(c, definitions: dict[str, dict], lang: str) -> list[str]:
    """A case's findings, routes, facts to establish and consequences, as text lines."""
    zh = lang != "en"
    lines = []
    for v in c.violations:
        lines.append(f"    - {clause_said(v.clause, lang)} {message(v, lang)}{finding_detail(v, lang)}")
    if c.routes and c.outcome != "invalid":
        lines.append("    认定路径：" if zh else "    routes:")
        lines += route_lines(c, definitions, lang)
    if c.missing:
        lines.append(("    待查明：" if zh else "    to establish: ") + "；".join(
            f"{in_lang(m.get('label', m['fact']), m.get('label_en'), lang)}（{clause_said(m['clause'], lang) if m['clause'] else ''}）"
            for m in c.missing))
    if c.consequences:
        lines.append(("    法律后果：" if zh else "    consequences: ") + "；".join(
            f"{clause_said(q['clause'], lang)} " + "、".join(in_lang(x["label"], x.get("label_en"), lang)
                                                         for x in q["concepts"])
            for q in c.consequences))
    return lines


def extra_columns(report: Report) -> list[str]:
    """The register's own further columns, in the order they first appear: kept, not dropped."""
    names: dict[str, None] = {}
    for c in report.cases:
        names.update(dict.fromkeys(c.record.extra))
    return list(names)


def report_csv(report: Report, lang: str = "zh") -> str:
    return "".join(iter_report_csv(report, lang))


REPORT_COLUMNS = ["case_id", "measure", "source", "conforms", "outcome", "route", "modality", "clause",
                  "clause_label", "message", "path", "value", "missing"]


def report_rows(report: Report, lang: str = "zh"):
    """The report as rows (one per finding; a case without findings, one row), header first:
    the same for CSV and Excel, with the register's own further columns kept at the end."""
    extra = extra_columns(report)
    yield [*REPORT_COLUMNS, *extra]
    for c in report.cases:
        missing = ";".join(m["fact"] for m in c.missing)
        kept = [c.record.extra.get(k, "") for k in extra]
        decisive = c.decisive.route if c.decisive is not None else None
        route = [decisive.id, decisive.modality] if decisive else ["", ""]
        head = [c.record.case_id, c.record.measure, c.record.where, str(c.conforms).lower(), c.outcome, *route]
        if not c.violations:
            yield [*head, "", "", "", "", "", missing, *kept]
        for v in c.violations:
            yield [*head, cite(v.clause) if v.clause else "", v.clause["label"] if v.clause else "",
                   message(v, lang), v.path or "", v.value or "", missing, *kept]


def iter_report_csv(report: Report, lang: str = "zh"):
    """The CSV report in pieces of a thousand rows; no cell is read as a formula (sheets.csv_cell)."""
    buf = io.StringIO()
    w = SafeCsvWriter(buf)
    for n, row in enumerate(report_rows(report, lang)):
        if n % 1000 == 0 and n:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
        w.writerow(row)
    yield buf.getvalue()


def report_xlsx(report: Report, lang: str = "zh") -> bytes:
    """The report as an Excel workbook: the CSV's rows, every text a text cell, never a formula."""
    return xlsx_bytes("校验结果" if lang != "en" else "validation", report_rows(report, lang))


def _case_html(c, defs: dict[str, dict], lang: str) -> tuple[str, str, str, str]:
    """A case's findings, facts to establish, routes and consequences as HTML fragments."""
    e = html.escape
    items = "".join(
        f"<li><b>{e(clause_said(v.clause))}</b>：{e(message(v, lang))}{e(finding_detail(v))}"
        + (f"<blockquote>{e(v.clause['text'])}</blockquote>" if v.clause else "") + "</li>"
        for v in c.violations)
    missing = "；".join(f"{e(m.get('label', m['fact']))}（{e(m['clause']['label']) if m['clause'] else ''}）"
                       for m in c.missing)
    routes = "".join(
        f"<li class='route {r['status']}'>{MET[r['holds']]} <b>{e(defs.get(r['id'], {}).get('label', r['id']))}</b>："
        f"{e(MODALITY[r['modality']][0])}；{e(STATUS[r['status']][0])}"
        + (f"（{e(defs[r['id']]['clause']['label'])}）" if defs.get(r["id"], {}).get("clause") else "")
        + "".join(f"<br>　{MET[q['met']]} {e(q['label'])} = {e(q['value'] or '')}"
                  for q in r["requirements"] if q["met"] is not True)
        + (f"<br><i>说明：{e(defs[r['id']]['note'])}</i>" if defs.get(r["id"], {}).get("note") and r["holds"] else "")
        + (f"<br><i>条文未明：{e(defs[r['id']]['open_question'])}</i>"
           if defs.get(r["id"], {}).get("open_question") and shows_question(r, c) else "")
        + "</li>"
        for r in c.routes if r["status"] != "not_applicable")
    cons = "".join(f"<li>{e(q['clause']['label'])}："
                   + "、".join(e(x["label"]) for x in q["concepts"]) + "</li>"
                   for q in c.consequences)
    return items, missing, routes, cons


def report_html(report: Report, title: str = "容错纠错案件校验报告", lang: str = "zh") -> str:
    return "".join(iter_report_html(report, title, lang))


def iter_report_html(report: Report, title: str = "容错纠错案件校验报告", lang: str = "zh"):
    """The HTML report in pieces: the summary, then a case at a time."""
    e = html.escape
    s = report.summary()
    rows = []
    for entry in s["by_clause"]:
        clause = entry["clause"]
        rows.append(f"<tr><td>{e(entry['label'])}</td><td>{entry['count']}</td>"
                    f"<td>{e(entry['message'])}</td>"
                    f"<td class='text'>{e(clause['text']) if clause else ''}</td></tr>")
    measures = "".join(
        f"<tr><td>{e(m)}</td><td>{x['cases']}</td><td>{x['conforming']}</td><td>"
        + "、".join(f"{e(OUTCOME_ZH.get(o, o))} {n}" for o, n in x["by_outcome"].items()) + "</td></tr>"
        for m, x in s["by_measure"].items())
    errors = "".join(f"<li>{e(x)}</li>" for x in report.errors)
    yield f"""<!doctype html>
<html lang="zh"><head><meta charset="utf-8"><title>{e(title)}</title>
<style>
body{{font-family:"Noto Sans CJK SC","WenQuanYi Micro Hei",sans-serif;max-width:60rem;margin:2rem auto;line-height:1.6}}
table{{border-collapse:collapse;width:100%}} td,th{{border:1px solid #ccc;padding:.3rem;vertical-align:top}}
.text{{font-size:.9em;color:#444}} section{{border-left:4px solid #2a7;padding-left:1rem;margin:1rem 0}}
section.bad{{border-color:#c33}} blockquote{{color:#555;margin:.2rem 1rem}} .src{{color:#666;font-size:.9em}}
</style></head><body>
<h1>{e(title)}</h1>
<p>共 {s['cases']} 件，符合 {s['conforming']} 件，不符合 {s['non_conforming']} 件，违反 {s['violations']} 项。</p>
{'<h2>无法读取的文件</h2><ul>' + errors + '</ul>' if errors else ''}
<h2>按办法汇总</h2>
<table><tr><th>办法</th><th>件数</th><th>符合</th><th>结果</th></tr>{measures}</table>
<h2>按条款汇总</h2>
<table><tr><th>条款</th><th>件数</th><th>规则</th><th>条文</th></tr>{''.join(rows)}</table>
<h2>逐案结果</h2>
"""
    for c in report.cases:
        items, missing, routes, cons = c.rendered(("html", lang), lambda c: _case_html(c, report.route_definitions, lang))
        cls = "ok" if c.conforms else "bad"
        yield (
            f"<section class='{cls}'><h3>{e(c.record.case_id)} · {e(c.record.measure)} · "
            f"{e(OUTCOME_ZH.get(c.outcome, c.outcome))}"
            + (f" · {e(MODALITY[c.route['modality']][0])}" if c.route else "")
            + ("（暂定）" if c.provisional else "") + "</h3>"
            f"<p class='src'>{e(c.record.where)} {e(c.record.description)}</p>"
            + ("<p class='src'>" + "；".join(f"{e(k)}：{e(x)}" for k, x in c.record.extra.items() if x)
               + "</p>" if any(c.record.extra.values()) else "")
            + (f"<ul>{items}</ul>" if items else "<p>符合全部规则。</p>")
            + (f"<p>待查明事实：{missing}</p>" if missing else "")
            + (f"<details open><summary>认定路径</summary><ul>{routes}</ul></details>" if routes else "")
            + (f"<details><summary>法律后果</summary><ul>{cons}</ul></details>" if cons else "")
            + "</section>")
    yield "\n</body></html>\n"


# ---------------------------------------------------------------- one case under every measure


def under_all_json(pairs, titles: dict[str, str]) -> list[dict]:
    """Each case decided under every measure: outcome, the route that decides it and its
    modality, the requirements that close or hold open a better route, the facts to establish."""
    out = []
    for rec, by_measure in pairs:
        rows = []
        for m, r in by_measure.items():
            rows.append({"measure": m, "title": titles.get(m, m), "outcome": r.outcome,
                         "conforms": r.conforms, "route": r.route["id"] if r.route else None,
                         "route_label": r.route["label"] if r.route else None,
                         "modality": r.route["modality"] if r.route else None,
                         "deciding": [{"clause": v.clause, "message": v.message, "message_en": v.message_en,
                                       "value": v.value} for v in r.violations],
                         "missing": r.missing, "provisional": r.provisional})
        out.append({"case_id": rec.case_id, "source": rec.where, "measure": rec.measure,
                    "situations": rec.situations, "description": rec.description, "under": rows})
    return out


def under_all_text(rows: list[dict], lang: str = "zh") -> str:
    zh = lang != "en"
    lines = []
    for case in rows:
        lines.append(f"{case['case_id'] or '(无编号)'}  {case['description']}  {case['source']}")
        for u in case["under"]:
            modality = f" · {MODALITY[u['modality']][0 if zh else 1]}" if u["modality"] else ""
            lines.append(f"  《{u['title']}》 {outcome_label(u['outcome'], lang)}{modality}"
                         + (f"  {u['route_label']}" if u["route_label"] and zh else "")
                         + ("  暂定" if u["provisional"] else ""))
            for d in u["deciding"]:
                cite_ = d["clause"]["label"] if d["clause"] else ""
                lines.append(f"      - {cite_} {in_lang(d['message'], d['message_en'], lang)}"
                             + (f" = {d['value']}" if d["value"] else ""))
            if u["missing"]:
                lines.append(("      待查明：" if zh else "      to establish: ") + "；".join(
                    in_lang(m.get("label", m["fact"]), m.get("label_en"), lang) for m in u["missing"]))
    return "\n".join(lines)
