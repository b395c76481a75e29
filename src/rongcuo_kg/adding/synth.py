"""A synthetic corpus for scale: N measures made by varying the real ones.

`generate(src_data, out_data, n, seed)` writes a corpus folder laid out like data/
(corpus/<id>.txt + <id>.json, annotations/<id>.ttl). Each synthetic measure `syn_00001`, …
takes one of the source measures and

- gives it another region and issuing body (real provinces, cities and counties; real kinds of
  department), in its title, its text and its metadata;
- drops some items (项) and sub-items (目) of its lists, keeping at least two of each list,
  and reorders some lists (a closing catch-all item, "其他…", stays last);
- rewords its text lightly (synonym swaps that leave numbering and punctuation alone);
- renders the text in the statute format the parser reads (第X条, (一)/（一）, 一看, 1.),
  every item numbered (a source's "()" items get their numerals);
- carries the source's curated annotations over: an annotation follows its clause to the
  clause's new eId (items renumbered after drops and reorders); annotations of dropped
  clauses are dropped. The concepts are the source's.

The same seed gives the same corpus, and measure k is the same whatever `n` (k ≤ n): a
corpus of 1,000 is the first 1,000 of a corpus of 5,000. The source measures themselves are
copied in unchanged (`include_sources`), so a corpus of N measures in all needs `n = N - 3`.

    python -m rongcuo_kg.adding.synth --n 997 --out /tmp/synth1000 [--seed 0] [--src data]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef

from rongcuo_kg.text.corpus import CorpusEntry, annotation_files, load_corpus
from rongcuo_kg.errors import BadInput
from rongcuo_kg.text.model import Measure, Unit, assign_identifiers
from rongcuo_kg.graph.namespaces import BASE, LEX
from rongcuo_kg.text.numerals import to_chinese
from rongcuo_kg.text.parser import parse_text

ANNOTATIONS = BASE + "annotations/"
MARKER = ".rongcuo-synth.json"  # written beside corpus/: this folder may be regenerated

# ---------------------------------------------------------------- names

# (province, city, [counties]); a municipality's districts sit under the city of the same name.
PLACES: list[tuple[str, str, list[str]]] = [
    ("浙江省", "杭州市", ["余杭区", "桐庐县", "淳安县"]),
    ("浙江省", "宁波市", ["象山县", "宁海县"]),
    ("浙江省", "湖州市", ["安吉县", "德清县", "长兴县"]),
    ("浙江省", "嘉兴市", ["嘉善县", "海盐县"]),
    ("浙江省", "丽水市", ["松阳县", "遂昌县"]),
    ("江苏省", "南京市", ["溧水区", "高淳区"]),
    ("江苏省", "无锡市", ["江阴市", "宜兴市"]),
    ("江苏省", "徐州市", ["丰县", "沛县"]),
    ("江苏省", "盐城市", ["建湖县", "射阳县"]),
    ("安徽省", "合肥市", ["肥西县", "长丰县"]),
    ("安徽省", "安庆市", ["怀宁县", "潜山市"]),
    ("安徽省", "黄山市", ["歙县", "黟县"]),
    ("福建省", "福州市", ["闽侯县", "连江县"]),
    ("福建省", "泉州市", ["安溪县", "惠安县"]),
    ("福建省", "三明市", ["尤溪县", "将乐县"]),
    ("江西省", "南昌市", ["南昌县", "进贤县"]),
    ("江西省", "赣州市", ["瑞金市", "于都县"]),
    ("江西省", "上饶市", ["婺源县"]),
    ("山东省", "济南市", ["平阴县", "商河县"]),
    ("山东省", "潍坊市", ["寿光市", "诸城市"]),
    ("山东省", "临沂市", ["沂南县", "沂水县"]),
    ("河南省", "郑州市", ["中牟县", "巩义市"]),
    ("河南省", "洛阳市", ["栾川县", "嵩县"]),
    ("河南省", "南阳市", ["西峡县", "内乡县"]),
    ("湖北省", "宜昌市", ["秭归县", "长阳土家族自治县"]),
    ("湖北省", "襄阳市", ["谷城县", "南漳县"]),
    ("湖南省", "长沙市", ["长沙县", "浏阳市", "宁乡市"]),
    ("湖南省", "株洲市", ["醴陵市", "攸县"]),
    ("湖南省", "湘西土家族苗族自治州", ["凤凰县"]),
    ("广东省", "广州市", ["从化区", "增城区"]),
    ("广东省", "梅州市", ["梅县区", "大埔县"]),
    ("广东省", "清远市", ["英德市"]),
    ("广西壮族自治区", "南宁市", ["武鸣区", "横州市"]),
    ("广西壮族自治区", "桂林市", ["阳朔县", "龙胜各族自治县"]),
    ("海南省", "海口市", ["琼山区"]),
    ("四川省", "成都市", ["郫都区", "都江堰市", "蒲江县"]),
    ("四川省", "绵阳市", ["安州区", "北川羌族自治县"]),
    ("四川省", "南充市", ["阆中市"]),
    ("重庆市", "重庆市", ["万州区", "涪陵区", "巫山县"]),
    ("贵州省", "贵阳市", ["修文县", "开阳县", "息烽县"]),
    ("贵州省", "遵义市", ["湄潭县", "赤水市"]),
    ("贵州省", "黔东南苗族侗族自治州", ["雷山县"]),
    ("贵州省", "毕节市", ["大方县"]),
    ("云南省", "昆明市", ["宜良县", "石林彝族自治县"]),
    ("云南省", "大理白族自治州", ["宾川县", "洱源县"]),
    ("云南省", "玉溪市", ["澄江市"]),
    ("陕西省", "西安市", ["长安区", "周至县"]),
    ("陕西省", "宝鸡市", ["眉县"]),
    ("陕西省", "延安市", ["延川县"]),
    ("甘肃省", "兰州市", ["榆中县", "皋兰县"]),
    ("甘肃省", "张掖市", ["临泽县"]),
    ("山西省", "太原市", ["清徐县", "阳曲县"]),
    ("山西省", "晋中市", ["平遥县", "祁县"]),
    ("河北省", "石家庄市", ["正定县", "赞皇县"]),
    ("河北省", "保定市", ["涞源县", "阜平县"]),
    ("河北省", "张家口市", ["张北县", "蔚县"]),
    ("内蒙古自治区", "鄂尔多斯市", ["准格尔旗", "伊金霍洛旗"]),
    ("内蒙古自治区", "赤峰市", ["克什克腾旗"]),
    ("辽宁省", "沈阳市", ["康平县", "法库县"]),
    ("辽宁省", "大连市", ["庄河市", "长海县"]),
    ("吉林省", "长春市", ["农安县", "榆树市"]),
    ("吉林省", "延边朝鲜族自治州", ["珲春市"]),
    ("黑龙江省", "哈尔滨市", ["五常市", "宾县"]),
    ("黑龙江省", "牡丹江市", ["宁安市"]),
    ("北京市", "北京市", ["延庆区", "怀柔区", "密云区"]),
    ("天津市", "天津市", ["蓟州区", "宁河区"]),
    ("上海市", "上海市", ["崇明区", "金山区"]),
    ("宁夏回族自治区", "银川市", ["永宁县", "贺兰县"]),
    ("青海省", "西宁市", ["湟源县"]),
    ("新疆维吾尔自治区", "昌吉回族自治州", ["呼图壁县"]),
    ("西藏自治区", "日喀则市", ["江孜县"]),
]

# kinds of department (局 at county and city level, 厅 at province level)
DEPARTMENTS = ["审计局", "财政局", "统计局", "自然资源局", "生态环境局", "住房和城乡建设局",
               "交通运输局", "农业农村局", "水利局", "商务局", "文化和旅游局", "应急管理局",
               "市场监督管理局", "林业局", "民政局", "司法局", "人力资源和社会保障局",
               "发展和改革委员会", "卫生健康委员会", "教育局"]
ENFORCEMENT_BODIES = ["综合行政执法局", "市场监督管理局", "生态环境局", "交通运输局",
                      "城市管理局", "农业农村局", "应急管理局", "自然资源局", "文化和旅游局"]

# one-way rewordings: each measure applies a random subset of them to its text
SYNONYMS: list[tuple[str, str]] = [
    ("认真", "切实"), ("及时", "尽快"), ("不良影响", "负面影响"), ("依据", "根据"),
    ("予以", "给予"), ("相关", "有关"), ("严格", "严肃"), ("出现", "发生"),
    ("推动", "推进"), ("鼓励", "激励"), ("情形", "情况"), ("应当", "应"),
    ("明令禁止", "明确禁止"), ("处理", "处置"), ("损失", "损害"), ("努力", "着力"),
    ("建立完善", "建立健全"), ("积极采取", "主动采取"), ("综合考虑", "统筹考虑"),
]


@dataclass
class Place:
    region: str  # 浙江省湖州市安吉县
    name: str  # 安吉县: what the text calls it
    level: str  # 省级, 地市级, 县级

    def department(self, dept: str) -> str:
        if self.level == "省级" and dept.endswith("局"):
            return dept[:-1] + "厅"
        return dept


def _pick_place(rng: random.Random) -> Place:
    province, city, counties = rng.choice(PLACES)
    roll = rng.random()
    if roll < 0.1:
        return Place(province, province, "省级")
    if roll < 0.35 or province == city:
        if province == city:  # a municipality: province level, or one of its districts
            if roll < 0.35:
                return Place(province, province, "省级")
            county = rng.choice(counties)
            return Place(province + county, county, "县级")
        return Place(province + city, city, "地市级")
    county = rng.choice(counties)
    return Place(province + city + county, county, "县级")


# ---------------------------------------------------------------- sources


@dataclass
class Variant:
    """How one source measure is renamed: title, issuer and text replacements."""

    title: str
    issuer: str
    status: str
    replacements: list[tuple[str, str]]


def _variant(source_id: str, meta, place: Place, rng: random.Random) -> Variant:
    p = place.name
    if source_id == "guian":
        trial = rng.random() < 0.6
        return Variant(title=f"{p}容错纠错实施办法" + ("(试行)" if trial else ""),
                       issuer=f"中共{p}委员会", status="试行" if trial else "施行",
                       replacements=[("贵安新区", p), ("新区", p)])
    if source_id == "audit":
        body = p + place.department(rng.choice(DEPARTMENTS))
        return Variant(title=f"{body}容错纠错机制实施办法", issuer=f"{body}党组", status="施行",
                       replacements=[("审计局党组", f"{body}党组"),
                                     ("结合审计实际", "结合工作实际")])
    if source_id == "enforcement":
        body = p + place.department(rng.choice(ENFORCEMENT_BODIES))
        return Variant(title=f"{body}行政执法容错纠错实施办法", issuer=body, status="施行",
                       replacements=[("行政执法部门", body)])
    # any other source: its title under a new region, its text as it is
    return Variant(title=f"{p}{meta.title}", issuer=meta.issuer, status=meta.status or "施行",
                   replacements=[])


@dataclass
class Source:
    entry: CorpusEntry
    triples: list[tuple[URIRef, URIRef, object]]  # its curated annotations
    protected: list[str] = field(default_factory=list)  # defect excerpts: never reworded

    @property
    def id(self) -> str:
        return self.entry.meta.id


def load_sources(src_data: Path) -> list[Source]:
    entries = load_corpus(src_data)
    annotations = {p.stem: p for p in annotation_files(src_data)}
    sources = []
    for e in entries:
        if e.measure.numbering_style != "statute":
            continue  # only statute-style measures are varied (第X条 …)
        g = Graph()
        if e.meta.id in annotations:
            g.parse(annotations[e.meta.id], format="turtle")
        triples = sorted(g, key=lambda t: (str(t[0]), str(t[1]), str(t[2])))
        excerpts = [d["excerpt"] for d in e.meta.defects if d.get("excerpt")]
        sources.append(Source(e, triples, excerpts))
    if not sources:
        raise BadInput("no statute-style measure to vary", src_data)
    return sources


# ---------------------------------------------------------------- numbering styles


def _renumber_printed(printed: str, n: int) -> str:
    """The list marker `printed` ("(三)", "（三）", "()", "三看", "3.", "(3)", "③") for number n."""
    if printed.startswith(("(", "（")):
        open_, close = ("(", ")") if printed.startswith("(") else ("（", "）")
        inner = printed[1:-1].strip()
        if inner.isdigit() or (inner and inner[0] in "０１２３４５６７８９"):
            return f"{open_}{n}{close}"
        return f"{open_}{to_chinese(n)}{close}"
    if printed.endswith("看"):
        return f"{to_chinese(n)}看"
    m = re.match(r"^[0-9０-９]+(\s*[.．、])$", printed)
    if m:
        return f"{n}{m.group(1)}"
    if printed.endswith("、"):
        return f"{to_chinese(n)}、"
    circled = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
    if printed in circled and n <= len(circled):
        return circled[n - 1]
    raise BadInput(f"cannot renumber list marker '{printed}'")


# ---------------------------------------------------------------- one synthetic measure


@dataclass
class _Rewriter:
    rng: random.Random
    replacements: list[tuple[str, str]]
    swaps: list[tuple[str, str]]
    protected: list[str]

    def line(self, text: str) -> str:
        for old, new in self.replacements:
            text = text.replace(old, new)
        if any(p in text for p in self.protected):
            return text
        for old, new in self.swaps:
            text = text.replace(old, new)
        return text


STRUCTURE = ("part", "chapter", "section")


def _own_lines(unit: Unit) -> list[str]:
    """The lines of a unit that are not its children's. A heading's text is its own (its
    articles are not in it); an article's first line is shared with its first paragraph."""
    lines = unit.text.split("\n")
    if unit.kind in STRUCTURE or not unit.children:
        return lines
    inner = sum(len(c.text.split("\n")) for c in unit.children)
    return lines[: len(lines) - inner]


