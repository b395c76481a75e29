"""Benchmarks of the finder and the comparison (issue 4), with the BM25 baseline in the same run.

    .venv/bin/python bench/bench_finder.py [--synth N] [--synth-dir DIR] [--repeat R] [--json]

Measures, on the three measures of data/:
- cold start: a fresh process that opens the store, builds the finder's index (jieba's
  dictionary, the user dictionary from the graph's labels, BM25) and answers one question;
- warm `find` median, over all measures and with --measure, and the BM25 baseline's median on
  the same questions (ratio finder / BM25);
- `compare` of two measures (median), and its ratio to one BM25 query;
- the evaluation (data/eval/situations.tsv): hit@1, hit@3, MRR of finder and BM25.
With --synth N: the same on N synthetic measures (rongcuo_kg.adding.synth; N-3 generated + the 3
real ones), plus index build time and the blocked correspondences across all N measures.
Targets (issue 4): warm find ≤ 20 ms (3 measures), ≤ 200 ms (N = 1,000); compare ≤ 200 ms;
all-N correspondences ≤ 5 min.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUESTIONS = [
    "防汛时来不及请示就把群众转移了，征用的仓库受了损",
    "容错免责要同时满足哪些条件",
    "企业在整改期限内不按要求整改，结果发生了火灾",
    "容缺受理以后发现企业提交的材料是假的",
    "本办法由哪个机构负责解释",
    "被人诬告了，组织上会帮我澄清吗",
]


def median_ms(func, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        for q in QUESTIONS:
            t = time.perf_counter()
            func(q)
            times.append(time.perf_counter() - t)
    return round(1000 * statistics.median(times), 3)


def cold_start(data: Path | None) -> float:
    code = ("import time; t=time.perf_counter(); from rongcuo_kg.graph.connect import open_store; "
            "from rongcuo_kg.finding.finder import find; "
            f"find(open_store({str(data)!r} if {data is not None} else None), '防汛时来不及请示'); "
            "print(time.perf_counter()-t)")
    t = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    wall = time.perf_counter() - t
    return round(wall, 2), round(float(done.stdout.strip().splitlines()[-1]), 2)


def bench_corpus(data: Path | None, repeat: int, compare_pair=("audit", "guian"), with_eval=True,
                 with_align=False) -> dict:
    from rongcuo_kg.finding.compare import align_all, compare
    from rongcuo_kg.graph.connect import open_store
    from rongcuo_kg.finding.evalfind import evaluate
    from rongcuo_kg.finding.finder import bm25_baseline, find, get_index
    from rongcuo_kg.paths import DEFAULT_DATA_DIR

    out: dict = {}
    t = time.perf_counter()
    store = open_store(data)
    out["store_s"] = round(time.perf_counter() - t, 2)
    t = time.perf_counter()
    index = get_index(store)
    out["index_s"] = round(time.perf_counter() - t, 2)
    out["measures"] = len(index.by_measure)
    out["clauses"] = len(index.units)
    for q in QUESTIONS:  # warm up
        find(store, q, index=index)
        bm25_baseline(store, q, index=index)
    out["find_all_ms"] = median_ms(lambda q: find(store, q, index=index), repeat)
    out["bm25_all_ms"] = median_ms(lambda q: bm25_baseline(store, q, index=index), repeat)
    out["find_one_ms"] = median_ms(lambda q: find(store, q, measure="guian", index=index), repeat)
    out["bm25_one_ms"] = median_ms(lambda q: bm25_baseline(store, q, measure="guian", index=index), repeat)
    compare(store, *compare_pair, index=index)
    times = []
    for _ in range(max(3, repeat)):
        t = time.perf_counter()
        compare(store, *compare_pair, index=index)
        times.append(time.perf_counter() - t)
    out["compare_ms"] = round(1000 * statistics.median(times), 2)
    out["ratio_find_all"] = round(out["find_all_ms"] / out["bm25_all_ms"], 2)
    out["ratio_find_one"] = round(out["find_one_ms"] / out["bm25_one_ms"], 2)
    out["ratio_compare"] = round(out["compare_ms"] / out["bm25_all_ms"], 1)
    if with_eval:
        ev = evaluate(store, DEFAULT_DATA_DIR / "eval" / "situations.tsv", index=index)
        out["eval"] = {"finder": ev["finder"], "bm25": ev["bm25"], "splits": ev.get("splits")}
        shared = ROOT / "tests" / "fixtures" / "eval" / "situations-dev.tsv"
        if shared.is_file():
            sd = evaluate(store, shared, index=index)
            out["eval_shared_dev"] = {"finder": sd["finder"], "bm25": sd["bm25"]}
    if with_align:
        t = time.perf_counter()
        res = align_all(store, index=index)
        out["align_all_s"] = round(time.perf_counter() - t, 1)
        out["align_all"] = {k: (len(v) if k == "pairs" else v) for k, v in res.items()}
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--synth", type=int, default=0, help="also measure N synthetic measures (e.g. 1000)")
    ap.add_argument("--synth-dir", help="an existing synthetic corpus folder (else generated in a temp folder)")
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    import jieba
    import pyoxigraph
    import rapidfuzz

    report: dict = {"date": time.strftime("%Y-%m-%d"), "machine": f"{platform.machine()} {platform.processor() or ''}".strip(),
                    "cpus": __import__("os").cpu_count(), "python": platform.python_version(),
                    "versions": {"jieba": jieba.__version__, "rapidfuzz": rapidfuzz.__version__,
                                 "pyoxigraph": pyoxigraph.__version__}}
    report["cold_start_s"], report["cold_start_in_process_s"] = cold_start(None)
    report["three"] = bench_corpus(None, args.repeat, with_align=True)
    if args.synth:
        folder = Path(args.synth_dir) if args.synth_dir else Path(tempfile.mkdtemp(prefix="rc-synth-"))
        if not (folder / "corpus").is_dir():
            from rongcuo_kg.adding.synth import generate
            from rongcuo_kg.paths import DEFAULT_DATA_DIR

            generate(DEFAULT_DATA_DIR, folder, args.synth - 3)
        report["synth"] = bench_corpus(folder, max(3, args.repeat // 4), with_eval=False, with_align=True,
                                       compare_pair=("audit", "guian"))
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
