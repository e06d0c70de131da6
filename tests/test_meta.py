"""The meta-evaluation: the deterministic scorer measured against hand-labelled summaries.

Labels are complete (precision is measured as well as recall). The bar: balanced accuracy
>= 0.95 on every metric, on the seed case's labelled set and on the newsroom suite's.
"""

from pathlib import Path

import pytest

from evals.meta import label_files, meta_evaluate
from evals.scorer import get_scorer
from evals.suite import load_suite

REPO = Path(__file__).resolve().parent.parent
BAR = 0.95


def _report(suite: Path):
    loaded = load_suite(suite)
    assert loaded.errors == []
    return meta_evaluate({c.id: c for c in loaded.cases}, label_files(suite, []), get_scorer("deterministic"))


@pytest.mark.parametrize("suite", ["seeds", "evals/suites/newsroom"])
def test_deterministic_scorer_holds_the_bar(suite: str) -> None:
    report = _report(REPO / suite)
    assert report.errors == []
    assert report.summaries >= 60
    scores = {s.metric: s.balanced_accuracy for s in report.stats}
    assert set(scores) == {"omission", "hallucination", "conflict handling", "invented conflicts", "traps"}
    below = {m: round(v, 3) for m, v in scores.items() if v is None or v < BAR}
    assert not below, f"{suite}: below {BAR}: {below}; run `eventsum eval meta {suite}` for the disagreements"


def test_meta_counts_disagreements_both_ways(tmp_path: Path) -> None:
    """A label that is wrong on purpose shows up as a disagreement, and precision drops."""
    suite = REPO / "seeds"
    good = tmp_path / "good.jsonl"
    good.write_text('{"case_id": "milley-zaluzhnyi-poland", "summary": "They met in Rzeszow.", '
                    '"expect": {"covered": [], "hallucinated": ["Rzeszow"], "conflicts": {"C1": "omitted"}}}\n')
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"case_id": "milley-zaluzhnyi-poland", "summary": "They met in Poland.", '
                   '"expect": {"covered": ["F2"], "hallucinated": ["They met"], "conflicts": {"C1": "omitted"}}}\n'
                   "not json\n")
    cases = {c.id: c for c in load_suite(suite).cases}
    ok = meta_evaluate(cases, [good], get_scorer("deterministic"))
    assert ok.disagreements == [] and ok.summaries == 1
    wrong = meta_evaluate(cases, [bad], get_scorer("deterministic"))
    assert wrong.summaries == 1 and any("line 2" in e for e in wrong.errors)
    [d] = wrong.disagreements
    assert (d.metric, d.expected, d.got) == ("hallucination", "True", "False")
    hall = next(s for s in wrong.stats if s.metric == "hallucination")
    assert hall.recall == 0.0
