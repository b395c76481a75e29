"""One query interface over three kinds of store, so every caller works unchanged on each:

- `OxigraphStore`: pyoxigraph, in memory (the embedded default) or on disk (`--store DIR`);
- `RdflibStore`: rdflib's in-memory SPARQL engine (the baseline benchmarks compare against);
- `RemoteStore`: any SPARQL 1.1 endpoint through SPARQLWrapper (`--endpoint URL`).

Queries see the union of the named graphs as their default graph: each measure lives in
a named graph of its own. A remote server must be configured the same way (Oxigraph:
`serve --union-default-graph`; GraphDB and Virtuoso do it by default; Fuseki:
`tdb2:unionDefaultGraph true`).

Parameters are bound as RDF terms, never pasted into the query text as strings:
pyoxigraph substitutes them (SEP-0007), rdflib binds them, and for a remote endpoint they
are serialised as terms in a VALUES block opening the WHERE clause.
"""

from __future__ import annotations

import os
import re
import threading
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable, Mapping

from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.namespace import XSD

from rongcuo_kg.errors import BadInput, RongcuoError

DEFAULT_TIMEOUT_S = 30.0
DEFAULT_ROW_LIMIT = 10_000

_INT_TYPES = {str(XSD[t]) for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger",
                                      "positiveInteger", "negativeInteger", "nonPositiveInteger",
                                      "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte")}
_FLOAT_TYPES = {str(XSD.double), str(XSD.float)}


class StoreUnavailable(RongcuoError):
    """The store cannot be reached, refused the request, or timed out."""

    exit_code = 3


@dataclass
class QueryResult:
    columns: list[str]
    rows: list[list[Any]]  # str for IRIs and text, int/float/Decimal/bool for typed literals, None unbound
    truncated: bool = False  # more rows existed than the row limit
    row_terms: list[list[str | None]] = field(default_factory=list)  # "iri"/"literal"/"bnode" per cell

    def sorted_rows(self) -> list[list[Any]]:
        return sorted(self.rows, key=lambda r: [("" if v is None else str(v)) for v in r])

    def as_dicts(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, r)) for r in self.rows]


_DECIMAL = str(XSD.decimal)
_BOOLEAN = str(XSD.boolean)
_BOOLEANS = {"true": True, "1": True, "false": False, "0": False}
_PLAIN_TYPES = {str(XSD.string), "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"}


def python_value(kind: str, value: str, datatype: str | None) -> Any:
    """One normalisation for every store, so that results compare equal across them."""
    if kind != "literal" or not datatype or datatype in _PLAIN_TYPES:
        return value
    if datatype in _INT_TYPES:
        try:
            return int(value)
        except ValueError:
            return value
    if datatype == _DECIMAL:
        try:
            return Decimal(value)
        except ArithmeticError:
            return value
    if datatype in _FLOAT_TYPES:
        try:
            return float(value)
        except ValueError:
            return value
    if datatype == _BOOLEAN:
        return _BOOLEANS.get(value, value)
    return value


class Store(ABC):
    """What every caller (CLI, finder, validator, app) needs from a store."""

    kind: str = "abstract"
    location: str = ""
    # the corpus fingerprint of a store built from a corpus folder (caches derived from the
    # store are keyed on it); None for a server, whose content can change at any time
    fingerprint: str | None = None

    @abstractmethod
    def select(self, query: str, bindings: Mapping[str, Any] | None = None, *,
               timeout: float | None = DEFAULT_TIMEOUT_S,
               limit: int | None = None) -> QueryResult:
        ...

    @abstractmethod
    def ask(self, query: str, bindings: Mapping[str, Any] | None = None, *,
            timeout: float | None = DEFAULT_TIMEOUT_S) -> bool:
        ...

    def select_killable(self, query: str, *, timeout: float | None = DEFAULT_TIMEOUT_S,
                        limit: int | None = None) -> QueryResult:
        """A query someone typed, stopped for good at its time limit where the store allows it
        (a server stops it itself, by its own timeout)."""
        return self.select(query, timeout=timeout, limit=limit)

    def describe(self) -> str:
        return f"{self.kind} {self.location}".strip()


