"""rongcuo-kg: a legal knowledge graph of 容错纠错 (tolerance and correction) measures."""

__version__ = "0.1.0"
