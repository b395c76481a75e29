# Everything the project needs is installed from here: a fresh machine runs `make run` or `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = "0" ] || echo sudo)

.PHONY: setup java run build check test clean

setup: $(VENV)/.installed java

$(VENV)/.installed: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip 2>&1 | grep -v "is ignored" || true
	$(BIN)/pip install -q -e '.[test]' 2>&1 | grep -v "is ignored" || true
	$(BIN)/python -c "import rongcuo_kg, rdflib, owlready2, pyshacl, pyoxigraph, SPARQLWrapper"
	touch $@

# HermiT (owlready2's reasoner) needs a Java runtime.
java:
	@command -v java >/dev/null 2>&1 || { echo "installing a Java runtime for HermiT"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq default-jre-headless >/dev/null; }

run: setup
	$(BIN)/rongcuo-kg build

build: setup
	$(BIN)/rongcuo-kg build

check: setup
	$(BIN)/rongcuo-kg check

test: setup
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) build .pytest_cache .hypothesis
