# SeqTx developer commands. `make run` and `make test` do all set-up on a fresh machine.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TS := $(wildcard resources/translations/*.ts)
QM := $(TS:.ts=.qm)

export QT_QPA_PLATFORM ?= $(if $(DISPLAY),,offscreen)

.PHONY: run test lint typecheck imports pytest bench package screenshots clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

resources/translations/%.qm: resources/translations/%.ts $(STAMP)
	$(BIN)/pyside6-lrelease -silent $< -qm $@

run: $(STAMP) $(QM)
	$(BIN)/seqtx

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy app db ui

imports: $(STAMP)
	$(BIN)/lint-imports

pytest: $(STAMP) $(QM)
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest -q --cov=app/domain --cov-branch --cov-report=term-missing:skip-covered --cov-fail-under=100 tests

test: lint typecheck imports pytest

bench: $(STAMP) $(QM)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m bench

package: $(STAMP) $(QM)
	$(BIN)/pyinstaller --noconfirm --clean build.spec

screenshots: $(STAMP) $(QM)
	$(BIN)/python scripts/screenshots.py
	$(BIN)/python scripts/ward_screenshots.py

clean:
	rm -rf build dist .pytest_cache .mypy_cache .ruff_cache
