"""Read case registers (CSV, Excel .xlsx, Turtle, JSON-LD) into case records, and write them
as RDF individuals of rc:ToleranceMatter.

Only what makes a file unreadable is an error here (encoding, missing or misspelt columns,
merged header cells, size, syntax): a bad value in a row (an unknown measure, a bad date or
boolean) is kept as written and the shapes report it, citing the row, so the readable rows
are still validated.
"""

from __future__ import annotations

import csv
import difflib
import io
import operator
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

from rongcuo_kg.errors import BadInput
from rongcuo_kg.graph.namespaces import BASE, LEX, RC, RCC
from rongcuo_kg.text.textio import decode_bytes

# The facts a register records, each true/false/empty (not established), named after the words
# of the clause that needs it (ontology/cases.ttl gives each its label and clause).
FACTS = ("not_prohibited", "no_explicit_provision", "consistent_with_decisions", "democratic_decision",
         "risk_assessed", "reported_and_ratified", "no_serious_impact", "no_unit_private_gain",
         "no_improper_benefit", "no_collusion", "proactive_correction", "no_major_accident",
         "no_major_loss", "within_statutory_duty", "avoided_loss_effectively", "cooperated_and_accepted",
         "other_mitigating_ground")
# An older column still read: its words (重大事故、重大损失或严重不良影响) match no measure's, so it
# stands for both facts that replaced it, with a warning.
LEGACY_FACTS = {"no_serious_consequence": ("no_major_accident", "no_major_loss")}
READABLE_FACTS = FACTS + tuple(LEGACY_FACTS)
CASE_COLUMNS = ("case_id", "measure", "subject", "date", "situations", "issue_key", "description")
COLUMNS = CASE_COLUMNS + FACTS
FACT_NS = BASE + "fact/"
CASE_NS = BASE + "case/"
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
TRUE = {"true", "是", "1", "yes", "y", "t", "真"}
FALSE = {"false", "否", "0", "no", "n", "f", "假"}
_SPLIT = re.compile(r"[;；,，、\s]+")
_DATE_FORMS = [re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"),
               re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")]


@dataclass
class CaseRecord:
    source: str  # the file it came from
    row: int | None  # line in a CSV, row in a sheet; None for RDF input
    iri: str
    case_id: str = ""
    measure: str = ""
    subject: str = ""
    date: str = ""
    situations: list[str] = field(default_factory=list)
    issue_key: str = ""
    description: str = ""
    facts: dict[str, str] = field(default_factory=dict)  # only the cells that were filled
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def where(self) -> str:
        return f"{self.source}:{self.row}" if self.row else self.source

    def set_field(self, name: str, value: str) -> None:
        """A what-if change: FIELD=VALUE (an empty VALUE clears a fact)."""
        value = value.strip()
        if name in READABLE_FACTS:
            if value:
                self.facts[name] = value
            else:
                self.facts.pop(name, None)
        elif name == "situations":
            self.situations = [s for s in _SPLIT.split(value) if s]
        elif name in ("case_id", "measure", "subject", "date", "issue_key", "description"):
            setattr(self, name, value)
        else:
            raise BadInput(f"--set: unknown field '{name}'; fields: {', '.join(COLUMNS)}")


@dataclass
class ReadResult:
    records: list[CaseRecord]
    warnings: list[str] = field(default_factory=list)
    absent_facts: list[str] = field(default_factory=list)  # fact columns the file does not have


@lru_cache(maxsize=4096)  # a register repeats a handful of spellings 100,000 times
def normalise_boolean(raw: str) -> str:
    v = raw.strip().lower()
    if v in TRUE:
        return "true"
    if v in FALSE:
        return "false"
    return raw.strip()


def normalise_date(raw) -> str:
    if isinstance(raw, str):
        return _normalise_date_text(raw)
    if isinstance(raw, datetime):
        return raw.date().isoformat()
    if isinstance(raw, date):
        return raw.isoformat()
    return _normalise_date_text(str(raw))


@lru_cache(maxsize=8192)  # a register's dates repeat
def _normalise_date_text(raw: str) -> str:
    text = raw.strip()
    for rx in _DATE_FORMS:
        m = rx.match(text)
        if m:
            y, mo, d = (int(x) for x in m.groups())
            try:
                return date(y, mo, d).isoformat()
            except ValueError:
                return text
    return text


def _slug(path: Path) -> str:
    return quote(path.stem, safe="") or "register"


def _size(n: float) -> str:
    """Sizes as people read them (MB = 1024 × 1024 bytes, as --max-size counts them)."""
    if n < 1024:
        return f"{int(n)} bytes"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n / (1024 * 1024):.1f} MB"