def _is_list(units: list[Unit]) -> bool:
    return bool(units) and all(u.kind in ("item", "subitem") for u in units)


def _vary_list(children: list[Unit], rng: random.Random) -> list[Unit]:
    """Drop some elements (keep at least two) and maybe reorder; a catch-all stays last."""
    kept = list(children)
    if len(kept) >= 3:
        droppable = [u for u in kept if not _is_catch_all(u)]
        for u in droppable:
            if len(kept) > 2 and rng.random() < 0.15:
                kept.remove(u)
    if len(kept) >= 2:
        tail = [kept.pop()] if _is_catch_all(kept[-1]) else []
        roll = rng.random()
        if roll < 0.3:
            rng.shuffle(kept)
        elif roll < 0.6 and len(kept) >= 2:
            i = rng.randrange(len(kept) - 1)
            kept[i], kept[i + 1] = kept[i + 1], kept[i]
        kept += tail
    return kept


def _is_catch_all(u: Unit) -> bool:
    body = u.text[len(u.printed):].lstrip()
    return body.startswith(("其他", "其它", "根据有关规定可以适用的其他"))


def _copy(unit: Unit, rw: _Rewriter, eid_map: dict[int, str], vary: bool) -> Unit:
    """A varied copy of `unit` (its text is filled in by _render); eid_map: new unit → old eId."""
    children = unit.children
    if vary and _is_list(children):
        children = _vary_list(children, rw.rng)
    new_children = [_copy(c, rw, eid_map, vary) for c in children]
    own = [rw.line(t) for t in _own_lines(unit)]
    new = Unit(kind=unit.kind, number=unit.number, printed=unit.printed, text="", line=0,
               children=new_children, numeral_missing=False, title=unit.title)
    if unit.kind == "article":
        # what stands between 第X条 and the first paragraph's text: spaces, or a colon
        first = unit.text.split("\n", 1)[0]
        lead = unit.children[0].text.split("\n", 1)[0] if unit.children else ""
        rest = first[len(unit.printed):]
        new._sep = rest[: len(rest) - len(lead)] if lead and rest.endswith(lead) else " "  # type: ignore[attr-defined]
        own = []
    if _is_list(new_children):
        for k, c in enumerate(new_children, 1):
            _set_number(c, k)
    eid_map[id(new)] = unit.eid
    new._own = own  # type: ignore[attr-defined]
    return new


