# Two entry points a person needs: `make run` and `make test`. Everything else is for developers.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run test lint i18n screenshots bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,dev]'
	$(PY) -m intake.i18n compile
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/intake $(ARGS)

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check intake tests
	$(VENV)/bin/ruff format --check intake tests
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

# Extract every marked string and merge it into the French catalog (then translate what is new).
i18n: $(STAMP)
	$(PY) -m intake.i18n update

screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m intake.ui.screenshots --out docs/screenshots

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) tests/bench/bench_startup.py
	$(PY) tests/bench/bench_routing.py
	$(PY) tests/bench/bench_store.py
	QT_QPA_PLATFORM=offscreen $(PY) tests/bench/bench_kiosk.py
	QT_QPA_PLATFORM=offscreen $(PY) tests/bench/bench_call.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache *.egg-info
