"""Run the named queries (`rongcuo_kg/queries/*.rq`) and free read-only SPARQL on any store."""

from __future__ import annotations

import re
from typing import Any, Mapping

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from rongcuo_kg.errors import BadInput
from rongcuo_kg.graph.namespaces import RC, RCC, RCT, measure_iri
from rongcuo_kg.graph.sparqlfiles import NamedQuery, list_query_names, load_query
from rongcuo_kg.graph.store import DEFAULT_ROW_LIMIT, DEFAULT_TIMEOUT_S, QueryResult, Store

LANGS = ("zh", "en")


def list_queries() -> list[NamedQuery]:
    return [load_query(n) for n in list_query_names()]


def query_info(q: NamedQuery) -> dict:
    return {"name": q.name, "title": q.title_zh, "title_en": q.title_en,
            "description": q.description_zh, "description_en": q.description_en,
            "params": [{"name": p.name, "type": p.type, "label": p.label_zh,
                        "label_en": p.label_en, "default": p.default,
                        "required": p.default is None} for p in q.params if p.name != "lang"]}


def to_term(ptype: str, value: str, name: str) -> Any:
    """A parameter value as an RDF term; the type comes from the query file's header."""
    if ptype == "iri":
        if not value.startswith(("http://", "https://", "urn:")):
            raise BadInput(f"parameter '{name}' must be an IRI, got '{value}'")
        return URIRef(value)
    if ptype in ("measure", "concept"):
        if value.startswith(("http://", "https://")):
            if _BAD_IRI_CHARS.search(value):
                raise BadInput(f"parameter '{name}' is not a valid IRI: '{value}'")
            return URIRef(value)
        if not _ID.fullmatch(value):
            raise BadInput(f"parameter '{name}' must be a {ptype} id (letters, digits, _ or -), got '{value}'")
        return measure_iri(value) if ptype == "measure" else RCC[value]
    if ptype == "int":
        try:
            return Literal(int(value), datatype=XSD.integer)
        except ValueError:
            raise BadInput(f"parameter '{name}' must be an integer, got '{value}'") from None
    if ptype == "lang":
        if value not in LANGS:
            raise BadInput(f"parameter '{name}' must be one of {', '.join(LANGS)}")
        return Literal(value)
    if not value.strip():
        raise BadInput(f"parameter '{name}' is empty")
    return Literal(value)


_ID = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")
_BAD_IRI_CHARS = re.compile(r'[\s<>"{}|^`\\]')


def bind_params(q: NamedQuery, params: Mapping[str, str], lang: str = "zh") -> dict[str, Any]:
    known = {p.name: p for p in q.params}
    unknown = sorted(set(params) - set(known))
    if unknown:
        names = ", ".join(p for p in known if p != "lang") or "none"
        raise BadInput(f"query '{q.name}' has no parameter {', '.join(unknown)}; its parameters: {names}")
    bindings: dict[str, Any] = {}
    for p in q.params:
        if p.name == "lang":
            bindings["lang"] = to_term("lang", params.get("lang", lang), "lang")
            continue
        value = params.get(p.name, p.default)
        if value is None:
            raise BadInput(f"query '{q.name}' needs parameter '{p.name}' ({p.label_en})")
        if value == "*":  # an optional parameter left open
            continue
        bindings[p.name] = to_term(p.type, value, p.name)
    return bindings


def run_named(store: Store, name: str, params: Mapping[str, str] | None = None, *,
              lang: str = "zh", timeout: float | None = DEFAULT_TIMEOUT_S,
              limit: int | None = DEFAULT_ROW_LIMIT) -> QueryResult:
    q = load_query(name)
    bindings = bind_params(q, params or {}, lang)
    check_known(store, q, bindings, timeout)
    return store.select(q.text, bindings, timeout=timeout, limit=limit)


