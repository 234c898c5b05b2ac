# The two commands: `make run` (set up, build the index of corpus/, serve on 127.0.0.1:5000)
# and `make test` (set up, run every test). Everything else is a helper for those.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
INDEX ?= var/index
CORPUS ?= corpus
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test index serve clean eval bench stress

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

index: $(STAMP)
	$(BIN)/indexer build $(CORPUS) --index $(INDEX); status=$$?; [ $$status -le 1 ] || exit $$status

run: index
	$(BIN)/webui --index $(INDEX) --host $(HOST) --port $(PORT)

test: $(STAMP)
	$(BIN)/python -m pytest -q

clean:
	rm -rf var .pytest_cache .hypothesis bench-out
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
