# Whiskers: `make run` serves the site with demo content, `make test` runs every check.
# Both start from nothing: they create .venv and install what they need.

PYTHON ?= python3
VENV ?= .venv
HOST ?= 127.0.0.1
PORT ?= 8000
# Links in emails and the printed bot command point here.
BASE_URL ?= http://$(HOST):$(PORT)
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
CHROMIUM := /usr/bin/chromium
SHARED ?= ../shared
CAT_MODEL_WEIGHTS ?= $(SHARED)/models/mobilenet_v2_1.0_224_imagenet_from_tflite_ptq.h5

.DEFAULT_GOAL := help
.PHONY: help setup run demo test lint format browser-deps train clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-14s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.dev: requirements-dev.txt $(VENV)/.runtime
	$(BIN)/pip install --quiet -r requirements-dev.txt
	@touch $@

# TensorFlow, for training the cat model and its keras runtime; the site never needs it.
$(VENV)/.ml: requirements-ml.txt $(VENV)/.runtime
	$(BIN)/pip install --quiet -r requirements-ml.txt
	@touch $@

setup: $(VENV)/.runtime ## Create .venv and install the runtime requirements

demo: setup ## Migrate, collect static files and load the demo content
	$(MANAGE) migrate --noinput
	$(MANAGE) collectstatic --noinput --verbosity 0
	BASE_URL=$(BASE_URL) $(MANAGE) load_demo_data

run: demo ## Set everything up, then serve on http://$(HOST):$(PORT) with a task worker (Ctrl-C stops both)
	@echo "Serving Whiskers on http://$(HOST):$(PORT)/ (admin: http://$(HOST):$(PORT)/admin/)"
	@mkdir -p var
	PATH="$(abspath $(BIN)):$$PATH" BASE_URL=$(BASE_URL) HOST=$(HOST) WEB_PORT=$(PORT) $(BIN)/supervisord --configuration config/supervisord.dev.conf

browser-deps: ## Install Debian's Chromium for the browser tests, if it is missing
	@[ -x $(CHROMIUM) ] || { echo "Installing Chromium with apt-get…"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null; }
	@[ -x $(CHROMIUM) ] || { echo "Chromium is still missing at $(CHROMIUM)"; exit 1; }

lint: $(VENV)/.dev ## Ruff (lint and format check), Django's checks, migrations up to date
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djhtml --check templates
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run --noinput

test: lint browser-deps $(VENV)/.ml ## Lint, then the whole test suite (browser tests included)
	$(BIN)/pytest

format: $(VENV)/.dev ## Fix what ruff can fix and format the code
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/djhtml templates

train: $(VENV)/.ml ## Install TensorFlow and train a cat model on $(SHARED)/cat-train into var/cat-models
	CAT_MODEL_WEIGHTS=$(CAT_MODEL_WEIGHTS) $(MANAGE) train_cat_model --data $(SHARED)/cat-train
	@echo "Try it: $(MANAGE) evaluate_cat_model --images $(SHARED)/cat-eval/images --labels $(SHARED)/cat-eval/labels.csv --model <version>; make it active: $(MANAGE) cat_model --activate <version>"

clean: ## Remove the local database, media, collected static files and .venv
	rm -rf $(VENV) db.sqlite3 media static_collected var
