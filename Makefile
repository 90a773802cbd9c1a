# Ustaz: `make run` runs the whole system with the demo university; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test install lint format messages bench lock
.DEFAULT_GOAL := run

# The virtual environment, reinstalled whenever the project or its lock changes. Every package comes from the
# lock, pinned and checked by its hashes; the build tools first, because xstatic-bootstrap ships only an sdist
# whose setup.py still imports pkg_resources (setuptools < 81, built without isolation).
PIP := $(BIN)/pip install --quiet --disable-pip-version-check
$(VENV)/.installed: pyproject.toml requirements.lock requirements-build.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) --require-hashes -r requirements-build.lock
	$(PIP) --require-hashes --no-build-isolation -r requirements.lock
	$(PIP) --no-deps --no-build-isolation -e .
	@touch $@

# The lock, made anew from pyproject.toml (after a dependency is added or changed): `make lock`.
PIP_COMPILE := $(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links
lock:
	@test -x $(BIN)/pip-compile || $(BIN)/pip install --quiet --disable-pip-version-check pip-tools
	$(PIP_COMPILE) --extra test -o requirements.lock pyproject.toml requirements-build.in
	$(PIP_COMPILE) -o requirements-build.lock requirements-build.in

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
