"""The one normalization layer: shorthand, number words, magnitudes and units in one spelling."""

import pytest

from evals.canonical import expand
from evals.matching import matches


@pytest.mark.parametrize("text, canonical", [
    ("Thu 12 Jun", "Thursday 12 June"),
    ("Gov. Hale", "Governor Hale"),
    ("Elm Rd", "Elm Road"),
    ("ex-Gov.", "former Governor"),
    ("9.5 yrs", "9.5 years"),
    ("nine and a half years", "9.5 years"),
    ("~6 hrs", "about 6 hours"),
    ("twenty-seven", "27"),
    ("25,000 people", "25 thousand people"),
    ("25k people", "25 thousand people"),
    ("£1.2m", "1.2 million pounds"),
    ("$412.6 million", "412.6 million dollars"),
    ("44%", "44 percent"),
    ("44 per cent", "44 percent"),
    ("1.6km", "1.6 km"),
    ("kilomètres", "km"),
    ("6 v 7", "6 vs 7"),
    ("NB nr exit 12", "northbound near exit 12"),
    ("Health Auth", "Health Authority"),
    ("(wire, bcast)", "(wire, broadcast)"),
    ("nine years and six months", "9.5 years"),
    ("EUR800m loan", "800 million euros loan"),
    ("Europe's no. 3 brewer", "Europe's number 3 brewer"),
    ("after 11-wk trial", "after 11-week trial"),
    ("a 3-hr wait", "a 3-hour wait"),
    ("Horsham 98mm", "Horsham 98 mm"),
    ("98 millimetres", "98 mm"),
    ("40KG bags", "40 kg bags"),
])
def test_shorthand_is_written_out(text: str, canonical: str) -> None:
    assert expand(text) == canonical


@pytest.mark.parametrize("text", ["sat down", "the sun rose", "in 2025", "he was one of them"])
def test_ordinary_words_and_years_are_left_alone(text: str) -> None:
    assert expand(text) == text.replace("one", "1")


@pytest.mark.parametrize("pattern, text", [
    ("two hours", "talks ran 2 hrs"),
    ("nine and a half years", "jailed 9.5 yrs"),
    ("25,000", "a crowd of 25k"),
    ("1.2 million", "a £1.2m fee"),
    ("412.6", "a $412.6 million budget"),
    ("44 percent", "turnout 44%"),
    ("former governor", "ex-Gov. Hale"),
])
def test_a_pattern_matches_its_shorthand(pattern: str, text: str) -> None:
    assert matches([[pattern]], text)


@pytest.mark.parametrize("pattern, text", [
    ("two hours", "talks ran 12 hrs"),
    ("25,000", "a crowd of 2.5k"),
    ("4", "14 hurt"),
])
def test_a_different_figure_does_not_match(pattern: str, text: str) -> None:
    assert not matches([[pattern]], text)
