"""BM25F scoring: the formula on a hand-computed example, and the numpy and Whoosh paths agreeing."""

from __future__ import annotations

import json
import math
import random
from pathlib import Path

import pytest

from indexer.build import build
from indexer.query import parse_query
from indexer.ranking import _top_whoosh, rank, top_k
from indexer.reader import IndexHandle
from indexer.schema import BM25_K1, FIELD_B, FIELD_BOOSTS
from indexer import vscore


def write_records(folder: Path, records: list[dict], name: str = "records.jsonl") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def ranked(index_dir: Path, text: str, limit: int = 10, path: str = "rank") -> list[tuple[str, float]]:
    """(id, score) best first, by the shipped ranking, or by one scoring path without the title rule."""
    with IndexHandle(index_dir).snapshot() as snap:
        q = parse_query(text, snap.searcher.schema, {})
        if path == "whoosh":
            hits = _top_whoosh(snap.searcher, q, None, limit)
        elif path == "numpy":
            hits = top_k(*vscore.scores(snap.searcher, q), None, limit)
        else:
            hits = rank(snap.searcher, q, None, limit)
        return [(snap.searcher.stored_fields(d)["id"], s) for d, s in hits]


def test_bm25f_score_matches_the_formula_computed_by_hand(tmp_path: Path) -> None:
    write_records(tmp_path / "c", [
        {"id": "A", "title": "Lava flows", "text": "lava lava ash"},
        {"id": "B", "title": "Ash", "text": "ash clouds over the sea"},
    ])
    build([tmp_path / "c"], tmp_path / "ix", workers=1)
    # Analysed lengths: titles 2 (lava, flow) and 1; leads 3 and 4 ("the" is a stop word).
    k1, wt, wl, bt, bl = BM25_K1, FIELD_BOOSTS["title"], FIELD_BOOSTS["lead"], FIELD_B["title"], FIELD_B["lead"]
    tf = wt * 1 / (1 - bt + bt * 2 / 1.5) + wl * 2 / (1 - bl + bl * 3 / 3.5)
    idf = math.log(1 + (2 - 1 + 0.5) / (1 + 0.5))  # N = 2 documents, "lava" in 1
    expected = idf * tf * (k1 + 1) / (tf + k1)
    for path in ("numpy", "whoosh"):
        hits = ranked(tmp_path / "ix", "lava", path=path)
        assert [h[0] for h in hits] == ["A"]
        assert hits[0][1] == pytest.approx(expected, rel=1e-5)


def test_an_exact_title_is_lifted_above_every_other_score(tmp_path: Path) -> None:
    write_records(tmp_path / "c", [
        {"id": "exact", "title": "Crick Institute", "text": "A laboratory in London. " + "Other words here. " * 40},
        {"id": "other", "title": "Crick Institute history", "text": "crick institute crick institute crick"},
        {"id": "third", "title": "Sanger", "text": "crick institute once"},
    ])
    build([tmp_path / "c"], tmp_path / "ix", workers=1)
    plain = ranked(tmp_path / "ix", "Crick Institute", path="numpy")
    shipped = ranked(tmp_path / "ix", "crick institute")
    assert plain[0][0] == "other"  # BM25F alone prefers the article that repeats both words
    assert shipped[0][0] == "exact" and shipped[0][1] > plain[0][1]
    assert [d for d, _s in shipped[1:]] == [d for d, _s in plain if d != "exact"][: len(shipped) - 1]


def test_a_word_in_the_title_outranks_the_same_word_in_a_longer_lead(tmp_path: Path) -> None:
    write_records(tmp_path / "c", [
        {"id": "lead", "title": "Notes", "text": "volcano mentioned once among other words here"},
        {"id": "title", "title": "Volcano", "text": "other words entirely and more words here"},
    ])
    build([tmp_path / "c"], tmp_path / "ix", workers=1)
    assert [h[0] for h in ranked(tmp_path / "ix", "volcano")] == ["title", "lead"]


@pytest.mark.parametrize("query", ["research centre cancer london", "asthma", "university hospitals nhs trust",
                                   "King's College London", "genomics vaccines malaria immunity infection",
                                   "cancer AND NOT london", "(asthma OR allergy) research",
                                   "(asthma OR allergy)^3 research", "(cancer research)^0.5 london",
                                   "(asthma)^4 london", "asthma^2 OR london"])
