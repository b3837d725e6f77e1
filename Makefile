# Two entry points, both from a fresh clone with only Python 3.11, pip and make:
#   make run   set up, build the graph from seeds/ (read, convert, validate, write out/), then
#              print the headline answer: the parties that attended every ICMLPO conference
#   make test  set up, then run linters, type checks and the test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint system-packages clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/kg build seeds --out out
	$(BIN)/kg query attended-every-conference --param international=ICMLPO --graph out/kg.ttl

lint: $(STAMP)
	$(BIN)/ruff check kg tests bench
	$(BIN)/ruff format --check kg tests bench
	$(BIN)/mypy --strict kg

# Debian's chromium, the real browser the page tests drive headless (never a downloaded build),
# and Virtuoso Open Source, one of the two real stores `kg push` is tested against.
system-packages:
	@command -v chromium >/dev/null 2>&1 && command -v virtuoso-t >/dev/null 2>&1 || { apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium virtuoso-opensource >/dev/null; }

test: lint system-packages
	$(BIN)/pytest

clean:
	rm -rf $(VENV) build *.egg-info