def _run_with_timeout(func, timeout: float | None, what: str):
    """Run `func` in a daemon thread; say so within `timeout` seconds if it is still running.

    A daemon thread, so that a command that timed out exits at once; in a long-lived process
    (the app) a query that timed out runs on in the background until it ends by itself.
    """
    if not timeout:
        return func()
    box: dict[str, Any] = {}
    done = threading.Event()

    def target() -> None:
        try:
            box["value"] = func()
        except BaseException as exc:  # handed to the caller's thread
            box["error"] = exc
        finally:
            done.set()

    threading.Thread(target=target, name="rongcuo-query", daemon=True).start()
    if not done.wait(timeout):
        raise StoreUnavailable(f"{what} timed out after {timeout:g} s")
    if "error" in box:
        raise box.pop("error")
    return box["value"]


# ---------------------------------------------------------------- pyoxigraph


class OxigraphStore(Store):
    kind = "oxigraph"

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False):
        """In memory, or on disk at `path`; `read_only`: an existing store that any number of
        processes may read at once (the cached embedded store)."""
        import pyoxigraph as ox

        self._ox = ox
        self._kinds = {ox.NamedNode: "iri", ox.BlankNode: "bnode", ox.Literal: "literal"}
        self.location = str(path) if path else "memory"
        self.read_only_path = str(path) if read_only else None  # another process may open it too
        if read_only:
            try:
                self.store = ox.Store.read_only(str(path))
            except (OSError, RuntimeError) as exc:
                raise StoreUnavailable(f"cannot open store folder {path}: {exc}") from None
        elif path is not None:
            try:
                Path(path).mkdir(parents=True, exist_ok=True)
                self.store = ox.Store(str(path))
            except RuntimeError as exc:  # RocksDB: "Corruption: CURRENT file corrupted"
                raise StoreUnavailable(f"store folder {path} is damaged ({_first_line(exc)}): remove it and "
                                       "it is filled again from the corpus folder") from None
            except OSError as exc:
                if "LOCK" in str(exc):  # RocksDB allows one process per folder
                    raise StoreUnavailable(f"store folder {path} is in use by another process (the app or "
                                           "another command); wait for it or use another --store") from None
                raise StoreUnavailable(f"cannot open store folder {path}: {exc}") from None
        else:
            self.store = ox.Store()

    @classmethod
    def from_dataset(cls, dataset: Dataset, path: str | Path | None = None) -> "OxigraphStore":
        store = cls(path)
        store.replace_dataset(dataset)
        return store

    def replace_dataset(self, dataset: Dataset) -> None:
        self.replace_nquads(dataset.serialize(format="nquads", encoding="utf-8"))

    def replace_nquads(self, data: bytes) -> None:
        self.store.clear()
        self.store.bulk_load(data, format=self._ox.RdfFormat.N_QUADS)
        self.store.optimize() if self.location != "memory" else None

    def is_empty(self) -> bool:
        return len(self.store) == 0

    def _term(self, value: Any):
        ox = self._ox
        if isinstance(value, URIRef):
            return ox.NamedNode(str(value))
        if isinstance(value, BNode):
            return ox.BlankNode(str(value))
        if isinstance(value, Literal):
            if value.language:
                return ox.Literal(str(value), language=value.language)
            if value.datatype:
                return ox.Literal(str(value), datatype=ox.NamedNode(str(value.datatype)))
            return ox.Literal(str(value))
        return self._term(Literal(value))

    def _cell(self, term) -> tuple[Any, str | None]:
        if term is None:
            return None, None
        kind = self._kinds.get(type(term))
        if kind == "literal":
            dt = term.datatype
            return python_value("literal", term.value, dt.value if dt is not None else None), "literal"
        if kind is not None:
            return term.value, kind
        return str(term), None

    def _query(self, query: str, bindings: Mapping[str, Any] | None):
        try:
            return self.store.query(inject_values(query, bindings or {}),
                                    use_default_graph_as_union=True)
        except SyntaxError as exc:
            raise BadInput(syntax_message(str(exc), query)) from None

    def _select_now(self, query, bindings, limit, deadline: float | None = None) -> QueryResult:
        """The solutions, read one by one: past `deadline` (time.monotonic) the reading stops,
        and with it the evaluation, which Oxigraph runs lazily as solutions are asked for — a
        query that timed out does not keep a core busy after the caller was told so (an operator
        that needs every solution first, ORDER BY or COUNT, stops only at its first answer)."""
        import time

        solutions = self._query(query, bindings)
        if not isinstance(solutions, self._ox.QuerySolutions):
            raise BadInput("not a SELECT query")
        columns = [v.value for v in solutions.variables]
        rows, kinds, truncated = [], [], False
        cell = self._cell
        for n, sol in enumerate(solutions):
            if limit is not None and n >= limit:
                truncated = True
                break
            if deadline is not None and n % 256 == 0 and time.monotonic() > deadline:
                raise StoreUnavailable("query stopped at its time limit")
            cells = [cell(t) for t in sol]
            rows.append([c[0] for c in cells])
            kinds.append([c[1] for c in cells])
        return QueryResult(columns, rows, truncated, kinds)

    def _ask_now(self, query, bindings) -> bool:
        result = self._query(query, bindings)
        if not isinstance(result, self._ox.QueryBoolean):
            raise BadInput("not an ASK query")
        return bool(result)

    def select_killable(self, query, *, timeout=DEFAULT_TIMEOUT_S, limit=None) -> QueryResult:
        """A query someone typed: on a store on disk, read-only, it runs in a process of its own
        that is killed at the time limit, so no evaluation (a sort or a count over a huge join
        included) outlives it; elsewhere as `select` (whose reading stops at the deadline)."""
        if not self.read_only_path or not timeout:
            return self.select(query, timeout=timeout, limit=limit)
        return _select_in_child(self.read_only_path, query, timeout, limit)

    def select(self, query, bindings=None, *, timeout=DEFAULT_TIMEOUT_S, limit=None):
        import time

        deadline = time.monotonic() + timeout if timeout else None
        return _run_with_timeout(_isolated(lambda: self._select_now(query, bindings, limit, deadline)),
                                 timeout, "query")

    def ask(self, query, bindings=None, *, timeout=DEFAULT_TIMEOUT_S):
        return _run_with_timeout(_isolated(lambda: self._ask_now(query, bindings)), timeout, "query")


