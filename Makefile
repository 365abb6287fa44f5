# The commands README names. Everything installs into .venv from PyPI, pinned by constraints.txt.
SHELL := bash
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SERVICES := profiles matching scheduling feedback
# The kit, the services, the tools (admin, demo, broker, ...) and the test fixtures; an image installs the kit and one service.
EDITABLES := -e shared $(foreach s,$(SERVICES),-e services/$(s)) -e tools -e testing

TENANT ?= acme
ROLE   ?= org_admin
SUB    ?=# the person (id or work email) the token acts as; an org_admin defaults to admin@$(TENANT).example

.PHONY: install system-packages run demo test lint token bench clean help
help:
	@echo "make run    start the whole platform on embedded defaults (Ctrl-C stops it)"
	@echo "make demo   a program's whole journey through the public APIs, on the running platform or its own"
	@echo "make test   lint and type-check, then run the test suite against PostgreSQL and a Kafka-protocol broker"
	@echo "make token  TENANT=acme ROLE=mentor SUB=<person id or email>   print a bearer token (SUB optional for org_admin)"
	@echo "make bench  run the benchmarks and record them in bench/RESULTS.md"

install: $(STAMP)

$(STAMP): constraints.txt shared/pyproject.toml $(foreach s,$(SERVICES),services/$(s)/pyproject.toml) tools/pyproject.toml testing/pyproject.toml
	@echo "Installing the pinned packages into $(VENV) (the first time takes a few minutes)..."
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt $(EDITABLES)
	@echo "Installed."
	touch $(STAMP)

# Debian packages the tests use (docker-compose, to validate docker-compose.yml); installs what is missing.
system-packages:
	scripts/install-system-packages

run: install
	scripts/run-embedded

demo: install
	scripts/demo $(DEMO_ARGS)

# Two xdist workers: the suite waits on brokers, servers and child processes about as much as it
# computes. In one process it kept 0.8 of two cores busy and took 10 min 41 s in CI's fresh clone;
# on two workers, 7 min 38 s.
# tests/conftest.py keeps the tests that start the whole platform on one of them.
PYTEST_WORKERS ?= -n 2 --dist loadgroup

test: install system-packages lint
	$(BIN)/python -m pytest $(PYTEST_WORKERS) $(PYTEST_ARGS)

# ruff (ruff.toml) over the whole tree and mypy (mypy.ini: every package, together): `make test` runs them first.
lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy

token: install
	@sub='$(SUB)'; if [ -z "$$sub" ]; then \
	  if [ '$(ROLE)' != org_admin ]; then \
	    echo "make token: ROLE=$(ROLE) acts as a person: set SUB=<their person id or work email>" >&2; exit 2; fi; \
	  sub='admin@$(TENANT).example'; fi; \
	source scripts/embedded-env; $(BIN)/mentoring token --tenant '$(TENANT)' --role '$(ROLE)' --sub "$$sub"

bench: install
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) var .pytest_cache
