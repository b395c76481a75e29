"""A user outside the team: the wheel that `python -m build` makes, installed with pip into a fresh
virtualenv, with no checkout beside it, runs the commands and the app on the corpus shipped inside
the package, and starts a corpus folder of its own with `rongcuo-kg init`."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import free_port, stop_app
from test_browser import go, wait_ready

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CASES = PROJECT_ROOT / "tests" / "cases" / "guian.csv"


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> dict:
    """The wheel built from this checkout, installed into a new virtualenv."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"  # a copy, so that the build leaves nothing in the checkout
    shutil.copytree(PROJECT_ROOT, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", "artifacts", ".pytest_cache"))
    built = subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(work / "dist"),
                            str(source)], capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr[-3000:]
    wheel = next((work / "dist").glob("rongcuo_kg-*.whl"))
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    pip = subprocess.run([str(venv / "bin" / "pip"), "install", "-q", str(wheel)],
                         capture_output=True, text=True, timeout=1200)
    assert pip.returncode == 0, pip.stderr[-3000:]
    home = work / "home"  # the user's own folders: working folder, cache
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV", "RONGCUO_"))}
    env.update(HOME=str(home), XDG_CACHE_HOME=str(home / ".cache"))
    return {"venv": venv, "home": home, "env": env, "wheel": wheel}


def run(installed: dict, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([str(installed["venv"] / "bin" / "rongcuo-kg"), *args], capture_output=True,
                          text=True, cwd=installed["home"], env=installed["env"], timeout=timeout)


def test_the_wheel_carries_the_law_as_files(installed):
    """Ontology, shapes, queries, the corpus and the app are inside the wheel, nothing from the checkout."""
    import zipfile

    names = set(zipfile.ZipFile(installed["wheel"]).namelist())
    for needed in ["rongcuo_kg/ontology/rongcuo.ttl", "rongcuo_kg/shapes/structure.ttl",
                   "rongcuo_kg/shapes/measures/guian.ttl", "rongcuo_kg/queries/measures.rq",
                   "rongcuo_kg/queries/internal/finder_units.rq", "rongcuo_kg/data/corpus/guian.txt",
                   "rongcuo_kg/data/corpus/guian.json", "rongcuo_kg/data/annotations/guian.ttl",
                   "rongcuo_kg/data/alignments/curated.ttl", "rongcuo_kg/data/eval/situations.tsv",
                   "rongcuo_kg/app/main.py", "rongcuo_kg/app/views/find.py",
                   "rongcuo_kg/app/.streamlit/config.toml"]:
        assert needed in names, needed
    where = subprocess.run([str(installed["venv"] / "bin" / "python"), "-c",
                            "import rongcuo_kg; print(rongcuo_kg.__file__)"], capture_output=True, text=True,
                           cwd=installed["home"], env=installed["env"])
    assert str(installed["venv"]) in where.stdout and str(PROJECT_ROOT) not in where.stdout


def test_the_installed_commands_answer_on_the_shipped_corpus(installed, tmp_path):
    out = tmp_path / "graph.ttl"
    built = run(installed, "build", "--out", str(out), "--json")
    assert built.returncode == 0, built.stderr
    assert json.loads(built.stdout)["triples"] > 1000 and out.stat().st_size > 0

    shown = run(installed, "show", "guian", "6.5")
    assert shown.returncode == 0, shown.stderr
    assert "第六条第一款第五项" in shown.stdout

    found = run(installed, "find", "防汛时来不及请示就把群众转移了", "--json")
    assert found.returncode == 0, found.stderr
    results = json.loads(found.stdout)["results"]
    assert any(r["measure"] == "audit" and "临机决断" in r["text"] for r in results)

    compared = run(installed, "compare", "audit", "guian", "--json")
    assert compared.returncode == 0, compared.stderr
    assert json.loads(compared.stdout)["pairs"]

    validated = run(installed, "validate", str(CASES), "--json")
    assert validated.returncode in (0, 1), validated.stderr
    assert json.loads(validated.stdout)["cases"]

    queried = run(installed, "query", "measures", "--format", "json")
    assert queried.returncode == 0, queried.stderr
    assert len(json.loads(queried.stdout)["rows"]) == 3


def test_a_user_starts_a_corpus_of_their_own_and_the_shipped_one_stays_untouched(installed):
    mine = installed["home"] / "my-corpus"
    made = run(installed, "init", str(mine))
    assert made.returncode == 0, made.stderr
    assert sorted(p.name for p in (mine / "corpus").iterdir()) == [
        "audit.json", "audit.txt", "enforcement.json", "enforcement.txt", "guian.json", "guian.txt"]
    shown = run(installed, "show", "audit", "9.2", "--data", str(mine))
    assert shown.returncode == 0 and "临机决断" in shown.stdout

    measure = installed["home"] / "county.txt"
    measure.write_text("某县容错纠错实施办法\n第一条 为了鼓励干部担当作为，制定本办法。\n"
                       "第二条 干部在推进改革中出现失误，符合下列情形的，可以容错：\n"
                       "（一）因先行先试出现失误的；\n（二）因不可抗力出现失误的。\n", encoding="utf-8")
    refused = run(installed, "ingest", str(measure), "--id", "county")
    assert refused.returncode == 2 and "rongcuo-kg init" in refused.stderr
    added = run(installed, "ingest", str(measure), "--id", "county", "--data", str(mine))
    assert added.returncode == 0, added.stderr
    assert (mine / "corpus" / "county.txt").is_file()
    site = installed["venv"] / "lib"
    assert not list(site.glob("python*/site-packages/rongcuo_kg/data/corpus/county.*"))


def test_the_installed_app_serves_its_pages(installed, page):
    port = free_port()
    proc = subprocess.Popen([str(installed["venv"] / "bin" / "rongcuo-kg"), "app", "--port", str(port)],
                            cwd=installed["home"], env=installed["env"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, start_new_session=True)
    try:
        deadline = time.monotonic() + 180
        while True:
            assert proc.poll() is None, proc.stderr.read().decode(errors="replace")[-2000:]
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                assert time.monotonic() < deadline, "the installed app did not answer"
                time.sleep(0.3)
        go(page, f"http://127.0.0.1:{port}", "情形查询")  # the app's own pages, from site-packages
        box = page.locator("textarea").first
        box.fill("防汛时来不及请示就把群众转移了，征用的仓库受了损")
        box.press("Control+Enter")
        page.get_by_text("第六条第一款第五项").first.wait_for()
        wait_ready(page)
        assert "突发事件" in page.locator(".clause").first.inner_text()
    finally:
        stop_app(proc)
