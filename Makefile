# The two commands of the README:  make book  (build the website)  and  make test  (run every test).
# Both create .venv and install requirements.txt into it when it is missing or out of date.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
NOTEBOOKS := $(shell git ls-files 'book/*.ipynb' 2>/dev/null)

.PHONY: book test lint unit notebooks-test execute lab bench clean

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(STAMP)

## book: build the website in static mode, warnings as errors; open _build/html/index.html
book: $(STAMP)
	LERBOOK_STATIC=1 $(BIN)/jupyter-book build . -W -n --keep-going
	@echo "The book is built: open _build/html/index.html in a browser"

## test: lint, unit tests, notebooks (nbval), and the strict book build
test: lint unit notebooks-test book

lint: $(STAMP)
	$(BIN)/ruff check lerbook tests bench

unit: $(STAMP)
	$(BIN)/python -m pytest tests -q

notebooks-test: $(STAMP)
	$(BIN)/python -m pytest --nbval-lax book/ -q

## execute: re-run every notebook in static mode and save its outputs (after changing lerbook)
execute: $(STAMP)
	for nb in $(NOTEBOOKS); do \
	  LERBOOK_STATIC=1 $(BIN)/jupyter nbconvert --to notebook --execute --inplace "$$nb" || exit 1; \
	done

## bench: how fast every explorer follows its sliders, and the multi-timescale solver (optional)
bench: $(STAMP)
	MPLBACKEND=Agg $(BIN)/python bench/explorers.py

## lab: read the book live in JupyterLab
lab: $(STAMP)
	$(BIN)/jupyter lab book/

clean:
	rm -rf _build
