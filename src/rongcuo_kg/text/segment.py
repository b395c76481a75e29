"""Chinese text for the finder and the comparison: normalisation and word segmentation.

- `normalize`: NFKC (full-width letters, digits and punctuation become half-width, so "，" and
  "," are one character: the corpus prints ASCII commas, officers type full-width ones),
  lower case, whitespace removed.
- `Segmenter`: a private jieba tokenizer (jieba's global one is left alone) with a user
  dictionary generated at run time from the graph's labels (`skos:prefLabel`/`skos:altLabel`),
  so legal terms stay whole words. The dictionary file and jieba's prefix-dictionary cache live
  in a cache folder (`$RONGCUO_CACHE` or the system temp folder), so a later process starts fast.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import tempfile
import threading
import unicodedata
from pathlib import Path
from typing import Iterable

_WS = re.compile(r"\s+")
# A token made only of punctuation, symbols or digits carries no content.
_NO_CONTENT = re.compile(r"^[\W\d_]+$", re.UNICODE)

# Function words and the measures' boilerplate that every clause shares (they carry no signal
# for ranking). Kept short on purpose: BM25's IDF handles the rest.
STOPWORDS = frozenset("""
的 了 在 是 和 与 或 及 等 中 对 由 为 以 于 把 被 将 向 从 其 之 也 都 就 而 并 且 但 则 所 该 这 那 此
有 无 不 没 要 会 能 可 让 使 给 跟 同 着 过 个 又 再 还 很 更 最 已 已经 曾 因 因为 所以 如果 虽然 但是 然后
我 我们 你 他 她 它 他们 自己 大家 什么 怎么 怎样 如何 哪 哪些 哪个 吗 呢 吧 啊 呀 么 嘛
的话 一个 一些 一定 这个 那个 这种 这样 那样 时候 时 后 前 上 下 里 内 外 人 们 请问 问 能否 是否 可以 应当
""".split())


def normalize(text: str) -> str:
    """NFKC, lower case, no whitespace: the form every comparison and match works on."""
    return _WS.sub("", unicodedata.normalize("NFKC", text)).lower()


def has_content(text: str) -> bool:
    """Whether a text holds anything but punctuation, symbols and whitespace."""
    return any(unicodedata.category(ch)[0] in "LN" for ch in unicodedata.normalize("NFKC", text))


def cache_dir() -> Path:
    base = os.environ.get("RONGCUO_CACHE") or os.path.join(tempfile.gettempdir(), "rongcuo-kg-cache")
    path = Path(base)
    path.mkdir(parents=True, exist_ok=True)
    return path


class Segmenter:
    """jieba with the graph's labels as a user dictionary; one per set of labels."""

    def __init__(self, words: Iterable[str]):
        import jieba

        jieba.setLogLevel(logging.WARNING)
        self.words = sorted({normalize(w) for w in words if len(normalize(w)) >= 2})
        digest = hashlib.sha256("\n".join(self.words).encode("utf-8")).hexdigest()[:16]
        folder = cache_dir()
        self.userdict = folder / f"jieba-userdict-{digest}.txt"
        if not self.userdict.exists():
            tmp = folder / f".{self.userdict.name}.{os.getpid()}"
            tmp.write_text("".join(f"{w}\n" for w in self.words), encoding="utf-8")
            os.replace(tmp, self.userdict)
        self._tk = jieba.Tokenizer()
        self._tk.tmp_dir = str(folder)
        self._loaded = False
        self._lock = threading.Lock()

    def _ensure(self) -> None:
        if self._loaded:
            return
        with self._lock:
            if not self._loaded:
                self._tk.initialize()
                self._tk.load_userdict(str(self.userdict))
                self._loaded = True

    def cut(self, text: str) -> list[str]:
        """Words of a normalised text, in order (precise mode)."""
        self._ensure()
        return list(self._tk.cut(text, HMM=True))

    def spans(self, text: str) -> list[tuple[int, int]]:
        """(start, end) of each word of `text` (precise mode)."""
        out, pos = [], 0
        for w in self.cut(text):
            out.append((pos, pos + len(w)))
            pos += len(w)
        return out

    def terms(self, text: str) -> list[str]:
        """Index terms of a normalised text: words and the dictionary words inside long words
        (jieba's search mode), and the character bigrams of words of three or more
        characters (so 后补 is found in 容缺后补, whatever the dictionary holds); without
        stopwords, punctuation and single characters (which match too much to rank by)."""
        self._ensure()
        out = []
        for w in self._tk.cut_for_search(text, HMM=True):
            if len(w) < 2 or w in STOPWORDS or _NO_CONTENT.match(w):
                continue
            out.append(w)
            if len(w) >= 3:  # its bigrams, less the stopwords among them (怎么样 → not 怎么)
                out += [b for b in (w[i:i + 2] for i in range(len(w) - 1)) if b not in STOPWORDS]
        return out
