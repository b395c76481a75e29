"""Benchmark of the web app in a real browser (issue 6): each page's first render and each main
action, median of 5, on the three measures and on N synthetic measures; next to a bare static
Streamlit page served the same way (the baseline), measured in the same run.

    .venv/bin/python -m rongcuo_kg.adding.synth --n 997 --out /tmp/synth1000   # 3 + 997 = 1,000 measures
    .venv/bin/python bench/bench_app.py [--synth-dir /tmp/synth1000] [--runs 5]

A "first render" is the time from clicking the page in the sidebar to its main element being
shown and Streamlit idle; an "action" from the user's input to its result. The app is started
with `rongcuo-kg app` (graph and indexes built once, before the clock starts: warm-up visit).
"""

from __future__ import annotations

import argparse
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "e2e"))

from conftest import CHROMIUM, CHROMIUM_ARGS, free_port, start_app, stop_app  # noqa: E402

CASES = ROOT / "tests" / "fixtures" / "eval" / "cases-graded-dev.csv"
PAGES = [  # sidebar title, an element that shows the page is there
    ("办法浏览", "[data-testid='stDataFrame']"),
    ("情形查询", "textarea"),
    ("对比", "table.parallel"),
    ("案件校验", "[data-testid='stAlert']"),
    ("SPARQL 查询", "button:has-text('运行')"),
    ("本体", "[data-testid='stDataFrame']"),
]


def idle(page) -> None:
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=120_000)


def timed(func) -> float:
    t = time.perf_counter()
    func()
    return time.perf_counter() - t


def start_static(port: int, script: str = "static_page.py") -> subprocess.Popen:
    import os
    import urllib.request

    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(ROOT / "bench" / script),
                             "--server.port", str(port), "--server.address", "127.0.0.1",
                             "--server.headless", "true", "--browser.gatherUsageStats", "false"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
                            env=dict(os.environ))
    for _ in range(200):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2)
            return proc
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("static page did not start")


def measure_app(browser, url: str, runs: int) -> dict[str, float]:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(120_000)
    t = time.perf_counter()
    page.goto(url + "/")
    idle(page)
    for title, sel in PAGES:  # warm-up: every page once (graph, index, rules built once per process)
        page.get_by_role("link", name=title).click()
        page.locator(sel).first.wait_for()
        idle(page)
    warm_up = time.perf_counter() - t
    out: dict[str, list[float]] = {}

    def record(name: str, seconds: float) -> None:
        out.setdefault(name, []).append(seconds)

    for _ in range(runs):
        for title, sel in PAGES:
            page.get_by_role("link", name="办法浏览" if title != "办法浏览" else "本体").click()
            idle(page)

            def open_page():
                page.get_by_role("link", name=title).click()
                page.get_by_role("heading", name=title).wait_for()
                page.locator(sel).first.wait_for()
                idle(page)
            record(f"render: {title}", timed(open_page))
            if title == "办法浏览":
                def pick_clause():
                    combo = page.get_by_role("combobox", name="条款")
                    combo.click()
                    combo.fill("第七条")  # clauses are chosen by their citation
                    combo.press("Enter")
                    page.locator("h3", has_text="第七条").first.wait_for()
                    idle(page)
                record("action: open a clause", timed(pick_clause))
            elif title == "情形查询":
                def ask():
                    box = page.locator("textarea").first
                    box.fill("防汛时来不及请示就把群众转移了，征用的仓库受了损")
                    box.press("Control+Enter")
                    page.locator(".clause").first.wait_for()
                    idle(page)
                record("action: find", timed(ask))
            elif title == "对比":
                shown = page.locator("table.parallel tbody tr").count()

                def show_pairs():  # the 对照 filtered to the provisions that have a counterpart
                    page.get_by_text("有对应的", exact=True).click()
                    page.wait_for_function(
                        f"() => document.querySelectorAll('table.parallel tbody tr').length < {shown}")
                    idle(page)
                record("action: 对照, pairs only", timed(show_pairs))
            elif title == "案件校验":
                # the interview (one-case tab): every fact starts 未查明, so the case waits (待查明)
                one_case = page.locator("[role='tabpanel']").first
                fact = one_case.locator("[data-testid='stRadio']", has_text="法律法规和纪律没有明令禁止").first

                def what_if():
                    fact.get_by_text("否", exact=True).click()
                    page.get_by_text("不予容错").first.wait_for()
                    idle(page)
                record("action: what-if (answer a fact)", timed(what_if))
                fact.get_by_text("未查明", exact=True).click()
                page.get_by_text("待查明：先查明下列事实").first.wait_for()
                idle(page)

                def upload():
                    page.get_by_role("tab", name="案件登记簿").click()
                    assert page.locator("[data-testid='stMetric']").count() == 0
                    page.locator("input[type=file]").set_input_files(str(CASES))
                    page.locator("[data-testid='stMetric']").first.wait_for()
                    idle(page)
                record("action: upload a register", timed(upload))
            elif title == "SPARQL 查询":
                def run_query():
                    page.get_by_role("button", name="运行").first.click()
                    page.locator("[data-testid='stDataFrame']").first.wait_for()
                    idle(page)
                record("action: run a named query", timed(run_query))
            elif title == "本体":
                def network():
                    page.get_by_role("tab", name="概念网络图").click()
                    page.frame_locator("iframe").last.locator("#net svg").wait_for()  # drawn, explorable
                record("action: concept network", timed(network))
    page.close()
    medians = {k: statistics.median(v) for k, v in out.items()}
    medians["(first visit of every page: graph, index and rules built)"] = warm_up
    return medians


