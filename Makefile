# Two commands do all the set-up: `make run` and `make test`.
# A fresh machine needs only Python 3.11 and make (pip comes with the virtual environment;
# an environment made without it, e.g. by uv, gets it from ensurepip).
PYTHON ?= python3
VENV := .venv
UV := $(shell command -v uv 2>/dev/null || echo $(VENV)/bin/uv)
DB ?= $(or $(VETOVOIMA_DB),data/vetovoima.duckdb)
PORT ?= 8501
# Empty: loopback (127.0.0.1). A wider ADDRESS needs a sign-in provider, or DEMO_OPEN=1 (docs/sign-in.md).
ADDRESS ?=

.PHONY: run test test-lake lint db seed bench clean sync bytecode

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/bin/uv: | $(VENV)/bin/python
	@command -v uv >/dev/null 2>&1 || { $(VENV)/bin/python -m pip --version >/dev/null 2>&1 \
		|| $(VENV)/bin/python -m ensurepip --upgrade >/dev/null; $(VENV)/bin/python -m pip install --quiet uv; }

# Installed with compiled bytecode, and the project's own modules compiled before each run: where
# PYTHONDONTWRITEBYTECODE is set (this machine sets it) every Python process would otherwise compile
# every module it imports again, each test worker, app server and command a test starts (the app's
# libraries import in 1.3 s instead of 2.9 s). Python still checks each file against its source.
$(VENV)/.synced: pyproject.toml uv.lock Makefile | $(VENV)/bin/python $(VENV)/bin/uv
	UV_PROJECT_ENVIRONMENT=$(VENV) $(UV) sync --locked --compile-bytecode
	@touch $@

sync: $(VENV)/.synced

bytecode: $(VENV)/.synced
	@$(VENV)/bin/python -m compileall -q -j 0 app.py pages vetopito tests

db: bytecode
	@$(VENV)/bin/vetopito init --db "$(DB)"

run: db
	$(VENV)/bin/vetopito serve --server.port $(PORT) $(if $(ADDRESS),--server.address $(ADDRESS)) \
		$(if $(filter 1,$(DEMO_OPEN)),--demo-open)

# Three test processes on two cores: a third of the suite's time is spent waiting (for a server to
# start, for Chromium to draw), which a third process fills (2026-12-06: 630-642 s with -n 2, 562-608 s with -n 3).
test: bytecode
	$(VENV)/bin/python -m pytest -n 3 --dist loadfile --no-loadscope-reorder

# Every test that uses a database fixture, on a DuckLake lake (a throw-away PostgreSQL cluster per
# test process, tests/pg.py; Debian's postgresql must be installed: .ci/run installs it).
test-lake: bytecode
	VETOVOIMA_TEST_BACKENDS=lake $(VENV)/bin/python -m pytest -n 2 --dist loadfile --no-loadscope-reorder

lint: $(VENV)/.synced
	$(VENV)/bin/ruff check .

seed: $(VENV)/.synced
	$(VENV)/bin/vetopito seed --db "$(DB)"

bench: $(VENV)/.synced
	$(VENV)/bin/vetopito bench --pages

clean:
	rm -rf $(VENV) data/vetovoima.duckdb data/vetovoima.duckdb.wal