_SAFE_IRI = re.compile(r"^[^<>\"{}|^`\\\s]+$")
LABELS_QUERY = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?s ?label WHERE {
  VALUES ?s { %s }
  { ?s skos:prefLabel ?label } UNION { ?s rdfs:label ?label }
  FILTER(lang(?label) = "%s")
}"""


def iri_labels(store: Store, iris, lang: str = "zh") -> dict[str, str]:
    """The label (skos:prefLabel, else rdfs:label) of each IRI in the reader's language, from the
    store itself (a SPARQL server's graph too); at most 2,000 at a time, IRIs a query may hold."""
    wanted = sorted({i for i in iris if i and _SAFE_IRI.match(i)})[:2000]
    labels: dict[str, str] = {}
    if wanted:
        res = store.select(LABELS_QUERY % (" ".join(f"<{i}>" for i in wanted), "en" if lang == "en" else "zh"),
                           timeout=30)
        for s, label in res.rows:
            labels.setdefault(s, label)
    return labels


_KIND_NS = {"property": RC, "subdivision": RCT}


def readable(store: Store, name: str, result: QueryResult, lang: str = "zh") -> QueryResult:
    """A named query's result as a reader is shown it: the columns its file declares, in order,
    under their headers in `lang`; IRIs and the ids a KIND names by their labels, empty cells as
    "—". Ids stay in the result itself (JSON, CSV)."""
    q = load_query(name)
    if not q.columns:
        return result
    at = {c: k for k, c in enumerate(result.columns)}
    shown = [c for c in q.columns if c.name in at]
    iris: set[str] = set()
    for row, kinds in zip(result.rows, result.row_terms or [[None] * len(result.columns)] * len(result.rows)):
        for c in shown:
            value = row[at[c.name]]
            if value is None:
                continue
            if c.kind in _KIND_NS:
                iris.add(str(_KIND_NS[c.kind][str(value)]))
            elif kinds[at[c.name]] == "iri":
                iris.add(str(value))
    labels = iri_labels(store, iris, lang)

    def cell(c, value, kind):
        if value is None or value == "":
            return "—"
        if c.kind in _KIND_NS:
            return labels.get(str(_KIND_NS[c.kind][str(value)]), str(value))
        if kind == "iri":
            return labels.get(str(value), str(value))
        return value

    rows = [[cell(c, row[at[c.name]], kinds[at[c.name]] if kinds else None) for c in shown]
            for row, kinds in zip(result.rows, result.row_terms or [None] * len(result.rows))]
    return QueryResult(columns=[c.label_en if lang == "en" else c.label_zh for c in shown], rows=rows,
                       truncated=result.truncated, row_terms=[["literal"] * len(shown) for _ in rows])


def check_known(store: Store, q: NamedQuery, bindings: Mapping[str, Any],
                timeout: float | None = DEFAULT_TIMEOUT_S) -> None:
    """A measure or concept parameter must name one the graph holds: a misspelt id would
    otherwise answer with no rows, as if the measure said nothing."""
    for p in q.params:
        term = bindings.get(p.name)
        if p.type not in ("measure", "concept") or term is None:
            continue
        if not store.ask(f"ASK {{ {term.n3()} ?p ?o }}", timeout=timeout):
            given = str(term).rsplit("/", 1)[-1]
            if p.type == "measure":
                known = sorted(r["measureId"] for r in
                               store.select(load_query("measures").text, {"lang": Literal("zh")},
                                            timeout=timeout, limit=None).as_dicts())
                shown = ", ".join(known[:20]) + (" …" if len(known) > 20 else "")
                raise BadInput(f"unknown measure '{given}' (parameter '{p.name}'); known: {shown}")
            raise BadInput(f"unknown concept '{given}' (parameter '{p.name}'); "
                           "`rongcuo-kg query concepts` lists them")


def check_read_only(text: str) -> None:
    """Refuse anything but a SELECT/ASK/CONSTRUCT/DESCRIBE query without SERVICE."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        tree = parseQuery(text)
    except ParseException as exc:
        try:
            parseUpdate(text)
        except ParseException:
            raise BadInput(_syntax_error(text, exc)) from None
        raise BadInput("read-only: SPARQL UPDATE (INSERT, DELETE, LOAD, CLEAR, DROP, …) "
                       "is refused") from None
    if _contains(tree, "ServiceGraphPattern"):
        raise BadInput("read-only: SERVICE (federated queries to other endpoints) is refused")


def _syntax_error(text: str, exc) -> str:
    """Where and what: pyoxigraph's parser points at the offending token (pyparsing, at the
    start of the group it gave up on), so its position is used where it has one."""
    import pyoxigraph

    from rongcuo_kg.graph.store import syntax_message

    try:
        pyoxigraph.Store().query(text)
    except SyntaxError as ox:
        return syntax_message(str(ox), text)
    except Exception:  # noqa: BLE001 — any other failure: fall back to pyparsing's report
        pass
    return f"malformed SPARQL at line {exc.lineno}, column {exc.col}: {exc.msg}"


def _contains(node: Any, name: str) -> bool:
    """Whether the parse tree holds a node called `name` (CompValues are dicts; ParseResults lists)."""
    if getattr(node, "name", None) == name:
        return True
    if isinstance(node, dict):
        return any(_contains(v, name) for v in node.values())
    if isinstance(node, (str, bytes)):
        return False
    try:
        children = list(node)
    except TypeError:
        return False
    return any(_contains(v, name) for v in children)


def run_free(store: Store, text: str, *, timeout: float | None = DEFAULT_TIMEOUT_S,
             limit: int | None = DEFAULT_ROW_LIMIT) -> QueryResult:
    check_read_only(text)
    head = _query_form(text)
    if head == "ASK":
        answer = store.ask(text, timeout=timeout)
        return QueryResult(["ask"], [[answer]])
    if head != "SELECT":
        raise BadInput("only SELECT and ASK queries are answered here")
    return store.select_killable(text, timeout=timeout, limit=limit)


def _query_form(text: str) -> str:
    from rdflib.plugins.sparql.parser import parseQuery

    tree = parseQuery(text)
    name = getattr(tree[1], "name", "")
    return {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT",
            "DescribeQuery": "DESCRIBE"}.get(name, name)
