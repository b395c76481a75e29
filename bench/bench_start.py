"""Start-up benchmark (issue 15): what a user waits for when a new process starts.

- The command line, in a new process each time, as a script calling it per question does:
  `rongcuo-kg find "…"` and `rongcuo-kg show guian 6.5`, against the baseline measured in the same
  run: a new process that only imports rdflib and pyoxigraph. Medians of --runs, after one
  warm-up run that fills the cache folder (a fresh, private one: nothing from earlier runs); the
  first run (empty cache) is reported too.
- The web app: `rongcuo-kg app` started anew for each page (the cache folder filled by an earlier
  start, as on any start but the very first), then, after the health check, the first visit of
  the page in Chromium: the default page (办法浏览) from opening the address, the others from the
  click in the sidebar, until the page's main element is shown and Streamlit is idle.

    .venv/bin/python -m rongcuo_kg.adding.synth --n 997 --out /tmp/synth1000   # 3 + 997 = 1,000 measures
    .venv/bin/python bench/bench_start.py [--synth-dir /tmp/synth1000] [--runs 7] [--app-runs 3]

The timed processes run without PYTHONDONTWRITEBYTECODE (a user's Python writes bytecode).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "e2e"))
sys.path.insert(0, str(ROOT / "bench"))

QUESTION = "防汛时来不及请示就把群众转移了，征用的仓库受了损"
CLI = [str(Path(sys.executable).parent / "rongcuo-kg")]


def env_for(cache: Path, data: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "RONGCUO_DATA")}
    env["RONGCUO_CACHE"] = str(cache)
    if data:
        env["RONGCUO_DATA"] = data
    return env


def wall(cmd: list[str], env: dict[str, str]) -> float:
    t = time.perf_counter()
    done = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    seconds = time.perf_counter() - t
    if done.returncode != 0:
        raise RuntimeError(f"{cmd} failed: {done.stderr.decode(errors='replace')[-500:]}")
    return seconds


def bench_cli(data: str | None, runs: int) -> dict[str, float]:
    cache = Path(tempfile.mkdtemp(prefix="rc-bench-cache-"))
    env = env_for(cache, data)
    bare = [sys.executable, "-c", "import rdflib, pyoxigraph"]
    find = CLI + ["find", QUESTION]
    show = CLI + ["show", "guian", "6.5"]
    wall(bare, env)  # bytecode written, files in the page cache
    out = {"find, first run (empty cache)": wall(find, env),
           "show, first run after find": wall(show, env)}
    times: dict[str, list[float]] = {"bare import": [], "find": [], "show": []}
    for _ in range(runs):  # interleaved, so that a noisy moment touches all three alike
        times["bare import"].append(wall(bare, env))
        times["find"].append(wall(find, env))
        times["show"].append(wall(show, env))
    for k, v in times.items():
        out[k] = statistics.median(v)
    out["find / bare import"] = out["find"] / out["bare import"]
    out["show / bare import"] = out["show"] / out["bare import"]
    return out


def bench_app(data: str | None, runs: int) -> dict[str, float]:
    from bench_app import PAGES, idle, start_static
    from conftest import CHROMIUM, CHROMIUM_ARGS, free_port, stop_app
    from playwright.sync_api import sync_playwright
    import urllib.request

    cache = Path(tempfile.mkdtemp(prefix="rc-bench-cache-"))
    env = env_for(cache, data)

    def start() -> tuple[subprocess.Popen, str, float]:
        port = free_port()
        t = time.perf_counter()
        proc = subprocess.Popen(CLI + ["app", "--port", str(port)], env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True)
        url = f"http://127.0.0.1:{port}"
        while True:
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return proc, url, time.perf_counter() - t
            except OSError:
                if proc.poll() is not None or time.perf_counter() - t > 600:
                    raise RuntimeError("the app did not start")
                time.sleep(0.05)

    out: dict[str, list[float]] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        proc, _, first_start = start()  # the very first start fills the cache folder
        stop_app(proc)
        for _ in range(runs):
            for title, selector in PAGES:
                proc, url, started = start()
                out.setdefault("start until health check (cache filled)", []).append(started)
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                page.set_default_timeout(120_000)
                try:
                    t = time.perf_counter()
                    page.goto(url + "/")
                    page.locator(PAGES[0][1]).first.wait_for()
                    idle(page)
                    if title == PAGES[0][0]:
                        out.setdefault(f"first visit: {title} (opening the address)", []).append(time.perf_counter() - t)
                    else:
                        t = time.perf_counter()
                        page.get_by_role("link", name=title).click()
                        page.get_by_role("heading", name=title).wait_for()
                        page.locator(selector).first.wait_for()
                        idle(page)
                        out.setdefault(f"first visit: {title}", []).append(time.perf_counter() - t)
                finally:
                    page.close()
                    stop_app(proc)
        baselines = [("static_page.py", None, "baseline: a static Streamlit page (opening the address)"),
                     ("static_dataframe_page.py", "[data-testid='stDataFrame']",
                      "baseline: a static page with a two-row table (opening the address)")]
        for _ in range(runs):  # the baselines: static Streamlit pages, opened the same way
            for script, selector, name in baselines:
                port = free_port()
                static = start_static(port, script)
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                try:
                    t = time.perf_counter()
                    page.goto(f"http://127.0.0.1:{port}/")
                    page.get_by_role("heading", name="基准页面 baseline").wait_for()
                    if selector:
                        page.locator(selector).first.wait_for()
                    idle(page)
                    out.setdefault(name, []).append(time.perf_counter() - t)
                finally:
                    page.close()
                    stop_app(static)
        browser.close()
    result = {k: statistics.median(v) for k, v in out.items()}
    result["very first start (empty cache) until health check"] = first_start
    return result


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--synth-dir", help="a synthetic corpus of 1,000 measures")
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--app-runs", type=int, default=3)
    ap.add_argument("--no-app", action="store_true")
    args = ap.parse_args()
    import pyoxigraph
    import rdflib
    import streamlit

    report: dict = {"date": time.strftime("%Y-%m-%d"), "machine": platform.machine(), "cpus": os.cpu_count(),
                    "python": platform.python_version(),
                    "versions": {"rdflib": rdflib.__version__, "pyoxigraph": pyoxigraph.__version__,
                                 "streamlit": streamlit.__version__}}
    corpora = [("three measures", None)] + ([("1,000 measures", args.synth_dir)] if args.synth_dir else [])
    for name, data in corpora:
        report[f"cli, {name}"] = bench_cli(data, args.runs)
        if not args.no_app:
            report[f"app, {name}"] = bench_app(data, args.app_runs)
        print(json.dumps(report, ensure_ascii=False, indent=2), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
