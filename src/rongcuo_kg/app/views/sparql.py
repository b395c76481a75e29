"""SPARQL: the named queries with a widget per parameter, and a read-only editor for free
queries (timeout, row limit). Results carry labels; CSV download; a query is shareable by
link (?query=NAME&p.measure=guian, or ?sparql=TEXT)."""

from urllib.parse import urlencode

import streamlit as st

from rongcuo_kg.app import ui
from rongcuo_kg.graph.querylib import list_queries, run_free, run_named
from rongcuo_kg.sheets import csv_text

ui.page_header("SPARQL 查询", "SPARQL",
               "运行预置的具名查询，或输入只读的 SPARQL 查询（SELECT/ASK）。",
               "Run a named query, or type a read-only SPARQL query (SELECT/ASK).")


def show(result, name: str) -> None:
    rows = ui.with_labels(result, ui.lang())
    st.caption(ui.t(f"{len(rows)} 行", f"{len(rows)} rows")
               + (ui.t("（已截断）", " (truncated at the row limit)") if result.truncated else ""))
    st.dataframe(rows, hide_index=True, width="stretch")
    header = list(rows[0]) if rows else []
    data = csv_text(header, ([r[k] for k in header] for r in rows)) if rows else ""
    st.download_button(ui.t("下载 CSV", "Download CSV"), data, file_name=f"{name}.csv",
                       mime="text/csv", key=f"csv_{name}")


def _int(value, default: int, most: int) -> int:
    """A number from the link, within the widget's range; else the default."""
    try:
        return min(most, max(1, int(value)))
    except (TypeError, ValueError):
        return default


with ui.friendly_errors():
    store = ui.store()
    qp = st.query_params
    queries = {q.name: q for q in list_queries()}
    tab_names = [ui.t("具名查询", "Named queries"), ui.t("自由查询", "Free query")]
    shared_free = qp.get("sparql")  # a shared free query opens on its tab and runs at once
    named_tab, free_tab = st.tabs(tab_names, default=tab_names[1] if shared_free else tab_names[0])
    with named_tab:
        names = sorted(queries)
        wanted = qp.get("query")
        ui.warn_unknown_link("查询", "query", wanted, names)
        titles = {n: ui.t(queries[n].title_zh, queries[n].title_en) for n in names}  # by title; the id is in the link
        name = st.selectbox(ui.t("查询", "Query"), names, index=names.index(wanted) if wanted in names else 0,
                            format_func=titles.get,
                            key="named")
        q = queries[name]
        st.caption(ui.t(q.description_zh, q.description_en))
        measures = [r[0] for r in run_named(store, "measures").rows]
        params = {}
        for p in q.params:
            if p.name == "lang":
                continue
            label = ui.t(p.label_zh, p.label_en) + ("" if p.default is None else ui.t("（可选）", " (optional)"))
            preset = qp.get(f"p.{p.name}", p.default if p.default not in (None, "*") else "")
            if p.type == "measure":
                opts = ([""] if p.default is not None else []) + measures
                ui.warn_unknown_link("办法", "measure", preset, opts)
                value = st.selectbox(label, opts, index=opts.index(preset) if preset in opts else 0,
                                     key=f"param_{name}_{p.name}")
            else:
                value = st.text_input(label, preset, key=f"param_{name}_{p.name}")
            if value:
                params[p.name] = value
        share = "?" + urlencode({"query": name, **{f"p.{k}": v for k, v in params.items()}})
        st.markdown(f"{ui.t('分享链接', 'Link to share')}: [`sparql{share}`](sparql{share})")
        if st.button(ui.t("运行", "Run"), key="run_named", type="primary") or wanted == name:
            with st.spinner(ui.t("查询中……", "Querying …")):
                show(run_named(store, name, params, lang=ui.lang()), name)
        with st.expander(ui.t("查询原文", "Query text")):
            st.code(q.text, language="sparql")
    with free_tab:
        default = qp.get("sparql", "SELECT ?measure ?title WHERE {\n  ?m <http://data.europa.eu/eli/ontology#id_local> ?measure ;\n"
                                   "     <http://data.europa.eu/eli/ontology#title> ?title .\n}")
        text = st.text_area("SPARQL", default, height=200, key="free_text")
        c1, c2 = st.columns(2)
        timeout = c1.number_input(ui.t("超时（秒）", "Timeout (s)"), 1, 600, _int(qp.get("timeout"), 30, 600),
                                  key="timeout")
        limit = c2.number_input(ui.t("行数上限", "Row limit"), 1, 100_000, _int(qp.get("limit"), 1000, 100_000),
                                key="limit")
        link = "sparql?" + urlencode({"sparql": text, "timeout": int(timeout), "limit": int(limit)})
        st.markdown(f"{ui.t('分享链接', 'Link to share')}: [`sparql?sparql=…`]({link})")
        if st.button(ui.t("运行", "Run"), key="run_free", type="primary") or (shared_free and text == shared_free):
            with st.spinner(ui.t("查询中……", "Querying …")):
                show(run_free(store, text, timeout=float(timeout), limit=int(limit)), "query")
