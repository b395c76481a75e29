"""Which clause covers my situation? The clause finder (issue 4).

An officer describes an incident in their own words; the finder returns the clauses that
cover it, best first, and says why. Everything it knows about the domain comes from the graph
(read through the Store interface with the `queries/internal/finder_*.rq` queries): the concepts and their zh
labels and synonyms (`skos:prefLabel`, `skos:altLabel`), the concept schemes (whose altLabels
are the question words that ask for one kind of element: 哪些条件, 程序, 哪个机构…),
`skos:broader`, and the curated clause-to-concept links (the sub-properties of `rc:concerns`).

How a clause is ranked (one measure at a time; all weights are the constants below, tuned on
data/eval/situations.tsv's dev split and reported on its held-out split):

    score = concepts + ask + BETA * bm25_norm + examples

- concepts: every concept recognised in the question (longest, non-overlapping match of its
  labels on the normalised question; labels of one or two characters must also be whole words
  of the jieba segmentation) that the clause is linked to adds
      evidence(concept) * PROPERTY_WEIGHT[property] * prior(scheme) * relation
  evidence = the best matched label's informativeness, 1 / (1 + LABEL_DF_SLOPE * share of all
  clauses whose text contains the label) — 容错, in nearly every clause, counts little; 防汛,
  in none, counts fully — plus EXTRA_LABEL for each further label of the same concept, capped
  at MAX_EVIDENCE; relation is 1 for the concept itself and BROADER_RELATION for a concept one
  skos:broader step above or below it; prior(scheme) is SCHEME_PRIOR (an incident is first a
  situation; bodies and principles are context), and when the question asks for a kind of
  element (a scheme's question word) that scheme weighs 1 and every other scheme OTHER_SCHEME.
  A clause linked to k concepts through one property counts each 1 / (1 + SPREAD (k - 1)), so an
  item about one situation edges out an item about two. Labels are also matched with the
  question's aspect particles (了, 过, 着) left out: 死了人 finds 死人.
- ask: a clause linked to a concept of the asked scheme gets ASK_BONUS, plus LIST_BONUS for each
  further concept of that scheme it lists itself (at most LIST_MAX); a paragraph or article
  whose parts cover at least two concepts of that scheme (the list as a whole: 哪些条件 → the
  conditions article) gets ASK_BONUS + GROUP_BONUS.
- bm25_norm: Okapi BM25 (k1 = 1.5, b = 0.75, IDF ln(1 + (N - df + 0.5) / (df + 0.5)), never 0)
  over each clause's own text (its text less its parts' texts: an item is ranked on its own
  words, not its article), divided by the best BM25 score in the same measure.

- examples: the EXAMPLE_NEIGHBOURS answered questions of the same measure most like the question
  (qbank.py: cosine over characters and bigrams) each add EXAMPLE_WEIGHT * similarity to their
  first acceptable clause, half that to their second, a third to their third — provided the
  closest of them is at least EXAMPLE_GATE similar. Tuned by leaving
  each data/eval file out in turn and predicting it from the others (bench/RESULTS.md).

Ties go to the more specific clause (item over paragraph over article), then document order.
An article with a single paragraph is one clause (the article) — its paragraph adds nothing.
"""

from __future__ import annotations

import math
import re
import threading
import weakref
from collections import Counter, defaultdict
from dataclasses import dataclass, field, fields
from typing import Iterable

from rongcuo_kg import cache
from rongcuo_kg.graph.clauses import clause_json
from rongcuo_kg.errors import BadInput
from rongcuo_kg.paths import data_dir
from rongcuo_kg.finding.postings import Postings
from rongcuo_kg.finding.qbank import QuestionBank, question_bank
from rongcuo_kg.text.refs import parse_ref
from rongcuo_kg.text.segment import Segmenter, has_content, normalize
from rongcuo_kg.graph.sparqlfiles import load_query
from rongcuo_kg.graph.store import Store

MAX_QUESTION_CHARS = 2000
MAX_MEASURES = 20  # without --measure: the measures with the best clauses, at most this many

# ---- ranking constants (see the module docstring; tuned on the dev split of data/eval/situations.tsv)
BETA = 0.9  # weight of the normalised BM25 score
ASK_BONUS = 1.0  # a clause of the kind the question asks for
GROUP_BONUS = 0.15  # a paragraph/article that lists that kind as a whole
LIST_BONUS = 0.15  # per further concept of the asked kind that one clause itself lists …
LIST_MAX = 4  # … counting at most this many
SPREAD = 0.05  # a clause linked to k concepts through one property: each counts 1 / (1 + SPREAD (k - 1))
LABEL_DF_SLOPE = 10.0  # a label in 10 % of the clauses counts half
LABEL_DF_SAMPLE = 2000
EXTRA_LABEL = 0.25  # each further label of one concept found in the question
MAX_EVIDENCE = 1.75
BROADER_RELATION = 0.5  # a clause linked to the concept's broader or narrower concept
OTHER_SCHEME = 0.5  # a scheme the question does not ask for, when it asks for one
PROPERTY_WEIGHT = {"mentionsCondition": 0.5}  # a condition stated outside the measure's list
SCHEME_PRIOR = {  # by scheme id (the local name of its IRI); 1.0 where not listed
    "situations": 1.0, "conditions": 1.0, "consequences": 0.7, "duty-fulfilled": 0.5,
    "procedure": 0.5, "exclusions": 0.3, "mitigation": 0.3, "correction": 0.3,
    "principles": 0.3, "bodies": 0.3,
}
SOFT_WEIGHT = 1.3  # weight of a concept recognised only through shared words (below)
SOFT_FLOOR = 15.0  # a concept BM25 score below this never counts fully
SOFT_MIN = 0.35  # relative concept score below which a soft match is ignored
SOFT_TOP = 8
CLAUSE_TEXT_IN_CONCEPT = False  # a concept's document also holds the own text of its clauses
LABEL_REPEAT = 2  # labels count twice against the definition in a concept's document
PREFLABEL_PART_WEIGHT = 0.8
FRAME_WEIGHT = 0.4  # a label found only in the asking part of the question, after the facts
GAP_CHARS = 4  # most characters between the words of a label matched with gaps
GAPPED_WEIGHT = 0.9
ASK_WINDOW = 6  # an interrogative at most this many characters before a scheme's label  # a phrase of a preferred label (split at punctuation), unique to one concept
PARTICLES = frozenset("了过着")  # aspect particles a label may skip (死了人 → 死人)
PARTICLE_WEIGHT = 1.0
K1, B = 1.5, 0.75
EXAMPLE_WEIGHT = 8.0  # per unit of similarity to an answered question
EXAMPLE_NEIGHBOURS = 10
EXAMPLE_GATE = 0.15  # the bank speaks only when its closest question is at least this similar
EXAMPLES_SHOWN = 3  # similar answered questions named in a result's "why" …
EXAMPLE_SHOWN_MIN = 0.15  # … when at least this similar (weaker ones still vote: parts.examples)