def _set_number(unit: Unit, n: int) -> None:
    old_printed = unit.printed
    unit.number = str(n)
    unit.printed = _renumber_printed(old_printed if old_printed != "()" else "(一)", n)
    own = unit._own  # type: ignore[attr-defined]
    if own:
        own[0] = unit.printed + own[0][len(old_printed):]


def _render(unit: Unit, out: list[list[str]]) -> list[str]:
    """Fill in unit.text (as the parser will read it) and those of its parts; append the
    unit's blocks of lines (blank lines between blocks in the file) to `out`."""
    own: list[str] = unit._own  # type: ignore[attr-defined]
    blocks: list[list[str]] = [own] if own else []
    if unit.kind in STRUCTURE:
        unit.text = "\n".join(own)
        out += blocks
        for c in unit.children:
            _render(c, out)
        return own
    lines = list(own)
    for c in unit.children:
        lines += _render(c, blocks)
    if unit.kind == "article":
        if unit.children and unit.children[0]._own:  # type: ignore[attr-defined]
            blocks[0] = [unit.printed + unit._sep + blocks[0][0]] + blocks[0][1:]  # type: ignore[attr-defined]
            lines[0] = blocks[0][0]
        else:  # no lead sentence: 第X条 stands alone above its items
            blocks.insert(0, [unit.printed])
            lines.insert(0, unit.printed)
    out += blocks
    unit.text = "\n".join(lines)
    return lines


