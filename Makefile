# getpaid.orders: `make start` serves a demo site, `make test` runs every test.
# Both work as the first command on a fresh machine (Python 3.11, no venv).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
UV := $(BIN)/uv
INSTANCE := instance
ZOPE_CONF := $(INSTANCE)/etc/zope.conf
ADMIN_USER ?= admin
ADMIN_PASSWORD ?= admin
OUTBOX_PORT := 8025
# Plone 6.2.2's release: `make pins` resolves nothing published after it.
PINS_DATE := 2026-09-12

.PHONY: help
help:  ## Show the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

$(UV):
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt uv

# Every install goes through constraints.txt, so every machine gets the same set.
$(VENV)/.installed: $(UV) setup.py constraints.txt
	$(UV) pip install --quiet --python $(BIN)/python -c constraints.txt -e '.[test,dev]'
	touch $@

.PHONY: install
install: $(VENV)/.installed  ## Create .venv and install the add-on with all pins

$(ZOPE_CONF): | $(VENV)/.installed
	$(BIN)/mkwsgiinstance -d $(INSTANCE) -s instance-skel -u $(ADMIN_USER):$(ADMIN_PASSWORD)
	mkdir -p $(INSTANCE)/var/filestorage $(INSTANCE)/var/blobstorage

.PHONY: instance
instance: $(ZOPE_CONF)  ## Create the Zope instance and the demo site (idempotent)
	$(BIN)/zconsole run $(ZOPE_CONF) scripts/create_site.py \
	  $(abspath $(INSTANCE))/var/mailqueue $(OUTBOX_PORT)

.PHONY: start
start: install instance  ## Serve the demo site on http://localhost:8080/Plone
	@echo "getpaid.orders demo: http://localhost:8080/Plone  (log in as $(ADMIN_USER) / $(ADMIN_PASSWORD))"
	@echo "Payments go to the PayPal simulator on http://localhost:8081 (development only)"
	@echo "and the Stripe simulator on http://localhost:8083 (development only)"
	@echo "Mails go to $(INSTANCE)/var/outbox, and are printed here (development only)"
	$(BIN)/python tools/paypal_simulator.py --port 8081 \
	  --webhook-url http://localhost:8080/Plone/@@paypal-webhook & SIMULATOR=$$!; \
	  $(BIN)/python tools/stripe_simulator.py --port 8083 \
	    --webhook-url http://localhost:8080/Plone/@@stripe-webhook & STRIPE=$$!; \
	  $(BIN)/python tools/mail_outbox.py --port $(OUTBOX_PORT) \
	    --folder $(INSTANCE)/var/outbox & OUTBOX=$$!; \
	  trap 'kill $$SIMULATOR $$STRIPE $$OUTBOX' EXIT; \
	  $(BIN)/runwsgi $(INSTANCE)/etc/zope.ini

# Debian packages some tests need: chromium for the browser journeys, graphviz
# for the docs' state diagram, PostgreSQL's server for the scale-out tests.
.PHONY: system
system:  ## Install the Debian packages tests and docs use (if missing)
	@missing=""; \
	  command -v chromium >/dev/null || missing="$$missing chromium"; \
	  command -v dot >/dev/null || missing="$$missing graphviz"; \
	  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	  if [ -n "$$missing" ]; then \
	    echo "Installing Debian packages:$$missing"; \
	    if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	    $$SUDO apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	  fi

.PHONY: test
test: install system  ## Run every test (browser journeys in headless chromium)
	$(BIN)/pytest

.PHONY: bench
bench: install system  ## Measure against plain Plone baselines (hours: 100,000 orders, twice)
	$(BIN)/python benchmarks/bench_order_create.py
	$(BIN)/python benchmarks/bench_checkout_http.py
	$(BIN)/python benchmarks/bench_ipn.py
	$(BIN)/python benchmarks/bench_paypal_checkout.py
	$(BIN)/python benchmarks/bench_sweeper.py
	$(BIN)/python benchmarks/bench_listing.py
	$(BIN)/python benchmarks/bench_export.py --sizes 10000 100000
	$(BIN)/python benchmarks/bench_cluster.py

.PHONY: start-cluster
start-cluster: install system  ## Demo on PostgreSQL + RelStorage, two Zope instances
	$(BIN)/python scripts/cluster.py start

.PHONY: i18n
i18n: install  ## Rebuild the .pot from the code and sync every .po with it
	scripts/i18n.sh

.PHONY: docs
docs: install system  ## Build the Sphinx docs into docs/_build/html (warnings fail)
	$(BIN)/sphinx-build -W --keep-going -q -b html docs docs/_build/html

.PHONY: lint
lint: install  ## Check code style (ruff) and XML/ZCML formatting (zpretty)
	$(BIN)/ruff check src tests benchmarks scripts tools docs/_ext
	$(BIN)/ruff format --check src tests benchmarks scripts tools docs/_ext
	find src -name '*.zcml' -o -name '*.xml' | xargs $(BIN)/zpretty --check

.PHONY: format
format: install  ## Rewrite code and XML/ZCML in the project's style
	$(BIN)/ruff check --fix src tests benchmarks scripts tools docs/_ext
	$(BIN)/ruff format src tests benchmarks scripts tools docs/_ext
	find src -name '*.zcml' -o -name '*.xml' | xargs $(BIN)/zpretty -i

.PHONY: pins
pins: $(UV)  ## Re-resolve constraints.txt and versions.cfg from pins.in
	{ echo "# Every installed package, pinned as of Plone 6.2.2's release (see DEVELOPERS.md)."; \
	  echo "# Generated by 'make pins' from pins.in; do not edit by hand."; \
	  $(UV) pip compile --quiet --exclude-newer $(PINS_DATE) --python-version 3.11 \
	    --no-header --no-annotate pins.in | grep -v '^-e'; } > constraints.txt
	{ echo "# Buildout pins, generated by 'make pins' from constraints.txt; do not edit by hand."; \
	  echo "[versions]"; grep '==' constraints.txt | sed 's/==/ = /'; } > versions.cfg

.PHONY: buildout
buildout: install  ## Build bin/instance with zc.buildout from the same pins
	$(BIN)/buildout -c buildout.cfg

.PHONY: clean
clean:  ## Remove the venv, caches and build output; keeps the database in instance/var
	rm -rf $(VENV) $(INSTANCE)/etc bin parts develop-eggs .installed.cfg \
	  .pytest_cache .ruff_cache .hypothesis .coverage src/*.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
