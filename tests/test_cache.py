"""Starting fast without trusting what is on disk: the embedded store, the finder's index, the bank
of answered questions and the segmenter's dictionary are saved in the cache folder by the first
process and read by the next ones; a stale, damaged or unwritable cache never changes an answer."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from rongcuo_kg import cache
from rongcuo_kg.paths import DEFAULT_DATA_DIR
from rongcuo_kg.text.segment import Segmenter

QUESTION = "防汛时来不及请示就把群众转移了，征用的仓库受了损"


def cli(cache_dir: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "RONGCUO_CACHE": str(cache_dir)}
    return subprocess.run([sys.executable, "-m", "rongcuo_kg.cli", *args], capture_output=True, text=True,
                          env=env, timeout=300)


def entries(folder: Path) -> dict[str, list[Path]]:
    return {kind: sorted(p for p in (folder / kind).iterdir() if not p.name.startswith("."))
            for kind in ("stores", "finder", "qbank", "jieba") if (folder / kind).is_dir()}


@pytest.fixture(scope="module")
def warm(tmp_path_factory) -> tuple[Path, str]:
    """A cache folder filled by one `find`, and that first answer (computed without a cache)."""
    folder = tmp_path_factory.mktemp("cache")
    first = cli(folder, "find", QUESTION, "--json")
    assert first.returncode == 0, first.stderr
    return folder, first.stdout


def test_the_first_process_leaves_each_part_in_the_cache(warm):
    folder, _ = warm
    found = entries(folder)
    assert set(found) == {"stores", "finder", "qbank", "jieba"}
    assert all(len(v) == 1 for v in found.values()), found
    assert (found["stores"][0] / "COMPLETE").is_file()


def test_a_later_process_answers_from_the_cache_exactly_as_the_first(warm):
    folder, first = warm
    before = {p: p.stat().st_mtime_ns for v in entries(folder).values() for p in v if p.is_file()}
    again = cli(folder, "find", QUESTION, "--json")
    assert again.returncode == 0 and again.stdout == first
    after = {p: p.stat().st_mtime_ns for v in entries(folder).values() for p in v if p.is_file()}
    assert before == after  # read, not rebuilt


@pytest.mark.parametrize("damage", ["flip a byte of the finder's index", "truncate the bank",
                                    "garbage for the dictionary", "the store's marker of another corpus",
                                    "the store's data files gone"])
def test_a_damaged_cache_is_rebuilt_never_trusted(warm, tmp_path, damage):
    source, first = warm
    folder = tmp_path / "cache"
    shutil.copytree(source, folder)
    found = entries(folder)
    if damage == "flip a byte of the finder's index":
        path = found["finder"][0]
        blob = bytearray(path.read_bytes())
        blob[len(blob) // 2] ^= 0xFF
        path.write_bytes(bytes(blob))
    elif damage == "truncate the bank":
        path = found["qbank"][0]
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 3])
    elif damage == "garbage for the dictionary":
        found["jieba"][0].write_bytes(b"not a database" * 1000)
    elif damage == "the store's marker of another corpus":
        (found["stores"][0] / "COMPLETE").write_text("0123456789abcdef", encoding="utf-8")
    else:
        for p in found["stores"][0].iterdir():
            if p.name != "COMPLETE":
                p.unlink()
    again = cli(folder, "find", QUESTION, "--json")
    assert again.returncode == 0, again.stderr
    assert again.stdout == first
    shown = cli(folder, "show", "audit", "9.2")
    assert shown.returncode == 0 and "临机决断" in shown.stdout


def test_a_changed_corpus_is_never_answered_from_the_old_cache(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, data)
    folder = tmp_path / "cache"
    assert "临机决断" in cli(folder, "show", "audit", "9.2", "--data", str(data)).stdout
    text = data / "corpus" / "audit.txt"
    text.write_text(text.read_text(encoding="utf-8").replace("临机决断", "临时决定"), encoding="utf-8")
    shown = cli(folder, "show", "audit", "9.2", "--data", str(data))
    assert shown.returncode == 0 and "紧急情况下临时决定" in shown.stdout
    assert "紧急情况下临机决断" not in shown.stdout
    found = cli(folder, "find", "紧急情况下临时决定", "--data", str(data), "--json")
    assert found.returncode == 0 and "临时决定" in found.stdout


def test_a_cache_folder_that_cannot_be_used_costs_speed_not_answers(warm, tmp_path):
    _, first = warm
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x", encoding="utf-8")
    again = cli(not_a_folder / "cache", "find", QUESTION, "--json")
    assert again.returncode == 0, again.stderr
    assert again.stdout == first


def test_an_entry_is_read_back_only_whole_and_unchanged(tmp_path, monkeypatch):
    monkeypatch.setenv("RONGCUO_CACHE", str(tmp_path))
    path = cache.entry_path("demo", "key")
    cache.save(path, {"answer": [1, 2, 3]})
    assert cache.load(path) == {"answer": [1, 2, 3]}
    blob = path.read_bytes()
    path.write_bytes(blob[:-1])
    assert cache.load(path) is None
    path.write_bytes(blob[:-1] + bytes([blob[-1] ^ 1]))
    assert cache.load(path) is None
    built = cache.load_or_build("demo", "key", lambda: "rebuilt", lambda o: isinstance(o, str))
    assert built == "rebuilt" and cache.load(path) == "rebuilt"


def test_the_saved_dictionary_cuts_as_jieba_in_memory_does(tmp_path, monkeypatch):
    """A second segmenter over the same labels reads jieba's frequencies from the saved table."""
    monkeypatch.setenv("RONGCUO_CACHE", str(tmp_path))
    words = ["容缺受理", "临机决断", "先行先试", "履职尽责"]
    texts = ["防汛时来不及请示就把群众转移了，征用的仓库受了损", "容缺受理后补齐材料的，可以免责",
             "在先行先试中临机决断出现失误", "干部履职尽责但因不可抗力造成损失"]
    fresh = Segmenter(words)
    expected = [(fresh.cut(t), fresh.terms(t)) for t in texts]
    assert list((tmp_path / "jieba").glob("*.sqlite"))
    saved = Segmenter(words)
    assert type(saved._ensure().FREQ).__name__ == "FrequencyTable"
    assert [(saved.cut(t), saved.terms(t)) for t in texts] == expected


def test_processes_that_start_together_on_an_empty_cache_all_answer_alike(tmp_path):
    """Each builds beside the cache entry and moves its own in, or uses the one that got there
    first: none reads a half-written store or index."""
    env = {**os.environ, "RONGCUO_CACHE": str(tmp_path / "cache")}
    procs = [subprocess.Popen([sys.executable, "-m", "rongcuo_kg.cli", "find", QUESTION, "--json"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(3)]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], [e for _, e in outs]
    assert len({o for o, _ in outs}) == 1
    assert len(entries(tmp_path / "cache")["stores"]) == 1
