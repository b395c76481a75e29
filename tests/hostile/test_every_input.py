"""The adversarial list of issue 16, one test per hostile input, so that none comes back.

Each input is given to the command a user would run, in a new process held to 2 GiB of address
space (the inputs of the list once took 2.2 to 6 GB). Every one must end the same way: its
documented exit code (2 a bad input, 3 a store or server that failed), one line that says what
is wrong (argparse's own line for a bad option), never a traceback; where the input could have
left its mark (the corpus, a file, a server), the test looks there too.

Deeper tests of the same behaviour stay beside their capability (tests/test_ingest.py,
test_validate.py, test_queries_stores.py, test_app.py); README.md in this folder maps them.
"""

from __future__ import annotations

import json
import os
import re
import resource
import shutil
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from rongcuo_kg.paths import DEFAULT_DATA_DIR

from hostile import files
from servers import answering_server, free_port

TESTS = Path(__file__).resolve().parent.parent
GUIAN_CASES = TESTS / "cases" / "guian.csv"
MEMORY_CAP = 2 * 1024 ** 3
PROGRESS = re.compile(r"\[\d+/\d+\] ")  # load's progress lines
EXIT_BAD_INPUT, EXIT_STORE = 2, 3


def _capped() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def run(*args: str) -> subprocess.CompletedProcess:
    """The CLI in a new process under the memory cap (a guard against a hang: 300 s)."""
    return subprocess.run([sys.executable, "-m", "rongcuo_kg.cli", *args], capture_output=True, text=True,
                          preexec_fn=_capped, timeout=300)


def said_in_one_line(res: subprocess.CompletedProcess) -> str:
    """The error, which must be one line: the command's own ("rongcuo-kg: …") or argparse's."""
    assert "Traceback" not in res.stderr and "MemoryError" not in res.stderr, res.stderr[-2000:]
    lines = [x for x in res.stderr.splitlines()
             if x.strip() and not x.startswith(("warning:", "用法 usage:", " ")) and not PROGRESS.match(x)]
    assert len(lines) == 1, res.stderr
    return lines[0]


def refused(res: subprocess.CompletedProcess, code: int, *needles: str) -> None:
    line = said_in_one_line(res)
    assert res.returncode == code, (res.returncode, line)
    for needle in needles:
        assert needle in line, line


@pytest.fixture()
def data(tmp_path) -> Path:
    """A copy of the corpus folder: what a hostile input may not leave unusable."""
    d = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, d)
    return d


def corpus_still_works(data: Path) -> None:
    for args in (["build", "--out", str(data.parent / "check.trig")], ["find", "突发事件"], ["stats"]):
        res = run(*args, "--data", str(data)) if args[0] != "stats" else run("--data", str(data), "stats")
        assert res.returncode == 0, res.stderr


@pytest.fixture()
def listening():
    """A loopback HTTP server that records every request: user input must never reach it."""
    with answering_server("application/ld+json", b'{"@context": {}}') as (url, hits):
        yield url, hits


