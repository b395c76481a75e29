"""Measures × concepts of one kind, with the clauses in each cell (`rongcuo-kg matrix`): what
the measures share and what only one of them has, at a glance. The result keeps ids and refs
(--json, the CSV); the text cites clauses and names concepts and measures."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rongcuo_kg.errors import BadInput
from rongcuo_kg.graph.querylib import run_named
from rongcuo_kg.graph.rdfgen import iri_citation
from rongcuo_kg.graph.store import Store

if TYPE_CHECKING:  # the finder loads when a matrix is made, not with the command line's help
    from rongcuo_kg.finding.finder import FinderIndex

# kind (as the command line names it) -> the rc:concerns sub-property that links clauses to it
KINDS = {
    "situation": "statesSituation", "condition": "requiresCondition",
    "consequence": "attachesConsequence", "procedure": "prescribesStep",
    "exclusion": "statesExclusion", "body": "involvesBody", "principle": "expressesPrinciple",
    "duty-fulfilled": "statesDutyFulfilled", "mitigation": "statesMitigation",
    "correction": "prescribesCorrection",
}


def matrix(store: Store, kind: str = "situation", lang: str = "zh",
           index: FinderIndex | None = None) -> dict:
    if kind not in KINDS:
        raise BadInput(f"unknown kind '{kind}'; known: {', '.join(KINDS)}")
    from rongcuo_kg.finding.finder import get_index

    prop = KINDS[kind]
    index = index or get_index(store)
    measures = sorted(index.by_measure)
    cells: dict[str, dict[str, list[str]]] = {}
    cited: dict[str, dict[str, list[str]]] = {}
    for m in measures:
        for i in index.by_measure[m]:
            u = index.units[i]
            for p, cid in u.links:
                if p == prop:
                    cells.setdefault(cid, {}).setdefault(m, []).append(u.ref)
                    cited.setdefault(cid, {}).setdefault(m, []).append(iri_citation(u.iri, lang))
    scheme = index.prop_scheme.get(prop)
    order = {cid: n for n, cid in enumerate(sorted(index.concepts))}
    rows = []
    for cid in sorted(cells, key=lambda c: (-len(cells[c]), order[c])):
        c = index.concepts[cid]
        rows.append({"id": cid, "label": c.label_zh if lang == "zh" else c.label_en,
                     "cells": {m: cells[cid].get(m, []) for m in measures},
                     "citations": {m: cited[cid].get(m, []) for m in measures},
                     "measures": len(cells[cid])})
    unused = sorted(c.id for c in index.concepts.values()
                    if c.scheme == scheme and c.id not in cells)
    prop_zh, prop_en = index.prop_labels.get(prop, (prop, prop))
    titles = {r[0]: r[1] for r in run_named(store, "measures", limit=None).rows}
    label = {c.id: c.label_zh if lang == "zh" else c.label_en for c in index.concepts.values()}
    return {"kind": kind, "property": prop, "property_label": prop_zh if lang == "zh" else prop_en,
            "measures": measures, "titles": {m: titles.get(m, m) for m in measures}, "concepts": rows,
            "in_no_measure": unused, "in_no_measure_labels": [label.get(c) or c for c in unused]}


def render_matrix(result: dict, lang: str = "zh") -> str:
    """The matrix for a terminal: the measures numbered by title above, then one line per concept
    (by its label) with each measure's clauses cited in full, and how many measures have it."""
    zh = lang != "en"
    measures = result["measures"]
    n = len(measures)
    lines = [f"{result['property_label']}：{len(result['concepts'])} 个概念 × {n} 部办法" if zh else
             f"{result['property_label']}: {len(result['concepts'])} concepts × {n} measures"]
    lines += [f"  [{k}] 《{result['titles'][m]}》" for k, m in enumerate(measures, 1)]
    for r in result["concepts"]:
        cells = ("；" if zh else "; ").join(f"[{k}] " + (("、" if zh else ", ").join(r["citations"][m]) or "—")
                                           for k, m in enumerate(measures, 1))
        share = (f"{n} 部均有" if zh else f"all {n}") if r["measures"] == n else \
            (("仅一部" if zh else "one only") if r["measures"] == 1 else (f"{r['measures']} 部" if zh else f"{r['measures']} of {n}"))
        lines.append(f"{r['label']}\n    {cells}  （{share}）" if zh else f"{r['label']}\n    {cells}  ({share})")
    if result["in_no_measure"]:
        lines.append(("各办法均未规定：" if zh else "in no measure: ") + "、".join(result["in_no_measure_labels"]))
    return "\n".join(lines)