def _check_size(path: Path, max_bytes: int) -> None:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise BadInput("no such file", path) from None
    if size > max_bytes:
        raise BadInput(f"file is {_size(size)}, over the {_size(max_bytes)} limit "
                       "(--max-size to raise it)", path)
    if size == 0:
        raise BadInput("file is empty", path)


def header_names(header: list[str]) -> list[str]:
    """Column names as the register has them, Chinese headers (each column's label) read as ids."""
    zh = zh_column_names()
    return [zh.get(h.strip(), h.strip()) for h in header]


def check_header(header: list[str], path: Path) -> tuple[list[str], list[str]]:
    """The header must hold every column that says what the case is; a fact column may be
    absent (its fact is then not established for every row: old registers keep validating; the
    validator warns about the absent columns a measure needs), unless a column of the header
    looks like it misspelt. Returns (warnings, absent fact columns)."""
    names = header_names(header)
    others = [n for n in names if n not in COLUMNS and n not in LEGACY_FACTS]
    zh_of = {v: k for k, v in zh_column_names().items()}  # a column's Chinese header, misspelt too
    misspelt = {c: close[0] for c in COLUMNS if c not in names
                for close in [difflib.get_close_matches(c, others, n=1, cutoff=0.75)
                              or difflib.get_close_matches(zh_of.get(c, c), others, n=1, cutoff=0.75)] if close}
    missing = [c for c in COLUMNS if c not in names and (c not in FACTS or c in misspelt)]
    if missing:
        hints = [f"{c} (found '{misspelt[c]}': misspelt?)" if c in misspelt else c for c in missing]
        raise BadInput(f"missing column(s): {', '.join(hints)}; the header needs {', '.join(CASE_COLUMNS)} "
                       f"(facts: {', '.join(FACTS)})", path, 1)
    dup = sorted({n for n in names if n and names.count(n) > 1})
    if dup:
        raise BadInput(f"column(s) {', '.join(dup)} appear twice in the header", path, 1)
    warnings = []
    for old, new in LEGACY_FACTS.items():
        if old in names:
            warnings.append(f"{path}: column {old} is ambiguous (重大事故、重大损失或严重不良影响 is the "
                            f"wording of no measure): read as {' and '.join(new)} where those are empty; "
                            "fill them instead")
    absent = [c for c in FACTS if c not in names
              and not any(c in new and old in names for old, new in LEGACY_FACTS.items())]
    if absent and others:  # a fact under a name of its own is kept, unread: say so, once
        warnings.append(f"{path}: column(s) {', '.join(others)} kept as they are, not read as facts "
                        "(`rongcuo-kg template --ids` lists the fact columns)")
    return warnings, absent


# a record's fields by the ontology property that holds them (ontology/cases.ttl)
FIELD_PROPERTIES = {"caseId": "case_id", "underMeasure": "measure", "subject": "subject", "date": "date",
                    "inSituation": "situations", "issueKey": "issue_key", "description": "description"}


@lru_cache(maxsize=1)
def en_names() -> dict[str, str]:
    """A fact's, a record field's or a situation's English label, by id (the ontology's @en
    labels): what an English reader is told instead of the id."""
    from rdflib import URIRef
    from rdflib.namespace import RDFS, SKOS

    from rongcuo_kg.graph.build import ontology_graph
    from rongcuo_kg.graph.namespaces import RCC

    g = ontology_graph()

    def english(node, prop) -> str | None:
        return next((str(o) for o in g.objects(node, prop) if getattr(o, "language", None) == "en"), None)

    out: dict[str, str] = {}
    for fact in READABLE_FACTS:
        out[fact] = english(URIRef(FACT_NS + fact), RDFS.label) or fact
    for prop, column in FIELD_PROPERTIES.items():
        out[column] = english(RC[prop], RDFS.label) or column
        out[prop] = out[column]
    for concept in g.subjects(SKOS.prefLabel, None):
        if str(concept).startswith(str(RCC)):
            out.setdefault(str(concept)[len(str(RCC)):], english(concept, SKOS.prefLabel) or "")
    return {k: v for k, v in out.items() if v}


