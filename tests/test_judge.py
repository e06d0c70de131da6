"""The judge and hybrid scorers: one call per summary, validated ids, repeats and agreement.

The fake backend answers through the real instructor + StructuredClient path, so what is
tested is the parsing, re-asking and merging; the call to a real model server is the same
client the summarizer's loopback tests exercise.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pydantic import ValidationError

from evals.judge import JudgeConfig, judge_card
from evals.judge_schema import answer_model, as_lists
from evals.scorer import get_scorer, score_deterministic
from evals.suite import Case, load_suite
from summarizer.backends.base import register_backend
from summarizer.backends.fake import FakeBackend
from summarizer.errors import EventsumError

REPO = Path(__file__).resolve().parent.parent
SUMMARY = "Milley met Zaluzhnyi in Poland for the first time.\nThey met in southeastern Poland."


@pytest.fixture(scope="module")
def case() -> Case:
    return load_suite(REPO / "seeds").cases[0]


@pytest.fixture
def fake() -> FakeBackend:
    backend = FakeBackend()
    register_backend("fakejudge", lambda rest, url, settings: backend)
    return backend


def _answer(case: Case, *, unit0: bool = True, facts_covered: tuple[str, ...] = ("F1", "F2"),
            outcome: str = "one_sided", skip_fact: str | None = None) -> str:
    """An answer in the per-call form: one field per unit, fact and conflict."""
    answer: dict[str, object] = {"unit_0": {"supported": unit0, "reason": "" if unit0 else "not said"},
                                 "unit_1": {"supported": True, "reason": ""}}
    answer |= {f"fact_{f.id}": f.id in facts_covered for f in case.gold.facts if f.id != skip_fact}
    return json.dumps(answer | {"conflict_C1": outcome, "invented_units": []})


def test_judge_makes_one_call_and_its_verdicts_are_used(case: Case, fake: FakeBackend) -> None:
    fake.outputs = [_answer(case, unit0=False)]
    card = judge_card(case, SUMMARY, "x", JudgeConfig(model="fakejudge", use_cache=False), hybrid=False)
    assert card.error is None and card.model_calls == 1 and len(fake.calls) == 1
    assert [v.label for v in card.hallucination.verdicts] == ["unsupported", "supported"]
    assert card.omission.covered == ["F1", "F2"] and card.conflicts.conflicts[0].outcome == "one_sided"
    prompt = fake.calls[0]["messages"][-1]["content"]
    assert "[0] Milley met Zaluzhnyi" in prompt and "F23:" in prompt and '<source id="002_b537db1d55a357fb">' in prompt


def test_an_answer_missing_a_fact_is_reasked(case: Case, fake: FakeBackend) -> None:
    fake.outputs = [_answer(case, skip_fact="F5"), _answer(case)]
    card = judge_card(case, SUMMARY, "x", JudgeConfig(model="fakejudge", use_cache=False), hybrid=False)
    assert card.error is None and len(fake.calls) == 2
    assert "fact_F5" in fake.calls[1]["messages"][-1]["content"]  # the re-ask names the missing field


def test_repeats_report_agreement_and_unstable_verdicts(case: Case, fake: FakeBackend) -> None:
    fake.outputs = [_answer(case), _answer(case, unit0=False), _answer(case)]
    card = judge_card(case, SUMMARY, "x", JudgeConfig(model="fakejudge", repeats=3, use_cache=False), hybrid=False)
    assert card.model_calls == 3
    assert card.hallucination.verdicts[0].label == "supported"  # majority of 3
    assert card.judge_agreement.per_verdict["unit 0"] == pytest.approx(2 / 3)
    assert card.judge_agreement.unstable == ["unit 0"]


def test_hybrid_asks_only_what_the_rules_cannot_settle(case: Case, fake: FakeBackend) -> None:
    summary = "Milley met Zaluzhnyi in Kyrgyzstan for the first time."
    answer = {f"fact_{f.id}": False for f in case.gold.facts if f.id != "F1"} | {"conflict_C1": "omitted"}
    fake.outputs = [json.dumps(answer)]
    card = judge_card(case, summary, "x", JudgeConfig(model="fakejudge", use_cache=False), hybrid=True)
    assert card.error is None and card.model_calls == 1
    prompt = fake.calls[0]["messages"][-1]["content"]
    assert "Kyrgyzstan" not in prompt.split("Claim units")[1]  # the rules already flagged that unit
    assert "- F1:" not in prompt  # and already found F1 covered
    assert card.hallucination.verdicts[0].label == "unsupported" and "F1" in card.omission.covered


def test_a_failed_judge_is_an_error_card(case: Case, fake: FakeBackend) -> None:
    fake.outputs = ["not json", "still not json", "nope"]
    card = judge_card(case, SUMMARY, "x", JudgeConfig(model="fakejudge", use_cache=False), hybrid=False)
    assert card.metrics is None and card.error.startswith("judge failed")


def test_judge_needs_a_model() -> None:
    with pytest.raises(EventsumError, match="--judge-model"):
        get_scorer("judge")


def test_the_answer_schema_names_every_id_of_the_call() -> None:
    model = answer_model([0, 2], ["F1", "F3"], ["C1"])
    schema = model.model_json_schema()
    assert set(schema["required"]) == {"unit_0", "unit_2", "fact_F1", "fact_F3", "conflict_C1"}
    assert schema["properties"]["conflict_C1"]["enum"] == ["surfaced", "one_sided", "omitted"]
    with pytest.raises(ValidationError, match="fact_F3"):
        model.model_validate({"unit_0": {"supported": True}, "unit_2": {"supported": False},
                              "fact_F1": True, "conflict_C1": "surfaced"})
    full = model.model_validate({"unit_0": {"supported": True}, "unit_2": {"supported": False, "reason": "x"},
                                 "fact_F1": True, "fact_F3": False, "conflict_C1": "surfaced"})
    lists = as_lists(full, [0, 2], ["F1", "F3"], ["C1"])
    assert [u["unit"] for u in lists["units"]] == [0, 2] and lists["facts"][1] == {"fact": "F3", "covered": False}


def test_hybrid_sends_the_judge_only_unverified_units(case: Case, fake: FakeBackend) -> None:
    # Every unit here is settled by the rules (supported or flagged): none goes to the judge.
    summary = "Milley met Zaluzhnyi in Poland for the first time.\nThey met in Kyrgyzstan."
    missed = score_deterministic(case, summary).omission.missed
    fake.outputs = [json.dumps({f"fact_{f}": False for f in missed} | {"conflict_C1": "omitted"})]
    card = judge_card(case, summary, "x", JudgeConfig(model="fakejudge", use_cache=False), hybrid=True)
    assert card.error is None
    assert "Claim units of the summary:" in fake.calls[0]["messages"][-1]["content"]
    assert "[0]" not in fake.calls[0]["messages"][-1]["content"].split("Claim units of the summary:")[1]
    assert [v.label for v in card.hallucination.verdicts] == ["supported", "unsupported"]


def test_the_invented_list_is_bounded_to_the_units_of_the_call() -> None:
    """An unbounded list of integers let the embedded judge repeat numbers until max_tokens."""
    model = answer_model([0, 2], [], [])
    prop = model.model_json_schema()["properties"]["invented_units"]
    assert prop["maxItems"] == 2 and prop["items"]["enum"] == [0, 2]
    base = {"unit_0": {"supported": True}, "unit_2": {"supported": True}}
    assert model.model_validate(base | {"invented_units": [2]}).invented_units == [2]
    for bad in ([1], [0, 2, 0]):
        with pytest.raises(ValidationError):
            model.model_validate(base | {"invented_units": bad})
    assert answer_model([], ["F1"], []).model_json_schema()["properties"]["invented_units"]["maxItems"] == 0
