"""The prompt-based system: `summarize@v1`, `summarize@v2`, ... (any prompts/NAME@VERSION.md).

A prompt's header names its task, the response shape asked of the model:
- abstractive (v1): the model writes facts and copies quotes; quotes are checked verbatim
  against the cleaned sources and re-asked when wrong.
- grounded (v2): each cleaned source is split into numbered sentences and the model cites
  sentence numbers (constrained to the valid ones); each citation becomes that sentence,
  so every quote is real by construction.
Sources are untrusted: each is fenced in <source id="..."> ... </source> and the prompt
says text inside is data. Citations still invalid after the re-asks are dropped and counted.
"""

from __future__ import annotations

import json
from collections.abc import Callable
import re
import time
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from pydantic import BaseModel, Field, ValidationError, ValidationInfo, field_validator

from summarizer.backends.base import CompletionSettings, get_backend
from summarizer.backends.structured import StructuredClient
from summarizer.cache import ResponseCache
from summarizer.cleaning import clean_text
from summarizer.errors import EventsumError
from summarizer.models import Citation, EventSummary, Position, SummaryConflict, SummaryFact
from summarizer.prompts import PromptFile, load_prompt
from summarizer.sentences import split_sentences
from summarizer.sources import CaseSources
from summarizer.system import SummaryResult, SystemOptions, register_system
from summarizer.text import normalize, quote_in_text

# A source must not be able to close its fence or open a fake one.
_FENCE_TAG = re.compile(r"<(/?)(source)\b", re.I)
_MAX_TRUNCATION_ROUNDS = 5
# Bounds on every string the model writes: a small model can loop inside a string forever, and
# under constrained decoding a maxLength is what ends it. Short on purpose: llama.cpp's grammar
# for a maxLength of N slows decoding roughly in proportion to N (measured on 2 cores: 55
# tokens/s at 100, 25 at 300, 7 at 600).
HEADLINE_CHARS, FIELD_CHARS, FACT_CHARS, QUOTE_CHARS = 120, 80, 140, 120
# A small model under constrained decoding often closes the facts list at once; every event has two.
MIN_FACTS = 2


def fence(text: str) -> str:
    """Source text safe to put between <source> tags (any tag-like '<source' is defused)."""
    return _FENCE_TAG.sub(lambda m: f"\u2039{m.group(1)}{m.group(2)}", text)


def _context_sources(info: ValidationInfo) -> dict[str, str] | None:
    return (info.context or {}).get("sources")


class Drafted(Protocol):
    """A task's parsed answer: converts to a summary and the number of citations it dropped."""

    disagreements: list[Any]

    def to_summary(self, shown: ShownSources) -> tuple[EventSummary, int]: ...


@dataclass
class ShownSources:
    """The cleaned (and maybe truncated) source texts as the model sees them, and their sentences."""

    texts: dict[str, str]
    sentences: dict[int, tuple[str, str]] = field(default_factory=dict)  # number -> (source id, sentence)

    @classmethod
    def build(cls, texts: dict[str, str]) -> ShownSources:
        shown = cls(texts={sid: fence(t) for sid, t in texts.items()})
        for sid, text in shown.texts.items():
            for line in text.splitlines():
                for s in split_sentences(line):
                    shown.sentences[len(shown.sentences) + 1] = (sid, s.text)
        return shown

    def cite_ok(self, source: str, quote: str) -> bool:
        return source in self.texts and quote_in_text(quote, self.texts[source])


Resolve = Callable[["ShownSources", list[Any]], tuple[list[Citation], int]]


