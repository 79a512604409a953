# vbqppl — two commands: `make demo` and `make test`. Everything else is set up on the way.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: demo test lint bench golden install clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "vbqppl cần Python 3.11 trở lên (needs Python 3.11+)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	@$(BIN)/vbqppl demo corpus
	@echo
	@$(BIN)/vbqppl run corpus --out build/bao-cao --db build/bao-cao/vbqppl.db -j 1

# The suite runs in two worker processes (pytest-xdist); TEST_WORKERS=0 runs it in one.
TEST_WORKERS ?= 2
test: $(STAMP)
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS)

lint: $(STAMP)
	$(BIN)/ruff check vbqppl cli tests bench rules
	$(BIN)/ruff format --check vbqppl cli tests bench rules
	$(BIN)/mypy vbqppl cli

bench: $(STAMP)
	$(BIN)/python bench/run.py --out bench/RESULTS.md

# Regenerate the golden files after a reviewed parser change.
golden: $(STAMP)
	$(BIN)/python -m tests.golden --update

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
