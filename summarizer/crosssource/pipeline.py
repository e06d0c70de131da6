"""The crosssource system: a deterministic extractive summary that names disagreements.

No model is called. The local SmolLM2 writes valid JSON but cannot choose
content (it invents places and dates, and cites sources in sequence), so every
word of the summary is chosen here from the sources by rule: alignment,
ranking, conflict detection, assembly.
"""

from __future__ import annotations

import hashlib
import time
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from summarizer.crosssource.alignment import CaseText, build_case_text
from summarizer.crosssource.assembly import assemble
from summarizer.crosssource.conflicts import ConflictCandidate, NonConflictNote, detect_conflicts
from summarizer.crosssource.ranking import FactGroup, candidate_facts, select_facts
from summarizer.sources import CaseSources
from summarizer.system import SummaryResult, SystemOptions

NAME = "crosssource"
_PACKAGE = Path(__file__).parent
# The pipeline's own code: a change to any of these files is a new system version.
_HASHED = sorted(_PACKAGE.glob("*.py")) + [_PACKAGE.parent / name for name in ("sentences.py", "cleaning.py", "language.py")]


class Analysis(BaseModel):
    """Everything the pipeline found in a case, before it is written up."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    text: CaseText
    candidates: list[FactGroup]
    facts: list[FactGroup]
    conflicts: list[ConflictCandidate]
    non_conflicts: list[NonConflictNote]


@lru_cache(maxsize=1)
def pipeline_hash() -> str:
    """Hash of the pipeline's source files (file names and bytes)."""
    h = hashlib.sha256()
    for path in _HASHED:
        h.update(path.name.encode())
        h.update(b"\0")
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def analyze(case: CaseSources, max_facts: int | None = None) -> Analysis:
    """Align, rank and compare the sentences of a case."""
    ct = build_case_text(case)
    candidates = candidate_facts(ct)
    facts = select_facts(ct, candidates) if max_facts is None else select_facts(ct, candidates, max_facts)
    conflicts, notes = detect_conflicts(ct)
    return Analysis(text=ct, candidates=candidates, facts=facts, conflicts=conflicts, non_conflicts=notes)


class CrossSource:
    """The `crosssource` system (see the module docstring)."""

    name = NAME

    def __init__(self, options: SystemOptions | None = None) -> None:
        self.options = options or SystemOptions()
        self.version_hash = pipeline_hash()
        self.model: str | None = None  # no model is called

    def summarize(self, sources: CaseSources) -> SummaryResult:
        started = time.perf_counter()
        try:
            analysis = analyze(sources)
            summary = assemble(analysis.text, analysis.facts, analysis.conflicts)
        except Exception as err:  # a bad case must not stop a run: report it on the result
            return SummaryResult(case_id=sources.case_id, system=NAME, system_hash=self.version_hash,
                                 error=f"{type(err).__name__}: {err}", latency_s=time.perf_counter() - started)
        notes = ["extractive: every fact, claim and quote is a source sentence; no model was called",
                 f"{len(analysis.facts)} facts of {len(analysis.candidates)} candidates, "
                 f"{len(analysis.conflicts)} conflicts found"]
        ct = analysis.text
        for sid in ct.source_ids:
            n = sum(1 for s, inj in zip(ct.sentences, ct.injected) if inj and s.source_id == sid)
            if n:
                notes.append(f"source {sid} carried text addressed to models or automated tools; its {n} "
                             "sentence(s) were left out")
        return SummaryResult(case_id=sources.case_id, system=NAME, system_hash=self.version_hash, model=None,
                             summary=summary, calls=[], latency_s=round(time.perf_counter() - started, 4), notes=notes)


def make_system(spec: str, options: SystemOptions) -> CrossSource:
    return CrossSource(options)
