"""Chinese text for the finder and the comparison: normalisation and word segmentation.

- `normalize`: NFKC (full-width letters, digits and punctuation become half-width, so "，" and
  "," are one character: the corpus prints ASCII commas, officers type full-width ones),
  lower case, whitespace removed.
- `Segmenter`: a private jieba tokenizer (jieba's global one is left alone) with a user
  dictionary generated at run time from the graph's labels (`skos:prefLabel`/`skos:altLabel`),
  so legal terms stay whole words.

Starting fast: jieba reads its whole dictionary (350,000 words) into memory on first use, about a
second. The dictionary with the labels added is saved once in the cache folder as an SQLite
table (`FrequencyTable`), and a later process looks up only the words of the text it cuts: the
same frequencies, so the same words, without the load.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import sqlite3
import sys
import tempfile
import threading
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import Iterable, Iterator

from rongcuo_kg.cache import cache_dir, entry_path

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


def import_jieba():
    """jieba, imported without pkg_resources: jieba imports it (a third of a second, and
    deprecated) only to find its own data files, and opens them directly when it is absent."""
    if "jieba" in sys.modules:
        return sys.modules["jieba"]
    blocked = "pkg_resources" not in sys.modules
    if blocked:
        sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # import fails: the fallback
    try:
        import jieba
    finally:
        if blocked and sys.modules.get("pkg_resources", 0) is None:
            del sys.modules["pkg_resources"]
    jieba.setLogLevel(logging.WARNING)
    return jieba


class FrequencyTable(Mapping):
    """jieba's word → frequency dictionary (`Tokenizer.FREQ`), read from SQLite a word at a time.

    jieba only asks whether a fragment of the text is a word and how frequent it is (`in`,
    `[]`, `.get`), so a table on disk answers as the dictionary in memory would."""

    def __init__(self, path: Path):
        self._db = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
        self._memo: dict[str, int | None] = {}
        self._lock = threading.Lock()

    def _lookup(self, word: str) -> int | None:
        try:
            return self._memo[word]
        except KeyError:
            with self._lock:
                row = self._db.execute("SELECT n FROM freq WHERE w = ?", (word,)).fetchone()
            n = None if row is None else row[0]
            self._memo[word] = n
            return n

    def __getitem__(self, word: str) -> int:
        n = self._lookup(word)
        if n is None:
            raise KeyError(word)
        return n

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self._lookup(word) is not None

    def get(self, word, default=None):
        n = self._lookup(word) if isinstance(word, str) else None
        return default if n is None else n

    def __len__(self) -> int:
        return self._db.execute("SELECT count(*) FROM freq").fetchone()[0]

    def __iter__(self) -> Iterator[str]:
        return (w for (w,) in self._db.execute("SELECT w FROM freq"))

    @staticmethod
    def write(path: Path, freq: dict[str, int], total: int) -> None:
        """Save jieba's dictionary and total at `path`, whole or not at all."""
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        os.close(fd)
        try:
            db = sqlite3.connect(tmp)
            db.execute("PRAGMA journal_mode = OFF")
            db.execute("CREATE TABLE freq (w TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID")
            db.execute("CREATE TABLE meta (total INTEGER NOT NULL, words INTEGER NOT NULL)")
            db.executemany("INSERT INTO freq VALUES (?, ?)", freq.items())
            db.execute("INSERT INTO meta VALUES (?, ?)", (total, len(freq)))
            db.commit()
            db.close()
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    @staticmethod
    def open(path: Path) -> tuple["FrequencyTable", int] | None:
        """The saved table and jieba's total, or None if there is none or it does not check out."""
        if not path.is_file():
            return None
        try:
            table = FrequencyTable(path)
            total, words = table._db.execute("SELECT total, words FROM meta").fetchone()
            if len(table) != words:  # reads every page of the table: a truncated file fails here
                return None
            return table, total
        except (sqlite3.Error, TypeError):
            return None


class Segmenter:
    """jieba with the graph's labels as a user dictionary; one per set of labels."""

    def __init__(self, words: Iterable[str]):
        self.words = sorted({normalize(w) for w in words if len(normalize(w)) >= 2})
        self.digest = hashlib.sha256("\n".join(self.words).encode("utf-8")).hexdigest()[:16]
        self._tk = None
        self._lock = threading.Lock()

    def __getstate__(self) -> dict:  # saved with the finder's index: the words, not jieba
        return {"words": self.words, "digest": self.digest}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._tk = None
        self._lock = threading.Lock()

    def _ensure(self):
        if self._tk is not None:
            return self._tk
        with self._lock:
            if self._tk is None:
                self._tk = self._tokenizer()
        return self._tk

    def _tokenizer(self):
        jieba = import_jieba()
        tk = jieba.Tokenizer()
        saved = entry_path("jieba", f"{jieba.__version__}-{self.digest}", ".sqlite")
        opened = FrequencyTable.open(saved)
        if opened is not None:
            tk.FREQ, tk.total = opened
            tk.initialized = True
            return tk
        folder = cache_dir()
        userdict = folder / f"jieba-userdict-{self.digest}.txt"
        if not userdict.exists():
            tmp = folder / f".{userdict.name}.{os.getpid()}"
            tmp.write_text("".join(f"{w}\n" for w in self.words), encoding="utf-8")
            os.replace(tmp, userdict)
        tk.tmp_dir = str(folder)
        tk.initialize()
        tk.load_userdict(str(userdict))
        try:
            FrequencyTable.write(saved, tk.FREQ, tk.total)
        except (OSError, sqlite3.Error):
            pass  # a cache that cannot be written costs speed, not results
        return tk

    def cut(self, text: str) -> list[str]:
        """Words of a normalised text, in order (precise mode)."""
        return list(self._ensure().cut(text, HMM=True))

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
        out = []
        for w in self._ensure().cut_for_search(text, HMM=True):
            if len(w) < 2 or w in STOPWORDS or _NO_CONTENT.match(w):
                continue
            out.append(w)
            if len(w) >= 3:  # its bigrams, less the stopwords among them (怎么样 → not 怎么)
                out += [b for b in (w[i:i + 2] for i in range(len(w) - 1)) if b not in STOPWORDS]
        return out
