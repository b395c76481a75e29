"""A corpus folder: one text file per measure with a JSON sidecar of metadata.

Layout (the corpus shipped inside the package, `rongcuo_kg/data/`, is one; `rongcuo-kg init DIR`
starts a user's own as a copy of it):
    corpus/<id>.txt     the measure's text exactly as published
    corpus/<id>.json    id, title, issuer, region, level, status, source, known defects
    annotations/<id>.ttl   curated links from clauses to concepts (for a measure added by
                           `ingest`: the suggestions used at once or accepted in review)
    annotations/suggested/<id>.ttl   every suggestion with its review status (not loaded into
                           the graph; `rongcuo-kg review` works on it)
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from rongcuo_kg.errors import BadInput
from rongcuo_kg.paths import DEFAULT_DATA_DIR
from rongcuo_kg.text.journal import recover
from rongcuo_kg.text.model import Measure

ID_PATTERN = re.compile(r"^[a-z][a-z0-9_-]{0,63}$")


@dataclass
class MeasureMeta:
    id: str
    title: str
    title_en: str = ""
    issuer: str = ""
    issuer_en: str = ""
    issuer_note: str = ""
    region: str = "未载明"
    administrative_level: str = "未载明"
    status: str = ""
    numbering: str = "statute"
    language: str = "zh"
    date: str | None = None
    source: dict = field(default_factory=dict)
    defects: list[dict] = field(default_factory=list)
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_json(cls, path: Path) -> "MeasureMeta":
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise BadInput(f"invalid JSON: {exc.msg}", path, exc.lineno) from None
        if not isinstance(raw, dict):
            raise BadInput("metadata must be a JSON object", path)
        for key in ("id", "title"):
            if not isinstance(raw.get(key), str) or not raw[key].strip():
                raise BadInput(f"metadata field '{key}' is missing or empty", path)
        if raw["id"] != path.stem.removesuffix(".meta"):
            raise BadInput(f"metadata id '{raw['id']}' does not match the file name", path)
        known = set(cls.__dataclass_fields__) - {"extra"}
        args = {k: v for k, v in raw.items() if k in known}
        args["extra"] = {k: v for k, v in raw.items() if k not in known}
        return cls(**args)


@dataclass
class CorpusEntry:
    meta: MeasureMeta
    measure: Measure
    text_path: Path
    encoding: str
    warnings: list[str]


def corpus_dir(data: Path) -> Path:
    return data / "corpus"


def annotation_files(data: Path) -> list[Path]:
    folder = data / "annotations"
    return sorted(folder.glob("*.ttl")) if folder.is_dir() else []


def annotations_by_measure(data: Path, ids: set[str],
                           left_out: list[tuple[str, str]] | None = None) -> dict[str, list[Path]]:
    """Each measure's annotation files. A file of no measure of the folder raises, or with
    `left_out` (as load_corpus) is named there, unless its measure is already left out."""
    out: dict[str, list[Path]] = {}
    gone = {mid for mid, _why in left_out or ()}
    for path in annotation_files(data):
        if path.stem in ids:
            out.setdefault(path.stem, []).append(path)
        elif left_out is None:
            raise BadInput(f"annotations for unknown measure '{path.stem}'", path)
        elif path.stem not in gone:
            left_out.append((path.stem, f"{path}: annotations for unknown measure '{path.stem}'"))
    return out


def check_corpus_folder(data: Path) -> Path:
    """The folder's corpus/, or one line saying the folder is not a corpus folder."""
    folder = corpus_dir(data)
    if not folder.is_dir():
        raise BadInput("not a corpus folder (no corpus/ inside)", data)
    return folder


