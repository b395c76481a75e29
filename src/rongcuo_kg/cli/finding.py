"""The `find`, `compare`, `matrix` and `eval-find` commands (issue 4).

cli.py wires them in with `register(subparsers, parents)`, where `parents` holds the
"common" (--data) and "store" (--endpoint/--store/--lang) parent parsers. Each command
returns an exit code and raises BadInput for bad input (one line, exit 2, no traceback).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from rongcuo_kg.cli.common import print_out, args_store
from rongcuo_kg.cli.argtypes import positive_int
from rongcuo_kg.errors import EXIT_OK, BadInput
from rongcuo_kg.paths import data_dir


def _short(text: str, n: int = 60) -> str:
    t = " ".join(text.split())
    return t if len(t) <= n else t[: n - 1] + "…"


# ---------------------------------------------------------------- find


def _bank(args: argparse.Namespace):
    """The answered questions of the corpus folder in use, or none with --no-examples."""
    from rongcuo_kg.finding.qbank import EMPTY, question_bank

    return EMPTY if args.no_examples else question_bank(data_dir(args.data))


def cmd_find(args: argparse.Namespace) -> int:
    from rongcuo_kg.finding.finder import find
    from rongcuo_kg.graph.clauses import measure_titles

    lang = getattr(args, "lang", "zh")
    store = args_store(args)
    result = find(store, args.question, measure=args.measure, top=args.top, lang=lang, bank=_bank(args))
    if args.json:
        print_out(json.dumps(result, ensure_ascii=False, indent=2))
        return EXIT_OK
    print_out(find_text(result, measure_titles(store), lang))
    return EXIT_OK


def find_text(result: dict, titles: dict[str, str], lang: str = "zh") -> str:
    """What an officer reads: clauses by citation under each measure's title, concepts and kinds
    of link by their labels, a relevance in words; the ids and scores stay in --json."""
    from rongcuo_kg.finding.finder import RELEVANCE_LABELS

    zh = lang == "zh"
    say = (lambda a, b: a) if zh else (lambda a, b: b)
    sep, semi, colon = ("、", "；", "：") if zh else (", ", "; ", ": ")
    paren = (lambda x: f"（{x}）") if zh else (lambda x: f" ({x})")
    quote = (lambda x: f"「{x}」") if zh else (lambda x: f" “{x}”")
    lines = [say("问题：", "Question: ") + result["query"]]
    if result["concepts"]:
        lines.append(say("识别出的要素：", "Recognised: ") + sep.join(c["label"] for c in result["concepts"]))
    if result.get("asks"):
        lines.append(say("所问：", "Asks for: ") + sep.join(a["label"] for a in result["asks"]))
    for bar in result.get("bars", []):  # what the question tells that bars tolerance, said first
        from rongcuo_kg.finding.bars import clause_role, statement

        lines += ["", "⚠ " + statement(bar, lang)]
        for c in bar["clauses"]:
            title = f"《{titles.get(c['measure'], c['measure'])}》"
            lead = f"{_short(c['lead'], 40)} … " if c["lead"] else ""  # the list's lead, then the clause whole
            lines.append(f"   {title}{c['citation']}{paren(clause_role(c, lang))}{colon}{lead}{' '.join(c['text'].split())}")
    if not result["results"] and not result.get("no_clause"):
        lines.append(say("未找到条款。", "No clause found."))
    groups: dict[str, list[dict]] = {}
    for r in result["results"]:
        groups.setdefault(r["measure"], []).append(r)
    for measure, rows in groups.items():
        lines += ["", f"──《{titles.get(measure, measure)}》" if zh else f"── {titles.get(measure, measure)}"]
        for n, r in enumerate(rows, 1):
            level = RELEVANCE_LABELS[r["relevance"]][0 if zh else 1]
            lines.append(f"{n:>2}. {r['citation']}  {say('相关度', 'relevance')} {level}  {_short(r['text'])}")
            why = r["why"]
            bits = []
            for c in why["concepts"][:3]:
                via = sep.join(dict.fromkeys(c["matched"] + c.get("words", [])[:3]))  # each word once
                bits.append(c["via_label"] + quote(c["label"]) + (paren(via) if via else ""))
            if why["terms"]:
                bits.append(say("共有词语", "shared words") + colon + sep.join(why["terms"][:6]))
            if why["parts"].get("examples") and not why.get("similar_questions"):
                bits.append(say("仅弱相似的已答问题", "answered questions, each only weakly similar"))
            if bits:
                lines.append("      " + say("依据", "why") + colon + semi.join(bits))
            for sq in why.get("similar_questions", [])[:1]:
                lines.append("      " + say("相似的已答问题", "similar answered question")
                             + paren(say(f"相似度 {sq['similarity']:.0%}", f"{sq['similarity']:.0%} similar"))
                             + colon + _short(sq["question"]))
            if why.get("conditions"):
                conds = semi.join(c["label"] + paren(sep.join(c["citations"])) for c in why["conditions"])
                lines.append("      " + say("须同时具备", "also required") + colon + conds)
    for measure in result.get("no_clause", []):
        lines += ["", f"──《{titles.get(measure, measure)}》" if zh else f"── {titles.get(measure, measure)}",
                  "    " + say("本办法没有相应条款。", "Nothing in this measure on the question.")]
    return "\n".join(lines)


# ---------------------------------------------------------------- compare


def cmd_compare(args: argparse.Namespace) -> int:
    from rongcuo_kg.cli.common import check_output_path
    from rongcuo_kg.finding.compare import align_all, all_correspondences_graph, compare, correspondences_graph

    if args.out is not None:
        if not args.out.strip():
            raise BadInput("--out is empty: give a file name such as alignments.ttl")
        check_output_path(Path(args.out), "--out")
    for option, out in (("--docx", args.docx), ("--xlsx", args.xlsx)):
        if out is not None:
            if args.all:
                raise BadInput(f"{option} writes the 对照 of two measures (compare A B {option} OUT), not of --all")
            check_output_path(Path(out), option)
    store = args_store(args)
    if args.all:
        if args.a or args.b:
            raise BadInput("compare --all takes no measure ids: it aligns every measure")
        result = align_all(store, data=getattr(args, "data", None))
        if args.out:
            from rongcuo_kg.finding.finder import get_index

            measures = sorted(get_index(store).by_measure)
            _write(Path(args.out), all_correspondences_graph(result, measures).serialize(format="turtle",
                                                                                         encoding="utf-8"))
        if args.json:
            print_out(json.dumps(result, ensure_ascii=False, indent=2))
            return EXIT_OK
        print_out(f"{len(result['pairs'])} correspondences among {result['clauses']} clauses of "
             f"{result['measures']} measures ({result['method']}: {result['comparisons']} comparisons"
             + (f", {result['blocks']} blocks)" if result["blocks"] else ")"))
        return EXIT_OK
    if not args.a or not args.b:
        raise BadInput("compare needs two measure ids (compare A B), or --all")
    result = compare(store, args.a, args.b, data=getattr(args, "data", None))
    if args.out:
        _write(Path(args.out), correspondences_graph(result).serialize(format="turtle", encoding="utf-8"))
    if args.docx or args.xlsx:
        from rongcuo_kg.finding.finder import get_index
        from rongcuo_kg.finding.parallel import aligned_rows, parallel_docx, parallel_xlsx
        from rongcuo_kg.graph.clauses import measure_titles

        index = get_index(store)
        rows = aligned_rows(index, result, {cid: c.label_zh for cid, c in index.concepts.items()})
        titles = measure_titles(store)
        pair = (titles.get(args.a, args.a), titles.get(args.b, args.b))
        if args.docx:
            _write(Path(args.docx), parallel_docx(rows, pair))
        if args.xlsx:
            _write(Path(args.xlsx), parallel_xlsx(rows, pair))
    if args.json:
        print_out(json.dumps(result, ensure_ascii=False, indent=2))
        return EXIT_OK
    from rongcuo_kg.finding.finder import get_index
    from rongcuo_kg.graph.clauses import measure_titles

    labels = {cid: c.label_zh for cid, c in get_index(store).concepts.items()}
    color = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    for line in compare_text(result, measure_titles(store), labels, color=color):
        print_out(line)
    return EXIT_OK


def compare_text(result: dict, titles: dict[str, str], labels: dict[str, str], color: bool = False):
    """Two measures compared, as a reader reads it: pairs by citation, what they share by its
    Chinese label, how alike their words are, then each text on its own line with the words only it
    has marked — in colour on a terminal, else in 〔〕 (which statutes do not use)."""
    a, b = result["a"], result["b"]
    ta, tb = titles.get(a, a), titles.get(b, b)
    yield (f"《{ta}》↔《{tb}》：对应 {len(result['pairs'])} 处；仅见于《{ta}》{len(result['only_a'])} 条款，"
           f"仅见于《{tb}》{len(result['only_b'])} 条款")
    for p in result["pairs"]:
        shared = [labels.get(x["concept"], x["concept"]) for x in p["basis"] if x.get("concept")]
        text = [f"文字相似 {x['similarity']:.0%}" for x in p["basis"] if x["method"] == "text" and x.get("similarity")]
        yield ""
        yield (f"{_cite(p['a'])} ↔ {_cite(p['b'])}　相关 {p['score']:.0%}"
               + (f"　共同要素：{'、'.join(shared)}" if shared else "") + (f"　{text[0]}" if text else ""))
        yield f"  《{_short(ta, 12)}》：" + _marked(p["diff"], "a", color)
        yield f"  《{_short(tb, 12)}》：" + _marked(p["diff"], "b", color)
    for title, key in ((ta, "only_a"), (tb, "only_b")):
        yield ""
        yield f"仅见于《{title}》："
        for c in result[key]:
            yield f"  {_cite(c)}　{_short(c['text'])}"


def _cite(clause: dict) -> str:
    from rongcuo_kg.graph.rdfgen import iri_citation

    return iri_citation(clause["iri"])


def _marked(diff: list[dict], side: str, color: bool) -> str:
    """One side's text, the words the other side lacks marked."""
    from rongcuo_kg.finding.parallel import diff_pieces

    start, end = (("\033[1;31m" if side == "a" else "\033[1;32m"), "\033[0m") if color else ("〔", "〕")
    return "".join(f"{start}{text}{end}" if marked else text for text, marked in diff_pieces(diff, side))


