# The two set-up commands of the README:
#   make build   — create .venv, install the project, build exports/ from seeds/
#   make test    — create .venv, install the project with test extras, run the whole test suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: build test install bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(BIN)/.installed

build: $(BIN)/.installed
	$(BIN)/kg build seeds --out exports

test: $(BIN)/.installed
	$(BIN)/python -m pytest -q

bench: $(BIN)/.installed
	$(BIN)/python bench/corpus_quality.py

clean:
	rm -rf exports/* .pytest_cache
