"""The conflict detector: real disagreements are found and attributed; rounding, units, hedges,
spellings and a weekday that matches a date are not disagreements."""

from __future__ import annotations

import pytest

from summarizer.crosssource.alignment import build_case_text
from summarizer.crosssource.conflicts import ConflictCandidate, detect_conflicts
from summarizer.crosssource.dates import dates_agree, extract_dates
from summarizer.crosssource.names import same_name
from summarizer.crosssource.quantities import agree, extract_quantities
from summarizer.sources import CaseSources, Source

# Filler that every source shares, so that a case has the background of a real one.
_BACKGROUND = ("The regional council met on Thursday to review the emergency response. "
               "Residents were told to follow official guidance on the council website.")


def _case(**articles: str) -> CaseSources:
    sources = [Source(id=sid, path="", text=f"{text}\n\n{_BACKGROUND}\n") for sid, text in articles.items()]
    return CaseSources(case_id="t", path="", sources=sources)


def _conflicts(**articles: str) -> list[ConflictCandidate]:
    conflicts, _notes = detect_conflicts(build_case_text(_case(**articles)))
    return conflicts


def _sides(c: ConflictCandidate) -> dict[str, set[str]]:
    return {side.value.lower(): set(side.sources) for side in c.sides}


def test_a_different_number_of_injured_is_a_conflict_with_each_side_attributed() -> None:
    [c] = _conflicts(
        wire="A charter bus overturned on the highway near Carver Mills on Saturday, and 12 people were injured, officials said.",
        local="A charter bus overturned on the highway near Carver Mills on Saturday, and 14 people were injured, police said.",
        radio="A charter bus rolled over near Carver Mills on Saturday morning; 12 people were injured in the crash.",
    )
    assert c.kind == "figure"
    assert _sides(c) == {"12 people": {"wire", "radio"}, "14 people": {"local"}}


def test_a_different_weekday_is_a_conflict() -> None:
    [c] = _conflicts(
        a="The city council approved the new budget on Tuesday after a long public hearing at City Hall.",
        b="The city council approved the new budget on Wednesday after a long public hearing at City Hall.",
    )
    assert c.kind == "date"
    assert _sides(c) == {"tuesday": {"a"}, "wednesday": {"b"}}


def test_a_different_date_is_a_conflict() -> None:
    [c] = _conflicts(
        a="The two stations of the metro extension opened to passengers on March 3 after four years of work.",
        b="The two stations of the metro extension opened to passengers on March 5 after four years of work.",
    )
    assert {s.value for s in c.sides} == {"March 3", "March 5"}


def test_a_different_place_is_a_conflict() -> None:
    [c] = _conflicts(
        a="The flood wall gave way at Millbank early on Saturday afternoon, sending water through the streets.",
        b="The flood wall gave way at Coldharbour early on Saturday afternoon, sending water through the streets.",
    )
    assert c.kind == "place"
    assert _sides(c) == {"at millbank": {"a"}, "at coldharbour": {"b"}}


def test_opposite_compass_directions_are_a_conflict() -> None:
    [c] = _conflicts(
        a="Milley met his Ukrainian counterpart at an undisclosed location in south-eastern Poland on Tuesday.",
        b="Milley met his Ukrainian counterpart at an undisclosed location in south-western Poland on Tuesday.",
        c="The two generals met at a military base in southeastern Poland and talked for two hours.",
    )
    assert c.kind == "place"
    assert _sides(c) == {"south-eastern poland": {"a", "c"}, "south-western poland": {"b"}}


def test_the_same_quotation_given_to_two_people_is_an_attribution_conflict() -> None:
    quote = "\u201cYou treated the savings of ordinary people as your personal piggy bank,\u201d"
    [c] = _conflicts(
        wire=f"{quote} Judge Helen Marsh told the court on Friday.",
        local=f"{quote} prosecutor Daniel Okafor said at the hearing on Friday.",
    )
    assert c.kind == "attribution"
    assert {frozenset(s.sources) for s in c.sides} == {frozenset({"wire"}), frozenset({"local"})}
    assert any("Marsh" in s.value for s in c.sides) and any("Okafor" in s.value for s in c.sides)


@pytest.mark.parametrize(("a", "b"), [
    ("The talks lasted about two hours, the spokesman said.", "The talks lasted a couple of hours, the spokesman said."),
    ("The talks lasted 2 hours at the base, the spokesman said.", "The talks lasted 120 minutes at the base, the spokesman said."),
    ("The measure passed with 49.6% of the vote on Sunday.", "The measure passed with 50% of the vote on Sunday."),
    ("The company paid 1.2 billion dollars for the brewer.", "The company paid $1,200 million for the brewer."),
    ("Nearly 50 people were evacuated from the tower.", "Some 48 people were evacuated from the tower."),
    ("Milley met Valeriy Zaluzhnyi in Poland on Tuesday.", "Milley met Valerii Zaluznyi in Poland on Tuesday."),
    ("The delegation arrived in Kyiv on Monday for talks.", "The delegation arrived in Kiev on Monday for talks."),
    ("The two generals met in Poland on Tuesday near the border.", "The two generals met in Poland on January 17 near the border."),
    ("The river reached 5.8 metres at the town bridge.", "The river reached 5.8m at the town bridge."),
    ("Temperatures hit 38 Celsius across the region on Monday.", "Temperatures hit 100 degrees Fahrenheit across the region on Monday."),
])
def test_rounding_units_hedges_spellings_and_matching_dates_are_not_conflicts(a: str, b: str) -> None:
    assert _conflicts(a=a, b=b) == []


def test_number_agreement_rules() -> None:
    [twelve] = extract_quantities("12 people were injured")
    [fourteen] = extract_quantities("fourteen people were injured")
    [at_least] = extract_quantities("at least 12 people were injured")
    assert not agree(twelve, fourteen)
    assert agree(at_least, fourteen)  # 14 is "at least 12", and close to it
    [bound] = extract_quantities("more than 60 people were rescued")
    [fifty] = extract_quantities("50 people were rescued")
    assert not agree(bound, fifty)


def test_weekday_and_date_agree_unless_a_year_says_otherwise() -> None:
    [tuesday] = extract_dates("on Tuesday")
    [jan17] = extract_dates("on January 17")
    [jan17_2023] = extract_dates("on January 17, 2023")
    [jan18_2023] = extract_dates("on January 18, 2023")
    assert dates_agree(tuesday, jan17)
    assert dates_agree(tuesday, jan17_2023)  # 17 January 2023 was a Tuesday
    assert not dates_agree(tuesday, jan18_2023)


@pytest.mark.parametrize(("a", "b", "same"), [
    ("Zaluzhnyi", "Zaluznyi", True), ("Valeriy", "Valerii", True), ("Kyiv", "Kiev", True),
    ("Kharkiv", "Kharkov", True), ("Lviv", "Kyiv", False), ("Milley", "Miller", False),
])
def test_transliterations_are_one_name(a: str, b: str, same: bool) -> None:
    assert same_name(a, b) is same
