"""Each page's main task done as a user does it, in a real browser; a screenshot of each page
is kept in tests/e2e/artifacts/."""

from __future__ import annotations

import csv
import json
import io
import re
import sys
import urllib.request
from urllib.parse import urlencode
from pathlib import Path


ARTIFACTS = Path(__file__).resolve().parent / "artifacts"  # as in conftest.py
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from places import DEV_CASES  # noqa: E402


def wait_ready(page) -> None:
    """Streamlit has finished the run: no element is still 'running'."""
    page.wait_for_selector("[data-testid='stApp']")
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=120_000)


def go(page, app_url: str, title: str) -> None:
    page.goto(app_url + "/")
    wait_ready(page)
    page.get_by_role("link", name=title).click()
    page.get_by_role("heading", name=title).wait_for()
    wait_ready(page)


def shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_measures_deep_link_shows_the_cited_clause(page, app_url):
    page.goto(app_url + "/?measure=guian&ref=6.5")
    page.get_by_text("《贵安新区容错纠错实施办法(试行)》第六条第一款第五项").first.wait_for()
    wait_ready(page)
    # the clause's text is shown (waited for: the page may run once more as it settles the query)
    page.get_by_text("在处置突发事件或执行其他急难险重任务中").first.wait_for(state="visible", timeout=30_000)
    shot(page, "measures")


def test_finder_top_clause_for_a_flood_story(page, app_url):
    go(page, app_url, "情形查询")
    box = page.locator("textarea").first
    box.fill("防汛时来不及请示就把群众转移了，征用的仓库受了损")
    box.press("Control+Enter")
    page.get_by_text("第六条第一款第五项").first.wait_for()
    wait_ready(page)
    top = page.locator(".clause").first.inner_text()
    assert "突发事件" in top  # the emergency clause, whichever measure is listed first
    page.locator(".clause mark").first.wait_for()  # the words that matched, highlighted
    shot(page, "find")
    # the link under a result opens the validation form with this measure and situation
    assert page.get_by_text("容错还须同时满足：").filter(visible=True).count() > 0
    link = page.get_by_role("link", name="以此情形校验一个案件 →").first
    with page.context.expect_page() as opened:
        link.click()
    form = opened.value
    form.get_by_role("heading", name="案件校验").wait_for()
    wait_ready(form)
    situations = form.locator("[data-testid='stMultiSelect']").first.inner_text()
    assert "突发事件" in situations
    # an interview: nothing is preset, so nothing is decided yet
    form.get_by_text("待查明：先查明下列事实").first.wait_for()
    form.close()


def test_compare_shows_two_measures_side_by_side_and_exports_them(page, app_url):
    """The 对照 of audit and enforcement: provisions side by side by citation, the words only one
    side has marked; the Word and Excel exports read back with the same rows; the matrix CSV."""
    import docx
    import openpyxl

    go(page, app_url, "对比")
    table = page.locator("table.parallel")
    table.wait_for()
    wait_ready(page)
    assert table.locator("b.only").count() > 0
    shown_rows = table.locator("tbody tr").count()
    assert shown_rows > 20 and "（无对应条款）" in table.inner_text()
    shot(page, "compare")
    with page.expect_download() as dl:
        page.get_by_role("button", name="下载对照（Word）").click()
    word = docx.Document(dl.value.path())
    assert len(word.tables[0].rows) == shown_rows + 1  # a header, then the same rows
    assert word.tables[0].rows[1].cells[0].text.startswith("第一条")
    with page.expect_download() as dl:
        page.get_by_role("button", name="下载对照（Excel）").click()
    sheet = openpyxl.load_workbook(io.BytesIO(Path(dl.value.path()).read_bytes())).active
    assert sheet.max_row == shown_rows + 1 and sheet["A1"].value.startswith("《")
    with page.expect_download() as dl:
        page.get_by_role("button", name="下载矩阵 CSV").click()
    rows = list(csv.reader(io.StringIO(Path(dl.value.path()).read_text(encoding="utf-8"))))
    assert rows[0][1:4] == ["audit", "enforcement", "guian"]
    emergency = [r for r in rows if "突发事件" in r[0]]
    assert len(emergency) == 1 and emergency[0][-1] == "3"  # a situation all three measures share


