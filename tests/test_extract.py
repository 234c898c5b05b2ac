"""Extraction: Article -> organisations, centres, topics (with provenance) and infobox facets."""

from __future__ import annotations

import collections
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.extract import YEAR_KEYS, extract, infobox_facets, item_names, list_kind, slug, split_values, \
    topic_names, year_of
from indexer.gazetteer import known_names
from indexer.model import Article, BulletList, InfoboxField, ListItem, Paragraph, Section
from indexer.names import clean_item, has_content, normalise, org_names
from indexer.parse import decode, parse

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEED = SHARED / "seed" / "000_c979882d02ee9a42.txt"
REAL = SHARED / "data" / "wikipedia_raycharles_zim" / "converted_sample_format"

SEED_CENTRES = (
    "MRC-Asthma UK Centre in Allergic Mechanisms of Asthma",
    "MRC Centre for Developmental Neurobiology",
    "MRC Centre for Neurodegenerative Research",
    "MRC Centre for Social Genetic and Developmental Psychiatry",
    "MRC Centre for Transplantation",
    "MRC-HPA Centre for Environment and Health",
    "MRC National Institute for Medical Research",
    "MRC Biomedical NMR Centre",
)
SEED_TOPICS = ("Allergy", "Cancer", "Cardiovascular", "Dental", "Dermatology", "Diabetes",
               "Inflammation and immunity", "Neuroscience and mental health", "Reproductive health", "Stem cell")
SEED_ORGANISATIONS = (
    "King's College London", "Guy's and St Thomas' NHS Foundation Trust",
    "King's College Hospital NHS Foundation Trust", "South London and Maudsley NHS Foundation Trust",
    "Department of Health", "Medical Research Council", "Imperial College London", "Francis Crick Institute",
    "Cancer Research UK", "Wellcome Trust", "University College London", "Guy's Hospital",
    "St Thomas' Hospital", "King's College Hospital", "King's College London GKT School of Medical Education",
)


def read_article(path: Path) -> Article:
    return parse(decode(path.read_bytes(), str(path)), str(path))


@pytest.fixture(scope="module")
def seed() -> Article:
    if not SEED.is_file():
        pytest.skip(f"seed article not found at {SEED}")
    return read_article(SEED)


@pytest.fixture(scope="module")
def real_articles() -> list[Article]:
    if not REAL.is_dir():
        pytest.skip(f"real Wikipedia sample not found at {REAL}")
    return [read_article(p) for p in sorted(REAL.glob("*.txt"))]


# --- infobox facets ---------------------------------------------------------


@pytest.mark.parametrize("key, expected", [
    ("Country", "country"), ("Writer(s)", "writer_s"), ("Founded", "founded"), ("↙Live albums", "live_albums"),
    ("Alternative cover / re-issue", "alternative_cover_re_issue"), ("  Years active ", "years_active"),
    ("Año de fundación", "año_de_fundación"), ("B-side", "b_side"), ('David "Fathead" Newman chronology',
                                                                   "david_fathead_newman_chronology"),
])
def test_slug_lowercases_and_joins_alphanumeric_runs_with_underscores(key: str, expected: str) -> None:
    assert slug(key) == expected


def test_slug_of_a_key_without_letters_is_deterministic_and_distinct() -> None:
    assert slug("↙") == slug("↙") and slug("↙").startswith("key_")
    assert slug("↙") != slug("→")


@pytest.mark.parametrize("value, year", [
    ("2009 (London)", 2009), ("1954-1955", 1954), ("March 9, 2009", 2009), ("c. 1860", 1860),
    ("(1929-05-16)May 16, 1929", 1929), ("1948–98", 1948), ("unknown", None), ("£3,700,000", None),
    ("12345", None), ("3:03", None), ("0999 or 2101", None), ("1,2009", None), ("", None),
])
def test_year_of_finds_the_first_plausible_four_digit_year(value: str, year: int | None) -> None:
    assert year_of(value) == year


@pytest.mark.parametrize("key", ["founded", "established", "released", "born", "died", "recorded", "date"])
def test_date_keys_are_year_valued(key: str) -> None:
    assert key in YEAR_KEYS


