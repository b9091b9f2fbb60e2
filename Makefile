# The two commands a newcomer needs: `make serve` and `make test`. Everything else is set up by them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: serve build test check schema translations changes bench clean

serve: $(STAMP) node_modules/pyodide/pyodide.mjs
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

# Builds into a fresh folder and swaps it in only when the whole build succeeded.
build: $(STAMP) node_modules/pyodide/pyodide.mjs
	$(BIN)/amparo build

test: $(STAMP) node_modules/pyodide/pyodide.mjs chromium
	$(BIN)/amparo check
	$(BIN)/python -m pytest

check: $(STAMP)
	$(BIN)/amparo check

schema: $(STAMP)
	$(BIN)/amparo schema

translations: $(STAMP)
	$(BIN)/amparo translations update

# For reviewers: what this branch changes for readers, compared with BASE (make changes BASE=origin/main).
BASE ?= main
changes: $(STAMP)
	$(BIN)/amparo changes $(BASE)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

node_modules/pyodide/pyodide.mjs: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# Browser tests use Debian's Chromium: Playwright cannot download its own browser here.
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium; \
	  else echo "Install Chromium first: sudo apt-get install chromium" >&2; exit 1; fi; \
	fi

clean:
	rm -rf site $(VENV) node_modules docs/guias docs/cuestionario docs/traduccion.md .cache

# A benchmark, not a test: build times (ours vs plain mkdocs-material), the quiz in Chromium
# against bare Pyodide, page weight and Lighthouse. Prints tables, writes bench/results.json.
# Takes about ten minutes on two cores; BENCH_ARGS="--sizes 10,50 --browser-runs 3" is quicker.
bench: $(STAMP) node_modules/pyodide/pyodide.mjs chromium
	@$(BIN)/python -c "import playwright" 2>/dev/null || $(BIN)/pip install --quiet -e ".[bench]"
	@[ bench/node_modules/.package-lock.json -nt bench/package-lock.json ] || npm --prefix bench ci --no-audit --no-fund \
	  || echo "npm --prefix bench ci failed: the benchmark will say Lighthouse could not run" >&2
	$(BIN)/python -m bench $(BENCH_ARGS)