# how officers ask whether tolerance applies (能不能容错, 可以免责吗, 算不算容错): the asking, not a
# concept — "能不能容错" must not be read as 不容错 (tolerance refused), nor 容错 as a topic
_INTENT = re.compile(
    r"(?:能不能|能否|可不可以|可否|可以|是否|会不会|算不算|属不属于|还能不能|还能|能|会|该不该|应不应该|有没有)"
    r"\s*(?:被|予以|给予|给|申请)?\s*(?:容错免责|容错|免责|免除责任|免于问责|免予问责|免于追责|减责|从轻减轻|从轻|减轻处理|减轻|宽容)"
    r"(?:处理|吗|么|呢|嘛)*"
    r"|(?:容错免责|容错|免责|减责|从轻)(?:吗|么|呢|嘛)")
EXAMPLE_VOTE_MIN = 0.0  # an answered question less similar than this does not vote
# answered questions that name a clause are evidence when their votes are worth one answered
# question this similar naming it first (two or three weaker ones together)
EXAMPLE_EVIDENCE = 0.2
# what a clause must show to be a result at all (no padding): concept evidence of its own, the
# kind of clause asked for, or the question's informative words in its text
CONCEPT_FLOOR = 0.5
COVER_FLOOR = 0.4  # idf-weighted share of the question's words found in the clause's text
_INTERROGATIVE = re.compile(r"哪|什么|啥|怎|如何|谁|几|多少|多久|多长|是否|有没有|能否|何")
_SENTENCE_BREAK = re.compile(r"[,.;!?。，；！？、]")
_FRAME = re.compile(r"吗|呢|\?|能不能|可不可以|是否|会不会|算不算|要不要|能否|还能|怎么办|怎样|如何")
_HEADING = re.compile(r"^第[〇零一二三四五六七八九十百千0-9]+条(?:之[〇零一二三四五六七八九十百千0-9]+)?")
_LABEL_SPLIT = re.compile(r"[、,，;；:：()（）“”\"'《》]+")
_KIND_DEPTH = {"article": 0, "paragraph": 1, "item": 2, "subitem": 3}


# ---------------------------------------------------------------- the index


@dataclass
class Unit:
    idx: int
    iri: str
    measure: str
    ref: str
    kind: str
    text: str
    order: int
    parent: int | None = None
    children: list[int] = field(default_factory=list)
    own: str = ""  # normalised own text (less its parts and its heading)
    links: list[tuple[str, str]] = field(default_factory=list)  # (property local name, concept id)


_UNIT_FIELDS = [f.name for f in fields(Unit)]


@dataclass
class Concept:
    id: str
    iri: str
    scheme: str
    label_zh: str = ""
    label_en: str = ""
    alt: list[str] = field(default_factory=list)
    definition: str = ""
    broader: set[str] = field(default_factory=set)
    narrower: set[str] = field(default_factory=set)
    fails: set[str] = field(default_factory=set)  # an exclusion: the conditions it is the failure of (rc:failsCondition)
    close: set[str] = field(default_factory=set)  # the same idea in another scheme (skos:closeMatch, both ways)
    counterpart: set[str] = field(default_factory=set)  # a counterparty's conduct: the exclusion it is for the official
    setting: set[str] = field(default_factory=set)  # labels naming only the field of work (rc:settingLabel), in alt too


@dataclass
class Scheme:
    id: str
    iri: str
    label_zh: str = ""
    label_en: str = ""
    alt: list[str] = field(default_factory=list)


@dataclass
class Match:
    label: str
    start: int
    end: int
    target: str  # concept id or scheme id
    is_scheme: bool
    weight: float = 1.0


def _one() -> float:  # defaults of the index's defaultdicts: named functions, so it can be saved
    return 1.0


def _lists() -> defaultdict:
    return defaultdict(list)


def _local(iri: str | None) -> str:
    if not iri:
        return ""
    return re.split(r"[#/]", iri)[-1]


