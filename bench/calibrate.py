"""A statistical model of real article text, learnt at run time from corpus/ and ../shared/data.

The generator never copies a document: it draws short word runs (1-3 words) at random
positions of the real word stream, so word frequencies, word lengths and common
two-word phrases follow real text while every sentence is new. Sentence, paragraph and
article lengths are drawn from the real distributions. The real text is read each run
and never written into the repository.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
DATA = ROOT.parent / "shared" / "data"

_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")
_WORD = re.compile(r"[A-Za-z0-9][\w'’\-.]*\w|[A-Za-z0-9]")
_HEADING = re.compile(r"^=+.*=+$")
MAX_SCIFACT_DOCS = 3000


@dataclass(frozen=True)
class TextModel:
    """Real word stream and length distributions, enough to write new realistic text."""

    words: tuple[str, ...]  # the real word stream, sentence-initial capitals folded
    sentence_lengths: np.ndarray  # words per real sentence
    paragraph_sentences: np.ndarray  # sentences per real paragraph
    article_log_median: float  # log of the median article length in words
    article_log_sigma: float
    proper_nouns: tuple[str, ...]  # capitalised words that are not sentence starters, by frequency
    content_words: tuple[str, ...]  # lower-case words of 5+ letters, by frequency
    sources: tuple[str, ...]  # which real texts were read


def _article_paragraphs(text: str) -> list[str]:
    """Paragraph and list-item text of one corpus-format article (no title, infobox or headings)."""
    out = []
    for block in text.split("\n\n")[1:]:
        lines = [ln.lstrip("- ").strip() for ln in block.splitlines() if ln.strip() and not _HEADING.match(ln.strip())]
        lines = [ln for ln in lines if not re.match(r"^[A-Z][\w ()/'-]{0,30}: ", ln)]
        if lines:
            out.append(" ".join(lines))
    return out


def _read_sources() -> tuple[list[str], list[int], list[str]]:
    """(paragraphs, article word counts, source names) of every real text available."""
    paragraphs: list[str] = []
    lengths: list[int] = []
    names: list[str] = []
    article_dirs = [CORPUS, DATA / "wikipedia_raycharles_zim" / "converted_sample_format"]
    for folder in article_dirs:
        files = sorted(folder.glob("*.txt")) if folder.is_dir() else []
        for path in files:
            text = path.read_text(encoding="utf-8", errors="replace")
            paragraphs.extend(_article_paragraphs(text))
            lengths.append(len(text.split()))
        if files:
            names.append(str(folder.relative_to(ROOT.parent)))
    leads = DATA / "wikipedia_vital_leads" / "summaries_en-us.json"
    if leads.exists():
        data = json.loads(leads.read_text(encoding="utf-8"))
        paragraphs.extend(item["extract"] for _title, item in sorted(data.items()))
        names.append(str(leads.relative_to(ROOT.parent)))
    scifact = DATA / "scifact" / "corpus.jsonl"
    if scifact.exists():
        with open(scifact, encoding="utf-8") as fh:
            for n, line in enumerate(fh):
                if n >= MAX_SCIFACT_DOCS:
                    break
                paragraphs.append(json.loads(line)["text"])
        names.append(str(scifact.relative_to(ROOT.parent)))
    return paragraphs, lengths, names


@lru_cache(maxsize=1)
def learn() -> TextModel:
    """Read the real texts and learn the model (deterministic: sources are read in sorted order; once per process)."""
    paragraphs, lengths, names = _read_sources()
    sentences = [s for p in paragraphs for s in _SENTENCE.split(p)]
    tokenised = [_WORD.findall(s) for s in sentences]
    tokenised = [t for t in tokenised if len(t) >= 3]
    case = Counter(w for t in tokenised for w in t[1:])
    words: list[str] = []
    for sent in tokenised:
        first = sent[0]
        if case[first.lower()] > case[first]:
            first = first.lower()
        words.append(first)
        words.extend(sent[1:])
    logs = [math.log(n) for n in lengths if 20 <= n <= 20000]
    per_paragraph = [max(1, len(_SENTENCE.split(p))) for p in paragraphs]
    return TextModel(
        words=tuple(words),
        sentence_lengths=np.array([len(t) for t in tokenised], dtype=np.int32),
        paragraph_sentences=np.array(per_paragraph, dtype=np.int32),
        article_log_median=float(np.median(logs)),
        article_log_sigma=float(np.std(logs)),
        proper_nouns=_proper_nouns(case),
        content_words=_content_words(case),
        sources=tuple(names),
    )


def _proper_nouns(case: Counter[str]) -> tuple[str, ...]:
    """Words written capitalised at least 9 times in 10 mid-sentence: place and person names."""
    from indexer.names import LEADING_JUNK, ORG_HEADS

    out = [
        w for w, n in case.most_common()
        if n >= 2 and w[:1].isupper() and w[1:].islower() and w.isalpha() and len(w) >= 4
        and n >= 9 * case[w.lower()] and w not in LEADING_JUNK and w not in ORG_HEADS
    ]
    return tuple(out)


def _content_words(case: Counter[str]) -> tuple[str, ...]:
    """Lower-case alphabetic words of 5+ letters, most frequent first, skipping the 100 commonest."""
    out = [w for w, n in case.most_common() if n >= 3 and w.isalpha() and w.islower() and len(w) >= 5]
    return tuple(out[100:])
