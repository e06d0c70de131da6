"""The realistic label sets (blind, six styles): the newsroom split holds, and the scorer's figures
on the two held-out sets (newsroom's test half, and fresh, labelled after the rules were written)
do not fall below the floor measured when the rules were last changed.

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
# Measured with `eventsum eval meta SUITE LABELS` on each held-out set, less 0.02 for label
# additions: (balanced accuracy per metric, hallucination precision).
HELD_OUT = {
    "newsroom-test": ("evals/suites/newsroom", "evals/suites/newsroom/labels-realistic/test",
                      {"omission": 0.90, "hallucination": 0.72, "conflict handling": 0.85,
                       "invented conflicts": 0.97, "traps": 0.88}, 0.46),
    "fresh": ("evals/suites/fresh", "evals/suites/fresh/labels-realistic",
              {"omission": 0.88, "hallucination": 0.72, "conflict handling": 0.90,
               "invented conflicts": 0.97, "traps": 0.76}, 0.33),
}


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


@pytest.fixture(scope="module", params=sorted(HELD_OUT))
def held_out(request):
    suite_dir, labels, floor, precision_floor = HELD_OUT[request.param]
    suite = load_suite(REPO / suite_dir)
    report = meta_evaluate({c.id: c for c in suite.cases}, sorted((REPO / labels).glob("*.jsonl")),
                           get_scorer("deterministic"))
    return report, floor, precision_floor


def test_each_held_out_set_is_large_and_scores_without_errors(held_out) -> None:
    report, _, _ = held_out
    # A labelled substring the unit splitter cuts across is reported, not fatal; only a few may be.
    unplaced = [e for e in report.errors if "matches no unit" in e]
    assert len(unplaced) <= 2 and len(report.errors) == len(unplaced), report.errors
    assert report.summaries >= 80
    assert set(report.by_style) == STYLES


def test_the_scorer_holds_its_floor_on_each_held_out_set(held_out) -> None:
    report, floor, precision_floor = held_out
    got = {s.metric: s.balanced_accuracy for s in report.stats}
    below = {m: round(got[m] or 0.0, 3) for m, f in floor.items() if (got[m] or 0.0) < f}
    assert not below, f"below the floor {floor}: {below}"
    hall = next(s for s in report.stats if s.metric == "hallucination")
    assert (hall.precision or 0.0) >= precision_floor, hall
