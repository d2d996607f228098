# Two commands do everything on a fresh machine with Python 3.11+: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
export BYLINE_HOME := $(CURDIR)

.PHONY: run test lint serve seed bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	@touch $@

node_modules/axe-core/axe.min.js: package.json
	@if command -v npm >/dev/null; then npm install --no-audit --no-fund --silent; \
	else echo "npm not found: the browser tests' accessibility checks will be skipped"; fi

run: $(BIN)/.installed
	$(BIN)/byline migrate --noinput -v0
	$(BIN)/byline collectstatic --noinput -v0
	$(BIN)/byline seed_demo
	@echo ""
	@echo "  Byline is running. Open:"
	@echo "    http://127.0.0.1:$(PORT)/             the platform (landing page, directory)"
	@echo "    http://127.0.0.1:$(PORT)/@demo/       the demo site"
	@echo "    http://demo.localhost:$(PORT)/        the demo site at its own host"
	@echo "    http://127.0.0.1:$(PORT)/start/       get started: your own site"
	@echo "  Background work (e-mail, scheduled updates) runs in a worker beside it."
	@echo "  Stop with Ctrl-C."
	@echo ""
	@trap 'kill 0' EXIT INT TERM; \
	$(BIN)/byline db_worker --queue-name '*' --no-reload -v0 > var/worker.log 2>&1 & \
	PORT=$(PORT) $(BIN)/byline serve

test: $(BIN)/.installed node_modules/axe-core/axe.min.js
	@BIN=$(BIN) scripts/test.sh

# Speed, measured against the production server on a throwaway SQLite database; the figures
# and the machine they were measured on go to bench/results.md. BENCH_ARGS="--only pages"
# (or --scale, --seconds N) is passed to bench/run.py.
bench: $(BIN)/.installed
	@if ! command -v wrk >/dev/null || ! command -v nginx >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing wrk and nginx (Debian packages) for the page benchmarks"; \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	      wrk nginx-light >/dev/null || (apt-get update -qq && \
	      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	      wrk nginx-light >/dev/null); \
	  else echo "wrk and nginx are needed for the page benchmarks: apt-get install wrk nginx-light"; fi; \
	fi
	$(BIN)/python bench/run.py $(BENCH_ARGS)

lint: $(BIN)/.installed
	$(BIN)/ruff check src tests
	$(BIN)/byline makemigrations --check --dry-run -v0

clean:
	rm -rf $(VENV) node_modules var/static