@pytest.fixture()
def silent_port():
    """A port that accepts connections and never answers (the hanging context of the issue)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    held = []
    stop = threading.Event()

    def accept():
        sock.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(sock.accept()[0])
            except OSError:
                continue

    t = threading.Thread(target=accept, daemon=True)
    t.start()
    yield sock.getsockname()[1], held
    stop.set()
    t.join()
    for c in held:
        c.close()
    sock.close()


MEASURE_HEAD = "某县容错纠错实施办法\n\n"


# ---- 1. a poisoned corpus ------------------------------------------------------------------

def test_1_one_article_of_a_thousand_paragraphs_is_added_and_every_command_still_works(data, tmp_path):
    source = tmp_path / "long.txt"
    source.write_text(MEASURE_HEAD + "第一条 有下列情形之一的，可以容错：\n（一）先行先试出现失误的；\n"
                      "（二）因不可抗力造成损失的。\n第二条 有下列情形之一的，不予容错：（一）谋取私利的。\n"
                      + "".join(f"第{i}段说明。\n" for i in range(1, 1000)), encoding="utf-8")
    res = run("ingest", str(source), "--id", "longpara", "--data", str(data))
    assert res.returncode == 0 and "Traceback" not in res.stderr, res.stderr
    shown = run("show", "longpara", "2.p1000", "--data", str(data))
    assert shown.returncode == 0 and "第二条第一千款" in shown.stdout
    corpus_still_works(data)


def test_1_a_text_of_1005_articles_keeps_all_1005(data, tmp_path):
    from rongcuo_kg.text.numerals import to_chinese

    source = tmp_path / "many.txt"
    source.write_text(MEASURE_HEAD + "第一条 有下列情形之一的，可以容错：（一）先行先试出现失误的。\n"
                      + "".join(f"第{to_chinese(i)}条 第{i}条的内容。\n" for i in range(2, 1006)), encoding="utf-8")
    assert run("ingest", str(source), "--id", "many", "--data", str(data)).returncode == 0
    shown = run("show", "many", "1005", "--data", str(data))
    assert shown.returncode == 0 and "第一千零五条" in shown.stdout and "第1005条的内容" in shown.stdout
    corpus_still_works(data)


def test_1_a_broken_measure_already_in_the_folder_is_left_out_and_the_rest_works(data):
    (data / "annotations" / "audit.ttl").write_text('@prefix x: <urn:x#> .\nx:a x:b "open .\n', encoding="utf-8")
    res = run("find", "突发事件", "--data", str(data))
    assert res.returncode == 0 and "audit.ttl" in res.stderr and "Traceback" not in res.stderr
    assert "《" in res.stdout


# ---- 2. user files never reach the network or the disk -----------------------------------

@pytest.mark.parametrize("shape", ["@context", "@import", "context list"])
def test_2_a_jsonld_register_naming_a_context_by_address_is_refused_unfetched(tmp_path, listening, shape):
    url, hits = listening
    ctx = {"@context": f"{url}/c.jsonld", "@import": {"@import": f"{url}/c.jsonld"},
           "context list": [{"rc": "urn:rc#"}, f"{url}/c.jsonld"]}[shape]
    register = tmp_path / "r.jsonld"
    register.write_text(json.dumps({"@context": ctx, "@id": "urn:case:1"}), encoding="utf-8")
    refused(run("validate", str(register)), EXIT_BAD_INPUT, "r.jsonld")
    assert hits == []


def test_2_a_file_context_is_refused_and_the_line_says_nothing_of_the_file(tmp_path):
    lines = []
    for target in ("file:///etc/passwd", "file:///no/such/file"):
        register = tmp_path / "r.jsonld"
        register.write_text(json.dumps({"@context": target, "@id": "urn:case:1"}), encoding="utf-8")
        res = run("validate", str(register))
        refused(res, EXIT_BAD_INPUT)
        lines.append(said_in_one_line(res).replace(target, ""))
    assert lines[0] == lines[1]


def test_2_a_context_address_that_never_answers_does_not_hang_validate(tmp_path, silent_port):
    port, held = silent_port
    register = tmp_path / "r.jsonld"
    register.write_text(json.dumps({"@context": f"http://127.0.0.1:{port}/c", "@id": "urn:case:1"}),
                        encoding="utf-8")
    refused(run("validate", str(register)), EXIT_BAD_INPUT)
    assert held == []


def test_2_a_turtle_register_with_base_and_imports_makes_no_request(tmp_path, listening):
    url, hits = listening
    register = tmp_path / "r.ttl"
    register.write_text(f"@base <{url}/> .\n<x> <http://www.w3.org/2002/07/owl#imports> <{url}/more.ttl> .\n",
                        encoding="utf-8")
    res = run("validate", str(register))
    assert "Traceback" not in res.stderr and res.returncode in (0, 1, 2)
    assert hits == []


def test_2_a_workbook_linking_to_another_makes_no_request(tmp_path, listening):
    url, hits = listening
    res = run("validate", str(files.xlsx_external_link(tmp_path, url)))
    assert "Traceback" not in res.stderr and res.returncode in (0, 1)
    assert hits == []


# ---- 3. bounded work -------------------------------------------------------------------------

def test_3_a_cartesian_query_is_stopped_at_its_time_limit():
    res = run("sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", "--timeout", "1")
    refused(res, EXIT_STORE, "timed out")


# ---- 4. size limits ----------------------------------------------------------------------

def test_4_a_workbook_of_too_many_rows_is_refused(tmp_path):
    import openpyxl

    from rongcuo_kg.cases.records import MAX_XLSX_ROWS

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("cases")
    ws.append(["case_id", "measure", "subject", "date", "situations", "issue_key", "description"])
    for i in range(MAX_XLSX_ROWS):
        ws.append([f"C{i}", "guian", "某局", "2024-01-01", "emergency", "k", "d"])
    wb.save(tmp_path / "long.xlsx")
    refused(run("validate", str(tmp_path / "long.xlsx")), EXIT_BAD_INPUT, "long.xlsx")


@pytest.mark.parametrize("make, command", [("docx_bomb", "ingest"), ("xlsx_bomb", "validate")])
def test_4_a_zip_bomb_is_refused(data, tmp_path, make, command):
    source = getattr(files, make)(tmp_path)
    args = ["ingest", str(source), "--id", "bomb", "--data", str(data)] if command == "ingest" else ["validate", str(source)]
    refused(run(*args), EXIT_BAD_INPUT, source.name)
    assert not (data / "corpus" / "bomb.txt").exists()


def test_4_a_pdf_longer_than_any_measure_is_refused(data, tmp_path):
    refused(run("ingest", str(files.long_pdf(tmp_path)), "--id", "long", "--data", str(data)), EXIT_BAD_INPUT)


# ---- 5. formulas in reports ------------------------------------------------------------

def test_5_a_formula_in_a_register_is_never_a_formula_in_its_reports(tmp_path):
    import csv

    import openpyxl

    register = tmp_path / "r.csv"
    register.write_text("case_id,measure,subject,date,situations,issue_key,description\n"
                        "=cmd|' /C calc'!A0,guian,@x,2024-01-02,emergency,+1,-y\n", encoding="utf-8")
    res = run("validate", str(register), "--csv", str(tmp_path / "o.csv"), "--xlsx", str(tmp_path / "o.xlsx"))
    assert res.returncode in (0, 1) and "Traceback" not in res.stderr
    cells = [c for row in csv.reader((tmp_path / "o.csv").open(encoding="utf-8")) for c in row[:1]][1:]
    assert cells and set(cells) == {"'=cmd|' /C calc'!A0"}
    sheet = openpyxl.load_workbook(tmp_path / "o.xlsx").active
    assert sheet["A2"].value == "=cmd|' /C calc'!A0" and sheet["A2"].data_type == "s"


# ---- 7. tracebacks and exit codes -----------------------------------------------------------

@pytest.mark.parametrize("make", ["locked_pdf", "docx_laughs"])
def test_7_a_locked_pdf_or_an_entity_bomb_in_word_is_one_line(data, tmp_path, make):
    refused(run("ingest", str(getattr(files, make)(tmp_path)), "--id", "bad", "--data", str(data)), EXIT_BAD_INPUT)


def test_7_an_entity_bomb_in_a_workbook_is_one_line(tmp_path):
    refused(run("validate", str(files.xlsx_laughs(tmp_path))), EXIT_BAD_INPUT, "laughs.xlsx")


@pytest.mark.parametrize("size", ["nan", "inf"])
def test_7_a_size_limit_that_is_no_size(size):
    refused(run("validate", str(GUIAN_CASES), "--max-size", size), EXIT_BAD_INPUT, "--max-size")


def test_7_a_damaged_store_folder(tmp_path):
    store = tmp_path / "store"
    assert run("query", "measures", "--store", str(store)).returncode == 0
    for f in store.rglob("*"):
        if f.is_file() and f.stat().st_size > 0 and f.suffix != ".json":
            f.write_bytes(b"\x00garbage" * 64)
    refused(run("query", "measures", "--store", str(store)), EXIT_STORE)


@pytest.mark.parametrize("kind, body", [("text/html", b"<html>hello</html>"),
                                        ("application/sparql-results+json", b'{"head": {'),
                                        ("application/octet-stream", bytes(range(256)))])
def test_7_an_endpoint_answering_no_sparql_results(kind, body):
    with answering_server(kind, body) as (url, _hits):
        refused(run("query", "measures", "--endpoint", f"{url}/query"), EXIT_STORE, url)


# ---- 8. loads ---------------------------------------------------------------------------

def test_8_a_server_that_answers_200_to_anything_is_not_reported_as_loaded():
    with answering_server("text/html", b"<html>OK</html>") as (url, _hits):
        refused(run("load", "--endpoint", f"{url}/query"), EXIT_STORE)


# ---- 9. files outside the corpus and over inputs -------------------------------------------

def test_9_review_never_takes_a_path(data):
    refused(run("review", "../../../trav/suggested/evil", "--accept", "1", "--data", str(data)),
            EXIT_BAD_INPUT, "no measure id")


@pytest.mark.parametrize("target", ["symlink", "fifo", "/dev/full"])
def test_9_build_out_onto_a_link_a_pipe_or_a_device(tmp_path, target):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    out = tmp_path / "out.trig"
    if target == "symlink":
        out.symlink_to(victim)
    elif target == "fifo":
        os.mkfifo(out)
    else:
        out = Path(target)
    refused(run("build", "--out", str(out)), EXIT_BAD_INPUT)
    assert victim.read_text(encoding="utf-8") == "keep me"


def test_9_a_report_written_over_its_own_register(tmp_path):
    register = tmp_path / "r.csv"
    shutil.copy(GUIAN_CASES, register)
    before = register.read_bytes()
    refused(run("validate", str(register), "--csv", str(register)), EXIT_BAD_INPUT, "input")
    assert register.read_bytes() == before


def test_9_ingest_out_over_its_own_input(tmp_path):
    source = tmp_path / "x.txt"
    source.write_text(MEASURE_HEAD + "第一条　容错。\n", encoding="utf-8")
    before = source.read_bytes()
    refused(run("ingest", str(source), "--out", str(source)), EXIT_BAD_INPUT, "input")
    assert source.read_bytes() == before


# ---- minor ---------------------------------------------------------------------------------

def test_minor_a_fifo_as_a_register_is_said_to_be_no_file(tmp_path):
    fifo = tmp_path / "r.csv"
    os.mkfifo(fifo)
    refused(run("validate", str(fifo)), EXIT_BAD_INPUT, "r.csv")


def test_minor_a_65_character_id_is_told_its_length(data, tmp_path):
    source = tmp_path / "x.txt"
    source.write_text(MEASURE_HEAD + "第一条　容错。\n", encoding="utf-8")
    refused(run("ingest", str(source), "--id", "a" * 65, "--data", str(data)), EXIT_BAD_INPUT, "64")


def test_minor_a_store_path_that_is_a_file(tmp_path):
    plain = tmp_path / "store"
    plain.write_text("not a folder", encoding="utf-8")
    refused(run("query", "measures", "--store", str(plain)), EXIT_BAD_INPUT)


def test_minor_an_unused_port_is_one_line_exit_3():
    refused(run("query", "measures", "--endpoint", f"http://127.0.0.1:{free_port()}/query"), EXIT_STORE)
