# Everything the project needs is installed from here: a fresh machine runs `make run` or `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = "0" ] || echo sudo)
# pip's notes about package indexes configured on this machine but absent are not ours to show
QUIET := 2>&1 | grep -v "is ignored" || true

.PHONY: setup setup-test java browser virtuoso oidc run app build check test clean

setup: $(VENV)/.installed-run

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip $(QUIET)

# What running needs: the package (editable) and its dependencies.
$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e . $(QUIET)
	$(BIN)/python -c "import rongcuo_kg, rdflib, owlready2, pyshacl, pyoxigraph, SPARQLWrapper, streamlit"
	touch $@

# What the tests need besides: pytest, Playwright, the Oxigraph server, build (for the wheel test).
setup-test: $(VENV)/.installed-test

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed-run
	$(BIN)/pip install -q -e '.[test]' $(QUIET)
	$(BIN)/python -c "import pytest, hypothesis, playwright, build"
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

# The second real SPARQL server of the tests: Debian's Virtuoso 7 (started by the tests on
# loopback with a database of their own; the package's own service is not used).
virtuoso:
	@[ -x /usr/bin/virtuoso-t ] || { echo "installing Debian's virtuoso-opensource for the SPARQL server tests"; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq virtuoso-opensource >/dev/null; }

# The OpenID Connect provider of the login tests (panva's oidc-provider, pinned by
# tests/oidc/package-lock.json) on the machine's Node.js.
oidc: tests/oidc/node_modules/.installed

tests/oidc/node_modules/.installed: tests/oidc/package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "installing Node.js for the login tests"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq nodejs npm >/dev/null; }
	cd tests/oidc && npm ci --no-audit --no-fund --silent
	touch $@

# The main job: build the graph, then serve the web app on the embedded store.
run: setup
	$(BIN)/rongcuo-kg build
	$(BIN)/rongcuo-kg app

app: setup
	$(BIN)/rongcuo-kg app

build: setup
	$(BIN)/rongcuo-kg build

check: setup java
	$(BIN)/rongcuo-kg check

test: setup-test java browser virtuoso oidc
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) build dist .pytest_cache .hypothesis src/*.egg-info
