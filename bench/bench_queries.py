"""Benchmark of the named queries on the embedded store against rdflib (issue 3, Performance).

For each corpus size N (3 = the real corpus; larger N = the 3 real measures plus N - 3
synthetic ones from rongcuo_kg.adding.synth), in a fresh subprocess so that memory peaks are
separate:

- build + load of the embedded store as `connect.open_store` does it (storebuild.fill_store:
  the measures written as N-Quads by rdfgen, the Turtle files parsed by pyoxigraph);
- where rdflib runs too: the rdflib build (rongcuo_kg.build.build: an rdflib Dataset, what
  `rongcuo-kg build`, the reasoner and the loader use) and its load into pyoxigraph
  (OxigraphStore.from_dataset), the old path of the embedded store; rdflib's store is the built
  Dataset itself (RdflibStore wraps it, no load); for a like-for-like load, an N-Quads dump of
  the same dataset is loaded into each (pyoxigraph bulk_load, rdflib Dataset.parse);
- peak resident memory (getrusage maxrss) after each stage;
- every named query (parameters as in tests/test_queries_stores.py), through
  querylib.run_named as every caller runs it (row limit 10,000): the median of several runs on
  the embedded store (and the engine alone, without turning rows into Python values), next to
  rdflib's in-memory SPARQL on the same query in the same process. rdflib runs in a forked
  child per query, killed at the timeout ("> T s"), so that a runaway query does not hold
  the interpreter. Results of both are compared (sorted rows) where not cut at the limit.

    .venv/bin/python bench/bench_queries.py                  # N = 3, 1000, 5000; writes RESULTS.md
    .venv/bin/python bench/bench_queries.py --sizes 3,1000 --no-write

The markdown section "## Queries (issue 3)" of bench/RESULTS.md is replaced in place (other
sections are left alone); --no-write prints it instead.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import multiprocessing as mp
import os
import platform
import resource
import shlex
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

SECTION = "## Queries (issue 3)"
TARGET_MS = {3: 20.0, 1000: 300.0}
TARGET_BUILD_LOAD_S = {1000: 60.0}
MEMORY_LIMIT_MIB = 24 * 1024


# ---------------------------------------------------------------- worker (one N, one process)


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _rss_mib() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _digest(rows) -> str:
    return hashlib.sha1(repr(sorted(rows, key=lambda r: [("" if v is None else str(v)) for v in r]))
                        .encode()).hexdigest()


def _rdflib_child(conn, dataset, name, params, runs, slow_s):
    """Run one named query on rdflib (in a forked child): send each run's time, then the rows."""
    from rongcuo_kg.graph.querylib import run_named
    from rongcuo_kg.graph.store import RdflibStore

    store = RdflibStore(dataset)
    try:
        for k in range(runs):
            t = time.perf_counter()
            res = run_named(store, name, params, timeout=None)
            elapsed = time.perf_counter() - t
            conn.send(("time", elapsed))
            if elapsed > slow_s:
                break
        conn.send(("rows", len(res.rows), res.truncated, _digest(res.rows)))
    except Exception as exc:  # reported, not raised: the parent goes on with the next query
        conn.send(("error", f"{type(exc).__name__}: {exc}"))


def _run_rdflib(dataset, name, params, runs, timeout_s):
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_rdflib_child, args=(child, dataset, name, params, runs, 2.0))
    proc.start()
    child.close()
    times, out = [], {"status": "ok"}
    deadline = time.monotonic() + timeout_s
    while True:
        left = deadline - time.monotonic()
        if left <= 0 or not parent.poll(left):
            out["status"] = "timeout"
            break
        try:
            msg = parent.recv()
        except EOFError:
            out["status"] = "error"
            out["error"] = "child died"
            break
        if msg[0] == "time":
            times.append(msg[1])
            deadline = time.monotonic() + timeout_s
        elif msg[0] == "rows":
            out.update(rows=msg[1], truncated=msg[2], digest=msg[3])
            break
        else:
            out.update(status="error", error=msg[1])
            break
    if proc.is_alive():
        proc.kill()
    proc.join()
    out["runs"] = len(times)
    out["median_ms"] = statistics.median(times) * 1000 if times else None
    return out


