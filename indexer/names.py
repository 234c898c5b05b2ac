"""Names in text: normalising, cleaning list items, and spotting organisation-shaped names.

Pure and table-driven: the words that make a name an organisation, the connectors
allowed inside one, and the sentence-start words trimmed from its front are module
tables; the functions only walk tokens. `org_names` finds maximal runs of
capitalised words that contain an organisation head word ("Atlantic Records",
"Guy's and St Thomas' NHS Foundation Trust") and rejects everything else.
"""

from __future__ import annotations

import re

# Words that make a capitalised run an organisation name.
ORG_HEADS = frozenset(
    """University College Institute Institution Council Trust Hospital Hospitals School
    Department Agency Foundation Centre Center Society Association Board Service Laboratory
    Laboratories Unit Partners Partnership Network Alliance Company Corporation Records Ltd
    plc Inc LLC Ministry Commission Authority Academy Conservatory Federation Consortium
    Clinic Infirmary Executive Fund Bank""".split()
)
# Head words that count only as the last word of a name ("Cancer Research UK").
FINAL_HEADS = frozenset({"UK"})
# Lower-case words allowed between the capitalised words of a name.
CONNECTORS = frozenset("of and for the in on upon & de du des la le van von der".split())
# Connectors that may follow a head word ("Department of Health", "Centre for ...");
# any other connector after a head ends the name ("Atlantic Records and Ray Charles").
HEAD_CONNECTORS = frozenset({"of", "for", "de", "du", "des"})
# Connectors that end a name once it has a head word ("Berklee College of Music in Boston").
PLACE_CONNECTORS = frozenset({"in", "on"})
# Connectors that, after a leading non-head word, show a sentence start ("Released on Sky Records").
VERB_CONNECTORS = frozenset({"in", "on", "the", "for"})
# Capitalised words that start sentences rather than names; trimmed from a name's front.
LEADING_JUNK = frozenset(
    """The A An On In At By For From With Within Under Over After Before During When While
    Although Though As Since Both Its It His Her Their Our Your My This That These Those
    Many Some Several Each Every Then Later Also But And Or If Through Via Between Including
    Unlike Like Following Despite Meanwhile Today However To Of Against Among Along Across
    Into Upon Without According Why How What Where Who Whose Which Once Only Even Yet So
    Recently Former Formerly Currently Now Most More All Other Another Such Both Either""".split()
)
# Country qualifiers dropped before a government body ("the UK Department of Health").
QUALIFIERS = frozenset({"UK", "US", "U.S", "British", "English", "American", "Scottish", "Welsh"})
GOVERNMENT_HEADS = frozenset({"Department", "Ministry", "Government", "Secretary"})
# Words that make a head-bearing run a title, not an organisation ("Genius Loves Company").
TITLE_VERBS = frozenset(
    """Loves Love Meets Keeps Takes Makes Goes Sings Plays Says Is Are Was Were Be Been
    Hits Sees Needs Wants Gets Knows Finds Leaves Comes""".split()
)
# Words that make a head-bearing run something other than an organisation:
# awards, honours, roles, recordings ("Academy Award", "Kennedy Center Honors", "Board President").
NOT_ORG_WORDS = frozenset(
    """Award Awards Prize Prizes Medal Medals Honors Honours Hall Fame President Officer Director
    Chairman Chair Professor Recorder LP EP Album Single Chart Charts Billboard""".split()
)
ABBREVIATIONS = ("St", "Mt", "Ft", "Dr", "Jr", "Sr", "Bros", "Co", "Inc", "Ltd", "Corp")
MAX_NAME_WORDS = 10
MAX_ITEM_WORDS = 12

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
                         "\u00b4": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"'})
_SPACES = re.compile(r"\s+")
_TOKEN = re.compile(r"\b(?:%s)\.(?=\s)|\w+(?:['./&-]\w+)*'?|&" % "|".join(ABBREVIATIONS))
_POSSESSIVE = re.compile(r"(?:'s|')$")
_PARENTHETICAL = re.compile(r"\s*[(\[][^()\[\]]*[)\]]")
_REMARK = re.compile(r"\s+[-\u2013\u2014]\s+|:\s")
_COMPOUND = re.compile(
    r",?\s+(?:including|incorporating|comprising|encompassing)\s+(?:the\s+)?"
    r"|,?\s+which\s+(?:includes|incorporates|contains|houses)\s+(?:the\s+)?"
    r"|\s+(?:and|with)\s+its\s+"
)
_COMMA = re.compile(r",\s+")
_EDGE_PUNCT = " \t.,;:!?*\u2022\u00b7-\u2013\u2014"


