"""`rongcuo-kg ingest` (add new measures, or only print a file's RDF) and `rongcuo-kg review`
(accept or reject the annotations suggested for an added measure)."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from rongcuo_kg.cli.argtypes import confidence
from rongcuo_kg.errors import EXIT_BAD_INPUT, EXIT_OK, BadInput, RongcuoError
from rongcuo_kg.paths import data_dir


def cmd_ingest(args: argparse.Namespace) -> int:
    from rongcuo_kg.cli.common import print_err
    from rongcuo_kg.cli.progress import progress

    if args.id is not None and not args.id.strip():
        raise BadInput("--id is empty: give the measure an id such as mianyang")

    if args.out or args.rdf:
        return _rdf_only(args)
    if args.id and len(args.files) > 1:
        raise BadInput("--id names one measure: give one file, or let each file's name be its id")
    ids = [args.id] if args.id else [Path(f).stem.lower() for f in args.files]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        files = [f for f, i in zip(args.files, ids) if i == dupes[0]]
        raise BadInput(f"{' and '.join(files)}: the same id '{dupes[0]}' twice in one batch "
                       "(each file's name is its id): rename one; nothing was added")
    from rongcuo_kg.graph.connect import open_store
    from rongcuo_kg.finding.finder import get_index
    from rongcuo_kg.text.corpus import check_own_corpus

    data = data_dir(args.data)
    check_own_corpus(data)  # before the graph is opened: said at once
    started = time.perf_counter()
    index = get_index(open_store(data))  # the graph as it stands: the reference for suggestions
    results, failed = [], 0
    with progress("新增办法 adding", "部") as step:
        for n, (path, mid) in enumerate(zip(args.files, ids), 1):
            step(n - 1, len(args.files))
            failed += _ingest_one(args, path, mid, n, data, index, results)
    if len(args.files) > 1:
        print_err(f"added {len(results)} of {len(args.files)} measures in {time.perf_counter() - started:.1f} s")
    return EXIT_BAD_INPUT if failed else EXIT_OK


def _ingest_one(args: argparse.Namespace, path: str, mid: str, n: int, data: Path, index, results: list) -> int:
    """One file of a batch added, its summary said; 1 if it was refused (said too), else 0."""
    from rongcuo_kg.adding.ingest import ingest
    from rongcuo_kg.cli.common import print_err, print_out, warn

    try:
        r = ingest(path, data, mid, title=args.title, issuer=args.issuer, region=args.region,
                   date=args.date, level=args.level, threshold=args.threshold, index=index,
                   added_by=args.added_by)
    except RongcuoError as exc:
        if len(args.files) == 1:
            raise
        from rongcuo_kg.messages import bilingual

        print_err(f"rongcuo-kg: {bilingual(exc)}")
        return 1
    for w in r.warnings:
        warn(w)
    results.append(r)
    summary = {"id": mid, "title": r.meta["title"], "articles": len(r.measure.articles()),
               "provisions": len(r.measure.provisions()), "numbering": r.measure.numbering_style,
               "suggestions": len(r.suggestions), "used_at_once": len(r.auto),
               "pending_review": len(r.suggestions) - len(r.auto),
               "files": [str(f) for f in r.files]}
    if args.json:
        print_out(json.dumps(summary, ensure_ascii=False))
    else:
        print_err(f"[{n}/{len(args.files)}] 已新增 added {mid} 《{r.meta['title']}》: {r.measure.size()}；"
                  f"建议标注 {summary['suggestions']} 条 suggested annotations（立即生效 used at once "
                  f"{summary['used_at_once']}，待复核 pending review {summary['pending_review']}：rongcuo-kg review {mid}）")
    return 0


def _rdf_only(args: argparse.Namespace) -> int:
    """The old `ingest FILE --out OUT`: parse a file (a measure or a compilation) and write its
    RDF, adding nothing to the corpus."""
    from rdflib import Graph

    from rongcuo_kg.cli.common import FORMATS, check_output_path, print_err, warn, write_atomically
    from rongcuo_kg.text.corpus import known_titles
    from rongcuo_kg.text.extract import extract
    from rongcuo_kg.text.parser import parse_text
    from rongcuo_kg.graph.rdfgen import measure_to_graph

    if len(args.files) != 1:
        raise BadInput("--out/--rdf take one file")
    path = args.files[0]
    if args.out:
        check_output_path(Path(args.out), "--out", inputs=[path])
    extracted = extract(path)  # a .docx or .pdf as `ingest` reads it, not as text
    doc = parse_text(extracted.text, str(path), extracted.encoding, args.id, args.title,
                     known_titles=known_titles(data_dir(args.data)))
    g = Graph()
    for m in doc.measures:
        measure_to_graph(m, graph=g)
    data = g.serialize(format=FORMATS[args.format], encoding="utf-8")
    for w in doc.warnings:
        warn(w)
    summary = ", ".join(f"{m.id} ({m.size()})" for m in doc.measures)
    print_err(f"read {path} as {doc.encoding}: {len(doc.measures)} measure(s): {summary}")
    if args.out:
        write_atomically(Path(args.out), data)
        print_err(f"wrote {len(g)} triples to {args.out}")
    else:
        sys.stdout.buffer.write(data)
    return EXIT_OK


def cmd_review(args: argparse.Namespace) -> int:
    from rongcuo_kg.cli.common import print_out
    from rongcuo_kg.adding.review import decide, list_suggestions

    data = data_dir(args.data)
    if args.accept or args.reject or args.accept_above is not None or args.add or args.change:
        change = []
        for n, kind in args.change or []:
            if not n.isdigit():
                raise BadInput(f"--change takes a suggestion number and a kind of link, got '{n}'")
            change.append((int(n), kind))
        rows = decide(data, args.id, accept=args.accept or [], reject=args.reject or [],
                      accept_above=args.accept_above, add=[tuple(a) for a in args.add or []],
                      change=change, reviewer=args.reviewer)
    else:
        rows = list_suggestions(data, args.id)
    if args.status:
        rows = [r for r in rows if r["status"] == args.status]
    if args.json:
        print_out(json.dumps(rows, ensure_ascii=False, indent=2))
        return EXIT_OK
    from rongcuo_kg.adding.review import described, status_label

    lang = getattr(args, "lang", "zh")
    for r in described(data, args.id, rows, lang=lang):  # ids stay in --json; here, what a reviewer reads
        print_out(f"{r['number']:>4}  {r['status_label']:<6} {r['confidence']:.2f}  {r['citation']}  "
                  f"{r['property_label']}：{r['concept_label']}  （{r['reason_label']}）")
    counts = {s: sum(1 for r in rows if r["status"] == s) for s in ("auto", "pending", "accepted", "rejected")}
    print_out("  ".join(f"{status_label(k, lang)} {k}: {v}" for k, v in counts.items()))
    return EXIT_OK


def register(sub, parents: dict) -> None:
    from rongcuo_kg.cli.common import FORMATS
    from rongcuo_kg.adding.suggest import AUTO_THRESHOLD

    common = parents["common"]
    p = sub.add_parser("ingest", parents=[common],
                       help="add new measures (.txt, .docx, text PDF) to the corpus, with suggested annotations",
                       description="Add each FILE to the corpus folder in use (its text, metadata and suggested "
                                   "annotations), or with --out/--rdf only print its RDF.")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--id", help="measure id (one file; default: the file name)")
    p.add_argument("--title", help="title (default: read from the text)")
    p.add_argument("--issuer", help="issuing body (default: read from the text where it says)")
    p.add_argument("--region", help="region, e.g. 四川省绵阳市")
    p.add_argument("--added-by", metavar="NAME", help="who adds the measure (recorded; default: the login name)")
    p.add_argument("--level", help="administrative level, e.g. 地级市")
    p.add_argument("--date", help="date of the measure, YYYY-MM-DD")
    p.add_argument("--threshold", type=confidence, default=AUTO_THRESHOLD,
                   help=f"confidence from which suggestions are used at once (default {AUTO_THRESHOLD})")
    p.add_argument("--json", action="store_true", help="one JSON line per added measure")
    p.add_argument("--out", help="only parse: write the RDF to this file (nothing is added)")
    p.add_argument("--rdf", action="store_true", help="only parse: print the RDF (nothing is added)")
    p.add_argument("--format", choices=sorted(FORMATS), default="ttl", help="RDF format for --out/--rdf")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("review", parents=[common], help="list, accept or reject suggested annotations",
                       description="Suggestions for a measure added by `ingest`: accepted ones are used like "
                                   "curated annotations, rejected ones are dropped.")
    p.add_argument("id")
    p.add_argument("--accept", type=int, nargs="+", metavar="N", help="accept suggestions by number")
    p.add_argument("--reject", type=int, nargs="+", metavar="N", help="reject suggestions by number")
    p.add_argument("--accept-above", type=confidence, metavar="X", help="accept every pending suggestion with confidence ≥ X")
    p.add_argument("--add", nargs=3, action="append", metavar=("REF", "KIND", "CONCEPT"),
                   help="add a link the suggester missed: clause (6.5), kind of link (statesSituation or its zh "
                        "label), concept (id or zh label, any scheme); repeatable")
    p.add_argument("--change", nargs=2, action="append", metavar=("N", "KIND"),
                   help="change suggestion N's kind of link (it is then accepted as changed); repeatable")
    p.add_argument("--reviewer", help="who decides (recorded with each decision; default: the login name)")
    p.add_argument("--list", action="store_true", help="list the suggestions (the default when nothing is decided)")
    p.add_argument("--status", choices=["auto", "pending", "accepted", "rejected"], help="list only these")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_review)