def worker(args) -> None:
    from rongcuo_kg.graph.build import build
    from rongcuo_kg.graph.querylib import bind_params, run_named
    from rongcuo_kg.graph.sparqlfiles import list_query_names, load_query
    from rongcuo_kg.graph.store import OxigraphStore, RdflibStore, StoreUnavailable, inject_values
    from rongcuo_kg.graph.storebuild import fill_store
    from test_queries_stores import EXAMPLE_PARAMS

    out: dict = {"n": args.n, "stages": {}, "queries": {}}
    stages = out["stages"]

    def stage(name: str, seconds: float | None) -> None:
        stages[name] = {"s": seconds, "peak_mib": _peak_mib(), "rss_mib": _rss_mib()}
        print(f"  [{args.n}] {name}: {seconds if seconds is None else round(seconds, 2)} s, "
              f"peak {_peak_mib():.0f} MiB", file=sys.stderr, flush=True)

    stage("start", None)
    t = time.perf_counter()
    ox = OxigraphStore()
    fill_store(ox.store, Path(args.data))
    stage("store_build_load", time.perf_counter() - t)
    out["triples"] = len(ox.store)
    out["measures"] = len(run_named(ox, "measures", limit=None).rows)

    names = list_query_names()
    missing = [n for n in names if n not in EXAMPLE_PARAMS]
    if missing:
        print(f"  no example parameters for {missing}: run without", file=sys.stderr)
    timeout = args.ox_timeout
    for name in names:
        params = EXAMPLE_PARAMS.get(name, {})
        q = out["queries"][name] = {"params": params}
        try:
            run_named(ox, name, params, timeout=timeout)  # warm-up
            times = []
            for _ in range(args.runs):
                t = time.perf_counter()
                res = run_named(ox, name, params, timeout=timeout)
                times.append(time.perf_counter() - t)
            q.update(ox_median_ms=statistics.median(times) * 1000, ox_min_ms=min(times) * 1000,
                     rows=len(res.rows), truncated=res.truncated, ox_status="ok")
            if res.truncated:
                full = run_named(ox, name, params, timeout=timeout, limit=None)
                q["rows_full"] = len(full.rows)
                del full
            q["digest"] = _digest(res.rows)
            # the engine alone: the same query text, solutions iterated, no Python values
            nq = load_query(name)
            text = inject_values(nq.text, bind_params(nq, params))
            engine = []
            for _ in range(args.runs):
                t = time.perf_counter()
                for _sol in ox.store.query(text, use_default_graph_as_union=True):
                    pass
                engine.append(time.perf_counter() - t)
            q["engine_ms"] = statistics.median(engine) * 1000
        except StoreUnavailable:
            q.update(ox_status="timeout")
        print(f"  [{args.n}] {name}: oxigraph {q.get('ox_median_ms', float('nan')):.1f} ms",
              file=sys.stderr, flush=True)
    stage("oxigraph_queries", None)
    del ox
    gc.collect()

    if args.rdflib:
        t = time.perf_counter()
        built = build(Path(args.data))
        stage("build", time.perf_counter() - t)
        ds = built.dataset
        t = time.perf_counter()
        via_dataset = OxigraphStore.from_dataset(ds)
        stage("oxigraph_load", time.perf_counter() - t)
        del via_dataset
        # like-for-like load of an N-Quads dump into each store
        t = time.perf_counter()
        dump = ds.serialize(format="nquads", encoding="utf-8")
        stage("rdflib_serialize_nquads", time.perf_counter() - t)
        out["dump_mib"] = len(dump) / 2**20
        import pyoxigraph

        t = time.perf_counter()
        s2 = pyoxigraph.Store()
        s2.bulk_load(dump, format=pyoxigraph.RdfFormat.N_QUADS)
        stage("dump_to_oxigraph", time.perf_counter() - t)
        del s2
        from rdflib import Dataset

        t = time.perf_counter()
        ds2 = Dataset()
        ds2.parse(data=dump, format="nquads")
        stage("dump_to_rdflib", time.perf_counter() - t)
        del ds2, dump
        gc.collect()

        RdflibStore(ds).select("SELECT * WHERE { ?s ?p ?o } LIMIT 1")  # load rdflib's SPARQL code
        for name in names:
            q = out["queries"][name]
            r = _run_rdflib(ds, name, q["params"], args.runs, args.rdflib_timeout)
            q["rdflib"] = r
            if r.get("digest") and q.get("digest") and not r.get("truncated") \
                    and not q.get("truncated"):
                q["same_rows"] = r["digest"] == q["digest"]
            print(f"  [{args.n}] {name}: rdflib {r['status']} {r.get('median_ms')}", file=sys.stderr,
                  flush=True)
        stage("rdflib_queries", None)
    Path(args.out).write_text(json.dumps(out, indent=1, ensure_ascii=False), encoding="utf-8")


