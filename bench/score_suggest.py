"""Score suggested annotations against a reader's hand annotation of measures the suggester never
saw (issue 13, item 3).

    .venv/bin/python bench/score_suggest.py DIR [DIR …] [--texts DIR] [--verbose] [--json OUT]

    # the development set (30 layouts, two readers) and the first blind set (12 measures):
    .venv/bin/python bench/score_suggest.py tests/fixtures/suggest/dev --texts tests/fixtures/layouts
    .venv/bin/python bench/score_suggest.py tests/fixtures/suggest/blind1

Each DIR holds NAME.txt (a measure as a user gets it) and NAME.annotations.tsv, written by a
reader following tests/fixtures/suggest/GUIDE.md: `citation  property  concept  note`, one row
per link (第五条第一款第三项 / 第三项 for a 清单's entry; property `none` for a list item no
concept fits). Each measure is parsed and suggested exactly as `rongcuo-kg ingest` does, against
the shipped corpus (the three curated measures), alone: no measure's suggestions are evidence
for another's. A suggestion is right when the same clause, property and concept were annotated.
Scored: the suggestions used at once (auto), per kind, pooled over every measure, and per measure.

A citation the parser's structure does not have counts as a miss (the pipeline's error, not
the reader's) and is listed; so does every link of a text `ingest` refuses.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

KINDS = ["statesSituation", "requiresCondition", "statesExclusion", "mentionsCondition"]
TARGETS = KINDS[:3]  # precision and recall ≥ 0.85 each, used at once


def citations(measure) -> dict[str, str]:
    """Citation (第五条第一款第三项) → the eId of the clause the suggester annotates there (an article
    of one paragraph is one clause: 第五条 and 第五条第一款 both name it)."""
    from rongcuo_kg.graph.rdfgen import eid_citation

    out: dict[str, str] = {}
    for u in measure.units():
        if u.kind in ("part", "chapter", "section"):
            continue
        zh, _ = eid_citation("", "", u.eid)
        out[zh] = u.eid
    for u in measure.articles():
        paras = [c for c in u.children if c.kind == "paragraph"]
        if len(paras) == 1:
            zh, _ = eid_citation("", "", u.eid)
            out[zh + "第一款"] = u.eid
    return out


def read_truth(path: Path) -> list[tuple[str, str, str]]:
    rows = []
    with path.open(encoding="utf-8") as f:
        for row in csv.reader(f, delimiter="\t"):
            if not row or row[0].strip() in ("citation", "") or row[0].startswith("#"):
                continue
            cite, prop, concept = (c.strip() for c in row[:3])
            if prop in KINDS:
                rows.append((cite, prop, concept))
    return rows


def score(folders: list[Path], verbose: bool, texts: Path | None = None) -> dict:
    """Pooled and per-measure scores; each NAME.annotations.tsv of the folders is read with the
    NAME.txt beside it, or in `texts`."""
    from rongcuo_kg.adding.ingest import parse_new
    from rongcuo_kg.errors import BadInput
    from rongcuo_kg.adding.suggest import suggest
    from rongcuo_kg.finding.finder import get_index
    from rongcuo_kg.graph.connect import open_store
    from rongcuo_kg.paths import DEFAULT_DATA_DIR

    index = get_index(open_store(DEFAULT_DATA_DIR))
    pooled = {k: [0, 0, 0] for k in KINDS}  # suggested, annotated, right
    per_measure, details = {}, {}
    for folder in folders:
        for truth_file in sorted(folder.glob("*.annotations.tsv")):
            name = truth_file.name.removesuffix(".annotations.tsv")
            text = folder / f"{name}.txt"
            if not text.exists() and texts is not None:
                text = texts / f"{name}.txt"
            try:
                _, measure, _ = parse_new(text, "new", None)
            except BadInput as e:  # what `ingest` refuses gets no suggestion: every link is missed
                truth = {(f"?{c}", prop, concept) for c, prop, concept in read_truth(truth_file)}
                row = {k: (0, sum(1 for x in truth if x[1] == k), 0) for k in KINDS}
                for k in KINDS:
                    pooled[k][1] += row[k][1]
                per_measure[name] = {"scores": row, "unmapped": [], "refused": str(e)}
                continue
            cite = citations(measure)
            truth, unmapped = set(), []
            for c, prop, concept in read_truth(truth_file):
                key = c.replace("（", "").replace("）", "")
                if key in cite:
                    truth.add((cite[key], prop, concept))
                else:
                    unmapped.append(c)
                    truth.add((f"?{c}", prop, concept))
            prefix = "https://w3id.org/rongcuo-kg/eli/new/"
            auto = {(s.clause.iri.removeprefix(prefix), s.property, s.concept)
                    for s in suggest(index, measure) if s.auto}
            row = {}
            for k in KINDS:
                t = {x for x in truth if x[1] == k}
                a = {x for x in auto if x[1] == k}
                counts = (len(a), len(t), len(a & t))
                row[k] = counts
                for i in range(3):
                    pooled[k][i] += counts[i]
                if verbose:
                    details.setdefault(name, {})[k] = {"missed": sorted(t - a), "wrong": sorted(a - t)}
            per_measure[name] = {"scores": row, "unmapped": unmapped, "articles": len(measure.articles()),
                                 "provisions": len(measure.provisions())}
    return {"pooled": pooled, "measures": per_measure, "details": details}


def ratio(a: int, b: int) -> str:
    return f"{a / b:.3f}" if b else "–"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folders", nargs="+", type=Path)
    ap.add_argument("--verbose", action="store_true", help="list every miss and wrong suggestion")
    ap.add_argument("--json", type=Path, help="also write the scores as JSON")
    ap.add_argument("--texts", type=Path, help="where the texts are, when not beside their annotations")
    args = ap.parse_args()
    result = score(args.folders, args.verbose, args.texts)
    print("| kind | used at once | annotated | right | precision | recall |")
    print("|---|---:|---:|---:|---:|---:|")
    for k in KINDS:
        s, t, r = result["pooled"][k]
        print(f"| {k} | {s} | {t} | {r} | {ratio(r, s)} | {ratio(r, t)} |")
    print()
    print("| measure | " + " | ".join(f"{k} P / R" for k in TARGETS) + " | unmapped citations |")
    print("|---|" + "---|" * (len(TARGETS) + 1))
    for name, m in result["measures"].items():
        cells = [f"{ratio(m['scores'][k][2], m['scores'][k][0])} / {ratio(m['scores'][k][2], m['scores'][k][1])}"
                 for k in TARGETS]
        note = f"REFUSED: {m['refused']}" if m.get("refused") else "、".join(m["unmapped"]) or "—"
        print(f"| {name} | " + " | ".join(cells) + f" | {note} |")
    if args.verbose:
        for name, kinds in result["details"].items():
            for k, d in kinds.items():
                for what in ("missed", "wrong"):
                    for x in d[what]:
                        print(f"{name}\t{k}\t{what}\t{x[0]}\t{x[2]}")
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1, default=list), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