def _event_draft(fact: type[BaseModel], side: type[BaseModel], max_facts: int, max_conflicts: int, strict: bool,
                 fact_refs: Callable[[Any], list[Any]], side_ref: Callable[[Any], Any], resolve: Resolve) -> type:
    """The response model both tasks share; they differ in how a fact or side refers to the
    sources (`fact_refs`, `side_ref`) and how a reference becomes a citation (`resolve`, which
    also counts the references it had to drop)."""
    limit = (lambda n: n) if strict else (lambda n: None)
    required: Any = ... if strict else ""
    Fact, Side = fact, side  # noqa: N806 (types, named for the annotations below)

    class Disagreement(BaseModel):
        question: str = Field(min_length=1, max_length=limit(FIELD_CHARS),
                              description="what the sources disagree on")
        sides: list[Side] = Field(min_length=2 if strict else 0, max_length=limit(2))  # type: ignore[valid-type]

    class EventDraft(BaseModel):
        headline: str = Field(min_length=1, max_length=limit(HEADLINE_CHARS))
        # Required when strict: a small model skips optional fields under constrained decoding.
        who: str = Field(required, max_length=limit(FIELD_CHARS))
        what: str = Field(required, max_length=limit(FIELD_CHARS))
        where: str = Field(required, max_length=limit(FIELD_CHARS))
        when: str = Field(required, max_length=limit(FIELD_CHARS))
        facts: list[Fact] = Field(min_length=min(MIN_FACTS, max_facts) if strict else 0,  # type: ignore[valid-type]
                                  max_length=limit(max_facts))
        disagreements: list[Disagreement] = Field(max_length=limit(max_conflicts))

        def to_summary(self, shown: ShownSources) -> tuple[EventSummary, int]:
            dropped = 0

            def cite(refs: list[Any]) -> list[Citation]:
                nonlocal dropped
                cites, lost = resolve(shown, refs)
                dropped += lost
                return cites

            facts = [SummaryFact(text=f.text, citations=cite(fact_refs(f))) for f in self.facts if f.text.strip()]
            conflicts = []
            for d in self.disagreements:
                positions = []
                for sd in d.sides:
                    cites = cite([side_ref(sd)])
                    if sd.claim.strip() and cites:
                        positions.append(Position(claim=sd.claim, sources=[cites[0].source], citations=cites))
                if d.question.strip() and len({p.sources[0] for p in positions}) >= 2:
                    conflicts.append(SummaryConflict(question=d.question, positions=positions))
            return _summary(self, facts, conflicts), dropped

    return EventDraft


# ---- abstractive (v1): the model writes quotes --------------------------------------------

def abstractive_model(source_ids: list[str], max_facts: int, max_conflicts: int, *, strict: bool = True) -> type:
    """The response model for v1; `strict=False` drops enums and limits, to salvage a failed answer."""
    SourceId: Any = Literal[tuple(source_ids)] if strict else str  # noqa: N806 (a type)
    limit = (lambda n: n) if strict else (lambda n: None)

    class Quote(BaseModel):
        source: SourceId = Field(description="id of the source the quote is copied from")
        quote: str = Field(min_length=1, max_length=limit(QUOTE_CHARS),
                           description="words copied exactly from that source")

        @field_validator("quote")
        @classmethod
        def _verbatim(cls, value: str, info: ValidationInfo) -> str:
            sources = _context_sources(info)
            sid = info.data.get("source")
            if sources is not None and sid in sources and not quote_in_text(value, sources[sid]):
                raise ValueError(f"not found in source {sid!r}; copy a sentence exactly: {value[:80]!r}")
            return value

    FactQuote: Any = Quote if strict else Quote | None  # noqa: N806 (a type)

    class Fact(BaseModel):
        text: str = Field(min_length=1, max_length=limit(FACT_CHARS), description="one fact, in your own words")
        quote: FactQuote = Field(... if strict else None)

    class Side(BaseModel):
        claim: str = Field(min_length=1, max_length=limit(FACT_CHARS), description="what this source says")
        quote: Quote

    def resolve(shown: ShownSources, quotes: list[Quote]) -> tuple[list[Citation], int]:
        unique = list(dict.fromkeys((q.source, q.quote) for q in quotes))
        ok = [Citation(source=s, quote=q) for s, q in unique if shown.cite_ok(s, q)]
        return ok, len(unique) - len(ok)

    return _event_draft(Fact, Side, max_facts, max_conflicts, strict, fact_refs=lambda f: [f.quote] if f.quote else [],
                        side_ref=lambda sd: sd.quote, resolve=resolve)


# ---- grounded (v2): the model cites numbered sentences ------------------------------------

def grounded_model(sentence_ids: list[int], max_facts: int, max_conflicts: int, *, strict: bool = True) -> type:
    """The response model for v2: sentence numbers constrained to those that exist."""
    SentenceId: Any = Literal[tuple(sentence_ids)] if strict else int  # noqa: N806 (a type)
    limit = (lambda n: n) if strict else (lambda n: None)

    class Fact(BaseModel):
        sentences: list[SentenceId] = Field(min_length=1 if strict else 0, max_length=limit(2),
                                            description="numbers of the sentences that state this fact")
        text: str = Field(min_length=1, max_length=limit(FACT_CHARS),
                          description="the fact, briefly, in your own words")

    class Side(BaseModel):
        sentence: SentenceId = Field(description="number of the sentence that says it")
        claim: str = Field(min_length=1, max_length=limit(FACT_CHARS), description="what that source says")

    def resolve(shown: ShownSources, numbers: list[int]) -> tuple[list[Citation], int]:
        known = [n for n in dict.fromkeys(numbers) if n in shown.sentences]
        cites = [Citation(source=shown.sentences[n][0], quote=shown.sentences[n][1]) for n in known]
        return cites, len(set(numbers)) - len(known)

    return _event_draft(Fact, Side, max_facts, max_conflicts, strict, fact_refs=lambda f: f.sentences,
                        side_ref=lambda sd: sd.sentence, resolve=resolve)


