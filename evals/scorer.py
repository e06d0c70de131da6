"""Scoring one summary of one case: the three metrics, separately, with their evidence.

Scorers are looked up by name in a registry. `deterministic` makes no model
call; errors are results (a summary that cannot be parsed gets an error card),
never crashes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, Field

from evals.conflicts import ConflictResult, score_conflicts
from evals.hallucination import HallucinationResult, score_hallucination, summarize_verdicts
from evals.omission import OmissionResult, score_omission
from evals.source_index import build_index
from evals.suite import Case
from evals.units import ClaimUnit, parse_summary, units_of
from summarizer.errors import EventsumError

SCORER_VERSION = "deterministic-2"


class Metrics(BaseModel):
    """The three numbers, never merged into one."""

    coverage: float
    hallucination: float
    conflict: float | None
    invented_conflicts: int
    traps: int
    unverified: int = 0  # units the rules could not decide (not counted in hallucination)


class ScoreCard(BaseModel):
    """Every verdict on one summary, with its evidence; or the error that stopped scoring."""

    case_id: str
    system: str = ""
    scorer: str = SCORER_VERSION
    error: str | None = None
    units: list[ClaimUnit] = Field(default_factory=list)
    omission: OmissionResult | None = None
    hallucination: HallucinationResult | None = None
    conflicts: ConflictResult | None = None
    metrics: Metrics | None = None
    model_calls: int = 0
    judge_agreement: Any = Field(default=None, description="judge/hybrid: per-verdict agreement over repeats")


def score_deterministic(case: Case, raw_summary: Any, system: str = "") -> ScoreCard:
    """Score a summary (EventSummary object/JSON or text) against the case's gold, without any model."""
    try:
        return _score(case, raw_summary, system)
    except Exception as err:  # noqa: BLE001 - one summary's failure must not stop a run; it is reported
        return ScoreCard(case_id=case.id, system=system, error=f"scorer failed: {type(err).__name__}: {err}")


def _score(case: Case, raw_summary: Any, system: str) -> ScoreCard:
    try:
        summary = parse_summary(raw_summary)
    except ValueError as err:
        return ScoreCard(case_id=case.id, system=system, error=str(err))
    units = units_of(summary)
    if not units:
        return ScoreCard(case_id=case.id, system=system, error="the summary has no claim units")
    index = build_index(case.sources)
    omission = score_omission(units, case.gold)
    hallucination = score_hallucination(units, case.gold, index)
    conflicts = score_conflicts(units, case.gold, index.source_ids)
    hallucination = flag_wrong_attributions(hallucination, conflicts, case, units)
    metrics = Metrics(coverage=omission.coverage, hallucination=hallucination.rate, conflict=conflicts.score,
                      invented_conflicts=len(conflicts.invented),
                      traps=sum(v.label == "trap" for v in hallucination.verdicts),
                      unverified=hallucination.unverified)
    return ScoreCard(case_id=case.id, system=system, units=units, omission=omission,
                     hallucination=hallucination, conflicts=conflicts, metrics=metrics)


def flag_wrong_attributions(result: HallucinationResult, conflicts: ConflictResult, case: Case,
                            units: list[ClaimUnit]) -> HallucinationResult:
    """A conflict position that credits a side of a gold disagreement to a source that, per the
    gold, takes another side is unsupported: the gold records who says what. (Only structured
    positions: crediting sources named in free text is not reliable enough to flag on.)"""
    positions = {u.index for u in units if u.kind == "position"}
    wrong: dict[int, list[str]] = {}
    for verdict in conflicts.conflicts:
        gold = next(c for c in case.gold.conflicts if c.id == verdict.conflict)
        per_unit = Counter(side.unit for side in verdict.sides)
        for side in verdict.sides:
            # A position that states two sides ("two died, correcting an earlier four") credits neither.
            if side.attribution == "wrong" and side.unit in positions and per_unit[side.unit] == 1:
                wrong.setdefault(side.unit, []).append(
                    f"credits '{side.value}' to {', '.join(side.credited_to)}; per the gold it is "
                    f"{', '.join(gold.sides[side.side].sources)} ({verdict.conflict})")
    if not wrong:
        return result
    verdicts = [v.model_copy(update={"label": "unsupported", "reasons": v.reasons + wrong[v.unit]})
                if v.unit in wrong and v.label in ("supported", "unverified") else v for v in result.verdicts]
    return summarize_verdicts(verdicts)


ScoreFn = Callable[[Case, Any, str], ScoreCard]
SCORERS: dict[str, ScoreFn] = {"deterministic": score_deterministic}


JUDGED = ("judge", "hybrid")


def get_scorer(name: str, judge_model: str | None = None, judge_base_url: str | None = None,
               judge_repeats: int = 1) -> ScoreFn:
    """A scorer by name: deterministic, or judge/hybrid with a judge model."""
    if name in JUDGED:
        if not judge_model:
            raise EventsumError(f"--scorer {name} needs --judge-model (e.g. openai:gpt-4o, or local)")
        from evals.judge import JudgeConfig, make_judge_scorer

        return make_judge_scorer(JudgeConfig(model=judge_model, base_url=judge_base_url, repeats=judge_repeats),
                                 hybrid=name == "hybrid")
    try:
        return SCORERS[name]
    except KeyError:
        raise EventsumError(f"unknown scorer {name!r}; known: {sorted(SCORERS) + list(JUDGED)}") from None