def _child_select(path: str, query: str, limit: int | None, conn) -> None:
    """In the child: open the store read-only, run the query, send back the result or the error."""
    try:
        result = OxigraphStore(path, read_only=True)._select_now(query, None, limit)
        conn.send(("ok", result))
    except RongcuoError as exc:
        conn.send(("error", type(exc).__name__, str(exc)))
    except Exception as exc:  # pyoxigraph reports evaluation errors as OSError/RuntimeError
        conn.send(("error", "BadInput", f"query failed: {exc}"))
    finally:
        conn.close()


def _select_in_child(path: str, query: str, timeout: float, limit: int | None) -> QueryResult:
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")  # a fresh interpreter: nothing of this process's store
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child_select, args=(path, query, limit, child), daemon=True)
    proc.start()
    child.close()
    try:
        if not parent.poll(timeout):
            raise StoreUnavailable(f"query timed out after {timeout:g} s (stopped)")
        message = parent.recv()
    except EOFError:
        raise StoreUnavailable("the query process ended without an answer") from None
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join(5)
        parent.close()
    if message[0] == "ok":
        return message[1]
    kind, text = message[1], message[2]
    raise BadInput(text) if kind == "BadInput" else StoreUnavailable(text)


def _isolated(func):
    """pyoxigraph objects must be dropped on the thread that made them: re-raise errors as new
    exceptions that keep no frame (and so no pyoxigraph object) of the worker alive."""

    def run():
        try:
            return func()
        except RongcuoError as exc:
            err: Exception = type(exc).__new__(type(exc))
            err.__dict__.update(exc.__dict__)
            err.args = exc.args
        except Exception as exc:  # pyoxigraph reports evaluation errors as OSError/RuntimeError
            err = BadInput(f"query failed: {exc}")
        raise err

    return run


# ---------------------------------------------------------------- rdflib


