# 法治政府建设年度报告 — run `make help` for the targets.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
YEAR   ?= 2021
STAMP  := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help setup sample report test lab lint bench clean

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

setup: $(STAMP) ## create .venv and install the project (done by the other targets when missing)

data/raw: | $(STAMP)
	$(BIN)/lawreport sample

sample: $(STAMP) ## (re)write the sample raw tables into data/raw (refuses to touch real exports)
	$(BIN)/lawreport sample

report: $(STAMP) | data/raw ## build the report of YEAR (default 2021) into reports/YEAR/, e.g. make report YEAR=2022
	$(BIN)/lawreport build --year $(YEAR)

test: $(STAMP) ## run the whole test suite
	$(BIN)/python -m pytest -q

lab: $(STAMP) ## open JupyterLab on the notebooks (same as `lawreport lab`; options: lawreport lab -h)
	$(BIN)/lawreport lab

lint: $(STAMP) ## ruff check
	$(BIN)/ruff check src tests

bench: $(STAMP) ## time cold/warm/incremental builds against the plain papermill+nbconvert loop and Ploomber (about 19 min)
	$(BIN)/python tests/bench.py

clean: ## remove built reports and caches (raw data and .venv stay)
	rm -rf reports .cache
