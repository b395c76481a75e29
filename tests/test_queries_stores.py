"""The named queries give the same answers on the embedded store, on rdflib, and on two real
SPARQL servers (Oxigraph, Virtuoso) loaded with `rongcuo-kg load`; parameters stay parameters."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from rongcuo_kg.graph.build import build
from rongcuo_kg.paths import DEFAULT_DATA_DIR
from rongcuo_kg.graph.querylib import list_queries, run_named
from rongcuo_kg.graph.store import OxigraphStore, RdflibStore, RemoteStore, StoreUnavailable

from servers import oxigraph_server, virtuoso_server

CLI = [sys.executable, "-m", "rongcuo_kg.cli"]

# one set of example parameters per named query; every query is run on every store
EXAMPLE_PARAMS = {
    "article_tree": {"measure": "guian"},
    "bodies": {},
    "clause_concepts": {"clause": "https://w3id.org/rongcuo-kg/eli/guian/art_6__para_1__item_5"},
    "clause_detail": {"clause": "https://w3id.org/rongcuo-kg/eli/enforcement/art_11__para_2__item_1"},
    "clause_parents": {"clause": "https://w3id.org/rongcuo-kg/eli/audit/art_7__para_1__item_2__subitem_3"},
    "clauses_for_concept": {"concept": "emergency"},
    "concepts": {},
    "conditions_matrix": {},
    "consequences_matrix": {},
    "exclusions": {},
    "measures": {},
    "principles": {},
    "procedure_steps": {"measure": "guian"},
    "side_by_side": {"a": "guian", "b": "enforcement"},
    "situations_matrix": {},
    "text_search": {"q": "突发事件"},
    "unique_provisions": {"measure": "enforcement"},
}


# rdflib's engine needs over 30 s (side_by_side: over 60 s) for these joins; bench/ reports it
RDFLIB_TOO_SLOW = {"side_by_side", "unique_provisions"}


def cli(*args: str, check: bool = False, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, input=stdin, check=check,
                          timeout=120)


@pytest.fixture(scope="module")
def built():
    return build(DEFAULT_DATA_DIR)


@pytest.fixture(scope="module")
def embedded(built):
    return OxigraphStore.from_dataset(built.dataset)


@pytest.fixture(scope="module")
def rdflib_store():
    return RdflibStore(build(DEFAULT_DATA_DIR).dataset)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as base:
        cli("load", "--endpoint", f"{base}/query", check=True)
        yield base


@pytest.fixture(scope="module")
def remote(server):
    return RemoteStore(f"{server}/query")


def test_every_named_query_has_example_parameters():
    """Each query file in rongcuo_kg/queries/ is exercised below."""
    assert sorted(q.name for q in list_queries()) == sorted(EXAMPLE_PARAMS)


@pytest.mark.parametrize("name", sorted(EXAMPLE_PARAMS))
def test_named_query_same_on_embedded_server_and_rdflib(name, embedded, remote, rdflib_store):
    """The embedded store, the SPARQL server and rdflib answer every named query identically."""
    params = EXAMPLE_PARAMS[name]
    a = run_named(embedded, name, params)
    b = run_named(remote, name, params)
    assert a.rows, f"{name} returned no rows on the embedded store"
    assert a.columns == b.columns
    assert a.sorted_rows() == b.sorted_rows()
    if name not in RDFLIB_TOO_SLOW:
        c = run_named(rdflib_store, name, params)
        assert a.columns == c.columns
        assert a.sorted_rows() == c.sorted_rows()


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory):
    """Virtuoso 7 loaded the way its users load it: through its authenticated Graph Store
    (HTTP Digest), the load counted on its query endpoint afterwards."""
    with virtuoso_server(tmp_path_factory.mktemp("virtuoso")) as base:
        cli("load", "--endpoint", f"{base}/sparql", "--gsp", f"{base}/sparql-graph-crud-auth",
            "--auth", "dba:dba", check=True)
        yield base


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", sorted(EXAMPLE_PARAMS))
def test_named_query_same_on_virtuoso(name, lang, embedded, virtuoso):
    """Every named query gives Virtuoso's rows identical to the embedded store's, in both label
    languages (the queries are written in SPARQL both engines read alike: docs/ARCHITECTURE.md)."""
    params = EXAMPLE_PARAMS[name]
    a = run_named(embedded, name, params, lang=lang)
    b = run_named(RemoteStore(f"{virtuoso}/sparql"), name, params, lang=lang)
    assert a.rows, f"{name} returned no rows on the embedded store"
    assert a.columns == b.columns
    assert a.sorted_rows() == b.sorted_rows()


@pytest.mark.parametrize("args", [
    ["find", "防汛时来不及请示就把群众转移了"],
    ["validate", "tests/cases/guian.csv", "--json"],
    ["compare", "guian", "enforcement"],
    ["matrix", "--kind", "situation"],
    ["show", "guian", "6"],
], ids=["find", "validate", "compare", "matrix", "show"])
def test_the_commands_say_the_same_on_virtuoso(args, virtuoso):
    """What an officer, a reviewer and a researcher run gives the same output on Virtuoso as on
    the embedded store (the internal queries of finder, validator and comparison included)."""
    args = [str(Path(__file__).parent / a[len("tests/"):]) if a.startswith("tests/") else a for a in args]
    on_server = cli(*args, "--endpoint", f"{virtuoso}/sparql")
    embedded_out = cli(*args)
    assert on_server.returncode == embedded_out.returncode
    assert on_server.stdout == embedded_out.stdout and embedded_out.stdout


def test_a_wrong_password_for_the_graph_store_is_one_line_exit_3(virtuoso):
    """The server refuses the credentials: exit 3, one line naming the graph and the refusal;
    nothing on the server changes."""
    store = RemoteStore(f"{virtuoso}/sparql")
    per_graph = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    before = store.select(per_graph).sorted_rows()
    out = cli("load", "--endpoint", f"{virtuoso}/sparql", "--gsp", f"{virtuoso}/sparql-graph-crud-auth",
              "--auth", "dba:not-the-password")
    assert out.returncode == 3 and "HTTP 401" in out.stderr
    assert "Traceback" not in out.stderr and len(out.stderr.strip().splitlines()[-1]) > 0
    assert store.select(per_graph).sorted_rows() == before


def test_basic_credentials_go_only_to_a_server_that_asks_for_them():
    """A Graph Store behind Basic authentication (Fuseki's way): the load answers its challenge and
    every graph arrives; a server that asks for nothing never sees the password."""
    import base64
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    seen: list[tuple[str, str | None]] = []

    def server(challenging: bool):
        class Handler(BaseHTTPRequestHandler):
            def _answer(self, code: int, challenge: bool = False):
                self.send_response(code)
                if challenge:
                    self.send_header("WWW-Authenticate", 'Basic realm="store"')
                self.send_header("Content-Length", "0")
                self.end_headers()

            def do_HEAD(self):
                seen.append(("HEAD", self.headers.get("Authorization")))
                self._answer(401 if challenging else 200, challenging)

            def do_PUT(self):
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                got = self.headers.get("Authorization")
                seen.append(("PUT", got))
                ok = not challenging or got == "Basic " + base64.b64encode(b"ed:pw").decode()
                self._answer(204 if ok else 401, not ok)

            def log_message(self, *args):
                pass

        httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        return httpd

    for challenging in (True, False):
        seen.clear()
        httpd = server(challenging)
        try:
            out = cli("load", "--gsp", f"http://127.0.0.1:{httpd.server_port}/store", "--auth", "ed:pw")
        finally:
            httpd.shutdown()
        assert out.returncode == 0, out.stderr
        puts = [a for m, a in seen if m == "PUT"]
        assert len(puts) == 4
        assert all(a and a.startswith("Basic ") for a in puts) if challenging else all(a is None for a in puts)


def test_loading_by_sparql_update_leaves_the_built_triples(tmp_path, built):
    """Without a Graph Store, `load --update` replaces each graph by DROP + INSERT (the
    ontology's blank nodes included) and counts them on the server afterwards."""
    with oxigraph_server(tmp_path / "oxigraph") as base:
        out = cli("load", "--endpoint", f"{base}/query", "--update", f"{base}/update", "--json")
        assert out.returncode == 0, out.stderr
        assert json.loads(out.stdout)["verified"] is True
        per_graph = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        held = {r[0]: r[1] for r in RemoteStore(f"{base}/query").select(per_graph).rows}
    assert held == {str(g.identifier): len(g) for g in built.dataset.graphs() if len(g)}


def test_labels_follow_the_language(embedded):
    """Labels are Chinese by default and English with lang=en."""
    zh = run_named(embedded, "situations_matrix").as_dicts()
    en = run_named(embedded, "situations_matrix", lang="en").as_dicts()
    emergency_zh = {r["conceptLabel"] for r in zh if r["concept"] == "emergency"}
    emergency_en = {r["conceptLabel"] for r in en if r["concept"] == "emergency"}
    assert emergency_zh and all(any("\u4e00" <= ch <= "\u9fff" for ch in s) for s in emergency_zh)
    assert emergency_en and all(s.isascii() for s in emergency_en)


def test_conditions_matrix_cites_the_condition_items(embedded):
    """guian Art 7 item 2 requires a democratic decision; enforcement's conditions are Art 11 para 2."""
    rows = {(r["measureId"], r["concept"], r["ref"])
            for r in run_named(embedded, "conditions_matrix").as_dicts()}
    assert ("guian", "democratic_decision", "7.2") in rows
    assert ("audit", "no_improper_benefit", "8.3") in rows
    assert ("enforcement", "not_prohibited", "11.p2.1") in rows
    assert not any(m == "enforcement" and c == "democratic_decision" for m, c, _ in rows)


def test_clauses_for_concept_follows_narrower_concepts(embedded):
    """Asking for the seven tests finds the 目 of audit Art 7 item 2 linked to each narrower test."""
    rows = run_named(embedded, "clauses_for_concept", {"concept": "seven_tests"}).as_dicts()
    refs = {r["ref"] for r in rows if r["measureId"] == "audit"}
    assert {"7.2.1", "7.2.7"} <= refs


def test_article_tree_is_in_document_order(embedded):
    """The tree lists chapter 1 before article 1, and article 6's items in order."""
    rows = run_named(embedded, "article_tree", {"measure": "guian"}).as_dicts()
    refs = [r["ref"] for r in rows if r["ref"]]
    assert rows[0]["kind"] == "chapter" and rows[0]["heading"] == "总则"
    assert refs.index("6.1") < refs.index("6.5") < refs.index("6.8") < refs.index("7")


def test_procedure_steps_follow_the_clauses_and_their_wording(embedded):
    """guian Art 8: apply (item 1), investigate then hear the person (item 2: "调查核实……充分听取
    ……解释和说明"), decide before reporting for approval (item 3: "认定反馈……报批")."""
    rows = run_named(embedded, "procedure_steps", {"measure": "guian"}).as_dicts()
    steps = [r["step"] for r in rows if r["ref"].startswith("8.")]
    assert steps[:3] == ["application", "investigation", "hearing"]
    assert steps.index("determination") < steps.index("approval") < steps.index("notification")


def test_text_search_returns_the_most_specific_clause(embedded):
    """'日内告知' is found in enforcement Art 14's single paragraph, not also in the article."""
    rows = run_named(embedded, "text_search", {"q": "日内告知"}).as_dicts()
    assert [(r["measureId"], r["ref"]) for r in rows] == [("enforcement", "14.p1")]


@pytest.mark.parametrize("needle", ['"} ; DROP ALL #', "'} . ?s ?p ?o #", '\\" ) } UNION { ?s ?p ?o'])
def test_a_search_string_stays_a_search(needle, embedded, remote):
    """Injection attempts are searched for literally: no rows, and the data is untouched."""
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    before = (embedded.select(count).rows, remote.select(count).rows)
    for store in (embedded, remote):
        assert run_named(store, "text_search", {"q": needle}).rows == []
    assert (embedded.select(count).rows, remote.select(count).rows) == before


def test_loading_twice_leaves_the_same_triples(server, built):
    """Each graph is replaced whole: a second load changes nothing."""
    store = RemoteStore(f"{server}/query")
    per_graph = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    first = store.select(per_graph).sorted_rows()
    out = cli("load", "--endpoint", f"{server}/query", "--json", check=True)
    report = json.loads(out.stdout)
    assert store.select(per_graph).sorted_rows() == first
    expected = {str(g.identifier): len(g) for g in built.dataset.graphs() if len(g)}
    assert {r[0]: r[1] for r in first} == expected
    assert {g["graph"] for g in report["graphs"]} == set(expected)
    assert report["verified"] is True  # counted on the server afterwards


def test_concurrent_loads_leave_the_triples_of_one(server, built):
    """Three loads at once into the same server: every graph holds what one load gives (the
    counts are checked afterwards and a graph the loads garbled is put again)."""
    import concurrent.futures

    with concurrent.futures.ThreadPoolExecutor(3) as pool:
        runs = list(pool.map(lambda _: cli("load", "--endpoint", f"{server}/query"), range(3)))
    assert all(r.returncode == 0 for r in runs), [r.stderr for r in runs]
    store = RemoteStore(f"{server}/query")
    per_graph = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    expected = {str(g.identifier): len(g) for g in built.dataset.graphs() if len(g)}
    assert {r[0]: r[1] for r in store.select(per_graph).rows} == expected


def test_a_server_that_answers_200_to_anything_is_not_reported_as_loaded():
    """A web server that takes every PUT and answers every query with a page: the load is checked
    on the server afterwards and fails, exit 3, naming what came back."""
    from servers import answering_server

    with answering_server("text/html", b"<html>OK</html>") as (url, _hits):
        out = cli("load", "--endpoint", f"{url}/query")
    assert out.returncode == 3 and "not SPARQL results" in out.stderr and "Traceback" not in out.stderr


def test_load_to_a_dead_server_says_what_was_loaded():
    """No server at the address: exit 3, and the message says no graph was loaded."""
    from servers import free_port

    port = free_port()
    out = cli("load", "--endpoint", f"http://127.0.0.1:{port}/query")
    assert out.returncode == 3
    assert "graphs loaded before it: none" in out.stderr
    assert "Traceback" not in out.stderr


def test_query_json_contract(server):
    """`query NAME --format json` gives columns and rows, from the server as from the embedded store."""
    local = json.loads(cli("query", "conditions_matrix", "--format", "json", check=True).stdout)
    remote = json.loads(cli("query", "conditions_matrix", "--format", "json", "--endpoint",
                            f"{server}/query", check=True).stdout)
    assert set(local) >= {"columns", "rows"}
    assert local["columns"] == remote["columns"]
    assert sorted(map(json.dumps, local["rows"])) == sorted(map(json.dumps, remote["rows"]))


def test_endpoint_from_environment(server):
    """RONGCUO_SPARQL_ENDPOINT switches the commands to the server."""
    import os

    env = {**os.environ, "RONGCUO_SPARQL_ENDPOINT": f"{server}/query"}
    out = subprocess.run([*CLI, "show", "guian", "6.5", "--json"], capture_output=True, text=True,
                         env=env, check=True)
    assert json.loads(out.stdout)["iri"].endswith("/guian/art_6__para_1__item_5")


def test_query_list_json_contract():
    """`query --list --json` lists name, title and params of every query."""
    listed = json.loads(cli("query", "--list", "--json", check=True).stdout)
    names = {q["name"] for q in listed}
    assert {"conditions_matrix", "situations_matrix", "text_search", "side_by_side"} <= names
    for q in listed:
        assert set(q) >= {"name", "title", "params"}
        assert q["title"]


@pytest.mark.parametrize("args, needle", [
    (["query", "no_such_query"], "known: article_tree"),
    (["query", "text_search"], "needs parameter 'q'"),
    (["query", "text_search", "--param", "q=x", "--param", "bogus=1"], "has no parameter bogus"),
    (["query", "text_search", "--param", "qx"], "NAME=VALUE"),
    (["query", "unique_provisions", "--param", "measure=nowhere"], "unknown measure 'nowhere'"),
    (["query", "text_search", "--param", "q="], "parameter 'q' is empty"),
    (["query", "text_search", "--param", "q=a", "--param", "q=b"], "given twice"),
    (["sparql", "SELECT * WHERE { ?s ?p }"], "malformed SPARQL at line 1, column"),
    (["sparql", "SELECT * WHERE {\n  ?s ?p ?o .\n  FILTER(?s = ) }"], "at line 3, column"),
    (["sparql", "SELECT * WHERE { ?s nope:x ?o }"], "nope"),
    (["sparql", "no_such_file.rq"], "no such query file"),
    (["query", "measures", "--endpoint", "ftp://example.org/sparql"], "endpoint"),
    (["--data", "/no/such/folder", "query", "measures"], "/no/such/folder"),
    (["sparql", "DROP ALL"], "UPDATE"),
    (["sparql", "LOAD <http://example.org/x.ttl>"], "UPDATE"),
    (["sparql", "INSERT DATA { <urn:a> <urn:b> <urn:c> }"], "UPDATE"),
    (["sparql", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"], "SERVICE"),
])
def test_bad_queries_exit_2_with_one_line(args, needle):
    """Unknown names and parameters, malformed or writing SPARQL: one line, exit 2."""
    out = cli(*args)
    assert out.returncode == 2, out.stderr
    assert needle in out.stderr
    assert "Traceback" not in out.stderr and len(out.stderr.strip().splitlines()) == 1


def test_free_query_with_row_limit():
    """A free SELECT is answered, cut at the row limit, and says so."""
    out = cli("sparql", "SELECT ?s WHERE { ?s ?p ?o }", "--limit", "5", "--format", "json", check=True)
    data = json.loads(out.stdout)
    assert len(data["rows"]) == 5 and data["truncated"] is True


def test_free_query_from_stdin():
    """`sparql -` reads the query from standard input."""
    out = cli("sparql", "-", "--format", "csv", check=True,
              stdin="PREFIX eli: <http://data.europa.eu/eli/ontology#>\n"
                    "SELECT ?id WHERE { ?m eli:id_local ?id } ORDER BY ?id")
    assert out.stdout.split() == ["id", "audit", "enforcement", "guian"]


def test_a_slow_query_times_out_within_the_timeout():
    """A query still running at the timeout: exit 3, said within about the timeout."""
    heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    start = time.monotonic()
    out = cli("sparql", heavy, "--timeout", "1")
    elapsed = time.monotonic() - start
    assert out.returncode == 3 and "timed out after 1 s" in out.stderr
    assert elapsed < 15  # the process start and graph build included


def test_unreachable_endpoint_exits_3():
    """A closed port: exit 3 with the endpoint named, never a traceback."""
    from servers import free_port

    url = f"http://127.0.0.1:{free_port()}/query"
    out = cli("query", "measures", "--endpoint", url, "--timeout", "5")
    assert out.returncode == 3 and url in out.stderr and "Traceback" not in out.stderr
    with pytest.raises(StoreUnavailable):
        RemoteStore(url).select("SELECT * WHERE { ?s ?p ?o } LIMIT 1", timeout=5)


def test_persistent_store_reused_and_refreshed(tmp_path):
    """`--store DIR` fills the folder once, reuses it, and rebuilds when the corpus changes."""
    import shutil

    data = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, data)
    store_dir = tmp_path / "store"
    args = ["query", "measures", "--format", "json", "--data", str(data), "--store", str(store_dir)]
    first = json.loads(cli(*args, check=True).stdout)
    assert [r[0] for r in first["rows"]] == ["audit", "enforcement", "guian"]
    assert any(store_dir.iterdir())
    meta = json.loads((data / "corpus" / "audit.json").read_text(encoding="utf-8"))
    meta["status"] = "已废止"
    (data / "corpus" / "audit.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    second = json.loads(cli(*args, check=True).stdout)
    cols = second["columns"]
    audit = next(r for r in second["rows"] if r[0] == "audit")
    assert audit[cols.index("status")] == "已废止"


def test_server_is_plain_http_sparql(server):
    """The loaded server answers an ordinary SPARQL protocol GET (what other tools would send)."""
    url = f"{server}/query?query=" + urllib.request.quote(
        "SELECT (COUNT(*) AS ?n) WHERE { ?s a <http://data.europa.eu/eli/ontology#LegalResource> }")
    req = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    data = json.loads(urllib.request.urlopen(req, timeout=10).read())
    assert data["results"]["bindings"][0]["n"]["value"] == "3"


def test_store_path_is_a_path(tmp_path):
    """A store folder that cannot be created is reported, not a traceback."""
    blocker = tmp_path / "file"
    blocker.write_text("x")
    out = cli("query", "measures", "--store", str(blocker / "sub"))
    assert out.returncode in (2, 3) and "Traceback" not in out.stderr
    assert Path(blocker).read_text() == "x"


def _quads(ox_store) -> set:
    import pyoxigraph as ox

    return {q for q in ox_store if not isinstance(q.subject, ox.BlankNode)
            and not isinstance(q.object, ox.BlankNode)}


@pytest.mark.parametrize("corpus", ["real", "synthetic"])
def test_store_filled_directly_holds_the_built_dataset(corpus, tmp_path):
    """The embedded store is filled without an rdflib Dataset (fast path); it must hold exactly
    the quads `rongcuo-kg build` makes, graph by graph."""
    import pyoxigraph as ox

    from rongcuo_kg.graph.storebuild import fill_store
    from rongcuo_kg.adding.synth import generate

    data = DEFAULT_DATA_DIR
    if corpus == "synthetic":
        data = tmp_path / "synth"
        generate(DEFAULT_DATA_DIR, data, 12, seed=3)
    direct = ox.Store()
    fill_store(direct, data)
    via_rdflib = OxigraphStore.from_dataset(build(data).dataset).store
    assert len(direct) == len(via_rdflib)
    assert _quads(direct) == _quads(via_rdflib)


def test_a_disk_store_leaves_out_a_measure_whose_file_turns_bad(tmp_path):
    """An annotation file with a syntax error: the store is filled again without that measure,
    a warning names file and line, and the other measures answer (one broken file never takes
    the corpus down)."""
    import shutil

    data = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, data)
    store_dir = tmp_path / "store"
    args = ["query", "measures", "--format", "json", "--data", str(data), "--store", str(store_dir)]
    cli(*args, check=True)
    (data / "annotations" / "audit.ttl").write_text("@prefix x: <urn:x#> .\nx:a x:b \"open .\n",
                                                    encoding="utf-8")
    res = cli(*args)
    assert res.returncode == 0 and "audit.ttl:2" in res.stderr and "Traceback" not in res.stderr
    kept = OxigraphStore(store_dir)
    assert kept.select("SELECT (COUNT(*) AS ?n) WHERE { ?m a <http://data.europa.eu/eli/ontology#LegalResource> }"
                       ).rows == [[2]]


def test_a_store_folder_in_use_is_said_plainly(tmp_path):
    """An on-disk store is one process's at a time: a second one is told so, exit 3."""
    import pyoxigraph as ox

    folder = tmp_path / "store"
    held = ox.Store(str(folder))  # this test process holds the folder's lock
    try:
        out = cli("query", "measures", "--store", str(folder))
    finally:
        del held
    assert out.returncode == 3 and "is in use by another process" in out.stderr
    assert "Traceback" not in out.stderr and len(out.stderr.strip().splitlines()) == 1


def test_a_server_that_never_answers_is_said_within_the_wait(monkeypatch):
    """A server that accepts connections and never replies: the finder's index load (which sets
    no timeout of its own) ends with exit 3 after $RONGCUO_SPARQL_WAIT_S, not a hang."""
    import os
    import socket
    import threading

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    held = []

    def accept():
        while True:
            try:
                held.append(listener.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/query"
    start = time.monotonic()
    try:
        out = subprocess.run([*CLI, "matrix", "--endpoint", url], capture_output=True, text=True, timeout=60,
                             env={**os.environ, "RONGCUO_SPARQL_WAIT_S": "2"})
    finally:
        listener.close()
    assert out.returncode == 3 and "timed out after 2 s" in out.stderr
    assert time.monotonic() - start < 30


@pytest.mark.parametrize("kind, body", [
    ("text/html", b"<html><body>Welcome</body></html>"),
    ("application/sparql-results+json", b'{"head": {"vars": ["x"]}, "results": {"bindings": ['),
    ("application/octet-stream", bytes(range(256))),
    ("application/json", b'{"hello": "world"}'),
])
def test_an_endpoint_that_answers_no_sparql_results_is_one_line_exit_3(kind, body):
    """A server on loopback that answers every query with an HTML page, broken JSON, binary data or
    JSON that is no result set: exit 3, one line naming the endpoint and what came back."""
    from servers import answering_server

    with answering_server(kind, body) as (url, _hits):
        endpoint = f"{url}/sparql"
        res = cli("query", "measures", "--endpoint", endpoint)
    assert res.returncode == 3 and "Traceback" not in res.stderr
    assert endpoint in res.stderr and "not SPARQL results" in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1


def test_a_query_past_its_time_limit_stops_working_not_only_waiting(embedded):
    """A cartesian product with no row limit, given one second: the caller is told at the limit,
    and the evaluation stops soon after — no thread left busy behind the message."""
    import threading
    import time

    from rongcuo_kg.graph.store import StoreUnavailable

    started = time.monotonic()
    with pytest.raises(StoreUnavailable):
        embedded.select("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", timeout=1.0, limit=None)
    assert time.monotonic() - started < 3
    deadline = time.monotonic() + 5
    while any(t.name == "rongcuo-query" and t.is_alive() for t in threading.enumerate()):
        assert time.monotonic() < deadline, "the query still runs after its time limit"
        time.sleep(0.1)


def test_a_damaged_store_folder_is_one_line_exit_3(tmp_path):
    """A --store folder whose RocksDB files are garbage: one line saying it is damaged and what to
    do, exit 3 (was a RuntimeError traceback)."""
    folder = tmp_path / "store"
    folder.mkdir()
    (folder / "CURRENT").write_text("garbage\n", encoding="utf-8")
    (folder / "MANIFEST-000001").write_text("x\n", encoding="utf-8")
    res = cli("query", "measures", "--store", str(folder))
    assert res.returncode == 3 and "damaged" in res.stderr and "Traceback" not in res.stderr


def test_a_typed_query_past_its_time_limit_is_stopped_even_a_count_over_a_huge_join():
    """A query typed on the SPARQL page (run_free) on the embedded store runs in a process of its
    own, killed at the limit: a COUNT over a cartesian product (which evaluates wholly before its
    first answer) is stopped, and no process or thread is left working."""
    import multiprocessing
    import threading
    import time

    from rongcuo_kg.graph.connect import open_store
    from rongcuo_kg.graph.querylib import run_free
    from rongcuo_kg.graph.store import StoreUnavailable

    store = open_store()
    assert run_free(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0][0] > 1000
    started = time.monotonic()
    with pytest.raises(StoreUnavailable, match="timed out"):
        run_free(store, "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", timeout=1.0)
    assert time.monotonic() - started < 5
    assert multiprocessing.active_children() == []
    assert not any(t.name == "rongcuo-query" and t.is_alive() for t in threading.enumerate())