class RdflibStore(Store):
    kind = "rdflib"
    location = "memory"

    def __init__(self, dataset: Dataset):
        self.dataset = dataset
        self.dataset.default_union = True

    def _rows(self, query, bindings):
        from pyparsing import ParseException

        try:
            return self.dataset.query(query, initBindings=dict(bindings or {}))
        except ParseException as exc:
            raise BadInput(f"malformed SPARQL at line {exc.lineno}, column {exc.col}: {exc.msg}") from None

    def select(self, query, bindings=None, *, timeout=DEFAULT_TIMEOUT_S, limit=None):
        def run() -> QueryResult:
            result = self._rows(query, bindings)
            columns = [str(v) for v in result.vars]
            rows, kinds, truncated = [], [], False
            for n, row in enumerate(result):
                if limit is not None and n >= limit:
                    truncated = True
                    break
                cells = [_rdflib_cell(row[i]) for i in range(len(columns))]
                rows.append([c[0] for c in cells])
                kinds.append([c[1] for c in cells])
            return QueryResult(columns, rows, truncated, kinds)

        return _run_with_timeout(run, timeout, "query")

    def ask(self, query, bindings=None, *, timeout=DEFAULT_TIMEOUT_S):
        return _run_with_timeout(lambda: bool(self._rows(query, bindings).askAnswer), timeout, "query")


def _rdflib_cell(term) -> tuple[Any, str | None]:
    if term is None:
        return None, None
    if isinstance(term, URIRef):
        return str(term), "iri"
    if isinstance(term, BNode):
        return str(term), "bnode"
    if isinstance(term, Literal):
        return python_value("literal", str(term), str(term.datatype) if term.datatype else None), "literal"
    return str(term), None


# ---------------------------------------------------------------- remote


_RE_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def inject_values(query: str, bindings: Mapping[str, Any]) -> str:
    """Bind parameters as a VALUES block opening the WHERE clause, terms serialised by rdflib
    (quotes and backslashes escaped), so a value can never become query syntax."""
    if not bindings:
        return query
    m = _RE_WHERE.search(query)
    if m is None:
        raise BadInput("a parameterised query needs a WHERE clause")
    names = list(bindings)
    terms = [(v if isinstance(v, (URIRef, Literal, BNode)) else Literal(v)).n3() for v in bindings.values()]
    block = f"\n  VALUES ({' '.join('?' + n for n in names)}) {{ ({' '.join(terms)}) }}\n"
    return query[: m.end()] + block + query[m.end():]


# A SPARQL query's tokens that may contain a variable-like text (strings, IRIs, comments), the
# keywords that open a projection or a binding, and variables.
_TOKENS = re.compile(
    r"(\"\"\"[\s\S]*?\"\"\"|'''[\s\S]*?'''|\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'"
    r"|<[^<>\"{}|^`\\\s]*>|#[^\n]*|\bSELECT\b|\bAS\b|\{|[?$][A-Za-z_][A-Za-z0-9_]*)",
    re.IGNORECASE)


def inline_terms(query: str, bindings: Mapping[str, Any]) -> str:
    """Bind parameters by writing each term (serialised by rdflib, as in inject_values) where its
    variable stands, for servers that do not carry a VALUES block's bindings into an OPTIONAL's
    FILTER (Virtuoso 7: docs/ARCHITECTURE.md, "SPARQL servers"). Where a parameter's variable is
    projected or bound (SELECT ?x, AS ?x) a term cannot stand, and the VALUES block is used."""
    if not bindings:
        return query
    terms = {n: (v if isinstance(v, (URIRef, Literal, BNode)) else Literal(v)).n3() for n, v in bindings.items()}
    out, last, projecting, after_as = [], 0, False, False
    for m in _TOKENS.finditer(query):
        token = m.group(0)
        upper = token.upper()
        if upper == "SELECT":
            projecting = True
        elif token == "{":
            projecting = False
        elif upper == "AS":
            after_as = True
            continue
        elif token[0] in "?$" and token[1:] in terms:
            if projecting or after_as:
                return inject_values(query, bindings)
            out.append(query[last:m.start()])
            out.append(terms[token[1:]])
            last = m.end()
        after_as = False
    return "".join(out) + query[last:]


