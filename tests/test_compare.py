"""Compare: statistics with known answers, and two runs whose differences are known by construction."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.fake_systems import run_system  # also registers lead@1 and lead@2
from evals.compare import compare_runs
from evals.stats import bootstrap_mean, paired_difference, sign_flip_p_value
from summarizer.errors import EventsumError

REPO = Path(__file__).resolve().parent.parent


def test_exact_sign_flip_p_value() -> None:
    # Five cases better by 0.1, one worse by 0.1: 14 of the 64 sign patterns are as extreme.
    p = paired_difference([0.5] * 6, [0.6] * 5 + [0.4])
    assert p.p_value == pytest.approx(14 / 64)
    assert (p.better, p.worse, p.ties) == (5, 1, 0)
    assert p.diff == pytest.approx(0.1 * 4 / 6)
    assert -0.1 <= p.low <= p.diff <= p.high <= 0.1


def test_constant_difference_has_a_degenerate_interval_and_small_p() -> None:
    p = paired_difference([0.2] * 12, [0.5] * 12)
    assert (p.low, p.diff, p.high) == pytest.approx((0.3, 0.3, 0.3))
    assert p.p_value == pytest.approx(2 / 4096)  # exact: only all-positive and all-negative flips
    assert sign_flip_p_value(__import__("numpy").zeros(5)) == 1.0


def test_bootstrap_interval_contains_the_mean_and_repeats() -> None:
    values = [0.1, 0.4, 0.35, 0.8, 0.6, 0.2, 0.9]
    a, b = bootstrap_mean(values), bootstrap_mean(values)
    assert a == b  # fixed seed
    assert a.low < a.mean < a.high and a.n == 7


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    root = tmp_path_factory.mktemp("cmp")
    suite = root / "suite"
    for i in range(6):
        shutil.copytree(REPO / "seeds" / "milley-zaluzhnyi-poland", suite / f"case-{i}", ignore=shutil.ignore_patterns("labels"))
    return suite, run_system(suite, "lead@1", root / "a"), run_system(suite, "lead@2", root / "b")


def test_compare_finds_the_known_differences(runs: tuple[Path, Path, Path]) -> None:
    _, a, b = runs
    result = compare_runs(a, b)
    assert result.cases == 6 and result.warnings == []
    by = {m.metric: m for m in result.metrics}
    hall = by["hallucination"].stats
    # Every case is the same: the difference is one number, and its interval collapses on it.
    per_case_a = json.loads((a / "summary.json").read_text())["metrics"]["hallucination"]["mean"]
    per_case_b = json.loads((b / "summary.json").read_text())["metrics"]["hallucination"]["mean"]
    assert hall.diff == pytest.approx(per_case_b - per_case_a)
    assert hall.low == pytest.approx(hall.diff) and hall.high == pytest.approx(hall.diff)
    assert hall.diff > 0 and len(by["hallucination"].worse_cases) == 6  # lead@2 invents a place
    assert by["coverage"].stats.diff > 0 and len(by["coverage"].better_cases) == 6  # and takes more sentences
    kyrgyz = [u for u in result.new_hallucinations if "Kyrgyzstan" in u.text]
    assert len(kyrgyz) == 6 and "Kyrgyzstan" in kyrgyz[0].reasons[0]
    assert result.facts_gained and not result.facts_lost


def test_compare_refuses_different_suites(runs: tuple[Path, Path, Path], tmp_path: Path) -> None:
    suite, a, _ = runs
    other = tmp_path / "other"
    shutil.copytree(suite / "case-0", other / "case-0")
    (other / "case-0" / "gold.json").write_text((suite / "case-0" / "gold.json").read_text().replace("Tuesday", "tuesday"))
    c = run_system(other, "lead@1", tmp_path / "c")
    with pytest.raises(EventsumError, match="different suites"):
        compare_runs(a, c)


def test_compare_warns_when_scorers_differ(runs: tuple[Path, Path, Path], tmp_path: Path) -> None:
    _, a, b = runs
    b2 = tmp_path / "b2"
    shutil.copytree(b, b2)
    manifest = json.loads((b2 / "manifest.json").read_text())
    manifest["scorer_version"] = "deterministic-0"
    (b2 / "manifest.json").write_text(json.dumps(manifest))
    assert any("scorers differ" in w for w in compare_runs(a, b2).warnings)


def test_failed_summaries_count_as_errors(tmp_path: Path) -> None:
    """A system that fails on a case is not let off: the error rate is a compared metric."""
    from evals.summary import summarize_run

    suite = tmp_path / "suite"
    shutil.copytree(REPO / "seeds" / "milley-zaluzhnyi-poland", suite / "case-0", ignore=shutil.ignore_patterns("labels"))
    shutil.copytree(suite / "case-0", suite / "case-1")
    (suite / "case-1" / "gold.json").write_text("{broken", encoding="utf-8")
    a = run_system(suite, "lead@1", tmp_path / "a")
    summary = summarize_run(a)
    assert summary.errors == 1 and summary.metrics["errors"].mean == pytest.approx(0.5)
    assert summary.metrics["coverage"].n == 1  # the broken case has no coverage, but it is not forgotten
