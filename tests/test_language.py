"""Source language by py3langid: a source in another language corroborates, never leads, and is marked."""

from __future__ import annotations

from pathlib import Path

import pytest

from summarizer.crosssource.alignment import build_case_text
from summarizer.crosssource.pipeline import analyze
from summarizer.crosssource.assembly import assemble
from summarizer.language import language_name, language_of, main_language
from summarizer.sources import load_case_sources

ROOT = Path(__file__).resolve().parent.parent
# Every case of the suites with a source in another language, and that source (from the suites' READMEs).
FOREIGN = {"evals/suites/newsroom/10-wildfire-spanish-source": ("local", "es"),
           "evals/suites/newsroom/24-kyiv-metro-transliteration": ("german", "de"),
           "evals/suites/fresh/f02-ferry-pier-collision": ("local", "fr"),
           "evals/suites/fresh/f03-aldoria-rate-rise": ("german", "de"),
           "evals/suites/fresh/f06-castelvero-museum-reopens": ("italian", "it"),
           "evals/suites/fresh/f07-alcarva-earthquake": ("portuguese", "pt"),
           "evals/suites/fresh/f11-st-brendans-it-outage": ("spanish", "es")}


def test_language_of_short_and_long_text() -> None:
    assert language_of("Le ferry a heurté la jetée sud mardi soir, faisant quatorze blessés légers.") == "fr"
    assert language_of("The ferry hit the south pier on Tuesday evening, injuring fourteen people.") == "en"
    assert language_of("Tuesday") is None  # too short to tell
    assert language_name("pt") == "Portuguese" and language_name("xx") == "xx"
    assert main_language({"a": "en", "b": "fr", "c": "en"}) == "en"
    assert main_language({"a": "en", "b": "fr"}) == "en" and main_language({}) == "en"


@pytest.mark.parametrize("case_dir", sorted(FOREIGN))
def test_each_source_language_is_found(case_dir: str) -> None:
    ct = build_case_text(load_case_sources(ROOT / case_dir))
    source, code = FOREIGN[case_dir]
    assert ct.language == "en"
    assert {sid: lang for sid, lang in ct.languages.items() if lang != "en"} == {source: code}
    # Not taken for a report of another event because its nouns are capitalized, or its words are not English.
    assert source not in ct.outliers


@pytest.mark.parametrize("case_dir", sorted(FOREIGN))
def test_a_foreign_source_never_gives_the_headline_a_w_field_or_a_fact(case_dir: str) -> None:
    analysis = analyze(load_case_sources(ROOT / case_dir))
    ct = analysis.text
    summary = assemble(ct, analysis.facts, analysis.conflicts)
    foreign = [s.text for i, s in enumerate(ct.sentences) if ct.foreign(i)]
    assert foreign
    for field in filter(None, (summary.headline, summary.who, summary.what, summary.where, summary.when)):
        assert language_of(field) in (None, "en"), field
        assert len(field) < 25 or not any(field in s for s in foreign), field
    assert all(not ct.foreign(g.anchor) for g in analysis.facts)
    # A conflict side taken from the foreign source says its language.
    source, code = FOREIGN[case_dir]
    for sentence in summary.briefing.split("Sources disagree")[1:]:
        if f"[{source}] reports" in sentence or f"[{source}] report" in sentence:
            assert f"(in {language_name(code)})" in sentence
