"""The seeded scale corpus: realistic articles in the corpus format, same seed same files.

Each article's text is drawn from the `TextModel` learnt from real text; its infobox
has a Country (about 200, Zipf), a Type (20), a Founded year (1800-2025), often a
Region and Affiliations; its Research section lists 0-12 centres and 0-15 topics drawn
with Zipf popularity from pools of thousands; organisation names from a pool of
thousands are written into its sentences. Article i depends only on (seed, i), so
any article can be regenerated alone (to undo a benchmark's edit) and generation runs
in parallel without changing a byte.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .calibrate import TextModel, learn
from .places import COUNTRIES, TYPES

POOL_ORGANISATIONS = 5000
POOL_CENTRES = 3000
POOL_TOPICS = 2000
POOL_REGIONS = 1500
MIN_WORDS, MAX_WORDS = 80, 5000
MANIFEST_SUFFIX = ".json"
GENERATOR_VERSION = 2

HEADINGS = ("History", "Organisation", "Teaching", "Funding", "Facilities", "Governance", "Partnerships",
            "Location", "Impact", "Notable people", "Services", "Collaborations")
ORG_FORMS = ("{p} University", "University of {p}", "{p} Institute", "{p} {q} Hospital", "{p} Foundation",
             "{p} Health Partners", "{p} College", "{p} Research Council", "{p} and {q} NHS Foundation Trust",
             "{p} Medical School", "{p} Cancer Centre", "{p} Academy of Sciences", "{p} Children's Hospital",
             "Royal {p} Infirmary", "{p} Institute of Technology", "{p} {q} Society")
CENTRE_FORMS = ("MRC Centre for {t}", "{p} Centre for {t}", "{p} Institute for {t} Research",
                "{t} Research Unit", "Centre for {t} and {u}", "{p} {t} Laboratory")
CENTRE_CUES = ("{it} hosts the following research centres:", "{it} incorporates some research centres, including:",
               "The research units based at {it} are:")
TOPIC_CUES = ("Research is focused on the following programme areas:", "Research covers the following areas:",
              "The main research themes are:")
ORG_CUES = ("The member organisations are:", "The founding partners were:")
ORG_SENTENCES = ("{it} works closely with {a}.", "It was established with support from {a}.",
                 "Researchers from {a} and {b} collaborate on {t} studies.",
                 "In {y} it signed an agreement with {a}.", "Funding comes from {a} and {b}.")


@dataclass(frozen=True)
class Pools:
    organisations: tuple[str, ...]
    centres: tuple[str, ...]
    topics: tuple[str, ...]
    regions: tuple[str, ...]


class Zipf:
    """Draws items with probability proportional to 1 / rank ** s."""

    def __init__(self, items: tuple[str, ...], s: float = 1.0) -> None:
        self.items = items
        weights = 1.0 / np.arange(1, len(items) + 1) ** s
        self.cdf = np.cumsum(weights) / weights.sum()

    def draw(self, rng: np.random.Generator, k: int) -> list[str]:
        """k distinct items (fewer if the pool is smaller)."""
        if k <= 0:
            return []
        out: dict[str, None] = {}
        for _ in range(4):
            picks = np.searchsorted(self.cdf, rng.random(2 * k + 4), side="right")
            for i in picks:
                out.setdefault(self.items[min(int(i), len(self.items) - 1)], None)
                if len(out) >= k:
                    return list(out)
        return list(out)


def _unique(make, rng: np.random.Generator, size: int) -> tuple[str, ...]:
    out: dict[str, None] = {}
    while len(out) < size:
        out.setdefault(make(rng), None)
    return tuple(out)


def _name_case(text: str) -> str:
    return " ".join(w if w == "and" else w[:1].upper() + w[1:] for w in text.split())


def make_pools(model: TextModel, seed: int) -> Pools:
    """Organisation, centre, topic and region pools, ordered by popularity rank."""
    rng = np.random.default_rng([seed, 1 << 30])
    nouns = model.proper_nouns[:3000]
    words = model.content_words[:8000]

    def noun(r: np.random.Generator) -> str:
        return nouns[int(r.integers(len(nouns)))]

    def topic(r: np.random.Generator) -> str:
        picked = [words[int(i)] for i in r.integers(len(words), size=2)]
        form = int(r.integers(3))
        text = picked[0] if form == 0 else f"{picked[0]} {picked[1]}" if form == 1 else " and ".join(picked)
        return text[0].upper() + text[1:]

    topics = _unique(topic, rng, POOL_TOPICS)
    organisations = _unique(
        lambda r: ORG_FORMS[int(r.integers(len(ORG_FORMS)))].format(p=noun(r), q=noun(r)), rng, POOL_ORGANISATIONS
    )
    centres = _unique(
        lambda r: CENTRE_FORMS[int(r.integers(len(CENTRE_FORMS)))].format(
            p=noun(r), t=_name_case(topics[int(r.integers(len(topics)))]),
            u=_name_case(topics[int(r.integers(len(topics)))]),
        ),
        rng, POOL_CENTRES,
    )
    regions = _unique(noun, rng, POOL_REGIONS)
    return Pools(organisations, centres, topics, regions)


@dataclass
class Writer:
    """Writes articles of one (seed, model, pools); article i is a pure function of (seed, i)."""

    seed: int
    model: TextModel
    pools: Pools

    def __post_init__(self) -> None:
        self.orgs = Zipf(self.pools.organisations)
        self.centres = Zipf(self.pools.centres)
        self.topics = Zipf(self.pools.topics)
        self.regions = Zipf(self.pools.regions)
        self.countries = Zipf(COUNTRIES, 1.1)
        self.types = Zipf(TYPES, 0.8)

    def name(self, i: int) -> str:
        """File name of article i: its number and a hash, like corpus/."""
        digest = hashlib.blake2b(f"{self.seed}:{i}".encode(), digest_size=8).hexdigest()
        return f"{i:06d}_{digest}.txt"

    def article(self, i: int) -> str:
        rng = np.random.default_rng([self.seed, i])
        nouns = self.model.proper_nouns
        title = ORG_FORMS[int(rng.integers(len(ORG_FORMS)))].format(
            p=nouns[int(rng.integers(len(nouns)))], q=nouns[int(rng.integers(len(nouns)))]
        )
        total = int(np.clip(rng.lognormal(self.model.article_log_median, self.model.article_log_sigma),
                            MIN_WORDS, MAX_WORDS))
        orgs = self.orgs.draw(rng, int(rng.integers(1, 9)))
        lines = [f"= {title} =", "", title, *self._infobox(rng, orgs), ""]
        kind = self.types.draw(rng, 1)[0].lower()
        country = lines[3].split(": ", 1)[1]
        lead = f"{title} is a {kind} in {country}. " + self._text(rng, max(20, total // 6))
        lines += [self._with_orgs(rng, lead, orgs, title), ""]
        headings = [HEADINGS[int(j)] for j in rng.choice(len(HEADINGS), size=int(rng.integers(1, 5)), replace=False)]
        per_section = max(20, (total - total // 6) // (len(headings) + 1))
        for heading in headings:
            lines += [f"=={heading}==", self._with_orgs(rng, self._text(rng, per_section), orgs, title), ""]
        lines += ["==Research==", *self._research(rng, title, orgs, per_section)]
        return "\n".join(lines) + "\n"

    def _infobox(self, rng: np.random.Generator, orgs: list[str]) -> list[str]:
        out = [f"- Country: {self.countries.draw(rng, 1)[0]}"]
        if rng.random() < 0.7:
            out.append(f"- Region: {self.regions.draw(rng, 1)[0]}")
        out.append(f"- Type: {self.types.draw(rng, 1)[0]}")
        if rng.random() < 0.9:
            out.append(f"- Founded: {int(1800 + 225 * rng.beta(2.0, 1.2))}")
        if rng.random() < 0.4:
            out.append(f"- Affiliations: {'; '.join(orgs[:3])}")
        return out

    def _research(self, rng: np.random.Generator, title: str, orgs: list[str], words: int) -> list[str]:
        it = "The " + title.split()[-1].lower()
        out = [self._text(rng, words // 2), ""]
        centres = self.centres.draw(rng, int(rng.integers(0, 13)) if rng.random() < 0.8 else 0)
        if centres:
            out += [CENTRE_CUES[int(rng.integers(len(CENTRE_CUES)))].format(it=it), *(f"- {c}" for c in centres), ""]
        topics = self.topics.draw(rng, int(rng.integers(0, 16)) if rng.random() < 0.85 else 0)
        if topics:
            out += [TOPIC_CUES[int(rng.integers(len(TOPIC_CUES)))], *(f"- {t}" for t in topics), ""]
        if len(orgs) > 3 and rng.random() < 0.3:
            out += [ORG_CUES[int(rng.integers(len(ORG_CUES)))], *(f"- {o}" for o in orgs[3:]), ""]
        return out

    def _text(self, rng: np.random.Generator, words: int) -> str:
        """Paragraphs of about `words` words, from short runs of the real word stream."""
        stream = self.model.words
        starts = rng.integers(0, len(stream) - 3, size=words)
        runs = rng.integers(1, 4, size=words)
        out: list[str] = []
        k = 0
        while len(out) < words:
            out.extend(stream[starts[k] : starts[k] + runs[k]])
            k += 1
        lengths = self.model.sentence_lengths[rng.integers(len(self.model.sentence_lengths), size=len(out))]
        counts = self.model.paragraph_sentences[rng.integers(len(self.model.paragraph_sentences), size=len(out))]
        paragraphs, sentences, pos, j = [], [], 0, 0
        while pos < len(out):
            n = int(np.clip(lengths[j], 4, 60))
            sentence = out[pos : pos + n]
            sentences.append(sentence[0][:1].upper() + " ".join(sentence)[1:] + ".")
            pos += n
            j += 1
            if len(sentences) >= counts[len(paragraphs)]:
                paragraphs.append(" ".join(sentences))
                sentences = []
        if sentences:
            paragraphs.append(" ".join(sentences))
        return "\n\n".join(paragraphs)

    def _with_orgs(self, rng: np.random.Generator, text: str, orgs: list[str], title: str) -> str:
        """The text with one sentence naming organisations appended to a random paragraph."""
        form = ORG_SENTENCES[int(rng.integers(len(ORG_SENTENCES)))]
        a, b = orgs[int(rng.integers(len(orgs)))], orgs[int(rng.integers(len(orgs)))]
        topic = self.topics.draw(rng, 1)[0].lower()
        sentence = form.format(it=title, a=a, b=b, t=topic, y=int(rng.integers(1950, 2025)))
        paragraphs = text.split("\n\n")
        k = int(rng.integers(len(paragraphs)))
        paragraphs[k] = f"{paragraphs[k]} {sentence}"
        return "\n\n".join(paragraphs)


# ---------------------------------------------------------------------------
# Writing a corpus folder.

_WRITER: Writer | None = None


def _write_range(args: tuple[str, int, int]) -> int:
    folder, start, stop = args
    assert _WRITER is not None
    written = 0
    for i in range(start, stop):
        data = _WRITER.article(i).encode("utf-8")
        (Path(folder) / _WRITER.name(i)).write_bytes(data)
        written += len(data)
    return written


def corpus_dir(out: Path, size: int, seed: int) -> Path:
    return out / f"corpus-{size}-s{seed}"


def generate(out: Path, size: int, seed: int = 1, workers: int = 2) -> dict[str, object]:
    """Write `size` articles into out/corpus-SIZE-sSEED (reused when already complete); a summary."""
    global _WRITER
    folder = corpus_dir(out, size, seed)
    manifest = folder.with_suffix(MANIFEST_SUFFIX)
    if manifest.exists() and folder.is_dir():
        known = json.loads(manifest.read_text())
        if known.get("version") == GENERATOR_VERSION and sum(1 for _ in folder.glob("*.txt")) == size:
            return known | {"reused": True}
    started = time.perf_counter()
    folder.mkdir(parents=True, exist_ok=True)
    model = learn()
    _WRITER = Writer(seed, model, make_pools(model, seed))
    step = max(1, size // (workers * 8))
    ranges = [(str(folder), a, min(size, a + step)) for a in range(0, size, step)]
    if workers > 1 and size >= 2000:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            written = sum(pool.map(_write_range, ranges))
    else:
        written = sum(map(_write_range, ranges))
    summary = {
        "version": GENERATOR_VERSION, "size": size, "seed": seed, "folder": str(folder), "bytes": written,
        "seconds": round(time.perf_counter() - started, 2), "sources": list(model.sources),
    }
    manifest.write_text(json.dumps(summary, indent=2))
    return summary | {"reused": False}


def writer_for(seed: int) -> Writer:
    """A Writer for regenerating or editing single articles."""
    model = learn()
    return Writer(seed, model, make_pools(model, seed))


def edit(folder: Path, writer: Writer, indices: list[int], round_: int) -> list[Path]:
    """Change the given articles (a new section at the end) so an incremental build re-indexes them."""
    paths = []
    for i in indices:
        path = folder / writer.name(i)
        extra = writer._text(np.random.default_rng([writer.seed, i, round_]), 40)
        path.write_text(writer.article(i) + f"\n==Update {round_}==\n{extra}\n", encoding="utf-8")
        paths.append(path)
    return paths


def restore(folder: Path, writer: Writer, indices: list[int]) -> None:
    """Write the given articles back exactly as generated."""
    for i in indices:
        (folder / writer.name(i)).write_text(writer.article(i), encoding="utf-8")
