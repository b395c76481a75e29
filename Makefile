# Everything the project needs is installed from here: a fresh machine runs `make run` or `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = "0" ] || echo sudo)

.PHONY: setup java browser run app build check test clean

setup: $(VENV)/.installed java

$(VENV)/.installed: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip 2>&1 | grep -v "is ignored" || true
	$(BIN)/pip install -q -e '.[test]' 2>&1 | grep -v "is ignored" || true
	$(BIN)/python -c "import rongcuo_kg, rdflib, owlready2, pyshacl, pyoxigraph, SPARQLWrapper, streamlit"
	touch $@

# HermiT (owlready2's reasoner) needs a Java runtime.
java:
	@command -v java >/dev/null 2>&1 || { echo "installing a Java runtime for HermiT"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq default-jre-headless >/dev/null; }

# Browser tests drive Debian's Chromium (Playwright cannot download browsers here); the
# WenQuanYi font renders Chinese in screenshots.
browser:
	@{ [ -x /usr/bin/chromium ] && fc-list 2>/dev/null | grep -qi "wenquanyi micro hei"; } || { \
	  echo "installing Debian's chromium and fonts-wqy-microhei for the browser tests"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null; }

# The main job: build the graph, then serve the web app on the embedded store.
run: setup
	$(BIN)/rongcuo-kg build
	$(BIN)/rongcuo-kg app

app: setup
	$(BIN)/rongcuo-kg app

build: setup
	$(BIN)/rongcuo-kg build

check: setup
	$(BIN)/rongcuo-kg check

test: setup browser
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) build .pytest_cache .hypothesis