def normalise(text: str) -> str:
    """Curly quotes and apostrophes to straight ones, whitespace runs to one space, stripped."""
    return _SPACES.sub(" ", text.translate(_QUOTES)).strip()


def has_content(text: str) -> bool:
    """True when text has a letter or digit outside parentheses (not `()`-only junk)."""
    return any(c.isalnum() for c in _PARENTHETICAL.sub("", text))


def strip_parentheticals(text: str) -> str:
    """Remove (remarks) and [notes], nested or not; an unclosed '(' cuts the rest."""
    previous = None
    while previous != text:
        previous, text = text, _PARENTHETICAL.sub("", text)
    text = re.split(r"[(\[]", text, maxsplit=1)[0]
    return normalise(text.replace(")", " ").replace("]", " "))


def clean_item(text: str) -> str:
    """A list item or value without remarks, parentheticals or edge punctuation."""
    text = strip_parentheticals(normalise(text))
    text = _REMARK.split(text, maxsplit=1)[0].strip(_EDGE_PUNCT)
    if len(text) > 1 and text[0] == text[-1] == '"':
        text = text[1:-1].strip(_EDGE_PUNCT)
    return text


def clean_name(text: str) -> str:
    """A name as a facet value: cleaned, without a ', place' or ', description' tail or a leading 'the'."""
    text = clean_item(text)
    for comma in _COMMA.finditer(text):
        before, after = text[: comma.start()], text[comma.end() :].split()
        if not after or after[0][0].islower() or _has_head(before.split()) or (
                len(after) <= 2 and not _has_head(after)):
            text = before  # "X Hospital, Fulham", "X, part of Y", "X, London"; not "Social, Genetic ... Centre"
            break
    return re.sub(r"^(?:the|The)\s+", "", text.strip(_EDGE_PUNCT))


def split_compound(text: str) -> list[str]:
    """An item naming two ("X including the Y", "X and its Y") -> both names, cleaned."""
    text = strip_parentheticals(normalise(text))
    return [name for name in (clean_name(part) for part in _COMPOUND.split(text)) if name]


def looks_like_name(text: str, max_words: int = MAX_ITEM_WORDS) -> bool:
    """Short, and its first and last words start with a capital letter or digit."""
    words = text.split()
    return 0 < len(words) <= max_words and all(w[0].isupper() or w[0].isdigit() for w in (words[0], words[-1]))


def _base(word: str) -> str:
    return _POSSESSIVE.sub("", word) if len(word) > 2 else word


def _is_head(word: str, final: bool = False) -> bool:
    base = _base(word)
    parts = {base, *base.split("-")}
    return bool(parts & ORG_HEADS) or (final and base in FINAL_HEADS)


def _is_capitalised(word: str) -> bool:
    return word[0].isupper()


def _runs(text: str) -> list[list[str]]:
    """Maximal runs of capitalised words and connectors, cut at punctuation and after heads."""
    runs: list[list[str]] = []
    run: list[str] = []
    end = 0
    for match in _TOKEN.finditer(text):
        word = match.group()
        if text[end : match.start()].strip() or not (_is_capitalised(word) or word in CONNECTORS):
            runs.append(run)
            run = []
        end = match.end()
        if word in CONNECTORS:
            if run and _ends_name(run, word):
                runs.append(run)
                run = [word] if word in PLACE_CONNECTORS else []  # marks a place complement
            elif run:
                run.append(word)
        elif _is_capitalised(word):
            if word in LEADING_JUNK and run and run[-1] in CONNECTORS:
                runs.append(run)  # "AmfAR and The Maybach Foundation": a new name starts
                run = []
            run.append(word)
            if _is_head(word) and _POSSESSIVE.search(word):
                runs.append(run)
                run = []
    runs.append(run)
    return [r for r in runs if r]


def _ends_name(run: list[str], connector: str) -> bool:
    """A connector after a head word, or a place connector after any head, ends the name."""
    if _is_head(run[-1]):
        return connector not in HEAD_CONNECTORS
    return connector in PLACE_CONNECTORS and any(_is_head(w) for w in run)