# ---------------------------------------------------------------- driver


def _machine() -> dict:
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kib = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                       if line.startswith("MemTotal")))
    import pyoxigraph
    import rdflib

    return {"date": subprocess.run(["date"], capture_output=True, text=True).stdout.strip(),
            "nproc": os.cpu_count(), "memory_gib": mem_kib / 2**20, "cpu": cpu,
            "python": platform.python_version(), "pyoxigraph": pyoxigraph.__version__,
            "rdflib": rdflib.__version__}


def _loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def _ms(v) -> str:
    if v is None:
        return "–"
    return f"{v:,.1f}" if v < 100 else f"{v:,.0f}"


def _s(v) -> str:
    return "–" if v is None else f"{v:,.1f} s"


def _mib(v) -> str:
    return f"{v / 1024:,.2f} GiB" if v >= 1024 else f"{v:,.0f} MiB"


def _targets(results: list[dict]) -> list[str]:
    L = ["| target (issue 3) | measured | met |", "|---|---|---|"]
    for r in results:
        target = TARGET_MS.get(r["n"])
        if target:
            qs = r["queries"]
            ok = [n for n, q in qs.items() if q.get("ox_median_ms") is not None
                  and q["ox_median_ms"] <= target]
            missed = ", ".join(f"{n} {_ms(qs[n].get('ox_median_ms'))}" for n in qs if n not in ok)
            L.append(f"| every named query ≤ {target:g} ms (median) at N = {r['n']:,} | "
                     f"{len(ok)} of {len(qs)}" + (f"; over: {missed} ms" if missed else "") +
                     f" | {'yes' if len(ok) == len(qs) else '**no**'} |")
        t = TARGET_BUILD_LOAD_S.get(r["n"])
        if t:
            bl = r["stages"]["store_build_load"]["s"]
            old = (f"; via rdflib: {r['stages']['build']['s'] + r['stages']['oxigraph_load']['s']:,.1f} s"
                   if "build" in r["stages"] else "")
            L.append(f"| build + load of N = {r['n']:,} ≤ {t:g} s | {bl:,.1f} s (the embedded store, "
                     f"as `open_store` fills it{old}) | {'yes' if bl <= t else '**no**'} |")
        if r["n"] >= 5000:
            peak = max(v["peak_mib"] for v in r["stages"].values())
            L.append(f"| N = {r['n']:,} within 24 GiB | peak RSS {_mib(peak)} (build, load, all queries)"
                     f" | {'yes' if peak <= MEMORY_LIMIT_MIB else '**no**'} |")
    return L


