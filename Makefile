# Two commands do all set-up on a fresh machine with Python >= 3.11 and pip:
#   make run    build the data and run every notebook (the batch report)
#   make test   run the test suite
# Both create or refresh the local virtual environment .venv from requirements.lock.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
OUTPUT ?= output

.PHONY: venv data run test test-fast lab lock strip outputs bench bench-quick clean

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

## rebuild data/processed (DKI and national layers) from data/raw (deterministic; the result is committed)
data: $(STAMP)
	$(BIN)/python -m helpers.prepare.dki build
	$(BIN)/python -m helpers.prepare.national build

## the main job
run: $(STAMP)
	$(BIN)/pemilu-recap --output $(OUTPUT)

## lint (ruff), the layers of src/helpers (import-linter; both configured in pyproject.toml), then the whole
## test suite, notebooks and browser tests included
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/python -m pytest -n 2 --dist loadgroup

## unit tests only (no notebooks, no browser, no data rebuilds or benchmarks), on two workers; under a minute
test-fast: $(STAMP)
	$(BIN)/python -m pytest -n 2 -m "not notebooks and not browser and not slow"

## open the notebooks in JupyterLab
lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

## re-pin every dependency (after changing pyproject.toml)
lock:
	rm -rf .lockvenv && $(PYTHON) -m venv .lockvenv
	.lockvenv/bin/python -m pip install --quiet --upgrade pip
	.lockvenv/bin/python -m pip install --quiet -e '.[dev]'
	.lockvenv/bin/python -m pip freeze --exclude-editable | grep -v '^-e' > requirements.lock
	rm -rf .lockvenv

## remove outputs from notebooks before committing (the headline cells marked keep_output stay)
strip: $(STAMP)
	$(BIN)/nbstripout --keep-metadata-keys metadata.tags notebooks/*.ipynb

## refresh the committed headline outputs that nbval compares (after a change that moves a figure, on purpose)
outputs: $(STAMP)
	$(BIN)/python tools/keep_outputs.py
	$(BIN)/nbstripout --keep-metadata-keys metadata.tags notebooks/*.ipynb

## benchmark suite: measured figures next to a baseline and a floor (benchmarks/README.md); ~1.5 min
bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

## reduced benchmark run, the one CI runs through tests/test_benchmarks.py; ~10 s
bench-quick: $(STAMP)
	$(BIN)/python benchmarks/run.py --quick

clean:
	rm -rf $(OUTPUT) .pytest_cache