@pytest.mark.parametrize("name, value, values", [
    ("genre", "Soul, R&B", ["Soul", "R&B"]),
    ("labels", "Columbia, Peacock, ABC, United Artists", ["Columbia", "Peacock", "ABC", "United Artists"]),
    ("label", "Parlophone; Capitol", ["Parlophone", "Capitol"]),
    ("location", "London, United Kingdom", ["London, United Kingdom"]),
    ("released", "March 9, 2009", ["March 9, 2009"]),
    ("country_of_origin", "United States, Canada", ["United States, Canada"]),
    ("born", "May 16, 1929; Flint, Michigan", ["May 16, 1929", "Flint, Michigan"]),
    ("ray_charles_chronology", "Modern Sounds in Country and Western Music, Vol. 2; (1962)",
     ["Modern Sounds in Country and Western Music, Vol. 2", "(1962)"]),
    ("writer_s", "Cory Rooney,; Makeba Riddick,", ["Cory Rooney", "Makeba Riddick"]),
    ("box_office", "$124,731,534", ["$124,731,534"]),
    ("writer_s", "Ray Charles, , Percy Mayfield", ["Ray Charles, , Percy Mayfield"]),
    ("note", "a sentence of seven words in it, and more", ["a sentence of seven words in it, and more"]),
    ("name", "King’s   College", ["King's College"]),
    ("type", " ; — ;", []),
])
def test_infobox_values_split_on_semicolons_and_on_commas_only_in_lists(name: str, value: str,
                                                                         values: list[str]) -> None:
    assert split_values(name, value) == values


def test_every_infobox_key_gives_one_facet_even_when_empty_and_repeats_merge() -> None:
    facets = infobox_facets((InfoboxField("Founded", "2009 (London)"), InfoboxField("Genre", "Soul; Jazz"),
                             InfoboxField("Website", ""), InfoboxField("Genre", "Jazz, Blues")))
    assert [(f.name, f.key, f.values, f.year) for f in facets] == [
        ("founded", "Founded", ("2009 (London)",), 2009),
        ("genre", "Genre", ("Soul", "Jazz", "Blues"), None),
        ("website", "Website", (), None),
    ]


# --- lists ------------------------------------------------------------------


@pytest.mark.parametrize("lead_in, heading, kind", [
    ("King's Health Partners incorporates some Medical Research Council centres, including the following:",
     "Research", "centres"),
    ("King's Health Partners' research is focused on the following key programme areas:", "Research", "topics"),
    ("Its member organisations are:", "History", "organisations"),
    ("The partners' research centres are:", None, "centres"),
    ("The Trust was founded in 1948. Its research themes are:", None, "topics"),
    (None, "Research institutes", "centres"),
    ("The following were recorded:", "Member universities", "organisations"),
    ("King's Health Partners comprises:", None, None),  # the name is no 'partners' cue
    ("Large population studies run or co-led by the unit include the following:", None, None),
    ("Besides its main base, the unit operates the following field stations:", "Field stations", None),
    ("Personnel:", "Track listing", None),
    (None, "Research", None),
    (None, None, None),
])
def test_a_list_kind_comes_from_the_most_specific_cue_of_its_lead_in_then_its_heading(
        lead_in: str | None, heading: str | None, kind: str | None) -> None:
    assert list_kind(lead_in, heading) == kind


@pytest.mark.parametrize("item, names", [
    ("MRC Centre for Transplantation", ["MRC Centre for Transplantation"]),
    ("MRC-HPA Centre for Environment and Health (awarded in 2009 in collaboration with Imperial College London)",
     ["MRC-HPA Centre for Environment and Health"]),
    ("MRC National Institute for Medical Research (MRC NIMR) including the MRC Biomedical NMR Centre (planned).",
     ["MRC National Institute for Medical Research", "MRC Biomedical NMR Centre"]),
    ("Institute of Psychiatry, incorporating the Social Genetic Centre", ["Institute of Psychiatry",
                                                                          "Social Genetic Centre"]),
    ("The Wolfson Centre and its Imaging Unit.", ["Wolfson Centre", "Imaging Unit"]),
    ("Cardiovascular Centre – led by Professor X", ["Cardiovascular Centre"]),
    ("King’s Centre (KC) [3];", ["King's Centre"]),
    ("Charing Cross Hospital, Fulham", ["Charing Cross Hospital"]),
    ("Wellcome Collection, London", ["Wellcome Collection"]),
    ("Cancer Research UK Cambridge Institute, part of the University of Cambridge",
     ["Cancer Research UK Cambridge Institute"]),
    ("Social, Genetic and Developmental Psychiatry Centre", ["Social, Genetic and Developmental Psychiatry Centre"]),
    ("University College Hospital, including the Elizabeth Garrett Anderson Wing for maternity care",
     ["University College Hospital"]),
    ("(closed in 2010)", []),
    ("a centre that we do not name here", []),
])
def test_centre_and_organisation_items_are_names_without_remarks_and_compound_items_give_both(
        item: str, names: list[str]) -> None:
    assert item_names(item) == names