def test_validate_upload_reports_the_violation_count(page, app_url):
    from rongcuo_kg.graph.connect import open_store
    from rongcuo_kg.paths import DEFAULT_DATA_DIR
    from rongcuo_kg.cases.validate import validate_files

    expected = validate_files([str(DEV_CASES)], open_store(), DEFAULT_DATA_DIR).summary()["violations"]
    go(page, app_url, "案件校验")
    page.get_by_text("结论").first.wait_for()
    page.get_by_role("tab", name="案件登记簿").click()
    page.locator("input[type=file]").set_input_files(str(DEV_CASES))
    metric = page.locator("[data-testid='stMetric']", has_text="违规项")
    metric.wait_for()
    wait_ready(page)
    value = metric.locator("[data-testid='stMetricValue']").inner_text().strip()
    assert int(value) == expected > 0
    shot(page, "validate")


def choose(page, radio, option: str) -> None:
    """Click an option of a radio group until it is the one checked: a click that lands while
    the page re-runs is lost."""
    for _ in range(5):
        radio.get_by_text(option, exact=True).click()
        wait_ready(page)
        label = radio.locator("label", has_text=option)
        if label.locator("input:checked").count() or label.get_attribute("aria-checked") == "true":
            return
    raise AssertionError(f"could not choose {option}")


def test_a_what_if_survives_the_switch_to_english(page, app_url):
    """One case in the interview: every fact Gui'an asks answered "是" opens exemption; then
    democratic decision "否" fails Art 7(2); the English switch keeps the case and shows the
    same outcome in English."""
    page.goto(app_url + "/validate?measure=guian&situations=emergency")  # as the finder links it
    page.get_by_text("待查明：先查明下列事实").first.wait_for()
    wait_ready(page)
    radios = page.locator("[role='tabpanel']").first.locator("[data-testid='stRadio']")  # the one-case tab
    radios.nth(6).wait_for()  # the seven facts Gui'an asks in an emergency (Art 7, 7(1) in two)
    assert radios.count() == 7
    for k in range(7):
        choose(page, radios.nth(k), "是")
    page.get_by_text("免责（可以：由认定机关决定）").first.wait_for()
    one_case = page.locator("[role='tabpanel']").first
    choose(page, one_case.locator("[data-testid='stRadio']", has_text="经过民主决策程序"), "否")
    page.get_by_text("不予容错").first.wait_for()
    page.get_by_text("第七条第一款第二项").filter(visible=True).first.wait_for()  # the condition that failed
    wait_ready(page)
    page.locator("[data-testid='stSidebar']").get_by_text("English").click()
    page.get_by_role("heading", name="Validate cases").wait_for()
    page.get_by_text("Outcome: not tolerable").first.wait_for()  # the case kept, now in English


def test_sparql_named_query_runs(page, app_url):
    go(page, app_url, "SPARQL 查询")
    page.get_by_role("button", name="运行").first.click()
    count = page.get_by_text(re.compile(r"^\d+ 行"))
    count.first.wait_for()
    wait_ready(page)
    assert int(count.first.inner_text().split()[0]) > 0
    page.locator("[data-testid='stDataFrame']").first.wait_for()
    shot(page, "sparql")


def test_ontology_draws_the_concept_network_offline(page, app_url):
    """The concept network is explored in the page, offline: the wheel zooms, a drag pans, and a
    click on a concept opens a new tab listing its clauses (the named query, run)."""
    go(page, app_url, "本体")
    page.get_by_role("tab", name="概念网络图").click()
    frame = page.frame_locator("iframe").last
    svg = frame.locator("#net svg")
    svg.wait_for()
    wait_ready(page)
    box = lambda: svg.evaluate("s => [s.viewBox.baseVal.x, s.viewBox.baseVal.y, s.viewBox.baseVal.width]")
    before = box()
    frame.locator("#zin").click()
    zoomed = box()
    assert zoomed[2] < before[2]  # ＋ zooms in
    net = frame.locator("#net").bounding_box()
    page.mouse.move(net["x"] + 300, net["y"] + 300)
    page.mouse.down()
    page.mouse.move(net["x"] + 380, net["y"] + 340, steps=5)
    page.mouse.up()
    assert box()[0] < zoomed[0]  # dragged right: the view moved left
    frame.locator("#reset").click()
    assert box() == before
    shot(page, "ontology")
    with page.context.expect_page() as opened:
        frame.locator("a.concept", has_text="处置突发事件").first.click()
    clauses = opened.value
    clauses.wait_for_load_state()
    wait_ready(clauses)
    clauses.get_by_text(re.compile(r"^\d+ 行")).first.wait_for()