@lru_cache(maxsize=1)
def zh_column_names() -> dict[str, str]:
    """Chinese header → column id: the case properties' and facts' zh labels (ontology/cases.ttl)."""
    from rdflib import Literal
    from rdflib.namespace import RDFS

    from rongcuo_kg.graph.build import ontology_graph

    g = ontology_graph()
    props = FIELD_PROPERTIES
    out: dict[str, str] = {}
    for s, label in g.subject_objects(RDFS.label):
        if not isinstance(label, Literal) or label.language != "zh":
            continue
        iri = str(s)
        if iri.startswith(FACT_NS) and iri[len(FACT_NS):] in READABLE_FACTS:
            out[str(label)] = iri[len(FACT_NS):]
        elif iri.startswith(str(RC)) and iri[len(str(RC)):] in props:
            out[str(label)] = props[iri[len(str(RC)):]]
    out.update({"情形": "situations", "办法": "measure", "日期": "date", "编号": "case_id"})
    return out


@lru_cache(maxsize=1)
def zh_situation_names() -> dict[str, str]:
    """A situation's (or a duty-fulfilled circumstance's) zh label → its id: the preferred label,
    and each alternative label that names one situation only (concepts.ttl)."""
    from collections import defaultdict

    from rdflib import Graph, Literal
    from rdflib.namespace import RDF, SKOS

    from rongcuo_kg.paths import ONTOLOGY_DIR

    # the curated labels only: labels-everyday.ttl's phrasings serve the finder, not a register
    g = Graph()
    g.parse(ONTOLOGY_DIR / "concepts.ttl", format="turtle")
    kinds = {RC.Situation, RC.DutyFulfilledCircumstance}
    situations = {s for s in g.subjects(RDF.type, None) if set(g.objects(s, RDF.type)) & kinds}
    out, alternatives = {}, defaultdict(set)
    for s in situations:
        cid = str(s)[len(str(RCC)):]
        for label in g.objects(s, SKOS.prefLabel):
            if isinstance(label, Literal) and label.language == "zh":
                out[str(label)] = cid
        for label in [*g.objects(s, SKOS.altLabel), *g.objects(s, RC.settingLabel)]:
            if isinstance(label, Literal) and label.language == "zh":
                alternatives[str(label)].add(cid)
    for label, ids in alternatives.items():
        if len(ids) == 1 and label not in out:
            out[label] = next(iter(ids))
    return out


_SPLIT_LABELS = re.compile(r"[;；\n]+")


def _situation_ids(cell: str) -> list[str]:
    """Situation ids, or their Chinese labels (which may hold 、 and ，themselves: a label is
    matched whole before the cell is split any further)."""
    if cell.isascii():
        return [s for s in _SPLIT.split(cell) if s]
    zh = zh_situation_names()
    out = []
    for part in (x.strip() for x in _SPLIT_LABELS.split(cell)):
        if part in zh:
            out.append(zh[part])
        elif part:
            out += [zh.get(s, s) for s in _SPLIT.split(part) if s]
    return out


_KNOWN = frozenset(COLUMNS) | frozenset(LEGACY_FACTS)


def _record(path: Path, row_no: int, values: dict[str, object], slug: str | None = None) -> CaseRecord:
    cells = {k: ("" if v is None else str(v).strip()) for k, v in values.items()}
    date_cell = values.get("date") if cells.get("date") else None
    return _record_of_cells(str(path), row_no, cells, slug or _slug(path), date_cell)


def _record_of_cells(source: str, row_no: int, cells: dict[str, str], slug: str, date_cell=None,
                     extra_names: list[str] | None = None) -> CaseRecord:
    """A record from a row's cells, already stripped (`date_cell`: the date as the file holds it,
    a spreadsheet's date or text; `extra_names`: the file's columns that are not the register's)."""
    get = cells.get
    facts = {f: v for f in READABLE_FACTS if (v := get(f))}
    read_legacy(facts)
    if extra_names is None:
        extra = {k: v for k, v in cells.items() if k and k not in _KNOWN}
    else:
        extra = {k: cells[k] for k in extra_names if k in cells}
    return CaseRecord(source=source, row=row_no, iri=f"{CASE_NS}{slug}/row-{row_no}",
                      case_id=get("case_id", ""), measure=get("measure", ""), subject=get("subject", ""),
                      date=normalise_date(date_cell if date_cell is not None else cells.get("date", ""))
                      if get("date") else "",
                      situations=_situation_ids(get("situations", "")),
                      issue_key=get("issue_key", ""), description=get("description", ""),
                      facts=facts, extra=extra)


