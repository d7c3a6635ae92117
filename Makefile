# Social marketing warehouse: the two commands a newcomer needs are
# `make build` and `make test`. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export DBT_PROFILES_DIR := $(CURDIR)/profiles
export LANDING_DIR ?= $(CURDIR)/data/landing
export RAW_DIR ?= $(CURDIR)/data/raw
DBT := $(BIN)/dbt

.PHONY: help venv sample build test lint format pytest dbt-test docs clean lock bench browser
.PHONY: venv-spark build-spark test-spark
SIZE ?= 1m
TARGET ?= duckdb

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	mkdir -p warehouse
	touch $(STAMP)

venv: $(STAMP) ## create the virtual environment (only when missing or out of date)

sample: $(STAMP) ## generate the sample exports when the landing folder is empty
	$(BIN)/social-warehouse generate --landing-dir "$(LANDING_DIR)" --if-empty --create-key

build: sample ## the main job: dbt build, quality gate, atomic publish, steward report
	$(BIN)/social-warehouse run

lint: $(STAMP) ## sqlfluff, ruff and the dbt project parse
	$(BIN)/ruff check scripts
	$(BIN)/ruff format --check scripts
	DBT_TARGET=lint $(BIN)/sqlfluff lint models macros tests
	$(DBT) parse --quiet

format: $(STAMP) ## fix what the linters can fix
	$(BIN)/ruff format scripts
	$(BIN)/ruff check --fix scripts
	DBT_TARGET=lint $(BIN)/sqlfluff fix models macros tests

# two workers on the 2-core machine, each a whole module at a time (docs/testing.md);
# PYTEST_WORKERS=0 runs the suite in one process
PYTEST_WORKERS ?= 2
pytest: $(STAMP) ## the Python test suite
	$(BIN)/pytest -q -n $(PYTEST_WORKERS) --dist loadfile --no-loadscope-reorder; rc=$$?; if [ $$rc -eq 5 ]; then echo "no Python tests collected"; rc=0; fi; exit $$rc

# Debian's Chromium for the report tests (scripts/tests/browser.py drives it headless).
# Installed with apt-get when missing (as root, or through sudo without a password);
# under CI a browser that cannot be installed fails the run instead of skipping tests.
CHROMIUM ?= /usr/bin/chromium
export CHROMIUM_PATH ?= $(CHROMIUM)
browser: ## install the headless browser the report tests use (Debian's chromium), when missing
	@if [ -x "$(CHROMIUM)" ]; then echo "browser: $(CHROMIUM) is installed"; exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO="sudo -n"; fi; \
	if command -v apt-get >/dev/null && $$SUDO apt-get update -qq \
	  && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null \
	  && [ -x "$(CHROMIUM)" ]; then echo "browser: installed $(CHROMIUM)"; \
	elif [ -n "$$CI" ]; then echo "browser: could not install chromium, CI needs it" >&2; exit 1; \
	else echo "browser: could not install chromium: the browser tests will be skipped" >&2; fi

dbt-test: sample ## dbt build (seeds, models, data and unit tests) on a fresh CI database
	rm -f warehouse/ci.duckdb warehouse/ci.duckdb.wal
	DBT_TARGET=ci $(DBT) build --full-refresh

# make test runs the Spark comparison too (scripts/tests/test_spark.py, on one of the
# pytest workers while the other runs the rest): Java 17 and the Spark packages first.
# Its DuckDB half is the full dbt build of the sample with every data and unit test
# (what make dbt-test runs), so make test does not run that build a second time.
test: export SPARK_TESTS := 1
test: lint browser venv-spark pytest ## every check: lint, Python tests with the DuckDB and Spark builds of the sample (all dbt tests)

bench: $(STAMP) ## benchmark at SIZE (100k, 1m, 10m) on TARGET (duckdb, spark): bench/results-*
	if [ "$(TARGET)" = spark ]; then $(MAKE) venv-spark; fi
	$(BIN)/social-warehouse bench --size $(SIZE) --target $(TARGET)

docs: $(STAMP) ## generate the dbt docs site into target/
	$(DBT) docs generate

lock: ## re-resolve requirements.in into requirements.lock (see README "Upgrading")
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/pip install --quiet --upgrade pip
	.venv-lock/bin/pip install --quiet -r requirements.in
	.venv-lock/bin/pip freeze --exclude-editable > requirements.lock
	rm -rf .venv-lock

# Apache Spark (docs/spark.md): the same project on a local PySpark session.
SPARK_STAMP := $(VENV)/.installed-spark
export SPARK_HOME_DIR ?= $(CURDIR)/warehouse/spark

$(SPARK_STAMP): $(STAMP) requirements-spark.lock
	bash scripts/ensure_java.sh
	$(BIN)/python -m pip install --quiet -r requirements-spark.lock
	touch $(SPARK_STAMP)

venv-spark: $(SPARK_STAMP) ## add dbt-spark and PySpark to the environment (and Java 17 if missing)

build-spark: sample venv-spark ## the job on Spark: ingest, dbt build, quality gate, Parquet per mart
	mkdir -p $(SPARK_HOME_DIR)
	$(BIN)/python -m social_warehouse.spark ingest
	DBT_TARGET=spark DBT_TARGET_PATH=$(SPARK_HOME_DIR)/target $(DBT) build
	DBT_TARGET_PATH=$(SPARK_HOME_DIR)/target $(BIN)/python -m social_warehouse.spark gate \
		--out "$(SPARK_HOME_DIR)/gate"
	DBT_TARGET_PATH=$(SPARK_HOME_DIR)/target $(BIN)/python -m social_warehouse.spark export \
		--out "$(SPARK_HOME_DIR)/publish"

test-spark: sample venv-spark ## DuckDB and Spark builds of the sample, every mart compared row for row
	SPARK_TESTS=1 $(BIN)/pytest -q -s scripts/tests/test_spark.py

clean: ## remove everything generated (venv kept: `rm -rf .venv` for that)
	rm -rf target logs warehouse data/raw publish .venv-duckdb1
	find data/landing -mindepth 1 ! -name README.md -delete