@dataclass
class Synthetic:
    id: str
    source: Source
    measure: Measure  # the expected parse of its text
    text: str
    meta: dict
    eid_of: dict[str, str]  # old eId → new eId (kept units only)
    ref_of: dict[str, str]  # old REF → new REF


def make_measure(source: Source, new_id: str, rng: random.Random, seed: int = 0) -> Synthetic:
    meta = source.entry.meta
    place = _pick_place(rng)
    variant = _variant(source.id, meta, place, rng)
    swaps = [s for s in SYNONYMS if rng.random() < 0.35]
    rw = _Rewriter(rng, variant.replacements, swaps, source.protected)
    eid_map: dict[int, str] = {}
    old = source.entry.measure
    tops = [_copy(u, rw, eid_map, vary=True) for u in old.children]
    measure = Measure(id=new_id, title=variant.title, children=tops,
                      numbering_style="statute", preamble=[rw.line(t) for t in old.preamble])
    blocks: list[list[str]] = [[variant.title]]
    if measure.preamble:
        blocks.append(measure.preamble)
    for u in tops:
        _render(u, blocks)
    assign_identifiers(measure)
    old_units = {u.eid: u for u in old.units()}
    eid_of, ref_of = {}, {}
    for u in measure.units():
        old_eid = eid_map[id(u)]
        eid_of[old_eid] = u.eid
        if old_units[old_eid].ref and u.ref:
            ref_of[old_units[old_eid].ref] = u.ref
        u.__dict__.pop("_own", None)
        u.__dict__.pop("_sep", None)
    text = "\n\n".join("\n".join(b) for b in blocks) + "\n"
    defects = []
    for d in meta.defects:
        if d.get("kind") == "missing_item_numeral":
            continue  # every item is printed with its numeral here
        refs = [ref_of[r] for r in d.get("refs", []) if r in ref_of]
        if d.get("refs") and not refs:
            continue
        defects.append({**d, "refs": refs})
    meta_out = {
        "id": new_id, "title": variant.title,
        "title_en": f"Synthetic measure {new_id} (varied from '{source.id}')",
        "issuer": variant.issuer, "issuer_en": "",
        "region": place.region, "administrative_level": place.level,
        "status": variant.status, "numbering": "statute", "language": "zh",
        "source": {"synthetic_from": source.id, "generator": "rongcuo_kg.adding.synth", "seed": seed},
        "synthetic": True, "defects": defects,
    }
    return Synthetic(new_id, source, measure, text, meta_out, eid_of, ref_of)


