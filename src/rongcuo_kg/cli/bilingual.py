"""The command line speaks Chinese first, English beside it (as the app does): every command's
and option's help, argparse's own headings and its error lines. A help text not translated here
is caught by tests/test_cli_language.py, so a new option cannot slip in English only."""

from __future__ import annotations

import argparse
import re
import sys

SEP = " · "

# each help text as written beside its option (English), and its Chinese
ZH = {
    "容错纠错知识图谱 — knowledge graph of tolerance-and-correction measures": None,  # already both
    "show this help message and exit": "显示本帮助并退出",
    "corpus folder (default: $RONGCUO_DATA, else the corpus shipped with rongcuo-kg; start your own with `init`)":
        "语料目录（默认：$RONGCUO_DATA，否则为随软件提供的语料；用 init 建立自己的目录）",
    "merge ontology, corpus and annotations": "合并本体、语料与标注，生成图谱",
    "start a corpus folder of your own: a copy of the shipped corpus": "建立自己的语料目录（复制随软件提供的语料）",
    "HermiT: consistency and unsatisfiable classes": "HermiT 推理：一致性与不可满足的类",
    "run a named SPARQL query": "运行具名 SPARQL 查询",
    "run a free read-only SPARQL query (text, file, or - for stdin)": "运行只读的自由 SPARQL 查询（文本、文件，或 - 表示标准输入）",
    "push the built graph to a SPARQL server": "把图谱加载到 SPARQL 服务器",
    "print a clause with its IRI, parents, text and concepts": "显示一个条款：IRI、上级条款、原文与概念",
    "add new measures (.txt, .docx, text PDF) to the corpus, with suggested annotations":
        "新增办法（.txt、.docx、文本型 PDF）并生成建议标注",
    "list, accept or reject suggested annotations": "列出、采纳或驳回建议标注",
    "which clauses cover a situation described in words": "用自己的话描述情况，查找适用条款",
    "corresponding provisions of two measures, with a diff of each pair": "两部办法的对应条款及逐字差异（对照）",
    "measures × concepts of one kind, with the clause refs in each cell": "办法 × 概念矩阵，单元格为条款",
    "hit@1, hit@3 and MRR of the finder and of a BM25 baseline on a TSV": "在 TSV 评测集上计算查找的 hit@1、hit@3、MRR 及 BM25 基线",
    "validate case registers (CSV, XLSX, Turtle, JSON-LD) against the measures": "按办法校验案件登记簿（CSV、XLSX、Turtle、JSON-LD）",
    "every route of a measure and each requirement beside the clause text it implements": "办法的每条认定路径及其要件，附条文原文",
    "which measures have a decision model written from their text": "哪些办法有依条文写成的认定模型",
    "print a CSV register template (the facts a measure needs with --measure)": "输出 CSV 登记簿模板（--measure：该办法所需的事实）",
    "start the web app (Streamlit)": "启动网页应用（Streamlit）",
    "add an editor who may add and review measures in the app": "添加可在网页应用中新增和复核办法的编辑",
    "structure counts per measure": "各办法的结构统计",
    "output file (default: build/rongcuo-kg.FORMAT)": "输出文件（默认：build/rongcuo-kg.格式）",
    "print the summary as JSON": "以 JSON 输出摘要",
    "Start a corpus folder of your own, a copy of the corpus shipped with rongcuo-kg, to add measures to; use it "
    "with --data FOLDER.": "建立自己的语料目录（复制随软件提供的语料），以便新增办法；使用时加 --data 目录。",
    "a new (or empty) folder": "新的（或空的）目录",
    "SPARQL 1.1 endpoint (default: $RONGCUO_SPARQL_ENDPOINT, else the embedded store)":
        "SPARQL 1.1 端点（默认：$RONGCUO_SPARQL_ENDPOINT，否则为内嵌存储）",
    "persistent on-disk store folder (pyoxigraph)": "磁盘上的持久存储目录（pyoxigraph）",
    "label language": "标签语言",
    "seconds (default 30)": "秒（默认 30）",
    "row limit (default 10000)": "行数上限（默认 10000）",
    "list the named queries": "列出具名查询",
    "as JSON (the same as --format json; with --list: the list)": "以 JSON 输出（同 --format json；与 --list 同用时输出列表）",
    "the server's query endpoint": "服务器的查询端点",
    "Graph Store Protocol URL (default: derived from --endpoint)": "图存储协议（GSP）地址（默认：由 --endpoint 推出）",
    "SPARQL Update URL, instead of the Graph Store": "SPARQL 更新端点（代替图存储协议）",
    "HTTP authentication (Basic or Digest, answered when the server asks)": "HTTP 认证（Basic 或 Digest，服务器要求时才发送）",
    "seconds to wait for the server on each graph (default 120)": "每个图等待服务器的秒数（默认 120）",
    "6, 6.5, 11.p2.1, 7.2.3, 8之一 or 第十一条第二款第一项": "条款：6、6.5、11.p2.1、7.2.3、8之一 或 第十一条第二款第一项",
    "Add each FILE to the corpus folder in use (its text, metadata and suggested annotations), or with --out/--rdf "
    "only print its RDF.": "把每个文件加入所用的语料目录（原文、元数据与建议标注）；加 --out/--rdf 则只输出其 RDF。",
    "measure id (one file; default: the file name)": "办法标识（仅一个文件时；默认：文件名）",
    "title (default: read from the text)": "标题（默认：从正文读取）",
    "issuing body (default: read from the text where it says)": "发文机关（默认：从正文读取）",
    "region, e.g. 四川省绵阳市": "地区，如 四川省绵阳市",
    "who adds the measure (recorded; default: the login name)": "添加者（记入来源；默认：登录名）",
    "administrative level, e.g. 地级市": "行政层级，如 地级市",
    "date of the measure, YYYY-MM-DD": "办法日期，YYYY-MM-DD",
    "confidence from which suggestions are used at once (default 0.6)": "建议立即生效的置信度下限（默认 0.6）",
    "one JSON line per added measure": "每新增一部办法输出一行 JSON",
    "only parse: write the RDF to this file (nothing is added)": "只解析：把 RDF 写入此文件（不加入语料）",
    "only parse: print the RDF (nothing is added)": "只解析：输出 RDF（不加入语料）",
    "RDF format for --out/--rdf": "--out/--rdf 的 RDF 格式",
    "Suggestions for a measure added by `ingest`: accepted ones are used like curated annotations, rejected ones "
    "are dropped.": "复核 ingest 新增办法的建议标注：采纳的与人工标注同等使用，驳回的删除。",
    "accept suggestions by number": "按编号采纳建议",
    "reject suggestions by number": "按编号驳回建议",
    "accept every pending suggestion with confidence ≥ X": "采纳置信度 ≥ X 的全部待复核建议",
    "add a link the suggester missed: clause (6.5), kind of link (statesSituation or its zh label), concept (id or "
    "zh label, any scheme); repeatable": "补充建议中遗漏的链接：条款（6.5）、链接种类（标识或中文名）、概念（标识或中文名，任一概念体系）；可重复",
    "change suggestion N's kind of link (it is then accepted as changed); repeatable": "改变第 N 条建议的链接种类（改后即采纳）；可重复",
    "who decides (recorded with each decision; default: the login name)": "复核人（记入每项决定；默认：登录名）",
    "list the suggestions (the default when nothing is decided)": "列出建议（未作决定时的默认操作）",
    "list only these": "只列出这些",
    "the situation or question, in Chinese (at most 2,000 characters)": "情况或问题，用中文描述（最多 2,000 字）",
    "only this measure's clauses": "只查此办法的条款",
    "results per measure (default 5)": "每部办法的结果数（默认 5）",
    "rank by concepts and text alone, without the answered questions of DIR/eval/": "只按概念和文字排序，不用 DIR/eval/ 中已答的问题",
    "first measure id": "第一部办法的标识",
    "second measure id": "第二部办法的标识",
    "correspondences across all measures (blocked)": "所有办法之间的对应条款（分块比对）",
    "write the correspondences as Turtle (RDF with PROV)": "把对应关系写成 Turtle（RDF，含 PROV）",
    "write the 对照 (side by side, differences marked) as Word": "把对照（并排、标出差异）写成 Word 文件",
    "write the 对照 as Excel (one row per pair or lone provision)": "把对照写成 Excel 文件（每对条款或单独条款一行）",
    "TSV: question, measure, acceptable refs [, split]": "TSV：问题、办法、可接受的条款 [, 划分]",
    "list the questions the finder misses at rank 1": "列出首位未命中的问题",
    "the finder without the answered questions of DIR/eval/ (concepts and text alone)": "不用 DIR/eval/ 中已答问题的查找（只按概念和文字）",
    "write an HTML report": "写出 HTML 报告",
    "write a CSV report": "写出 CSV 报告",
    "write an Excel report (.xlsx)": "写出 Excel 报告（.xlsx）",
    "what-if: change a fact of a case before validating (repeatable)": "假设：校验前改变案件的某项事实（可重复）",
    "sparql: the shapes as SPARQL on pyoxigraph (fast, default); pyshacl: the reference": "sparql：在 pyoxigraph 上以 SPARQL 执行形状（快，默认）；pyshacl：参考实现",
    "largest file accepted (default 20)": "可接受的最大文件，MB（默认 20）",
    "decide each case under every measure of the corpus, side by side": "按语料中每部办法分别认定每个案件，并列显示",
    "only the fact columns this measure's routes read": "只列此办法认定路径所需的事实列",
    "column ids as headers instead of their Chinese labels": "列名用标识而非中文名",
    "Start the web app on the embedded store (or --endpoint).": "在内嵌存储（或 --endpoint）上启动网页应用。",
    "address to listen on (default 127.0.0.1)": "监听地址（默认 127.0.0.1）",
    "port (default 8501)": "端口（默认 8501）",
    "editors file (rongcuo-kg editor add): editors log in to add and review measures; without it the app is "
    "read-only": "编辑名单文件（rongcuo-kg editor add）：编辑登录后可新增和复核办法；没有它网页应用只读",
    "log editors in through an OpenID Connect provider: a TOML file with Streamlit's [auth] section (client_id, "
    "client_secret, server_metadata_url, redirect_uri, cookie_secret); the editors file lists who may edit (editor "
    "add EMAIL --oidc)": "经单位的 OpenID Connect 身份提供方登录编辑：含 Streamlit [auth] 设置的 TOML 文件；可编辑者列于编辑名单（editor add 邮箱 --oidc）",
    "largest register upload in MB (default $RONGCUO_UPLOAD_MAX_MB or 20)": "上传登记簿的最大 MB 数（默认 $RONGCUO_UPLOAD_MAX_MB 或 20）",
    "the editor's name (recorded with every change they make)": "编辑姓名（记入其每项更改）",
    "the editors file (created if missing)": "编辑名单文件（不存在则新建）",
    "NAME is an e-mail address that logs in through the app's OpenID Connect provider (app --oidc); no password is "
    "asked or kept": "NAME 为经身份提供方登录的电子邮箱（app --oidc）；不询问也不保存口令",
    "measure files to parse instead of the corpus": "要解析的办法文件（代替语料）",
}

