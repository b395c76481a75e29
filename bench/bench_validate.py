"""Benchmark: validating synthetic case registers (issue 5).

    .venv/bin/python bench/bench_validate.py [--sizes 10000 100000] [--baseline-size 10000]
    .venv/bin/python bench/bench_validate.py --command 100000   # the command users run, new processes

Each size runs in its own subprocess so its peak memory (ru_maxrss) is its own. The fast
engine (shapes compiled to SPARQL on pyoxigraph) runs on every size; the baseline — plain
pyshacl over the whole register as one graph, same shapes — runs on --baseline-size, and the
two must find exactly the same violations there. Prints a markdown section for RESULTS.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import resource
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SITUATIONS = {
    "audit": ["exploratory_trial", "emergency", "mixed_ownership", "other", "service_efficiency"],
    "guian": ["implementing_decisions", "exploratory_trial", "bold_performance", "policy_change",
              "service_efficiency", "emergency", "legacy_conflict", "self_correction", "other",
              "counterparty_intent"],
    "enforcement": ["implementing_decisions", "exploratory_trial", "bold_performance", "policy_change",
                    "emergency", "counterparty_concealment", "counterparty_intent", "legacy_conflict",
                    "other", "mixed_ownership", "counterparty_deception", "force_majeure"],
}


# pieces of a case description as review staff write them (a register's longest column)
DESCRIPTION_PARTS = [
    "在推进重点项目建设过程中，为赶工期经班子集体研究后先行开工，", "因上级政策调整导致前期审批依据发生变化，",
    "处置突发汛情时未及时请示即组织群众转移并临时征用仓库，", "为提高审批效率对缺少非关键材料的申请容缺受理，",
    "在招商引资谈判中对投资方资信审核不严，", "化解历史遗留的征地补偿矛盾时触及部分群众固有利益引发信访，",
    "执法检查中检查对象故意隐瞒真实情况，致使未能及时发现安全隐患，", "事后已向党组织报告并按程序予以追认，",
    "造成直接经济损失约数十万元，", "未造成重大安全责任事故和严重不良社会影响，", "当事人事后主动认错并积极挽回损失，",
    "经调查核实，当事人未从中谋取任何私利，", "相关情况已在单位内部通报并完成整改。",
]


def write_register(path: Path, n: int, seed: int = 7, realistic: bool = False) -> None:
    """N cases across the three measures: mostly complete, some failing or missing facts,
    some repeats of the same subject and issue, a few structural errors. `realistic`: as a
    real register is — distinct subjects and issue keys for most cases, a description of
    100–300 characters."""
    from rongcuo_kg.cases.records import COLUMNS, FACTS

    rnd = random.Random(seed)
    start = date(2020, 1, 1)
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(COLUMNS)
        for i in range(n):
            measure = rnd.choice(list(SITUATIONS))
            spread = 1 if realistic else 4
            subject = f"单位{rnd.randrange(n // spread + 1)}"
            issue = f"issue-{rnd.randrange(n // (1 if realistic else 3) + 1)}"
            day = (start + timedelta(days=rnd.randrange(1500))).isoformat()
            sits = ";".join(rnd.sample(SITUATIONS[measure], k=rnd.choice([1, 1, 1, 2])))
            facts = []
            for _f in FACTS:
                r = rnd.random()
                facts.append("true" if r < 0.9 else ("false" if r < 0.96 else ""))
            case_id = f"C{i:07d}" if rnd.random() > 0.001 else f"C{max(i - 1, 0):07d}"
            if rnd.random() < 0.001:
                day = "2024-13-01"
            description = "合成案件"
            if realistic:
                description = "".join(rnd.sample(DESCRIPTION_PARTS, k=rnd.randint(4, 10)))
            w.writerow([case_id, measure, subject, day, sits, issue, description, *facts])


def run_command(size: int, workdir: Path) -> list[dict]:
    """What review staff run: `rongcuo-kg validate FILE` with --json (to a file), --html, --csv,
    each in a new process, on a register of realistic variety; wall time and the command's peak
    memory (measured by a parent process of its own)."""
    path = workdir / f"register-{size}-realistic.csv"
    if not path.exists():
        write_register(path, size, realistic=True)
    cli = str(Path(sys.executable).parent / "rongcuo-kg")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([cli, "show", "guian", "6"], env=env, capture_output=True)  # the cache folder filled
    probe = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
             "out = open(sys.argv[1], 'wb'); r = subprocess.run(sys.argv[2:], stdout=out); "
             "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.returncode)")
    rows = []
    # the baseline, same run: a new Python process that only reads the register with the csv
    # module (the floor under any Python tool reading it); the machine is shared and noisy
    floor = ("import csv, sys, time; t = time.perf_counter(); "
             "n = sum(1 for _ in csv.reader(open(sys.argv[1], encoding='utf-8'))); "
             "print(time.perf_counter() - t)")
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", floor, str(path)], check=True, capture_output=True)
    baseline = time.perf_counter() - t0
    for name, extra, out in [("--json > FILE", ["--json"], "out.json"),
                             ("--html FILE", ["--html", str(workdir / "out.html")], "out.txt"),
                             ("--csv FILE", ["--csv", str(workdir / "out.csv")], "out.txt")]:
        done = subprocess.run([sys.executable, "-c", probe, str(workdir / out), cli, "validate", str(path),
                               "--max-size", "500", *extra], env=env, capture_output=True, text=True, check=True)
        seconds, peak_kb, code = done.stdout.split()
        if code not in ("0", "1"):  # 1: some case does not conform (a finding, not a failure)
            raise RuntimeError(f"validate exited {code}: {done.stderr[-500:]}")
        rows.append({"size": size, "command": f"rongcuo-kg validate FILE {name}",
                     "seconds": round(float(seconds), 1), "peak_mb": round(int(peak_kb) / 1024),
                     "register_mb": round(path.stat().st_size / 2**20, 1),
                     "baseline_s": round(baseline, 2), "ratio": round(float(seconds) / baseline, 1)})
        sys.stderr.write(json.dumps(rows[-1], ensure_ascii=False) + "\n")
    return rows


def run_one(size: int, engine: str, workdir: Path) -> dict:
    """Validate one register in this process; report time and peak memory."""
    from rongcuo_kg.cases.records import read_register
    from rongcuo_kg.graph.connect import open_store
    from rongcuo_kg.paths import DEFAULT_DATA_DIR
    from rongcuo_kg.cases.validate import Validator

    path = workdir / f"register-{size}.csv"
    if not path.exists():
        write_register(path, size)
    v = Validator(open_store(), DEFAULT_DATA_DIR)
    t0 = time.perf_counter()
    records = read_register(path, max_bytes=1 << 34).records
    t_read = time.perf_counter() - t0
    if engine == "sparql":
        results = v.validate(records, engine)  # findings, outcomes, citations, consequences
        findings = v.last_findings
    else:
        results = None
        findings, _targets = v._findings(records, engine)
    t_all = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    keyset = sorted({(f.focus, f.constraint, f.component,
                      None if f.component == "DatatypeConstraintComponent" else f.value)
                     for f in findings})
    (workdir / f"findings-{size}-{engine}.json").write_text(json.dumps(keyset), encoding="utf-8")
    return {"size": size, "engine": engine, "read_s": round(t_read, 2),
            "validate_s": round(t_all - t_read, 2), "total_s": round(t_all, 2),
            "cases_reported": len(results) if results is not None else None,
            "findings": len(findings), "peak_mb": round(peak_mb)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--baseline-size", type=int, default=10_000)
    ap.add_argument("--workdir", default=str(ROOT / "bench" / "out"))
    ap.add_argument("--one", nargs=2, metavar=("SIZE", "ENGINE"), help=argparse.SUPPRESS)
    ap.add_argument("--command", type=int, metavar="SIZE",
                    help="time the command users run on a realistic register of SIZE cases (a table)")
    args = ap.parse_args()
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    if args.command:
        rows = run_command(args.command, workdir)
        print("| cases | register (MB) | command | wall (s) | × reading it with csv (same run) | peak RSS (MB) |\n"
              "|---:|---:|---|---:|---:|---:|")
        for r in rows:
            print(f"| {r['size']:,} | {r['register_mb']} | `{r['command']}` | {r['seconds']} | "
                  f"{r['ratio']} (baseline {r['baseline_s']} s) | {r['peak_mb']:,} |")
        return
    if args.one:
        print(json.dumps(run_one(int(args.one[0]), args.one[1], workdir)))
        return
    runs = []
    plan = [(s, "sparql") for s in args.sizes] + [(args.baseline_size, "pyshacl")]
    for size, engine in plan:
        sys.stderr.write(f"running {engine} on {size} cases …\n")
        out = subprocess.run([sys.executable, __file__, "--one", str(size), engine,
                              "--workdir", str(workdir)], capture_output=True, text=True, check=True)
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
        sys.stderr.write(json.dumps(runs[-1]) + "\n")
    base = next(r for r in runs if r["engine"] == "pyshacl")
    fast_same = next(r for r in runs if r["engine"] == "sparql" and r["size"] == base["size"])
    identical = (json.loads((workdir / f"findings-{base['size']}-pyshacl.json").read_text())
                 == json.loads((workdir / f"findings-{base['size']}-sparql.json").read_text()))
    import pyoxigraph
    import pyshacl
    import rdflib

    cpu = next((ln.split(":", 1)[1].strip() for ln in open("/proc/cpuinfo") if ln.startswith("model name")), "?")
    mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    lines = [
        "## Validation (issue 5)", "",
        f"Date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}. Machine: {os.cpu_count()} cores, "
        f"{mem_gb:.0f} GiB, {cpu}. Python {platform.python_version()}, pyoxigraph {pyoxigraph.__version__}, "
        f"pyshacl {pyshacl.__version__}, rdflib {rdflib.__version__}.", "",
        "Command: `.venv/bin/python bench/bench_validate.py` (synthetic registers, seed 7: ~90 % facts true, "
        "some false or empty, repeats of subject and issue, 0.1 % duplicate ids and bad dates).", "",
        "| cases | engine | read (s) | validate (s) | total (s) | findings | peak RSS (MB) |",
        "|---:|---|---:|---:|---:|---:|---:|",
    ]
    for r in runs:
        lines.append(f"| {r['size']:,} | {r['engine']} | {r['read_s']} | {r['validate_s']} | "
                     f"{r['total_s']} | {r['findings']:,} | {r['peak_mb']:,} |")
    speedup = base["validate_s"] / fast_same["validate_s"] if fast_same["validate_s"] else float("inf")
    big = max((r for r in runs if r["engine"] == "sparql"), key=lambda r: r["size"])
    lines += [
        "",
        f"- Same {base['size']:,} register: pyshacl {base['validate_s']} s (findings only) vs the SPARQL "
        f"engine {fast_same['validate_s']} s (findings and the full per-case report): "
        f"**{speedup:.0f}× faster** (target ≥ 10×).",
        f"- Findings identical to the pyshacl baseline on {base['size']:,} cases: **{identical}** "
        "(focus, rule, component, value; values of ill-typed literals compared without the value, "
        "since rdflib rewrites them in pyshacl's report).",
        f"- {big['size']:,} cases: {big['total_s']} s for reading, validating and assembling the "
        f"per-case report, peak {big['peak_mb']:,} MB (targets ≤ 60 s, ≤ 4 GiB).",
    ]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
