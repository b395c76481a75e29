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
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

from rongcuo_kg.errors import BadInput
from rongcuo_kg.graph.namespaces import BASE, LEX, RC, RCC
from rongcuo_kg.text.textio import decode_bytes

FACTS = ("not_prohibited", "democratic_decision", "no_improper_benefit", "no_collusion",
         "proactive_correction", "no_serious_consequence", "within_statutory_duty")
COLUMNS = ("case_id", "measure", "subject", "date", "situations", "issue_key", "description") + FACTS
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
        if name in FACTS:
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


def normalise_boolean(raw: str) -> str:
    v = raw.strip().lower()
    if v in TRUE:
        return "true"
    if v in FALSE:
        return "false"
    return raw.strip()


def normalise_date(raw) -> str:
    if isinstance(raw, datetime):
        return raw.date().isoformat()
    if isinstance(raw, date):
        return raw.isoformat()
    text = str(raw).strip()
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


def check_header(header: list[str], path: Path) -> list[str]:
    """The header must hold every column that says what the case is; a fact column may be
    absent (its fact is then not established for every row: old registers keep validating, and
    the warnings returned say so), unless a column of the header looks like it misspelt."""
    names = [h.strip() for h in header]
    others = [n for n in names if n not in COLUMNS]
    misspelt = {c: close[0] for c in COLUMNS if c not in names
                for close in [difflib.get_close_matches(c, others, n=1, cutoff=0.75)] if close}
    missing = [c for c in COLUMNS if c not in names and (c not in FACTS or c in misspelt)]
    if missing:
        hints = [f"{c} (found '{misspelt[c]}': misspelt?)" if c in misspelt else c for c in missing]
        raise BadInput(f"missing column(s): {', '.join(hints)}; the header needs {', '.join(COLUMNS)}",
                       path, 1)
    dup = sorted({n for n in names if n and names.count(n) > 1})
    if dup:
        raise BadInput(f"column(s) {', '.join(dup)} appear twice in the header", path, 1)
    absent = [c for c in FACTS if c not in names]
    return [f"{path}: no column {', '.join(absent)}: not established for every case (未查明)"] if absent else []


def _record(path: Path, row_no: int, values: dict[str, object]) -> CaseRecord:
    def cell(name: str) -> str:
        v = values.get(name)
        return "" if v is None else str(v).strip()

    case_id = cell("case_id")
    rec = CaseRecord(source=str(path), row=row_no,
                     iri=f"{CASE_NS}{_slug(path)}/row-{row_no}",
                     case_id=case_id, measure=cell("measure"), subject=cell("subject"),
                     date=normalise_date(values.get("date")) if cell("date") else "",
                     situations=[s for s in _SPLIT.split(cell("situations")) if s],
                     issue_key=cell("issue_key"), description=cell("description"))
    for f in FACTS:
        if cell(f):
            rec.facts[f] = cell(f)
    rec.extra = {k: cell(k) for k in values if k and k not in COLUMNS}  # kept in the report, in order
    return rec


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
    warnings = check_header(header, path)
    names = [h.strip() for h in header]
    records = []
    try:
        for row in reader:
            line = reader.line_num
            if not any(c.strip() for c in row):
                continue
            if len(row) > len(names):
                raise BadInput(f"row has {len(row)} cells, the header {len(names)}", path, line)
            records.append(_record(path, line, dict(zip(names, row))))
    except csv.Error as exc:
        raise BadInput(f"broken CSV: {exc}", path, reader.line_num) from None
    if not records:  # a template saved without rows: nothing was validated, which is not "all conform"
        raise BadInput("no case records: the register has a header and no rows", path)
    return ReadResult(records, warnings)


def read_xlsx(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> ReadResult:
    _check_size(path, max_bytes)
    try:
        import openpyxl
        from openpyxl.utils.exceptions import InvalidFileException
    except ImportError:  # pragma: no cover - a dependency of the project
        raise BadInput("reading .xlsx needs openpyxl", path) from None
    import zipfile

    try:
        wb = openpyxl.load_workbook(path, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as exc:
        raise BadInput(f"not a readable .xlsx workbook ({exc.__class__.__name__})", path) from None
    warnings = []
    def has_header(n: str) -> bool:
        first = next(wb[n].iter_rows(max_row=1, values_only=True), None) or ()
        return "case_id" in {"" if h is None else str(h).strip() for h in first}

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
    header = ["" if h is None else str(h).strip() for h in header_row]
    warnings += check_header(header, path)
    records = []
    for offset, row in enumerate(rows, start=2):
        if row is None or all(c is None or str(c).strip() == "" for c in row):
            continue
        values = {header[i]: row[i] for i in range(min(len(header), len(row))) if header[i]}
        if "date" in values and isinstance(values["date"], (datetime, date)):
            values["date"] = normalise_date(values["date"])
        records.append(_record(path, offset, values))
    if not records:
        raise BadInput(f"no case records: sheet '{name}' has a header and no rows", path)
    return ReadResult(records, warnings)


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
        try:
            g.parse(path, format="json-ld")
        except Exception as exc:  # rdflib/json raise assorted types on bad JSON-LD
            msg = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
            raise BadInput(f"not readable JSON-LD: {msg}", path) from None
    subjects = sorted(set(g.subjects(RDF.type, RC.ToleranceMatter)), key=str)
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

        for f in FACTS:
            v = g.value(s, URIRef(FACT_NS + f))
            if v is not None:
                rec.facts[f] = str(v)
        records.append(rec)
    return ReadResult(records)


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
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"


def records_to_ntriples(records: list[CaseRecord]) -> str:
    """N-Triples directly (a register of 100,000 cases does not go through rdflib)."""
    rc = str(RC)
    lines: list[str] = []
    add = lines.append
    for r in records:
        s = _nt_iri(r.iri)
        add(f"{s} {RDF_TYPE} <{rc}ToleranceMatter> .")
        if r.case_id:
            add(f"{s} <{rc}caseId> {_nt_string(r.case_id)} .")
        if r.measure:
            add(f"{s} <{rc}underMeasure> {_id_iri(str(LEX), r.measure)} .")
        if r.subject:
            add(f"{s} <{rc}subject> {_nt_string(r.subject)} .")
        if r.date:
            add(f"{s} <{rc}date> {_nt_string(r.date)}^^<{XSD}date> .")
        for sit in r.situations:
            add(f"{s} <{rc}inSituation> {_id_iri(str(RCC), sit)} .")
        if r.issue_key:
            add(f"{s} <{rc}issueKey> {_nt_string(r.issue_key)} .")
        if r.description:
            add(f"{s} <{rc}description> {_nt_string(r.description)} .")
        for f, raw in r.facts.items():
            add(f"{s} <{FACT_NS}{f}> {_nt_string(normalise_boolean(raw))}^^<{XSD}boolean> .")
    return "\n".join(lines) + "\n"


def template_csv() -> str:
    """A register template with one example row, for people starting a register."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(COLUMNS)
    w.writerow(["C001", "guian", "某某局", "2024-03-01", "emergency", "flood-2024",
                "防汛中紧急转移群众，征用仓库受损，事后及时报告", "true", "true", "true", "true",
                "true", "true", ""])
    return buf.getvalue()
