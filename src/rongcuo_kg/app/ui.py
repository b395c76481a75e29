"""What every page of the web app (app/) shares: the language switch, the store and indexes
loaded once per process, friendly errors, and the HTML bits (highlighting, citations, diffs).

The pages are thin: they call the same library functions as the command line.
"""

from __future__ import annotations

import gc
import hashlib
import html
import os
import traceback
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator

import streamlit as st

from rongcuo_kg.errors import RongcuoError

UPLOAD_MAX_MB_ENV = "RONGCUO_UPLOAD_MAX_MB"
DEFAULT_UPLOAD_MAX_MB = 20


# ---------------------------------------------------------------- language


def lang() -> str:
    return st.session_state.get("lang", "zh")


def t(zh: str, en: str) -> str:
    """Chinese first; English when the user switched."""
    return en if lang() == "en" else zh


def language_switch() -> None:
    """The switch in the sidebar; the choice rides in the address (?lang=en), so that a link the
    reader opens or shares, or a clause clicked in a tree (a new page load), keeps the language."""
    if "lang" not in st.session_state and st.query_params.get("lang") == "en":
        st.session_state["lang"] = "en"
    choice = st.sidebar.radio("语言 Language", ["中文", "English"], horizontal=True,
                              index=1 if lang() == "en" else 0, key="lang_choice")
    st.session_state["lang"] = "en" if choice == "English" else "zh"
    if lang() == "en":
        st.query_params["lang"] = "en"
    elif "lang" in st.query_params:
        del st.query_params["lang"]


def link(page: str = "", **params: str) -> str:
    """An address inside the app (`page` is its url path, "" this page) with its parameters, in
    the reader's language."""
    from urllib.parse import urlencode

    if lang() == "en":
        params["lang"] = "en"
    return f"{page}?{urlencode(params)}"


# ---------------------------------------------------------------- resources (once per process)


def data_folder() -> str:
    from rongcuo_kg.paths import data_dir

    return str(data_dir(None).resolve())


def _settled(resource):
    """Keep a resource built once per process out of the garbage collector's full passes.

    Streamlit runs a full collection after every script run (`runner.postScriptGC`); over the
    graph and indexes of 1,000 measures (about a million objects) that alone takes ~0.8 s per
    run. Frozen objects are skipped by it.
    """
    gc.collect()
    gc.freeze()
    return resource


def forget_resources() -> None:
    """The corpus changed (a measure was added): build the graph and indexes again on next use."""
    st.cache_resource.clear()
    gc.unfreeze()