def render(results: list[dict], machine: dict, command: str, load: tuple[str, str],
           rdflib_timeout: float, runs: int, runs_large: int) -> str:
    L = [SECTION, ""]
    L.append(f"Run {machine['date']}; {machine['nproc']} cores, {machine['memory_gib']:.1f} GiB, "
             f"{machine['cpu']}; Python {machine['python']}, pyoxigraph {machine['pyoxigraph']}, "
             f"rdflib {machine['rdflib']}. Load average before / after: {load[0]} / {load[1]} "
             "(a shared machine: other sessions' work runs alongside, so absolute figures are "
             "noisy; each ratio compares two figures of the same run).")
    L += ["", "```sh", command, "```", ""]
    L.append(f"Median of {runs} runs ({runs_large} at N ≥ 5,000) after a warm-up, through `querylib.run_named` "
             "(default row limit 10,000, as every caller gets it). *engine* = the same query text with "
             "all its solutions iterated in pyoxigraph only (no conversion to Python values, no row "
             "limit). rdflib: the built "
             f"Dataset's in-memory SPARQL, one forked child per query, killed after {rdflib_timeout:g} s "
             "per run (\"> timeout\"); a query over 2 s is run once. *same* = identical sorted rows "
             "on both stores (– where the rows were cut at the limit or rdflib did not finish).")
    L += ["", "### Targets", ""] + _targets(results) + [""]
    L.append("Query files changed for speed (same rows in the same order on every store; how "
             "Oxigraph 0.5 plans them is in bench/README.md): `text_search` (the text filter first, "
             "per-hit lookups, an OPTIONAL anti-join instead of FILTER NOT EXISTS over a join; before: "
             "over 30 s at N = 1,000), `unique_provisions` (NOT EXISTS over single patterns; before: "
             "over 60 s), `side_by_side` (measure B's clauses first; before: ~1 s). What the remaining "
             "misses are made of and what would close them: bench/README.md, Findings.")
    L.append("")
    # build, load, memory
    L += ["### Build, load, memory", "",
          "| N | measures | triples | generate | build + load of the embedded store (`open_store`) | "
          "peak RSS after it | after queries | rdflib Dataset build | its load into Oxigraph "
          "(`from_dataset`) | rdflib path / direct | whole run |",
          "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        st = r["stages"]
        bl = st["store_build_load"]["s"]
        target = TARGET_BUILD_LOAD_S.get(r["n"])
        met = "" if target is None else (f" ({'meets' if bl <= target else 'misses'} ≤ {target:g} s)")
        whole = max(v["peak_mib"] for v in st.values())
        if "build" in st:
            old = st["build"]["s"] + st["oxigraph_load"]["s"]
            rd = f"{_s(st['build']['s'])} | {_s(st['oxigraph_load']['s'])} | {old / bl:,.1f}×"
        else:
            rd = "not run | not run | –"
        L.append(f"| {r['n']:,} | {r['measures']:,} | {r['triples']:,} | {_s(r.get('generate_s'))} | "
                 f"{bl:,.1f} s{met} | {_mib(st['store_build_load']['peak_mib'])} | "
                 f"{_mib(st['oxigraph_queries']['peak_mib'])} | {rd} | {_mib(whole)} |")
    dumps = [r for r in results if "dump_to_rdflib" in r["stages"]]
    if dumps:
        L += ["", "The same data as an N-Quads dump, loaded into each store (like for like):", "",
              "| N | dump | rdflib serialises it | pyoxigraph `bulk_load` | rdflib `Dataset.parse` | "
              "rdflib / pyoxigraph |", "|---|---|---|---|---|---|"]
        for r in dumps:
            st = r["stages"]
            o, d = st["dump_to_oxigraph"]["s"], st["dump_to_rdflib"]["s"]
            L.append(f"| {r['n']:,} | {r['dump_mib']:,.0f} MiB | {_s(st['rdflib_serialize_nquads']['s'])} | "
                     f"{_s(o)} | {_s(d)} | {d / o:,.0f}× |")
    # queries
    for r in results:
        n = r["n"]
        target = TARGET_MS.get(n)
        L += ["", f"### Queries at N = {n:,} ({r['measures']:,} measures, {r['triples']:,} triples)", ""]
        head = "| query | rows | Oxigraph median ms | engine ms | rdflib median ms | rdflib / Oxigraph | same |"
        sep = "|---|---|---|---|---|---|---|"
        if target:
            head += f" ≤ {target:g} ms |"
            sep += "---|"
        L += [head, sep]
        met = missed = 0
        for name, q in r["queries"].items():
            rows = q.get("rows_full", q.get("rows"))
            rows_s = "–" if rows is None else f"{rows:,}" + (" (10,000 returned)" if q.get("truncated") else "")
            oxm = q.get("ox_median_ms")
            ox_s = _ms(oxm) if q.get("ox_status") == "ok" else "> timeout"
            rd = q.get("rdflib")
            if rd is None:
                rd_s, ratio = "skipped", "–"
            elif rd["status"] == "ok":
                rd_s = _ms(rd["median_ms"]) + ("" if rd["runs"] >= r["runs"] else f" ({rd['runs']} run)")
                ratio = f"{rd['median_ms'] / oxm:,.0f}×" if oxm else "–"
            elif rd["status"] == "timeout":
                rd_s = f"> {r.get('rdflib_timeout', 0):g} s"
                ratio = f"> {r.get('rdflib_timeout', 0) * 1000 / oxm:,.0f}×" if oxm else "–"
            else:
                rd_s, ratio = "error", "–"
            same = {True: "yes", False: "**no**", None: "–"}[q.get("same_rows")]
            line = (f"| {name} | {rows_s} | {ox_s} | {_ms(q.get('engine_ms'))} | {rd_s} | {ratio} | {same} |")
            if target:
                ok = oxm is not None and oxm <= target
                met += ok
                missed += not ok
                line += " yes |" if ok else " **no** |"
            L.append(line)
        if target:
            L += ["", f"{met} of {met + missed} queries meet ≤ {target:g} ms at N = {n:,}."]
        if r.get("rdflib_skipped"):
            L += ["", f"rdflib skipped at N = {n:,}: {r['rdflib_skipped']}"]
    return "\n".join(L) + "\n"


def write_section(results_md: Path, section: str) -> None:
    text = results_md.read_text(encoding="utf-8") if results_md.exists() else "# Benchmark results\n\n"
    start = text.find(SECTION)
    if start < 0:
        text = text.rstrip("\n") + "\n\n" + section
    else:
        nxt = text.find("\n## ", start + len(SECTION))
        text = text[:start] + section + (text[nxt + 1:] if nxt >= 0 else "")
        text = text.replace(section + "## ", section + "\n## ")
    results_md.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="3,1000,5000", help="corpus sizes N (3 = the real corpus)")
    ap.add_argument("--runs", type=int, default=5, help="timed runs per query and store")
    ap.add_argument("--runs-large", type=int, default=3, help="timed runs at N >= 5000")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--rdflib-timeout", type=float, default=20.0, help="seconds per rdflib run")
    ap.add_argument("--rdflib-max-n", type=int, default=1000,
                    help="largest N at which rdflib is measured")
    ap.add_argument("--ox-timeout", type=float, default=120.0)
    ap.add_argument("--work", type=Path, default=Path("/tmp/rongcuo-bench"),
                    help="where synthetic corpora and per-N results go")
    ap.add_argument("--results", type=Path, default=ROOT / "bench" / "RESULTS.md")
    ap.add_argument("--no-write", action="store_true", help="print the section instead of writing it")
    # internal: one N in a subprocess
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--data", help=argparse.SUPPRESS)
    ap.add_argument("--n", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--rdflib", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        worker(args)
        return 0

    from rongcuo_kg.paths import DEFAULT_DATA_DIR
    from rongcuo_kg.adding.synth import generate

    command = "cd " + shlex.quote(str(ROOT)) + " && .venv/bin/python bench/bench_queries.py " + \
        " ".join(shlex.quote(a) for a in (argv if argv is not None else sys.argv[1:]))
    machine = _machine()
    load_before = _loadavg()
    args.work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    results = []
    for n in [int(s) for s in args.sizes.split(",")]:
        gen_s = None
        if n <= 3:
            data = DEFAULT_DATA_DIR
        else:
            data = args.work / f"synth_{n}"
            t = time.perf_counter()
            generate(DEFAULT_DATA_DIR, data, n - 3, seed=args.seed)
            gen_s = time.perf_counter() - t
            print(f"[{n}] generated {n - 3} synthetic measures in {gen_s:.1f} s", file=sys.stderr)
        out = args.work / f"result_{n}.json"
        with_rdflib = n <= args.rdflib_max_n
        cmd = [sys.executable, __file__, "--worker", "--data", str(data), "--n", str(n),
               "--runs", str(args.runs if n < 5000 else args.runs_large), "--rdflib-timeout", str(args.rdflib_timeout),
               "--ox-timeout", str(args.ox_timeout), "--out", str(out)]
        if with_rdflib:
            cmd.append("--rdflib")
        subprocess.run(cmd, check=True)
        r = json.loads(out.read_text(encoding="utf-8"))
        r["generate_s"] = gen_s
        r["rdflib_timeout"] = args.rdflib_timeout
        r["runs"] = args.runs if n < 5000 else args.runs_large
        if not with_rdflib:
            r["rdflib_skipped"] = (f"above --rdflib-max-n {args.rdflib_max_n} (at N = 1,000 rdflib "
                                   "already needs about a minute to load a dump and times out on "
                                   "several queries; see the table above)")
        results.append(r)
    print(f"total {time.perf_counter() - started:.0f} s", file=sys.stderr)
    section = render(results, machine, command, (load_before, _loadavg()), args.rdflib_timeout,
                     args.runs, args.runs_large)
    if args.no_write:
        print(section)
    else:
        write_section(args.results, section)
        print(f"wrote {args.results}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