def syntax_message(error: str, query: str | None = None) -> str:
    """pyoxigraph's "error at L:C: expected one of …" as one readable line."""
    m = re.match(r"error at (\d+):(\d+): (.*)", error, re.S)
    if not m:
        return f"malformed SPARQL: {' '.join(error.split())[:300]}"
    what = " ".join(m.group(3).split())
    if "Prefix not found" in what:
        line = (query or "").splitlines()[int(m.group(1)) - 1:int(m.group(1))]
        names = re.findall(r"(?<![\w<?$])([A-Za-z][\w.-]*|):[\w-]", line[0][:int(m.group(2))]) if line else []
        what = (f"undefined prefix '{names[-1]}:'" if names else "undefined prefix") + " (add a PREFIX line)"
    elif what.startswith("expected one of"):
        options = [o.strip() for o in what.removeprefix("expected one of").split(",")]
        what = "expected one of " + ", ".join(options[:8]) + (", …" if len(options) > 8 else "")
    where = f"第 {m.group(1)} 行第 {m.group(2)} 列"
    if "undefined prefix" in what:
        said = "未定义的前缀"
    elif what.startswith("expected one of"):
        said = "此处应为下列之一"
    else:
        said = "无法解析"
    return (f"SPARQL 语法错误（{where}）：{said} · malformed SPARQL at line {m.group(1)}, column {m.group(2)}: "
            f"{what[:300]}")


