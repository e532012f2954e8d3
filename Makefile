# `make test` and `make demo` build their own virtualenv; nothing needs installing by hand.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test lint typecheck unit docs bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev,docs]'
	touch $@

# Every call of all four clients, sync and async, against the bundled fakes on 127.0.0.1.
demo: $(BIN)/.installed
	$(BIN)/python examples/quickstart.py

test: lint typecheck unit docs

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

typecheck: $(BIN)/.installed
	$(BIN)/mypy

unit: $(BIN)/.installed
	$(BIN)/pytest -q

# The documentation site, into site/; --strict turns a broken link or reference into a failure.
docs: $(BIN)/.installed
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet

bench: $(BIN)/.installed
	$(BIN)/python -m benchmarks
	$(BIN)/python benchmarks/ledger_cost.py

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache site