_PREFIXES = {
    "rc": BASE + "ontology#", "rcc": BASE + "concept/", "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/", "xsd": "http://www.w3.org/2001/XMLSchema#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
}
_LOCAL = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


def annotation_turtle(syn: Synthetic) -> str:
    """The source's annotations moved to the synthetic measure's clauses, as Turtle like the
    curated files (a prefix for the measure's clauses): a triple about a dropped clause is
    dropped."""
    src_base = str(LEX[syn.source.id])
    new_base = str(LEX[syn.id])
    src_ann, new_ann = ANNOTATIONS + syn.source.id, ANNOTATIONS + syn.id
    prefixes = {**_PREFIXES, "m": new_base + "/"}

    def move(term):
        if not isinstance(term, URIRef):
            return term
        s = str(term)
        if s == src_base:
            return URIRef(new_base)
        if s == src_ann:
            return URIRef(new_ann)
        if s.startswith(src_base + "/"):
            new_eid = syn.eid_of.get(s[len(src_base) + 1:])
            return URIRef(f"{new_base}/{new_eid}") if new_eid else None
        return term

    def n3(term) -> str:
        if isinstance(term, URIRef):
            s = str(term)
            for prefix, ns in prefixes.items():
                if s.startswith(ns) and _LOCAL.match(s[len(ns):]):
                    return f"{prefix}:{s[len(ns):]}"
        return term.n3()

    by_subject: dict[str, dict[str, list[str]]] = {}
    for s, p, o in syn.source.triples:
        s2, o2 = move(s), move(o)
        if s2 is None or o2 is None:
            continue
        if str(s2) == new_ann and str(p).endswith("/title") and isinstance(o2, Literal):
            o2 = Literal(f"《{syn.meta['title']}》条款语义标注（合成）" if o2.language == "zh"
                         else f"Clause annotations of synthetic measure {syn.id}", lang=o2.language)
        by_subject.setdefault(n3(s2), {}).setdefault(n3(p), []).append(n3(o2))
    out = [f"# Synthetic annotations of {syn.id}, carried over from '{syn.source.id}' by "
           "rongcuo_kg.adding.synth (clauses renumbered; those of dropped clauses dropped).", ""]
    out += [f"@prefix {prefix}: <{ns}> ." for prefix, ns in prefixes.items()]
    for subject, props in by_subject.items():
        body = " ;\n    ".join(f"{p} {' , '.join(objs)}" for p, objs in props.items())
        out.append(f"\n{subject}\n    {body} .")
    return "\n".join(out) + "\n"


