"""Adding measures: ingest a new text, suggest its clause-to-concept links, review them, the
hold-out evaluation of suggestions, and synthetic corpora for benchmarks."""
