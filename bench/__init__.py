"""Scale benchmark: a seeded generated corpus, and builds and searches measured against SQLite FTS5 and tantivy."""
