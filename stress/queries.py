"""A corpus of hostile queries: a hand list plus seeded random combinations of nasty fragments.

Every query is plain text; `hostile_queries(n, seed)` always starts with the hand list,
so the first few hundred are the same on every run.
"""

from __future__ import annotations

import random

FIELDS = ("title", "lead", "body", "words", "id", "topics", "centres", "organisations", "country", "region",
          "type", "founded", "f_country", "y_founded", "checksum", "doc", "path", "nosuchfield", "title_key")


def hand_list() -> list[str]:
    """The queries the issue names, and their relatives."""
    deep = 500
    queries = [
        "*", "?*?*?*", "a*", "ab*", "in*", "co*", "*a", "*ion", "?", "??", "???*", "*:*", "*:x", "x:*",
        "a" * 10_000, "a" * 10_000 + "*", "word " * 2_000, " ".join(f"w{i}" for i in range(1_000)),
        " OR ".join(f"w{i}" for i in range(1_000)), " ".join(f"ab{i}*" for i in range(64)),
        " ".join(f"institute{i}~2" for i in range(64)), " OR ".join(f"in{chr(97 + i % 26)}*" for i in range(60)),
        "(" * deep + "x" + ")" * deep, "(" * deep, ")" * deep, "(" * 20 + "x" + ")" * 20, "((a) OR (b)) AND ((c",
        '"unbalanced', '"a" "b', '""', '"', "'", "'''", '"""', '"institute', 'institute"', "\\", "\\\\", "\\*",
        "AND", "OR", "NOT", "AND OR NOT", "NOT NOT NOT x", "x AND", "OR x", "AND AND", "ANDNOT", "x ANDMAYBE y",
        "x~", "x~100", "x~2", "institute~2", "in~1", "a~2", "x^100", "x^-1", "x^", "^", "~", "~~~", "x~~2",
        "title:", ":", "::", "a:b:c", "title:title:title", "title:(a OR b)", "ti*le:x", "*foo*", "f*o*o*",
        "[a TO z]", "[* TO *]", "{a TO b}", "[", "]", "{", "}", "<", ">", "<=", ">=", "founded:>2000",
        "founded:[1900 TO 2000]", "y_founded:[0 TO 9999]", "founded:[x TO y]", "founded:[2000 TO]",
        "nosuchfield:x", "unknown:*", "checksum:*", "doc:*", "path:/etc/passwd", "id:*", "id:../../etc/passwd",
        "\u202e", "RTL \u202eevil\u202c text", "\u2066\u2067\u2068\u2069", "\u200b\u200c\u200d", "\ufeff", "\u00ad",
        "🧪", "👩‍🔬", "🏳️‍🌈 institute", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "Z" + "\u0301" * 1000, "\u0000", "a\u0000b", "\x01\x02\x1b[31m",
        "\r\n", "\t", " ", "", "   ", "\n\n\n", "\u2028\u2029", "ﷺ", "ᚠᛇᚻ", "日本語 の 研究所", "مرحبا", "עברית",
        "' OR 1=1 --", "'; DROP TABLE docs; --", "1; SELECT * FROM users", "\" OR \"\"=\"", "admin'--",
        "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "</textarea><svg onload=alert(1)>",
        "javascript:alert(1)", "{{7*7}}", "${jndi:ldap://x}", "%00", "%2e%2e%2f", "../../etc/passwd",
        "&lt;b&gt;", "&#x3C;script&#x3E;", "\\u003cscript\\u003e", "--", "-x", "+x", "x -y", "-", "--help",
        "-h", "--index /etc", "NaN", "Infinity", "-1", "1e308", "0x41", "null", "undefined", "true",
        "title:\"<b>bold</b>\"", "topics:\"Cancer\"", "topics:Cancer", "country:\"United Kingdom\"",
        "institute", "vaccines", "cancer AND genomics", "\"research institute\"", "institute NOT cancer",
    ]
    return queries


_FRAGMENTS = ("AND", "OR", "NOT", "(", ")", '"', "*", "?", "~", "~2", "^2", ":", "[", "]", "{", "}", "TO",
              "\\", "'", "-", "+", "<", ">", "&", ";", "\u202e", "\u0000", "🧪", "\ufeff", "%", "=", "/", "..")
_WORDS = ("institute", "research", "cancer", "vaccines", "genomics", "lor", "ka", "ver", "in", "a", "the",
          "kaver", "mote", "sulan", "x", "zz", "united", "kingdom", "founded", "1999", "2009")


def generated(count: int, seed: int) -> list[str]:
    """`count` seeded random queries mixing words, operators, fields and hostile characters."""
    rng = random.Random(f"queries:{seed}")
    out = []
    for _ in range(count):
        parts = []
        for _ in range(rng.randint(1, 12)):
            roll = rng.random()
            if roll < 0.35:
                parts.append(rng.choice(_WORDS) + rng.choice(["", "", "*", "?", "~", "~1", "^3"]))
            elif roll < 0.6:
                parts.append(rng.choice(_FRAGMENTS))
            elif roll < 0.75:
                parts.append(f"{rng.choice(FIELDS)}:{rng.choice(_WORDS + _FRAGMENTS)}")
            elif roll < 0.95:
                parts.append("".join(chr(rng.choice([rng.randint(32, 0x2FF), rng.randint(0x300, 0x2FFFF)]))
                                     for _ in range(rng.randint(1, 8))).replace("\ud800", ""))
            else:
                parts.append(rng.choice(_WORDS) * rng.randint(20, 150))
        joiner = rng.choice([" ", "", " AND ", " OR "])
        out.append(_no_surrogates(joiner.join(parts)))
    return out


def _no_surrogates(text: str) -> str:
    return "".join(ch for ch in text if not 0xD800 <= ord(ch) <= 0xDFFF)


def hostile_queries(count: int, seed: int = 0) -> list[str]:
    """The hand list followed by generated queries, `count` in all (at least the hand list)."""
    hand = hand_list()
    return hand + generated(max(0, count - len(hand)), seed)
