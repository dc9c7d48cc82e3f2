# relmap — two commands set everything up:
#   make demo   install (venv + Graphviz) and analyse the bundled example into out/
#   make test   install (venv + Graphviz + dev tools) and run lint + the test suite
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
EXAMPLE ?= examples/hotel-group/company.yaml
OUT ?= out

.PHONY: demo test install install-dev graphviz lint pytest golden schema docs bench i18n clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "relmap needs Python 3.11 or newer: run 'make PYTHON=python3.11 ...'" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); bash scripts/install-venv-support.sh $(PYTHON) && $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --upgrade pip

# compileall: an editable install has no bytecode yet, and with PYTHONDONTWRITEBYTECODE set every run
# would compile relmap again (~0.1 s per command)
install: $(BIN)/python graphviz
	$(BIN)/python -m pip install --quiet -e .
	$(BIN)/python -m compileall -q relmap

install-dev: $(BIN)/python graphviz
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m compileall -q relmap

graphviz:
	@bash scripts/install-graphviz.sh

demo: install
	$(BIN)/relmap validate $(EXAMPLE)
	$(BIN)/relmap analyze $(EXAMPLE) -o $(OUT)
	@echo "Open $(OUT)/report.html; paste $(OUT)/*.svg into your deck."

test: install-dev
	$(MAKE) --no-print-directory lint
	$(BIN)/python -m pytest

pytest:
	$(BIN)/python -m pytest

lint:
	$(BIN)/ruff check relmap tests bench
	$(BIN)/mypy relmap

golden:
	$(BIN)/python -m pytest tests --update-golden -q

schema docs:
	$(BIN)/relmap schema > schemas/relmap.schema.json
	$(BIN)/python -c "from relmap.formatdoc import format_reference; open('docs/format.md', 'w').write(format_reference())"

i18n:
	$(BIN)/python -m relmap.i18n.build

bench: install-dev
	$(BIN)/python bench/run.py

clean:
	rm -rf $(OUT) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
