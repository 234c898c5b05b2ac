"""Writing a Whoosh segment straight from analysed documents, without Whoosh's posting pool.

`SegmentWriter` pushes every posting through an external sort (tuples pickled to temp
files and merged) and then hands them one at a time to the postings writer. A build adds
documents in document-number order, so here postings are appended to flat per-field
arrays, grouped by term with one numpy sort, and written a block (128 postings) at a time
in the Whoosh 3 codec's own format (`postblock.py`): the same files, blocks and
statistics Whoosh writes (a test compares them posting by posting), for a fraction of the
Python work. Stored fields and field lengths go through Whoosh's per-document writer.
Schemas with features this writer does not reproduce are refused by `supported()`.
"""

from __future__ import annotations

from array import array
from pathlib import Path
from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import W3Codec
from whoosh.fields import Schema
from whoosh.filedb.filestore import Storage
from whoosh.util.numeric import byte_to_length, length_to_byte

from .fastindex import FieldIndexer, Postings, TermTable
from .postblock import Blocks, TermWriter
from .schema import SPELL_FIELD, SPELL_PATTERN, SPELL_SOURCES, TOKEN_PATTERN, same_words
from .tableload import FieldPart, SegmentPart, save_part, wanted

INDEX_NAME = "MAIN"
_LENGTHS = np.array([byte_to_length(b) for b in range(256)], dtype=np.int64)


def supported(schema: Schema) -> bool:
    """True when every field is one this writer reproduces exactly (no vectors, columns or spelling words)."""
    for name in schema.names():
        field = schema[name]
        if field.vector or field.column_type or field.separate_spelling():
            return False
    return True


class _FieldPostings:
    """Every posting of one field, in the order added: term id (of `table`), document, weight, encoded value."""

    __slots__ = ("table", "tids", "docs", "weights", "values", "lengths")

    def __init__(self, table: TermTable) -> None:
        self.table = table
        self.tids = array("i")
        self.docs = array("I")
        self.weights = array("d")
        self.values: list[bytes] = []  # shared objects: most values are cached encodings (see fastindex)
        self.lengths = bytearray()  # length byte per document (scorable fields)

    def add(self, docnum: int, tids: list[int], weights: list[float], values: list[bytes]) -> None:
        self.tids.extend(tids)
        self.docs.extend(array("I", [docnum]) * len(tids))
        self.weights.extend(weights)
        if values and values[0]:
            self.values += values


class Analysis:
    """Per-field indexers and their word memos, kept across the segments one process writes."""

    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self._indexers: dict[str, FieldIndexer] = {}
        self._memos: dict[int, Any] = {}

    def indexer(self, name: str) -> FieldIndexer:
        indexer = self._indexers.get(name)
        if indexer is None:
            indexer = self._indexers[name] = FieldIndexer(self.schema[name], self._memos)
        return indexer

    def postings(self, name: str, value: Any, doc: dict[str, Any]) -> Postings:
        """`indexer(name).postings(value)`; the spelling field's words are taken from the text fields' tokens."""
        indexer = self.indexer(name)
        if name == SPELL_FIELD and indexer.mode == "existence" and isinstance(value, str):
            words = self._source_words(value, doc)
            if words is not None:
                return indexer.presence(words)
        return indexer.postings(value)

    def _source_words(self, value: str, doc: dict[str, Any]) -> set[str] | None:
        """The distinct words of the spelling field's value, from the tokens its source fields (analysed
        first: the builder goes by field name) just gave; None when they may differ from its own."""
        words: set[str] = set()
        for name in SPELL_SOURCES:
            indexer = self._indexers.get(name)
            last = indexer.last if indexer is not None else None
            if last is None or last[0] is not doc.get(name) or indexer.pattern.pattern != TOKEN_PATTERN:
                return None
            words.update(last[1])
        if self.indexer(SPELL_FIELD).pattern.pattern != SPELL_PATTERN or not same_words(value) \
                or value != "\n".join(doc[name] for name in SPELL_SOURCES):
            return None
        return words


