# Two commands do all the set-up: `make lab` and `make test`.
# Everything else (venv, packages, the browser for the end-to-end test) is installed on demand.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
CHROMIUM := /usr/bin/chromium
SUDO   := $(shell [ "$$(id -u)" = "0" ] || echo sudo)
# Jupyter refuses to start as root (containers, CI machines) unless told it may
ROOT_FLAG := $(shell [ "$$(id -u)" = "0" ] && echo --allow-root)
PORT ?= 8866

.PHONY: help install lab app demo test lint unit notebooks browser chromium bench exercises cards clean
.PHONY: postgresql system-packages classroom bench-classroom

help:
	@echo "make lab        set up and open JupyterLab on notebooks/"
	@echo "make test       set up and run lint, unit tests, notebooks (nbval) and the browser test"
	@echo "make app        serve the explorer notebooks as a Voila app on localhost:$(PORT)"
	@echo "make demo       headless: compare presets from the command line"
	@echo "make bench      run the benchmarks in bench/ (figures go to bench/RESULTS.md)"
	@echo "make exercises  regenerate exercises/ from solutions/"
	@echo "make classroom  serve a demo class (2 teams, one browser per seat) on SQLite at localhost:8000"

install: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "sop_sim needs Python >= 3.11, found " + sys.version.split()[0]'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

# Debian's packages for the tests, installed once after one `apt-get update`: chromium for the
# browser tests (Playwright drives it through executable_path, so no browser is ever
# downloaded) and postgresql for the classroom tests (each test session starts a throw-away
# cluster in a temporary folder with initdb/pg_ctl, as the postgres user when run as root).
system-packages:
	@missing=""; \
	[ -x $(CHROMIUM) ] || missing="$$missing chromium chromium-driver"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:$$missing"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi

chromium postgresql: system-packages

lab: install
	$(BIN)/jupyter lab $(ROOT_FLAG) notebooks/

# the kit's Voila template (notebooks/app/share): Voila's lab page, icon font served locally, no CDN
app: install
	JUPYTER_PATH=$(CURDIR)/notebooks/app/share $(BIN)/voila --no-browser --port=$(PORT) --Voila.ip=127.0.0.1 \
		--template=sop notebooks/app/

demo: install
	$(BIN)/sop-sim compare baseline no_sop skip_supply_review disengaged_executive --reps 20

lint: install
	$(BIN)/ruff check $(wildcard sop_sim tests bench notebooks exercises solutions)

unit: install
	$(BIN)/python -m pytest -q -m "not browser" tests

notebooks: install
	$(BIN)/python -m pytest -q --nbval-lax --nbval-sanitize-with tests/nbval_sanitize.cfg $(ALL_NOTEBOOKS)

browser: install system-packages
	$(BIN)/python -m pytest -q -m browser tests

# every notebook under notebooks/, solutions/ and exercises/, executed on a fresh kernel
ALL_NOTEBOOKS = $(shell find notebooks solutions exercises -name '*.ipynb' -not -path '*/.ipynb_checkpoints/*' 2>/dev/null | sort)

test: install system-packages lint
	$(BIN)/python -m pytest -q tests
	@if [ -n "$(ALL_NOTEBOOKS)" ]; then \
		$(BIN)/python -m pytest -q --nbval-lax --nbval-sanitize-with tests/nbval_sanitize.cfg $(ALL_NOTEBOOKS); \
	else echo "no notebooks yet"; fi

bench: install system-packages
	$(BIN)/python bench/bench_startup.py
	$(BIN)/python bench/bench_run.py --presets
	$(BIN)/python bench/bench_experiment.py --big 0
	$(BIN)/python bench/bench_ui.py --browser --sessions 3

exercises: install
	$(BIN)/python -m sop_sim.exercises.build

cards: install
	$(BIN)/sop-sim cards --out out/cards

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache tests/artifacts

# classroom mode: a demo session on SQLite (links printed; Ctrl+C stops, the file keeps the class)
classroom: install
	$(BIN)/sop-sim classroom demo --db classroom-demo.sqlite --port 8000

bench-classroom: install
	$(BIN)/python bench/bench_classroom.py
