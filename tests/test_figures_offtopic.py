"""A figure the sources give for something else; sources the gold declares off-topic; sides
given as competing accounts in separate sentences; traps written with an appositive comma."""

import json
from pathlib import Path

import pytest
from conftest import unit_reasons

from evals.gold import load_gold
from evals.scorer import score_deterministic
from evals.suite import Case
from summarizer.errors import InputError

NEWSROOM = Path(__file__).resolve().parent.parent / "evals/suites/newsroom"


@pytest.mark.parametrize(("case_id", "text", "word"), [
    ("29-earthquake-three-tolls", "About 2,500 families slept outdoors.", "families"),  # 2,500 tents
    ("29-earthquake-three-tolls", "Some 9,000 households were left homeless.", "households"),  # 9,000 blankets
    ("29-earthquake-three-tolls", "Of the injured, 61 are critical.", "critical"),  # "61 are hospitalised"
    # "24 ships and submarines, 15 aircraft": the word is there, but another number counts it
    ("23-naval-exercise-location", "The drill involves 15 submarines.", "submarines"),
])
def test_a_figure_the_sources_give_for_something_else_is_flagged(newsroom_cases: dict[str, Case], case_id: str,
                                                                 text: str, word: str) -> None:
    reasons = unit_reasons(newsroom_cases[case_id], text)
    assert any(f"not for '{word}'" in r for r in reasons), reasons


@pytest.mark.parametrize(("case_id", "text"), [
    ("29-earthquake-three-tolls", "Some 2,500 tents have been handed out."),
    ("29-earthquake-three-tolls", "About 1,400 buildings were damaged, 310 of them destroyed."),
    ("29-earthquake-three-tolls", "~1.4k bldgs damaged."),  # shorthand for the same word
    ("29-earthquake-three-tolls", "212 injured."),  # "Injured: 212": no other word counted
    ("07-telescope-exoplanet-claim", "The planet is 121 light-years from Earth."),
    ("29-earthquake-three-tolls", "61 hospitalised."),
    ("23-naval-exercise-location", "Some 15 aircraft take part."),
    ("23-naval-exercise-location", "There are 24 submarines and ships."),  # "24 ships and submarines"
    ("02-river-flood-evacuation", "About 1,200 evacuated."),  # "1,200 residents were evacuated"
])
def test_a_figure_for_what_the_sources_count_is_supported(newsroom_cases: dict[str, Case], case_id: str, text: str) -> None:
    assert not any("but not for" in r for r in unit_reasons(newsroom_cases[case_id], text))


HOLLIS = "Detective Inspector Mark Hollis said police were keeping an open mind about how it started."


def test_an_off_topic_source_supports_nothing(newsroom_cases: dict[str, Case]) -> None:
    case = newsroom_cases["05-chemical-plant-fire-mixed-cluster"]
    assert "regional" in case.gold.off_topic
    reasons = unit_reasons(case, HOLLIS)
    assert any("name 'Hollis' is not in any source" in r for r in reasons), reasons
    cited = unit_reasons(case, "Detective Inspector Mark Hollis kept an open mind [regional].")
    assert any("reports another event" in r for r in cited), cited


def test_without_the_declaration_the_off_topic_source_would_support_it(newsroom_cases: dict[str, Case]) -> None:
    case = newsroom_cases["05-chemical-plant-fire-mixed-cluster"]
    undeclared = case.model_copy(update={"gold": case.gold.model_copy(update={"off_topic": []})})
    assert unit_reasons(undeclared, HOLLIS) == []


def test_gold_refuses_an_unknown_or_cited_off_topic_source(tmp_path: Path) -> None:
    gold = json.loads((NEWSROOM / "30-mining-accident-injection-mixed/gold.json").read_text())
    ids = [p.stem for p in (NEWSROOM / "30-mining-accident-injection-mixed/sources").glob("*.txt")]
    for off, needle in ((["nosuch"], "unknown source id"), ([gold["facts"][0]["sources"][0]], "cites off-topic")):
        path = tmp_path / "gold.json"
        path.write_text(json.dumps({**gold, "off_topic": off}))
        with pytest.raises(InputError, match=needle):
            load_gold(path, source_ids=ids)