def _summary(draft: Any, facts: list[SummaryFact], conflicts: list[SummaryConflict]) -> EventSummary:
    # No briefing paragraph: a long free-text field is slow under constrained decoding and is
    # where a small model wanders off the sources; the Markdown brief is built from the facts.
    # A small model also repeats itself: a fact stated twice is kept once.
    unique: dict[str, SummaryFact] = {}
    for fact in facts:
        unique.setdefault(normalize(fact.text), fact)
    facts = list(unique.values())
    return EventSummary(headline=draft.headline.strip() or "(no headline)", who=draft.who.strip(),
                        what=draft.what.strip(), where=draft.where.strip(), when=draft.when.strip(),
                        facts=facts, conflicts=conflicts)


@dataclass
class TaskInput:
    """What one prompt task asks: template variables, response models and the validation context."""

    variables: dict[str, Any]
    strict_model: type
    lenient_model: type
    context: dict[str, Any]


def _abstractive(shown: ShownSources, prompt: PromptFile) -> TaskInput:
    ids = list(shown.texts)
    n_conf = prompt.header.max_conflicts if len(ids) >= 2 else 0
    return TaskInput(
        variables={"sources": [{"id": sid, "text": text} for sid, text in shown.texts.items()]},
        strict_model=abstractive_model(ids, prompt.header.max_facts, n_conf),
        lenient_model=abstractive_model(ids, prompt.header.max_facts, n_conf, strict=False),
        context={"sources": shown.texts})


def _grounded(shown: ShownSources, prompt: PromptFile) -> TaskInput:
    by_source: dict[str, list[dict[str, Any]]] = {sid: [] for sid in shown.texts}
    for n, (sid, text) in shown.sentences.items():
        by_source[sid].append({"n": n, "text": text})
    numbers = list(shown.sentences) or [0]
    n_conf = prompt.header.max_conflicts if len(shown.texts) >= 2 else 0
    return TaskInput(
        variables={"sources": [{"id": sid, "sentences": s} for sid, s in by_source.items()]},
        strict_model=grounded_model(numbers, prompt.header.max_facts, n_conf),
        lenient_model=grounded_model(numbers, prompt.header.max_facts, n_conf, strict=False),
        context={"sources": shown.texts})


TASKS = {"abstractive": _abstractive, "grounded": _grounded}


def truncate_text(text: str, keep_fraction: float) -> str:
    """The first `keep_fraction` of a text, cut back to the end of a sentence or line."""
    if keep_fraction >= 1:
        return text
    cut = max(int(len(text) * keep_fraction), 0)
    head = text[:cut]
    boundary = max(head.rfind("\n"), head.rfind(". ") + 1, head.rfind('." ') + 2)
    return head[:boundary].rstrip() if boundary > 0 else head.rstrip()


def _sample_seed(seed: int | None, offset: int) -> int | None:
    # Sample k of a run uses the prompt's seed + k, so no two samples share a seed.
    if offset == 0:
        return seed
    return (seed or 0) + offset


