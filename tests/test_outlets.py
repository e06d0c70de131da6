"""Sources named by their outlet ("the Courier says") are read as the source they name; a
structured conflict position is read with its entry's question."""

import pytest
from conftest import unit_reasons

from evals.outlets import mark_outlets
from evals.scorer import score_deterministic
from evals.source_index import build_index
from evals.suite import Case

BUDGET = "01-council-budget-vote"  # local is the Port Aldine Courier, broadcast is KPAL News 7


@pytest.mark.parametrize(("text", "marked"), [
    ("The Courier reported 6-3.", "The Courier [local] reported 6-3."),
    ("According to the Port Aldine Courier, the cut was $2.4 million.",
     "According to the Port Aldine Courier [local], the cut was $2.4 million."),
    ("KPAL says 7-2.", "KPAL [broadcast] says 7-2."),
    ("The vote was 6-3 (Courier).", "The vote was 6-3 (local)."),
    ("The vote was 6-3 (Courier) [local].", "The vote was 6-3 (local) [local]."),
])
def test_an_outlet_in_a_reporting_position_is_marked_with_its_source(newsroom_cases: dict[str, Case], text: str,
                                                                     marked: str) -> None:
    assert mark_outlets(text, build_index(newsroom_cases[BUDGET].sources).outlets) == marked


@pytest.mark.parametrize("text", [
    "The Council said no.",  # the newsletter names the council, but so does the news: no outlet
    "The Courier building is downtown.",  # no reporting position
    "KPAL News 7 [broadcast] says 7-2.",  # already marked
])
def test_other_capitalized_words_are_left_alone(newsroom_cases: dict[str, Case], text: str) -> None:
    assert mark_outlets(text, build_index(newsroom_cases[BUDGET].sources).outlets) == text


def test_a_value_credited_to_an_outlet_is_checked_against_its_source(newsroom_cases: dict[str, Case]) -> None:
    case = newsroom_cases[BUDGET]
    # The Courier gives $2.4 million for the library cut; the wire and KPAL give $3.1 million.
    reasons = unit_reasons(case, "The Courier put the library cut at $3.1 million.")
    assert any("is not in source local" in r for r in reasons), reasons
    assert not unit_reasons(case, "The Courier put the library cut at $2.4 million.")


def test_a_position_is_read_with_its_question(newsroom_cases: dict[str, Case]) -> None:
    case = newsroom_cases["18-teachers-strike-dates"]
    summary = {"headline": "Riverton teachers set strike", "facts": [],
               "conflicts": [{"question": "Who announced the strike date?", "positions": [
                   {"claim": "Union president Linda Farrow", "sources": ["wire", "release"]},
                   {"claim": "Chief negotiator Tomás Reyes", "sources": ["local", "broadcast"]}]}]}
    verdicts = {v.conflict: v.outcome for v in score_deterministic(case, summary).conflicts.conflicts}
    assert verdicts["C2"] == "surfaced", verdicts
    # The question alone states no side: a position must match part of its side itself.
    summary["conflicts"][0]["positions"] = [{"claim": "The union", "sources": ["wire"]},
                                            {"claim": "Someone else", "sources": ["local"]}]
    verdicts = {v.conflict: v.outcome for v in score_deterministic(case, summary).conflicts.conflicts}
    assert verdicts["C2"] != "surfaced", verdicts
