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
# Installed packages are compiled to bytecode once, at install: otherwise, where Python is told not
# to write bytecode (PYTHONDONTWRITEBYTECODE, as in some containers and CI images), every command
# and each test process compiles the same thousand modules again (seconds each time).
export UV_COMPILE_BYTECODE := 1
# The Debian packages the build and the tests need, and nothing they recommend.
# chromium prints the leaflets' PDFs (make build) and runs the browser tests; fonts-noto-core
# (Arabic) and fonts-wqy-microhei (Chinese) give the PDFs real glyphs; poppler-utils renders
# PDFs back to images for the tests; nginx serves the built site with its real headers in
# tests/browser/test_real_server.py; Java runs the Nu HTML Checker (npm's vnu-jar) over every
# built page in tests/test_valid_html.py.
DEBIAN_PACKAGES := chromium fonts-noto-core fonts-wqy-microhei poppler-utils nginx default-jre-headless
# One file of each, to know whether they are installed.
DEBIAN_FILES := /usr/bin/chromium /usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf \
  /usr/share/fonts/truetype/wqy/wqy-microhei.ttc /usr/bin/pdftoppm /usr/sbin/nginx

.PHONY: serve build test test-fast check schema translations changes links lock bench clean chromium

serve: $(STAMP) node_modules/pyodide/pyodide.mjs
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

# Builds into a fresh folder and swaps it in only when the whole build succeeded, with the
# leaflets' and posters' PDFs (printed by Chromium: `make serve` prints none).
build: $(STAMP) node_modules/pyodide/pyodide.mjs chromium
	$(BIN)/amparo build

test: $(STAMP) node_modules/pyodide/pyodide.mjs chromium
	$(UV) lock --check --quiet
	$(BIN)/amparo check
	$(BIN)/python -m pytest -n 2 --dist loadgroup

# The editors' loop: everything but the browser and the whole-site audits (the tests marked
# whole_site: MkDocs builds of the whole site, every built page checked), which `make test` runs:
# content, translations, engine, rendering, Pyodide under Node. Every property test runs, with a
# fifth of its random examples (tests/test_properties.py); `make test` draws them all. tests/browser/
# is not even read (every test there is a browser test: tests/test_architecture.py).
test-fast: $(STAMP) node_modules/pyodide/pyodide.mjs
	$(BIN)/amparo check
	AMPARO_HYPOTHESIS=quick $(BIN)/python -m pytest -n 2 --dist loadgroup -m "not browser and not whole_site" \
	  --ignore=tests/browser

check: $(STAMP)
	$(BIN)/amparo check

schema: $(STAMP)
	$(BIN)/amparo schema

translations: $(STAMP)
	$(BIN)/amparo translations update

# After adding a page or a section: add its addresses to procedures/published-links.txt (never removes one).
links: $(STAMP) node_modules/pyodide/pyodide.mjs
	$(BIN)/amparo links update

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

# Browser tests and the leaflets use Debian's Chromium: Playwright cannot download its own browser here.
chromium:
	@if ! ls $(DEBIAN_FILES) > /dev/null 2>&1 || ! command -v java >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq --no-install-recommends $(DEBIAN_PACKAGES); \
	  else echo "Install them first: sudo apt-get install --no-install-recommends $(DEBIAN_PACKAGES)" >&2; exit 1; fi; \
	fi

clean:
	rm -rf site $(VENV) $(TOOLS) node_modules docs/guias docs/cuestionario docs/traduccion.md docs/imprimir docs/organizaciones.md .cache

# A benchmark, not a test: build times (ours vs plain mkdocs-material), the quiz in Chromium
# against bare Pyodide, page weight and Lighthouse. Prints tables, writes bench/results.json.
# It also times the editors' loops (make check, make test-fast, make test: wall and CPU time, with
# the load average beside them: measure on an idle machine). About 25 minutes on two cores;
# BENCH_ARGS="--sizes 10,50 --browser-runs 3" is quicker, BENCH_ARGS="--only tests" times the loops
# alone, BENCH_ARGS="--only tests --suite check,test-fast" the two quick ones.
bench: $(STAMP) node_modules/pyodide/pyodide.mjs chromium
	@[ bench/node_modules/.package-lock.json -nt bench/package-lock.json ] || npm --prefix bench ci --no-audit --no-fund \
	  || echo "npm --prefix bench ci failed: the benchmark will say Lighthouse could not run" >&2
	$(BIN)/python -m bench $(BENCH_ARGS)
