"""SPARQL: the named queries with a widget per parameter, and a read-only editor for free
queries (streamlit-code-editor's Ace, bundled: SPARQL highlighting, the project's prefixes in the
starting query, completion of its terms; timeout, row limit). Results carry labels; CSV download; a query is shareable by
link (?query=NAME&p.measure=guian, or ?sparql=TEXT)."""


import streamlit as st
from code_editor import code_editor

from rongcuo_kg.app import ui
from rongcuo_kg.graph.namespaces import PREFIXES
from rongcuo_kg.graph.querylib import list_queries, readable, run_free, run_named
from rongcuo_kg.sheets import csv_text

ui.page_header("SPARQL 查询", "SPARQL",
               "运行预置的具名查询，或输入只读的 SPARQL 查询（SELECT/ASK）。",
               "Run a named query, or type a read-only SPARQL query (SELECT/ASK).")


def show(result, name: str, store=None) -> None:
    """A result as a reader reads it: a named query's declared columns by their labels (store
    given), a free query's columns each IRI with its label beside it. The CSV keeps the ids."""
    if store is not None:
        shown = readable(store, name, result, ui.lang())
        rows = [dict(zip(shown.columns, r)) for r in shown.rows]
    else:
        rows = ui.with_labels(result, ui.lang())
    st.caption(ui.t(f"{len(rows)} 行", f"{len(rows)} rows")
               + (ui.t("（已截断）", " (truncated at the row limit)") if result.truncated else ""))
    st.dataframe(rows, hide_index=True, width="stretch")
    data = csv_text(result.columns, result.rows) if result.rows else ""
    st.download_button(ui.t("下载 CSV", "Download CSV"), data, file_name=f"{name}.csv",
                       mime="text/csv", key=f"csv_{name}")


PREFIX_LINES = "".join(f"PREFIX {name}: <{ns}>\n" for name, ns in PREFIXES.items()
                       if name in ("rc", "rcc", "rcs", "eli", "skos", "rdfs", "dcterms"))


@st.cache_data(show_spinner=False)
def _completions(_store, key: str, lang: str) -> list[dict]:
    """The project's terms for the editor's completion: classes and properties (rc:), concepts
    (rcc:), each with its label beside it."""
    terms = run_named(_store, "internal/ontology_terms", limit=None).as_dicts()
    concepts = run_named(_store, "internal/ontology_concepts", limit=None).as_dicts()
    zh = lang == "zh"
    out = [{"caption": "rc:" + r["term"].rsplit("#", 1)[-1], "value": "rc:" + r["term"].rsplit("#", 1)[-1],
            "meta": (r["labelZh"] if zh else r["labelEn"]) or "", "score": 100} for r in terms]
    out += [{"caption": "rcc:" + r["concept"], "value": "rcc:" + r["concept"],
             "meta": (r["labelZh"] if zh else r["labelEn"]) or "", "score": 90} for r in concepts]
    return out


def completions(store) -> list[dict]:
    return _completions(store, store.location, ui.lang())


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
        titles_of = ui.measure_titles()
        everything = {"": ui.t("（未选）", "(none)"), "*": ui.t("全部办法", "every measure")}
        concept_rows = run_named(store, "internal/ontology_concepts", limit=None).as_dicts()
        concept_names = {r["concept"]: f"{r['labelZh'] if ui.lang() == 'zh' else r['labelEn'] or r['labelZh']}"
                                       f"（{r['schemeZh'] if ui.lang() == 'zh' else r['schemeEn']}）"
                         for r in concept_rows}
        params = {}
        for p in q.params:
            if p.name == "lang":
                continue
            label = ui.t(p.label_zh, p.label_en) + ("" if p.default is None else ui.t("（可选）", " (optional)"))
            preset = qp.get(f"p.{p.name}", p.default if p.default not in (None, "*") else "")
            if p.type == "measure":  # by title; "*" (every measure) where the query allows it
                opts = (["*"] if p.default == "*" else [""] if p.default is not None else []) + measures
                preset = preset or ("*" if p.default == "*" else "")
                ui.warn_unknown_link("办法", "measure", preset, opts)
                value = st.selectbox(label, opts, index=opts.index(preset) if preset in opts else 0,
                                     key=f"param_{name}_{p.name}",
                                     format_func=lambda m: everything.get(m) or f"《{titles_of.get(m, m)}》")
            elif p.type == "concept":  # by label and scheme
                opts = sorted(concept_names, key=concept_names.get)
                ui.warn_unknown_link("概念", "concept", preset, opts)
                value = st.selectbox(label, opts, index=opts.index(preset) if preset in opts else 0,
                                     key=f"param_{name}_{p.name}", format_func=concept_names.get)
            else:
                value = st.text_input(label, preset, key=f"param_{name}_{p.name}")
            if value:
                params[p.name] = value
        share = ui.link("sparql", query=name, **{f"p.{k}": v for k, v in params.items()})
        st.markdown(f"{ui.t('分享链接', 'Link to share')}: [`{share}`]({share})")
        if st.button(ui.t("运行", "Run"), key="run_named", type="primary") or wanted == name:
            with st.spinner(ui.t("查询中……", "Querying …")):
                show(run_named(store, name, params, lang=ui.lang()), name, store)
        with st.expander(ui.t("查询原文", "Query text")):
            st.code(q.text, language="sparql")
    with free_tab:
        default = qp.get("sparql", PREFIX_LINES + "\nSELECT ?measure ?title WHERE {\n  ?m eli:id_local ?measure ;\n"
                                   "     eli:title ?title .\n}")
        st.caption(ui.t("Ctrl+空格：补全本项目的术语（rc:、rcc: …）；Ctrl+Enter 或“运行”：执行。",
                        "Ctrl+Space completes the project's terms (rc:, rcc: …); Ctrl+Enter or Run runs the query."))
        edited = code_editor(default, lang="sparql", height=[12, 30], completions=completions(store),
                             props={"theme": "textmate"},  # (the component's own themes fetch a web font)
                             buttons=[{"name": ui.t("运行", "Run"), "feather": "Play", "primary": True,
                                       "hasText": True, "showWithIcon": True, "commands": ["submit"],
                                       "style": {"bottom": "0.44rem", "right": "0.4rem"}}],
                             key="free_editor")
        submitted = bool(edited and edited.get("type") == "submit" and edited.get("id") != st.session_state.get(
            "free_ran"))
        text = edited["text"] if edited and edited.get("text") else default
        c1, c2 = st.columns(2)
        timeout = c1.number_input(ui.t("超时（秒）", "Timeout (s)"), 1, 600, _int(qp.get("timeout"), 30, 600),
                                  key="timeout")
        limit = c2.number_input(ui.t("行数上限", "Row limit"), 1, 100_000, _int(qp.get("limit"), 1000, 100_000),
                                key="limit")
        link = ui.link("sparql", sparql=text, timeout=str(int(timeout)), limit=str(int(limit)))
        st.markdown(f"{ui.t('分享链接', 'Link to share')}: [`sparql?sparql=…`]({link})")
        if submitted or (shared_free and text == shared_free):
            st.session_state["free_ran"] = edited.get("id") if edited else None
            with st.spinner(ui.t("查询中……", "Querying …")):
                show(run_free(store, text, timeout=float(timeout), limit=int(limit)), "query")
