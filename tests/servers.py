"""Real SPARQL servers on loopback for the tests (Oxigraph, and Virtuoso from Debian's
virtuoso-opensource): each started on free ports with a temporary folder, stopped by its
process id."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path


def oxigraph_binary() -> str:
    exe = Path(sys.executable).parent / "oxigraph"
    if not exe.exists():
        raise RuntimeError(f"oxigraph server binary not found next to {sys.executable}; "
                           "install the test extras (pip install -e '.[test]')")
    return str(exe)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def oxigraph_server(location: Path, union_default_graph: bool = True):
    port = free_port()
    args = [oxigraph_binary(), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"]
    if union_default_graph:
        args.append("--union-default-graph")
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    with serving(proc, f"{base}/query?query=ASK%7B%7D", "oxigraph", 20, lambda: proc.stderr.read().decode()[-500:]):
        yield base


@contextmanager
def serving(proc: subprocess.Popen, probe: str, name: str, wait_s: float, why_exited):
    """Wait until the server answers the probe URL (or say why it exited), then, when the block
    ends, stop it: SIGTERM, SIGKILL if it lingers."""
    try:
        deadline = time.monotonic() + wait_s
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"{name} exited: {why_exited()}")
            try:
                urllib.request.urlopen(probe, timeout=2).read()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{name} did not start within {wait_s:g} s")
                time.sleep(0.1)
        yield
    finally:
        os.kill(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()

VIRTUOSO = "/usr/bin/virtuoso-t"

_VIRTUOSO_INI = """\
[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
MaxClientConnections = 10
CaseMode = 2
DirsAllowed = .
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
ThreadsPerQuery = 2
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {d}
MaxClientConnections = 10
ServerThreads = 10
Charset = UTF-8
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 120
"""


@contextmanager
def virtuoso_server(location: Path):
    """A fresh Virtuoso 7 database in `location`; yields its HTTP base. Its dba account has
    Virtuoso's initial password (dba), which guards the Graph Store at /sparql-graph-crud-auth
    by HTTP Digest authentication; /sparql answers queries without one."""
    if not Path(VIRTUOSO).exists():
        raise RuntimeError(f"{VIRTUOSO} not found: install Debian's virtuoso-opensource (make virtuoso)")
    location.mkdir(parents=True, exist_ok=True)
    http_port, sql_port = free_port(), free_port()
    ini = location / "virtuoso.ini"
    ini.write_text(_VIRTUOSO_INI.format(d=location, sql_port=sql_port, http_port=http_port))
    proc = subprocess.Popen([VIRTUOSO, "+configfile", str(ini), "+foreground"], cwd=location,
                            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{http_port}"
    log = location / "virtuoso.log"
    with serving(proc, f"{base}/sparql?query=ASK%7B%7D", "virtuoso", 60, lambda: log.read_text(errors="replace")[-500:]):
        yield base

@contextmanager
def answering_server(content_type: str, body: bytes):
    """A plain HTTP server on loopback that answers every GET, POST and PUT with `body` (reading
    any request body first) and records each request's path: yields (base URL, paths)."""
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def answer(self):
            hits.append(self.path)
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = do_PUT = answer

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", hits
    finally:
        server.shutdown()
        server.server_close()
