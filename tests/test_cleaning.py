"""Source cleaning on the seed articles: boilerplate dropped, no news sentence lost, offsets exact."""

from pathlib import Path

import pytest

from summarizer.cleaning import clean
from summarizer.sources import load_case_sources

SEED = load_case_sources(Path(__file__).resolve().parent.parent / "seeds" / "milley-zaluzhnyi-poland")
BY_ID = {s.id: clean(s) for s in SEED.sources}
EURO, KYIV_POST, THIRD = "000_fdcdf22234b24739", "001_322d7952545062e1", "002_b537db1d55a357fb"


def _kind_of(source_id: str, needle: str) -> str:
    [span] = [s for s in BY_ID[source_id].spans if needle in s.text]
    return span.kind


@pytest.mark.parametrize(("source_id", "needle", "kind"), [
    (EURO, "Copyright © 2021", "notice"),
    (EURO, "International Renaissance Foundation", "notice"),
    (EURO, "active hyperlink", "notice"),
    (EURO, "Privacy and Cookie Policies", "notice"),
    (EURO, "Залужний звірився", "foreign_link"),
    (EURO, "Become a Patron", "donation"),
    (EURO, "Shares", "share"),
    (KYIV_POST, "share on:", "share"),
    (KYIV_POST, "Ali Al Salem Air Base", "caption"),
    (THIRD, "Anutin", "headlines"),
    (THIRD, "Ghislaine Maxwell", "headlines"),
    (THIRD, "Dodik Ally", "headlines"),
])
def test_each_kind_of_boilerplate_is_dropped(source_id: str, needle: str, kind: str) -> None:
    assert _kind_of(source_id, needle) == kind


@pytest.mark.parametrize("needle", [
    "traveled to a site near the Ukraine-Poland border",
    "I thanked General Milley",
    "undisclosed location in southeastern Poland",
    "Wagner Group contractors",
    "undisclosed military base in southeastern Poland",
    "largest military aid package",
    "100 M113 Armored Personnel Carriers",
    "southwestern Poland near the Ukrainian border",
    "travel to Brussels",
    "World Economic Forum in Davos",
    "US, Ukraine top military chiefs meet in person for the first time",
])
def test_no_news_sentence_is_dropped(needle: str) -> None:
    kept = " ".join(c.text for c in BY_ID.values())
    assert needle in kept


def test_spans_are_exact_offsets_into_the_original() -> None:
    for source in SEED.sources:
        cleaned = BY_ID[source.id]
        for span in cleaned.spans:
            assert source.text[span.start:span.end] == span.text
        starts = [s.start for s in cleaned.spans]
        assert starts == sorted(starts)


def test_retained_text_is_never_rewritten() -> None:
    for source in SEED.sources:
        for line in BY_ID[source.id].text.split("\n"):
            assert line in source.text