@pytest.mark.parametrize("item, topics", [
    ("Inflammation and immunity", ["Inflammation and immunity"]),
    ("Stem cell (regenerative medicine).", ["Stem cell"]),
    ('"Cancer"', ["Cancer"]),
    ("research into how the heart fails and how it can be repaired", []),
    ("()", []),
])
def test_topic_items_are_short_cleaned_phrases(item: str, topics: list[str]) -> None:
    assert topic_names(item) == topics


def test_cleaning_normalises_quotes_and_strips_punctuation() -> None:
    assert clean_item("  “St Thomas’ Hospital” (London).  ") == "St Thomas' Hospital"


# --- organisation-shaped names ------------------------------------------------


@pytest.mark.parametrize("text, names", [
    ("It comprises King's College London, Guy's and St Thomas' NHS Foundation Trust, King's College Hospital NHS "
     "Foundation Trust and South London and Maudsley NHS Foundation Trust.",
     ["King's College London", "Guy's and St Thomas' NHS Foundation Trust",
      "King's College Hospital NHS Foundation Trust", "South London and Maudsley NHS Foundation Trust"]),
    ("On 9 March 2009 the UK Department of Health announced it.", ["Department of Health"]),
    ("a partnership between the MRC, Cancer Research UK, the Wellcome Trust and University College London).",
     ["Cancer Research UK", "Wellcome Trust", "University College London"]),
    ("He signed with Atlantic Records in New York in 1952.", ["Atlantic Records"]),
    ("The Atlantic Records' producer Jerry Wexler", ["Atlantic Records"]),
    ("He studied at the Florida School for the Deaf and the Blind in St. Augustine.",
     ["Florida School for the Deaf and the Blind"]),
    ("used by Shanghai Alumni Primary School in Hong Kong and Hujiang High School in Taiwan",
     ["Shanghai Alumni Primary School", "Hujiang High School"]),
    ("certified by the Recording Industry Association of America", ["Recording Industry Association of America"]),
    ("Released on Sky Records SKY 123.", ["Sky Records"]),
    ("Supported by AmfAR and The Maybach Foundation.", ["Maybach Foundation"]),
    ("King's Health Partners' member organisations have a combined turnover.", ["King's Health Partners"]),
    ("a partnership between the University of Manchester and NHS organisations",
     ["University of Manchester"]),
    ("merging Mill Hill and the Cancer Research UK London Research Institute",
     ["Cancer Research UK London Research Institute"]),
    ("at Denmark Hill in south London and the Princess Royal University Hospital",
     ["Princess Royal University Hospital"]),
    ("The Newcastle upon Tyne Hospitals NHS Foundation Trust", ["Newcastle upon Tyne Hospitals NHS Foundation Trust"]),
    ("the MRC/UVRI and LSHTM Uganda Research Unit", ["MRC/UVRI and LSHTM Uganda Research Unit"]),
    ("Released on Sky Records.", ["Sky Records"]),
])
def test_organisation_names_are_capitalised_runs_with_a_head_word(text: str, names: list[str]) -> None:
    assert org_names(text) == names


