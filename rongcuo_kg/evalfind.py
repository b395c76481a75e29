"""`eval-find FILE.tsv`: hit@1, hit@3 and MRR of the finder and of a plain BM25 baseline.

TSV: `question <TAB> measure <TAB> acceptable refs [<TAB> split]`; lines starting with `#` and
blank lines are skipped; refs are separated by spaces or commas (`9.2`, `11.p2.1`, `19`,
`第九条第二项`). Each row is one search restricted to its measure (`find --measure`).

A hit is a returned clause whose ref equals an acceptable ref or lies inside an acceptable
article or paragraph: `19` accepts 19 and every part of it, `11.p2` accepts 11.p2 and
11.p2.1-3; `9.2` accepts 9.2 (and its sub-items) but not article 9, which is less specific
than asked. MRR counts the first hit in the top RANK_DEPTH results (0 when none).
Both systems search the same clauses (the finder's units: every article, paragraph, item
and sub-item, an article with a single paragraph being one clause) with the same
segmentation; the baseline ranks by BM25 over each clause's own text alone.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path

from .errors import BadInput
from .finder import FinderIndex, bm25_baseline, find, get_index
from .refs import Ref, parse_ref
from .store import Store

RANK_DEPTH = 10


@dataclass
class Case:
    question: str
    measure: str
    refs: list[Ref]
    split: str
    line: int


def read_cases(path: str | Path) -> list[Case]:
    p = Path(path)
    if not p.is_file():
        raise BadInput(f"no such file: {p}")
    try:
        text = p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise BadInput("not UTF-8 text", p) from None
    cases = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) < 3:
            raise BadInput("expected question, measure and acceptable refs separated by tabs", p, n)
        question, measure, refs = cols[0].strip(), cols[1].strip(), cols[2].strip()
        split = cols[3].strip() if len(cols) > 3 and cols[3].strip() else "all"
        if not question or not measure or not refs:
            raise BadInput("empty question, measure or refs", p, n)
        try:
            parsed = [parse_ref(r) for r in re.split(r"[\s,，、]+", refs) if r]
        except BadInput as exc:
            raise BadInput(exc.message, p, n) from None
        cases.append(Case(question, measure, parsed, split, n))
    if not cases:
        raise BadInput("no evaluation rows", p)
    return cases


def contains(acceptable: Ref, got: Ref) -> bool:
    """Whether the returned clause `got` is `acceptable` or lies inside it."""
    if got.article != acceptable.article:
        return False
    if acceptable.paragraph is None:
        return True
    if got.paragraph != acceptable.paragraph:
        return False
    if acceptable.item is None:
        return True
    if got.item != acceptable.item:
        return False
    return tuple(got.subitems[: len(acceptable.subitems)]) == tuple(acceptable.subitems)


def first_hit(results: list[dict], acceptable: list[Ref]) -> int | None:
    for rank, r in enumerate(results[:RANK_DEPTH], 1):
        got = Ref(article=r["article"], paragraph=r["paragraph"], item=r["item"],
                  subitems=(r["subitem"],) if r.get("subitem") else ())
        if any(contains(a, got) for a in acceptable):
            return rank
    return None


def metrics(ranks: list[int | None]) -> dict:
    n = len(ranks)
    if not n:
        return {"n": 0, "hit@1": 0.0, "hit@3": 0.0, "mrr": 0.0}
    return {"n": n,
            "hit@1": round(sum(1 for r in ranks if r == 1) / n, 4),
            "hit@3": round(sum(1 for r in ranks if r is not None and r <= 3) / n, 4),
            "mrr": round(sum(1.0 / r for r in ranks if r) / n, 4)}


def evaluate(store: Store, path: str | Path, index: FinderIndex | None = None) -> dict:
    cases = read_cases(path)
    index = index or get_index(store)
    known = set(index.by_measure)
    for c in cases:
        if c.measure not in known:
            raise BadInput(f"unknown measure '{c.measure}'; known: {', '.join(sorted(known))}", path, c.line)
    rows = []
    t_finder = t_bm25 = 0.0
    for c in cases:
        t0 = time.perf_counter()
        res = find(store, c.question, measure=c.measure, top=RANK_DEPTH, index=index)["results"]
        t1 = time.perf_counter()
        base = bm25_baseline(store, c.question, measure=c.measure, top=RANK_DEPTH, index=index)
        t2 = time.perf_counter()
        t_finder += t1 - t0
        t_bm25 += t2 - t1
        rows.append({"question": c.question, "measure": c.measure, "split": c.split,
                     "acceptable": [str(r) for r in c.refs],
                     "finder_rank": first_hit(res, c.refs), "bm25_rank": first_hit(base, c.refs),
                     "finder_top": [_ref_of(r) for r in res[:3]], "bm25_top": [_ref_of(r) for r in base[:3]]})
    splits = sorted({r["split"] for r in rows})
    out = {"file": str(path), "cases": len(rows),
           "finder": metrics([r["finder_rank"] for r in rows]),
           "bm25": metrics([r["bm25_rank"] for r in rows]),
           "ms_per_query": {"finder": round(1000 * t_finder / len(rows), 2),
                            "bm25": round(1000 * t_bm25 / len(rows), 2)},
           "rows": rows}
    if splits != ["all"]:
        out["splits"] = {s: {"finder": metrics([r["finder_rank"] for r in rows if r["split"] == s]),
                             "bm25": metrics([r["bm25_rank"] for r in rows if r["split"] == s])}
                         for s in splits}
    return out


def _ref_of(r: dict) -> str:
    return str(Ref(article=r["article"], paragraph=r["paragraph"], item=r["item"],
                   subitems=(r["subitem"],) if r.get("subitem") else ()))
