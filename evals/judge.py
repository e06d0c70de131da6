"""The judge scorer: the same three metrics decided by an LLM, in ONE structured call per summary.

`judge`: the model sees the sources as numbered sentences, the gold facts and conflicts, and
the summary's claim units, and returns a verdict for every unit, fact and conflict (ids are
validated, so instructor re-asks on an unknown or missing one). Temperature 0, a fixed seed,
and the response cache make a verdict repeatable; `repeats` asks K times (seeds 0..K-1) and
reports, per verdict, the share of answers that agree with the majority.
`hybrid`: the deterministic scorer decides where its rules are certain (every unit it finds
supported, unsupported or a trap; a fact its pattern matches; a conflict in a structured
entry); the judge decides only the rest: the units the rules left `unverified`, the facts
no pattern matched, and the conflicts read from free text.
The answer schema is built per call (evals/judge_schema.py): one required field per id.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationInfo, model_validator

from evals.attribution import cited_sources
from evals.conflicts import ConflictResult, ConflictVerdict
from evals.hallucination import HallucinationResult, UnitVerdict, summarize_verdicts
from evals.judge_schema import answer_model, as_lists
from evals.omission import FactVerdict, OmissionResult
from evals.scorer import Metrics, ScoreCard, score_deterministic
from evals.source_index import build_index
from evals.suite import Case
from evals.units import ClaimUnit, parse_summary, units_of

JUDGE_PROMPT = "judge@v2"
Outcome = Literal["surfaced", "one_sided", "omitted"]


class UnitJudgement(BaseModel):
    unit: int
    supported: bool
    reason: str = Field(default="", max_length=200)


class FactJudgement(BaseModel):
    fact: str
    covered: bool


class ConflictJudgement(BaseModel):
    conflict: str
    outcome: Outcome


class JudgeAnswer(BaseModel):
    """What the judge returns; the validation context names the ids it must cover."""

    units: list[UnitJudgement]
    facts: list[FactJudgement]
    conflicts: list[ConflictJudgement]
    invented_units: list[int] = Field(default_factory=list)

    @model_validator(mode="after")
    def _covers_every_item(self, info: ValidationInfo) -> JudgeAnswer:
        want = (info.context or {}).get("ids")
        if want:
            for kind, got in (("units", {u.unit for u in self.units}), ("facts", {f.fact for f in self.facts}),
                              ("conflicts", {c.conflict for c in self.conflicts})):
                missing, extra = set(want[kind]) - got, got - set(want[kind])
                if missing or extra:
                    raise ValueError(f"{kind}: give exactly one verdict for each of {sorted(want[kind])}; "
                                     f"missing {sorted(missing)}, unknown {sorted(extra)}")
        return self


class JudgeConfig(BaseModel):
    model: str
    base_url: str | None = None
    repeats: int = Field(default=1, ge=1)
    use_cache: bool = True


class Agreement(BaseModel):
    """Per verdict, the share of the K answers that agree with the majority; unstable ones listed."""

    repeats: int
    per_verdict: dict[str, float]
    unstable: list[str]


def _render(case: Case, units: list[ClaimUnit], facts: list[str], conflicts: list[str]) -> list[dict[str, str]]:
    from summarizer.prompts import load_prompt

    index = build_index(case.sources)
    sources = [{"id": sid, "sentences": [s.text for s in index.sentences[sid]]} for sid in index.source_ids]
    view = [{"index": u.index, "text": u.text, "cites": cited_sources(u, index.source_ids)} for u in units]
    return load_prompt(JUDGE_PROMPT).render(
        sources=sources, units=view,
        facts=[f for f in case.gold.facts if f.id in facts],
        conflicts=[c for c in case.gold.conflicts if c.id in conflicts])


def _ask(config: JudgeConfig, messages: list[dict[str, str]], ids: dict[str, list[Any]], seed: int) -> JudgeAnswer | str:
    from summarizer.backends.base import CompletionSettings, get_backend
    from summarizer.backends.structured import StructuredClient
    from summarizer.cache import ResponseCache
    from summarizer.prompts import load_prompt

    s = load_prompt(JUDGE_PROMPT).header.settings
    settings = CompletionSettings(temperature=s.temperature, seed=seed, max_tokens=s.max_tokens)
    client = StructuredClient(get_backend(config.model, config.base_url, settings), settings,
                              cache=ResponseCache() if config.use_cache else None)
    per_call = answer_model(ids["units"], ids["facts"], ids["conflicts"])
    gen = client.generate(messages, per_call, context=None, max_retries=s.max_retries, prompt_id=JUDGE_PROMPT)
    if gen.value is None:
        return f"judge failed: {gen.error}"
    return JudgeAnswer.model_validate(as_lists(gen.value, ids["units"], ids["facts"], ids["conflicts"]),
                                      context={"ids": ids})


def _majority(answers: list[JudgeAnswer]) -> tuple[JudgeAnswer, Agreement]:
    votes: dict[str, Counter[str]] = {}
    for a in answers:
        for u in a.units:
            votes.setdefault(f"unit {u.unit}", Counter())[str(u.supported)] += 1
        for f in a.facts:
            votes.setdefault(f"fact {f.fact}", Counter())[str(f.covered)] += 1
        for c in a.conflicts:
            votes.setdefault(f"conflict {c.conflict}", Counter())[c.outcome] += 1
    share = {k: v.most_common(1)[0][1] / len(answers) for k, v in votes.items()}
    winner = {k: v.most_common(1)[0][0] for k, v in votes.items()}
    first = answers[0]
    merged = JudgeAnswer(
        units=[UnitJudgement(unit=u.unit, supported=winner[f"unit {u.unit}"] == "True", reason=u.reason) for u in first.units],
        facts=[FactJudgement(fact=f.fact, covered=winner[f"fact {f.fact}"] == "True") for f in first.facts],
        conflicts=[ConflictJudgement.model_validate({"conflict": c.conflict, "outcome": winner[f"conflict {c.conflict}"]})
                   for c in first.conflicts],
        invented_units=first.invented_units)
    return merged, Agreement(repeats=len(answers), per_verdict=share, unstable=sorted(k for k, v in share.items() if v < 1.0))


def judge_card(case: Case, raw_summary: Any, system: str, config: JudgeConfig, hybrid: bool) -> ScoreCard:
    """Score one summary with the judge (or the hybrid); one model call per repeat."""
    base = score_deterministic(case, raw_summary, system)
    if base.error or base.omission is None or base.hallucination is None or base.conflicts is None:
        return base
    units = units_of(parse_summary(raw_summary))
    # hybrid: the judge decides exactly the units the rules left unverified.
    certain_units = {v.unit for v in base.hallucination.verdicts if v.label != "unverified"} if hybrid else set()
    certain_facts = {f.fact for f in base.omission.facts if f.covered} if hybrid else set()
    certain_conflicts = {c.conflict for c in base.conflicts.conflicts if c.evidence == "structured conflict entry"} if hybrid else set()
    ask_units = [u for u in units if u.index not in certain_units]
    ask_facts = [f.id for f in case.gold.facts if f.id not in certain_facts]
    ask_conflicts = [c.id for c in case.gold.conflicts if c.id not in certain_conflicts]
    if not (ask_units or ask_facts or ask_conflicts):
        return base
    ids = {"units": [u.index for u in ask_units], "facts": ask_facts, "conflicts": ask_conflicts}
    messages = _render(case, ask_units, ask_facts, ask_conflicts)
    answers = [_ask(config, messages, ids, seed) for seed in range(config.repeats)]
    failed = [a for a in answers if isinstance(a, str)]
    if failed:
        return base.model_copy(update={"error": failed[0], "metrics": None, "model_calls": len(answers),
                                       "scorer": "hybrid" if hybrid else "judge"})
    answer, agreement = _majority([a for a in answers if isinstance(a, JudgeAnswer)])
    return _merge(base, base.hallucination, base.omission, base.conflicts, answer, agreement, len(answers), hybrid, case)


def _merge(base: ScoreCard, hallucination: HallucinationResult, omission: OmissionResult, conflict_result: ConflictResult,
           answer: JudgeAnswer, agreement: Agreement, calls: int, hybrid: bool, case: Case) -> ScoreCard:
    judged_units = {u.unit: u for u in answer.units}
    verdicts = []
    for v in hallucination.verdicts:
        j = judged_units.get(v.unit)
        if j is not None:
            v = UnitVerdict(unit=v.unit, text=v.text, label="supported" if j.supported else "unsupported",
                            reasons=[] if j.supported else [f"judge: {j.reason or 'not supported'}"], scope=v.scope)
        verdicts.append(v)
    judged_facts = {f.fact: f.covered for f in answer.facts}
    facts = [FactVerdict(fact=f.fact, weight=f.weight, covered=judged_facts.get(f.fact, f.covered), unit=f.unit,
                         evidence=f.evidence if f.fact not in judged_facts else ["judge"]) for f in omission.facts]
    judged_conflicts = {c.conflict: c.outcome for c in answer.conflicts}
    conflicts = [ConflictVerdict(conflict=c.conflict, outcome=judged_conflicts.get(c.conflict, c.outcome),
                                 sides=c.sides, evidence=c.evidence if c.conflict not in judged_conflicts else "judge")
                 for c in conflict_result.conflicts]
    covered_w = sum(f.weight for f in facts if f.covered)
    coverage = covered_w / case.gold.total_weight
    surfaced = sum(c.outcome == "surfaced" for c in conflicts)
    invented = conflict_result.invented if hybrid else []
    hall = summarize_verdicts(verdicts)
    om = omission.model_copy(update={"facts": facts, "coverage": coverage, "omission": 1 - coverage,
                                          "covered": [f.fact for f in facts if f.covered],
                                          "missed": [f.fact for f in facts if not f.covered]})
    conf = conflict_result.model_copy(update={"conflicts": conflicts, "score": surfaced / len(conflicts) if conflicts else None})
    metrics = Metrics(coverage=coverage, hallucination=hall.rate, conflict=conf.score,
                      invented_conflicts=len(invented) + len(answer.invented_units),
                      traps=sum(v.label == "trap" for v in verdicts), unverified=hall.unverified)
    return base.model_copy(update={"omission": om, "hallucination": hall, "conflicts": conf, "metrics": metrics,
                                   "model_calls": calls, "scorer": "hybrid" if hybrid else "judge",
                                   "judge_agreement": agreement})


def make_judge_scorer(config: JudgeConfig, hybrid: bool) -> Callable[[Case, Any, str], ScoreCard]:
    def score(case: Case, raw_summary: Any, system: str = "") -> ScoreCard:
        return judge_card(case, raw_summary, system, config, hybrid)
    return score