@pytest.mark.parametrize("text", [
    "The University said nothing.",
    "Trust me, said the Hospital porter.",
    "It forms one of the largest centres for healthcare education in Europe.",
    "Genius Loves Company was the last album recorded.",
    "He won the Academy Award for Best Actor and the Kennedy Center Honors.",
    "academic health science centre located in London, United Kingdom",
    "Records show that the Records Company was busy.",
    "the UK",
    "IOE (Education and Society)",
    "A Very Long Name Of Many Capitalised Words That Goes On And On Without End Trust",
])
def test_sentences_without_an_organisation_name_yield_nothing(text: str) -> None:
    assert org_names(text) == []


def test_gazetteer_names_are_found_verbatim_and_one_word_titles_are_ignored() -> None:
    gazetteer = frozenset({"Wellcome Trust", "NHS", "Ray", "What'd I Say (album)"})
    assert known_names("Ray funded by the Wellcome Trust, part of the NHS; What’d I Say.", gazetteer) == [
        "Wellcome Trust", "NHS", "What'd I Say"]
    assert known_names("the Wellcome Trustees", gazetteer) == []


# --- whole articles -----------------------------------------------------------


def test_seed_centres_are_exactly_its_eight_mrc_centres(seed: Article) -> None:
    assert extract(seed).entities.centres == SEED_CENTRES


def test_seed_topics_are_exactly_its_ten_programme_areas(seed: Article) -> None:
    assert extract(seed).entities.topics == SEED_TOPICS


def test_seed_organisations_are_the_organisations_its_text_names_and_nothing_else(seed: Article) -> None:
    assert set(extract(seed).entities.organisations) == set(SEED_ORGANISATIONS)


def test_seed_organisations_are_not_centres_topics_or_the_article_itself(seed: Article) -> None:
    entities = extract(seed).entities
    assert not set(entities.organisations) & (set(entities.centres) | set(entities.topics) | {seed.title})


def test_each_seed_value_is_traced_to_its_section_line_and_rule(seed: Article) -> None:
    mentions = {(m.kind, m.value): m for m in extract(seed).entities.mentions}
    lines = SEED.read_text(encoding="utf-8").splitlines()
    transplantation = mentions["centres", "MRC Centre for Transplantation"]
    assert (transplantation.section, transplantation.rule) == ("Research", "list:centres")
    assert lines[transplantation.line - 1] == "- MRC Centre for Transplantation"
    trust = mentions["organisations", "Guy's and St Thomas' NHS Foundation Trust"]
    assert (trust.section, trust.rule) == ("(lead)", "text:organisation-name")
    assert "Guy's and St Thomas' NHS Foundation Trust" in lines[trust.line - 1]
    assert mentions["topics", "Stem cell"].rule == "list:topics"
    assert len(mentions) == len(extract(seed).entities.mentions)


def test_seed_founded_facet_has_its_year(seed: Article) -> None:
    founded = {f.name: f for f in extract(seed).facets}["founded"]
    assert (founded.key, founded.values, founded.year) == ("Founded", ("2009 (London)",), 2009)


def test_gazetteer_names_are_organisations_except_the_articles_own_title(seed: Article) -> None:
    entities = extract(seed, frozenset({"King's Health Partners", "Maudsley NHS Foundation Trust", "Europe"}))
    assert "Maudsley NHS Foundation Trust" in entities.entities.organisations
    assert "King's Health Partners" not in entities.entities.organisations
    gazetteer_rules = {m.value: m.rule for m in entities.entities.mentions}
    assert gazetteer_rules["Maudsley NHS Foundation Trust"] == "gazetteer"


def test_infobox_values_of_entity_keys_are_entities_and_values_deduplicate_ignoring_case() -> None:
    article = Article("Example", infobox=(
        InfoboxField("Affiliations", "King’s College London; Imperial College London", 3),
        InfoboxField("Research areas", "Cancer, Diabetes", 4),
        InfoboxField("Centres", "MRC Centre for Transplantation", 5),
    ), lead=(Paragraph("It works with King's College London.", 7), Paragraph("Members:", 8),
             BulletList((ListItem("WELLCOME TRUST", 9), ListItem("Wellcome Trust", 10)))))
    entities = extract(article).entities
    assert entities.organisations == ("King's College London", "Imperial College London", "WELLCOME TRUST")
    assert (entities.topics, entities.centres) == (("Cancer", "Diabetes"), ("MRC Centre for Transplantation",))
    first = entities.mentions[0]
    assert (first.section, first.line, first.rule) == ("(infobox)", 3, "infobox:Affiliations")