def test_add_a_measure_and_see_its_suggestions(browser, tmp_path):
    """On a copy of the corpus: upload a new county measure, add it, and find its suggestions
    waiting for review, each beside its clause's text, in Chinese."""
    import shutil
    import sys

    from conftest import free_port, start_app, stop_app

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from rongcuo_kg.paths import DEFAULT_DATA_DIR
    from test_ingest import MEASURE

    data = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, data)
    source = tmp_path / "county.txt"
    source.write_text(MEASURE, encoding="utf-8")
    from rongcuo_kg.adding.editors import add_editor

    editors = tmp_path / "editors.json"
    add_editor(editors, "王芳", "correct horse 2")
    port = free_port()
    proc = start_app(port, str(data), editors=str(editors))
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(60_000)
        go(page, f"http://127.0.0.1:{port}", "新增办法")
        # an editor logs in (a reader without a login sees no upload: test_browser's read-only check)
        page.get_by_label("编辑姓名").fill("王芳")
        page.get_by_label("口令").fill("correct horse 2")
        page.get_by_label("口令").press("Enter")
        page.get_by_role("button", name="登录").click()
        page.get_by_text("编辑：王芳").wait_for()
        page.locator("input[type=file]").set_input_files(str(source))
        page.get_by_label("标识（小写字母、数字、_ 或 -）").fill("county")
        page.get_by_label("标识（小写字母、数字、_ 或 -）").press("Enter")
        page.get_by_role("button", name="加入图谱").click()
        page.get_by_text("已加入 county").wait_for()
        wait_ready(page)
        assert (data / "corpus" / "county.json").is_file()
        assert json.loads((data / "corpus" / "county.json").read_text(encoding="utf-8"))["source"]["added_by"] == "王芳"
        page.locator("[data-testid='stDataFrame']").first.wait_for()
        shot(page, "review")
        # the review controls, in Chinese (the table's columns — clause cited, its text, the kind of
        # link and the concept by their labels — and accepting, changing and adding with the
        # editor recorded are checked headless in tests/test_app.py: the grid is drawn on a canvas)
        page.get_by_text("改变链接种类").wait_for()
        page.get_by_text("新增链接（建议中没有的）").wait_for()
        page.close()
    finally:
        stop_app(proc)


def test_without_a_login_the_add_measures_page_changes_nothing(browser, tmp_path):
    """The reader's role: on a corpus folder of one's own, an app started without an editors file
    shows 新增办法 read-only — the reason, and no upload or review controls."""
    import shutil

    from conftest import free_port, start_app, stop_app

    from rongcuo_kg.paths import DEFAULT_DATA_DIR

    data = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, data)
    port = free_port()
    proc = start_app(port, str(data))
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(60_000)
        go(page, f"http://127.0.0.1:{port}", "新增办法")
        page.get_by_text("本站点只读").wait_for()
        assert page.locator("input[type=file]").count() == 0
        assert page.get_by_role("button", name="加入图谱").count() == 0
        page.close()
    finally:
        stop_app(proc)


