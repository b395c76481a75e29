"""Posting lists (term → the documents it occurs in, each with a weight) for the finder's BM25
and the bank of answered questions, kept as two flat arrays and each term's stretch of them.

Why flat arrays: the index is saved in the cache folder and read back by every new process; a
million (document, weight) tuples take seconds to unpickle, two arrays of numbers milliseconds.
The pairs come back in the order they were given, with the same float values, so scores are
exactly those of lists of tuples."""

from __future__ import annotations

from array import array
from bisect import bisect_left
from typing import Iterable, Iterator, Mapping


class Postings:
    def __init__(self, lists: Mapping[str, Iterable[tuple[int, float]]]):
        ids, weights = array("i"), array("d")
        self.offsets: dict[str, tuple[int, int]] = {}
        for term, pairs in lists.items():
            lo = len(ids)
            for i, w in pairs:
                ids.append(i)
                weights.append(w)
            self.offsets[term] = (lo, len(ids))
        self.ids, self.weights = ids, weights

    def __len__(self) -> int:
        return len(self.offsets)

    def __contains__(self, term: object) -> bool:
        return term in self.offsets

    def __iter__(self) -> Iterator[str]:
        return iter(self.offsets)

    def pairs(self, term: str, first: int | None = None, end: int | None = None) -> Iterator[tuple[int, float]]:
        """(document, weight) of `term`, documents ascending where they were given so; with
        `first`/`end`: only documents first ≤ d < end (the postings must be ascending)."""
        lo, hi = self.offsets.get(term, (0, 0))
        if first is not None:
            lo = bisect_left(self.ids, first, lo, hi)
        if end is not None:
            hi = bisect_left(self.ids, end, lo, hi)
        return zip(self.ids[lo:hi], self.weights[lo:hi])

    def get(self, term: str, default=()) -> Iterable[tuple[int, float]]:
        """As dict.get on term → [(document, weight)]."""
        return self.pairs(term) if term in self.offsets else default