def _write(path: Path, data: bytes) -> None:
    from rongcuo_kg.cli.common import write_atomically

    write_atomically(path, data)


# ---------------------------------------------------------------- matrix


def cmd_matrix(args: argparse.Namespace) -> int:
    from rongcuo_kg.finding.matrix import matrix, render_matrix

    result = matrix(args_store(args), kind=args.kind, lang=getattr(args, "lang", "zh"))
    print_out(json.dumps(result, ensure_ascii=False, indent=2) if args.json
              else render_matrix(result, getattr(args, "lang", "zh")))
    return EXIT_OK


# ---------------------------------------------------------------- eval-find


def cmd_eval_find(args: argparse.Namespace) -> int:
    from rongcuo_kg.finding.evalfind import evaluate

    result = evaluate(args_store(args), args.file, bank=_bank(args))
    if args.json:
        if not args.verbose:
            result = {k: v for k, v in result.items() if k != "rows"}
        print_out(json.dumps(result, ensure_ascii=False, indent=2))
        return EXIT_OK
    print_out(f"eval-find {result['file']}: {result['cases']} questions (hit = a returned clause equal to "
         f"or inside an acceptable one)")
    print_out(f"{'':<22}{'hit@1':>7}{'hit@3':>7}{'MRR':>7}")

    def row(name: str, m: dict) -> None:
        print_out(f"{name:<22}{m['hit@1']:>7.3f}{m['hit@3']:>7.3f}{m['mrr']:>7.3f}")

    row("finder", result["finder"])
    row("bm25 baseline", result["bm25"])
    for split, ms in result.get("splits", {}).items():
        row(f"finder [{split}, {ms['finder']['n']}]", ms["finder"])
        row(f"bm25   [{split}, {ms['bm25']['n']}]", ms["bm25"])
    print_out(f"ms per question: finder {result['ms_per_query']['finder']}, bm25 {result['ms_per_query']['bm25']}")
    b = result["bank"]
    print_out(f"answered questions used by the finder: {b['answered_questions']} "
         f"({b['left_out']} left out: this file's own questions)")
    nothing = result["nothing_to_show"]
    if nothing["n"]:
        print_out(f"rows whose measure has nothing on the question: {nothing['n']}; said so: finder "
                  f"{nothing['finder_silent']:.3f}, bm25 {nothing['bm25_silent']:.3f} "
                  f"(finder silent where a clause answers: {nothing['finder_silent_where_answerable']:.3f})")
    if args.verbose:
        print_out("")
        print_out("finder misses at rank 1 (rank, measure, acceptable, top 3, question):")
        for r in result["rows"]:
            if r["acceptable"] is None:
                if not r["finder_silent"]:
                    print_out(f"   ! {r['measure']:<12} {'none':<10} {' '.join(r['finder_top']):<16} {r['question']}")
            elif r["finder_rank"] != 1:
                print_out(f"  {r['finder_rank'] or '-':>2} {r['measure']:<12} {' '.join(r['acceptable']):<10} "
                     f"{' '.join(r['finder_top']):<16} {r['question']}")
    return EXIT_OK