class SegmentBuilder:
    """Collects documents (field dicts, as for `writer.add_document`) and writes them as one segment."""

    def __init__(self, storage: Storage, schema: Schema, analysis: Analysis | None = None) -> None:
        self.storage = storage
        self.schema = schema
        self.codec = W3Codec()
        self.segment = self.codec.new_segment(storage, INDEX_NAME)
        self.perdoc = self.codec.per_document_writer(storage, self.segment)
        self.docnum = 0
        self._fields: dict[str, _FieldPostings] = {}
        self.analysis = analysis or Analysis(schema)

    def add(self, fields: dict[str, Any]) -> int:
        """Add one document; its segment-local document number."""
        docnum = self.docnum
        perdoc = self.perdoc
        perdoc.start_doc(docnum)
        for name in sorted(fields):
            if name.startswith("_"):
                raise ValueError(f"unsupported document key {name!r}")
            value = fields[name]
            if value is None:
                continue
            field = self.schema[name]
            length = 0
            if field.indexed:
                tids, freqs, weights, values = self.analysis.postings(name, value, fields)
                postings = self._fields.get(name)
                if postings is None:
                    postings = self._fields[name] = _FieldPostings(self.analysis.indexer(name).table)
                postings.add(docnum, tids, weights, values)
                if field.scorable:
                    length = sum(freqs)
                    if length:
                        lengths = postings.lengths
                        lengths.extend(bytes(docnum + 1 - len(lengths)))
                        lengths[docnum] = length_to_byte(length)
            perdoc.add_field(name, field, value if field.stored else None, length)
        perdoc.finish_doc()
        self.docnum += 1
        return docnum

    @property
    def postings(self) -> int:
        """Postings collected so far (a measure of the memory held)."""
        return sum(len(p.tids) for p in self._fields.values())

    def finish(self) -> Any:
        """Write the postings, close the segment's files and assemble them; the Whoosh segment."""
        self.perdoc.close()
        writer = self.codec.field_writer(self.storage, self.segment)
        parts: dict[str, FieldPart] = {}
        for name in sorted(self._fields):
            writer.start_field(name, self.schema[name])
            self._write_field(writer, name, self._fields.pop(name), parts)
            writer.finish_field()
        writer.close()
        self.segment.set_doc_count(self.docnum)
        if self.segment.should_assemble():
            self.segment.create_compound_file(self.storage)
        folder = getattr(self.storage, "folder", None)
        if folder:
            save_part(Path(folder), self.segment.segment_id(), SegmentPart(self.docnum, parts))
        return self.segment

    def _write_field(self, writer: Any, name: str, p: _FieldPostings, parts: dict[str, FieldPart]) -> None:
        lengths = None
        if p.lengths:
            padded = bytes(p.lengths) + bytes(self.docnum - len(p.lengths))
            lengths = _LENGTHS[np.frombuffer(padded, dtype=np.uint8)]
        terms = p.table.terms
        tids = np.frombuffer(p.tids, dtype=np.int32)
        used = np.flatnonzero(np.bincount(tids, minlength=len(terms))).astype(np.int32)  # = np.unique, faster
        used_terms = [terms[t] for t in used.tolist()]
        by_text = sorted(range(len(used_terms)), key=used_terms.__getitem__)
        words = [used_terms[i] for i in by_text]
        rank = np.zeros(len(terms), dtype=np.int32)
        rank[used[np.array(by_text, dtype=np.int64)]] = np.arange(len(words), dtype=np.int32)
        keys = rank[tids]
        order = np.argsort(keys, kind="stable")  # documents were added in order, so each term's stay sorted
        bounds = np.searchsorted(keys[order], np.arange(len(words) + 1))
        del keys
        docs = np.frombuffer(p.docs, dtype=np.uint32)[order].astype(np.int64)
        weights = np.frombuffer(p.weights, dtype=np.float64)[order]
        values = None
        if p.values:
            values = list(map(p.values.__getitem__, order.tolist()))
            p.values.clear()
        if wanted(name):  # the facet tables' share of this segment, saved for readers
            parts[name] = FieldPart(tuple(w.decode("utf-8") for w in words), bounds.astype(np.int64),
                                    docs.astype(np.int32))
        blocks = Blocks(words, bounds, docs, weights, lengths[docs] if lengths is not None else None, values,
                        TermWriter.limit_of(writer))
        TermWriter(writer, self.schema[name].format).write_all(blocks)
