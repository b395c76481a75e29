"""Quality and speed of suggested annotations (issue 7).

    .venv/bin/python bench/bench_suggest.py [--synth N]      # exit 1 if a target is missed or a leak found

Quality (rongcuo_kg/holdout.py): each of the three real measures in turn is held out: a corpus
folder with only the other two (texts and curated annotations) is built, the held-out measure's
raw text is ingested as if new (`ingest.ingest`, the code `rongcuo-kg ingest` runs; title, 文号
and issuer read from the text) and its suggestions are scored against its curated annotations:
precision and recall per kind (property), counting a suggestion right when the same clause,
property and concept are curated. "auto" = the suggestions used at once (confidence ≥ the
threshold); "all" = every suggestion offered for review. No curated annotation of the held-out
measure is in the graph the suggestions come from (checked: a leak fails the run).

Speed (--synth N): ingest and suggest one measure, and a batch of N synthetic measure files.
"""

from __future__ import annotations

import argparse
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_KINDS = {"statesSituation": "situations", "requiresCondition": "conditions"}


def fmt(v) -> str:
    return "–" if v is None else f"{v:.2f}"


def machine() -> str:
    import os

    cpu = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                if ln.startswith("model name")), platform.machine()) if Path("/proc/cpuinfo").exists() else platform.machine()
    from importlib.metadata import version

    libs = ", ".join(f"{p} {version(p)}" for p in ("rdflib", "pyoxigraph", "jieba", "python-docx", "pypdf"))
    return f"{os.cpu_count()} cores ({cpu}); Python {platform.python_version()}; {libs}"


def main() -> int:
    from rongcuo_kg.adding.holdout import hold_out

    ap = argparse.ArgumentParser()
    ap.add_argument("--synth", type=int, default=0, help="also time a batch of N synthetic measures")
    args = ap.parse_args()
    lines = [f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {machine()}.",
             "", "| held out | kind | auto: suggested / curated / right | auto P | auto R | all: suggested / right | all P | all R |",
             "|---|---|---|---:|---:|---|---:|---:|"]
    targets, failed = [], False
    with tempfile.TemporaryDirectory() as tmp:
        for m in ("audit", "guian", "enforcement"):
            r = hold_out(m, Path(tmp))
            if r.leaks:
                print(f"LEAK: {m}: {r.leaks}", file=sys.stderr)
                failed = True
            for kind, a in r.auto.items():
                o = r.offered[kind]
                lines.append(f"| {m} | {kind} | {a.suggested} / {a.curated} / {a.right} | {fmt(a.precision)} | "
                             f"{fmt(a.recall)} | {o.suggested} / {o.right} | {fmt(o.precision)} | {fmt(o.recall)} |")
            lines.append(f"| {m} | (ingest + suggest + write, s; index of {' + '.join(r.reference)} built) "
                         f"| {r.seconds:.2f} | | | | | |")
            cells, met = [], True
            for kind in TARGET_KINDS:
                a = r.auto.get(kind)
                p, rc = (a.precision, a.recall) if a else (None, None)
                ok = p is not None and rc is not None and p >= 0.8 and rc >= 0.9
                met &= ok
                cells.append(f"{fmt(p)} / {fmt(rc)}")
            targets.append(f"| {m} | {' | '.join(cells)} | {'yes' if met else 'NO'} |")
            failed |= not met
    lines += ["", "Targets (suggestions used at once): precision ≥ 0.8 and recall ≥ 0.9.", "",
              "| held out | situations P / R | conditions (requiresCondition) P / R | met |", "|---|---|---|---|",
              *targets]
    if args.synth:
        lines += ["", *speed(args.synth)]
    print("\n".join(lines))
    return 1 if failed else 0


def speed(n: int) -> list[str]:
    """Ingest and suggest one measure, then N synthetic measure files in one batch (the CLI's
    batch path: one index, every file through `ingest.ingest`)."""
    import subprocess

    from rongcuo_kg.paths import DEFAULT_DATA_DIR
    from rongcuo_kg.adding.synth import generate

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        generate(DEFAULT_DATA_DIR, tmp / "synth", n, seed=11)
        files = []
        for meta in sorted((tmp / "synth" / "corpus").glob("*.json")):
            if meta.stem in ("audit", "guian", "enforcement"):
                continue
            dest = tmp / "incoming" / f"{meta.stem.replace('-', '_')}.txt"
            dest.parent.mkdir(exist_ok=True)
            shutil.copy(meta.with_suffix(".txt"), dest)
            files.append(dest)
        data = tmp / "data"
        shutil.copytree(DEFAULT_DATA_DIR, data)
        cli = [sys.executable, "-m", "rongcuo_kg.cli", "ingest", "--data", str(data)]
        t = time.perf_counter()
        subprocess.run(cli + [str(files[0])], check=True, capture_output=True)
        one = time.perf_counter() - t
        t = time.perf_counter()
        done = subprocess.run(cli + [str(f) for f in files[1:]], capture_output=True, text=True)
        batch = time.perf_counter() - t
        added = len(list((data / "corpus").glob("*.json"))) - 4
    return [f"Speed: `rongcuo-kg ingest` of one synthetic measure (new process: store, index, ingest, "
            f"suggest, write): {one:.2f} s; a batch of {len(files) - 1} files in one process: {batch:.1f} s "
            f"({added} added, exit {done.returncode}; {batch / max(1, len(files) - 1) * 1000:.0f} ms a measure)."]


if __name__ == "__main__":
    raise SystemExit(main())