def corpus_stamp(folder: str) -> str:
    """Names, sizes and times of the files the graph is built from (connect.source_files, whose
    contents the store's fingerprint hashes): a measure added or reviewed from the command line
    while the app runs changes it (a stat per file, no reading)."""
    from rongcuo_kg.graph.connect import source_files

    parts = []
    for f in source_files(Path(folder)):
        if f.is_file():
            st_ = f.stat()
            parts.append(f"{f}:{st_.st_size}:{st_.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


@st.cache_resource(show_spinner=False, max_entries=1)
def _store(data: str, endpoint: str | None, stamp: str):
    from rongcuo_kg.graph.connect import open_store

    return _settled(open_store(data, endpoint))


_STAMP: dict[str, tuple[float, str]] = {}  # folder → (when taken, stamp): one look per second


def _stamp() -> str:
    import time

    from rongcuo_kg.graph.connect import ENDPOINT_ENV

    if os.environ.get(ENDPOINT_ENV):
        return ""
    folder = data_folder()
    taken = _STAMP.get(folder)
    if taken is None or time.monotonic() - taken[0] > 1.0:
        stamp = corpus_stamp(folder)
        if taken is not None and stamp != taken[1]:
            gc.unfreeze()  # the graph of the old files may go once the caches drop it
        taken = _STAMP[folder] = (time.monotonic(), stamp)
    return taken[1]


def _current_store():
    from rongcuo_kg.graph.connect import ENDPOINT_ENV

    return _store(data_folder(), os.environ.get(ENDPOINT_ENV) or None, _stamp())


EDITORS_ENV = "RONGCUO_EDITORS"  # the editors file (`rongcuo-kg app --editors FILE`)
OIDC_ENV = "RONGCUO_OIDC"  # set when editors may log in through an OpenID Connect provider (--oidc)


def editor() -> str | None:
    """The editor logged in on this page, else None — after saying why nothing can be changed (no
    editors file: the app is read-only) or asking for a login. Passwords are checked against the
    salted hashes of the editors file (adding.editors); where an OpenID Connect provider is set
    (--oidc), its verified e-mail address must be listed there. The name is recorded with every
    change."""
    from rongcuo_kg.adding.editors import check_login

    path = os.environ.get(EDITORS_ENV)
    if not path:
        st.info(t("本站点只读：新增和复核办法需由编辑登录。管理员以 `rongcuo-kg editor add 姓名 --file 文件` 添加编辑，"
                  "再以 `rongcuo-kg app --editors 文件` 启动。",
                  "This app is read-only: adding and reviewing measures needs an editor's login. Add editors "
                  "with `rongcuo-kg editor add NAME --file FILE`, then start `rongcuo-kg app --editors FILE`."))
        return None
    name = st.session_state.get("editor")
    if name:
        st.caption(t(f"编辑：{name}", f"Editor: {name}"))
        return name
    if os.environ.get(OIDC_ENV):
        name = _provider_editor(Path(path))
        if name:
            return name
    c1, c2, c3 = st.columns([2, 2, 1])
    given = c1.text_input(t("编辑姓名", "Editor"), key="editor_name")
    password = c2.text_input(t("口令", "Password"), type="password", key="editor_password")
    if c3.button(t("登录", "Log in"), key="login") and given:
        if check_login(Path(path), given, password):
            st.session_state["editor"] = given.strip()
            st.rerun()
        st.error(t("姓名或口令不对。", "Wrong name or password."))
    return None


def _provider_editor(path: Path) -> str | None:
    """An editor logged in through the OpenID Connect provider (Streamlit's st.login): the
    provider's verified e-mail address, if the editors file lists it; else a login button, or the
    reason this account may not edit (and a logout)."""
    from rongcuo_kg.adding.editors import is_oidc_editor

    if not st.user.is_logged_in:
        if st.button(t("以单位账号登录", "Log in with your organisation's account"), key="oidc_login", type="primary"):
            st.login()
        return None
    # only an address the provider says it verified (a provider that lets anyone claim any address
    # must not make them an editor)
    email = st.user.get("email") if st.user.get("email_verified") is True else None
    if is_oidc_editor(path, email):
        c1, c2 = st.columns([4, 1])
        c1.caption(t(f"编辑：{email}（单位账号）", f"Editor: {email} (organisation account)"))
        if c2.button(t("退出", "Log out"), key="oidc_logout"):
            st.logout()
        return email
    st.error(t(f"账号 {email or '（无已验证的电子邮箱）'} 不是本站编辑。",
               f"The account {email or '(no verified e-mail address)'} is not an editor here."))
    if st.button(t("退出", "Log out"), key="oidc_logout"):
        st.logout()
    return None


def warn_left_out() -> None:
    """On every page: the measures whose files are broken, left out of the graph (the others
    work as usual), each with its file and fault, so the user knows what is missing and why."""
    from rongcuo_kg.graph.connect import left_out

    missing = left_out(store())
    if missing:
        st.warning(t("以下办法的文件有误，未载入图谱；其余办法照常可用：",
                     "These measures have a broken file and are left out of the graph; the others work as usual:")
                   + "\n\n" + "\n".join(f"- {why}" for why in missing))


def _key(store_obj) -> str:
    """What the resources built from a store are cached under: the store and the corpus version."""
    return store_obj.describe() + data_folder() + _stamp()


def store():
    """The embedded store (or the server named by RONGCUO_SPARQL_ENDPOINT), built once per
    version of the corpus files."""
    with st.spinner(t("正在载入知识图谱……", "Loading the knowledge graph …")):
        return _current_store()


@st.cache_resource(show_spinner=False, max_entries=1)
def _index(_store_obj, key: str):
    from rongcuo_kg.finding.finder import get_index

    return _settled(get_index(_store_obj))


def finder_index():
    s = store()
    with st.spinner(t("正在建立检索索引……", "Building the search index …")):
        return _index(s, _key(s))


@st.cache_resource(show_spinner=False, max_entries=1)
def _validator(_store_obj, key: str):
    from rongcuo_kg.cases.validate import Validator

    return _settled(Validator(_store_obj))


def validator():
    s = store()
    with st.spinner(t("正在载入校验规则……", "Loading the validation rules …")):
        return _validator(s, _key(s))


@st.cache_resource(show_spinner=False, max_entries=1)
def _titles(_store_obj, key: str) -> dict[str, str]:
    from rongcuo_kg.graph.clauses import measure_titles as titles

    return titles(_store_obj)


def warm() -> str | None:
    """Load what every page shares into this process's resource cache (the app's server does it
    at start, before it answers: serve.py). Returns what went wrong, if anything, in one line."""
    try:
        s = _current_store()
        _index(s, _key(s))
        _validator(s, _key(s))
        _titles(s, _key(s))
    except RongcuoError as exc:
        return str(exc)
    return None


def measure_titles() -> dict[str, str]:
    """Each measure's title by its id (one query per process)."""
    s = store()
    return _titles(s, _key(s))


def unit_text(index, measure: str, ref: str) -> str:
    """A clause's text from the finder's index (no query), by measure and short ref."""
    table = getattr(index, "_ui_by_ref", None)
    if table is None:
        table = {(u.measure, u.ref): u.text for u in index.units}
        index._ui_by_ref = table
    return table.get((measure, ref), "")


def with_labels(result, language: str):
    """Rows as dicts, each IRI column followed by a column with the IRI's label (zh or en):
    what users read instead of bare IRIs."""
    iri_cols = {k for row in result.row_terms for k, kind in enumerate(row) if kind == "iri"}
    # only the cells that hold IRIs: a column may mix IRIs and literals (SELECT * over ?o)
    from rongcuo_kg.graph.querylib import iri_labels

    labels = iri_labels(store(), (str(row[k]) for row, kinds in zip(result.rows, result.row_terms)
                                  for k in iri_cols if row[k] is not None and kinds[k] == "iri"), language)
    out = []
    for row in result.rows:
        d = {}
        for k, col in enumerate(result.columns):
            d[col] = row[k]
            if k in iri_cols:
                d[f"{col} · {t('标签', 'label')}"] = labels.get(str(row[k]), "")
        out.append(d)
    return out


def warn_unknown_link(what_zh: str, what_en: str, value: str | None, known: Iterable[str]) -> None:
    """A shared link naming something this graph does not have: say so, then show the default."""
    if value and value not in set(known):
        st.warning(t(f"链接中的{what_zh}“{value}”不存在，已改用默认值。",
                     f"The linked {what_en} '{value}' does not exist; the default is shown."))


def upload_limit_mb(environ=None) -> int:
    """The largest register upload in MB: $RONGCUO_UPLOAD_MAX_MB, else 20."""
    try:
        return max(1, int((os.environ if environ is None else environ).get(UPLOAD_MAX_MB_ENV,
                                                                           DEFAULT_UPLOAD_MAX_MB)))
    except ValueError:
        return DEFAULT_UPLOAD_MAX_MB


# ---------------------------------------------------------------- errors


@contextmanager
def friendly_errors() -> Iterator[None]:
    """Show what went wrong in one sentence; never a traceback (it goes to the server log)."""
    try:
        yield
    except RongcuoError as exc:
        from rongcuo_kg.messages import message_in

        st.error(f"{t('无法完成', 'Could not complete')}: {message_in(exc, lang())}")
    except Exception as exc:  # noqa: BLE001 - the user sees a message, the log the details
        traceback.print_exc()
        st.error(t(f"出现意外错误（{type(exc).__name__}），请检查输入后重试。",
                   f"An unexpected error ({type(exc).__name__}); check the input and try again."))


# ---------------------------------------------------------------- HTML helpers


def esc(text: object) -> str:
    return html.escape("" if text is None else str(text))


def highlight(text: str, terms: Iterable[str]) -> str:
    """The clause text, HTML-escaped, with every occurrence of the matched terms marked."""
    terms = sorted({x for x in terms if x}, key=len, reverse=True)
    if not terms:
        return esc(text)
    marks = [False] * len(text)
    for term in terms:
        start = text.find(term)
        while start >= 0:
            for k in range(start, start + len(term)):
                marks[k] = True
            start = text.find(term, start + 1)
    out, k = [], 0
    while k < len(text):
        j = k
        while j < len(text) and marks[j] == marks[k]:
            j += 1
        chunk = esc(text[k:j])
        out.append(f"<mark>{chunk}</mark>" if marks[k] else chunk)
        k = j
    return "".join(out)


def shared_phrases(label: str, text: str, shortest: int = 2) -> list[str]:
    """The longest runs of `label` (a concept's label) that the clause text contains, each at
    least `shortest` characters: what to mark in a clause that matched by its concept."""
    out, k = [], 0
    while k < len(label):
        j = k + shortest
        if j > len(label) or label[k:j] not in text:
            k += 1
            continue
        while j < len(label) and label[k:j + 1] in text:
            j += 1
        out.append(label[k:j])
        k = j
    return out


def ref_text(clause: dict) -> str:
    """A clause's short reference: 6.5, 11.p2.1, 7.2.3."""
    from rongcuo_kg.text.refs import Ref

    sub = clause.get("subitem")
    return str(Ref(str(clause["article"]), clause.get("paragraph"), clause.get("item"),
                   (sub,) if sub else ()))


CSS = """
<style>
mark { background: #ffe58f; padding: 0 1px; }
table.parallel { width: 100%; border-collapse: collapse; font-size: 0.9em; }
table.matrix { width: 100%; border-collapse: collapse; font-size: 0.9em; margin-bottom: 0.5em; }
table.matrix th, table.matrix td { border: 1px solid #d9d9d9; padding: 0.25em 0.5em; vertical-align: top; }
table.matrix tr.all td:not(:empty) { background: #d9f7be; }
table.matrix tr.some td:not(:empty) { background: #fff1b8; }
table.matrix tr.one td:not(:empty) { background: #ffd8bf; }
table.parallel th, table.parallel td { border: 1px solid #d9d9d9; padding: 0.3em 0.5em; vertical-align: top; }
table.parallel td:nth-child(1), table.parallel td:nth-child(2) { width: 44%; }
table.parallel td.none { color: #8c8c8c; font-style: italic; }
b.only { color: #c00000; }
.clause { border-left: 3px solid #8c8c8c; padding: 0.2em 0.8em; margin: 0.3em 0 0.8em 0; }
.cite { color: #595959; font-size: 0.9em; }
</style>
"""


def page_header(title_zh: str, title_en: str, help_zh: str = "", help_en: str = "") -> None:
    st.markdown(CSS, unsafe_allow_html=True)
    st.title(t(title_zh, title_en))
    if help_zh:
        st.caption(t(help_zh, help_en))
