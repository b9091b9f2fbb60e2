# The two commands a newcomer needs: `make serve` and `make test`. Everything else is set up by them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# uv installs every Python package from uv.lock, checking each one's hash; uv itself is
# installed by pip from requirements-uv.txt, hash-checked too.
TOOLS := .tools
UV := $(TOOLS)/bin/uv
export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV_PYTHON_DOWNLOADS := never
# The Debian packages the tests need, and nothing they recommend.
# nginx serves the built site with its real headers in tests/browser/test_real_server.py; Java runs
# the Nu HTML Checker (npm's vnu-jar) over every built page in tests/test_valid_html.py.
DEBIAN_PACKAGES := chromium nginx default-jre-headless

.PHONY: serve build test test-fast check schema translations changes lock bench clean chromium

serve: $(STAMP) node_modules/pyodide/pyodide.mjs
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

# Builds into a fresh folder and swaps it in only when the whole build succeeded.
build: $(STAMP) node_modules/pyodide/pyodide.mjs
	$(BIN)/amparo build

test: $(STAMP) node_modules/pyodide/pyodide.mjs chromium
	$(UV) lock --check --quiet
	$(BIN)/amparo check
	$(BIN)/python -m pytest -n 2 --dist loadgroup

# Everything but the browser: content, translations, engine, rendering, Pyodide under Node.
test-fast: $(STAMP) node_modules/pyodide/pyodide.mjs
	$(BIN)/amparo check
	$(BIN)/python -m pytest -n 2 --dist loadgroup -m "not browser"

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

$(STAMP): pyproject.toml uv.lock $(UV)
	$(UV) sync --locked --all-extras --python $(PYTHON) --quiet
	touch $(STAMP)

$(UV): requirements-uv.txt
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --require-hashes --no-deps -r requirements-uv.txt
	touch $@

# After a change to pyproject.toml. LOCK_ARGS=--upgrade moves every package to its newest allowed release.
lock: $(UV)
	$(UV) lock $(LOCK_ARGS)

# --ignore-scripts: vnu-jar's install script would download a Java runtime from outside the
# lock; the tests use Debian's. Pyodide has no install script.
node_modules/pyodide/pyodide.mjs: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

# Browser tests use Debian's Chromium: Playwright cannot download its own browser here.
chromium:
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/sbin/nginx ] || ! command -v java >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq --no-install-recommends $(DEBIAN_PACKAGES); \
	  else echo "Install Chromium, nginx and Java first: sudo apt-get install --no-install-recommends $(DEBIAN_PACKAGES)" >&2; exit 1; fi; \
	fi

clean:
	rm -rf site $(VENV) $(TOOLS) node_modules docs/guias docs/cuestionario docs/traduccion.md .cache

# A benchmark, not a test: build times (ours vs plain mkdocs-material), the quiz in Chromium
# against bare Pyodide, page weight and Lighthouse. Prints tables, writes bench/results.json.
# Takes about ten minutes on two cores; BENCH_ARGS="--sizes 10,50 --browser-runs 3" is quicker.
bench: $(STAMP) node_modules/pyodide/pyodide.mjs chromium
	@[ bench/node_modules/.package-lock.json -nt bench/package-lock.json ] || npm --prefix bench ci --no-audit --no-fund \
	  || echo "npm --prefix bench ci failed: the benchmark will say Lighthouse could not run" >&2
	$(BIN)/python -m bench $(BENCH_ARGS)
