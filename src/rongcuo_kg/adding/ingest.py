"""Add a new local measure to a corpus folder (issue 7): its text, its metadata, and the
annotations suggested for it — all written, or nothing.

Files written (the corpus folder in use, `data/` or `--data DIR`):
- `corpus/<id>.txt`: the text as extracted (UTF-8), kept verbatim from then on;
- `corpus/<id>.json`: metadata from the options, else read from the text (title, 文号, issuer);
- `annotations/<id>.ttl`: the suggestions at or above the threshold, used at once (the graph
  loads this file like a curated one);
- `annotations/suggested/<id>.ttl`: every suggestion with its confidence, reason, source clause
  and review status (PROV), the queue `rongcuo-kg review` works on.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from rongcuo_kg.text.corpus import ID_PATTERN, check_own_corpus, corpus_dir
from rongcuo_kg.errors import BadInput
from rongcuo_kg.text.extract import extract
from rongcuo_kg.text.model import Measure
from rongcuo_kg.text.metadata import read_metadata
from rongcuo_kg.text.parser import parse_text
from rongcuo_kg.text.journal import commit, recover
from rongcuo_kg.adding.suggest import AUTO_THRESHOLD, Suggestion, suggest



# the elements of a tolerance rule (docs: domain.md): a measure states at least one of them
ELEMENTS = {"statesSituation", "requiresCondition", "mentionsCondition", "statesExclusion", "attachesConsequence",
            "statesMitigation", "statesDutyFulfilled"}


@dataclass
class IngestResult:
    measure: Measure
    meta: dict
    suggestions: list[Suggestion]
    files: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def auto(self) -> list[Suggestion]:
        return [s for s in self.suggestions if s.auto]


def check_new_id(data: Path, measure_id: str, source: Path) -> None:
    if not ID_PATTERN.match(measure_id):
        raise BadInput(f"measure id '{measure_id}' must be 1–64 lower-case letters, digits, _ or - "
                       "(starting with a letter)", source)
    folder = corpus_dir(data)
    if (folder / f"{measure_id}.json").exists() or (folder / f"{measure_id}.txt").exists():
        raise BadInput(f"measure id '{measure_id}' is already used in {folder}", source)


def parse_new(source: Path, measure_id: str, title: str | None) -> tuple[str, Measure, list[str]]:
    extracted = extract(source)
    doc = parse_text(extracted.text, str(source), extracted.encoding, measure_id, title)
    if len(doc.measures) != 1:
        raise BadInput(f"holds {len(doc.measures)} measures: ingest one measure per file", source)
    measure = doc.measures[0]
    if not measure.provisions():
        raise BadInput("not a measure: no articles (第一条, 第二条 …) or 清单 entries found", source)
    return extracted.text, measure, extracted.notes + list(doc.warnings)


def try_in_scratch(files: dict[Path, str], data: Path, measure_id: str, source: Path) -> None:
    """Build and query the new measure alone in a scratch folder before anything is written: a
    text the rest of the system cannot read (a numbering, a size or a turn of layout the parser
    accepted but the graph, the citations or the queries do not) is refused here, never left
    in the corpus to break every command and page after it."""
    import tempfile

    from rongcuo_kg.finding.finder import FinderIndex
    from rongcuo_kg.graph.querylib import run_named
    from rongcuo_kg.graph.store import OxigraphStore
    from rongcuo_kg.graph.storebuild import fill_store

    with tempfile.TemporaryDirectory(prefix=".ingest-check.") as tmp:
        root = Path(tmp)
        for path, content in files.items():
            target = root / path.relative_to(data)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content, encoding="utf-8")
        try:
            store = OxigraphStore()
            fill_store(store.store, root, strict=True)
            run_named(store, "measures", timeout=None)
            run_named(store, "article_tree", {"measure": measure_id}, timeout=None)
            FinderIndex(store)
        except BadInput as exc:
            raise BadInput(f"the new measure does not build: {exc.message}", source) from None
        except Exception as exc:  # whatever breaks here would break the corpus: refuse the text
            raise BadInput(f"the new measure does not build ({type(exc).__name__}: {exc}); "
                           "nothing was written", source) from None


_DIGESTS: dict[Path, tuple[int, int, str]] = {}  # path → (mtime_ns, size, digest): a batch reads each file once


def _digest(text: str) -> str:
    """The text less every space and line break, in NFKC: the same measure as .docx, as PDF
    (wrapped differently) or with trailing spaces has one digest."""
    import unicodedata

    return hashlib.sha256("".join(unicodedata.normalize("NFKC", text).split()).encode("utf-8")).hexdigest()


def same_text_in_corpus(data: Path, text: str) -> str | None:
    """The id of a measure of the corpus whose text is the same (up to whitespace and width)."""
    digest = _digest(text)
    for path in sorted(corpus_dir(data).glob("*.txt")):
        try:
            st = path.stat()
            known = _DIGESTS.get(path)
            if known is None or known[:2] != (st.st_mtime_ns, st.st_size):
                known = _DIGESTS[path] = (st.st_mtime_ns, st.st_size, _digest(path.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError):
            continue
        if known[2] == digest:
            return path.stem
    return None


def ingest(source: str | Path, data: str | Path, measure_id: str, *, title: str | None = None,
           issuer: str | None = None, region: str | None = None, date: str | None = None,
           level: str | None = None, threshold: float = AUTO_THRESHOLD, index=None,
           added_by: str | None = None) -> IngestResult:
    """Read, check, suggest, then write every file (or none)."""
    from rongcuo_kg.adding.review import reviewer_agent

    source, data = Path(source), Path(data)
    check_own_corpus(data)
    recover(data)  # a measure a killed ingest had decided to add is added first
    check_new_id(data, measure_id, source)
    title = title.strip() if title and title.strip() else None
    if date is not None:
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
                raise ValueError(date)
            datetime.strptime(date, "%Y-%m-%d")
        except ValueError:
            raise BadInput(f"--date must be a date YYYY-MM-DD, got '{date}'", source) from None
    text, measure, warnings = parse_new(source, measure_id, title)
    twin = same_text_in_corpus(data, text)
    if twin:
        raise BadInput(f"the same text is already in the corpus as '{twin}'", source)
    stated = read_metadata(text, measure)
    meta = {
        "id": measure_id,
        "title": title or stated.get("title") or measure.title or measure_id,
        "issuer": issuer or stated.get("issuer", ""),
        "region": region or "未载明",
        "administrative_level": level or "未载明",
        "status": "",
        "numbering": measure.numbering_style,
        "language": "zh",
        "source": {"file": source.name, "ingested": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
                   "added_by": reviewer_agent(added_by)[1]},
        "defects": [],
    }
    if date or stated.get("date"):
        meta["date"] = date or stated["date"]
    if stated.get("document_number"):
        meta["document_number"] = stated["document_number"]
    if index is None:
        from rongcuo_kg.graph.connect import open_store
        from rongcuo_kg.finding.finder import get_index

        index = get_index(open_store(data))
    measure.title = meta["title"]
    from rongcuo_kg.adding.review import unreviewed_links

    suggestions = suggest(index, measure, unreviewed=unreviewed_links(data))
    if not any(s.property in ELEMENTS for s in suggestions):
        raise BadInput(f"not a 容错纠错 measure: {measure.size()}, but no clause states a "
                       "situation, condition, exclusion or consequence of tolerance (不是容错纠错办法)", source)
    for s in suggestions:
        s.threshold = threshold
    from rongcuo_kg.adding.review import annotations_turtle, note, suggestions_turtle
    from rongcuo_kg.adding.suggest import clauses_of

    number = {id(s): k for k, s in enumerate(suggestions, 1)}
    statuses = {number[id(s)]: ("auto" if s.auto else "pending") for s in suggestions}
    used = [s for s in suggestions if s.auto]
    files = {
        corpus_dir(data) / f"{measure_id}.txt": text if text.endswith("\n") else text + "\n",
        corpus_dir(data) / f"{measure_id}.json": json.dumps(meta, ensure_ascii=False, indent=2) + "\n",
        data / "annotations" / "suggested" / f"{measure_id}.ttl": suggestions_turtle(
            measure_id, meta["title"], [(number[id(s)], s, statuses[number[id(s)]]) for s in suggestions],
            added_by=added_by),
        data / "annotations" / f"{measure_id}.ttl": annotations_turtle(
            measure_id, meta["title"], [(s.clause.iri, s.property, s.concept) for s in used],
            {c.iri: (c.ref or c.iri.rsplit("/", 1)[-1], c.text) for c in clauses_of(measure)},
            {(s.clause.iri, s.property, s.concept): note("auto", s.confidence, "; ".join(s.reasons)) for s in used}),
    }
    try_in_scratch(files, data, measure_id, source)
    commit(data, files)
    result = IngestResult(measure, meta, suggestions, list(files), warnings)
    return result
