"""Measures × concepts of one kind, with the clause refs in each cell (`rongcuo-kg matrix`):
what the measures share and what only one of them has, at a glance."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rongcuo_kg.errors import BadInput
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
    for m in measures:
        for i in index.by_measure[m]:
            u = index.units[i]
            for p, cid in u.links:
                if p == prop:
                    cells.setdefault(cid, {}).setdefault(m, []).append(u.ref)
    scheme = index.prop_scheme.get(prop)
    order = {cid: n for n, cid in enumerate(sorted(index.concepts))}
    rows = []
    for cid in sorted(cells, key=lambda c: (-len(cells[c]), order[c])):
        c = index.concepts[cid]
        rows.append({"id": cid, "label": c.label_zh if lang == "zh" else c.label_en,
                     "cells": {m: cells[cid].get(m, []) for m in measures},
                     "measures": len(cells[cid])})
    unused = sorted(c.id for c in index.concepts.values()
                    if c.scheme == scheme and c.id not in cells)
    prop_zh, prop_en = index.prop_labels.get(prop, (prop, prop))
    return {"kind": kind, "property": prop, "property_label": prop_zh if lang == "zh" else prop_en,
            "measures": measures, "concepts": rows, "in_no_measure": unused}


def render_matrix(result: dict) -> str:
    measures = result["measures"]
    width = max([len(r["id"]) for r in result["concepts"]] + [8])
    head = f"{'concept':<{width}}  " + "  ".join(f"{m:<14}" for m in measures) + "  shared"
    lines = [f"{result['kind']} ({result['property_label']}): {len(result['concepts'])} concepts × "
             f"{len(measures)} measures", head]
    for r in result["concepts"]:
        cells = "  ".join(f"{(', '.join(r['cells'][m]) or '—'):<14}" for m in measures)
        tag = "all" if r["measures"] == len(measures) else ("only" if r["measures"] == 1 else str(r["measures"]))
        lines.append(f"{r['id']:<{width}}  {cells}  {tag}   {r['label']}")
    if result["in_no_measure"]:
        lines.append("in no measure: " + ", ".join(result["in_no_measure"]))
    return "\n".join(lines)