class PromptSystem:
    """A summarizing system defined by one prompt file (see module docstring)."""

    def __init__(self, prompt: PromptFile, options: SystemOptions) -> None:
        if prompt.header.task not in TASKS:
            raise EventsumError(f"{prompt.path}: task {prompt.header.task!r} is not one of {sorted(TASKS)}")
        self.prompt = prompt
        self.options = options
        self.name = prompt.ref
        self.version_hash = prompt.hash
        s = prompt.header.settings
        self.settings = CompletionSettings(
            temperature=s.temperature if options.temperature is None else options.temperature,
            seed=_sample_seed(s.seed if options.seed is None else options.seed, options.seed_offset),
            max_tokens=options.max_tokens or s.max_tokens, repeat_penalty=s.repeat_penalty,
            n_ctx=options.n_ctx or s.n_ctx, **({"timeout_s": options.timeout_s} if options.timeout_s else {}))
        self.max_retries = s.max_retries if options.max_retries is None else options.max_retries
        self._client: StructuredClient | None = None

    @property
    def client(self) -> StructuredClient:
        if self._client is None:
            backend = get_backend(self.options.model, self.options.base_url, self.settings)
            cache = ResponseCache() if self.options.use_cache else None
            self._client = StructuredClient(backend, self.settings, cache=cache)
        return self._client

    def prepare(self, texts: dict[str, str]) -> tuple[list[dict[str, str]], TaskInput, ShownSources]:
        """The messages a case's (cleaned) texts become."""
        shown = ShownSources.build(texts)
        task = TASKS[self.prompt.header.task](shown, self.prompt)
        return self.prompt.render(**task.variables, max_facts=self.prompt.header.max_facts), task, shown

    def summarize(self, sources: CaseSources) -> SummaryResult:
        """Summarize one case; failures come back as SummaryResult.error, never as exceptions."""
        started = time.monotonic()
        result = SummaryResult(case_id=sources.case_id, system=self.name, system_hash=self.version_hash)
        try:
            result.model = self.client.label
            self._summarize(sources, result)
        except EventsumError as err:
            result.error = str(err)
        result.latency_s = round(time.monotonic() - started, 3)
        return result

    def _summarize(self, sources: CaseSources, result: SummaryResult) -> None:
        texts = {s.id: clean_text(s).text for s in sources.sources}
        messages, task, shown = self._fit(texts, result)
        prompt_id = f"{self.name}#{self.version_hash}"
        gen = self.client.generate(messages, task.strict_model, context=task.context,
                                   max_retries=self.max_retries, prompt_id=prompt_id)
        result.calls.append(gen.record)
        result.raw_output = gen.raw_output
        draft: Drafted | None = gen.value  # type: ignore[assignment]
        for raw in gen.rejected_outputs if draft is None else []:
            draft = self._salvage(raw, task)
            if draft is not None:
                result.raw_output = raw
                result.notes.append(f"no answer passed validation after {self.max_retries} re-ask(s); kept the "
                                    "valid parts of the answer with the fewest problems and dropped the rest")
                break
        if draft is None:
            result.error = gen.error or "the model's answer could not be read"
            return
        summary, dropped = draft.to_summary(shown)
        # Sides that all come from one source are not a disagreement between sources. Dropped, not
        # re-asked: a small model fills the list with such sides, and a re-ask costs a whole answer.
        n_dropped = len(draft.disagreements) - len(summary.conflicts)
        if n_dropped:
            result.notes.append(f"dropped {n_dropped} disagreement(s) without valid sides from two different "
                                "sources")
        # The final word on citations: the canonical model's own validators, against the shown text.
        result.summary = EventSummary.model_validate(summary.model_dump(), context={"sources": shown.texts})
        result.dropped_citations = dropped

    def _fit(self, texts: dict[str, str], result: SummaryResult
             ) -> tuple[list[dict[str, str]], TaskInput, ShownSources]:
        messages, task, shown = self.prepare(texts)
        overflow = self.client.overflow(messages)
        if overflow is None:
            return messages, task, shown
        if not self.options.truncate:
            raise overflow
        first_over = overflow.over_by
        source_chars = sum(len(t) for t in texts.values()) or 1
        keep = 1.0
        for _ in range(_MAX_TRUNCATION_ROUNDS):
            tokens = max(self.client.backend.count_tokens(messages), 1)
            chars_per_token = sum(len(m["content"]) for m in messages) / tokens
            # Cut a little more than the overflow: sentence boundaries round the cut down.
            keep -= (overflow.over_by * chars_per_token * 1.1 + 200) / source_chars
            if keep <= 0:
                break
            messages, task, shown = self.prepare({sid: truncate_text(t, keep) for sid, t in texts.items()})
            overflow = self.client.overflow(messages)
            if overflow is None:
                result.notes.append(f"--truncate: kept the first {keep:.0%} of each source "
                                    f"(the full sources were over the context by {first_over} tokens)")
                return messages, task, shown
        raise EventsumError(f"{self.name}: even with --truncate the prompt does not fit the model's context "
                            f"(it was over by {first_over} tokens)")

    def _salvage(self, raw: str, task: TaskInput) -> Drafted | None:
        """Read a failed answer leniently, so its valid parts survive and the rest is dropped and counted."""
        try:
            return task.lenient_model.model_validate(json.loads(raw))  # type: ignore[no-any-return]
        except (ValueError, ValidationError, RecursionError):
            # RecursionError: an answer nested thousands deep is junk, not a crash.
            return None


def _prompt_system(spec: str, options: SystemOptions) -> PromptSystem:
    return PromptSystem(load_prompt(spec), options)


register_system("*", _prompt_system)
