"""`rongcuo-kg`: a thin command line over the library. Exit codes: 0 ok, 1 a negative
finding, 2 bad input, 3 a service (store, reasoner) unavailable."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Callable, Sequence

from rongcuo_kg.cli.argtypes import positive_int, positive_seconds
from rongcuo_kg.cli.bilingual import BilingualParser, translate
from rongcuo_kg.cli.progress import progress, shown
from rongcuo_kg.cli.common import FORMATS, args_store, check_output_path, print_err, print_out, warn, write_atomically
from rongcuo_kg.errors import EXIT_BAD_INPUT, EXIT_NEGATIVE, EXIT_OK, BadInput, RongcuoError
from rongcuo_kg.paths import data_dir
from rongcuo_kg.text.corpus import LEFT_OUT

# ---------------------------------------------------------------- commands


def cmd_build(args: argparse.Namespace) -> int:
    from rongcuo_kg.graph.build import build

    if args.out:
        check_output_path(Path(args.out), "--out")
    with progress("生成图谱 building", "办法") as step:
        built = build(data_dir(args.data), progress=step)
    for w in built.warnings:
        warn(w)
    fmt = FORMATS[args.format]
    target = built.dataset if fmt in ("trig", "nquads") else built.union()
    out = Path(args.out) if args.out else Path("build") / f"rongcuo-kg.{args.format}"
    write_atomically(out, target.serialize(format=fmt, encoding="utf-8"))
    summary = _summary(built)
    if args.json:
        print_out(json.dumps({**summary, "out": str(out)}, ensure_ascii=False, indent=2))
    else:
        print_out(f"图谱已生成 graph built: {out} ({summary['triples']} triples)")
        for mid, c in summary["measures"].items():
            print_out(f"  {mid:<12} {c['title']}: {c['chapters']} 章, {c['articles']} 条, "
                 f"{c['paragraphs']} 款, {c['items']} 项, {c['subitems']} 目, "
                 f"{c['annotations']} annotations")
        print_out(f"  ontology: {summary['ontology']['classes']} classes, "
             f"{summary['ontology']['properties']} properties, "
             f"{summary['ontology']['concepts']} concepts")
    return EXIT_OK


def _summary(built) -> dict:
    from rdflib import OWL, RDF, RDFS
    from rdflib.namespace import SKOS

    from rongcuo_kg.graph.namespaces import ONTOLOGY_GRAPH, RC, measure_graph
    from rongcuo_kg.text.stats import measure_counts

    onto = built.dataset.graph(ONTOLOGY_GRAPH)
    concerns = set(onto.subjects(RDFS.subPropertyOf, RC.concerns))
    measures = {}
    for e in built.entries:
        g = built.dataset.graph(measure_graph(e.meta.id))
        counts = measure_counts(e.measure, e.meta.title)
        counts["annotations"] = sum(1 for _s, p, _o in g if p in concerns)
        measures[e.meta.id] = counts
    union_size = sum(len(g) for g in built.dataset.graphs())
    return {
        "measures": measures,
        "triples": union_size,
        "ontology": {
            "classes": len(set(onto.subjects(RDF.type, OWL.Class))),
            "properties": len(set(onto.subjects(RDF.type, OWL.ObjectProperty))
                              | set(onto.subjects(RDF.type, OWL.DatatypeProperty))),
            "concepts": len(set(onto.subjects(RDF.type, SKOS.Concept))),
        },
    }


def cmd_init(args: argparse.Namespace) -> int:
    from rongcuo_kg.text.corpus import init_corpus

    target = Path(args.folder)
    n = init_corpus(target)
    print_out(f"已建立语料目录 created corpus folder {target}: {n} 部办法 measures "
              f"(加入办法 add measures: rongcuo-kg ingest FILE --data {target})")
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from rongcuo_kg.graph.build import build
    from rongcuo_kg.graph.reasoner import check_graph

    built = build(data_dir(args.data), lenient=True)
    for w in built.warnings:
        if w.startswith(LEFT_OUT):
            warn(w)
    print_err("HermiT 推理中 reasoning with HermiT …")
    report = check_graph(built.union())
    result = {"consistent": report.consistent, "unsatisfiable": report.unsatisfiable,
              "classes": report.classes, "individuals": report.individuals,
              "seconds": round(report.seconds, 2)}
    if args.json:
        print_out(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print_out(f"一致性 consistent: {'是 yes' if report.consistent else '否 NO'}"
             f" ({report.classes} classes, {report.individuals} individuals, "
             f"{report.seconds:.1f} s)")
        if report.explanation:
            print_out(f"  {report.explanation}")
        if report.unsatisfiable:
            print_out("不可满足的类 unsatisfiable classes:")
            for c in report.unsatisfiable:
                print_out(f"  {c}")
        else:
            print_out("不可满足的类 unsatisfiable classes: 无 none")
    return EXIT_OK if report.ok else EXIT_NEGATIVE


def cmd_show(args: argparse.Namespace) -> int:
    from rongcuo_kg.graph.clauses import show_clause

    info = show_clause(args_store(args), args.measure, args.ref, lang=args.lang)
    if args.json:
        print_out(json.dumps(info, ensure_ascii=False, indent=2))
        return EXIT_OK
    print_out(info["label"])
    print_out(f"IRI: {info['iri']}")
    for p in info["parents"]:
        print_out(f"  ⊂ {p['label']}")
    print_out("")
    print_out(info["text"])
    print_out("")
    for d in info.get("defects", []):  # the published text's own defect here, said where it is shown
        print_out(f"原文缺陷 text defect：{d['note'] or d['kind']}")
    if info.get("defects"):
        print_out("")
    if info["concepts"]:
        print_out("涉及要素 concepts:")
        for c in info["concepts"]:  # by label, how it is concerned in words (ids: --json)
            props = "、".join(sorted({link["property_label"] for link in c["links"]}))
            print_out(f"  {c['label']}（{props}）")
    else:
        print_out("涉及要素 concepts: 无 none")
    return EXIT_OK


def cmd_stats(args: argparse.Namespace) -> int:
    from rdflib import Graph

    from rongcuo_kg.text.corpus import known_titles
    from rongcuo_kg.text.parser import parse_file
    from rongcuo_kg.graph.rdfgen import measure_to_graph
    from rongcuo_kg.text.stats import measure_counts

    measures: dict[str, dict] = {}
    if args.files:
        g = Graph()
        titles = known_titles(data_dir(args.data))
        for f in args.files:
            doc = parse_file(f, known_titles=titles)
            for m in doc.measures:
                if m.id in measures:
                    raise BadInput(f"measure id '{m.id}' found twice", f)
                measures[m.id] = measure_counts(m)
                measure_to_graph(m, graph=g)
        triples = len(g)
    else:
        from rongcuo_kg.graph.build import build

        built = build(data_dir(args.data), lenient=True)
        for w in built.warnings:
            if w.startswith(LEFT_OUT):
                warn(w)
        for e in built.entries:
            measures[e.meta.id] = measure_counts(e.measure, e.meta.title)
        triples = sum(len(g) for g in built.dataset.graphs())
    result = {"measures": measures, "triples": triples}
    if args.json:
        print_out(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        for mid, c in measures.items():
            print_out(f"{mid:<12} {c['title']}: {c['chapters']} 章, {c['sections']} 节, "
                 f"{c['articles']} 条, {c['paragraphs']} 款, {c['items']} 项, {c['subitems']} 目")
        print_out(f"triples: {triples}")
    return EXIT_OK


def _params(pairs: list[str] | None) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise BadInput(f"--param takes NAME=VALUE, got '{pair}'")
        if key.strip() in out:
            raise BadInput(f"--param {key.strip()} given twice")
        out[key.strip()] = value
    return out


def print_result(result, fmt: str, lang: str = "zh") -> None:
    from rongcuo_kg.graph.render import result_csv, result_json, result_table

    if fmt == "json":
        print_out(result_json(result))
    elif fmt == "csv":
        sys.stdout.write(result_csv(result))
    else:
        print_out(result_table(result))
        note = f"({len(result.rows)} 行 rows" + (", 已截断 truncated at the row limit" if result.truncated else "") + ")"
        print_err(note)


def cmd_query(args: argparse.Namespace) -> int:
    from rongcuo_kg.graph.querylib import list_queries, query_info, run_named

    if args.list or not args.name:
        infos = [query_info(q) for q in list_queries() if not q.name.startswith("clause_")]
        if args.json or args.format == "json":
            print_out(json.dumps(infos, ensure_ascii=False, indent=2))
        else:
            for q in infos:
                params = " ".join(f"{p['name']}={'…' if p['required'] else p['default']}"
                                  for p in q["params"])
                title = q["title"] if args.lang == "zh" else q["title_en"]
                print_out(f"{q['name']:<22} {title}  {params}")
        return EXIT_OK
    store = args_store(args)
    result = run_named(store, args.name, _params(args.param), lang=args.lang,
                       timeout=args.timeout, limit=args.limit)
    fmt = "json" if args.json else args.format
    if fmt not in ("json", "csv"):  # a reader's table: labels, titles and citations; JSON and CSV keep the ids
        from rongcuo_kg.graph.querylib import readable

        result = readable(store, args.name, result, args.lang)
    print_result(result, fmt, args.lang)
    return EXIT_OK


def cmd_sparql(args: argparse.Namespace) -> int:
    from rongcuo_kg.graph.querylib import run_free

    text = sys.stdin.read() if args.query == "-" else args.query
    if args.query != "-" and Path(args.query).is_file():
        text = Path(args.query).read_text(encoding="utf-8")
    elif args.query.endswith(".rq") and "\n" not in args.query and " " not in args.query.strip():
        raise BadInput(f"no such query file: {args.query}")
    if not text.strip():
        raise BadInput("empty query")
    result = run_free(args_store(args), text, timeout=args.timeout, limit=args.limit)
    print_result(result, args.format, args.lang)
    return EXIT_OK


def cmd_load(args: argparse.Namespace) -> int:
    from rongcuo_kg.graph.build import build
    from rongcuo_kg.graph.connect import ENDPOINT_ENV
    from rongcuo_kg.graph.loader import load_dataset

    endpoint = args.endpoint or os.environ.get(ENDPOINT_ENV)
    if not endpoint and not args.gsp and not args.update:
        raise BadInput(f"give --endpoint URL (or {ENDPOINT_ENV}), --gsp URL or --update URL")
    built = build(data_dir(args.data))
    auth = tuple(args.auth.split(":", 1)) if args.auth else None
    if auth is not None and len(auth) != 2:
        raise BadInput("--auth takes USER:PASSWORD")
    if args.timeout <= 0:
        raise BadInput("--timeout must be more than 0 seconds")
    with progress("加载 loading", "图") as step:
        def said(graph: str, i: int, n: int) -> None:  # a bar on a terminal, a line per graph in a log
            if shown():
                step(i, n)
            else:
                print_err(f"[{i}/{n}] {graph}")

        report = load_dataset(built.dataset, endpoint=endpoint, gsp=args.gsp, update=args.update,
                              auth=auth, timeout=args.timeout, progress=said)
    total = sum(n for _g, n in report.loaded)
    if args.json:
        print_out(json.dumps({"target": report.target, "method": report.method,
                         "graphs": [{"graph": g, "triples": n} for g, n in report.loaded],
                         "triples": total, "verified": report.verified}, ensure_ascii=False, indent=2))
    else:
        checked = "每个图已核对三元组数 every graph's triples counted on the server" if report.verified else \
            "未核对（无查询端点）not counted on the server (no query endpoint)"
        print_out(f"已加载 loaded {len(report.loaded)} graphs, {total} triples into {report.target} "
                  f"({report.method}); {checked}")
    return EXIT_OK


# ---------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    data_help = "corpus folder (default: $RONGCUO_DATA, else the corpus shipped with rongcuo-kg; start your own with `init`)"
    # --data is accepted before the command and after it; after it, a subparser's default must
    # not overwrite a value given before it (argparse would), hence SUPPRESS there
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data", metavar="DIR", default=argparse.SUPPRESS, help=data_help)
    parser = BilingualParser(
        prog="rongcuo-kg",
        description="容错纠错知识图谱 — knowledge graph of tolerance-and-correction measures")
    parser.add_argument("--data", metavar="DIR", default=None, help=data_help)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("build", parents=[common], help="merge ontology, corpus and annotations")
    p.add_argument("--out", help="output file (default: build/rongcuo-kg.FORMAT)")
    p.add_argument("--format", choices=sorted(FORMATS), default="ttl")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("init", help="start a corpus folder of your own: a copy of the shipped corpus",
                       description="Start a corpus folder of your own, a copy of the corpus shipped with "
                                   "rongcuo-kg, to add measures to; use it with --data FOLDER.")
    p.add_argument("folder", help="a new (or empty) folder")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("check", parents=[common], help="HermiT: consistency and unsatisfiable classes")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_check)

    storeopts = argparse.ArgumentParser(add_help=False)
    storeopts.add_argument("--endpoint", metavar="URL",
                           help="SPARQL 1.1 endpoint (default: $RONGCUO_SPARQL_ENDPOINT, else the embedded store)")
    storeopts.add_argument("--store", metavar="DIR", help="persistent on-disk store folder (pyoxigraph)")
    storeopts.add_argument("--lang", choices=["zh", "en"], default="zh", help="label language")
    limits = argparse.ArgumentParser(add_help=False)
    limits.add_argument("--format", choices=["table", "json", "csv"], default="table")
    limits.add_argument("--timeout", type=positive_seconds, default=30.0, help="seconds (default 30)")
    limits.add_argument("--limit", type=positive_int, default=10_000, help="row limit (default 10000)")

    p = sub.add_parser("query", parents=[common, storeopts, limits], help="run a named SPARQL query")
    p.add_argument("name", nargs="?")
    p.add_argument("--param", action="append", metavar="NAME=VALUE")
    p.add_argument("--list", action="store_true", help="list the named queries")
    p.add_argument("--json", action="store_true", help="as JSON (the same as --format json; with --list: the list)")
    p.set_defaults(func=cmd_query)

    p = sub.add_parser("sparql", parents=[common, storeopts, limits],
                       help="run a free read-only SPARQL query (text, file, or - for stdin)")
    p.add_argument("query")
    p.set_defaults(func=cmd_sparql)

    p = sub.add_parser("load", parents=[common], help="push the built graph to a SPARQL server")
    p.add_argument("--endpoint", metavar="URL", help="the server's query endpoint")
    p.add_argument("--gsp", metavar="URL", help="Graph Store Protocol URL (default: derived from --endpoint)")
    p.add_argument("--update", metavar="URL", help="SPARQL Update URL, instead of the Graph Store")
    p.add_argument("--auth", metavar="USER:PASSWORD",
                   help="HTTP authentication (Basic or Digest, answered when the server asks)")
    p.add_argument("--timeout", type=positive_seconds, default=120.0,
                   help="seconds to wait for the server on each graph (default 120)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_load)

    p = sub.add_parser("show", parents=[common, storeopts], help="print a clause with its IRI, parents, text and concepts")
    p.add_argument("measure")
    p.add_argument("ref", help="6, 6.5, 11.p2.1, 7.2.3, 8之一 or 第十一条第二款第一项")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_show)

    from rongcuo_kg.cli import adding, app, cases, finding

    feature_parents = {"common": common, "store": storeopts}
    adding.register(sub, feature_parents)
    finding.register(sub, feature_parents)
    cases.register(sub, feature_parents)
    app.register(sub, feature_parents)

    p = sub.add_parser("stats", parents=[common], help="structure counts per measure")
    p.add_argument("files", nargs="*", help="measure files to parse instead of the corpus")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_stats)
    translate(parser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return EXIT_BAD_INPUT
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except RongcuoError as exc:
        from rongcuo_kg.messages import bilingual

        print_err(f"rongcuo-kg: {bilingual(exc)}")
        return exc.exit_code
    except BrokenPipeError:
        return EXIT_OK
    except OSError as exc:  # a disk full, a permission changed mid-run: one line, not a traceback
        where = f"{exc.filename}: " if exc.filename else ""
        print_err(f"rongcuo-kg: {where}{exc.strerror or exc}")
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print_err("rongcuo-kg: interrupted")
        return 130


if __name__ == "__main__":
    sys.exit(main())
