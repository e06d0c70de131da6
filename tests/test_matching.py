"""The gold matcher: whole words, prefixes, normalization, numbers, scripts."""

import pytest

from evals.matching import match_groups, matches
from summarizer.text import normalize


@pytest.mark.parametrize(("groups", "text", "expected"), [
    ([["four"]], "fourteen people", False),
    ([["four"]], "four people", True),
    ([["war"]], "talks in Warsaw", False),
    ([["war"]], "the war, again", True),
    ([["zaluzhn*"]], "Gen. Valerii Zaluzhnyi said", True),
    ([["zaluzhn*"]], "Zaluzny said", False),
    ([["southeast*", "south-east*"]], "in southeastern Poland", True),
    ([["southeast*", "south-east*"]], "in south\u2013eastern Poland", True),   # en dash
    ([["southeast*", "south-east*"]], "in south-western Poland", False),
    ([["milley"], ["zaluzhn*"]], "Milley met his counterpart", False),   # every group must match
    ([["milley"], ["zaluzhn*"]], "MILLEY met ZALUZHNYI", True),           # case
    ([["valerii"]], "Valérii", True),                                     # accents
    ([["two hours"]], "two\n  hours", True),                              # whitespace
    ([["3.75 billion"]], "worth $3.75 billion.", True),                   # currency sign before, period after
    ([["3"]], "worth $3.75 billion", False),                              # a number is a whole token
    ([["75"]], "worth $3.75 billion", False),
    ([["000"]], "1,000 rockets", False),
    ([["14"]], "14, not 12", True),
    ([["52"]], "the quake struck at 3:52 a.m.", False),                  # not a number inside a time
    ([["3:52"]], "the quake struck at 3:52 a.m.", True),
    ([["6.3"]], "a magnitude of 6.3.", True),                             # a decimal ending a sentence
    ([["63"]], "a magnitude of 6.3.", False),                                       # comma after a number
    ([["12"]], "injured (12).", True),
    ([["us"]], "the U.S. Department of Defense", True),                   # dotted abbreviation
    ([["milley's"]], "Milley\u2019s spokesman", True),                    # curly apostrophe
    ([["контрнаступ*"]], "переходимо до КОНТРНАСТУПАЛЬНИХ дій", True),    # Cyrillic, case, prefix
    ([["залужний"]], "Залужний звірився з Міллі", True),                  # Cyrillic with й (accent-stripped both sides)
    ([["залужний"]], "Залужного", False),
])
def test_match_rules(groups: list[list[str]], text: str, expected: bool) -> None:
    assert matches(groups, text) is expected


def test_hits_say_which_alternative_matched_and_where() -> None:
    hits = match_groups([["southwest*", "south-west*"], ["poland"]], "met in South-Western Poland")
    assert hits is not None
    assert [h.alternative for h in hits] == ["south-west*", "poland"]
    assert hits[0].text == "south-western"
    assert normalize("met in South-Western Poland")[hits[1].start:hits[1].end] == "poland"


def test_normalize_unifies_quotes_dashes_and_case() -> None:
    assert normalize("\u201cVery\u00a0Strong\u201d \u2014 Duda\u2019s") == "\"very strong\" - duda's"