def test_a_value_taken_whole_is_not_also_spotted_in_parts_nor_its_tail_as_an_organisation() -> None:
    trust = "Cumbria, Northumberland, Tyne and Wear NHS Foundation Trust"
    centre = "Social, Genetic and Developmental Psychiatry Centre"
    article = Article("Example", infobox=(InfoboxField("Affiliations", f"Newcastle University; {trust}"),),
                      sections=(Section("Centres", 2, (BulletList((ListItem(centre, 3),)),
                                                       Paragraph(f"Michael Rutter set up the {centre}.", 4))),))
    entities = extract(article).entities
    assert (entities.organisations, entities.centres) == (("Newcastle University", trust), (centre,))


def test_a_list_without_a_cue_gives_nothing() -> None:
    article = Article("Example", sections=(Section("Personnel", 2, (
        Paragraph("Musicians on the recording:", 3),
        BulletList((ListItem("Ray Charles – piano", 4), ListItem("Quincy Jones", 5)))), 2),))
    assert extract(article).entities == extract(Article("Example")).entities


# --- any article ----------------------------------------------------------------

WORDS = ["King's", "College", "London", "and", "of", "the", "Trust", "Centre", "MRC", "(", ")", ",", "including",
         "centres", "areas:", "members", "UK", "’", "Records", "1999", "St.", "in", "-", ";", ":"]
texts = st.one_of(st.text(max_size=40), st.lists(st.sampled_from(WORDS), max_size=12).map(" ".join))
blocks = st.lists(st.one_of(
    st.builds(Paragraph, texts, st.integers(0, 99)),
    st.builds(BulletList, st.lists(st.builds(ListItem, texts, st.integers(0, 99)), max_size=4).map(tuple)),
), max_size=4).map(tuple)
articles = st.builds(
    Article, texts, st.none() | texts,
    st.lists(st.builds(InfoboxField, texts, texts, st.integers(0, 99)), max_size=4).map(tuple), blocks,
    st.lists(st.builds(Section, texts, st.integers(1, 6), blocks), max_size=3).map(tuple),
)


@settings(max_examples=300, deadline=None)
@given(articles, st.frozensets(texts, max_size=4))
def test_extract_never_raises_and_every_value_is_clean(article: Article, gazetteer: frozenset[str]) -> None:
    extraction = extract(article, gazetteer)
    for kind in ("organisations", "centres", "topics"):
        for value in extraction.entities.of(kind):
            assert value and value == value.strip() and has_content(value)
    traced = {(m.kind, m.value) for m in extraction.entities.mentions}
    assert traced == {(k, v) for k in ("organisations", "centres", "topics") for v in extraction.entities.of(k)}
    assert [f.name for f in extraction.facets] == list(dict.fromkeys(slug(f.key) for f in article.infobox))
    for facet in extraction.facets:
        assert all(v and v == v.strip() and any(c.isalnum() for c in v) for v in facet.values)


# --- real articles ----------------------------------------------------------------


def test_real_articles_give_one_facet_per_infobox_key_matching_the_external_counts(
        real_articles: list[Article]) -> None:
    expected = json.loads((REAL.parent / "facet_counts_infobox.json").read_text())["infobox_key_doc_counts"]
    slugs = {slug(key) for key in expected}
    assert len(slugs) == len(expected), "two infobox keys share a slug"
    counts = collections.Counter(f.name for a in real_articles for f in extract(a).facets)
    assert counts == collections.Counter({slug(key): n for key, n in expected.items()})


NAME_CONNECTORS = {"of", "and", "for", "the", "in", "on", "upon", "&", "de"}
NOT_ORGANISATIONS = {"Genius Loves Company", "Academy Award", "Academy Awards", "Kennedy Center Honors",
                     "Academy Award for Best Actor", "Blues Foundation Hall of Fame", "Records"}


