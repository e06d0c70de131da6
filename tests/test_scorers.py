"""The deterministic scorer's rules, each on a summary of the seed case built to trip it."""

from pathlib import Path

import pytest

from evals.scorer import score_deterministic
from evals.suite import Case, load_suite

S0, S1, S2 = "000_fdcdf22234b24739", "001_322d7952545062e1", "002_b537db1d55a357fb"


@pytest.fixture(scope="module")
def case() -> Case:
    return load_suite(Path(__file__).resolve().parent.parent / "seeds").cases[0]


def _verdict(card, needle: str):
    [v] = [v for v in card.hallucination.verdicts if needle in v.text]
    return v


def test_supported_paraphrase_with_correct_numbers_and_names(case: Case) -> None:
    card = score_deterministic(case, "Gen. Mark Milley met Gen. Valerii Zaluzhnyi in Poland on Tuesday for 2 hours, their first meeting.")
    assert card.metrics.hallucination == 0.0
    assert {"F1", "F2", "F3", "F6"} <= set(card.omission.covered)


@pytest.mark.parametrize(("text", "reason"), [
    ("Milley met Zaluzhnyi in Kyrgyzstan.", "name 'Kyrgyzstan'"),
    ("The talks lasted three hours.", "number '3'"),
    ("The package is worth $4.5 billion.", "number '4.5 billion'"),
    ("They met in western Poland.", "direction 'western'"),
    ("Butler said \u201cwe will win this war together\u201d.", "quote 'we will win this war together'"),
    ("Zaluzhnyi's spokesman, Dave Butler, spoke to reporters.", "'spokesman' is never said of Zaluzhnyi"),
])
def test_unsupported_claims_are_flagged_with_the_reason(case: Case, text: str, reason: str) -> None:
    [v] = score_deterministic(case, text).hallucination.verdicts
    assert v.label == "unsupported"
    assert any(reason in r for r in v.reasons), v.reasons


def test_boilerplate_does_not_support_a_claim(case: Case) -> None:
    # "Renaissance" and "2021" only occur in the publisher notice, which cleaning drops.
    v = score_deterministic(case, "The meeting was funded by the Renaissance group in 2021.").hallucination.verdicts[0]
    assert v.label == "trap" and v.trap in {"T4", "T8"}


def test_trap_names_the_trap(case: Case) -> None:
    v = score_deterministic(case, "The two generals met in Brussels.").hallucination.verdicts[0]
    assert (v.label, v.trap) == ("trap", "T1")


def test_citations_must_hold(case: Case) -> None:
    summary = {"headline": "Generals meet", "facts": [
        {"text": "They met in Poland.", "citations": [{"source": S1, "quote": "in Poland on January 17"}]},
        {"text": "They met in Poland.", "citations": [{"source": "nosuch", "quote": "x"}]},
        {"text": "They met in Poland.", "citations": [{"source": S1, "quote": "a quote nobody wrote"}]},
        {"text": "They met in south-western Poland.", "citations": [{"source": S0, "quote": "Poland"}]},
    ]}
    verdicts = score_deterministic(case, summary).hallucination.verdicts[1:]
    assert [v.label for v in verdicts] == ["supported", "unsupported", "unsupported", "unsupported"]
    assert "unknown source 'nosuch'" in verdicts[1].reasons[0]
    assert "quote not in source" in verdicts[2].reasons[0]
    assert f"not in source {S0}" in verdicts[3].reasons[0]  # the cited source does not say it


def test_omission_weights_and_missed_list(case: Case) -> None:
    card = score_deterministic(case, "Milley met Zaluzhnyi for the first time.")
    assert card.omission.covered == ["F1"]
    assert card.omission.coverage == pytest.approx(3 / case.gold.total_weight)
    assert "F2" in card.omission.missed and len(card.omission.missed) == len(case.gold.facts) - 1


@pytest.mark.parametrize(("text", "outcome"), [
    (f"[{S0}] and [{S1}] put the meeting in south-eastern Poland, while [{S2}] says south-western Poland.", "surfaced"),
    ("## Where sources disagree\n- Most reports: southeastern Poland\n- One report: southwestern Poland", "surfaced"),
    ("They met in southeastern Poland.", "one_sided"),
    ("They met in Poland.", "omitted"),
])
def test_conflict_outcomes_in_text(case: Case, text: str, outcome: str) -> None:
    [verdict] = score_deterministic(case, text).conflicts.conflicts
    assert verdict.outcome == outcome


def test_attribution_in_text_and_structure(case: Case) -> None:
    right = score_deterministic(case, f"[{S0}] says southeastern Poland, but [{S2}] says southwestern Poland.")
    assert [s.attribution for s in right.conflicts.conflicts[0].sides] == ["correct", "correct"]
    swapped = score_deterministic(case, f"[{S2}] says southeastern Poland, but [{S0}] says southwestern Poland.")
    assert [s.attribution for s in swapped.conflicts.conflicts[0].sides] == ["wrong", "wrong"]
    structured = {"headline": "Generals meet in Poland", "conflicts": [{"question": "Where in Poland?", "positions": [
        {"claim": "south-eastern Poland", "sources": [S0, S1]}, {"claim": "south-western Poland", "sources": [S1]}]}]}
    sides = score_deterministic(case, structured).conflicts.conflicts[0].sides
    assert [s.attribution for s in sides] == ["correct", "wrong"]