def _group_rss_bytes(pgid: int) -> int:
    """Resident memory of every process in the app's process group (the app, its query children)."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) == pgid:  # field 5 of stat: the process group
                total += int(fields[21]) * 4096  # field 24: resident pages
        except (OSError, ValueError, IndexError):
            continue
    return total


def test_the_app_stays_responsive_and_within_1_gib_under_hostile_uploads_and_queries(browser, tmp_path):
    """Issue 16's done-when: a zip-bomb workbook, an entity-bomb workbook, a register of 100,001 rows
    and a cartesian SPARQL query, all at once in four tabs, while a fifth tab finds a clause for an
    officer. Each hostile tab gets its one-line refusal, the officer gets the answer, the app's
    processes stay within 1 GiB resident memory throughout (sampled every 0.2 s), and when it is
    over no query is left running."""
    import threading
    import time

    import openpyxl

    from conftest import free_port, start_app, stop_app
    from hostile import files
    from rongcuo_kg.cases.records import MAX_XLSX_ROWS

    long_register = tmp_path / "long.xlsx"
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("cases")
    ws.append(["case_id", "measure", "subject", "date", "situations", "issue_key", "description"])
    for i in range(MAX_XLSX_ROWS):
        ws.append([f"C{i}", "guian", "某局", "2024-01-01", "emergency", "k", "d"])
    wb.save(long_register)
    uploads = [files.xlsx_bomb(tmp_path), files.xlsx_laughs(tmp_path), long_register]

    port = free_port()
    proc = start_app(port)
    url = f"http://127.0.0.1:{port}"
    peak, stop = [0], threading.Event()

    def sample():
        while not stop.is_set():
            peak[0] = max(peak[0], _group_rss_bytes(proc.pid))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    try:
        pages = [browser.new_page(viewport={"width": 1400, "height": 1000}) for _ in range(5)]
        for pg in pages:
            pg.set_default_timeout(120_000)
        for pg in pages[:3]:
            go(pg, url, "案件校验")
            pg.get_by_role("tab", name="案件登记簿").click()
        baseline = _group_rss_bytes(proc.pid)
        serving = _group(proc.pid)  # the CLI, the server and what they keep (e.g. a resource tracker)
        sampler.start()
        for pg, path in zip(pages[:3], uploads):
            pg.locator("input[type=file]").set_input_files(str(path))
        heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
        pages[3].goto(url + "/sparql?" + urlencode({"sparql": heavy, "timeout": 5}))
        officer = pages[4]
        officer.goto(url + "/find?" + urlencode({"q": "防汛时来不及请示就把群众转移了"}))
        officer.get_by_text("第六条第一款第五项").first.wait_for()  # the officer is answered meanwhile
        # each refusal in one line, in the reader's language (messages_zh.py)
        for pg, said in zip(pages, ("MB 的上限", "不是可读取的 .xlsx 工作簿", "请将登记簿另存为 CSV", "在 5 秒后超时")):
            pg.get_by_text(said).first.wait_for()
        for pg in pages:
            wait_ready(pg)
        time.sleep(2)  # a query child still running would show here
        stop.set()
        sampler.join()
        left = {pid: cmd for pid, cmd in _group(proc.pid).items()  # multiprocessing's one resource tracker
                if pid not in serving and "multiprocessing.resource_tracker" not in cmd}  # lives as long as the app
        assert left == {}, f"processes outlived their request: {left}"
        assert peak[0] <= 1024 ** 3, f"peak {peak[0] / 1024 ** 2:.0f} MiB (at rest {baseline / 1024 ** 2:.0f} MiB)"
        with urllib.request.urlopen(url + "/_stcore/health", timeout=10) as r:
            assert r.status == 200
        print(f"peak {peak[0] / 1024 ** 2:.0f} MiB resident, at rest {baseline / 1024 ** 2:.0f} MiB")
        for pg in pages:
            pg.close()
    finally:
        stop.set()
        stop_app(proc)


def _group(pgid: int) -> dict[int, str]:
    """The processes of a process group: pid → command line."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[2]) == pgid:
                found[int(stat.parent.name)] = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()[:200]
        except (OSError, ValueError, IndexError):
            continue
    return found