def test_numpy_scores_equal_whoosh_collector_scores(corpus_index: Path, query: str) -> None:
    fast, slow = ranked(corpus_index, query, path="numpy"), ranked(corpus_index, query, path="whoosh")
    assert [d for d, _s in fast] == [d for d, _s in slow]
    assert [s for _d, s in fast] == pytest.approx([s for _d, s in slow], rel=1e-5)


@pytest.fixture(scope="module")
def many_blocks(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """600 records over a small vocabulary, so common words span several postings blocks."""
    rng = random.Random(7)
    vocab = ["alpha", "beta", "gamma", "delta", "omega", "river", "stone", "cloud", "ember", "frost"]
    records = [{"id": f"r{i:03}", "title": " ".join(rng.choices(vocab, k=rng.randint(1, 3))),
                "text": " ".join(rng.choices(vocab, k=rng.randint(3, 60)))} for i in range(600)]
    folder = tmp_path_factory.mktemp("blocks")
    write_records(folder, records)
    index_dir = tmp_path_factory.mktemp("blocks-index")
    build([folder], index_dir, workers=1)
    return index_dir


@pytest.mark.parametrize("query", ["river stone", "ember frost cloud river", "alpha", "omega delta gamma beta"])
def test_block_skipping_in_the_whoosh_matcher_never_changes_the_top_k(many_blocks: Path, query: str) -> None:
    exhaustive = ranked(many_blocks, query, path="numpy")  # every document scored
    skipping = ranked(many_blocks, query, path="whoosh")  # Whoosh collector with block-quality skips
    assert [s for _d, s in skipping] == pytest.approx([s for _d, s in exhaustive], rel=1e-5)
    assert [d for d, _s in skipping] == [d for d, _s in exhaustive]


def test_deleted_and_added_documents_are_ranked_across_segments(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    write_records(corpus, [{"id": "old", "title": "Comet tails", "text": "comet comet dust"},
                           {"id": "keep", "title": "Dust storms", "text": "comet dust on mars"}], "a.jsonl")
    gone = write_records(corpus, [{"id": "gone", "title": "Comet", "text": "comet"}], "b.jsonl")
    build([corpus], tmp_path / "ix", workers=1)
    gone.unlink()
    write_records(corpus, [{"id": "new", "title": "Comet hunters", "text": "comet search"}], "c.jsonl")
    report = build([corpus], tmp_path / "ix", workers=1)  # incremental: a deletion and a second segment
    assert report.removed == 1 and report.added == 1
    fast, slow = ranked(tmp_path / "ix", "comet", path="numpy"), ranked(tmp_path / "ix", "comet", path="whoosh")
    assert {d for d, _s in fast} == {"old", "keep", "new"}
    assert dict(fast) == pytest.approx(dict(slow), rel=1e-5)


@pytest.mark.parametrize(
    "scores, allowed, limit, expected",
    [
        ([3.0, 1.0, 2.0, 0.0], None, 2, [0, 2]),
        ([1.0, 1.0, 1.0, 0.0], None, 2, [0, 1]),  # ties: lower document number first, as Whoosh
        ([3.0, 1.0, 2.0, 0.0], {1, 2}, 5, [2, 1]),
        ([3.0, 1.0, 2.0, 5.0], None, 10, [0, 2, 1]),  # document 3 does not match
    ],
)
def test_top_k_orders_by_score_then_document_number(scores, allowed, limit, expected) -> None:
    import numpy as np

    match = np.array([True, True, True, False])
    assert [d for d, _s in top_k(np.array(scores), match, allowed, limit)] == expected


def test_title_docs_ignores_case_punctuation_and_stop_words(corpus_index: Path) -> None:
    with IndexHandle(corpus_index).snapshot() as snap:
        schema = snap.searcher.schema
        for text in ("King's Health Partners", "kings health partners", "KINGS HEALTH PARTNERS!"):
            words = tuple(t.text for t in schema["title"].analyzer(text))
            docs = vscore.title_docs(snap.searcher, words)
            assert [snap.searcher.stored_fields(int(d))["id"] for d in docs] == ["000_c979882d02ee9a42"]
        assert vscore.title_docs(snap.searcher, ("health", "partner")).size == 0  # a part of a title is not a title