def load_corpus(data: Path, left_out: list[tuple[str, str]] | None = None) -> list[CorpusEntry]:
    """Parse every measure of a corpus folder; a bad file is reported by name. With `left_out`
    a measure whose metadata or text cannot be read is left out instead, (id, one line saying
    which file and why) appended there, and the others are read: one broken file never takes
    the corpus down. Without it (`build`, which checks a corpus) the first bad file raises."""
    from rongcuo_kg.text.parser import parse_file  # (the parser loads only where texts are parsed)

    folder = check_corpus_folder(data)
    recover(data)  # a change a killed ingest or review had decided is finished first
    entries: list[CorpusEntry] = []
    metas = sorted(folder.glob("*.json"))
    if not metas:
        raise BadInput("corpus folder holds no measures (no <id>.json)", folder)
    for meta_path in metas:
        try:
            entries.append(_load_entry(meta_path, folder, parse_file))
        except BadInput as exc:
            if left_out is None:
                raise
            left_out.append((meta_path.stem, str(exc)))
    if not entries:
        raise BadInput("no measure of the corpus folder can be read: " + "; ".join(w for _m, w in left_out or []),
                       folder)
    return entries


def _load_entry(meta_path: Path, folder: Path, parse_file) -> CorpusEntry:
    meta = MeasureMeta.from_json(meta_path)
    if not ID_PATTERN.match(meta.id):
        raise BadInput(f"measure id '{meta.id}' must be 1–64 lower-case letters, digits, _ or -",
                       meta_path)
    text_path = folder / f"{meta.id}.txt"
    if not text_path.exists():
        raise BadInput(f"metadata without its text file {text_path.name}", meta_path)
    doc = parse_file(text_path, measure_id=meta.id, title=meta.title)
    if len(doc.measures) != 1:
        raise BadInput(f"a corpus file must hold one measure, found {len(doc.measures)}",
                       text_path)
    return CorpusEntry(meta=meta, measure=doc.measures[0], text_path=text_path,
                       encoding=doc.encoding, warnings=doc.warnings)


LEFT_OUT = "办法未载入 measure left out:"


def left_out_line(measure_id: str, why: str) -> str:
    """One line naming a measure left out of the graph and why (its file, line and fault)."""
    return f"{LEFT_OUT} {measure_id}: {why}"


def known_titles(data: Path) -> dict[str, str]:
    """Title → id of the measures in a corpus folder, to name measures found in a compilation."""
    folder = corpus_dir(data)
    out: dict[str, str] = {}
    for meta_path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            raw = json.loads(meta_path.read_text(encoding="utf-8"))
            out[raw["title"]] = raw["id"]
        except (json.JSONDecodeError, KeyError, TypeError):
            continue
    return out


def is_shipped_corpus(data: Path) -> bool:
    """Whether `data` is the corpus shipped inside the package."""
    return data.resolve() == DEFAULT_DATA_DIR.resolve()


def check_own_corpus(data: Path) -> None:
    """Measures are added to (and reviewed in) a corpus folder of the user's own, never the one
    shipped inside the package: an update of the package would overwrite it, and an installed
    package is no place for a user's files."""
    if is_shipped_corpus(data):
        raise BadInput("内置语料只读 the corpus shipped with rongcuo-kg is read-only: start a corpus folder "
                       "of your own with `rongcuo-kg init DIR` and use it with --data DIR")


def init_corpus(target: Path, source: Path = DEFAULT_DATA_DIR) -> int:
    """Start a corpus folder at `target` as a copy of `source` (by default the shipped corpus:
    its measures, annotations, curated alignments and answered questions); returns the number of
    measures. `target` must not exist or be an empty folder; the copy is made beside it and moved
    in whole, so a failure leaves nothing behind."""
    check_corpus_folder(source)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise BadInput("exists already and is not an empty folder: choose a new folder", target)
    parent = target.resolve().parent
    if not parent.is_dir():
        raise BadInput(f"no such folder {parent}", target)
    try:
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=parent))
    except OSError as exc:
        raise BadInput(f"cannot write here: {exc.strerror or exc}", target) from None
    try:
        shutil.copytree(source, tmp, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("__pycache__", ".*"))
        if target.exists():
            target.rmdir()
        os.replace(tmp, target)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise BadInput(f"cannot write here: {exc.strerror or exc}", target) from None
    return len(list(corpus_dir(target).glob("*.json")))
