"""No internal identifier in front of a user (issue 14, item 1): every page of the app and its
main action, in Chinese and in English, walked in Chromium; the text a user can read — the page,
the cells of every table (st.dataframe draws on a canvas; its cells are read from the grid's
accessible table), the values shown in selection boxes, the concept network's frame — must hold
no snake_case or camelCase identifier, no prefixed name (rc:…), no "None"/"nan"; in Chinese, no
Latin word that is not a name of a standard, a file type or the product.

Ids stay where they belong: in links (URLs and ?measure=…&ref=… are removed before the check)
and in code a user writes or runs (the SPARQL editor, a command to type), which is not checked.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from places import DEV_CASES  # noqa: E402

from readable import offences as text_offences  # noqa: E402
from test_browser import ARTIFACTS, wait_ready  # noqa: E402

# Streamlit's own words (its file uploader and chrome are not translatable from the app)
STREAMLIT_CHROME = re.compile(r"Skip to main content|Drag and drop files? here|Browse files|Upload|(?:Limit )?\S+ per file")

READABLE_TEXT = """() => {
  // Streamlit's icons are ligatures of Material Symbols ("keyboard_double_arrow_left"): hidden while reading
  const style = document.createElement('style');
  style.textContent = '[data-testid=stIconMaterial], [data-testid*=Icon] span {display: none !important}';
  document.head.appendChild(style);
  const parts = [document.body.innerText];
  // text the page marks as English (a label in the other language) is wrapped in \\u0002 … \\u0003
  for (const e of document.querySelectorAll('[lang=en]')) parts.push('\\u0002' + e.innerText + '\\u0003');
  for (const t of document.querySelectorAll('[data-testid=stDataFrame] table')) {
    const heads = Array.from(t.querySelectorAll('th')).map(h => h.innerText.trim());
    for (const row of t.querySelectorAll('tr')) {
      Array.from(row.querySelectorAll('td, th')).forEach((cell, k) => {
        const english = heads[k] === '英文' && cell.tagName === 'TD';  // a column of English labels
        parts.push(english ? '\\u0002' + cell.innerText + '\\u0003' : cell.innerText);  // one cell a line
      });
    }
  }
  for (const i of document.querySelectorAll('input')) {
    if (i.type === 'text' || i.getAttribute('role') === 'combobox') parts.push(i.value);
  }
  for (const c of document.querySelectorAll('pre, code')) parts.push('\\u0000' + c.innerText + '\\u0001');
  style.remove();
  return parts.join('\\n');
}"""


def offences(text: str, lang: str) -> list[str]:
    """What the reader must not see (tests/readable.py), the code and Streamlit's own chrome set
    aside, the register's case numbers allowed: they are the user's own."""
    text = re.sub(r"\x00.*?\x01", " ", text, flags=re.S)
    if lang == "zh":
        text = STREAMLIT_CHROME.sub(" ", text)
    return text_offences(text, lang, allowed=users_own_keys())


def users_own_keys() -> set[str]:
    """The register's case numbers (D01 …): the user's own data, shown as the user wrote them."""
    import csv

    with DEV_CASES.open(encoding="utf-8") as f:
        return {row["case_id"] for row in csv.DictReader(f)}


@pytest.fixture(scope="module")
def walk_app(tmp_path_factory):
    """The app on a corpus of its own with one measure added (its suggestions wait for review) and
    an editor, so that 新增办法 has its full page."""
    from conftest import free_port, start_app, stop_app
    from test_ingest import MEASURE

    from rongcuo_kg.adding.editors import add_editor
    from rongcuo_kg.paths import DEFAULT_DATA_DIR

    tmp = tmp_path_factory.mktemp("walk")
    data = tmp / "data"
    shutil.copytree(DEFAULT_DATA_DIR, data)
    source = tmp / "county.txt"
    source.write_text(MEASURE, encoding="utf-8")
    subprocess.run([sys.executable, "-m", "rongcuo_kg.cli", "ingest", str(source), "--id", "county", "--data",
                    str(data), "--added-by", "王芳"], check=True, capture_output=True)
    editors = tmp / "editors.json"
    add_editor(editors, "王芳", "correct horse 2")
    port = free_port()
    proc = start_app(port, str(data), editors=str(editors))
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_app(proc)


def open_page(page, title: str) -> None:
    page.locator("[data-testid='stSidebarNav']").get_by_role("link", name=title, exact=True).click()
    page.get_by_role("heading", name=title).wait_for()
    wait_ready(page)


def settle(page, ms: int = 1500) -> None:
    """Wait until the page has finished its runs and its tables have drawn."""
    wait_ready(page)
    page.wait_for_timeout(ms)
    wait_ready(page)


def read(page) -> str:
    text = page.evaluate(READABLE_TEXT)
    for element in page.locator("iframe").all():  # the concept network; not the code editor
        if "code_editor" in (element.get_attribute("title") or "") or not element.is_visible():
            continue
        frame = element.element_handle().content_frame()
        if frame is not None:
            text += "\n" + frame.evaluate("() => document.body ? document.body.innerText : ''")
    return text


# zh title, en title, action(page, lang)
def measures_action(page, lang):
    page.locator("a[href*='ref=']").nth(12).click()  # an item of the tree
    settle(page)


def find_action(page, lang):
    box = page.locator("textarea").first
    box.fill("防汛时来不及请示就把群众转移了，征用的仓库受了损")
    box.press("Control+Enter")
    page.locator(".clause").first.wait_for()
    settle(page)


def compare_action(page, lang):
    page.locator("table.parallel").wait_for()
    settle(page)


def validate_action(page, lang):
    page.get_by_role("tab", name=re.compile("各办法对照|Under every measure")).click()
    settle(page)
    yield_text = read(page)
    page.get_by_role("tab", name=re.compile("案件登记簿|A register")).click()
    page.locator("input[type=file]").set_input_files(str(DEV_CASES))
    page.locator("[data-testid='stMetric']").first.wait_for()
    settle(page, 3000)
    return yield_text


def sparql_action(page, lang):
    page.get_by_role("button", name=re.compile("^(运行|Run)$")).first.click()
    page.get_by_text(re.compile(r"^\d+ (行|rows?)")).first.wait_for()
    settle(page)


def ontology_action(page, lang):
    texts = []
    for tab in page.get_by_role("tab").all():
        tab.click()
        settle(page, 1000)
        texts.append(read(page))
    return "\n".join(texts)


def review_action(page, lang):
    page.get_by_label(re.compile("编辑姓名|Editor")).fill("王芳")
    page.get_by_label(re.compile("口令|Password")).fill("correct horse 2")
    page.get_by_label(re.compile("口令|Password")).press("Enter")
    page.get_by_role("button", name=re.compile("^(登录|Log in)$")).click()
    page.locator("[data-testid='stDataFrame']").first.wait_for()
    settle(page)
    for label in page.locator("[data-testid='stExpander'] summary").all():
        label.click()
    settle(page, 500)


PAGES = [("办法浏览", "Measures", measures_action), ("情形查询", "Which clause covers my situation", find_action),
         ("对比", "Compare", compare_action), ("案件校验", "Validate cases", validate_action),
         ("SPARQL 查询", "SPARQL", sparql_action), ("本体", "Ontology", ontology_action),
         ("新增办法", "Add measures", review_action)]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_page_shows_an_internal_identifier(browser, walk_app, lang):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(90_000)
    page.goto(walk_app + "/")
    wait_ready(page)
    if lang == "en":
        page.locator("[data-testid='stSidebar']").get_by_text("English").click()
        page.get_by_role("heading", name="Measures").wait_for()
    found = {}
    try:
        for zh, en, action in PAGES:
            title = zh if lang == "zh" else en
            open_page(page, title)
            settle(page)
            before = read(page)
            extra = action(page, lang) or ""
            bad = offences(before + "\n" + extra + "\n" + read(page), lang)
            page.screenshot(path=str(ARTIFACTS / f"walk-{lang}-{en.split()[0].lower()}.png"))
            if bad:
                found[title] = bad
    finally:
        context.close()
    assert not found, "\n".join(f"{title}: {word}" for title, words in found.items() for word in words)
