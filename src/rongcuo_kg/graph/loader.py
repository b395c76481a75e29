"""Push the built dataset to a SPARQL server: one named graph per measure, one for the
ontology, each replaced whole (Graph Store Protocol PUT, or DROP + INSERT … WHERE {}), so that
loading twice leaves the same triples."""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Callable

from rdflib import Dataset, Graph, URIRef

from rongcuo_kg.errors import BadInput
from rongcuo_kg.graph.store import StoreUnavailable, iter_graph_names


@dataclass
class LoadReport:
    target: str
    method: str
    loaded: list[tuple[str, int]] = field(default_factory=list)  # (graph IRI, triples)
    verified: bool = False  # counted on the server afterwards (needs its query endpoint)


def derive_gsp_url(endpoint: str) -> str | None:
    """Oxigraph and Fuseki put the Graph Store next to the query endpoint."""
    for suffix, store in (("/query", "/store"), ("/sparql", "/data")):
        if endpoint.rstrip("/").endswith(suffix):
            return endpoint.rstrip("/")[: -len(suffix)] + store
    return None


def _request(url: str, data: bytes, method: str, content_type: str, timeout: float,
             auth: tuple[str, str] | None) -> None:
    """One write to the server. With credentials, they are sent as the server asks for them:
    Basic (Fuseki, most proxies) or Digest (Virtuoso's /sparql-graph-crud-auth); never to a
    server that asks for none. The challenge is fetched first by a request without a body
    (HEAD): a server that refuses a large body unauthenticated closes the connection while it is
    still being sent (a broken pipe, not a 401); a server that challenges only the write gets it
    again, answered."""
    req = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": content_type})
    header = None
    if auth:
        header = _authorization(req, _challenge(urllib.request.Request(url, method="HEAD"), timeout), auth)
        if header:
            req.add_unredirected_header("Authorization", header)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            resp.read()
    except urllib.error.HTTPError as exc:  # a server that challenges only the write itself
        if not (auth and header is None and exc.code == 401):
            raise
        retry = _authorization(req, exc.headers.get("WWW-Authenticate", ""), auth)
        if not retry:
            raise
        req.add_unredirected_header("Authorization", retry)
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            resp.read()


def _challenge(probe: urllib.request.Request, timeout: float) -> str:
    """The WWW-Authenticate challenge the server gives a bodiless request, "" if none."""
    try:
        with urllib.request.urlopen(probe, timeout=timeout):
            return ""
    except urllib.error.HTTPError as exc:
        return exc.headers.get("WWW-Authenticate", "") if exc.code == 401 else ""


def _authorization(req: urllib.request.Request, challenge: str, auth: tuple[str, str]) -> str | None:
    """The Authorization header answering a Basic or Digest challenge for `req`; None for none."""
    import base64

    scheme, _, rest = challenge.partition(" ")
    if scheme.lower() == "digest":
        passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        passwords.add_password(None, req.full_url, auth[0], auth[1])
        chal = urllib.request.parse_keqv_list(urllib.request.parse_http_list(rest))
        value = urllib.request.HTTPDigestAuthHandler(passwords).get_authorization(req, chal)
        return f"Digest {value}" if value else None
    token = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode()
    return f"Basic {token}" if scheme.lower() == "basic" else None


def load_dataset(dataset: Dataset, *, endpoint: str | None = None, gsp: str | None = None,
                 update: str | None = None, timeout: float = 120.0,
                 auth: tuple[str, str] | None = None,
                 progress: Callable[[str, int, int], None] | None = None) -> LoadReport:
    from rongcuo_kg.graph.store import check_endpoint_url

    for url, what in ((endpoint, "endpoint"), (gsp, "Graph Store URL"), (update, "Update URL")):
        if url:
            check_endpoint_url(url, what)
    if not gsp and not update:
        gsp = derive_gsp_url(endpoint or "")
        if not gsp:
            raise BadInput("cannot tell the server's Graph Store URL from the endpoint; "
                           "give --gsp URL (Graph Store Protocol) or --update URL (SPARQL Update)")
    names = sorted(iter_graph_names(dataset), key=str)
    report = LoadReport(target=gsp or update or "", method="gsp" if gsp else "update")
    for index, name in enumerate(names, 1):
        graph: Graph = dataset.graph(name)
        nt = graph.serialize(format="nt", encoding="utf-8")
        try:
            if gsp:
                _put(gsp, str(name), nt, timeout, auth)
            else:
                # INSERT … WHERE {}, not INSERT DATA: the ontology's blank nodes are allowed
                # in a template everywhere, in INSERT DATA not by Virtuoso 7
                body = f"DROP SILENT GRAPH <{name}> ;\nINSERT {{ GRAPH <{name}> {{\n"
                body = body.encode() + nt + b"\n} } WHERE {}"
                _request(update, body, "POST", "application/sparql-update", timeout, auth)
        except (urllib.error.URLError, OSError) as exc:
            done = ", ".join(g for g, _ in report.loaded) or "none"
            reason = getattr(exc, "reason", None) or exc
            if isinstance(exc, urllib.error.HTTPError):
                reason = f"HTTP {exc.code} {exc.reason}"
            raise StoreUnavailable(
                f"loading graph <{name}> failed ({reason}); graphs loaded before it: {done}; "
                f"not loaded: {', '.join(str(n) for n in names[index - 1:])}") from None
        report.loaded.append((str(name), len(graph)))
        if progress:
            progress(str(name), index, len(names))
    if endpoint:
        _verify(dataset, report, endpoint, gsp, timeout, auth)
    return report


def _put(gsp: str, name: str, nt: bytes, timeout: float, auth: tuple[str, str] | None) -> None:
    """Replace one named graph whole through the Graph Store Protocol."""
    _request(f"{gsp}?{urllib.parse.urlencode({'graph': name})}", nt, "PUT", "application/n-triples", timeout, auth)


PUT_AGAIN = 5  # times a graph found wrong on the server is put again before the load fails


def _verify(dataset: Dataset, report: LoadReport, endpoint: str, gsp: str | None, timeout: float,
            auth: tuple[str, str] | None) -> None:
    """Ask the server what each graph now holds: a server that answers 200 to anything, or two
    loads that ran at once (their blank nodes doubled), show up as the wrong number of triples.
    A graph loaded through the Graph Store is put again (a PUT replaces it whole) and counted
    again, up to PUT_AGAIN times; still wrong, the load fails naming the graph and both counts."""
    from rongcuo_kg.graph.store import RemoteStore

    server = RemoteStore(endpoint)
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"

    def held(name: str) -> int:
        rows = server.select(count, {"g": URIRef(name)}, timeout=timeout).rows
        return int(rows[0][0]) if rows and rows[0][0] is not None else 0

    import time

    for name, expected in report.loaded:
        found = held(name)
        for attempt in range(PUT_AGAIN if gsp else 0):
            if found == expected:
                break
            time.sleep(0.2 * (attempt + 1))  # another load may be writing the same graph
            _put(gsp, name, dataset.graph(URIRef(name)).serialize(format="nt", encoding="utf-8"), timeout, auth)
            found = held(name)
        if found != expected:
            raise StoreUnavailable(f"after loading, {endpoint} holds {found} triples in <{name}>, not {expected}: "
                                   "the load did not take (is it a SPARQL server? another load at the same time?)")
    report.verified = True


