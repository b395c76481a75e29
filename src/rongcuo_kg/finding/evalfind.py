"""`eval-find FILE.tsv`: hit@1, hit@3 and MRR of the finder and of a plain BM25 baseline, and,
on rows whose refs are `none`, how often each says the measure has nothing on the question.

TSV: `question <TAB> measure <TAB> acceptable refs [<TAB> split]` (qbank.read_answered). Each
row is one search restricted to its measure (`find --measure`). The finder's bank of answered
questions (qbank.py) is used without the evaluated file's questions: no question finds itself.

A hit is a returned clause whose ref equals an acceptable ref or lies inside an acceptable
article or paragraph: `19` accepts 19 and every part of it, `11.p2` accepts 11.p2 and
11.p2.1-3; `9.2` accepts 9.2 (and its sub-items) but not article 9, which is less specific
than asked. MRR counts the first hit in the top RANK_DEPTH results (0 when none).
Both systems search the same clauses (the finder's units: every article, paragraph, item
and sub-item, an article with a single paragraph being one clause) with the same
segmentation; the baseline ranks by BM25 over each clause's own text alone.
"""

from __future__ import annotations

import time
from pathlib import Path

from rongcuo_kg.errors import BadInput
from rongcuo_kg.finding.finder import FinderIndex, bm25_baseline, check_question, find, get_index
from rongcuo_kg.paths import data_dir
from rongcuo_kg.finding.qbank import Answered, QuestionBank, question_bank, read_answered
from rongcuo_kg.text.refs import Ref, parse_ref
from rongcuo_kg.graph.store import Store

RANK_DEPTH = 10


Case = Answered  # one evaluation row: question, measure, acceptable refs, split
read_cases = read_answered


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


def evaluate(store: Store, path: str | Path, index: FinderIndex | None = None,
             bank: QuestionBank | None = None) -> dict:
    """`bank`: the answered questions the finder may use (default: the corpus folder's); the
    evaluated file's own questions are always left out of it."""
    cases = read_cases(path)
    index = index or get_index(store)
    full = question_bank(data_dir()) if bank is None else bank
    bank = full.without(c.question for c in cases)
    known = set(index.by_measure)
    refs_of: dict[str, list[Ref]] = {}
    for c in cases:  # every row checked before any is run: a typo is named, not scored as a miss
        if c.measure not in known:
            raise BadInput(f"unknown measure '{c.measure}'; known: {', '.join(sorted(known))}", path, c.line)
        try:
            check_question(c.question)
        except BadInput as exc:
            raise BadInput(exc.message, path, c.line) from None
        if c.measure not in refs_of:
            refs_of[c.measure] = [parse_ref(ref) for m, ref in index.graph_refs if m == c.measure]
        refs = refs_of[c.measure]
        for want in c.refs:
            if not any(contains(want, got) for got in refs):
                raise BadInput(f"{c.measure} has no clause {want}", path, c.line)
    rows = []
    t_finder = t_bm25 = 0.0
    for c in cases:
        t0 = time.perf_counter()
        res = find(store, c.question, measure=c.measure, top=RANK_DEPTH, index=index, bank=bank)["results"]
        t1 = time.perf_counter()
        base = bm25_baseline(store, c.question, measure=c.measure, top=RANK_DEPTH, index=index)
        t2 = time.perf_counter()
        t_finder += t1 - t0
        t_bm25 += t2 - t1
        rows.append({"question": c.question, "measure": c.measure, "split": c.split,
                     "acceptable": [str(r) for r in c.refs] or None,
                     "finder_rank": first_hit(res, c.refs), "bm25_rank": first_hit(base, c.refs),
                     "finder_silent": not res, "bm25_silent": not base,
                     "finder_top": [_ref_of(r) for r in res[:3]], "bm25_top": [_ref_of(r) for r in base[:3]]})
    answerable = [r for r in rows if r["acceptable"]]
    unanswerable = [r for r in rows if not r["acceptable"]]
    splits = sorted({r["split"] for r in answerable})
    out = {"file": str(path), "cases": len(answerable),
           "bank": {"answered_questions": len(bank), "left_out": len(full) - len(bank)},
           "finder": metrics([r["finder_rank"] for r in answerable]),
           "bm25": metrics([r["bm25_rank"] for r in answerable]),
           # rows whose measure has no clause on the question: the share where it says so
           "nothing_to_show": {"n": len(unanswerable),
                               "finder_silent": _share(r["finder_silent"] for r in unanswerable),
                               "bm25_silent": _share(r["bm25_silent"] for r in unanswerable),
                               "finder_silent_where_answerable": _share(r["finder_silent"] for r in answerable)},
           "ms_per_query": {"finder": round(1000 * t_finder / len(rows), 2),
                            "bm25": round(1000 * t_bm25 / len(rows), 2)},
           "rows": rows}
    if splits != ["all"]:
        out["splits"] = {s: {"finder": metrics([r["finder_rank"] for r in answerable if r["split"] == s]),
                             "bm25": metrics([r["bm25_rank"] for r in answerable if r["split"] == s])}
                         for s in splits}
    return out


def _share(flags) -> float | None:
    flags = list(flags)
    return round(sum(flags) / len(flags), 4) if flags else None


def _ref_of(r: dict) -> str:
    return str(Ref(article=r["article"], paragraph=r["paragraph"], item=r["item"],
                   subitems=(r["subitem"],) if r.get("subitem") else ()))
