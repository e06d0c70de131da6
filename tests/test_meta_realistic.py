"""The realistic label set (blind, six styles): its split holds, and the scorer's figures on the
held-out test half do not fall below the floor measured when the rules were last changed.

The floor is a regression guard, not the goal: issue 14 asks for balanced accuracy >= 0.95 on
every metric there, which the scorer does not reach yet (see the README's meta-evaluation).
"""

import re
from pathlib import Path

import pytest

from evals.meta import meta_evaluate, read_labels
from evals.scorer import get_scorer
from evals.suite import load_suite

REPO = Path(__file__).resolve().parent.parent
REALISTIC = REPO / "evals/suites/newsroom/labels-realistic"
STYLES = {"abstractive", "flawed", "json", "telegraphic", "attributed", "briefing"}
# Measured on the test half with `eventsum eval meta evals/suites/newsroom
# evals/suites/newsroom/labels-realistic/test`, less 0.02 for label additions.
FLOOR = {"omission": 0.90, "hallucination": 0.69, "conflict handling": 0.81, "invented conflicts": 0.97,
         "traps": 0.88}
HALLUCINATION_PRECISION_FLOOR = 0.36


def _split() -> dict[str, set[str]]:
    text = (REALISTIC / "SPLIT.md").read_text()
    halves = {}
    for half in ("dev", "test"):
        block = re.search(rf"^{half} \(.*?\):(.*?)(?:\n\n|\Z)", text, re.M | re.S)
        assert block, f"SPLIT.md lists no {half} half"
        halves[half] = set(re.findall(r"\d\d-[a-z0-9-]+", block.group(1)))
    return halves


def test_the_halves_are_disjoint_and_every_file_is_in_its_half() -> None:
    halves = _split()
    assert len(halves["test"]) == 15 and not halves["dev"] & halves["test"]
    for half in ("dev", "test"):
        for f in (REALISTIC / half).glob("*.jsonl"):
            labelled = list(read_labels([f]))
            assert labelled and all(not isinstance(x, Exception) for x in labelled), f
            assert {x.case_id for x in labelled} <= halves[half], f"{f.name} is not in the {half} half"
            assert {x.style for x in labelled} <= STYLES, f


@pytest.fixture(scope="module")
def test_report():
    suite = load_suite(REPO / "evals/suites/newsroom")
    return meta_evaluate({c.id: c for c in suite.cases}, sorted((REALISTIC / "test").glob("*.jsonl")),
                         get_scorer("deterministic"))


def test_the_test_half_is_large_and_scores_without_errors(test_report) -> None:
    # A labelled substring the unit splitter cuts across is reported, not fatal; only a few may be.
    unplaced = [e for e in test_report.errors if "matches no unit" in e]
    assert len(unplaced) <= 2 and len(test_report.errors) == len(unplaced), test_report.errors
    assert test_report.summaries >= 100
    assert set(test_report.by_style) == STYLES


def test_the_scorer_holds_its_floor_on_the_test_half(test_report) -> None:
    got = {s.metric: s.balanced_accuracy for s in test_report.stats}
    below = {m: round(got[m] or 0.0, 3) for m, floor in FLOOR.items() if (got[m] or 0.0) < floor}
    assert not below, f"below the floor {FLOOR}: {below}"
    hall = next(s for s in test_report.stats if s.metric == "hallucination")
    assert (hall.precision or 0.0) >= HALLUCINATION_PRECISION_FLOOR, hall
