# The two set-up commands of the README:
#   make build   — create .venv, install the project (runtime dependencies only), build exports/ from seeds/
#   make test    — create .venv, install the project with test extras, install Debian's chromium and
#                  Virtuoso through apt-get (the map and bulk-load tests), check the code with ruff, run
#                  the whole test suite (`.venv/bin/pytest -m 'not slow'` is the fast lane: docs/contributing.md)
# Where apt-get is unavailable (no root, not Debian): `make test APT=no` skips that step and the
# browser and Virtuoso tests skip themselves (CI sets KG_REQUIRE_BROWSER/KG_REQUIRE_VIRTUOSO instead,
# which makes a missing browser or Virtuoso an error).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
APT    ?= yes

.PHONY: build test lint install install-test bench clean browser virtuoso

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# the runtime install; `make test` adds the test extras on top (selenium, dask, hypothesis, pytest)
$(VENV)/.installed-build: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed-build

install: $(VENV)/.installed-build
install-test: $(VENV)/.installed-test

build: $(VENV)/.installed-build
	$(BIN)/kg build seeds --out exports

test: $(VENV)/.installed-test browser virtuoso
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .

# Debian chromium + chromedriver for the map tests (tests then skip where it is missing), unless
# KG_REQUIRE_BROWSER is set (CI), which makes a missing browser an error.
browser:
	@if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then :; \
	elif [ -n "$${KG_REQUIRE_BROWSER:-}" ]; then sh scripts/install_browser.sh; \
	elif [ "$(APT)" = no ]; then echo "APT=no: no headless browser installed; the map tests will be skipped"; \
	else sh scripts/install_browser.sh || echo "no headless browser installed: the map tests will be skipped"; fi

# Debian's Virtuoso (virtuoso-t, isql-vt) for the bulk-load test, the same way.
virtuoso:
	@if command -v virtuoso-t >/dev/null 2>&1 && command -v isql-vt >/dev/null 2>&1; then :; \
	elif [ -n "$${KG_REQUIRE_VIRTUOSO:-}" ]; then sh scripts/install_virtuoso.sh; \
	elif [ "$(APT)" = no ]; then echo "APT=no: no Virtuoso installed; the bulk-load test will be skipped"; \
	else sh scripts/install_virtuoso.sh || echo "no Virtuoso installed: the bulk-load test will be skipped"; fi

bench: $(VENV)/.installed-build
	$(BIN)/python bench/corpus_quality.py

clean:
	rm -rf exports/* .pytest_cache
