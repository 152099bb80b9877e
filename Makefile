# The two commands of the README:  make book  (build the website)  and  make test  (run every test).
# Both create .venv and install requirements.txt into it when it is missing or out of date.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
NOTEBOOKS := $(shell git ls-files 'book/*.ipynb' 2>/dev/null)

.PHONY: book html kit test lint unit notebooks-test browser-test browser-test-all execute lab bench pdf clean

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(STAMP)

## book: the website and its course kit; open _build/html/index.html
book: html kit
	@echo "The book is built: open _build/html/index.html in a browser"

## html: the website in static mode, warnings as errors
html: $(STAMP)
	LERBOOK_STATIC=1 $(BIN)/jupyter-book build . -W -n --keep-going

## kit: student notebooks (no solutions), full notebooks and the PDF, in _build/html/kit/
kit: $(STAMP) pdf
	$(BIN)/python tools/course_kit.py --pdf $(PDF)

## test: lint, unit tests, notebooks (nbval), the strict book build, and the browser tests
test: lint unit notebooks-test book browser-test

lint: $(STAMP)
	$(BIN)/ruff check lerbook tests bench tools _ext book

unit: $(STAMP)
	$(BIN)/python -m pytest tests -q --ignore=tests/browser

notebooks-test: $(STAMP)
	$(BIN)/python -m pytest --nbval-lax book/ -q

# Debian's Chromium for the browser tests (Playwright drives it; no browser download).
CHROMIUM := /usr/bin/chromium
SUDO := $(shell test "$$(id -u)" = 0 || echo sudo)
$(CHROMIUM):
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends \
	  chromium fonts-liberation fonts-dejavu-core >/dev/null
	test -x $(CHROMIUM)

## browser-test: the built website (_build/html, from `make book`) and one live chapter in
## JupyterLab, in headless Chromium; screenshots go to _build/screenshots/
browser-test: $(STAMP) $(CHROMIUM)
	test -f _build/html/index.html || $(MAKE) book
	$(BIN)/python -m pytest tests/browser -q

## browser-test-all: the same, with every chapter run live in JupyterLab (slow)
browser-test-all: $(STAMP) $(CHROMIUM)
	test -f _build/html/index.html || $(MAKE) book
	LERBOOK_LIVE_ALL=1 $(BIN)/python -m pytest tests/browser -q

## pdf: the whole book as one PDF, offline (one-page build printed by Debian's Chromium); _build/pdf/
PDF := _build/pdf/lattice-energy-reservoir.pdf
pdf: $(STAMP) $(CHROMIUM)
	$(BIN)/python tools/book_pdf.py --no-execute --chromium $(CHROMIUM) --output $(PDF)

## execute: re-run every notebook in static mode and save its outputs (after changing lerbook)
execute: $(STAMP)
	for nb in $(NOTEBOOKS); do \
	  LERBOOK_STATIC=1 $(BIN)/jupyter nbconvert --to notebook --execute --inplace "$$nb" || exit 1; \
	done

## bench: how fast every explorer follows its sliders, and the multi-timescale solver (optional)
bench: $(STAMP)
	MPLBACKEND=Agg $(BIN)/python bench/explorers.py

## lab: read the book live in JupyterLab (as root too, as in containers: --allow-root)
LAB_ARGS ?=
lab: $(STAMP)
	$(BIN)/jupyter lab book/ $(if $(filter 0,$(shell id -u)),--allow-root) $(LAB_ARGS)

clean:
	rm -rf _build