def test_an_editor_logs_in_through_the_organisations_openid_provider(browser, tmp_path):
    """Where an OpenID Connect provider is configured (app --oidc): an e-mail address the editors
    file lists logs in at the provider and may add measures, recorded by that address; an account
    the file does not list, or one whose address the provider did not verify, is told it is no
    editor and gets no upload."""
    import secrets
    import shutil

    from conftest import free_port, oidc_provider, start_app, stop_app

    from rongcuo_kg.adding.editors import add_editor
    from rongcuo_kg.paths import DEFAULT_DATA_DIR

    data = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, data)
    editors = tmp_path / "editors.json"
    add_editor(editors, "alice@example.org", None)
    add_editor(editors, "unverified.bob@example.org", None)  # listed, but the provider did not verify it
    app_port, provider_port = free_port(), free_port()
    app = f"http://127.0.0.1:{app_port}"
    client_secret = secrets.token_urlsafe(16)
    with oidc_provider(provider_port, "rongcuo-kg", client_secret, f"{app}/oauth2callback") as issuer:
        settings = tmp_path / "oidc.toml"
        settings.write_text(f'[auth]\nredirect_uri = "{app}/oauth2callback"\ncookie_secret = "{secrets.token_hex(16)}"\n'
                            f'client_id = "rongcuo-kg"\nclient_secret = "{client_secret}"\n'
                            f'server_metadata_url = "{issuer}/.well-known/openid-configuration"\n'
                            # Streamlit asks Google's prompt=select_account unless told; OIDC's own is login
                            'client_kwargs = { prompt = "login" }\n', encoding="utf-8")
        proc = start_app(app_port, str(data), editors=str(editors), oidc=str(settings))
        try:
            for account, is_editor in (("alice@example.org", True), ("mallory@example.org", False),
                                       ("unverified.bob@example.org", False)):
                context = browser.new_context(viewport={"width": 1400, "height": 1000})
                page = context.new_page()
                page.set_default_timeout(60_000)
                go(page, app, "新增办法")
                page.get_by_role("button", name="以单位账号登录").click()
                page.locator("input[name=login]").fill(account)  # the provider's own login page
                page.locator("input[name=password]").fill("any")
                page.locator("button[type=submit]").click()
                page.locator("button[type=submit]").click()  # its consent page: 'Continue'
                page.wait_for_url(f"{app}/**")  # back in the app, logged in
                go(page, app, "新增办法")
                if is_editor:
                    page.get_by_text(f"编辑：{account}（单位账号）").wait_for()
                    assert page.locator("input[type=file]").count() == 1
                else:
                    shown_as = account if not account.startswith("unverified.") else "（无已验证的电子邮箱）"
                    page.get_by_text(f"账号 {shown_as} 不是本站编辑。").wait_for()
                    assert page.locator("input[type=file]").count() == 0
                context.close()
        finally:
            stop_app(proc)


def test_the_tree_of_a_measure_opens_the_clause_clicked(page, app_url):
    """办法浏览: a click on a clause of the tree opens it beside the tree (its text, its citation);
    a defective item carries ⚠ and, opened, says so."""
    page.goto(app_url + "/?measure=guian&ref=1")
    wait_ready(page)
    page.locator("a", has_text="第六条第一款第二项").first.click()
    page.get_by_role("heading", name="《贵安新区容错纠错实施办法(试行)》第六条第一款第二项").wait_for()
    wait_ready(page)
    page.get_by_text("原文缺陷：").first.wait_for()
    assert "ref=6.2" in page.url


def test_the_sparql_editor_highlights_completes_and_runs_offline(page, app_url):
    """The free-query editor: SPARQL highlighted, the project's prefixes already in the query,
    Ctrl+Space completing the project's terms (rc:statesSituation, with its label), the Run button
    running it — and nothing requested from any address but the app's own."""
    from urllib.parse import urlparse

    elsewhere = []
    page.on("request", lambda r: elsewhere.append(r.url) if urlparse(r.url).hostname not in (
        "127.0.0.1", "localhost", None) and not r.url.startswith(("data:", "blob:", "about:")) else None)
    go(page, app_url, "SPARQL 查询")
    page.get_by_role("tab", name="自由查询").click()
    editor = page.frame_locator("iframe[title*='code_editor']").first
    editor.locator(".ace_keyword", has_text="SELECT").first.wait_for()  # highlighted
    assert "PREFIX rc:" in editor.locator(".ace_content").inner_text()
    editor.locator(".ace_content").click()
    page.keyboard.press("Control+End")
    page.keyboard.type("\n# rc:statesSit")
    page.keyboard.press("Control+Space")
    suggestion = editor.locator(".ace_autocomplete").get_by_text("rc:statesSituation").first
    suggestion.wait_for()
    assert "规定情形" in editor.locator(".ace_autocomplete").inner_text()
    page.keyboard.press("Escape")
    editor.get_by_text("运行").first.click()
    count = page.get_by_text(re.compile(r"^\d+ 行"))
    count.first.wait_for()
    wait_ready(page)
    assert int(count.first.inner_text().split()[0]) == 3  # the three measures and their titles
    assert elsewhere == []