# what an option or argument without a help text of its own is, by its name (dest)
BY_NAME = {
    "json": "以 JSON 输出 · as JSON",
    "format": "输出格式 · output format",
    "files": "文件 · files",
    "measure": "办法标识 · measure id",
    "name": "具名查询的名称（--list 列出） · the named query (--list lists them)",
    "param": "查询参数 · a query parameter",
    "query": "查询：文本、文件，或 - 表示标准输入 · the query: text, a file, or - for stdin",
    "kind": "概念种类 · kind of concept",
    "id": "办法标识 · measure id",
    "action": "操作 · action",
}


# argparse's own error lines, Chinese put before them
_ERRORS = [
    ("unrecognized arguments:", "无法识别的参数"),
    ("the following arguments are required:", "缺少必需的参数"),
    ("invalid choice:", "无效的选择"),
    ("expected one argument", "需要一个值"),
    ("expected at least one argument", "至少需要一个值"),
    ("not allowed with argument", "不能与此参数同用"),
    ("ambiguous option:", "含义不明的选项"),
    ("invalid ", "无效的值"),
]


def bilingual(text: str) -> str:
    """Chinese · English for a help text this table knows; the text as it is otherwise."""
    zh = ZH.get(text)
    return f"{zh}{SEP}{text}" if zh else text


def _error_zh(message: str) -> str:
    inner = message
    prefix = ""
    m = re.match(r"^(argument [^:]+: )(.*)$", message, re.S)
    if m:
        prefix, inner = m.group(1), m.group(2)
    for en, zh in _ERRORS:
        if inner.startswith(en):
            return f"{prefix}{zh} {inner}"
    return message


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, prefix if prefix is not None else "用法 usage: ")


class BilingualParser(argparse.ArgumentParser):
    """An ArgumentParser whose headings, help and errors are in Chinese with English beside."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)
        self._positionals.title = "位置参数 positional arguments"
        self._optionals.title = "选项 options"

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: 错误 error: {_error_zh(message)}\n")


def translate(parser: argparse.ArgumentParser) -> None:
    """Every help text and description in the parser tree, Chinese first (in place)."""
    for action in parser._actions:
        if action.help is None and action.dest in BY_NAME:
            action.help = BY_NAME[action.dest]
        if action.help and action.help is not argparse.SUPPRESS:
            action.help = bilingual(action.help)
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:
                choice.help = bilingual(choice.help) if choice.help else choice.help
            for sub in action.choices.values():
                if sub.description:
                    sub.description = bilingual(sub.description)
                translate(sub)
