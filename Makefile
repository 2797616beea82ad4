# saasapp — `make run` starts the platform, `make test` runs the whole suite.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV    := .venv
PY      := $(VENV)/bin/python
BUN_DIR := .tools/bun
BUN     := $(BUN_DIR)/bin/bun
BUN_VERSION := 1.4.5
PYTHON  ?= python3

# Nothing reaches outside the package registries.
export REFLEX_TELEMETRY_ENABLED := false
export REFLEX_CHECK_LATEST_VERSION := false
export REFLEX_HTTP_CLIENT_BIND_ADDRESS := 0.0.0.0
export NPM_CONFIG_REGISTRY ?= $(shell npm config get registry 2>/dev/null)
export PATH := $(CURDIR)/$(BUN_DIR)/bin:$(CURDIR)/$(VENV)/bin:$(PATH)

.PHONY: help setup run dev worker migrate test test-fast lint format bench probe-start clean

help:
	@echo "make run    - set up and start web + worker at http://localhost:3000"
	@echo "make test   - set up and run the whole test suite"
	@echo "make dev    - Reflex dev mode (hot reload) + worker"
	@echo "make lint   - ruff check and format check, who may import whom"
	@echo "make bench  - benchmarks (ratios to in-run baselines)"
	@echo "make probe-start - run the container's start command on PostgreSQL + Redis and probe it"

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

$(BUN):
	npm install --global --prefix "$(CURDIR)/$(BUN_DIR)" --no-fund --no-audit bun@$(BUN_VERSION)

setup: $(VENV)/.installed $(BUN)

migrate: setup
	$(PY) -c "from saasapp.db import migrate; migrate()"

run: setup
	$(PY) -m saasapp.serve

dev: setup
	$(PY) -m saasapp.worker & trap "kill $$!" EXIT; $(PY) -m reflex run --env dev

worker: setup
	$(PY) -m saasapp.worker

test: setup
	$(PY) -m pytest

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache --no-logo
	$(PY) -m pytest -q tests/test_layers.py

format: setup
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: setup
	$(PY) -m bench

probe-start: setup
	$(PY) scripts/probe_start.py

clean:
	rm -rf .web .states data
