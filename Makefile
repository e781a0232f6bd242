# Every target goes through `install`, which builds .venv once and again only when pyproject.toml changes.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test lint bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is required (set PYTHON=python3.11)")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@# rapidocr-onnxruntime requires opencv-python, which links libGL (absent on servers); both builds install the
	@# same cv2 package, so the GUI one is removed and the headless one laid back over what it took.
	$(BIN)/python -m pip uninstall --quiet --disable-pip-version-check -y opencv-python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps opencv-python-headless
	@touch $(STAMP)

run: install
	$(BIN)/python -m bot

test: install
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check core bot tests scripts

bench: install
	$(BIN)/python scripts/bench.py

clean:
	rm -rf $(VENV) .pytest_cache data/*.db*