def looks_like_organisation(name: str) -> bool:
    """Two to ten words, each capitalised or a connector, no sentence punctuation, not a known non-name."""
    words = name.split()
    return (2 <= len(words) <= 10 and name not in NOT_ORGANISATIONS and not any(p in name for p in ",;:!?()\"")
            and all(w[0].isupper() or w in NAME_CONNECTORS for w in words) and words[-1] not in NAME_CONNECTORS)


def test_real_articles_name_plausible_organisations_only(real_articles: list[Article]) -> None:
    found = [v for a in real_articles for v in extract(a).entities.organisations]
    assert {"Atlantic Records", "ABC Records", "Columbia Records", "Recording Industry Association of America",
            "Kennedy Center", "Rhythm & Blues Foundation"} <= set(found)
    assert [name for name in found if not looks_like_organisation(name)] == []
    assert not any(a.entities.centres or a.entities.topics for a in map(extract, real_articles))


def test_real_articles_with_their_titles_as_gazetteer_never_list_themselves(real_articles: list[Article]) -> None:
    gazetteer = frozenset(a.title for a in real_articles)
    for article in real_articles:
        entities = extract(article, gazetteer).entities
        assert article.title not in entities.organisations
        assert all(has_content(v) for v in entities.organisations)


# --- spotting names in running text: tokens, capitals and where a name's words start -----------


@pytest.mark.parametrize("text, names", [
    ("He joined AT&T Bell Laboratories in 1970.", ["AT&T Bell Laboratories"]),
    ("It was issued by Warner Bros. Records in 1971.", ["Warner Bros. Records"]),
    ("research at St. Jude Children's Research Hospital in Memphis", ["St. Jude Children's Research Hospital"]),
    ("Barclays Bank plc announced results.", ["Barclays Bank"]),
    ("She studied at the École Normale Supérieure and at Łódź University of Technology.",
     ["Łódź University of Technology"]),
    ("funded by the Smith-Kettlewell Eye Research Institute and the Trustees of Boston College",
     ["Smith-Kettlewell Eye Research Institute", "Trustees of Boston College"]),
    ("Trust funds at Royal Free Hospital", ["Royal Free Hospital"]),
    ("a ward of Guy\u2019s\u00a0Hospital", ["Guy's Hospital"]),
    ("He left the label of-Records and joined Decca Records' subsidiary Brunswick Records.",
     ["Decca Records", "Brunswick Records"]),
    ("It opened the Internationally Recognised Multidisciplinary Paediatric Neurodevelopmental Rehabilitation "
     "Hospital in 2001.",  # more than a search window of capitalised words before the head
     ["Internationally Recognised Multidisciplinary Paediatric Neurodevelopmental Rehabilitation Hospital"]),
    ("the AntiTrust lawyers and the Trustees met", []),  # head words inside longer words are no heads
])
def test_names_are_spotted_whatever_the_tokens_around_their_head_word(text: str, names: list[str]) -> None:
    assert org_names(text) == names


@pytest.mark.parametrize("text, normalised", [
    ("  a\u00a0b\u2003\u2018c\u2019\n\x1cd ", "a b 'c' d"),
    ("\u201cKing\u2032s\u201d\t\t\u00b4x\u201e\u2033", "\"King's\" 'x\"\""),
    ("plain  ascii\ttext", "plain ascii text"),
])
def test_normalise_straightens_quotes_and_collapses_any_whitespace(text: str, normalised: str) -> None:
    assert normalise(text) == normalised


NAME_WORDS = ["King's", "College", "London", "and", "of", "the", "Trust", "Centre", "MRC", "(", ")", ",", "UK", "’",
              "Records", "1999", "St.", "in", "-", ";", ":", "Inc.", "AT&T", "plc", "Łódź", "École", "on", "The",
              "Guy's", "Hospital", "x", "Department", "Health", "&", "Smith-Jones", "Foundation", "of-", "Award"]
FILLER = ["data", "were", "collected", "by", "x", "42", "and", "of", "the"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(FILLER), min_size=1, max_size=30).map(" ".join),
       st.one_of(st.text(max_size=60), st.lists(st.sampled_from(NAME_WORDS), max_size=25).map(" ".join)))
def test_lower_case_words_before_a_text_change_none_of_its_names(filler: str, text: str) -> None:
    assert org_names(f"{filler} {text}") == org_names(text)