def measure_static(browser, url: str, runs: int) -> float:
    page = browser.new_page()
    times = []
    for _ in range(runs + 1):
        t = time.perf_counter()
        page.goto(url + "/")
        page.get_by_role("heading", name="基准页面 baseline").wait_for()
        idle(page)
        times.append(time.perf_counter() - t)
    page.close()
    return statistics.median(times[1:])


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--synth-dir", help="a synthetic corpus (python -m rongcuo_kg.adding.synth --n 1000 --out DIR)")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    corpora = [("3 measures", None)]
    if args.synth_dir:
        n = len(list((Path(args.synth_dir) / "corpus").glob("*.txt")))
        corpora.append((f"N = {n:,}", args.synth_dir))
    results = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        port = free_port()
        static = start_static(port)
        try:
            baseline = measure_static(browser, f"http://127.0.0.1:{port}", args.runs)
        finally:
            stop_app(static)
        for name, data in corpora:
            port = free_port()
            t = time.perf_counter()
            proc = start_app(port, data, timeout=900)
            started = time.perf_counter() - t
            try:
                t = time.perf_counter()
                results[name] = measure_app(browser, f"http://127.0.0.1:{port}", args.runs)
                results[name]["(server start)"] = started
            finally:
                stop_app(proc)
        browser.close()
    import streamlit

    import os
    from importlib.metadata import version

    chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True).stdout.strip()
    print(f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {os.cpu_count()} cores, "
          f"{platform.machine()}; Python {platform.python_version()}, streamlit {streamlit.__version__}, "
          f"playwright {version('playwright')}, {chromium}; median of {args.runs}; "
          f"load average at the end {' '.join(f'{x:.2f}' for x in os.getloadavg())}.")
    print(f"Baseline (bare static Streamlit page, load to idle): {baseline * 1000:.0f} ms\n")
    names = list(results)
    print("| what | " + " | ".join(f"{n} (ms)" for n in names) + " | " +
          " | ".join(f"{n} / baseline" for n in names) + " |")
    print("|---|" + "---:|" * (2 * len(names)))
    keys = list(dict.fromkeys(k for r in results.values() for k in r))
    for k in keys:
        vals = [results[n].get(k) for n in names]
        cells = [f"{v * 1000:,.0f}" if v is not None else "–" for v in vals]
        ratios = [f"{v / baseline:,.1f}×" if v is not None and not k.startswith("(") else "–" for v in vals]
        print(f"| {k} | " + " | ".join(cells) + " | " + " | ".join(ratios) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
