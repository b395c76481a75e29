"""Precision and recall of `compare NEW guian` against a reader's pairs, written blind.

    .venv/bin/python bench/score_compare.py [--slope S]

tests/fixtures/compare/pairs-blind.tsv: every pair of corresponding clauses a reader of the texts
found between guian and two measures of the layout corpus (web_gov_site as `qingchuan`,
rules_xize_sections as `donghu`), without sight of the code or its output. The two measures are
added to a fresh corpus with `rongcuo-kg ingest` (their annotations: the suggestions used at
once), then compared with guian. A returned pair counts as right when both its clauses equal,
contain or lie inside the clauses of one of the reader's pairs; the reader's pair counts as found
likewise. `--slope 0` weighs every shared concept alike (before issue 13).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "fixtures" / "compare" / "pairs-blind.tsv"
LAYOUTS = ROOT / "tests" / "fixtures" / "layouts"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--slope", type=float, default=None, help="compare.GENERIC_SLOPE (default: as shipped)")
    args = ap.parse_args()
    from rongcuo_kg.finding import compare as C
    from rongcuo_kg.finding.evalfind import contains
    from rongcuo_kg.graph.connect import open_store
    from rongcuo_kg.text.refs import Ref, parse_ref

    if args.slope is not None:
        C.GENERIC_SLOPE = args.slope
    gold: dict[str, list] = {}
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        m, a, b, *_ = line.split("\t")
        gold.setdefault(m, []).append((parse_ref(a), parse_ref(b)))
    cli = [sys.executable, "-m", "rongcuo_kg.cli"]
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "corpus"
        subprocess.run([*cli, "init", str(data)], check=True, capture_output=True)
        for name, mid in (("web_gov_site", "qingchuan"), ("rules_xize_sections", "donghu")):
            subprocess.run([*cli, "ingest", str(LAYOUTS / f"{name}.txt"), "--id", mid, "--data", str(data)],
                           check=True, capture_output=True)
        store = open_store(data)

        def ref(c: dict) -> Ref:
            return Ref(article=c["article"], paragraph=c["paragraph"], item=c["item"],
                       subitems=(c["subitem"],) if c.get("subitem") else ())

        def near(x: Ref, y: Ref) -> bool:
            return contains(x, y) or contains(y, x)

        total = {"pairs": 0, "right": 0, "gold": 0, "found": 0}
        for m, pairs in sorted(gold.items()):
            got = [(ref(p["a"]), ref(p["b"])) for p in C.compare(store, m, "guian", data=data, with_diff=False)["pairs"]]
            right = sum(1 for a, b in got if any(near(a, ga) and near(b, gb) for ga, gb in pairs))
            found = sum(1 for ga, gb in pairs if any(near(a, ga) and near(b, gb) for a, b in got))
            print(f"{m}: {len(got)} pairs, {right} right (precision {right / max(len(got), 1):.3f}); "
                  f"{found} of the reader's {len(pairs)} found (recall {found / len(pairs):.3f})")
            for k, v in (("pairs", len(got)), ("right", right), ("gold", len(pairs)), ("found", found)):
                total[k] += v
        print(f"all: precision {total['right'] / max(total['pairs'], 1):.3f} ({total['right']}/{total['pairs']}), "
              f"recall {total['found'] / total['gold']:.3f} ({total['found']}/{total['gold']})")


if __name__ == "__main__":
    main()
