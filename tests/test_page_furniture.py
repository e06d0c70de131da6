"""No briefing of any suite holds a byline, a timestamp line, a dateline or a foreign-language headline;
strict cleaning labels them with offsets into the text as published, and the scorer's cleaning is unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest

from summarizer.cleaning import clean, clean_text, dateline_length, page_line_kind
from summarizer.crosssource.pipeline import CrossSource
from summarizer.language import language_of
from summarizer.sources import Source, load_case_sources

ROOT = Path(__file__).resolve().parent.parent
CASES = sorted(p.parent for suite in ("seeds", "evals/suites/newsroom", "evals/suites/fresh")
               for p in (ROOT / suite).glob("*/sources"))


@pytest.mark.parametrize("line", ["By Tom Reilly | Updated 4:15 p.m.", "(Reporting by Ann Cho; Editing by Tom Ashdown)",
                                  "By Dr. Marcus Feld, Naval Correspondent", "Par Sophie Lemaire | Publié le 9 mai 2026",
                                  "Staff reporter | 11 May 2026", "Posted by Wes Tolliver", "(Editing by Claire Munro)"])
def test_bylines(line: str) -> None:
    assert page_line_kind(line) == "byline"


@pytest.mark.parametrize("line", ["Updated 10:48 PM, Jun 11, 2025", "Posted Tuesday 6:05 PM", "10:12 p.m.",
                                  "Thursday, 17 September 2026 | 2:14 PM CET | 3 min read", "Published: Wednesday",
                                  "2 March 2026 | Supply chain | By FMT staff", "Last updated: 4 July, 14:05"])
def test_timestamp_lines(line: str) -> None:
    assert page_line_kind(line) == "timestamp"


@pytest.mark.parametrize("line", ["By early evening the fire was out.", "By Sunday, the river had fallen.",
                                  "The course record of 2:08:50 was set in 2021.", "Council tax to rise by 4.99%",
                                  "Members backed strike action by 87% on a 64% turnout.",
                                  "Issued 9 October, 14:00 local time."])
def test_news_lines_stay(line: str) -> None:
    assert page_line_kind(line) is None


def test_datelines_are_spans_with_offsets() -> None:
    text = "Fire guts bakery\nMARROWICK, Tuesday (Wire) \u2014 A fire destroyed a bakery early on Tuesday.\n"
    strict = clean(Source(id="w", path="", text=text), strict=True)
    [dateline] = [s for s in strict.spans if s.kind == "dateline"]
    assert text[dateline.start:dateline.end] == dateline.text == "MARROWICK, Tuesday (Wire) \u2014 "
    assert strict.kept[-1].text == "A fire destroyed a bakery early on Tuesday."
    assert text[strict.kept[-1].start:strict.kept[-1].end] == strict.kept[-1].text
    assert dateline_length("UPDATE 2-Council votes") == len("UPDATE 2-")
    # What a summary is checked against keeps the line whole.
    assert clean(Source(id="w", path="", text=text)).kept[-1].text.startswith("MARROWICK")


@pytest.mark.parametrize("case_dir", CASES, ids=lambda p: p.name)
def test_no_briefing_holds_page_furniture_or_a_foreign_headline(case_dir: Path) -> None:
    case = load_case_sources(case_dir)
    summary = CrossSource().summarize(case).summary
    # `when` is the date, which a timestamp line may give too.
    texts = [summary.headline, summary.who, summary.what, summary.where, summary.briefing]
    texts += [f.text for f in summary.facts] + [c.quote for f in summary.facts for c in f.citations]
    texts += [p.claim for c in summary.conflicts for p in c.positions]
    furniture = [sp.text.strip() for s in case.sources for sp in clean_text(s, strict=True).spans
                 if sp.kind in ("byline", "timestamp", "dateline")]
    news = [clean_text(s, strict=True).text for s in case.sources]
    for piece in furniture:
        # A date line may repeat words a news sentence says too ("Saturday, October 17").
        if len(piece) >= 8 and not any(piece in text for text in news):
            assert not any(piece in t for t in texts), piece
    foreign = [s.text for s in case.sources if language_of(clean_text(s, strict=True).text) not in (None, "en")]
    assert not any(summary.headline in text for text in foreign), summary.headline
