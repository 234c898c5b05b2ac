"""The fast build path writes what Whoosh writes: same postings, statistics, stored fields, bytes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage

from indexer import corpus
from indexer.fastindex import FieldIndexer
from indexer.pipeline import process_file
from indexer.schema import SPELL_FIELD, SPELL_PATTERN, TOKEN_PATTERN, build_schema, same_words
from indexer.segwriter import Analysis, SegmentBuilder, supported
from tests.helpers import CORPUS, RAY_CHARLES

TEXT_FIELDS = ("title", "lead", "body", "words")
WORDS = st.sampled_from(["The", "the", "of", "cell", "cells", "Cell's", "what'd", "What’d", "R&B", "U.S.", "3.5",
                         "café", "Ça", "TGF-β", "β", "αβ", "µ", "naïve", "running", "ran", "a", "I", "x", "1999"])
SEPARATORS = st.sampled_from([" ", "  ", ", ", ". ", "\n", " - ", "(", ")", "'"])


@pytest.fixture(scope="module")
def documents() -> list[dict]:
    files = list(corpus.find_files([CORPUS]).files)
    ray = RAY_CHARLES / "converted_sample_format"
    if ray.is_dir():
        files += list(corpus.find_files([ray]).files)[:30]
    return [doc for entry in files for doc in process_file(entry).documents]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(WORDS, SEPARATORS), max_size=40))
def test_memoised_analysis_gives_whooshs_postings(pieces: list[tuple[str, str]]) -> None:
    schema = build_schema()
    text = "".join(w + s for w, s in pieces)
    memos: dict = {}
    for name in TEXT_FIELDS:
        indexer = FieldIndexer(schema[name], memos)
        assert indexer.fast, f"{name}: the schema's analyzer is no longer memoisable"
        assert sorted(indexer.items(text)) == sorted(schema[name].index(text))


TEXTS = st.lists(st.tuples(WORDS, SEPARATORS), max_size=15).map(lambda ps: "".join(w + s for w, s in ps))


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_text_and_spelling_tokenizers_find_the_same_words_where_same_words_says_so(text: str) -> None:
    if same_words(text):
        assert re.findall(TOKEN_PATTERN, text) == re.findall(SPELL_PATTERN, text)


@settings(max_examples=200, deadline=None)
@given(TEXTS, TEXTS, TEXTS)
def test_spelling_words_taken_from_the_text_fields_tokens_are_whooshs_postings(title: str, lead: str,
                                                                                body: str) -> None:
    schema = build_schema()
    analysis = Analysis(schema)
    doc = {"title": title, "lead": lead, "body": body, SPELL_FIELD: "\n".join((title, lead, body))}
    for name in ("body", "lead", "title"):
        analysis.postings(name, doc[name], doc)
    tids, freqs, weights, values = analysis.postings(SPELL_FIELD, doc[SPELL_FIELD], doc)
    terms = analysis.indexer(SPELL_FIELD).table.terms
    ours = sorted(zip([terms[t] for t in tids], freqs, weights, values))
    assert ours == sorted(schema[SPELL_FIELD].index(doc[SPELL_FIELD]))


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(), st.lists(st.text(max_size=8), max_size=6)),
       st.sampled_from(["id", "title_key", "topics", "f_country", "y_founded"]))
def test_fields_whose_terms_are_the_values_give_whooshs_postings(value, name: str) -> None:
    schema = build_schema()
    indexer = FieldIndexer(schema[name], {})
    assert indexer.whole
    assert sorted(indexer.items(value)) == sorted(schema[name].index(value))


def test_memoised_analysis_gives_whooshs_postings_on_real_articles(documents: list[dict]) -> None:
    schema = build_schema()
    memos: dict = {}
    for doc in documents:
        for name, value in doc.items():
            if schema[name].indexed:
                assert sorted(FieldIndexer(schema[name], memos).items(value)) == sorted(schema[name].index(value))


def _write_both(folder: Path, documents: list[dict]) -> tuple[Path, Path]:
    ours, theirs = folder / "ours", folder / "whoosh"
    for path in (ours, theirs):
        path.mkdir()
    ix = whoosh_index.create_in(str(theirs), build_schema())
    writer = ix.writer()
    for doc in documents:
        writer.add_document(**doc)
    writer.commit()
    ix = whoosh_index.create_in(str(ours), build_schema())
    assert supported(ix.schema)
    builder = SegmentBuilder(FileStorage(str(ours)), ix.schema)
    for doc in documents:
        builder.add(doc)
    whoosh_index.TOC(ix.schema, [builder.finish()], 1).write(ix.storage, ix.indexname)
    return ours, theirs


def _postings(reader, field: str, term: bytes) -> list[tuple]:
    m = reader.postings(field, term)
    out = []
    while m.is_active():
        out.append((m.id(), m.weight(), m.value(), m.block_max_weight(), m.block_min_length(), m.block_max_length()))
        m.next()
    return out


def _terminfo(reader, field: str, term: bytes) -> tuple:
    ti = reader.term_info(field, term)
    return (ti.weight(), ti.doc_frequency(), ti.min_length(), ti.max_length(), ti.max_weight(), ti.min_id(),
            ti.max_id())


def test_segment_builder_writes_the_postings_stats_and_stored_fields_whoosh_writes(
        tmp_path: Path, documents: list[dict]) -> None:
    ours, theirs = _write_both(tmp_path, documents)
    a, b = whoosh_index.open_dir(str(ours)).reader(), whoosh_index.open_dir(str(theirs)).reader()
    assert a.doc_count_all() == b.doc_count_all() == len(documents)
    assert sorted(a.indexed_field_names()) == sorted(b.indexed_field_names())
    for field in b.indexed_field_names():
        terms = list(b.lexicon(field))
        assert list(a.lexicon(field)) == terms, field
        for term in terms:
            assert _postings(a, field, term) == _postings(b, field, term), (field, term)
            assert _terminfo(a, field, term) == _terminfo(b, field, term), (field, term)
    for docnum in range(b.doc_count_all()):
        assert a.stored_fields(docnum) == b.stored_fields(docnum)
        for field in TEXT_FIELDS:
            assert a.doc_field_length(docnum, field) == b.doc_field_length(docnum, field)
    for field in TEXT_FIELDS:
        assert a.field_length(field) == b.field_length(field)


def test_segment_builder_files_are_byte_identical_to_whooshs_except_postings(
        tmp_path: Path, documents: list[dict]) -> None:
    """Blocks with values are pickled with protocol 4 and share repeated values (postblock.py), so the
    postings file is smaller and the term file's offsets differ; the test above compares their contents."""
    ours, theirs = _write_both(tmp_path, documents)

    def files(path: Path) -> dict[str, bytes]:
        segment = whoosh_index.open_dir(str(path))._read_toc().segments[0]
        storage = segment.open_compound_file(FileStorage(str(path)))
        out = {}
        for name in storage.list():
            f = storage.open_file(name)
            out[name.split(segment.segid, 1)[1]] = bytes(f.read())
            f.close()
        return out

    mine, whooshs = files(ours), files(theirs)
    assert sorted(mine) == sorted(whooshs)
    assert len(mine[".pst"]) < len(whooshs[".pst"])
    for name in set(whooshs) - {".pst", ".trm"}:
        assert mine[name] == whooshs[name], name
