# Two entry points a person needs: `make run` and `make test`. Everything else is for developers.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip --disable-pip-version-check --quiet
# One stamp per set of extras: `make run` installs only what the application needs; testing,
# linting and bundling each add their own tools on top of it.
STAMP  := $(VENV)/.installed
TESTS  := $(VENV)/.installed-test
DEV    := $(VENV)/.installed-dev
BUNDLE := dist/intake

.PHONY: run test lint mutation i18n screenshots bench soak bench-bundle wheel bundle bundle-smoke desktop-entry clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip
	$(PIP) install -e .
	$(PY) -m intake.i18n compile
	touch $(STAMP)

$(TESTS): $(STAMP)
	$(PIP) install -e '.[test]'
	touch $(TESTS)

$(DEV): $(STAMP)
	$(PIP) install -e '.[dev]'
	touch $(DEV)

run: $(STAMP)
	$(VENV)/bin/intake $(ARGS)

# The whole suite, the wheel test included (tests/packaging: builds the wheel and installs it
# into a fresh venv). A quick run without it: make test PYTEST_ARGS='-m "not packaging"'
test: $(TESTS)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest $(PYTEST_ARGS)

lint: $(DEV)
	$(VENV)/bin/ruff check intake tests
	$(VENV)/bin/ruff format --check intake tests
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

# Mutation testing (mutmut) over the refusing code listed in pyproject.toml [tool.mutmut]; prints
# the share of mutants killed. Slow (minutes per module): not part of .ci/run. Narrow it with
# MUTANTS, e.g. make mutation MUTANTS='intake.safety.* intake.storage.account_store.*'
# MUTATION_TESTS narrows the tests run (tools/mutation_run.py), MUTATION_JOBS the parallel runs.
MUTANTS ?=
MUTATION_TESTS ?=
MUTATION_JOBS ?=
mutation: $(DEV) $(TESTS)
	MUTATION_TESTS='$(MUTATION_TESTS)' $(PY) tools/mutation_run.py run \
		$(if $(MUTATION_JOBS),--max-children $(MUTATION_JOBS)) $(MUTANTS) || true
	$(PY) tools/mutation_share.py $(MUTANTS)

# Extract every marked string and merge it into the French catalog (then translate what is new).
i18n: $(STAMP)
	$(PY) -m intake.i18n update

screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m intake.ui.screenshots --out docs/screenshots

bench: $(TESTS)
	QT_QPA_PLATFORM=offscreen $(PY) tests/bench/bench_startup.py
	$(PY) tests/bench/bench_routing.py
	$(PY) tests/bench/bench_store.py
	$(PY) tests/bench/bench_call_save.py
	$(PY) tests/bench/bench_pin.py
	$(PY) tests/bench/bench_shared_store.py
	QT_QPA_PLATFORM=offscreen $(PY) tests/bench/bench_kiosk.py
	QT_QPA_PLATFORM=offscreen $(PY) tests/bench/bench_call.py
	QT_QPA_PLATFORM=offscreen $(PY) tests/bench/bench_soak.py --visits 300
	$(PY) tests/bench/bench_matching.py
	$(PY) tests/bench/bench_reports.py
	$(PY) tests/bench/bench_shared_reports.py
	$(PY) tests/bench/bench_move_to_server.py
	QT_QPA_PLATFORM=offscreen $(PY) tests/bench/bench_worklist.py

# The whole soak: 10,000 kiosk visits in French and 1,000 language switches (over an hour:
# each visit builds and lays out its ten screens anew; `make bench` runs 300 visits).
soak: $(TESTS)
	QT_QPA_PLATFORM=offscreen $(PY) tests/bench/bench_soak.py

# The wheel that `pip install .` would install, into dist/.
wheel: $(STAMP)
	rm -f dist/peer_support_intake-*.whl
	$(PIP) wheel --no-deps --wheel-dir dist .

# A one-folder desktop application that needs no Python on the target machine: dist/intake/.
# Built in a fresh venv from what `pip install .` ships (the wheel), never the editable tree.
BUILDENV := build/bundle-venv
bundle:
	rm -rf $(BUILDENV) build/pyinstaller dist/intake
	$(PYTHON) -m venv $(BUILDENV)
	$(BUILDENV)/bin/python -m pip --disable-pip-version-check --quiet install '.[bundle]'
	cd build && ../$(BUILDENV)/bin/python -m PyInstaller --noconfirm --log-level WARN \
		--distpath ../dist --workpath pyinstaller ../packaging/intake.spec

# The bundle against the venv: size and start time, side by side (BENCH_ARGS=--quick in CI).
bench-bundle: $(TESTS)
	$(PY) tests/bench/bench_bundle.py $(BENCH_ARGS)

# The bundled executable, driven as a person would (tests/packaging/test_bundle.py).
bundle-smoke: $(TESTS)
	INTAKE_BUNDLE=$(BUNDLE) QT_QPA_PLATFORM=offscreen $(PY) -m pytest -m bundle \
		tests/packaging/test_bundle.py $(PYTEST_ARGS)

# Linux menus, for this user: the .desktop entry and the icon. EXEC is the command that starts
# the application: `intake` on PATH (pipx), or the bundle: make desktop-entry EXEC=$PWD/dist/intake/intake
EXEC      ?= intake
DATA_HOME ?= $(or $(XDG_DATA_HOME),$(HOME)/.local/share)
desktop-entry:
	install -Dm644 packaging/peer-support-intake.svg \
		$(DATA_HOME)/icons/hicolor/scalable/apps/peer-support-intake.svg
	install -Dm644 packaging/peer-support-intake.png \
		$(DATA_HOME)/icons/hicolor/256x256/apps/peer-support-intake.png
	mkdir -p $(DATA_HOME)/applications
	sed 's|^Exec=intake|Exec=$(EXEC)|; s|^TryExec=intake|TryExec=$(EXEC)|' \
		packaging/peer-support-intake.desktop > $(DATA_HOME)/applications/peer-support-intake.desktop

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache *.egg-info build dist
