# Kompas. `make run` sets everything up on a fresh machine and serves it (KOMPAS_PORT, default 8000);
# `make test` runs the whole suite.

PYTHON ?= python3
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(VENV)/bin
DIST := static/dist

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run install assets browser postgresql-client haproxy migrate demo serve test test-fast audit-accessibility bench bench-optimizer bench-report bench-session bench-report-pdf lint clean

run: install migrate demo serve

install: $(BIN)/.installed assets

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet uv==$(UV_VERSION)

$(BIN)/.installed: $(UV) pyproject.toml uv.lock
	$(UV) sync --locked
	@touch $@

assets: $(DIST)/.built

node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

# One trimmed stylesheet and the other static files, fingerprinted and precompressed.
$(DIST)/.built: node_modules/.installed $(BIN)/.installed app/static_build.py static/css/kompas.css static/favicon.svg $(wildcard static/js/*.js) $(shell find templates -name '*.html')
	$(BIN)/python -m app.static_build
	@touch $@

# Debian's Chromium for the browser tests (Playwright never downloads a browser here).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium fonts-noto-core; }

# Debian's PostgreSQL client (pg_dump, pg_restore) for `kompas backup` and its test; it must be
# at least the server's major version (15 on these machines), which `kompas backup` checks.
postgresql-client:
	@command -v pg_dump >/dev/null 2>&1 || { \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq postgresql-client; }

# Debian's HAProxy for the load balancer test (tests/test_load_balancer.py: two servers behind it).
haproxy:
	@command -v haproxy >/dev/null 2>&1 || [ -x /usr/sbin/haproxy ] || { \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq haproxy; }

migrate: install
	$(BIN)/kompas db upgrade

demo: migrate
	$(BIN)/kompas demo

serve: install
	$(BIN)/kompas serve

# --durations: the slowest tests in every run's log, to see where the suite's time goes
test: install browser postgresql-client haproxy lint
	$(BIN)/pytest -n 2 --dist loadgroup --durations=30

test-fast: install postgresql-client haproxy
	$(BIN)/pytest -n 2 --dist loadgroup -m "not browser"

# The browser tests behind the accessibility statement, in one process: when every one passes,
# they record what they covered in docs/accessibility-audit.json, which /toegankelijkheid reads.
audit-accessibility: install browser
	KOMPAS_RECORD_AUDIT=1 $(BIN)/pytest -p no:cacheprovider tests/browser/test_accessibility.py \
		tests/browser/test_layout.py tests/browser/test_keyboard.py

bench: install bench-optimizer bench-report bench-session bench-exit
	$(BIN)/python -m bench

# Every benchmark once at its smallest size, in seconds, to see that it still runs (the suite
# does the same in tests/bench); the figures go to bench/results/tiny/ and mean nothing.
.PHONY: bench-tiny
bench-tiny: install
	$(BIN)/python -m bench.optimizer --tiny
	$(BIN)/python -m bench.council_report --tiny
	$(BIN)/python -m bench.session --tiny
	$(BIN)/python -m bench.exit --tiny
	$(BIN)/python -m bench --tiny

# The council report in every format for a generated organisation at 1x, 4x and 16x.
bench-report: install
	$(BIN)/python -m bench.council_report

# Only the 1x council report PDF, three times, to try a change quickly (writes nothing).
bench-report-pdf: install
	$(BIN)/python -m bench.council_report --pdf-1x

# The scenario optimiser on generated instances, against a greedy heuristic.
# Backup, restore, an organisation's export and import at 1x, 4x and 16x, SQLite and PostgreSQL.
.PHONY: bench-exit
bench-exit: install postgresql-client
	$(BIN)/python -m bench.exit

bench-optimizer: install
	$(BIN)/python -m bench.optimizer

# A live session under load (500 phones, a projector, a facilitator) on SQLite and PostgreSQL.
bench-session: install
	$(BIN)/python -m bench.session

# ruff, and the type checker on app/ (pyproject.toml lists the modules not yet clean).
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check app tests bench
	$(BIN)/mypy

clean:
	rm -rf $(TOOLS) $(VENV) node_modules $(DIST) var
