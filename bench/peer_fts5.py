"""The SQLite FTS5 peer: what Datasette-style faceted search does with the standard library.

Ranking is FTS5's bm25() with our field weights (title 3, lead 1.5, body 1), stemming
with the porter tokenizer and accent folding; facet counts are GROUP BY over a
(facet, value, doc) table, disjunctive like ours (each facet ignores its own
selection); snippets come from snippet(). The matched rows are put in a temporary
table once per search, then every facet query and the page read it.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from . import docs
from .docs import FacetSpec
from .queries import BenchQuery, PeerResult

WEIGHTS = (3.0, 1.5, 1.0)
FACET_LIMIT = 10
PER_PAGE = 10
SNIPPET_TOKENS = 32
BATCH = 2000


def build(records: Path, db_path: Path) -> dict[str, float]:
    """Index the records into a fresh database file; seconds and bytes."""
    started = time.perf_counter()
    db_path.unlink(missing_ok=True)
    con = sqlite3.connect(db_path)
    con.executescript(
        """
        PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;
        CREATE TABLE docs(rowid INTEGER PRIMARY KEY, id TEXT, title TEXT, title_key TEXT);
        CREATE VIRTUAL TABLE fts USING fts5(title, lead, body, tokenize='porter unicode61 remove_diacritics 2');
        CREATE TABLE facets(facet TEXT, value TEXT, doc INTEGER);
        """
    )
    rows, fts, facet_rows = [], [], []
    for n, rec in enumerate(docs.read(records), start=1):
        rows.append((n, rec["id"], rec["title"], rec["title_key"]))
        fts.append((n, rec["title"], rec["lead"], rec["body"]))
        for name, values in rec["facets"].items():
            if name not in rec["years"]:
                facet_rows.extend((name, v, n) for v in dict.fromkeys(values))
        facet_rows.extend((name, str(year), n) for name, year in rec["years"].items())
        if len(rows) >= BATCH:
            _flush(con, rows, fts, facet_rows)
    _flush(con, rows, fts, facet_rows)
    con.executescript(
        """
        CREATE INDEX facets_by_value ON facets(facet, value, doc);
        CREATE INDEX facets_by_doc ON facets(doc, facet, value);
        CREATE INDEX docs_by_title ON docs(title_key);
        INSERT INTO fts(fts) VALUES('optimize');
        ANALYZE;
        """
    )
    con.commit()
    con.close()
    return {"seconds": time.perf_counter() - started, "bytes": db_path.stat().st_size}


def _flush(con: sqlite3.Connection, rows: list, fts: list, facet_rows: list) -> None:
    con.executemany("INSERT INTO docs VALUES (?, ?, ?, ?)", rows)
    con.executemany("INSERT INTO fts(rowid, title, lead, body) VALUES (?, ?, ?, ?)", fts)
    con.executemany("INSERT INTO facets VALUES (?, ?, ?)", facet_rows)
    rows.clear(), fts.clear(), facet_rows.clear()


class Fts5:
    """A read-only connection answering BenchQuery like our search()."""

    def __init__(self, db_path: Path, spec: FacetSpec) -> None:
        self.con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, check_same_thread=False)
        self.con.execute("PRAGMA temp_store=MEMORY")
        self.spec = spec

    def close(self) -> None:
        self.con.close()

    def search(self, query: BenchQuery) -> PeerResult:
        con = self.con
        kind = con.execute("SELECT type FROM temp.sqlite_master WHERE name = 'm'").fetchone()
        if kind:
            con.execute(f"DROP {kind[0].upper()} temp.m")
        if query.q:  # the matches, once; every facet count and the page read them
            con.execute("CREATE TEMP TABLE m(doc INTEGER PRIMARY KEY)")
            con.execute("INSERT INTO m SELECT rowid FROM fts WHERE fts MATCH ?", (query.q,))
        else:  # browsing: every document
            con.execute("CREATE TEMP VIEW m AS SELECT rowid AS doc FROM docs")
        selected = dict(query.filters)
        facets = {name: self._counts(name, selected, browse=not query.q) for name in self.spec.all}
        where, args = self._restrict(selected, None)
        total = con.execute(f"SELECT count(*) FROM m WHERE 1 {where}", args).fetchone()[0]
        offset = (query.page - 1) * PER_PAGE
        # rank every match, then cut snippets for the shown page only; `+rowid` keeps SQLite from handing the
        # filter to FTS5 as a rowid constraint, which re-runs the full-text query once per row (seconds)
        if query.q:
            rank = f"bm25(fts, {', '.join(map(str, WEIGHTS))})"
            sql = (
                f"SELECT docs.id, snippet(fts, -1, '[', ']', '…', {SNIPPET_TOKENS}) FROM fts JOIN docs "
                f"ON docs.rowid = fts.rowid WHERE fts MATCH ? AND fts.rowid IN ("
                f"SELECT rowid FROM fts WHERE fts MATCH ? AND +rowid IN (SELECT doc FROM m WHERE 1 {where}) "
                f"ORDER BY {rank} LIMIT ? OFFSET ?) ORDER BY {rank}"
            )
            page = con.execute(sql, (query.q, query.q, *args, PER_PAGE, offset)).fetchall()
        else:
            sql = (
                f"SELECT docs.id, substr(fts.body, 1, 240) FROM docs JOIN fts ON fts.rowid = docs.rowid "
                f"WHERE docs.rowid IN (SELECT doc FROM m WHERE 1 {where}) ORDER BY docs.title_key LIMIT ? OFFSET ?"
            )
            page = con.execute(sql, (*args, PER_PAGE, offset)).fetchall()
        return PeerResult(total, [row[0] for row in page], facets, [row[1] for row in page])

    def _restrict(self, selected: dict[str, tuple[str, ...]], skip: str | None) -> tuple[str, list[str]]:
        """SQL restricting m.doc to the selected values of every facet but `skip`."""
        clauses, args = [], []
        for name, values in selected.items():
            if name == skip:
                continue
            marks = ", ".join("?" * len(values))
            clauses.append(f"AND doc IN (SELECT doc FROM facets WHERE facet = ? AND value IN ({marks}))")
            args.extend([name, *values])
        return " ".join(clauses), args

    def _counts(self, name: str, selected: dict[str, tuple[str, ...]], browse: bool) -> list[tuple[str, int]]:
        where, args = self._restrict(selected, name)
        order = "value" if name in self.spec.years else "n DESC, value"
        limit = -1 if name in self.spec.years else FACET_LIMIT + 1
        among = "" if browse and not where else f"AND doc IN (SELECT doc FROM m WHERE 1 {where})"
        sql = f"SELECT value, count(*) AS n FROM facets WHERE facet = ? {among} GROUP BY value ORDER BY {order} LIMIT ?"
        return [(v, n) for v, n in self.con.execute(sql, (name, *args, limit))]
