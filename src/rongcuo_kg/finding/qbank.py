"""Answered questions: officers' questions with the clauses a lawyer accepts as the answer.

The finder's concept layer recognises a situation only through words the ontology lists; an
officer's story often has none of them ("夏天一场冰雹砸烂了一大半大棚"). Questions already answered
carry that knowledge in the officers' own words: a new question that reads like an answered one
probably has the same answer. The bank is the TSV files of `data/eval/` (question, measure,
acceptable refs, as `eval-find` reads them), so every answered question is reviewable data.

Similarity: cosine of TF-IDF vectors over the question's characters and character bigrams
(normalised, punctuation dropped). No word segmentation: paraphrases share characters more often
than jieba words. The finder takes the NEIGHBOURS most similar answered questions of the same
measure — if the closest is similar enough at all (an off-topic question gets no votes) — and
each adds WEIGHT × similarity to its first acceptable clause, half that to its second, a third
to its third… (finder.py: `examples`). Rewordings of one question with the same answer (cosine
≥ NEAR_DUPLICATE) are kept once, so a question asked often does not outvote. `eval-find` leaves
the evaluated file's own questions (and their near-duplicates in other files, cosine ≥ 0.8) out
of the bank, so its figures never reward a question for finding itself.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Mapping

from rongcuo_kg import cache
from rongcuo_kg.errors import BadInput
from rongcuo_kg.finding.postings import Postings
from rongcuo_kg.text.refs import Ref, parse_ref
from rongcuo_kg.text.segment import normalize

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
NEAR_DUPLICATE = 0.8  # cosine from which two questions count as one reworded


@dataclass(frozen=True)
class Answered:
    question: str
    measure: str
    refs: tuple[Ref, ...]
    split: str
    source: str
    line: int

    @property
    def where(self) -> str:
        """file:line, relative to the working folder where the file lies inside it."""
        rel = os.path.relpath(self.source)
        return f"{self.source if rel.startswith('..') else rel}:{self.line}"


def read_answered(path: str | Path, allow_empty: bool = False) -> list[Answered]:
    """`question <TAB> measure <TAB> acceptable refs [<TAB> split]`; `#` lines and blank lines
    are skipped; refs are separated by spaces or commas (`9.2`, `11.p2.1`, `第九条第二项`), or are
    `none`: the measure has no clause on the question (it should say so, not show others)."""
    p = Path(path)
    if p.is_dir():
        raise BadInput("is a folder: give a .tsv file of questions", p)
    if not p.is_file():
        raise BadInput(f"no such file: {p}")
    try:
        text = p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise BadInput("not UTF-8 text", p) from None
    rows = []
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
        if refs.lower() in ("none", "无"):
            rows.append(Answered(question, measure, (), split, str(p), n))
            continue
        try:
            parsed = tuple(parse_ref(r) for r in re.split(r"[\s,，、]+", refs) if r)
        except BadInput as exc:
            raise BadInput(exc.message, p, n) from None
        rows.append(Answered(question, measure, parsed, split, str(p), n))
    if not rows and not allow_empty:
        raise BadInput("no evaluation rows", p)
    return rows


def features(question: str) -> Counter[str]:
    """Characters and character bigrams of the normalised question, punctuation dropped."""
    q = _NON_WORD.sub("", normalize(question))
    return Counter([*q, *(q[i:i + 2] for i in range(len(q) - 1))])


def _similarities(vector: dict[str, float], postings: Mapping[str, Iterable[tuple[int, float]]] | Postings) -> dict[int, float]:
    """Cosine of a unit vector with every row that shares a term with it (rows are unit vectors)."""
    sims: dict[int, float] = defaultdict(float)
    for t, w in vector.items():
        for i, x in postings.get(t, ()):
            sims[i] += w * x
    return sims


class QuestionBank:
    """Answered questions indexed for cosine similarity, searched one measure at a time."""

    def __init__(self, rows: Iterable[Answered]):
        rows = list(rows)
        grams = [features(r.question) for r in rows]
        df: Counter[str] = Counter()
        for g in grams:
            df.update(g.keys())
        n = len(rows)
        self.idf = {t: math.log(1 + n / (1 + d)) for t, d in df.items()}
        # per measure: term → [(row, weight)]; a rewording of a question already kept, with the
        # same answer, is not kept again: five writers asking one thing vote once, not five times
        self.rows: list[Answered] = []
        self.merged = 0
        building: dict[str, dict[str, list[tuple[int, float]]]] = defaultdict(lambda: defaultdict(list))
        for row, g in zip(rows, grams):
            vector = self._vector(g)
            postings = building[row.measure]
            sims = _similarities(vector, postings)
            if any(s >= NEAR_DUPLICATE and self.rows[i].refs[:1] == row.refs[:1] for i, s in sims.items()):
                self.merged += 1
                continue
            i = len(self.rows)
            self.rows.append(row)
            for t, w in vector.items():
                postings[t].append((i, w))
        self.measures = {m for m, p in building.items() if p}
        self.postings = {m: Postings(p) for m, p in building.items()}  # flat arrays: it is saved

    def __len__(self) -> int:
        return len(self.rows)

    def _vector(self, grams: Counter[str]) -> dict[str, float]:
        v = {t: (1 + math.log(c)) * self.idf[t] for t, c in grams.items() if t in self.idf}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        return {t: x / norm for t, x in v.items()}

    def neighbours(self, question: str, measure: str, k: int) -> list[tuple[float, Answered]]:
        """The k answered questions of `measure` most similar to `question`, most similar first."""
        postings = self.postings.get(measure)
        if not postings:
            return []
        sims = _similarities(self._vector(features(question)), postings)
        best = sorted(sims.items(), key=lambda kv: (-kv[1], kv[0]))[:k]
        return [(s, self.rows[i]) for i, s in best if s > 0]

    def without(self, questions: Iterable[str], near: float = NEAR_DUPLICATE) -> "QuestionBank":
        """The bank less the given questions and their near-duplicates (cosine ≥ `near`, in any
        measure): an evaluation leaves its own questions out, also where another file reworded
        one of them (the same question, up to punctuation and width, has cosine 1)."""
        drop: set[int] = set()
        for q in questions:
            vector = self._vector(features(q))
            for postings in self.postings.values():
                drop.update(i for i, s in _similarities(vector, postings).items() if s >= near)
        return QuestionBank(r for i, r in enumerate(self.rows) if i not in drop)


EMPTY = QuestionBank([])


def bank_files(data: Path) -> list[Path]:
    return sorted(p for p in (data / "eval").glob("*.tsv") if p.is_file())


def question_bank(data: Path) -> QuestionBank:
    """The answered questions of a corpus folder (`DIR/eval/*.tsv`), read once per version."""
    files = bank_files(Path(data))
    stamp = tuple((str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in files)
    return _bank(stamp)


@lru_cache(maxsize=4)
def _bank(stamp: tuple[tuple[str, int, int], ...]) -> QuestionBank:
    """Built from the files, or read from the cache folder where it was saved for the same
    contents of the same files."""
    h = hashlib.sha256()
    for name, _, _ in stamp:
        h.update(name.encode() + b"\0" + Path(name).read_bytes() + b"\0")  # rows name their file

    def build() -> QuestionBank:
        rows: list[Answered] = []
        for name, _, _ in stamp:
            rows += read_answered(name, allow_empty=True)  # a template with only its header is no error
        return QuestionBank(rows)

    return cache.load_or_build("qbank", h.hexdigest()[:16], build, lambda o: isinstance(o, QuestionBank))