# ---------------------------------------------------------------- wiring


def register(subparsers, parents: dict) -> None:
    """Add find, compare, matrix and eval-find to the `rongcuo-kg` command line."""
    from rongcuo_kg.finding.matrix import KINDS

    common, storeopts = parents["common"], parents["store"]
    p = subparsers.add_parser("find", parents=[common, storeopts],
                              help="which clauses cover a situation described in words")
    p.add_argument("question", help="the situation or question, in Chinese (at most 2,000 characters)")
    p.add_argument("--measure", metavar="ID", help="only this measure's clauses")
    p.add_argument("--top", type=positive_int, default=5, help="results per measure (default 5)")
    p.add_argument("--no-examples", action="store_true",
                   help="rank by concepts and text alone, without the answered questions of DIR/eval/")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_find)

    p = subparsers.add_parser("compare", parents=[common, storeopts],
                              help="corresponding provisions of two measures, with a diff of each pair")
    p.add_argument("a", nargs="?", help="first measure id")
    p.add_argument("b", nargs="?", help="second measure id")
    p.add_argument("--all", action="store_true", help="correspondences across all measures (blocked)")
    p.add_argument("--out", metavar="FILE", help="write the correspondences as Turtle (RDF with PROV)")
    p.add_argument("--docx", metavar="OUT", help="write the 对照 (side by side, differences marked) as Word")
    p.add_argument("--xlsx", metavar="OUT", help="write the 对照 as Excel (one row per pair or lone provision)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_compare)

    p = subparsers.add_parser("matrix", parents=[common, storeopts],
                              help="measures × concepts of one kind, with the clause refs in each cell")
    p.add_argument("--kind", choices=list(KINDS), default="situation")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_matrix)

    p = subparsers.add_parser("eval-find", parents=[common, storeopts],
                              help="hit@1, hit@3 and MRR of the finder and of a BM25 baseline on a TSV")
    p.add_argument("file", help="TSV: question, measure, acceptable refs [, split]")
    p.add_argument("--verbose", action="store_true", help="list the questions the finder misses at rank 1")
    p.add_argument("--no-examples", action="store_true",
                   help="the finder without the answered questions of DIR/eval/ (concepts and text alone)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_eval_find)