def read_legacy(facts: dict[str, str]) -> None:
    """An old column's value stands for each of the facts that replaced it that the row leaves
    empty. The other way round (for a rule generated from a new measure's annotations, which may
    still ask the old fact): the old fact is false when one of the new ones is false, true when
    all are true, and not established otherwise."""
    for old, new in LEGACY_FACTS.items():
        if old in facts:
            for f in new:
                facts.setdefault(f, facts[old])
        else:
            values = [normalise_boolean(facts[f]) for f in new if f in facts]
            if "false" in values:
                facts[old] = "false"
            elif len(values) == len(new) and values.count("true") == len(values):
                facts[old] = "true"


def record_from_fields(values: dict[str, object], source: str = "form") -> CaseRecord:
    """One case from field values (a form), read exactly as a register row is."""
    return _record(Path(source), 1, values)


def read_csv(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> ReadResult:
    _check_size(path, max_bytes)
    text = decode_bytes(path.read_bytes(), path).text
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        raise BadInput("file is empty", path) from None
    except csv.Error as exc:
        raise BadInput(f"not a CSV file: {exc}", path, 1) from None
    warnings, absent = check_header(header, path)
    names = header_names(header)
    slug, source = _slug(path), str(path)
    extra_names = list(dict.fromkeys(k for k in names if k and k not in _KNOWN))
    records = []
    try:
        for row in reader:
            line = reader.line_num
            cells = [c.strip() for c in row]
            if not any(cells):
                continue
            if len(row) > len(names):
                raise BadInput(f"row has {len(row)} cells, the header {len(names)}", path, line)
            records.append(_record_of_cells(source, line, dict(zip(names, cells)), slug,
                                            extra_names=extra_names))
    except csv.Error as exc:
        raise BadInput(f"broken CSV: {exc}", path, reader.line_num) from None
    if not records:  # a template saved without rows: nothing was validated, which is not "all conform"
        raise BadInput("no case records: the register has a header and no rows", path)
    return ReadResult(records, warnings, absent)


XLSX_UNPACKED_PER_BYTE = 20


MAX_XLSX_ROWS = 100_000  # a workbook is read whole; a longer register goes as CSV, which streams


def _check_rows(path: Path) -> None:
    """Refuse a workbook longer than MAX_XLSX_ROWS before reading it whole: each worksheet part
    is streamed through once and its <row> elements counted (a second or so for 100 MB of XML)."""
    import re
    import zipfile

    row = re.compile(rb"<(?:\w+:)?row[\s>]")
    try:
        with zipfile.ZipFile(path) as z:
            for name in z.namelist():
                if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                    continue
                count, tail = 0, b""
                with z.open(name) as fh:
                    while chunk := fh.read(1 << 20):
                        block = tail + chunk
                        count += len(row.findall(block))
                        tail = block[-8:]
                        count -= len(row.findall(tail))  # counted again with the next chunk
                if count > MAX_XLSX_ROWS:
                    raise BadInput(f"a sheet of the workbook has {count:,} rows, over the {MAX_XLSX_ROWS:,} a "
                                   "workbook may have: save the register as CSV (read as it streams, no such limit)",
                                   path)
    except (zipfile.BadZipFile, OSError):
        return  # the full read says what is wrong with it


def _cell_number(value, column: str, row: int, path: Path, warnings: list[str]):
    """A number typed into a cell as it reads: 12 (not 12.0); one of 16 digits or more was already
    rounded by the spreadsheet (it keeps 15), which is said — an id must be typed as text."""
    if isinstance(value, float) and value.is_integer():
        if abs(value) >= 1e15:
            warnings.append(f"{path}:{row}: {column} is a number of {len(str(int(value)))} digits, which a "
                            "spreadsheet keeps only to 15: its last digits may be wrong; type it as text")
        return int(value)
    return value


def read_xlsx(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> ReadResult:
    _check_size(path, max_bytes)
    try:
        import openpyxl
        from openpyxl.utils.exceptions import InvalidFileException
    except ImportError:  # pragma: no cover - a dependency of the project
        raise BadInput("reading .xlsx needs openpyxl", path) from None
    import zipfile

    from rongcuo_kg.text.textio import check_zip_package

    # a workbook's XML runs to about 15 times its size; more is a bomb or far past any register
    check_zip_package(path, XLSX_UNPACKED_PER_BYTE * max_bytes)
    _check_rows(path)
    try:
        wb = openpyxl.load_workbook(path, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, SyntaxError) as exc:
        raise BadInput(f"not a readable .xlsx workbook ({exc.__class__.__name__})", path) from None
    warnings = []
    def has_header(n: str) -> bool:
        first = next(wb[n].iter_rows(max_row=1, values_only=True), None) or ()
        return "case_id" in header_names(["" if h is None else str(h) for h in first])

    preferred = [n for n in wb.sheetnames if n.strip().lower() in ("cases", "register", "案件", "登记簿")]
    with_header = [n for n in wb.sheetnames if has_header(n)]
    if preferred:
        name = preferred[0]
    elif with_header:
        name = with_header[0]  # a cover or notes sheet in front of the register is common
    elif len(wb.sheetnames) > 1:
        raise BadInput("no sheet has a case_id column in its first row; sheets: "
                       + ", ".join(wb.sheetnames), path, 1)
    else:
        name = wb.sheetnames[0]
    if len(wb.sheetnames) > 1:
        others = ", ".join(n for n in wb.sheetnames if n != name)
        warnings.append(f"{path}: read sheet '{name}'; other sheets ignored: {others}")
    ws = wb[name]
    merged = [str(r) for r in ws.merged_cells.ranges if r.min_row == 1]
    if merged:
        raise BadInput(f"sheet '{name}' has merged header cells ({', '.join(merged)}): "
                       "give each column its own header cell", path, 1)
    rows = ws.iter_rows(values_only=True)
    header_row = next(rows, None)
    if not header_row:
        raise BadInput(f"sheet '{name}' is empty", path)
    header = header_names(["" if h is None else str(h) for h in header_row])
    more, absent = check_header(header, path)
    warnings += more
    records = []
    for offset, row in enumerate(rows, start=2):
        if row is None or all(c is None or str(c).strip() == "" for c in row):
            continue
        values = {header[i]: _cell_number(row[i], header[i], offset, path, warnings)
                  for i in range(min(len(header), len(row))) if header[i]}
        if "date" in values and isinstance(values["date"], (datetime, date)):
            values["date"] = normalise_date(values["date"])
        records.append(_record(path, offset, values))
    if not records:
        raise BadInput(f"no case records: sheet '{name}' has a header and no rows", path)
    return ReadResult(records, warnings, absent)


def _self_contained_jsonld(path: Path) -> str:
    """The JSON-LD text of a register, refused if it refers to any other document: a context or
    @import given by address (remote or file) would be fetched or opened by the JSON-LD processor —
    a user's file must never make this program reach the network or read the disk, nor tell by
    its error whether some file exists. Contexts written inline are read as usual."""
    import json

    try:
        text = path.read_text(encoding="utf-8-sig")
        document = json.loads(text)
    except UnicodeDecodeError:
        raise BadInput("not readable JSON-LD: cannot decode as UTF-8", path) from None
    except json.JSONDecodeError as exc:
        raise BadInput(f"not readable JSON-LD: {exc.msg} (line {exc.lineno}, column {exc.colno})", path) from None
    except RecursionError:
        raise BadInput("not readable JSON-LD: nested too deeply", path) from None
    stack = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            for key, value in node.items():
                if key == "@import" or (key == "@context" and _refers_elsewhere(value)):
                    raise BadInput(f"JSON-LD {key} refers to another document, which is never fetched or "
                                   "opened: write the context into the register itself", path)
                stack.append(value)
    return text


def _refers_elsewhere(context) -> bool:
    """A context (or a list of contexts) given by address rather than written inline."""
    items = context if isinstance(context, list) else [context]
    return any(isinstance(c, str) for c in items)


def read_rdf(path: Path, fmt: str, max_bytes: int = DEFAULT_MAX_BYTES) -> ReadResult:
    """Cases written as RDF (rc:ToleranceMatter individuals) become records like a register's rows."""
    from rdflib import Graph
    from rdflib.namespace import RDF

    from rongcuo_kg.graph.build import parse_turtle

    _check_size(path, max_bytes)
    g = Graph()
    if fmt == "turtle":
        parse_turtle(path, g)
    else:
        document = _self_contained_jsonld(path)
        try:
            g.parse(data=document, format="json-ld")
        except Exception as exc:  # rdflib/json raise assorted types on bad JSON-LD
            msg = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
            raise BadInput(f"not readable JSON-LD: {msg}", path) from None
    subjects = sorted(set(g.subjects(RDF.type, RC.ToleranceMatter)), key=str)
    legacy = False
    if not subjects:
        raise BadInput("no case records (rc:ToleranceMatter individuals) found", path)
    records = []
    for index, s in enumerate(subjects, 1):
        def one(p) -> str:
            v = g.value(s, p)
            return "" if v is None else str(v).strip()

        measure = one(RC.underMeasure)
        rec = CaseRecord(source=str(path), row=None,
                         iri=str(s) if not s.__class__.__name__ == "BNode" else f"{CASE_NS}{_slug(path)}/node-{index}",
                         case_id=one(RC.caseId), subject=one(RC.subject),
                         measure=measure[len(str(LEX)):] if measure.startswith(str(LEX)) else measure,
                         date=normalise_date(one(RC.date)) if one(RC.date) else "",
                         situations=sorted(str(o)[len(str(RCC)):] if str(o).startswith(str(RCC)) else str(o)
                                           for o in g.objects(s, RC.inSituation)),
                         issue_key=one(RC.issueKey), description=one(RC.description))
        from rdflib import URIRef

        for f in READABLE_FACTS:
            v = g.value(s, URIRef(FACT_NS + f))
            if v is not None:
                rec.facts[f] = str(v)
        if any(old in rec.facts for old in LEGACY_FACTS):
            legacy = True
        read_legacy(rec.facts)
        records.append(rec)
    warnings = [f"{path}: fact {old} is ambiguous (重大事故、重大损失或严重不良影响 is the wording of no "
                f"measure): read as {' and '.join(new)} where those are absent; state them instead"
                for old, new in LEGACY_FACTS.items() if legacy]
    return ReadResult(records, warnings)


def read_register(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> ReadResult:
    p = Path(path)
    if p.is_dir():
        raise BadInput("is a directory, not a register file", p)
    suffix = p.suffix.lower()
    if suffix == ".csv":
        return read_csv(p, max_bytes)
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx(p, max_bytes)
    if suffix in (".ttl", ".turtle"):
        return read_rdf(p, "turtle", max_bytes)
    if suffix in (".jsonld", ".json"):
        return read_rdf(p, "json-ld", max_bytes)
    raise BadInput(f"unknown register type '{suffix or p.name}': use .csv, .xlsx, .ttl or .jsonld", p)


# ---------------------------------------------------------------- RDF


def _nt_string(text: str) -> str:
    out = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{out}"'


_IRI_SAFE = ":/#?&=%-._~@!$'()*+,;"
_ALREADY_SAFE = re.compile("[A-Za-z0-9" + re.escape(_IRI_SAFE) + "]*")  # what quote() leaves as it is


def _nt_iri(iri: str) -> str:
    # most case IRIs need no escaping: quote() is skipped for them (2 of 27 s at 100,000 cases)
    safe = iri if _ALREADY_SAFE.fullmatch(iri) else quote(iri, safe=_IRI_SAFE)
    return f"<{safe}>"


@lru_cache(maxsize=4096)
def _id_iri(ns: str, raw: str) -> str:  # measures and situations: a few values, repeated
    return _nt_iri(ns + quote(raw, safe=""))


XSD = "http://www.w3.org/2001/XMLSchema#"
TYPE_IRI = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


# A case as the validation graph holds it (records_to_ntriples without descriptions): the
# properties a shape can read of it, in the order they are written, and the classes it is an
# instance of.
CASE_PROPERTIES = (TYPE_IRI, *(f"{RC}{p}" for p in ("caseId", "underMeasure", "subject", "date", "inSituation",
                                                     "issueKey")), *(FACT_NS + f for f in READABLE_FACTS))
CASE_PREDICATES = frozenset(CASE_PROPERTIES)
CASE_CLASSES = frozenset([f"{RC}ToleranceMatter", "http://www.w3.org/2002/07/owl#Thing",
                          "http://www.w3.org/2000/01/rdf-schema#Resource"])


@lru_cache(maxsize=64)
def _fact_term(raw: str) -> str:
    return f"{_nt_string(normalise_boolean(raw))}^^<{XSD}boolean>"


def case_values(records: list[CaseRecord], predicate: str) -> list:
    """Each case's value(s) of one property, as read (None: none): two cases with the same
    value have the same triples for it (case_terms)."""
    if predicate == TYPE_IRI:
        return [None] * len(records)
    if predicate.startswith(FACT_NS):
        get = operator.methodcaller("get", predicate[len(FACT_NS):])
        return list(map(get, map(operator.attrgetter("facts"), records)))
    name = predicate[len(str(RC)):]
    if name == "inSituation":
        return [tuple(sorted(set(r.situations))) for r in records]
    attr = _CASE_ATTRIBUTES.get(name)
    if attr is None or not predicate.startswith(str(RC)):
        raise ValueError(f"not a property of a case: {predicate}")
    return list(map(operator.attrgetter(attr), records))


_CASE_ATTRIBUTES = {"caseId": "case_id", "underMeasure": "measure", "subject": "subject", "date": "date",
                    "issueKey": "issue_key"}


def case_terms(predicate: str):
    """A function giving a case's objects of one property as N-Triples terms, as
    records_to_ntriples writes them."""
    rc = str(RC)
    if predicate == TYPE_IRI:
        typed = [f"<{rc}ToleranceMatter>"]
        return lambda r: typed
    if predicate.startswith(FACT_NS):
        fact = predicate[len(FACT_NS):]
        return lambda r: [] if (raw := r.facts.get(fact)) is None else [_fact_term(raw)]
    name = predicate[len(rc):] if predicate.startswith(rc) else None
    if name == "inSituation":
        return lambda r: [_id_iri(str(RCC), s) for s in sorted(set(r.situations))]
    if name not in _CASE_ATTRIBUTES:
        raise ValueError(f"not a property of a case: {predicate}")
    attr = _CASE_ATTRIBUTES[name]
    if name == "underMeasure":
        return lambda r: [_id_iri(str(LEX), v)] if (v := getattr(r, attr)) else []
    if name == "date":
        return lambda r: [f"{_nt_string(v)}^^<{XSD}date>"] if (v := getattr(r, attr)) else []
    return lambda r: [_nt_string(v)] if (v := getattr(r, attr)) else []


def records_to_ntriples(records: list[CaseRecord], descriptions: bool = True) -> str:
    """N-Triples directly (a register of 100,000 cases does not go through rdflib), each property
    written as case_terms writes it. `descriptions=False` leaves out the case descriptions, which
    no shape reads (the longest column of a register: half the triples' bytes)."""
    writers = [(f"<{p}>", case_terms(p)) for p in CASE_PROPERTIES]
    lines: list[str] = []
    for r in records:
        s = _nt_iri(r.iri)
        lines += [f"{s} {p} {t} ." for p, terms in writers for t in terms(r)]
        if r.description and descriptions:
            lines.append(f"{s} <{RC}description> {_nt_string(r.description)} .")
    return "\n".join(lines) + "\n"


EXAMPLE_ROW = {"case_id": "C001", "measure": "guian", "subject": "某某局", "date": "2024-03-01",
               "situations": "emergency", "issue_key": "flood-2024",
               "description": "防汛中紧急转移群众，征用仓库受损，事后及时报告",
               "not_prohibited": "true", "consistent_with_decisions": "true", "democratic_decision": "true",
               "no_improper_benefit": "true", "no_collusion": "true", "proactive_correction": "true",
               "no_major_accident": "true"}


def template_csv(facts: tuple[str, ...] | list[str] = FACTS, zh: bool = False, measure: str | None = None) -> str:
    """A register template with one example row, for people starting a register: the case
    columns and `facts` (a measure's own, or all), headed by ids or by their Chinese labels."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    columns = list(CASE_COLUMNS) + list(facts)
    if zh:
        names = {v: k for k, v in reversed(list(zh_column_names().items()))}
        w.writerow([names.get(c, c) for c in columns])
    else:
        w.writerow(columns)
    example = dict(EXAMPLE_ROW)
    if measure and measure != example["measure"]:  # an example of the measure asked for, facts left to fill
        example = {"case_id": "C001", "measure": measure, "subject": "某某局", "date": "2024-03-01",
                   "issue_key": "issue-1", "description": "（案情）"}
    w.writerow([example.get(c, "") for c in columns])
    return buf.getvalue()
