# Two commands on a fresh machine with python3, pip and make: `make run`, then `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

export DAGSTER_HOME ?= $(CURDIR)/data/dagster
# No network here: nothing may phone home.
export DO_NOT_TRACK := 1
export DBT_SEND_ANONYMOUS_USAGE_STATS := false

VENV := .venv
BIN := $(VENV)/bin
LANDING := $(or $(CAKUPAN_LANDING_DIR),data/landing)
DEMO_PEOPLE ?= 30000
UV := $(shell command -v uv 2>/dev/null || echo python3 -m uv)
MANIFEST := dbt_project/target/manifest.json
DBT_SOURCES := $(shell find dbt_project/models dbt_project/macros dbt_project/seeds dbt_project/tests -type f 2>/dev/null) dbt_project/dbt_project.yml dbt_project/profiles.yml

.PHONY: help run test dev manifest docs clean

help:
	@echo "make run   build the warehouse from data/landing (demo extracts generated when it is empty)"
	@echo "make test  the whole test suite"
	@echo "make dev   the Dagster UI on http://127.0.0.1:3000"
	@echo "make docs  dbt docs (offline) on http://127.0.0.1:8080"

$(BIN)/.installed: pyproject.toml uv.lock
	@python3 -m uv --version >/dev/null 2>&1 || command -v uv >/dev/null || python3 -m pip install --quiet uv
	$(UV) sync --frozen
	@touch $@

$(MANIFEST): $(BIN)/.installed $(DBT_SOURCES)
	cd dbt_project && ../$(BIN)/dbt parse --quiet --profiles-dir .
	@touch $@

manifest: $(MANIFEST)

$(DAGSTER_HOME)/dagster.yaml: orchestration/dagster.yaml
	@mkdir -p $(DAGSTER_HOME)
	cp orchestration/dagster.yaml $@

run: $(MANIFEST) $(DAGSTER_HOME)/dagster.yaml
	@if [ -z "$$(ls -A $(LANDING) 2>/dev/null)" ]; then \
		echo "landing folder $(LANDING) is empty: generating demo extracts"; \
		$(BIN)/python -m synthetic --out $(LANDING) --people $(DEMO_PEOPLE); \
	fi
	$(BIN)/dagster job execute -m orchestration.definitions -j daily_refresh
	@$(BIN)/python -m orchestration.province_line

test: $(MANIFEST)
	$(BIN)/python -m pytest

dev: $(MANIFEST) $(DAGSTER_HOME)/dagster.yaml
	$(BIN)/dagster dev -w workspace.yaml -h 127.0.0.1 -p 3000

docs: $(MANIFEST)
	cd dbt_project && ../$(BIN)/dbt docs generate --profiles-dir . --static && ../$(BIN)/dbt docs serve --profiles-dir . --host 127.0.0.1 --port 8080

clean:
	rm -rf dbt_project/target dbt_project/logs