def _outcome(case: Case, text: str, conflict: str) -> str:
    card = score_deterministic(case, text)
    return next(v.outcome for v in card.conflicts.conflicts if v.conflict == conflict)


def test_sides_given_as_accounts_in_separate_sentences_are_surfaced(newsroom_cases: dict[str, Case]) -> None:
    case = newsroom_cases["22-drought-crop-losses"]
    accounts = ("The minister puts the losses at about $1.4 billion. Rain was scarce all season. "
                "The farmers' alliance says losses will reach $2.1 billion.")
    assert _outcome(case, accounts, "C1") == "surfaced"
    facts = "Losses are about $1.4 billion. Rain was scarce all season. Losses will reach $2.1 billion."
    assert _outcome(case, facts, "C1") == "one_sided"
    one_voice = "Losses are about $1.4 billion, the minister said. Losses may reach $2.1 billion, the minister said."
    assert _outcome(case, one_voice, "C1") == "one_sided"
    assert _outcome(case, accounts + " The sources do not disagree.", "C1") == "one_sided"


def test_a_trap_is_caught_with_an_appositive_comma(newsroom_cases: dict[str, Case]) -> None:
    case = newsroom_cases["09-fraud-trial-verdict"]
    [v] = score_deterministic(case, "His finance director, Priya Nandakumar, was jailed.").hallucination.verdicts
    assert v.label == "trap"


@pytest.mark.parametrize("text", [
    "Soldiers worked in the worst-hit villages.",
    "Orhavi and the villages around it took the worst of it.",
])
def test_which_part_was_worst_hit_is_no_embellishment(newsroom_cases: dict[str, Case], text: str) -> None:
    assert not any("is said of this in no source" in r for r in unit_reasons(newsroom_cases["29-earthquake-three-tolls"], text))


def test_the_worst_earthquake_is_still_an_embellishment(newsroom_cases: dict[str, Case]) -> None:
    reasons = unit_reasons(newsroom_cases["29-earthquake-three-tolls"], "It was the worst earthquake in the province's history.")
    assert any("'worst' is said of this in no source" in r for r in reasons), reasons


def test_a_noun_record_supports_no_superlative(newsroom_cases: dict[str, Case]) -> None:
    # The sources say the driver "had a clean record": that is no record crash.
    case = newsroom_cases["14-highway-bus-crash-direction"]
    reasons = unit_reasons(case, "It was the worst bus crash the driver's company had seen.")
    assert any("'worst' is said of this in no source" in r for r in reasons), reasons


def test_on_record_supports_a_superlative(newsroom_cases: dict[str, Case]) -> None:
    # "the driest winter and spring on record across the Wimmera and Mallee"
    case = newsroom_cases["22-drought-crop-losses"]
    assert not unit_reasons(case, "It was the worst winter and spring on record across the Wimmera and Mallee.")


def _trap(case: Case, text: str) -> str | None:
    [v] = score_deterministic(case, text).hallucination.verdicts
    return v.trap


def test_a_telegraphic_trap_without_its_auxiliary_is_made(newsroom_cases: dict[str, Case]) -> None:
    # T3's pattern says "tanyard estate was cleared"; a wire brief drops the "was".
    assert _trap(newsroom_cases["02-river-flood-evacuation"], "Rest centres open; Tanyard estate cleared.") == "T3"


def test_a_trap_under_a_condition_is_not_made(newsroom_cases: dict[str, Case]) -> None:
    case = newsroom_cases["18-teachers-strike-dates"]
    assert _trap(case, "Teachers to strike unless deal reached.") is None
    assert _trap(case, "A deal was reached late on Sunday.") == "T6"


def test_a_trap_denied_after_its_words_is_not_made(newsroom_cases: dict[str, Case]) -> None:
    case = newsroom_cases["09-fraud-trial-verdict"]
    [v] = score_deterministic(case, "Nandakumar was jailed, a report the court denied.").hallucination.verdicts
    assert v.label != "trap"


def test_a_short_capitalized_abbreviation_is_no_name(newsroom_cases: dict[str, Case]) -> None:
    assert not any("OK" in r for r in unit_reasons(newsroom_cases["18-teachers-strike-dates"], "Members OK'd the strike."))
