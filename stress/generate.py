"""Deterministic synthetic corpora: thousands of small, well-formed articles from a seed.

Used where builds must take seconds (kill -9 trials, load tests): the text is made of
pseudo-words drawn from syllables so the vocabulary is large, like a real corpus's.
`mutate` turns corpus A into corpus B (changed, added and removed files) for
incremental rebuilds.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

_SYLLABLES = (
    "ka ri mo te su lan ver to nik a e o ul bra chen dor fel gar hom ist jun kel lor mun nor pel "
    "quin ros sal tur ven wil xan yor zel thi ash ber cor dan el fin gil hal ir jas kor mil"
).split()
_COUNTRIES = ("United Kingdom", "France", "Germany", "Kenya", "Japan", "Canada", "Brazil", "India")
_REGIONS = ("London", "North West England", "Bavaria", "Ontario", "Kansai", "Rift Valley", "Kerala")
_TYPES = ("Research institute", "Public research university", "MRC unit", "Academic health science centre")
_TOPICS = ("Cancer", "Genomics", "Vaccines", "Neuroscience", "Cardiovascular", "Allergy", "Imaging")


def word(rng: random.Random) -> str:
    """A pronounceable pseudo-word of two to four syllables."""
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))


def sentence(rng: random.Random, words: int) -> str:
    text = " ".join(word(rng) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def article(rng: random.Random, number: int, version: int = 0) -> str:
    """One article in the corpus format; `version` changes its text for incremental rebuilds."""
    title = f"{word(rng).capitalize()} {word(rng).capitalize()} Institute {number}"
    lines = [f"= {title} =", "", title]
    lines += [
        f"- Country: {rng.choice(_COUNTRIES)}",
        f"- Region: {rng.choice(_REGIONS)}",
        f"- Type: {rng.choice(_TYPES)}",
        f"- Founded: {rng.randint(1850, 2020)}",
        "",
        f"{title} is a {word(rng)} institute. {sentence(rng, 12)} Revision {version}.",
        "",
    ]
    for heading in rng.sample(["History", "Research", "Teaching", "Partners", "Facilities"], 2):
        lines += [f"=={heading}==", sentence(rng, rng.randint(15, 40)), ""]
    lines += ["==Research areas==", "Research is focused on the following programme areas:"]
    lines += [f"- {topic}" for topic in rng.sample(_TOPICS, 3)]
    return "\n".join(lines) + "\n"


def file_name(number: int) -> str:
    return f"a{number:06d}.txt"


def write_corpus(folder: Path, count: int, seed: int = 0) -> Path:
    """`count` articles named a000000.txt ... into `folder` (created)."""
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(count):
        rng = random.Random(f"{seed}:{number}")
        (folder / file_name(number)).write_text(article(rng, number), encoding="utf-8")
    return folder


@dataclass(frozen=True)
class Mutation:
    changed: int
    added: int
    removed: int


def mutate(folder: Path, count: int, seed: int = 0, fraction: float = 0.2) -> Mutation:
    """Change, add and remove files of a `write_corpus` folder of `count` articles."""
    rng = random.Random(f"mutate:{seed}")
    numbers = list(range(count))
    touched = rng.sample(numbers, max(3, int(count * fraction)))
    removed = touched[: len(touched) // 10 or 1]
    changed = touched[len(removed):]
    for number in removed:
        (folder / file_name(number)).unlink()
    for number in changed:
        text = article(random.Random(f"{seed}:{number}:v1"), number, version=1)
        (folder / file_name(number)).write_text(text, encoding="utf-8")
    added = max(1, len(touched) // 10)
    for number in range(count, count + added):
        (folder / file_name(number)).write_text(article(random.Random(f"{seed}:{number}"), number), encoding="utf-8")
    return Mutation(len(changed), added, len(removed))