def _without_place(words: list[str]) -> list[str]:
    """'in Hong Kong and Hujiang High School' -> the name after the place complement."""
    if words[0] in PLACE_CONNECTORS:
        for i, word in enumerate(words):
            if word in ("and", "&") and not _has_head(words[:i]):
                return words[i + 1 :]
    return words


def _split_at_and(words: list[str]) -> list[list[str]]:
    """'A Trust and B College', 'A and the B Trust' -> two; 'Guy's and St Thomas' Trust' is one name."""
    for i, word in enumerate(words):
        right = words[i + 1 :]
        both = _has_head(words[:i]) or right[:1] == ["the"]
        if word in ("and", "&") and both and _has_head(right):
            return [words[:i], *_split_at_and(words[i + 1 :])]
    return [words]


def _has_head(words: list[str]) -> bool:
    return any(_is_head(w, final=i == len(words) - 1) for i, w in enumerate(words))


def _trim(words: list[str]) -> list[str]:
    """Drop sentence-start junk, leading qualifiers of government bodies, edge connectors."""
    while words and (words[0] in CONNECTORS or words[0] in LEADING_JUNK or _starts_sentence(words)):
        words = words[1:]
    while words and (words[-1] in CONNECTORS or _is_code_after_head(words)):
        words = words[:-1]
    words = _without_acronym_tail(words)
    if words:
        words = [*words[:-1], _base(words[-1]).rstrip(".")]
    return words


def _starts_sentence(words: list[str]) -> bool:
    """'Released on ...', 'UK Department of ...': a leading word that is not part of the name."""
    if len(words) < 2:
        return False
    if words[0] in QUALIFIERS:
        return _base(words[1]) in GOVERNMENT_HEADS
    return words[1] in VERB_CONNECTORS and not _is_head(words[0])


def _without_acronym_tail(words: list[str]) -> list[str]:
    """'University of Manchester and NHS', 'MRC Unit The Gambia and the MRC' -> the name before 'and'."""
    for i in range(len(words) - 1, 0, -1):
        if words[i] in ("and", "&"):
            tail = [w for w in words[i + 1 :] if w not in CONNECTORS]
            if tail and all(w.isupper() and not _is_head(w, True) for w in tail):
                return words[:i]
            break
    return words


def _is_code_after_head(words: list[str]) -> bool:
    """A trailing all-capitals word after a head is a catalogue code ("Sky Records SKY")."""
    last = words[-1]
    return len(words) > 1 and last.isupper() and last not in FINAL_HEADS and _is_head(words[-2])


def _is_org(words: list[str]) -> bool:
    """A trimmed run is an organisation: 2..10 words, an anchored head word, a modifier, no stop word."""
    if not 2 <= len(words) <= MAX_NAME_WORDS or not _has_head(words):
        return False
    if any(w in TITLE_VERBS or _base(w) in NOT_ORG_WORDS for w in words):
        return False
    last = len(words) - 1
    modifiers = [w for i, w in enumerate(words) if not _is_head(w, final=i == last) and w not in CONNECTORS]
    return bool(modifiers) and _anchored(words)


def _anchored(words: list[str]) -> bool:
    """Some head word is modified ("Wellcome Trust") or complemented ("Department of Health"),
    not merely coordinated with a common word ("Education and Society")."""
    for i, word in enumerate(words):
        if _is_head(word, final=i == len(words) - 1):
            before = words[i - 1] if i else ""
            after = words[i + 1 : i + 3]
            if (before and before not in CONNECTORS) or (len(after) == 2 and after[0] in HEAD_CONNECTORS):
                return True
    return False


# Every organisation name contains a head word (`_is_org` needs `_has_head`), and a head word is a
# whole token, or a part between hyphens, possibly with a possessive: so a text in which this
# pattern finds nothing has no organisation names, and most paragraphs are settled by one search.
_ANY_HEAD = re.compile(r"(?<![^\W_])(?:%s)(?![^\W_])" % "|".join(sorted(map(re.escape, ORG_HEADS | FINAL_HEADS))))


def org_names(text: str) -> list[str]:
    """Organisation-shaped names in a text, in order, each once."""
    found: list[str] = []
    if not _ANY_HEAD.search(text.translate(_QUOTES)):
        return found
    for run in _runs(normalise(text)):
        for part in _split_at_and(_without_place(run)):
            words = _trim(part)
            name = " ".join(words)
            if _is_org(words) and name not in found:
                found.append(name)
    return found
