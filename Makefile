# The two set-up commands of the README:
#   make build   — create .venv, install the project, build exports/ from seeds/
#   make test    — create .venv, install the project with test extras, run the whole test suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: build test install bench clean browser virtuoso

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(BIN)/.installed

build: $(BIN)/.installed
	$(BIN)/kg build seeds --out exports

test: $(BIN)/.installed browser virtuoso
	$(BIN)/python -m pytest -q

# Debian chromium + chromedriver for the map tests; skipped (tests then skip) where apt is unavailable,
# unless KG_REQUIRE_BROWSER is set (CI), which makes a missing browser an error.
browser:
	@if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then :; \
	elif [ -n "$${KG_REQUIRE_BROWSER:-}" ]; then sh scripts/install_browser.sh; \
	else sh scripts/install_browser.sh || echo "no headless browser installed: the map tests will be skipped"; fi

# Debian's Virtuoso (virtuoso-t, isql-vt) for the bulk-load test, the same way: skipped where apt is
# unavailable, unless KG_REQUIRE_VIRTUOSO is set (CI), which makes a missing Virtuoso an error.
virtuoso:
	@if command -v virtuoso-t >/dev/null 2>&1 && command -v isql-vt >/dev/null 2>&1; then :; \
	elif [ -n "$${KG_REQUIRE_VIRTUOSO:-}" ]; then sh scripts/install_virtuoso.sh; \
	else sh scripts/install_virtuoso.sh || echo "no Virtuoso installed: the bulk-load test will be skipped"; fi

bench: $(BIN)/.installed
	$(BIN)/python bench/corpus_quality.py

clean:
	rm -rf exports/* .pytest_cache