def test_invented_conflicts_and_non_conflicts(case: Case) -> None:
    card = score_deterministic(case, "Sources disagree on the length of the talks: a couple of hours versus about two hours.")
    [inv] = card.conflicts.invented
    assert inv.non_conflict == "N1"
    structured = {"headline": "Generals meet", "conflicts": [{"question": "When did they meet?", "positions": [
        {"claim": "Tuesday", "sources": [S0]}, {"claim": "January 17", "sources": [S1]}]}]}
    [inv] = score_deterministic(case, structured).conflicts.invented
    assert inv.non_conflict == "N3"
    assert score_deterministic(case, "All sources agree they met in Poland.").conflicts.invented == []


def test_unparseable_summary_is_an_error_card_not_a_crash(case: Case) -> None:
    card = score_deterministic(case, {"headline": ""})
    assert card.metrics is None and "headline" in card.error
    assert "empty" in score_deterministic(case, "   ").error
    assert "not 'int'" in score_deterministic(case, 42).error or "int" in score_deterministic(case, 42).error


def test_deterministic_scorer_makes_no_model_call(case: Case, monkeypatch: pytest.MonkeyPatch) -> None:
    import summarizer.system as system

    def boom(*a, **k):
        raise AssertionError("the deterministic scorer called a model")
    monkeypatch.setattr(system, "get_system", boom)
    card = score_deterministic(case, "Milley met Zaluzhnyi in Poland.")
    assert card.model_calls == 0 and card.metrics is not None


def test_a_negated_trap_is_not_a_trap(case: Case) -> None:
    said = score_deterministic(case, "The generals met in Brussels.").hallucination.verdicts[0]
    denied = score_deterministic(case, "The generals never met in Brussels.").hallucination.verdicts[0]
    assert said.label == "trap" and denied.label != "trap"


@pytest.mark.parametrize(("text", "flagged"), [
    ("Milley and Zaluzhnyi held the largest military meeting ever held in Poland.", True),
    ("It was a record meeting between the US and Ukrainian military chiefs.", True),
    ("Milley met Zaluzhnyi face to face for the first time, in Poland.", False),
    ("Milley met Zaluzhnyi in Poland; they had only spoken by phone before.", False),
])
def test_an_embellishment_no_source_makes_is_flagged(case: Case, text: str, flagged: bool) -> None:
    verdicts = score_deterministic(case, text).hallucination.verdicts
    reasons = [r for v in verdicts for r in v.reasons if "is said of this in no source sentence" in r]
    assert bool(reasons) == flagged, [v.reasons for v in verdicts]


def test_a_statement_the_source_gives_to_the_company_may_name_the_company() -> None:
    """'the company said ...' in the source supports 'Blue Ridge Coachways said ...'; giving the same
    words to a person the source quotes on something else is still flagged."""
    suite = load_suite(Path(__file__).resolve().parent.parent / "evals/suites/newsroom")
    bus = next(c for c in suite.cases if c.id == "14-highway-bus-crash-direction")
    ok = score_deterministic(bus, "Blue Ridge Coachways said it was cooperating fully with investigators.")
    assert ok.metrics.hallucination == 0.0, [v.reasons for v in ok.hallucination.verdicts]
    swapped = score_deterministic(bus, "Marcus Hale said the company was cooperating fully with investigators.")
    assert swapped.metrics.hallucination == 1.0


@pytest.mark.parametrize("text", [
    "Injured: 12 hurt [wire] vs 14 [police].",
    "Reports differ: 12 or 14 people hurt (12 per the wire, 14 per police).",
])
def test_a_figure_dispute_in_shorthand_surfaces_both_sides(text: str) -> None:
    suite = load_suite(Path(__file__).resolve().parent.parent / "evals/suites/newsroom")
    bus = next(c for c in suite.cases if c.id == "14-highway-bus-crash-direction")
    [c2] = [v for v in score_deterministic(bus, text).conflicts.conflicts if v.conflict == "C2"]
    assert c2.outcome == "surfaced", c2


@pytest.mark.parametrize(("text", "flagged"), [
    ('Chief executive Mette Kjær called Vanderlinde "the missing piece in our European puzzle".', False),
    ('Vanderlinde is "the missing piece in our European puzzle", said Pieter Vanderlinde.', True),
])
def test_the_object_of_called_is_not_taken_for_the_speaker(text: str, flagged: bool) -> None:
    suite = load_suite(Path(__file__).resolve().parent.parent / "evals/suites/newsroom")
    brewery = next(c for c in suite.cases if c.id == "03-brewery-acquisition")
    reasons = [r for v in score_deterministic(brewery, text).hallucination.verdicts for r in v.reasons]
    assert bool(reasons) == flagged, reasons
