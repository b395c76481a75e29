"""Run the named queries (`rongcuo_kg/queries/*.rq`) and free read-only SPARQL on any store."""

from __future__ import annotations

from typing import Any, Mapping

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from .errors import BadInput
from .namespaces import RCC, measure_iri
from .sparqlfiles import NamedQuery, list_query_names, load_query
from .store import DEFAULT_ROW_LIMIT, DEFAULT_TIMEOUT_S, QueryResult, Store

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
    if ptype == "measure":
        return URIRef(value) if value.startswith(("http://", "https://")) else measure_iri(value)
    if ptype == "concept":
        return URIRef(value) if value.startswith(("http://", "https://")) else RCC[value]
    if ptype == "int":
        try:
            return Literal(int(value), datatype=XSD.integer)
        except ValueError:
            raise BadInput(f"parameter '{name}' must be an integer, got '{value}'") from None
    if ptype == "lang":
        if value not in LANGS:
            raise BadInput(f"parameter '{name}' must be one of {', '.join(LANGS)}")
        return Literal(value)
    return Literal(value)


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
    return store.select(q.text, bind_params(q, params or {}, lang), timeout=timeout, limit=limit)


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
            raise BadInput(f"malformed SPARQL at line {exc.lineno}, column {exc.col}: "
                           f"{exc.msg}") from None
        raise BadInput("read-only: SPARQL UPDATE (INSERT, DELETE, LOAD, CLEAR, DROP, …) "
                       "is refused") from None
    if _contains(tree, "ServiceGraphPattern"):
        raise BadInput("read-only: SERVICE (federated queries to other endpoints) is refused")


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
    return store.select(text, timeout=timeout, limit=limit)


def _query_form(text: str) -> str:
    from rdflib.plugins.sparql.parser import parseQuery

    tree = parseQuery(text)
    name = getattr(tree[1], "name", "")
    return {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT",
            "DescribeQuery": "DESCRIBE"}.get(name, name)
