"""How do two measures differ? Corresponding provisions, a character diff of each pair, and
the provisions of each side without a counterpart (`rongcuo-kg compare A B`).

Pairs are proposed by blocking, never by comparing every clause with every other:
- concept: clauses of A and B linked to the same concept by the same property (one
  concept across measures is one node, so this is a join on (property, concept));
  concept similarity = mean of the weighted overlap and weighted Jaccard of their
  (property, concept) link sets (bodies and principles, context, weigh CONTEXT_WEIGHT);
- text: clauses that share at least MIN_SHARED_SHINGLES character 3-grams (ignoring 3-grams
  found in more than SHINGLE_DF_CAP of B's provisions); text similarity = normalised Indel
  similarity of their own texts (rapidfuzz), kept from TEXT_MIN;
- curated: data/alignments/*.ttl (`rc:curationStatus "accepted"` adds a pair with score 1,
  `"rejected"` removes it whatever the automatic methods say).
score = 1 - (1 - concept) (1 - text) (noisy-or), pairs kept from MIN_SCORE. Each pair's diff
is of the two texts as printed; where one side is a list's lead (an article or paragraph with
parts), of the two leads' own words (`"diffed": "own_text"`), since its items pair on their own.

A provision is a clause with its own content: an item or sub-item, or a paragraph or article
that has no parts or is itself linked to a concept (a list's lead without a concept is a
container). Correspondences are written as RDF (ontology/alignment.ttl: rc:Correspondence
with rc:sourceClause, rc:targetClause, rc:similarityScore, rc:alignmentMethod,
rc:sharedConcept, and PROV: prov:wasGeneratedBy an rc:AlignmentActivity that prov:used both
measures, prov:generatedAtTime).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD

from rongcuo_kg.graph.clauses import clause_json
from rongcuo_kg.errors import BadInput
from rongcuo_kg.finding.finder import FinderIndex, check_measure, get_index
from rongcuo_kg.graph.namespaces import AGENT, BASE, RC, RCC, bind_prefixes, measure_iri, measure_of
from rongcuo_kg.paths import data_dir
from rongcuo_kg.text.refs import parse_ref
from rongcuo_kg.text.segment import normalize
from rongcuo_kg.graph.store import Store

ALIGN = Namespace(BASE + "alignment/")
TEXT_MIN = 0.5
MIN_SCORE = 0.3
MIN_SHARED_SHINGLES = 3
SHINGLE_DF_CAP = 0.2
CONTEXT_WEIGHT = {"bodies": 0.3, "principles": 0.5}
GENERIC_SLOPE = 10.0  # a concept linked to this share⁻¹ of clauses … (see _specificity)
_PUNCT = re.compile(r"[\W_]+", re.UNICODE)


def provisions(index: FinderIndex, measure: str) -> list[int]:
    return [i for i in index.by_measure.get(measure, [])
            if (not index.units[i].children or index.units[i].links) and _PUNCT.sub("", index.units[i].own)]


def shingles(text: str, k: int = 3) -> set[str]:
    t = _PUNCT.sub("", normalize(text))
    return {t[i:i + k] for i in range(len(t) - k + 1)} if len(t) >= k else ({t} if t else set())


def text_similarity(a: str, b: str) -> float:
    from rapidfuzz.distance import Indel

    return Indel.normalized_similarity(_PUNCT.sub("", a), _PUNCT.sub("", b))


def char_diff(a: str, b: str) -> list[dict]:
    """Character-level diff of two texts as insertions, deletions and equal runs."""
    from rapidfuzz.distance import Indel

    return [{"op": op.tag, "a": a[op.src_start:op.src_end], "b": b[op.dest_start:op.dest_end]}
            for op in Indel.opcodes(a, b)]


@lru_cache(maxsize=8)
def _curated(folder: str, stamp: tuple) -> dict[frozenset, dict]:
    """Every decision of the curated files; one naming no two clauses or an unknown status is
    refused by file, not silently skipped (a typo must not undo a lawyer's decision)."""
    from rongcuo_kg.graph.build import parse_turtle

    out: dict[frozenset, dict] = {}
    for path in sorted(Path(folder).glob("*.ttl")):
        g = Graph()
        parse_turtle(path, g)
        for c in sorted(set(g.subjects(RC.curationStatus, None)) | set(g.subjects(RC.sourceClause, None)), key=str):
            a, b = g.value(c, RC.sourceClause), g.value(c, RC.targetClause)
            status = str(g.value(c, RC.curationStatus))
            if a is None or b is None:
                raise BadInput(f"curated pair {c} needs rc:sourceClause and rc:targetClause", path)
            if status not in ("accepted", "rejected"):
                raise BadInput(f"curated pair {c}: rc:curationStatus must be \"accepted\" or \"rejected\", "
                               f"got \"{status}\"", path)
            note = g.value(c, RDFS.comment)
            out[frozenset((str(a), str(b)))] = {"status": status, "note": str(note) if note else "",
                                                "iri": str(c), "file": str(path)}
    return out


def check_curated(index: FinderIndex, curated: dict[frozenset, dict]) -> None:
    """Both clauses of every curated pair must be clauses of the graph; a pair of a measure the
    graph left out (a broken file: connect.left_out) is not checked, it simply cannot be shown."""
    for key, verdict in curated.items():
        for iri in sorted(key):
            if iri not in index.by_iri and measure_of(iri) in index.by_measure:
                raise BadInput(f"curated pair {verdict['iri']} names {iri}, which is no clause of the graph",
                               verdict["file"])


def curated_pairs(data: str | Path | None = None) -> dict[frozenset, dict]:
    folder = data_dir(data) / "alignments"
    if not folder.is_dir():
        return {}
    files = sorted(folder.glob("*.ttl"))
    stamp = tuple((f.name, f.stat().st_mtime_ns, f.stat().st_size) for f in files)
    return _curated(str(folder), stamp)


def _key_weight(index: FinderIndex, key: tuple[str, str]) -> float:
    """A shared link's weight: context (bodies, principles) weighs less, and so does a concept
    that many clauses share (容错 itself, a measure's scope): a correspondence needs specific
    content in common. A concept linked to 10 % of all clauses counts half (as the finder
    weighs a label found in 10 % of the clauses)."""
    prop, cid = key
    scheme = index.prop_scheme.get(prop) or index.concepts[cid].scheme
    return CONTEXT_WEIGHT.get(scheme, 1.0) * _specificity(index, cid)


def _specificity(index: FinderIndex, cid: str) -> float:
    share = len({i for i, _ in index.concept_units.get(cid, ())}) / max(len(index.units), 1)
    return 1.0 / (1.0 + GENERIC_SLOPE * share)


def concept_similarity(index: FinderIndex, ka: set, kb: set, shared: set) -> float:
    """Of two clauses' (property, concept) links: the mean of the weighted overlap (shared
    weight over the smaller side's: a clause that states one situation corresponds to one that
    states it with a step more) and the weighted Jaccard (which tempers it); bodies and
    principles weigh CONTEXT_WEIGHT, and a pair that shares only such context is scaled
    down by it."""
    if not shared:
        return 0.0
    wa = sum(_key_weight(index, k) for k in ka)
    wb = sum(_key_weight(index, k) for k in kb)
    ws = sum(_key_weight(index, k) for k in shared)
    strongest = max(_key_weight(index, k) for k in shared)  # context alone corresponds weakly
    return strongest * (ws / min(wa, wb) + ws / (wa + wb - ws)) / 2


def score_pair(index: FinderIndex, i: int, j: int, ki: set, kj: set) -> tuple[float, list[dict]]:
    """Two clauses' score (concept similarity and text similarity from TEXT_MIN, noisy-or) and
    its basis: the (property, concept) links they share and the text similarity used."""
    shared = ki & kj
    cs = concept_similarity(index, ki, kj, shared)
    ts = text_similarity(index.units[i].own, index.units[j].own)
    ts_used = ts if ts >= TEXT_MIN else 0.0
    basis = [{"method": "concept", "concept": cid, "property": prop} for prop, cid in sorted(shared)]
    if ts_used:
        basis.append({"method": "text", "similarity": round(ts, 4)})
    return 1 - (1 - cs) * (1 - ts_used), basis


def own_text(index: FinderIndex, i: int) -> str:
    """A clause's text as printed, less the text of its parts (a list's lead alone)."""
    u = index.units[i]
    text = u.text
    for c in u.children:
        text = text.replace(index.units[c].text, "", 1)
    return text.strip()


def _clause(index: FinderIndex, i: int) -> dict:
    u = index.units[i]
    return clause_json(parse_ref(u.ref), u.measure, u.iri, u.text)


def compare(store: Store, a: str, b: str, data: str | Path | None = None,
            index: FinderIndex | None = None, with_diff: bool = True, stats: dict | None = None) -> dict:
    """The contract's compare result: {"a", "b", "pairs", "only_a", "only_b"} (`stats`, when
    given, receives the number of candidate pairs the blocks proposed)."""
    index = index or get_index(store)
    check_measure(index, a)
    check_measure(index, b)
    if a == b:
        raise BadInput(f"compare needs two different measures, got '{a}' twice")
    pa, pb = provisions(index, a), provisions(index, b)
    keys_a = {i: set(index.units[i].links) for i in pa}
    keys_b = {i: set(index.units[i].links) for i in pb}
    by_key: dict[tuple, list[int]] = defaultdict(list)
    for i in pb:
        for k in keys_b[i]:
            by_key[k].append(i)
    cand: dict[tuple[int, int], None] = {}  # candidate pairs, in the order the blocks propose them
    for i in pa:  # concept blocks
        for k in keys_a[i]:
            for j in by_key.get(k, ()):
                cand[(i, j)] = None
    sh_b = {j: shingles(index.units[j].own) for j in pb}
    df: Counter[str] = Counter()
    for s in sh_b.values():
        df.update(s)
    cap = max(3, SHINGLE_DF_CAP * len(pb))
    post: dict[str, list[int]] = defaultdict(list)
    for j, s in sh_b.items():
        for g in s:
            if df[g] <= cap:
                post[g].append(j)
    for i in pa:  # shingle blocks
        shared: Counter[int] = Counter()
        for g in shingles(index.units[i].own):
            for j in post.get(g, ()):
                shared[j] += 1
        for j, n in shared.items():
            if n >= MIN_SHARED_SHINGLES:
                cand.setdefault((i, j))
    if stats is not None:
        stats["candidates"] = stats.get("candidates", 0) + len(cand)
    curated = curated_pairs(data)
    check_curated(index, curated)
    pairs = []
    for i, j in cand:
        verdict = curated.get(frozenset((index.units[i].iri, index.units[j].iri)))
        if verdict and verdict["status"] == "rejected":
            continue
        score, basis = score_pair(index, i, j, keys_a[i], keys_b[j])
        if verdict and verdict["status"] == "accepted":
            score = 1.0
            basis.append(_curated_basis(verdict))
        if score < MIN_SCORE:
            continue
        pairs.append((i, j, round(score, 4), basis))
    for key, verdict in curated.items():  # accepted pairs no method proposed
        if verdict["status"] != "accepted":
            continue
        ends = [index.by_iri.get(x) for x in key]
        if None in ends:
            continue
        x, y = ends
        if index.units[x].measure == b:
            x, y = y, x
        if index.units[x].measure != a or index.units[y].measure != b:
            continue
        if any(p[0] == x and p[1] == y for p in pairs):
            continue
        pairs.append((x, y, 1.0, [_curated_basis(verdict)]))
    pairs.sort(key=lambda p: (index.units[p[0]].order, -p[2], index.units[p[1]].order))
    paired_a = {p[0] for p in pairs}
    paired_b = {p[1] for p in pairs}
    out_pairs = []
    for i, j, score, basis in pairs:
        ca, cb = _clause(index, i), _clause(index, j)
        # a list's lead is matched on its own words; its diff is of those words too, not of the
        # whole list (each item has its own pair)
        lead = bool(index.units[i].children or index.units[j].children)
        ta, tb = (own_text(index, i), own_text(index, j)) if lead else (ca["text"], cb["text"])
        out_pairs.append({"a": ca, "b": cb, "score": score, "basis": basis,
                          "diff": char_diff(ta, tb) if with_diff else [],
                          "diffed": "own_text" if lead else "text"})
    return {"a": a, "b": b, "pairs": out_pairs,
            "only_a": [_clause(index, i) for i in pa if i not in paired_a],
            "only_b": [_clause(index, j) for j in pb if j not in paired_b]}


def _curated_basis(verdict: dict) -> dict:
    return {"method": "curated", "status": "accepted", "note": verdict["note"], "curation": verdict["iri"]}


def correspondences_graph(result: dict, generated: datetime | None = None) -> Graph:
    """The pairs of a compare result as RDF correspondences with score, method and PROV."""
    a, b = result["a"], result["b"]
    return _alignment_graph(f"{a}--{b}", f"{a} 与 {b} 条款对应计算", f"alignment of {a} and {b}", [a, b],
                            [(p["a"]["iri"], p["b"]["iri"], p["score"], p["basis"]) for p in result["pairs"]],
                            generated)


def _alignment_graph(run_name: str, label_zh: str, label_en: str, measures: list[str],
                     pairs: list[tuple[str, str, float, list[dict]]], generated: datetime | None) -> Graph:
    """Correspondences generated by one rc:AlignmentActivity that used the measures (PROV)."""
    g = Graph()
    bind_prefixes(g)
    g.bind("align", ALIGN)
    when = Literal((generated or datetime.now(timezone.utc)).replace(microsecond=0).isoformat(),
                   datatype=XSD.dateTime)
    run = ALIGN[f"run/{run_name}"]
    g.add((run, RDF.type, RC.AlignmentActivity))
    g.add((run, RDFS.label, Literal(label_zh, lang="zh")))
    g.add((run, RDFS.label, Literal(label_en, lang="en")))
    for m in measures:
        g.add((run, PROV.used, measure_iri(m)))
    g.add((run, PROV.wasAssociatedWith, AGENT["rongcuo-kg-compare"]))
    g.add((run, PROV.startedAtTime, when))
    for ia, ib, score, basis in pairs:
        add_correspondence(g, ia, ib, score, basis, run, when)
    return g


def add_correspondence(g: Graph, ia: str, ib: str, score: float, basis: list[dict],
                       run: URIRef, when: Literal) -> URIRef:
    digest = hashlib.sha1(f"{ia}|{ib}".encode()).hexdigest()[:16]
    c = ALIGN[f"c/{digest}"]
    g.add((c, RDF.type, RC.Correspondence))
    g.add((c, RC.sourceClause, URIRef(ia)))
    g.add((c, RC.targetClause, URIRef(ib)))
    g.add((c, RC.similarityScore, Literal(f"{score:.4f}", datatype=XSD.decimal)))
    for method in sorted({x["method"] for x in basis}):
        g.add((c, RC.alignmentMethod, Literal(method)))
    for x in basis:
        if x["method"] == "concept":
            g.add((c, RC.sharedConcept, RCC[x["concept"]]))
        elif x["method"] == "curated" and x.get("curation"):
            g.add((c, PROV.wasDerivedFrom, URIRef(x["curation"])))  # the curator's decision
            g.add((c, PROV.wasAttributedTo, AGENT["curator"]))
    g.add((c, PROV.wasGeneratedBy, run))
    g.add((c, PROV.generatedAtTime, when))
    return c


# ---------------------------------------------------------------- all measures at once


def _minhash_keys(sh: set[str], hashes: int = 8, band: int = 2) -> list[str]:
    if not sh:
        return []
    mins = []
    for seed in range(hashes):
        mins.append(min(int.from_bytes(hashlib.blake2b(f"{seed}:{s}".encode(), digest_size=8).digest(), "big")
                        for s in sh))
    return [f"{k}:{'-'.join(str(m) for m in mins[k:k + band])}" for k in range(0, hashes, band)]


EXACT_MAX_MEASURES = 12  # up to this many measures, every pair is compared as `compare` does


def align_all(store: Store, index: FinderIndex | None = None, data: str | Path | None = None) -> dict:
    """Correspondences across all measures, with the curated decisions applied.

    Up to EXACT_MAX_MEASURES measures: `compare` on every pair of measures (the very pairs a
    researcher sees for any two). Beyond: without comparing every clause with every other —
    clauses are blocked by (property, concept) and, for clauses without concepts, by MinHash
    bands of their 3-gram shingles; within a block each clause is scored (as `compare` scores)
    only against the block's leaders of other measures and linked to the first it corresponds
    to (score ≥ MIN_SCORE), else becomes a leader: clusters whose members correspond through
    their leader. O(clauses × leaders)."""
    from itertools import combinations

    index = index or get_index(store)
    measures = sorted(index.by_measure)
    clauses = sum(len(v) for v in index.by_measure.values())
    if len(measures) <= EXACT_MAX_MEASURES:
        pairs, stats = [], {"candidates": 0}
        for a, b in combinations(measures, 2):
            r = compare(store, a, b, data=data, index=index, with_diff=False, stats=stats)
            pairs += [{"a": p["a"]["iri"], "b": p["b"]["iri"], "score": p["score"], "basis": p["basis"]}
                      for p in r["pairs"]]
        return {"measures": len(measures), "clauses": clauses, "method": "pairwise", "blocks": 0,
                "comparisons": stats["candidates"], "pairs": pairs}
    curated = curated_pairs(data)
    check_curated(index, curated)
    blocks: dict[tuple, list[int]] = defaultdict(list)
    for m in measures:
        for i in provisions(index, m):
            u = index.units[i]
            if u.links:
                for k in sorted(set(u.links)):
                    blocks[("c",) + k].append(i)
            else:
                for key in _minhash_keys(shingles(u.own)):
                    blocks[("t", key)].append(i)
    keys = {}
    found: dict[tuple[int, int], tuple[float, list[dict]]] = {}
    comparisons = 0
    for block, members in blocks.items():
        leaders: list[int] = []
        for i in members:
            ui = index.units[i]
            ki = keys.setdefault(i, set(ui.links))
            joined = False
            for lead in leaders:
                ul = index.units[lead]
                if ul.measure == ui.measure:
                    continue
                comparisons += 1
                score, basis = score_pair(index, lead, i, keys.setdefault(lead, set(ul.links)), ki)
                score = round(score, 4)
                if score < MIN_SCORE or curated.get(frozenset((ul.iri, ui.iri)), {}).get("status") == "rejected":
                    continue
                if found.get((lead, i), (0.0,))[0] < score:
                    found[(lead, i)] = (score, basis)
                joined = True
                break
            if not joined:
                leaders.append(i)
    for key, verdict in curated.items():  # accepted decisions hold whatever the blocks found
        if verdict["status"] == "accepted" and all(k in index.by_iri for k in key):
            x, y = sorted((index.by_iri[k] for k in key), key=lambda t: (index.units[t].measure, index.units[t].order))
            found[(x, y)] = (1.0, [_curated_basis(verdict)])
    return {"measures": len(measures), "clauses": clauses, "method": "blocked", "blocks": len(blocks),
            "comparisons": comparisons,
            "pairs": [{"a": index.units[i].iri, "b": index.units[j].iri, "score": sc, "basis": b}
                      for (i, j), (sc, b) in found.items()]}


def all_correspondences_graph(result: dict, measures: list[str], generated: datetime | None = None) -> Graph:
    """The correspondences of `align_all` as RDF, generated by one activity that used every measure."""
    return _alignment_graph("all", "全部办法条款对应计算", "alignment of all measures", measures,
                            [(p["a"], p["b"], p["score"], p["basis"]) for p in result["pairs"]], generated)
