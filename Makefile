# Ustaz: `make run` runs the whole system with the demo university; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test install lint format messages bench
.DEFAULT_GOAL := run

# The virtual environment, reinstalled whenever pyproject.toml changes.
$(VENV)/.installed: pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@# xstatic-bootstrap ships only an sdist whose setup.py still imports pkg_resources.
	$(BIN)/pip install --quiet --disable-pip-version-check 'setuptools<81' wheel
	$(BIN)/pip install --quiet --disable-pip-version-check --no-build-isolation 'xstatic-bootstrap>=5.3,<6'
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $@

install: $(VENV)/.installed

run: install
	$(BIN)/python -m ustaz run

test: install
	./scripts/test

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: install
	cd ustaz && ../$(BIN)/python ../manage.py makemessages -l kk -l ru -l en --no-obsolete --no-location
	cd ustaz && ../$(BIN)/python ../manage.py compilemessages

bench: install
	$(BIN)/python bench/run.py
