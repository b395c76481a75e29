"""Counts of structure per measure, from parsed files or from the corpus folder."""

from __future__ import annotations

from rongcuo_kg.text.model import Measure


def measure_counts(measure: Measure, title: str | None = None) -> dict:
    c = measure.counts()
    return {"title": title or measure.title, "chapters": c["chapter"], "sections": c["section"],
            "articles": c["article"], "paragraphs": c["paragraph"], "items": c["item"],
            "subitems": c["subitem"]}
