"""Commands for review staff: `validate`, `rules`, `shapes`, `template`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from rongcuo_kg.cli.common import print_out, args_store
from rongcuo_kg.errors import EXIT_BAD_INPUT, EXIT_NEGATIVE, EXIT_OK, BadInput
from rongcuo_kg.paths import DEFAULT_DATA_DIR, SHAPES_DIR, data_dir


def cmd_validate(args: argparse.Namespace) -> int:
    from rongcuo_kg.cli.common import check_output_path, write_atomically
    from rongcuo_kg.cases.report_render import report_csv, report_html, report_json, report_text
    from rongcuo_kg.cases.validate import validate_files

    if args.max_size <= 0:
        raise BadInput("--max-size must be a positive number of MB")
    for option, out in (("--html", args.html), ("--csv", args.csv)):
        if out:
            check_output_path(Path(out), option)
    report = validate_files(args.files, args_store(args), data_dir(args.data), engine=args.engine,
                            settings=args.set, max_bytes=int(args.max_size * 1024 * 1024))
    for w in report.warnings:
        sys.stderr.write(f"warning: {w}\n")
    for e in report.errors:
        sys.stderr.write(f"rongcuo-kg: {e}\n")
    if args.html:
        write_atomically(Path(args.html), report_html(report, lang=args.lang).encode("utf-8"))
    if args.csv:
        write_atomically(Path(args.csv), report_csv(report, lang=args.lang).encode("utf-8"))
    if args.json:
        print_out(report_json(report))
    else:
        print_out(report_text(report, lang=args.lang))
    if report.errors:
        return EXIT_BAD_INPUT
    return EXIT_OK if report.conforms else EXIT_NEGATIVE


def cmd_rules(args: argparse.Namespace) -> int:
    from rongcuo_kg.cases.validate import Validator

    v = Validator(args_store(args), data_dir(args.data))
    measures = set(v.reference.measures)
    if args.measure and args.measure not in measures:
        raise BadInput(f"unknown measure '{args.measure}'; known: {', '.join(sorted(measures))}")
    v.ensure_shapes([args.measure] if args.measure else measures)
    rules = []
    for c in v.compiled.constraints:
        clause = v.clause(c.source)
        measure = clause["measure"] if clause else None
        if args.measure and measure not in (args.measure, None):
            continue
        if args.measure and measure is None and f"/{args.measure}_" not in c.node_shape:
            continue
        rules.append({"rule": c.id.rsplit("/", 1)[-1], "shape": c.node_shape.rsplit("/", 1)[-1],
                      "component": c.component, "path": c.path, "message": c.messages.get("zh", ""),
                      "message_en": c.messages.get("en", ""), "clause": clause,
                      "requires_facts": [f.rsplit("/", 1)[-1] for f in c.requires_facts]})
    if args.json:
        print_out(json.dumps(rules, ensure_ascii=False, indent=2))
        return EXIT_OK
    for r in rules:
        where = r["clause"]["label"] if r["clause"] else "记录结构（登记簿格式） record structure"
        print_out(f"[{r['rule']} · {r['component'].replace('ConstraintComponent', '')}] {where}")
        print_out(f"  规则 rule: {r['message']}")
        if r["clause"]:
            print_out(f"  条文 text: {r['clause']['text']}")
    return EXIT_OK


def cmd_shapes(args: argparse.Namespace) -> int:
    from rongcuo_kg.text.corpus import load_corpus
    from rongcuo_kg.cases.shapegen import generate_measure_shapes, generated_path

    store = args_store(args)
    stale = []
    folder = data_dir(args.data)
    own_corpus = folder.resolve() == DEFAULT_DATA_DIR.resolve()
    for e in load_corpus(folder):
        path = generated_path(SHAPES_DIR, e.meta.id)
        if not own_corpus and not path.exists():
            # a measure of another corpus folder: its shapes are generated when validating,
            # never written into the project's shapes/
            print_out(f"{e.meta.id}: no committed shapes; generated from its annotations when validating")
            continue
        text = generate_measure_shapes(store, e.meta.id, e.meta.title)
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current != text:
            stale.append(path)
            if args.write:
                from rongcuo_kg.cli.common import write_atomically

                write_atomically(path, text.encode("utf-8"))
    verb = "rewrote" if args.write else "out of date"
    for p in stale:
        print_out(f"{verb}: {p}")
    if not stale:
        print_out("shapes are up to date with the annotations")
    return EXIT_NEGATIVE if stale and not args.write else EXIT_OK


def cmd_template(args: argparse.Namespace) -> int:
    from rongcuo_kg.cases.records import template_csv

    sys.stdout.write(template_csv())
    return EXIT_OK


def register(sub, parents: dict) -> None:
    common, store = parents["common"], parents["store"]
    p = sub.add_parser("validate", parents=[common, store],
                       help="validate case registers (CSV, XLSX, Turtle, JSON-LD) against the measures")
    p.add_argument("files", nargs="+")
    p.add_argument("--json", action="store_true")
    p.add_argument("--html", metavar="OUT", help="write an HTML report")
    p.add_argument("--csv", metavar="OUT", help="write a CSV report")
    p.add_argument("--set", action="append", metavar="CASE.FIELD=VALUE",
                   help="what-if: change a fact of a case before validating (repeatable)")
    p.add_argument("--engine", choices=["sparql", "pyshacl"], default="sparql",
                   help="sparql: the shapes as SPARQL on pyoxigraph (fast, default); pyshacl: the reference")
    p.add_argument("--max-size", type=float, default=20.0, metavar="MB", help="largest file accepted (default 20)")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("rules", parents=[common, store],
                       help="every validation rule with the clause text it implements")
    p.add_argument("measure", nargs="?")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_rules)

    p = sub.add_parser("shapes", parents=[common, store],
                       help="check (or --write) the shapes generated from the annotations")
    p.add_argument("--write", action="store_true")
    p.set_defaults(func=cmd_shapes)

    p = sub.add_parser("template", parents=[common], help="print a CSV register template")
    p.set_defaults(func=cmd_template)

