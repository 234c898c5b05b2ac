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

# Relevance on SciFact (train) and Cranfield, beside the published BM25 figures (needs ../shared/data).
eval: $(STAMP)
	$(BIN)/python scripts/eval_table.py

# Faults, hostile input and load at full size: kill -9 during builds, full disk, damaged files, concurrent
# builds, hostile corpora and queries, 20 HTTP clients. About 15 minutes; figures in var/stress-report.json.
stress: $(STAMP)
	mkdir -p var
	$(BIN)/python -m stress --json var/stress-report.json

# Scale benchmark against SQLite FTS5 and tantivy: generated corpus, builds, query latency, HTTP (about
# 20 minutes at 100k). Options: BENCH_SIZES=1k,10k,100k BENCH_ROUNDS=3 BENCH_QUERIES=6 BENCH_OUT=bench-out.
# Writes $(BENCH_OUT)/results.json and results.md (and prints the table); generated files stay in $(BENCH_OUT).
BENCH_SIZES ?= 100k
BENCH_ROUNDS ?= 3
BENCH_QUERIES ?= 6
BENCH_OUT ?= bench-out
BENCH_STAMP := $(VENV)/.installed-bench

$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)
	$(BIN)/python -m bench run --sizes $(BENCH_SIZES) --rounds $(BENCH_ROUNDS) --queries $(BENCH_QUERIES) \
		--out $(BENCH_OUT)

clean:
	rm -rf var .pytest_cache .hypothesis bench-out
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