class FinderIndex:
    """Everything the finder needs, built once per store (and saved, see get_index)."""

    def __getstate__(self) -> dict:
        """Saved with the clauses as columns (a list per field), which a new process reads back
        several times faster than tens of thousands of objects."""
        state = self.__dict__.copy()
        state["units"] = {name: [getattr(u, name) for u in self.units] for name in _UNIT_FIELDS}
        return state

    def __setstate__(self, state: dict) -> None:
        columns = state["units"]
        state["units"] = [Unit(*row) for row in zip(*(columns[name] for name in _UNIT_FIELDS))]
        self.__dict__.update(state)

    def __init__(self, store: Store):
        self.fingerprint = store.fingerprint  # of the corpus it was built from (None: a server)
        self.units: list[Unit] = []
        self.by_iri: dict[str, int] = {}
        self.concepts: dict[str, Concept] = {}
        self.schemes: dict[str, Scheme] = {}
        self.prop_scheme: dict[str, str] = {}  # property local name -> scheme id
        self.prop_labels: dict[str, tuple[str, str]] = {}
        self._load(store)
        self._build_lexicon()
        self.seg = _segmenter(self.lexicon_words)
        self._build_label_words()
        self._build_bm25()
        self._build_concept_index()

    # -- loading
    def _load(self, store: Store) -> None:
        rows = store.select(load_query("internal/finder_units").text, timeout=None, limit=None).as_dicts()
        rows.sort(key=lambda r: (r["measureId"], r["order"]))
        raw: list[Unit] = []
        idx_of: dict[str, int] = {}
        parent_of: dict[str, str | None] = {}
        for r in rows:
            if r["unit"] in idx_of:
                continue
            u = Unit(len(raw), r["unit"], r["measureId"], str(r["ref"]), r["kind"], r["text"], int(r["order"]))
            idx_of[u.iri] = u.idx
            parent_of[u.iri] = r["parent"]
            raw.append(u)
        for u in raw:
            p = parent_of[u.iri]
            if p in idx_of:
                u.parent = idx_of[p]
                raw[u.parent].children.append(u.idx)
        for u in raw:  # own text: the text less its parts' texts and its heading
            own = u.text
            for c in u.children:
                own = own.replace(raw[c].text, "", 1)
            u.own = normalize(_HEADING.sub("", own.strip()))
        # an article's single paragraph is the article: fold it in
        fold: dict[int, int] = {}
        for u in raw:
            if u.kind == "article" and len(u.children) == 1 and raw[u.children[0]].kind == "paragraph":
                fold[u.children[0]] = u.idx
                u.own = u.own + raw[u.children[0]].own
        keep = [u for u in raw if u.idx not in fold]
        new_idx = {u.idx: i for i, u in enumerate(keep)}

        def target(i: int) -> int:
            return new_idx[fold.get(i, i)]

        alias = {u.iri: target(u.idx) for u in raw}
        for u in keep:
            u.parent = None if u.parent is None else target(u.parent)
            u.children = []
        for i, u in enumerate(keep):
            u.idx = i
        for u in keep:
            if u.parent is not None:
                keep[u.parent].children.append(u.idx)
        self.units = keep
        self.by_iri = alias
        self.graph_refs = {(u.measure, u.ref) for u in raw}  # folded paragraphs (9.p1) included
        self.by_measure: dict[str, list[int]] = defaultdict(list)
        for u in self.units:
            self.by_measure[u.measure].append(u.idx)
        self.by_ref: dict[tuple[str, str], int] = {(u.measure, u.ref): u.idx for u in self.units}

        props = store.select(load_query("internal/finder_properties").text, timeout=None).as_dicts()
        for r in props:
            name = _local(r["property"])
            self.prop_labels[name] = (r["labelZh"] or name, r["labelEn"] or name)
            if r["scheme"]:
                self.prop_scheme[name] = _local(r["scheme"])

        for r in store.select(load_query("internal/finder_concepts").text, timeout=None, limit=None).as_dicts():
            if r["isScheme"]:
                sid = _local(r["subject"])
                s = self.schemes.setdefault(sid, Scheme(sid, r["subject"]))
                s.label_zh = r["labelZh"] or s.label_zh
                s.label_en = r["labelEn"] or s.label_en
                if r["altLabel"] and r["altLabel"] not in s.alt:
                    s.alt.append(r["altLabel"])
                continue
            c = self.concepts.setdefault(str(r["id"]), Concept(str(r["id"]), r["subject"], _local(r["scheme"])))
            c.label_zh = r["labelZh"] or c.label_zh
            c.label_en = r["labelEn"] or c.label_en
            if r["altLabel"] and r["altLabel"] not in c.alt:
                c.alt.append(r["altLabel"])
            if r["altLabel"] and r.get("setting"):
                c.setting.add(r["altLabel"])
            c.definition = r["definition"] or c.definition
            if r["broader"]:
                c.broader.add(r["broader"])
            if r.get("fails"):
                c.fails.add(r["fails"])
            if r.get("close"):
                c.close.add(r["close"])
            if r.get("counterpart"):
                c.counterpart.add(r["counterpart"])
        iri_to_id = {c.iri: c.id for c in self.concepts.values()}
        for c in self.concepts.values():
            c.broader = {iri_to_id[b] for b in c.broader if b in iri_to_id}
            c.fails = {iri_to_id[b] for b in c.fails if b in iri_to_id}
            c.close = {iri_to_id[b] for b in c.close if b in iri_to_id}
            c.counterpart = {iri_to_id[b] for b in c.counterpart if b in iri_to_id}
        for c in list(self.concepts.values()):  # skos:closeMatch is symmetric
            for other in c.close:
                self.concepts[other].close.add(c.id)
        self.failed_by: dict[str, list[str]] = defaultdict(list)  # condition → the exclusions that fail it
        for c in sorted(self.concepts.values(), key=lambda c: c.id):
            for cond in c.fails:
                self.failed_by[cond].append(c.id)
        for c in self.concepts.values():
            for b in c.broader:
                self.concepts[b].narrower.add(c.id)

        for r in store.select(load_query("internal/finder_links").text, timeout=None, limit=None).as_dicts():
            i = self.by_iri.get(r["clause"])
            cid = iri_to_id.get(r["concept"])
            if i is None or cid is None:
                continue
            link = (_local(r["property"]), cid)
            if link not in self.units[i].links:
                self.units[i].links.append(link)

    # -- concept labels
    def _build_lexicon(self) -> None:
        lex: dict[str, list[tuple[str, bool, float]]] = defaultdict(list)
        for s in self.schemes.values():
            for label in [s.label_zh, *s.alt]:
                if label:
                    lex[normalize(label)].append((s.id, True, 1.0))
        parts: dict[str, set[str]] = defaultdict(set)
        for c in self.concepts.values():
            for label in [c.label_zh, *c.alt]:
                if label:
                    lex[normalize(label)].append((c.id, False, 1.0))
            for part in _LABEL_SPLIT.split(normalize(c.label_zh)):
                if len(part) >= 3:
                    parts[part].add(c.id)
        for part, owners in parts.items():
            if len(owners) == 1 and part not in lex:
                lex[part].append((next(iter(owners)), False, PREFLABEL_PART_WEIGHT))
        self.lexicon = {k: v for k, v in lex.items() if len(k) >= 2}
        self.lexicon_words = list(self.lexicon)
        self.label_words: dict[str, list[tuple[str, list[str]]]] = {}  # filled once jieba is up
        self.max_label = max((len(k) for k in self.lexicon), default=2)
        # informativeness of each label: how many clause texts contain it
        # (the share is estimated on an even sample of at most LABEL_DF_SAMPLE clauses)
        step = max(1, len(self.units) // LABEL_DF_SAMPLE)
        texts = [u.own for u in self.units[::step]]
        n = max(1, len(texts))
        self.label_info: dict[str, float] = {}
        for label in self.lexicon:
            df = sum(1 for t in texts if label in t)
            self.label_info[label] = 1.0 / (1.0 + LABEL_DF_SLOPE * df / n)

    def _build_label_words(self) -> None:
        """Labels of two or more words, indexed by their first word (for gapped matches)."""
        index: dict[str, list[tuple[str, list[str]]]] = defaultdict(list)
        for label in self.lexicon:
            parts = [w for w in self.seg.cut(label) if w.strip()]
            if len(parts) >= 2:
                index[parts[0]].append((label, parts))
        self.label_words = dict(index)

    # -- BM25
    def _build_bm25(self) -> None:
        seen: dict[str, list[str]] = {}  # many clauses share their text (across local measures)
        self.doc_terms: list[list[str]] = [seen[u.own] if u.own in seen else seen.setdefault(u.own, self.seg.terms(u.own))
                                           for u in self.units]
        self.clause_bm25 = BM25(self.doc_terms, [u.measure for u in self.units])
        self.idf = self.clause_bm25.idf
        # concepts as documents: their labels (LABEL_REPEAT times) and definition
        self.concept_ids = sorted(self.concepts)
        linked: dict[str, set[int]] = defaultdict(set)
        for u in self.units:
            for prop, cid in u.links:
                if PROPERTY_WEIGHT.get(prop, 1.0) >= 1.0:
                    linked[cid].add(u.idx)
        docs = []
        for cid in self.concept_ids:
            c = self.concepts[cid]
            terms: list[str] = []
            for label in [c.label_zh, *c.alt]:
                terms += self.seg.terms(normalize(label)) * LABEL_REPEAT
            terms += self.seg.terms(normalize(c.definition))
            if CLAUSE_TEXT_IN_CONCEPT:
                for i in linked.get(cid, ()):
                    terms += self.doc_terms[i]
            docs.append(terms)
        self.concept_bm25 = BM25(docs)

    def bm25(self, terms: Iterable[str], measures: Iterable[str]) -> dict[int, float]:
        return self.clause_bm25.scores(terms, measures)

    def soft_concepts(self, terms: list[str]) -> dict[str, tuple[float, list[str]]]:
        """Concepts whose labels and definition share words with the question: BM25 over the
        concepts as documents, divided by max(best score, SOFT_FLOOR); the SOFT_TOP best above
        SOFT_MIN, with the question words that matched."""
        raw = self.concept_bm25.scores(terms)
        if not raw:
            return {}
        scale = max(max(raw.values()), SOFT_FLOOR)
        best = sorted(raw.items(), key=lambda kv: -kv[1])[:SOFT_TOP]
        out = {}
        qset = set(terms)
        for i, sc in best:
            if sc / scale >= SOFT_MIN:
                words = sorted(qset & set(self.concept_bm25.docs[i]),
                               key=lambda t: (-self.concept_bm25.idf.get(t, 0), t))  # stable across runs
                out[self.concept_ids[i]] = (sc / scale, words)
        return out

    # -- concept -> clauses
    def _build_concept_index(self) -> None:
        self.concept_units: dict[str, list[tuple[int, str]]] = defaultdict(list)
        per_prop: Counter[tuple[int, str]] = Counter()
        for u in self.units:
            for prop, cid in u.links:
                self.concept_units[cid].append((u.idx, prop))
                per_prop[(u.idx, prop)] += 1
        # a clause that states k concepts through one property is a little less about each
        self.spread = defaultdict(_one, {key: 1.0 + SPREAD * (k - 1) for key, k in per_prop.items()})
        # paragraphs/articles whose parts cover >= 2 concepts of one scheme: the list as a whole
        self.groups: dict[str, list[int]] = defaultdict(list)
        for u in self.units:
            if not u.children:
                continue
            cover: dict[str, set[str]] = defaultdict(set)
            for d in self.descendants(u.idx):
                for prop, cid in self.units[d].links:
                    scheme = self.prop_scheme.get(prop)
                    if scheme and PROPERTY_WEIGHT.get(prop, 1.0) >= 1.0:
                        cover[scheme].add(cid)
            for scheme, cids in cover.items():
                if len(cids) >= 2:
                    self.groups[scheme].append(u.idx)
        # per measure: the conditions it requires, with their clauses
        self.required: dict[str, dict[str, list[int]]] = defaultdict(_lists)
        for u in self.units:
            for prop, cid in u.links:
                if prop == "requiresCondition":
                    self.required[u.measure][cid].append(u.idx)

    def descendants(self, i: int) -> list[int]:
        out, stack = [], list(self.units[i].children)
        while stack:
            j = stack.pop()
            out.append(j)
            stack.extend(self.units[j].children)
        return out

    # -- recognition
    def recognise(self, q: str) -> tuple[list[Match], list[Match]]:
        """Concept matches and scheme (question-word) matches in a normalised question.

        A label matches where it occurs verbatim, or where its words (jieba) occur in order
        with at most GAP_CHARS other characters between them (落实市里的决策部署 matches
        落实决策部署), at GAPPED_WEIGHT. Labels of one or two characters must be whole words.
        A scheme's label is a question for that kind of element only where the label itself
        asks (哪些情形, 怎么申请) or an interrogative (哪, 什么, 怎, 如何, 谁, 几, 多少…) stands
        at most ASK_WINDOW characters before it, or a question mark or 吗/呢 right after it:
        "结果出了偏差" tells a story, "有什么结果" asks.
        """
        found: list[Match] = []
        for i in range(len(q)):
            for n in range(min(self.max_label, len(q) - i), 1, -1):
                hits = self.lexicon.get(q[i:i + n])
                if hits:
                    for target, is_scheme, w in hits:
                        found.append(Match(q[i:i + n], i, i + n, target, is_scheme, w))
        spans = self.seg.spans(q)
        starts = {s for s, _ in spans}
        ends = {e for _, e in spans}
        found = [m for m in found if m.end - m.start > 2 or (m.start in starts and m.end in ends)]
        found += self._gapped(q, spans)
        found += self._without_particles(q, spans, starts, ends)
        concepts = _longest(m for m in found if not m.is_scheme)
        asks = [m for m in _longest(m for m in found if m.is_scheme)
                if self._asks(q, m)
                and not any(c.start <= m.start and m.end <= c.end and (c.end - c.start) > (m.end - m.start)
                            for c in concepts)]
        return concepts, asks

    def _gapped(self, q: str, spans: list[tuple[int, int]]) -> list[Match]:
        words = [q[s:e] for s, e in spans]
        out = []
        for k, w in enumerate(words):
            for label, parts in self.label_words.get(w, ()):
                pos, j, start = 1, k + 1, spans[k][0]
                end = spans[k][1]
                while pos < len(parts) and j < len(words):
                    if spans[j][0] - end > GAP_CHARS:
                        break
                    if words[j] == parts[pos]:
                        end = spans[j][1]
                        pos += 1
                    j += 1
                if pos == len(parts) and q[start:end] != label:
                    for target, is_scheme, weight in self.lexicon[label]:
                        out.append(Match(label, start, end, target, is_scheme, weight * GAPPED_WEIGHT))
        return out

    def _without_particles(self, q: str, spans: list[tuple[int, int]], starts: set[int],
                           ends: set[int]) -> list[Match]:
        """Labels found once the aspect particles (了, 过, 着 as words of their own) are left
        out (and a particle that ends a word of three or more characters: 容错过 → 容错): 死了人
        matches 死人, 容错过一次 matches 容错一次. Only matches that span a dropped particle
        are new; they start and end at word boundaries of the question."""
        dropped = {s for s, e in spans if q[s:e] in PARTICLES}
        dropped |= {e - 1 for s, e in spans if e - s >= 3 and q[e - 1] in PARTICLES}  # 容错过
        if not dropped:
            return []
        kept = [k for k in range(len(q)) if k not in dropped]
        q2 = "".join(q[k] for k in kept)
        out = []
        for i in range(len(q2)):
            for n in range(min(self.max_label, len(q2) - i), 1, -1):
                hits = self.lexicon.get(q2[i:i + n])
                if not hits:
                    continue
                start, end = kept[i], kept[i + n - 1] + 1
                if end - start == n or start not in starts or end not in ends:
                    continue  # found verbatim already, or cuts a word
                for target, is_scheme, w in hits:
                    out.append(Match(q2[i:i + n], start, end, target, is_scheme, w * PARTICLE_WEIGHT))
        return out

    @staticmethod
    def _asks(q: str, m: Match) -> bool:
        if _INTERROGATIVE.search(m.label):
            return True
        if _INTERROGATIVE.search(q[max(0, m.start - ASK_WINDOW):m.start]):
            return True
        return q[m.end:m.end + 1] in ("?", "吗", "呢")


def _longest(matches: Iterable[Match]) -> list[Match]:
    """Non-overlapping matches, longer first, then earlier."""
    chosen: list[Match] = []
    taken: list[tuple[int, int]] = []
    for m in sorted(matches, key=lambda m: (-(m.end - m.start), m.start)):
        if any(m.start < e and s < m.end for s, e in taken) and not any(
                (c.start, c.end) == (m.start, m.end) for c in chosen):
            continue
        chosen.append(m)
        taken.append((m.start, m.end))
    return sorted(chosen, key=lambda m: m.start)


class BM25:
    """Okapi BM25 (k1 = K1, b = B) with IDF ln(1 + (N - df + 0.5) / (df + 0.5)), which is never
    0 (unlike rank-bm25's for a term in half the documents). Weights are precomputed per
    posting (kept as flat arrays, see postings.py). Documents of one group (the measure) lie next
    to each other, so a search in some groups reads only their stretch of each term's postings."""

    def __init__(self, docs: list[list[str]], groups: list[str] | None = None):
        self.docs = docs
        n = len(docs)
        lengths = [len(t) for t in docs]
        avgdl = (sum(lengths) / n) if n else 1.0
        df: Counter[str] = Counter()
        for terms in docs:
            df.update(set(terms))
        self.idf = {t: math.log(1 + (n - d + 0.5) / (d + 0.5)) for t, d in df.items()}
        spans: dict[str, list[int]] = {}  # group -> [first document, last document + 1]
        for i, group in enumerate(groups or ()):
            span = spans.setdefault(group, [i, i])
            if span[1] != i:
                raise ValueError(f"BM25: the documents of group {group!r} are not next to each other")
            span[1] = i + 1
        self.spans = {g: (lo, hi) for g, (lo, hi) in spans.items()}
        postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for i, terms in enumerate(docs):
            if not terms:
                continue
            norm = K1 * (1 - B + B * lengths[i] / (avgdl or 1.0))
            for t, tf in Counter(terms).items():
                postings[t].append((i, self.idf[t] * tf * (K1 + 1) / (tf + norm)))
        self.postings = Postings(postings)  # documents ascending in each term's postings

    def scores(self, terms: Iterable[str], groups: Iterable[str] | None = None) -> dict[int, float]:
        out: dict[int, float] = defaultdict(float)
        keys = list(groups) if groups is not None else None
        for t in set(terms):
            if t not in self.postings:
                continue
            if keys is None:
                for i, w in self.postings.pairs(t):
                    out[i] += w
                continue
            for g in keys:
                span = self.spans.get(g)
                if span is not None:
                    for i, w in self.postings.pairs(t, *span):
                        out[i] += w
        return out


# ---------------------------------------------------------------- caches

_SEGMENTERS: dict[str, Segmenter] = {}
_INDEXES: "weakref.WeakKeyDictionary[Store, FinderIndex]" = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def _segmenter(words: list[str]) -> Segmenter:
    key = "\n".join(sorted(words))
    with _LOCK:
        if key not in _SEGMENTERS:
            _SEGMENTERS[key] = Segmenter(words)
        return _SEGMENTERS[key]


def get_index(store: Store) -> FinderIndex:
    """The finder's index for a store, kept for the process. For a store built from a corpus
    folder it is saved in the cache folder, keyed on the corpus fingerprint, and read back by
    later processes; for a SPARQL server (whose content can change) it is built each time."""
    with _LOCK:
        idx = _INDEXES.get(store)
    if idx is None:
        key = store.fingerprint
        if key:
            idx = cache.load_or_build("finder", key, lambda: FinderIndex(store),
                                      lambda o: isinstance(o, FinderIndex) and o.fingerprint == key)
        else:
            idx = FinderIndex(store)
        with _LOCK:
            _INDEXES[store] = idx
    return idx


# ---------------------------------------------------------------- finding


def check_question(question: str) -> str:
    if question is None or not question.strip():
        raise BadInput("empty question: describe the situation in words (问题为空)")
    if len(question.strip()) > MAX_QUESTION_CHARS:  # spaces around it are not the officer's words
        raise BadInput(f"question too long: {len(question.strip())} characters, at most {MAX_QUESTION_CHARS} "
                       f"(问题过长)")
    if not has_content(question):
        raise BadInput("the question has only punctuation or symbols: describe the situation in words "
                       "(问题仅含标点或符号)")
    return normalize(question)


def check_measure(index: FinderIndex, measure: str | None) -> list[str]:
    if measure is None:
        return sorted(index.by_measure)
    if measure not in index.by_measure:
        raise BadInput(f"unknown measure '{measure}'; known: {', '.join(sorted(index.by_measure))}")
    return [measure]


@dataclass
class Parts:
    concepts: float = 0.0
    ask: float = 0.0
    bm25: float = 0.0
    examples: float = 0.0
    matched: list[dict] = field(default_factory=list)
    similar: list[dict] = field(default_factory=list)


def frame_start(q: str) -> int | None:
    """Where the question's frame begins: the last sentence part, when it asks (…能容错吗,
    算不算…) and something comes before it. Officers tell the facts first, then ask."""
    parts = [m.start() for m in _SENTENCE_BREAK.finditer(q) if m.end() < len(q)]
    if not parts:
        return None
    start = parts[-1] + 1
    return start if _FRAME.search(q[start:]) else None


def _evidence(index: FinderIndex, matches: list[Match], terms: list[str], q: str = "") -> dict[str, dict]:
    """Per recognised concept: its evidence, the labels that matched exactly and the
    question words it shares with the concept's labels and definition. A label found only
    in the question's frame (the asking part) counts FRAME_WEIGHT when labels are also found
    in the facts before it."""
    per: dict[str, dict[str, float]] = defaultdict(dict)
    fs = frame_start(q) if q else None
    in_facts = fs is not None and any(m.end <= fs for m in matches)
    for m in matches:
        w = index.label_info.get(m.label, 1.0) * m.weight
        if in_facts and m.start >= fs:
            w *= FRAME_WEIGHT
        per[m.target][m.label] = max(w, per[m.target].get(m.label, 0.0))
    out: dict[str, dict] = {}
    for cid, labels in per.items():
        ordered = sorted(labels, key=lambda label: -labels[label])
        total = labels[ordered[0]] + EXTRA_LABEL * sum(labels[label] for label in ordered[1:])
        out[cid] = {"exact": min(MAX_EVIDENCE, total), "labels": ordered, "soft": 0.0, "words": []}
    for cid, (soft, words) in index.soft_concepts(terms).items():
        e = out.setdefault(cid, {"exact": 0.0, "labels": [], "soft": 0.0, "words": []})
        e["soft"], e["words"] = soft, words
    for e in out.values():
        e["evidence"] = e["exact"] + SOFT_WEIGHT * e["soft"]
    return out


def score_question(index: FinderIndex, q: str, measures: list[str], concepts: list[Match],
                   asks: list[Match], bank: QuestionBank | None = None) -> tuple[dict[int, Parts], list[str]]:
    asked = {m.target for m in asks}

    def prior(scheme: str) -> float:
        if asked:
            return 1.0 if scheme in asked else OTHER_SCHEME * SCHEME_PRIOR.get(scheme, 1.0)
        return SCHEME_PRIOR.get(scheme, 1.0)

    mset = set(measures)
    parts: dict[int, Parts] = defaultdict(Parts)
    terms = index.seg.terms(q)
    for cid, e in _evidence(index, concepts, terms, q).items():
        ev = e["evidence"]
        c = index.concepts.get(cid)
        if c is None:
            continue
        related = [(cid, 1.0)] + [(b, BROADER_RELATION) for b in c.broader | c.narrower]
        for target, rel in related:
            for i, prop in index.concept_units.get(target, ()):
                u = index.units[i]
                if u.measure not in mset:
                    continue
                scheme = index.prop_scheme.get(prop) or index.concepts[target].scheme
                contrib = ev * rel * PROPERTY_WEIGHT.get(prop, 1.0) * prior(scheme) / index.spread[(i, prop)]
                p = parts[i]
                p.concepts += contrib
                p.matched.append({"id": target, "label": index.concepts[target].label_zh,
                                  "via": prop, "matched": e["labels"], "words": e["words"],
                                  **({"through": cid} if target != cid else {}),
                                  "weight": round(contrib, 4)})
    for scheme in asked:
        for i in index.groups.get(scheme, ()):
            if index.units[i].measure in mset:
                parts[i].ask = max(parts[i].ask, ASK_BONUS + GROUP_BONUS)
        listed: dict[int, set[str]] = defaultdict(set)
        for c in index.concepts.values():
            if c.scheme != scheme:
                continue
            for i, prop in index.concept_units.get(c.id, ()):
                if index.units[i].measure in mset and PROPERTY_WEIGHT.get(prop, 1.0) >= 1.0:
                    listed[i].add(c.id)
        for i, cids in listed.items():  # a clause that itself lists several of the kind asked for
            extra = LIST_BONUS * min(len(cids) - 1, LIST_MAX)
            parts[i].ask = max(parts[i].ask, ASK_BONUS + extra)
    raw = index.bm25(terms, measures)
    best: dict[str, float] = defaultdict(float)
    for i, s in raw.items():
        m = index.units[i].measure
        best[m] = max(best[m], s)
    for i, s in raw.items():
        b = best[index.units[i].measure]
        if b > 0:
            parts[i].bm25 = s / b
    if bank is not None:
        _add_examples(index, q, measures, bank, parts)
    return parts, terms


def _add_examples(index: FinderIndex, q: str, measures: list[str], bank: QuestionBank,
                  parts: dict[int, Parts]) -> None:
    for m in bank.measures.intersection(measures):
        near = bank.neighbours(q, m, EXAMPLE_NEIGHBOURS)
        if not near or near[0][0] < EXAMPLE_GATE:  # nothing answered is like it: an off-topic
            continue  # question ("今天天气怎么样") gets no votes
        for sim, row in near:
            if sim < EXAMPLE_VOTE_MIN:  # too far from this question to say anything about it
                continue
            for k, ref in enumerate(row.refs):
                i = index.by_ref.get((m, str(ref)))
                if i is None:  # a ref the measure no longer has: the answer is not used
                    continue
                p = parts[i]
                p.examples += EXAMPLE_WEIGHT * sim / (1 + k)
                p.similar.append({"question": row.question, "similarity": round(sim, 3),
                                  "source": row.where})


def _total(p: Parts) -> float:
    return p.concepts + p.ask + BETA * p.bm25 + p.examples


def _rank_key(index: FinderIndex, i: int, p: Parts):
    u = index.units[i]
    return (-round(_total(p), 9), -_KIND_DEPTH.get(u.kind, 0), u.order)


def mask_intent(q: str) -> str:
    """The question with its yes/no asking (能不能容错, 可以免责吗) blanked out, same length, for
    recognising concepts: the asking says what the officer wants to know, not what happened."""
    return _INTENT.sub(lambda m: "，" * len(m.group(0)), q)


def term_weights(index: FinderIndex, terms: list[str]) -> dict[str, float]:
    """The question's words with their idf, once per question (a word no clause uses tells the most)."""
    unseen = max(index.idf.values(), default=1.0)
    return {t: index.idf.get(t, unseen) for t in set(terms)}


def coverage(index: FinderIndex, i: int, weights: dict[str, float]) -> float:
    """The idf-weighted share of the question's words (`term_weights`) that clause i's own text holds."""
    total = sum(weights.values())
    if not total:
        return 0.0
    own = set(index.doc_terms[i])
    shared = [t for t in weights if t in own]
    if len(shared) < 2:  # one word in common is a coincidence, not a match
        return 0.0
    return sum(weights[t] for t in shared) / total


def evidence(index: FinderIndex, i: int, p: Parts, weights: dict[str, float]) -> list[str]:
    """The kinds of evidence of its own a clause has; it is a result only with one at least: a
    concept named in the question ("concept": a label found, or two words of its definition, not
    one: 企业, 公务员), the kind of clause asked for ("ask"), answered questions close to this one
    that name it ("questions"), or the question's words in its text ("text")."""
    named = sum(m["weight"] for m in p.matched if m["matched"] or _distinct_words(m["words"]) >= 2)
    kinds = []
    if named >= CONCEPT_FLOOR:
        kinds.append("concept")
    if p.ask > 0:
        kinds.append("ask")
    if p.examples >= EXAMPLE_WEIGHT * EXAMPLE_EVIDENCE:  # one answered question 0.154 similar does not
        kinds.append("questions")
    if coverage(index, i, weights) >= COVER_FLOOR:
        kinds.append("text")
    return kinds


RELEVANCE_LABELS = {"high": ("高", "high"), "medium": ("中", "medium"), "low": ("低", "low")}


def relevance(kinds: list[str]) -> str:
    """A plain scale for readers in place of the raw score (which has no unit): "high" when the
    clause states a concept the question names and one more kind of evidence agrees, "medium"
    on the concept alone or two other kinds together, "low" on one kind that is not a concept
    (the words alone, or answered questions alone)."""
    if "concept" in kinds:
        return "high" if len(kinds) >= 2 else "medium"
    return "medium" if len(kinds) >= 2 else "low"


def _distinct_words(words: list[str]) -> int:
    """Words shared with a concept's definition, one word's parts counted once (公务员, 公务)."""
    return sum(1 for w in words if not any(w != o and w in o for o in words))


def find(store: Store, question: str, measure: str | None = None, top: int = 5,
         lang: str = "zh", index: FinderIndex | None = None, bank: QuestionBank | None = None) -> dict:
    """The contract's find result: {"query", "concepts", "results"} best first. Without a
    measure: the best `top` clauses of each measure (the results name their measure), for the
    MAX_MEASURES measures whose best clause scores highest (all of them in a small corpus).
    `bank`: the answered questions to learn from (default: those of the corpus folder in use;
    qbank.EMPTY for the concepts and text alone)."""
    if top < 1:
        raise BadInput("--top must be at least 1")
    q = check_question(question)
    index = index or get_index(store)
    measures = check_measure(index, measure)
    masked = mask_intent(q)  # concepts and words come from what happened, not from the asking
    concepts, _ = index.recognise(masked)
    _, asks = index.recognise(q)
    bank = question_bank(data_dir()) if bank is None else bank
    parts, terms = score_question(index, masked, measures, concepts, asks, bank)
    per_measure: dict[str, list[int]] = defaultdict(list)
    weights = term_weights(index, terms)
    kinds = {i: evidence(index, i, p, weights) for i, p in parts.items() if _total(p) > 0}
    candidates = [i for i, k in kinds.items() if k]
    for i in sorted(candidates, key=lambda i: _rank_key(index, i, parts[i])):
        m = index.units[i].measure
        if m not in per_measure and len(per_measure) >= MAX_MEASURES:
            continue
        if len(per_measure[m]) < top:
            per_measure[m].append(i)
    chosen = [i for ids in per_measure.values() for i in ids]
    chosen.sort(key=lambda i: _rank_key(index, i, parts[i]))
    qterms = set(terms)
    results = [_result(index, i, parts[i], qterms, lang, kinds[i]) for i in chosen]
    seen: set[str] = set()
    recognised = []
    for m in concepts:
        if m.target not in seen:
            seen.add(m.target)
            c = index.concepts[m.target]
            recognised.append({"id": c.id, "label": c.label_zh if lang == "zh" else c.label_en})
    silent = [m for m in measures if m not in per_measure]  # 本办法没有相应条款
    from rongcuo_kg.finding.bars import bars

    return {"query": question, "concepts": recognised, "no_clause": silent,
            "bars": bars(index, masked, measures, lang),
            "asks": [{"scheme": m.target, "label": _scheme_label(index, m.target, lang), "matched": m.label}
                     for m in asks],
            "results": results}


def _scheme_label(index: FinderIndex, sid: str, lang: str) -> str:
    s = index.schemes.get(sid)
    if not s:
        return sid
    return s.label_zh if lang == "zh" else s.label_en


def _result(index: FinderIndex, i: int, p: Parts, qterms: set[str], lang: str, kinds: list[str]) -> dict:
    u = index.units[i]
    out = clause_json(parse_ref(u.ref), u.measure, u.iri, u.text)
    out["citation"] = unit_citation(index, i, lang)
    out["score"] = round(_total(p), 4)
    out["relevance"] = relevance(kinds)
    out["evidence"] = kinds
    matched_terms = sorted(qterms & set(index.doc_terms[i]), key=lambda t: (-index.idf.get(t, 0), t))
    concepts = _merge_matched(p.matched)
    for c in concepts:
        if lang == "en":
            c["label"] = index.concepts[c["id"]].label_en or c["label"]
        zh, en = index.prop_labels.get(c["via"], (c["via"], c["via"]))
        c["via_label"] = zh if lang == "zh" else en
    why: dict = {
        "concepts": concepts,
        "terms": matched_terms,
        "parts": {"concepts": round(p.concepts, 4), "ask": round(p.ask, 4),
                  "bm25": round(BETA * p.bm25, 4), "examples": round(p.examples, 4)},
    }
    shown = [q for q in p.similar if q["similarity"] >= EXAMPLE_SHOWN_MIN]
    if shown:
        why["similar_questions"] = sorted(shown, key=lambda s: -s["similarity"])[:EXAMPLES_SHOWN]
    states = [cid for prop, cid in u.links if prop == "statesSituation"]
    if states:
        why["situations"] = states  # the situations the clause itself states (for a case to validate)
        why["conditions"] = conditions_for(index, u.measure, lang)
    out["why"] = why
    return out


def unit_citation(index: FinderIndex, i: int, lang: str = "zh") -> str:
    """A clause cited as readers cite it (第六条第一款第三项 / Art. 6 para. 1 item 3), without the
    measure's title: the results are grouped under it."""
    from rongcuo_kg.graph.rdfgen import iri_citation

    return iri_citation(index.units[i].iri, lang)


def _merge_matched(items: list[dict]) -> list[dict]:
    merged: dict[tuple[str, str], dict] = {}
    for m in items:
        key = (m["id"], m["via"])
        if key in merged:
            merged[key]["weight"] = round(merged[key]["weight"] + m["weight"], 4)
        else:
            merged[key] = dict(m)
    return sorted(merged.values(), key=lambda m: (-m["weight"], m["id"], m["via"]))


def conditions_for(index: FinderIndex, measure: str, lang: str = "zh") -> list[dict]:
    """The conditions a measure requires to hold together with any of its situations."""
    out = []
    for cid, ids in sorted(index.required.get(measure, {}).items(),
                           key=lambda kv: min(index.units[i].order for i in kv[1])):
        c = index.concepts[cid]
        ordered = sorted(ids, key=lambda i: index.units[i].order)
        out.append({"id": cid, "label": c.label_zh if lang == "zh" else c.label_en,
                    "clauses": [index.units[i].ref for i in ordered],
                    "citations": [unit_citation(index, i, lang) for i in ordered]})
    return out


def bm25_baseline(store: Store, question: str, measure: str | None = None, top: int = 5,
                  index: FinderIndex | None = None) -> list[dict]:
    """Plain BM25 over the same clauses' own text, no concepts: the evaluation's baseline."""
    q = check_question(question)
    index = index or get_index(store)
    measures = check_measure(index, measure)
    raw = index.bm25(index.seg.terms(q), measures)
    ranked = sorted(raw, key=lambda i: (-raw[i], -_KIND_DEPTH.get(index.units[i].kind, 0), index.units[i].order))
    per: dict[str, int] = defaultdict(int)
    out = []
    for i in ranked:
        u = index.units[i]
        if per[u.measure] >= top or (u.measure not in per and len(per) >= MAX_MEASURES):
            continue
        per[u.measure] += 1
        out.append({**clause_json(parse_ref(u.ref), u.measure, u.iri, u.text), "score": round(raw[i], 4)})
    return out
