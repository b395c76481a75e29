"""What a reader must never be shown (issue 14, item 1): internal identifiers (snake_case,
camelCase), prefixed names (rc:…), empty markers ("None", "nan"); and in Chinese text, Latin words
other than the product's name, the standards and the file types it names. Ids belong in JSON, CSV
and links: links lose their parameters before the check.

Used by the browser walk of every page (tests/e2e/test_identifiers.py) and by the tests of the
command line's text output and the named queries' tables."""

from __future__ import annotations

import re

IDENTIFIER = re.compile(r"(?<![A-Za-z0-9_.])(?:[a-z][a-z0-9]*(?:_[a-z0-9]+)+|[a-z]+(?:[A-Z][a-z0-9]+)+)"
                        r"(?![A-Za-z0-9_])")
PREFIXED = re.compile(r"(?<![A-Za-z0-9_])(?:rc|rcc|eli|dcterms|dct|skos|prov|owl|rdfs?|xsd|sh|akn|rco):"
                      r"[A-Za-z_]")
EMPTY = re.compile(r"(?<![A-Za-z])(?:None|nan|NaN|null)(?![A-Za-z])")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-.][A-Za-z0-9]+)*")
# Latin words a Chinese page may show: the product, the standards and formats it names, keys.
ZH_LATIN = {"rongcuo-kg", "kg", "rongcuo", "SPARQL", "Language", "English", "CSV", "Excel", "Word", "JSON",
            "JSON-LD", "Turtle", "PDF", "txt", "docx", "xlsx", "UTF-8", "GBK", "OWL", "SKOS", "SHACL", "RDF",
            "IRI", "ELI", "PROV", "Ctrl", "Enter", "Space", "OpenID", "MB", "KB", "Akoma", "Ntoso", "eId", "HTML",
            "SVG", "TXT", "DOCX", "XLSX", "TTL", "JSONLD"}
UPLOADED_FILE = re.compile(r"\S+\.(?:csv|xlsx|txt|docx|pdf|ttl|jsonld)\b")  # a file the user uploaded, by its name
LINK = re.compile(r"(?:https?://|[a-z]*\?[a-z]+=)\S+")  # an address in the app, with its page
ZH_LATIN |= {"SELECT", "ASK"}  # the query forms the SPARQL page accepts


def offences(text: str, lang: str, allowed: set[str] = frozenset()) -> list[str]:
    """The identifiers, prefixed names and empty markers in `text`; in Chinese, also Latin words
    outside text marked English (between \\x02 and \\x03) other than `allowed`. Links lose their
    parameters first; a file named by the user is the user's."""
    text = UPLOADED_FILE.sub(" ", LINK.sub(" ", text))
    found = IDENTIFIER.findall(text) + PREFIXED.findall(text) + EMPTY.findall(text)
    if lang == "zh":
        chinese = re.sub(r"\x02.*?\x03", " ", text, flags=re.S)
        for english in re.findall(r"\x02(.*?)\x03", text, flags=re.S):  # shown again outside its marks
            chinese = chinese.replace(english, " ") if english.strip() else chinese
        found += [w for w in LATIN_WORD.findall(chinese) if w not in ZH_LATIN | allowed]
    return [f"{w} «{context(text, w)}»" for w in sorted(set(found))]


def context(text: str, word: str) -> str:
    m = re.search(r"(?<![A-Za-z0-9_])" + re.escape(word) + r"(?![A-Za-z0-9_])", text)
    at = m.start() if m else text.find(word)
    return text[max(0, at - 30):at + len(word) + 30].replace("\n", " ")


