# Two commands on a fresh machine with python3, pip and make: `make run`, then `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

export DAGSTER_HOME ?= $(CURDIR)/data/dagster
# No network here: nothing may phone home.
export DO_NOT_TRACK := 1
export DBT_SEND_ANONYMOUS_USAGE_STATS := false


VENV := .venv
# The venv's tools first on PATH, for every command and the processes they start (the pipeline itself runs the
# dbt beside its interpreter, orchestration/resources.py, and needs no PATH).
export PATH := $(CURDIR)/.venv/bin:$(PATH)
BIN := $(VENV)/bin
DEMO_PEOPLE ?= 30000
UV := $(shell command -v uv 2>/dev/null || echo python3 -m uv)
MANIFEST := dbt_project/target/manifest.json
# The CAKUPAN_* settings as the pipeline resolves them (orchestration/settings.py, the one place their defaults are
# stated): `$(call SETTING,warehouse)` is a path; `$(DBT_VARS)`, dbt's --vars. Expanded when a recipe runs, after
# the venv is installed.
SETTING = $(shell $(BIN)/python -m orchestration.settings $(1))
DBT_VARS = '$(shell $(BIN)/python -m orchestration.settings)'
DBT_SOURCES := $(shell find dbt_project/models dbt_project/macros dbt_project/seeds dbt_project/tests dbt_project/vendor -type f 2>/dev/null) dbt_project/dbt_project.yml dbt_project/profiles.yml dbt_project/packages.yml dbt_project/package-lock.yml

.PHONY: help run test test-fast lint lint-sql check-defs dev manifest docs sql bench rekey clean

help:
	@echo "make run   build the warehouse from data/landing (demo extracts generated when it is empty)"
	@echo "make test  the whole test suite (CI's command)"
	@echo "make test-fast  everything that needs no refresh, for the inner loop (under two minutes)"
	@echo "make lint  ruff (lint, format), sqlfluff (dbt SQL), mypy, dg check defs"
	@echo "make dev   the Dagster UI on http://127.0.0.1:3000"
	@echo "make docs  dbt docs of every model and column, as one offline HTML file"
	@echo "make sql   DuckDB's command line on the analyst database, read-only"
	@echo "make bench ingest, XLSX, a national delta and the scale ladder side by side (BENCH_ARGS=\"--only ingest --rows 1000000\")"
	@echo "make rekey remake every pseudonym under the key now configured, then refresh (README: changing the key)"

$(BIN)/.installed: pyproject.toml uv.lock
	@python3 -m uv --version >/dev/null 2>&1 || command -v uv >/dev/null || python3 -m pip install --quiet uv
	$(UV) sync --frozen
	@touch $@

$(MANIFEST): $(BIN)/.installed $(DBT_SOURCES)
	# dbt_utils is vendored (dbt_project/vendor): `dbt deps` links it into dbt_packages/ without any network.
	cd dbt_project && ../$(BIN)/dbt deps --quiet --profiles-dir . && ../$(BIN)/dbt parse --quiet --profiles-dir . --vars $(DBT_VARS)
	@touch $@

manifest: $(MANIFEST)

$(DAGSTER_HOME)/dagster.yaml: orchestration/dagster.yaml
	@mkdir -p $(DAGSTER_HOME)
	cp orchestration/dagster.yaml $@

run: $(MANIFEST) $(DAGSTER_HOME)/dagster.yaml
	@landing='$(call SETTING,landing_dir)'; if [ -z "$$(ls -A "$$landing" 2>/dev/null)" ]; then \
		echo "landing folder $$landing is empty: generating demo extracts"; \
		$(BIN)/python -m synthetic --out "$$landing" --people $(DEMO_PEOPLE); \
	fi
	$(BIN)/dagster job execute -m orchestration.definitions -j daily_refresh
	@$(BIN)/python -m orchestration.province_line

# A deliberate change of the pseudonym key: every pseudonym remade from the landed files, then a full rebuild.
rekey: $(MANIFEST) $(DAGSTER_HOME)/dagster.yaml
	$(BIN)/python -m orchestration.rekey
	$(BIN)/dagster job execute -m orchestration.definitions -j daily_refresh
	@$(BIN)/python -m orchestration.province_line

# pytest-xdist: the test files shared between workers, a file's tests on one (its module fixtures are built once).
TEST_WORKERS ?= 2
test: $(MANIFEST)
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile --durations=20

test-fast: $(MANIFEST)
	$(BIN)/python -m pytest -m "not refresh" -q

lint: lint-sql check-defs
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# sqlfluff's dbt templater compiles the project against a throwaway warehouse, never data/.
lint-sql: $(MANIFEST)
	CAKUPAN_WAREHOUSE=$$(mktemp -d)/lint.duckdb $(BIN)/sqlfluff lint dbt_project/models dbt_project/macros dbt_project/tests

check-defs: $(MANIFEST) $(DAGSTER_HOME)/dagster.yaml
	$(BIN)/dg check defs

dev: $(MANIFEST) $(DAGSTER_HOME)/dagster.yaml
	$(BIN)/dagster dev -w workspace.yaml -h 127.0.0.1 -p 3000

docs: $(MANIFEST)
	@warehouse='$(call SETTING,warehouse)'; test -f "$$warehouse" || { echo "no warehouse at $$warehouse yet: run make run first"; exit 1; }
	cd dbt_project && ../$(BIN)/dbt docs generate --quiet --profiles-dir . --static --vars $(DBT_VARS)
	@echo "dbt docs: $(CURDIR)/dbt_project/target/static_index.html (open it in a browser; no server needed)"

# DuckDB's command line (duckdb-cli, installed with the project) on the published analyst database.
sql: $(BIN)/.installed
	@analytics='$(call SETTING,analytics_db)'; test -f "$$analytics" || { echo "no analyst database at $$analytics yet: run make run first"; exit 1; }; \
		$(BIN)/duckdb -readonly "$$analytics"

BENCH_ARGS ?=
bench: $(MANIFEST)
	$(BIN)/python -m benchmarks $(BENCH_ARGS)

clean:
	rm -rf dbt_project/target dbt_project/logs
