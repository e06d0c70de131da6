"""The crosssource system on the seed case: the disagreement surfaced and attributed, citations
verbatim from news text, no boilerplate, the same output every time, fast, and no model call."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from evals.suite import load_case
from evals.scorer import score_deterministic
from summarizer.cleaning import clean_text
from summarizer.models import EventSummary
from summarizer.sources import load_case_sources
from summarizer.system import get_system

SEED = Path(__file__).resolve().parent.parent / "seeds" / "milley-zaluzhnyi-poland"
EURO, KYIV_POST, THIRD = "000_fdcdf22234b24739", "001_322d7952545062e1", "002_b537db1d55a357fb"


@pytest.fixture(scope="module")
def result():
    return get_system("crosssource").summarize(load_case_sources(SEED))


def test_it_is_a_registered_system_that_calls_no_model(result) -> None:
    assert result.error is None
    assert result.system == "crosssource"
    assert result.calls == []
    assert result.system_hash and len(result.system_hash) == 16
    assert any("no model" in note for note in result.notes)


def test_the_place_dispute_is_surfaced_with_each_side_attributed(result) -> None:
    summary: EventSummary = result.summary
    [conflict] = [c for c in summary.conflicts if any("south" in p.claim for p in c.positions)]
    by_side = {("south-east" if "southeast" in p.claim.replace("-", "") else "south-west"): set(p.sources)
               for p in conflict.positions}
    assert by_side == {"south-east": {EURO, KYIV_POST}, "south-west": {THIRD}}
    # The conflict sentences close the briefing.
    sentence = summary.briefing[summary.briefing.index("Sources disagree"):]
    assert "southeastern" in sentence and "southwestern" in sentence
    assert sentence.index(f"[{EURO}]") < sentence.index("southeastern") < sentence.index(f"[{THIRD}]") \
        < sentence.index("southwestern")


def test_every_citation_is_verbatim_news_text(result) -> None:
    sources = load_case_sources(SEED).by_id()
    citations = [c for f in result.summary.facts for c in f.citations]
    citations += [c for conflict in result.summary.conflicts for p in conflict.positions for c in p.citations]
    assert citations
    for c in citations:
        original = sources[c.source].text
        at = original.find(c.quote)
        assert at >= 0, c.quote
        kept = clean_text(sources[c.source]).kept
        assert any(sp.start <= at and at + len(c.quote) <= sp.end for sp in kept), f"not news text: {c.quote}"


def test_facts_are_source_sentences_and_skip_boilerplate(result) -> None:
    for fact in result.summary.facts:
        assert fact.citations and fact.text == fact.citations[0].quote
    text = " ".join([result.summary.headline, result.summary.briefing] + [f.text for f in result.summary.facts])
    for boilerplate in ("Kuwait", "Copyright", "Renaissance Foundation", "Bhumjaithai", "Patron"):
        assert boilerplate not in text


def test_scores_on_the_seed_gold(result) -> None:
    case, errors = load_case(SEED)
    assert case is not None, errors
    card = score_deterministic(case, result.summary.model_dump(), "crosssource")
    assert card.error is None
    assert card.metrics.hallucination <= 0.05
    assert card.metrics.coverage >= 0.6
    assert card.metrics.traps == 0
    assert card.metrics.invented_conflicts == 0
    assert {v.conflict: v.outcome for v in card.conflicts.conflicts} == {"C1": "surfaced"}


def test_same_input_same_output_and_fast() -> None:
    system = get_system("crosssource")
    case = load_case_sources(SEED)
    first = system.summarize(case)
    started = time.perf_counter()
    second = system.summarize(case)
    elapsed = time.perf_counter() - started
    assert first.summary.model_dump_json() == second.summary.model_dump_json()
    assert elapsed < 1.0