def check_endpoint_url(url: str, what: str = "endpoint") -> None:
    """A SPARQL endpoint is an http(s) URL with a host: say so at once, not as a traceback later."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 — raises on a port that is not a number
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise BadInput(f"the SPARQL {what} must be an http(s) URL such as http://127.0.0.1:7878/query, got '{url}'")


REMOTE_WAIT_S = 120.0  # a server that accepts and never answers: said after this, even for
# the loads that set no timeout of their own (the finder's index, the validator's reference)
REMOTE_WAIT_ENV = "RONGCUO_SPARQL_WAIT_S"


def remote_wait() -> float:
    """$RONGCUO_SPARQL_WAIT_S, else REMOTE_WAIT_S."""
    try:
        value = float(os.environ.get(REMOTE_WAIT_ENV, REMOTE_WAIT_S))
    except ValueError:
        return REMOTE_WAIT_S
    return value if value > 0 else REMOTE_WAIT_S


MAX_RESPONSE_BYTES = 200_000_000  # a server's answer past this is refused, never held whole


_SERVER_SOFTWARE: dict[str, bool] = {}


def _is_virtuoso(endpoint: str, timeout: float) -> bool:
    """Whether the endpoint is served by Virtuoso (its HTTP Server header), asked once per
    endpoint and process; an endpoint that cannot be asked is taken as standard (the query
    itself then says what is wrong)."""
    if endpoint not in _SERVER_SOFTWARE:
        import urllib.parse
        import urllib.request

        url = f"{endpoint}{'&' if '?' in endpoint else '?'}{urllib.parse.urlencode({'query': 'ASK {}'})}"
        request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                server = response.headers.get("Server", "")
        except Exception:  # noqa: BLE001 - any failure: ask again next time, query as standard
            return False
        _SERVER_SOFTWARE[endpoint] = "virtuoso" in server.lower()
    return _SERVER_SOFTWARE[endpoint]


class RemoteStore(Store):
    kind = "sparql"

    def __init__(self, endpoint: str):
        check_endpoint_url(endpoint)
        self.location = endpoint
        self.endpoint = endpoint

    def _bind(self, query: str, bindings: Mapping[str, Any] | None, timeout: float) -> str:
        """The query with its parameters bound in the way the server reads correctly."""
        if not bindings:
            return query
        if _is_virtuoso(self.endpoint, min(timeout, 10.0)):
            return inline_terms(query, bindings)
        return inject_values(query, bindings)

    def _wrapper(self, query: str, timeout: float | None):
        from SPARQLWrapper import JSON, POST, SPARQLWrapper

        w = SPARQLWrapper(self.endpoint)
        w.setMethod(POST)
        w.setReturnFormat(JSON)
        w.setQuery(query)
        if timeout:
            w.setTimeout(int(max(1, round(timeout))))
        return w

    def _fetch(self, query: str, timeout: float | None) -> dict:
        import socket
        import urllib.error

        from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, SPARQLWrapperException

        try:
            response = self._wrapper(query, timeout).query().response
            kind = response.headers.get("Content-Type", "") or "no content type"
            body = response.read(MAX_RESPONSE_BYTES + 1)
        except QueryBadFormed as exc:
            raise BadInput(f"malformed SPARQL (server said): {_first_line(exc)}") from None
        except (socket.timeout, TimeoutError):
            raise StoreUnavailable(f"{self.endpoint} timed out after {timeout:g} s") from None
        except urllib.error.URLError as exc:
            reason = exc.reason if hasattr(exc, "reason") else exc
            if isinstance(reason, (socket.timeout, TimeoutError)):
                raise StoreUnavailable(f"{self.endpoint} timed out after {timeout:g} s") from None
            raise StoreUnavailable(f"cannot reach SPARQL endpoint {self.endpoint}: {reason}") from None
        except SPARQLWrapperException as exc:
            raise StoreUnavailable(f"SPARQL endpoint {self.endpoint} refused the query: {_first_line(exc)}") from None
        except (ConnectionError, OSError) as exc:
            raise StoreUnavailable(f"cannot reach SPARQL endpoint {self.endpoint}: {exc}") from None
        return self._results(kind, body)

    def _results(self, kind: str, body: bytes) -> dict:
        """The SPARQL JSON results in a response, or one line naming the endpoint and what came
        back instead (an HTML page, broken or binary data, too much of it): never a traceback."""
        import json

        if len(body) > MAX_RESPONSE_BYTES:
            raise StoreUnavailable(f"SPARQL endpoint {self.endpoint} answered with over "
                                   f"{MAX_RESPONSE_BYTES // 1_000_000} MB; narrow the query (LIMIT)")
        try:
            data = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            data = None
        ok = isinstance(data, dict) and (
            isinstance(data.get("boolean"), bool)
            or (isinstance(data.get("head"), dict) and isinstance(data.get("results"), dict)
                and isinstance(data["results"].get("bindings"), list)))
        if not ok:
            shown = body[:80].decode("utf-8", "replace").replace("\n", " ").strip()
            shown = "".join(c if c.isprintable() else "?" for c in shown)
            raise StoreUnavailable(f"SPARQL endpoint {self.endpoint} answered with {kind.split(';')[0]}, not SPARQL "
                                   f"results: {shown!r}")
        return data

    def select(self, query, bindings=None, *, timeout=DEFAULT_TIMEOUT_S, limit=None):
        timeout = timeout or remote_wait()
        data = _run_with_timeout(lambda: self._fetch(self._bind(query, bindings, timeout), timeout),
                                 timeout + 1, f"query to {self.endpoint}")
        if "results" not in data:
            raise BadInput("not a SELECT query")
        columns = list(data.get("head", {}).get("vars", []))
        rows, kinds, truncated = [], [], False
        for n, binding in enumerate(data["results"]["bindings"]):
            if limit is not None and n >= limit:
                truncated = True
                break
            row, kind_row = [], []
            for col in columns:
                cell = binding.get(col)
                if cell is None:
                    row.append(None)
                    kind_row.append(None)
                    continue
                kind = {"uri": "iri", "literal": "literal", "typed-literal": "literal",
                        "bnode": "bnode"}.get(cell["type"], cell["type"])
                row.append(python_value(kind, cell["value"], cell.get("datatype")))
                kind_row.append(kind)
            rows.append(row)
            kinds.append(kind_row)
        return QueryResult(columns, rows, truncated, kinds)

    def ask(self, query, bindings=None, *, timeout=DEFAULT_TIMEOUT_S):
        timeout = timeout or remote_wait()
        data = _run_with_timeout(lambda: self._fetch(self._bind(query, bindings, timeout), timeout),
                                 timeout + 1, f"query to {self.endpoint}")
        if "boolean" not in data:
            raise BadInput("not an ASK query")
        return bool(data["boolean"])


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[-1] if text else exc.__class__.__name__


def rows_equal(a: QueryResult, b: QueryResult) -> bool:
    return a.columns == b.columns and a.sorted_rows() == b.sorted_rows()


def iter_graph_names(dataset: Dataset) -> Iterable[URIRef]:
    for ctx in dataset.graphs():
        if isinstance(ctx.identifier, URIRef) and len(ctx):
            yield ctx.identifier
