"""Quality and speed of suggested annotations (issue 7).

    .venv/bin/python bench/bench_suggest.py [--synth N]

Quality: each of the three real measures in turn is held out: a corpus folder with only the
other two (texts and curated annotations) is built, the held-out measure's raw text is ingested
as if new (`ingest.ingest`, the code `rongcuo-kg ingest` runs) and its suggestions are scored
against its curated annotations: precision and recall per kind (property), counting a
suggestion right when the same clause, property and concept are curated. "auto" = the
suggestions used at once (confidence ≥ the threshold); "all" = every suggestion offered for
review. No curated annotation of the held-out measure is in the graph the suggestions come from.

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

KINDS = ["statesSituation", "requiresCondition", "mentionsCondition", "statesExclusion",
         "attachesConsequence", "prescribesStep", "involvesBody", "expressesPrinciple",
         "statesDutyFulfilled", "statesMitigation", "prescribesCorrection", "statesGeneralProvision"]


def curated_links(measure: str) -> set[tuple[str, str, str]]:
    from rongcuo_kg.connect import open_store
    from rongcuo_kg.finder import get_index

    index = get_index(open_store())
    return {(index.units[i].iri, prop, cid) for i in index.by_measure[measure]
            for prop, cid in index.units[i].links}


def held_out(measure: str, work: Path) -> dict:
    from rongcuo_kg.ingest import ingest
    from rongcuo_kg.paths import DEFAULT_DATA_DIR

    data = work / f"without-{measure}"
    shutil.copytree(DEFAULT_DATA_DIR, data)
    raw = data / "corpus" / f"{measure}.txt"
    source = work / f"{measure}.txt"
    shutil.move(raw, source)
    meta = data / "corpus" / f"{measure}.json"
    title = __import__("json").loads(meta.read_text(encoding="utf-8"))["title"]
    meta.unlink()
    (data / "annotations" / f"{measure}.ttl").unlink()
    t = time.perf_counter()
    result = ingest(source, data, measure, title=title)
    seconds = time.perf_counter() - t
    truth = curated_links(measure)
    out = {"measure": measure, "seconds": seconds, "kinds": {}}
    for scope in ("auto", "all"):
        got = {(s.clause.iri, s.property, s.concept) for s in result.suggestions if scope == "all" or s.auto}
        for kind in KINDS:
            g = {x for x in got if x[1] == kind}
            tr = {x for x in truth if x[1] == kind}
            if not g and not tr:
                continue
            hit = len(g & tr)
            out["kinds"].setdefault(kind, {})[scope] = {
                "suggested": len(g), "curated": len(tr), "right": hit,
                "precision": hit / len(g) if g else None, "recall": hit / len(tr) if tr else None}
    return out


def fmt(v) -> str:
    return "–" if v is None else f"{v:.2f}"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--synth", type=int, default=0, help="also time a batch of N synthetic measures")
    args = ap.parse_args()
    lines = [f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; Python {platform.python_version()}.",
             "", "| held out | kind | auto: suggested / curated / right | auto P | auto R | all: suggested / right | all P | all R |",
             "|---|---|---|---:|---:|---|---:|---:|"]
    with tempfile.TemporaryDirectory() as tmp:
        for m in ("audit", "guian", "enforcement"):
            r = held_out(m, Path(tmp))
            for kind, s in r["kinds"].items():
                a, al = s.get("auto", {}), s.get("all", {})
                lines.append(f"| {m} | {kind} | {a.get('suggested', 0)} / {a.get('curated', al.get('curated', 0))} / "
                             f"{a.get('right', 0)} | {fmt(a.get('precision'))} | {fmt(a.get('recall'))} | "
                             f"{al.get('suggested', 0)} / {al.get('right', 0)} | {fmt(al.get('precision'))} | "
                             f"{fmt(al.get('recall'))} |")
            lines.append(f"| {m} | (ingest + suggest, s) | {r['seconds']:.2f} | | | | | |")
    if args.synth:
        lines += ["", *speed(args.synth)]
    print("\n".join(lines))
    return 0


def speed(n: int) -> list[str]:
    """Ingest and suggest one measure, then N synthetic measure files in one batch (the CLI's
    batch path: one index, every file through `ingest.ingest`)."""
    import subprocess

    from rongcuo_kg.paths import DEFAULT_DATA_DIR
    from rongcuo_kg.synth import generate

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
