"""Deterministic systems for tests, registered through EVENTSUM_PLUGINS=tests.fake_systems.

`lead@1` summarizes a case by its sources' first news sentences; `lead@2` takes one more
sentence per source and adds an invented claim, so the two differ in known ways.
EVENTSUM_FAKE_DELAY (seconds) slows each call, so a test can kill a run half-way.
"""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

from summarizer.cleaning import clean_text
from summarizer.models import Citation, EventSummary, SummaryFact
from summarizer.sentences import split_sentences
from summarizer.sources import CaseSources
from summarizer.system import SummaryResult, SystemOptions, register_system


class LeadSystem:
    def __init__(self, name: str, per_source: int, invent: bool) -> None:
        self.name = name
        self.version_hash = hashlib.sha256(name.encode()).hexdigest()[:12]
        self.per_source = per_source
        self.invent = invent

    def summarize(self, sources: CaseSources) -> SummaryResult:
        time.sleep(float(os.environ.get("EVENTSUM_FAKE_DELAY", "0")))
        facts = []
        for src in sources.sources:
            sentences = [s for span in clean_text(src).kept for s in split_sentences(span.text)]
            for s in sentences[1: 1 + self.per_source]:
                facts.append(SummaryFact(text=s.text, citations=[Citation(source=src.id, quote=s.text)]))
        if self.invent:
            facts.append(SummaryFact(text="The talks were held in Kyrgyzstan."))
        summary = EventSummary(headline=facts[0].text[:100], facts=facts)
        return SummaryResult(case_id=sources.case_id, system=self.name, system_hash=self.version_hash, summary=summary)


def _factory(spec: str, options: SystemOptions) -> LeadSystem:
    return LeadSystem(spec, per_source=1 if spec == "lead@1" else 2, invent=spec == "lead@2")


register_system("lead@1", _factory)
register_system("lead@2", _factory)


def run_system(suite: Path, system: str, out: Path, concurrency: int = 2) -> Path:
    """Run a registered system over a suite, in process, as `eventsum eval run` does."""
    import asyncio

    from evals.run import SuiteRun, execute, finish_run, start_run
    from evals.summary import write_summary

    spec = SuiteRun(suite=suite, system=system, out=out, concurrency=concurrency)
    start_run(spec)
    asyncio.run(execute(spec))
    finish_run(out, "finished")
    write_summary(out)
    return out


class CrashingSystem(LeadSystem):
    """`crash@1` fails with a bug that is not the user's (for the CLI's bug report path)."""

    def summarize(self, sources: CaseSources) -> SummaryResult:
        raise ZeroDivisionError("a bug in the system, not in the input")


register_system("crash@1", lambda spec, options: CrashingSystem(spec, per_source=1, invent=False))
