"""The text of a measure: reading files (encodings, .docx, PDF), parsing into 章/节/条/款/项/目,
Chinese numerals, clause references, Chinese normalisation and word segmentation, the
corpus folder. Knows nothing of RDF."""
