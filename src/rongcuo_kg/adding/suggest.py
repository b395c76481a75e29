"""Suggested annotations for a measure new to the corpus: for each clause, the concepts it most
likely states, with a confidence and the reason (issue 7).

Two kinds of evidence, both from the graph as it stands (the finder's index over the measures
already annotated), combined by noisy-or and weighed by the clause's place in its list:

- labels: the concept's zh labels and synonyms found in the clause's own text (the finder's
  recognition: longest matches, informativeness of each label, gapped and particle-free matches);
- neighbours: the annotated clauses of other measures most similar to it (BM25 candidates,
  then character-shingle similarity): their links, at their similarity.

An item's list lead says what kind of element the list holds (下列情形 / 下列条件 / 不予容错 /
从轻、减轻 / 履职尽责); a concept of another kind weighs less there, and a condition named
outside a list of conditions is a mention (rc:mentionsCondition), as in the curated files.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rongcuo_kg.text.model import LIST_PARTS, Measure
from rongcuo_kg.graph.namespaces import unit_iri
from rongcuo_kg.text.segment import normalize

if TYPE_CHECKING:  # the finder and the comparison load when suggesting, not with the CLI's help
    from rongcuo_kg.finding.finder import FinderIndex

AUTO_THRESHOLD = 0.6  # at or above: used at once (written to the annotations the graph loads)
MIN_CONFIDENCE = 0.3  # below: not suggested at all
LABEL_SCALE = 0.75  # confidence of a concept from its labels alone, per unit of evidence
NEIGHBOURS = 8  # BM25 candidates per clause …
MIN_SIMILARITY = 0.3  # … whose links count when this similar
MAX_REFERENCE_MEASURES = 20  # neighbours are looked for in at most this many measures
OFF_LIST = 0.5  # weight of a concept whose kind is not the kind the list holds
OUTSIDE_LISTS = 0.4  # weight of a situation, condition … found in a clause that is not a list item
LIST_SCHEMES = {"situations", "conditions", "duty-fulfilled", "mitigation"}  # stated item by item
SETTING_ONLY = 0.5  # weight of a situation named only by its field of work beside one named by its cause
RUNNER_UP = 0.8  # in a list item, another concept of the list's kind counts from this share of the best

# what a list lead says the list holds (checked in this order)
_EXCLUSION_LEAD = re.compile(r"不予容错|不得容错|不适用容错|不予免责|不能容错|不属于容错|不适用本(?:办法|清单|细则|规定)|负面清单|"
                            r"不再适用容错|撤销容错|取消容错|"
                            r"不再予以容错|不再容错|不予从宽|不予宽容|一律不予|"
                            r"不(?:得|予|能)认定(?:为)?(?:容错|免责)")  # 不得认定容错
_CITED_TITLE = re.compile(r"《[^《》]{1,80}》")  # a document a clause cites, by its title
_CATCH_ALL = re.compile(r"^(?:[(（]?[一二三四五六七八九十百\d]{1,4}[)）、.．]?\s*)?其他")  # （五）其他……的情形
# a sentence that grants tolerance in a situation it describes, with no list: "……出现失误的，可以予以容错。"
_GRANTS = re.compile(r"的[，,]\s*(?:经[^，,。；;]{0,16}[，,]?\s*)?(?:可以|应当|可|一般)?\s*(?:予以|给予|比照[^，,。；;]{0,8})?"
                     r"(?:容错|免责|免予问责|免于问责|不予追究|免予追究|不予问责)")
_NOT_GRANTING = re.compile(r"下列|以下|如下|是指|所称|[：:]$")
# "三个区分开来": a sentence that sets intolerable conduct apart from tolerable mistakes names exclusions
_DISTINCTION = re.compile(r"区分开来|区别开来|相区别|区分开")
_DUTY_LEAD = re.compile(r"(?:视为|属于|认定为|视同|即为|应当认定|可以认定)履职尽责")  # not "在履职尽责中"
# the list named by its noun: 下列情形 / 以下条件 / 如下事项 / 下列工作中 …
_LIST_NOUN = re.compile(r"(?:下列|以下|如下|下述)[^，,。；;：:]{0,6}?(条件|要求|前提|要件|情形|情况|情节|行为|事项|工作|领域|方面|各项|几项|"
                        r"因素|界限|标准|原则|程序|步骤|职责|方式|措施|内容|权限|材料|环节|途径|渠道)")
_LISTS = re.compile(r"(?:下列|以下|如下|下述)[^。；;]*[：:]\s*$")  # a lead that points down to its list
_WEIGHING = {"因素", "界限", "标准", "原则", "程序", "步骤", "职责", "方式", "措施", "内容", "权限", "材料", "环节",
             "途径", "渠道"}  # 综合考虑下列因素 / 遵循以下原则 / 按照下列程序: what to weigh or do, no elements
# a list of conditions not introduced by 下列: 同时具备 … 条件 / 应当符合 … 条件
# the own words of an article under a 容错条件 heading that make it no entry of the list of conditions
_NOT_A_CONDITION = re.compile(r"不予容错|不得容错|不适用容错|不予免责|不再予以容错|从宽|从轻|减轻|考量|因素|参考")
# a list written into one sentence: its lead, a colon, then entries parted by semicolons
_RUN_IN = re.compile(r"(?:下列|以下|如下)[^：:。]{0,12}[：:][^；;]{4,}[；;][^；;]{4,}")
RUN_IN_KINDS = {"conditions", "exclusions"}
# conditions written after their lead in one sentence, whatever parts them (，、 or nothing): "必须同时
# 具备以下前提：符合方针政策，法律法规未明令禁止，经过集体研究……"
_RUN_IN_SENTENCE = re.compile(r"(?:下列|以下|如下)[^：:。]{0,12}[：:][^。]{12,}")
# a list written in prose, its members marked 一是…二是… (GUIDE: no items; the paragraph states each)
_PROSE_MEMBERS = re.compile(r"[一二三四五六七八九十]是")
_PROSE_LEAD = re.compile(r"(?:下列|以下|如下)[^：:。]{0,24}[：:]\s*一是")  # 属于下列情形之一的，可以纳入容错范围：一是…
# conditions as one sentence without a list: "……符合方针政策、决策程序合规、未谋取私利的，方可认定容错免责"
_ONLY_THEN = re.compile(r"的[，,]?\s*(?:方可|才能|才可以?|始得)[^。；;，,]{0,12}(?:容错|免责|免予)")
_CONDITION_LEAD = re.compile(r"(?:具备|符合|满足|具有)[^，,。；;]{0,8}(?:条件|前提|要件)|缺一不可")
_CASE_LEAD = re.compile(r"情形|情况|情节")
_TOLERANCE_LEAD = re.compile(r"免责|容错|免予|不予追究|免除")
_MITIGATION_LEAD = re.compile(r"从轻|减轻")
PROPERTY_OF_SCHEME = {
    "situations": "statesSituation", "conditions": "requiresCondition", "exclusions": "statesExclusion",
    "consequences": "attachesConsequence", "procedure": "prescribesStep", "bodies": "involvesBody",
    "principles": "expressesPrinciple", "duty-fulfilled": "statesDutyFulfilled",
    "mitigation": "statesMitigation", "correction": "prescribesCorrection",
    "general-provisions": "statesGeneralProvision",
}
# the links of the kinds stated item by item are the ones the validation shapes turn into
# outcomes: used at once only inside a list of their kind (an item of 下列情形 / 下列条件 /
# 履职尽责 / 从轻减轻); found anywhere else they wait for review
DECISIVE = {PROPERTY_OF_SCHEME[scheme]: scheme for scheme in LIST_SCHEMES}


@dataclass
class Clause:
    iri: str
    ref: str
    kind: str
    text: str
    own: str
    lead: str = ""  # the own text of the paragraph or article that introduces this item's list
    held: str | None = None  # the kind of element that list holds (list_kind), for items and sub-items
    opens: bool = False  # an item whose sub-items are the entries (它们才是所列情形): "出现下列情形之一的："
    continues: bool = False  # a sub-item of a listed item: one more entry of the list, in its item's setting
    entry: bool = False  # not an item, yet one entry of a list of `held`: an article under a 容错条件 heading
    run_in: bool = False  # a list written into one sentence: "须同时具备以下条件：A；B；C。" — every entry counts

    @property
    def listed(self) -> bool:
        """Whether the clause is (or holds) entries of a list of `held`."""
        return self.kind in ("item", "subitem") or self.entry or self.run_in


@dataclass
class Suggestion:
    clause: Clause
    property: str
    concept: str
    confidence: float
    reasons: list[str] = field(default_factory=list)
    neighbour: str | None = None  # the most similar annotated clause that has this link
    threshold: float = AUTO_THRESHOLD
    review_only: bool = False  # decides outcomes but stands outside a list of its kind

    @property
    def auto(self) -> bool:
        return self.confidence >= self.threshold and not self.review_only


def clauses_of(measure: Measure) -> list[Clause]:
    """The measure's clauses as the finder sees them: an article with a single paragraph is one
    clause; each clause with its own text (less its parts and heading), its list lead and the
    kind of element that list holds. The sub-items of a listed item are more entries of that list,
    in the item's setting ("在应对突发事件中，出现以下情形之一的：", "主要包括："); a 清单's entries
    are what its title says they are."""
    from rongcuo_kg.finding.finder import _HEADING

    out: list[Clause] = []

    def own(u) -> str:
        text = u.text
        for c in u.children:
            text = text.replace(c.text, "", 1)
        return normalize(_HEADING.sub("", text.strip()))

    requirements = requirement_cells(measure)

    def add(u, text: str, lead: str, held: str | None, continues: bool = False) -> None:
        listed = u.kind in ("item", "subitem")
        required = requirements.get(id(u))
        if required:  # a table row's 要件 column: the conditions of that entry, read as a list of them
            text = text.replace(required, "", 1)
            out.append(Clause(str(unit_iri(measure.id, u.eid)), u.ref or "", u.kind, u.text, required, lead,
                              "conditions", run_in=True))
        opens = listed and any(c.kind in ("item", "subitem") for c in u.children)
        # an article under a heading that names its kind, unless its own words say otherwise (a bar
        # to tolerance, a ground for leniency or a factor to weigh is no entry of a list of conditions)
        entry = not listed and held is not None and not (held == "conditions" and _NOT_A_CONDITION.search(text))
        # a list written into the clause's own sentence; an entry of a 清单 may be one too ("二、适用前提
        # 清单所列事项适用容错免责，必须同时具备以下前提：……")
        run_kind = None if opens else run_in_kind(text)
        if listed and run_kind not in (None, held) and run_kind not in RUN_IN_KINDS:
            run_kind = None
        run_in = run_kind is not None
        if not listed and not entry and not run_in and not _has_items(u) and grants_tolerance(text):
            held, entry = "situations", True  # one situation, stated as a sentence that grants tolerance
        out.append(Clause(str(unit_iri(measure.id, u.eid)), u.ref or "", u.kind, u.text, text, lead,
                          run_kind if run_in else held if listed or entry else None, opens, continues,
                          entry and not run_in, run_in))

    def visit(u, lead: str, held: str | None, continues: bool = False) -> None:
        if u.kind in ("part", "chapter", "section"):
            for c in u.children:
                visit(c, "", heading_kind(u.title or "") or (held if u.kind == "section" else None))
            return
        mine = own(u)
        if u.kind == "article" and len(u.children) == 1 and u.children[0].kind == "paragraph":
            para = u.children[0]
            mine += own(para)
            add(u, mine, lead, held if not _has_items(para) else None)
            for c in para.children:
                visit(c, mine, list_kind(mine))
            return
        if u.kind == "article" and _has_items(u):
            held = None  # its own lists say what their items are
        add(u, mine, lead, held, continues)
        inner = list_kind(mine)
        listed = u.kind in ("item", "subitem")
        for c in u.children:
            if u.kind == "article" and c.kind == "paragraph":  # each 款 of an article under a heading
                visit(c, mine, held if not _has_items(c) else None)
                continue
            visit(c, mine if u.kind in ("article", "paragraph", "item") else lead,
                  inner or (held if listed else None), listed and (inner or held) is not None)

    def visit_part(u) -> None:
        """A 清单's 导语 or 结语 is one unit that may hold several lists (its conditions, then its
        exclusions): each lead with the entries under it, and each other paragraph, is read on its
        own, as a clause of that unit."""
        iri = str(unit_iri(measure.id, u.eid))
        for segment in _segments(u.text):
            text = normalize(segment)
            lead = segment.split("\n", 1)[0]
            held = (list_kind(lead) if "\n" in segment else None) or run_in_kind(text)
            out.append(Clause(iri, u.ref or "", u.kind, u.text, text, "", held, run_in=held is not None))

    top_held = document_kind(measure.title or "") if measure.numbering_style == "list" else None
    for top in measure.children:
        if top.kind in LIST_PARTS:
            visit_part(top)
            continue
        visit(top, measure.title if top_held else "", top_held)
    return out


_REQUIREMENT_COLUMN = re.compile(r"要件|条件")


def requirement_cells(measure: Measure) -> dict[int, str]:
    """The 要件 cell of each row of a table of entries (a 清单 as a table: 序号 | 事项 | 具体情形 |
    容错免责要件): the conditions that entry requires, by the row's unit (its id()), normalised.
    The column is found by its name: a drawn table's rows carry their header's names (the parser
    keeps them), a table of tab-parted cells has its header in the text the rows stand under; a
    row whose cells were left blank is matched from the right."""
    out: dict[int, str] = {}
    for u in measure.units():
        rows = [c for c in u.children if "\t" in c.text]
        header = next((list(c.columns) for c in rows if c.columns), None) or _tab_header(u.text)
        if not rows or not header:
            continue
        wanted = [k for k, c in enumerate(header) if _REQUIREMENT_COLUMN.search(c) and "情形" not in c]
        if len(wanted) != 1:
            continue
        from_right = len(header) - 1 - wanted[0]
        for row in rows:
            cells = row.text.split("\t")
            if len(cells) > from_right + 1 and cells[len(cells) - 1 - from_right].strip():
                out[id(row)] = normalize(cells[len(cells) - 1 - from_right])
    return out


def _tab_header(text: str) -> list[str] | None:
    """The header of a table of tab-parted cells: its first line of short names."""
    for line in text.split("\n"):
        cells = [c.strip() for c in line.split("\t")]
        if len(cells) >= 3 and all(0 < len(c) <= 12 and not c.isdigit() for c in cells):
            return cells
    return None


_ITEM_LINE = re.compile(r"^(?:[(（]\s*[一二三四五六七八九十\d]+\s*[)）]|\d{1,2}[.．、]|[①-⑳])")


def _segments(text: str) -> list[str]:
    """A lead line (…：) with the numbered lines under it; every other line sentence by sentence
    (a list run into one sentence kept whole): 说明：应当综合考虑……等因素；对以权谋私的，不得容错免责。
    is a factor to weigh, then a bar — what one sentence says is not said by the other."""
    out: list[list[str]] = []
    open_lead = False
    for line in text.split("\n"):
        if open_lead and _ITEM_LINE.match(line):
            out[-1].append(line)
            continue
        open_lead = line.rstrip().endswith(("：", ":"))
        if open_lead:
            out.append([line])
            continue
        for sentence in re.findall(r"[^。！？]+[。！？]?", line):
            parts = [sentence] if _RUN_IN.search(sentence) else re.findall(r"[^；;]+[；;]?", sentence)
            out += [[p] for p in parts if p.strip()]
    return ["\n".join(lines) for lines in out]


def run_in_kind(text: str) -> str | None:
    """The kind of a list written into one sentence, if the text is one: "须同时具备以下条件：A；B"
    (conditions or exclusions; conditions however parted), situations written in prose
    ("具有以下情形之一的，可以容错：一是…；二是…"), or conditions named before "…的，方可容错免责"."""
    kind = list_kind(text)
    if _RUN_IN.search(text) and kind in RUN_IN_KINDS:
        return kind
    if kind == "conditions" and _RUN_IN_SENTENCE.search(text):
        return kind
    if kind == "situations" and _PROSE_LEAD.search(text) and len(_PROSE_MEMBERS.findall(text)) >= 2:
        return kind
    if _ONLY_THEN.search(text) and not _EXCLUSION_LEAD.search(text):
        return "conditions"
    return None


def grants_tolerance(text: str) -> bool:
    """Whether a clause that lists nothing states a situation by granting tolerance in it
    ("……临机处置，出现处置不够完善的，可以予以容错。"); not a definition (是指), a list's lead, a
    bar (不予容错), conditions (…的，方可容错) or lighter handling alone."""
    return (_GRANTS.search(text) is not None and not _NOT_GRANTING.search(text)
            and not _EXCLUSION_LEAD.search(text) and not _ONLY_THEN.search(text) and not _DUTY_LEAD.search(text))


def _has_items(u) -> bool:
    return any(c.kind in ("item", "subitem") for c in u.walk() if c is not u)


def heading_kind(title: str) -> str | None:
    """What the articles under a 章/节 heading are, where the heading says it and nothing else:
    容错条件 → conditions; 不予容错情形 / 负面清单 → exclusions. A heading that also names
    situations (容错情形和条件) or anything else says nothing."""
    if _EXCLUSION_LEAD.search(title) or "负面" in title:
        return "exclusions"
    if "条件" in title and not _CASE_LEAD.search(title) and not _MITIGATION_LEAD.search(title):
        return "conditions"
    return None


def list_kind(lead: str) -> str | None:
    """The kind of element a list holds, from its lead: 下列条件 → conditions; 下列情形 / 下列工作中
    … 免责 → situations; 下列情形 … 从轻或者减轻 (and no 免责) → mitigation; 不予容错 → exclusions;
    履职尽责 → duty-fulfilled. The noun after 下列 decides over a word elsewhere in the lead
    ("有下列情形之一，且符合本细则规定条件的，可以容错" lists situations); a lead that names no
    list says nothing (None)."""
    noun = _LIST_NOUN.search(lead)
    if noun and noun.group(1) in ("条件", "要求", "前提", "要件"):
        return "conditions"  # 同时具备下列条件，缺一的，不得认定容错：the list is of conditions
    if _EXCLUSION_LEAD.search(lead):
        return "exclusions"
    if _DUTY_LEAD.search(lead):
        return "duty-fulfilled"
    if noun and noun.group(1) in _WEIGHING:
        return None
    if noun is None and _CONDITION_LEAD.search(lead):
        return "conditions"
    if noun or _CASE_LEAD.search(lead) or _LISTS.search(lead):  # 以下失误错误……可以免予追究
        if _TOLERANCE_LEAD.search(lead):
            return "situations"
        if _MITIGATION_LEAD.search(lead):
            return "mitigation"
        return "situations"
    return None


def document_kind(title: str) -> str | None:
    """What a 清单's entries are, from its title: 容错免责事项清单 → situations; 不予容错情形清单 /
    负面清单 → exclusions; 从轻减轻情形清单 → mitigation. None for a title that says neither."""
    if _EXCLUSION_LEAD.search(title):
        return "exclusions"
    if _TOLERANCE_LEAD.search(title):
        return "situations"
    if _MITIGATION_LEAD.search(title):
        return "mitigation"
    return None


def suggest(index: FinderIndex, measure: Measure, reference: list[str] | None = None,
            unreviewed: set[tuple[str, str, str]] | frozenset = frozenset()) -> list[Suggestion]:
    """Suggestions for every clause of `measure`, best first within a clause. `unreviewed`:
    links (clause IRI, property, concept) in use that nobody has reviewed (suggestions of earlier
    added measures used at once): never evidence for new suggestions, or errors compound."""
    reference = reference or sorted(m for m in index.by_measure if m != measure.id)[:MAX_REFERENCE_MEASURES]
    best: dict[tuple[str, str, str], Suggestion] = {}  # a unit read in parts (a 结语) suggests a link once
    for clause in clauses_of(measure):
        if not clause.own:
            continue
        for s in _suggest_clause(index, clause, reference, unreviewed):
            key = (s.clause.iri, s.property, s.concept)
            if key not in best or (s.auto, s.confidence) > (best[key].auto, best[key].confidence):
                best[key] = s
    return list(best.values())


def _property(index: FinderIndex, concept: str, clause: Clause, held: str | None) -> tuple[str, float]:
    scheme = index.concepts[concept].scheme
    prop = PROPERTY_OF_SCHEME.get(scheme, "concerns")
    weight = 1.0
    if held is not None and clause.listed and scheme != held:
        weight = OFF_LIST
    elif not clause.listed and scheme in LIST_SCHEMES:
        weight = OUTSIDE_LISTS
    if scheme == "conditions" and held != "conditions" and "条件" not in clause.own \
            and not _EXCLUSION_LEAD.search(clause.own):
        # named outside the measure's list of conditions (and not as the ground of an exclusion:
        # "违反法定程序的，不予容错" requires acting within it): a mention
        prop = "mentionsCondition"
        # a mention is, by its definition (ontology/rongcuo.ttl), a condition written into a
        # situation item or stated outside the lists (a definition, a principle): there it
        # counts in full; in an item of any other list (tests, corrections …) it is off the list
        weight = 1.0 if not clause.listed or held == "situations" else OFF_LIST
    return prop, weight


def _suggest_clause(index: FinderIndex, clause: Clause, reference: list[str],
                    unreviewed: set[tuple[str, str, str]] | frozenset = frozenset()) -> list[Suggestion]:
    from rongcuo_kg.finding.compare import text_similarity

    held = clause.held
    label_ev: dict[str, tuple[float, list[str]]] = {}
    text = _CITED_TITLE.sub("", clause.own)  # 《中国共产党纪律处分条例》 names a document, not a concept
    if clause.continues:  # "在应对突发事件中……出现以下情形之一的：" is part of each entry under it
        text += "。" + _CITED_TITLE.sub("", clause.lead)
    concepts, _asks = index.recognise(text)
    per: dict[str, dict[str, float]] = defaultdict(dict)
    for m in concepts:
        w = index.label_info.get(m.label, 1.0) * m.weight
        per[m.target][m.label] = max(w, per[m.target].get(m.label, 0.0))
    for cid, labels in per.items():
        ordered = sorted(labels, key=lambda x: -labels[x])
        ev = labels[ordered[0]] + 0.25 * sum(labels[x] for x in ordered[1:])
        label_ev[cid] = (min(1.0, LABEL_SCALE * ev), ordered)
    if held == "exclusions" or (held is None and (_EXCLUSION_LEAD.search(clause.own) or _DISTINCTION.search(clause.own))):
        # a bar to tolerance worded as a condition's opposite (谋取私利, 拒不纠正) states the
        # exclusion that is the failure of that condition (rc:failsCondition)
        for cid, (conf, labels) in list(label_ev.items()):
            # … and so is a counterparty's conduct named there (瞒报, 弄虚作假): the official's own
            # (rc:officialCounterpart)
            counterpart = index.concepts[cid].counterpart if cid in index.concepts else set()
            for excl in (*index.failed_by.get(cid, ()), *sorted(counterpart)):
                if conf > label_ev.get(excl, (0.0, []))[0]:
                    label_ev[excl] = (conf, labels)
    if held == "situations":
        # a field of work (rc:settingLabel: 招商引资, 项目建设) points to a situation; where the entry
        # names another situation in its own words — the cause of the mistake (市场变化, 先行先试) —
        # that one is what the entry states
        stated = {cid for cid, (_conf, labels) in label_ev.items()
                  if cid in index.concepts and index.concepts[cid].scheme == held
                  and any(x not in index.concepts[cid].setting for x in labels)}
        if stated:
            for cid, (conf, labels) in list(label_ev.items()):
                if cid in index.concepts and index.concepts[cid].scheme == held and cid not in stated:
                    label_ev[cid] = (conf * SETTING_ONLY, labels)
    if held in ("conditions", "situations"):
        # a concept of another scheme that is the same idea (skos:closeMatch) states the list's own
        # where its list names it: 主动纠正 (a correction) in a list of conditions is active
        # correction, 不可抗力 (a duty-fulfilled circumstance) in a list of situations a change of
        # circumstances. Not a condition in a list of situations: there it qualifies the situation
        # (a remedy after the mistake: a mention)
        for cid, (conf, labels) in list(label_ev.items()):
            c = index.concepts.get(cid)
            if c is None or (held == "situations" and c.scheme == "conditions"):
                continue
            # … and in a list of conditions an exclusion named (未…谋取不正当利益) is the condition it fails
            for same in c.close | (c.fails if held == "conditions" else set()):
                if index.concepts[same].scheme == held and conf > label_ev.get(same, (0.0, []))[0]:
                    label_ev[same] = (conf, labels)
    neighbour: dict[tuple[str, str], tuple[float, str]] = {}
    scores = index.bm25(index.seg.terms(clause.own), reference)
    for i in sorted(scores, key=lambda i: -scores[i])[:NEIGHBOURS]:
        u = index.units[i]
        if not u.links:
            continue
        sim = text_similarity(clause.own, u.own)
        if sim < MIN_SIMILARITY:
            continue
        for prop, cid in u.links:
            if (u.iri, prop, cid) in unreviewed:
                continue  # only curated or reviewed links are evidence
            if sim > neighbour.get((prop, cid), (0.0, ""))[0]:
                neighbour[(prop, cid)] = (sim, u.iri)
    combined: dict[tuple[str, str], Suggestion] = {}
    for cid, (conf, labels) in label_ev.items():
        if cid not in index.concepts:
            continue
        prop, weight = _property(index, cid, clause, held)
        combined[(prop, cid)] = Suggestion(clause, prop, cid, conf * weight,
                                           [f"labels: {'、'.join(labels)}"])
    for (prop, cid), (sim, iri) in neighbour.items():
        if cid not in index.concepts:
            continue
        _, weight = _property(index, cid, clause, held)
        s = combined.get((prop, cid))
        if s is None:
            s = combined[(prop, cid)] = Suggestion(clause, prop, cid, 0.0, [])
        s.confidence = 1 - (1 - s.confidence) * (1 - sim * weight)
        s.neighbour = iri
        s.reasons.append(f"similar annotated clause {iri.rsplit('/eli/', 1)[-1]} ({sim:.2f})")
    if held is not None and clause.opens:
        # its sub-items are the entries: what it names is theirs, not one more entry of the list
        for s in combined.values():
            if index.concepts[s.concept].scheme == held:
                s.review_only = True
        held = None
    catch_all = held is not None and _CATCH_ALL.match(clause.own) is not None
    if catch_all:  # "（五）其他……的情形": the list's own catch-all, whatever else it names
        combined = {k: s for k, s in combined.items() if index.concepts[s.concept].scheme != held}
        other = next((c for c in sorted(index.concepts.values(), key=lambda c: c.id)
                      if c.scheme == held and c.label_zh.startswith("其他")), None)
        if other is not None:
            prop, _ = _property(index, other.id, clause, held)
            combined[(prop, other.id)] = Suggestion(clause, prop, other.id, AUTO_THRESHOLD,
                                                    [f"the catch-all item of a list of {held} (其他…)"])
    elif held is not None and clause.run_in:  # a list in one sentence: every entry of its kind it names
        for s in combined.values():
            if index.concepts[s.concept].scheme == held and s.confidence >= MIN_CONFIDENCE:
                s.confidence = max(s.confidence, AUTO_THRESHOLD)
                s.reasons.append(f"an entry of a list of {held} written out in this clause")
    elif held is not None:  # the item is one entry of a list of this kind: it states one of them
        mine = sorted((s for s in combined.values() if index.concepts[s.concept].scheme == held),
                      key=lambda s: -s.confidence)
        if mine and mine[0].confidence >= MIN_CONFIDENCE:
            best = mine[0].confidence
            mine[0].confidence = max(best, AUTO_THRESHOLD)
            mine[0].reasons.append(f"an item of a list of {held}: its most likely one")
            for other in mine[1:]:
                if other.confidence < RUNNER_UP * best:
                    other.confidence = min(other.confidence, MIN_CONFIDENCE)
    ground_of_exclusion = held is None and bool(_EXCLUSION_LEAD.search(clause.own))
    if ground_of_exclusion:
        # "违反法定程序的，不予容错": an exclusion whose ground is a condition not met requires it
        required = sorted((s for s in combined.values() if s.property == "requiresCondition"),
                          key=lambda s: -s.confidence)
        if required and required[0].confidence >= MIN_CONFIDENCE:
            required[0].confidence = max(required[0].confidence, AUTO_THRESHOLD)
            required[0].reasons.append("the ground of an exclusion (不予容错): the condition is required")
    ranked = [s for s in combined.values() if s.confidence >= MIN_CONFIDENCE]
    for s in ranked:
        s.confidence = round(s.confidence, 3)
        kind = DECISIVE.get(s.property)
        if kind and held != kind and not (s.property == "requiresCondition" and ground_of_exclusion):
            s.review_only = True
            s.reasons.append(f"outside a list of {kind}: it would decide cases, so it waits for review")
        elif s.property == "statesExclusion" and held != "exclusions" and not ground_of_exclusion \
                and not _DISTINCTION.search(clause.own):
            # an exclusion bars tolerance in every case it reaches: named where no list or
            # sentence bars tolerance (监督: 弄虚作假的，追究责任; 纠错: 防止再次发生) it waits for review
            s.review_only = True
            s.reasons.append("not in a list or sentence that bars tolerance: it waits for review")
    return sorted(ranked, key=lambda s: -s.confidence)