def check_round_trip(syn: Synthetic) -> None:
    """Parsing the generated text gives the expected structure: same units, eIds and texts."""
    doc = parse_text(syn.text, f"<{syn.id}>", measure_id=syn.id, title=syn.meta["title"])
    got = [(u.kind, u.eid, u.text) for u in doc.measures[0].units()] if len(doc.measures) == 1 else []
    want = [(u.kind, u.eid, u.text) for u in syn.measure.units()]
    if got != want:
        diff = next((f"{g} != {w}" for g, w in zip(got, want) if g != w), f"{len(got)} != {len(want)} units")
        raise AssertionError(f"synthetic measure {syn.id} does not parse back: {diff}")


# ---------------------------------------------------------------- a corpus


def generate(src_data: Path, out_data: Path, n: int, seed: int = 0, *,
             include_sources: bool = True, check_every: int = 100,
             overwrite: bool = True) -> list[str]:
    """Write a corpus folder of `n` synthetic measures (plus the sources, unchanged, if
    `include_sources`) to `out_data`; return the synthetic ids. Every `check_every`-th
    measure (and the first of each source) is parsed back and compared (0: none). A folder
    this function wrote before is replaced (`overwrite`); any other corpus is refused."""
    src_data, out_data = Path(src_data), Path(out_data)
    if out_data.resolve() == src_data.resolve():
        raise BadInput("the synthetic corpus must go to another folder than its sources", out_data)
    sources = load_sources(src_data)
    corpus, annotations = out_data / "corpus", out_data / "annotations"
    marker = out_data / MARKER
    for folder in (corpus, annotations):
        if folder.exists() and any(folder.iterdir()):
            # only a corpus this generator wrote is ever replaced
            if not overwrite or not marker.exists():
                raise BadInput("output folder already holds a corpus (not one written by "
                               "rongcuo_kg.adding.synth): choose an empty folder", folder)
            shutil.rmtree(folder)
        folder.mkdir(parents=True, exist_ok=True)
    marker.write_text(json.dumps({"n": n, "seed": seed, "sources": [s.id for s in sources]}) + "\n",
                      encoding="utf-8")
    if include_sources:
        for s in sources:
            for suffix in (".txt", ".json"):
                shutil.copyfile(s.entry.text_path.with_suffix(suffix), corpus / f"{s.id}{suffix}")
        for path in annotation_files(src_data):
            if path.stem in {s.id for s in sources}:
                shutil.copyfile(path, annotations / path.name)
    width = max(5, len(str(n)))
    ids = []
    checked: set[str] = set()
    for k in range(1, n + 1):
        rng = random.Random(f"rongcuo-synth:{seed}:{k}")
        source = sources[rng.randrange(len(sources))]
        syn = make_measure(source, f"syn_{k:0{width}d}", rng, seed)
        if check_every and (k % check_every == 1 or source.id not in checked):
            check_round_trip(syn)
            checked.add(source.id)
        (corpus / f"{syn.id}.txt").write_text(syn.text, encoding="utf-8")
        (corpus / f"{syn.id}.json").write_text(json.dumps(syn.meta, ensure_ascii=False, indent=1),
                                               encoding="utf-8")
        (annotations / f"{syn.id}.ttl").write_text(annotation_turtle(syn), encoding="utf-8")
        ids.append(syn.id)
    return ids


def main(argv: list[str] | None = None) -> int:
    from rongcuo_kg.paths import DEFAULT_DATA_DIR

    ap = argparse.ArgumentParser(prog="python -m rongcuo_kg.adding.synth",
                                 description="Write a synthetic corpus folder (合成语料).")
    ap.add_argument("--n", type=int, required=True, help="number of synthetic measures")
    ap.add_argument("--out", type=Path, required=True, help="output corpus folder")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--src", type=Path, default=DEFAULT_DATA_DIR, help="source corpus folder")
    ap.add_argument("--no-sources", action="store_true", help="do not copy the source measures in")
    args = ap.parse_args(argv)
    start = time.perf_counter()
    try:
        ids = generate(args.src, args.out, args.n, args.seed, include_sources=not args.no_sources)
    except BadInput as exc:
        print(exc, file=sys.stderr)
        return 2
    print(f"{len(ids)} synthetic measures in {args.out} ({time.perf_counter() - start:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
