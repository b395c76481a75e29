"""Commands for review staff: `validate`, `rules`, `shapes`, `template`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from rongcuo_kg.cli.argtypes import megabytes
from rongcuo_kg.cli.common import print_out, args_store, warn
from rongcuo_kg.errors import EXIT_BAD_INPUT, EXIT_NEGATIVE, EXIT_OK, BadInput
from rongcuo_kg.paths import data_dir


def cmd_validate(args: argparse.Namespace) -> int:
    from rongcuo_kg.cli.common import check_output_path, write_atomically
    from rongcuo_kg.cases.report_render import (iter_report_csv, iter_report_html, iter_report_text, report_xlsx,
                                                write_report_json)
    from rongcuo_kg.cases.validate import VALIDATION_STEPS, paused_gc, validate_files
    from rongcuo_kg.cli.progress import progress

    for option, out in (("--html", args.html), ("--csv", args.csv), ("--xlsx", args.xlsx)):
        if out:
            check_output_path(Path(out), option, inputs=args.files)
    if args.all_measures:
        return validate_under_all(args)
    with progress("校验 validating", "步") as step:
        report = validate_files(args.files, args_store(args), data_dir(args.data), engine=args.engine,
                                settings=args.set, max_bytes=int(args.max_size * 1024 * 1024), progress=step)
        with paused_gc():  # writing a long report: no cycles to collect (validate.paused_gc)
            if args.html:
                write_atomically(Path(args.html), iter_report_html(report, lang=args.lang))
            if args.csv:
                write_atomically(Path(args.csv), iter_report_csv(report, lang=args.lang))
            if args.xlsx:
                write_atomically(Path(args.xlsx), report_xlsx(report, lang=args.lang))
            step(VALIDATION_STEPS, VALIDATION_STEPS)
    for w in report.warnings:
        warn(w)
    for e in report.errors:
        sys.stderr.write(f"rongcuo-kg: {e}\n")
    with paused_gc():
        if args.json:
            sys.stdout.flush()
            write_report_json(report, sys.stdout.buffer.write)
        elif report.cases or not report.errors:  # nothing read: the lines above said why, no "0 件" report
            for line in iter_report_text(report, lang=args.lang):
                sys.stdout.write(line + "\n")
    if report.errors:
        return EXIT_BAD_INPUT
    return EXIT_OK if report.conforms else EXIT_NEGATIVE


def validate_under_all(args: argparse.Namespace) -> int:
    """`validate --all-measures`: the same facts decided under every measure, side by side."""
    from rongcuo_kg.cases.report_render import under_all_json, under_all_text
    from rongcuo_kg.cases.validate import Validator, apply_settings, read_all

    if args.html or args.csv or args.xlsx:
        raise BadInput("--all-measures writes text or --json; --html, --csv and --xlsx report one measure per case")
    records, errors, warnings = read_all(args.files, int(args.max_size * 1024 * 1024))
    apply_settings(records, args.set or [])
    v = Validator(args_store(args), data_dir(args.data))
    rows = under_all_json(v.validate_under_all(records, engine=args.engine), v.reference.measures)
    for w in warnings:
        warn(w)
    for e in errors:
        sys.stderr.write(f"rongcuo-kg: {e}\n")
    if args.json:
        print_out(json.dumps({"cases": rows, "errors": errors, "warnings": warnings}, ensure_ascii=False, indent=1))
    else:
        print_out(under_all_text(rows, args.lang))
    return EXIT_BAD_INPUT if errors else EXIT_OK


def cmd_rules(args: argparse.Namespace) -> int:
    """Every route of a measure and each requirement beside the clause text it implements."""
    from rongcuo_kg.cases.report_render import MODALITY, outcome_label
    from rongcuo_kg.cases.validate import Validator

    v = Validator(args_store(args), data_dir(args.data))
    measures = sorted(v.reference.measures)
    if args.measure and args.measure not in measures:
        raise BadInput(f"unknown measure '{args.measure}'; known: {', '.join(measures)}")
    chosen = [args.measure] if args.measure else measures
    described = {m: v.describe(m) for m in chosen}
    if args.json:
        print_out(json.dumps(described if not args.measure else described[args.measure],
                             ensure_ascii=False, indent=2))
        return EXIT_OK
    en = args.lang == "en"
    for m in chosen:
        print_out(f"《{v.reference.measures[m]}》" + ("（认定模型由未经审核的标注生成，结论均为暂定）"
                                                     if described[m] and described[m][0]["provisional"] else ""))
        for r in described[m]:
            modality = MODALITY[r["modality"]][1 if en else 0]
            print_out(f"■ {r['label_en'] if en and r['label_en'] else r['label']} → "
                      f"{outcome_label(r['route'], args.lang)}，{modality}")
            if r["modality_clause"]:
                text = r["modality_clause"]["text"].replace("\n", "\n    ")
                print_out(f"  {r['modality_clause']['label']}：{text}")
            opened = [s["label_en" if en else "label"] for s in r["opened_by"]["situations"]] + \
                     [f["label"] for f in r["opened_by"]["facts"]]
            print_out(("  opened by (any one): " if en else "  适用情形（之一）：") + "；".join(opened))
            for q in r["requirements"]:
                words = q["message_en"] if en and q["message_en"] else q["message"]
                print_out(f"  ・{words}")
                if q["clause"]:
                    print_out(f"      {q['clause']['label']}：{q['clause']['text']}")
            if r["once_clause"]:
                print_out(f"  ・{'applies once per subject and issue' if en else '同一当事人、同一事项只适用一次'}："
                          f"{r['once_clause']['label']}：{r['once_clause']['text']}")
            for q in r["consequences"]:
                labels = "、".join(c["label_en" if en else "label"] for c in q["concepts"])
                print_out(f"  {'consequence' if en else '后果'}：{q['clause']['label']}" + (f"（{labels}）" if labels else ""))
            note = r["note_en"] if en and r["note_en"] else r["note"]
            if note:
                print_out(("  note: " if en else "  说明：") + note)
            question = r["open_question_en"] if en and r["open_question_en"] else r["open_question"]
            if question:
                print_out(("  open question: " if en else "  条文未明：") + question)
    return EXIT_OK


def cmd_shapes(args: argparse.Namespace) -> int:
    """Which measures have a decision model written from their text, and which get one generated
    from their annotations when validating (nothing is written: a generated model is rebuilt
    from the annotations in use each time, so it cannot go stale)."""
    from rongcuo_kg.cases.validate import Validator
    from rongcuo_kg.text.corpus import load_corpus

    store = args_store(args)
    folder = data_dir(args.data)
    v = Validator(store, folder)
    zh = getattr(args, "lang", "zh") != "en"
    for e in load_corpus(folder):
        title = f"《{e.meta.title}》"
        if e.meta.id in v.models:
            print_out(f"{title}：依条文写成的认定模型（shapes/measures/{e.meta.id}.ttl）" if zh else
                      f"{title}: a decision model written from its text (shapes/measures/{e.meta.id}.ttl)")
        else:
            print_out(f"{title}：尚无依条文写成的认定模型；校验时由其标注生成" if zh else
                      f"{title}: no decision model written from its text; one is generated from its "
                      "annotations when validating")
    return EXIT_OK


def cmd_template(args: argparse.Namespace) -> int:
    """A register template: the case columns and the facts the measure's routes read (all facts
    without --measure), headed in Chinese (the facts' labels, in the clause's words) unless --ids."""
    from rongcuo_kg.cases.records import FACTS, template_csv

    facts: list[str] | tuple[str, ...] = FACTS
    if args.measure:
        from rongcuo_kg.cases.validate import Validator

        v = Validator(args_store(args), data_dir(args.data))
        if args.measure not in v.reference.measures:
            raise BadInput(f"unknown measure '{args.measure}'; known: {', '.join(sorted(v.reference.measures))}")
        v.ensure_shapes([args.measure])
        facts = v.facts_needed(args.measure)
    sys.stdout.write(template_csv(facts, zh=not args.ids, measure=args.measure))
    return EXIT_OK


def register(sub, parents: dict) -> None:
    common, store = parents["common"], parents["store"]
    p = sub.add_parser("validate", parents=[common, store],
                       help="validate case registers (CSV, XLSX, Turtle, JSON-LD) against the measures")
    p.add_argument("files", nargs="+")
    p.add_argument("--json", action="store_true")
    p.add_argument("--html", metavar="OUT", help="write an HTML report")
    p.add_argument("--csv", metavar="OUT", help="write a CSV report")
    p.add_argument("--xlsx", metavar="OUT", help="write an Excel report (.xlsx)")
    p.add_argument("--set", action="append", metavar="CASE.FIELD=VALUE",
                   help="what-if: change a fact of a case before validating (repeatable)")
    p.add_argument("--engine", choices=["sparql", "pyshacl"], default="sparql",
                   help="sparql: the shapes as SPARQL on pyoxigraph (fast, default); pyshacl: the reference")
    p.add_argument("--max-size", type=megabytes, default=20.0, metavar="MB", help="largest file accepted (default 20)")
    p.add_argument("--all-measures", action="store_true",
                   help="decide each case under every measure of the corpus, side by side")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("rules", parents=[common, store],
                       help="every route of a measure and each requirement beside the clause text it implements")
    p.add_argument("measure", nargs="?")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_rules)

    p = sub.add_parser("shapes", parents=[common, store],
                       help="which measures have a decision model written from their text")
    p.set_defaults(func=cmd_shapes)

    p = sub.add_parser("template", parents=[common, store],
                       help="print a CSV register template (the facts a measure needs with --measure)")
    p.add_argument("--measure", metavar="ID", help="only the fact columns this measure's routes read")
    p.add_argument("--ids", action="store_true", help="column ids as headers instead of their Chinese labels")
    p.set_defaults(func=cmd_template)

