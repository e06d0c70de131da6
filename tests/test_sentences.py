"""Sentence splitting for news: abbreviations, quotations and decimals, with exact offsets."""

from pathlib import Path

import pytest

from summarizer.cleaning import clean
from summarizer.sentences import source_sentences, split_news_paragraph
from summarizer.sources import Source, load_case_sources

SEED = Path(__file__).resolve().parent.parent / "seeds" / "milley-zaluzhnyi-poland"


def _texts(paragraph: str) -> list[str]:
    return [s.text for s in split_news_paragraph(paragraph)]


@pytest.mark.parametrize(("paragraph", "expected"), [
    ("The meeting began at 9 a.m. Tuesday and ended at 11 a.m. The talks went well.",
     ["The meeting began at 9 a.m. Tuesday and ended at 11 a.m.", "The talks went well."]),
    ("Gen. Mark Milley met Col. Dave Butler in Poland. They talked for two hours.",
     ["Gen. Mark Milley met Col. Dave Butler in Poland.", "They talked for two hours."]),
    ("The U.S. Army sent aid to the region. The U.S. is sending more.",
     ["The U.S. Army sent aid to the region.", "The U.S. is sending more."]),
    ("\u201cWe will win. We are strong,\u201d the general said. Then he left.",
     ["\u201cWe will win. We are strong,\u201d the general said.", "Then he left."]),
    ("He said \u201cStop. Now.\u201d and walked out of the room. Nobody followed.",
     ["He said \u201cStop. Now.\u201d and walked out of the room.", "Nobody followed."]),
    ("The package is worth $3.75 billion. It was announced on Jan. 6 by the Pentagon.",
     ["The package is worth $3.75 billion.", "It was announced on Jan. 6 by the Pentagon."]),
])
def test_hard_cases_split_where_a_reader_would(paragraph: str, expected: list[str]) -> None:
    assert _texts(paragraph) == expected


def test_offsets_are_into_the_text_given() -> None:
    prefix = "HEADLINE\n"
    paragraph = "Lt. Gen. Smith arrived at 10 a.m. Monday. \u201cIt went well. Very well,\u201d he said."
    text = prefix + paragraph
    for s in split_news_paragraph(paragraph, offset=len(prefix)):
        assert text[s.start:s.end] == s.text
    assert len(split_news_paragraph(paragraph)) == 2


def test_source_sentences_quote_the_original_and_skip_boilerplate() -> None:
    case = load_case_sources(SEED)
    for source in case.sources:
        cleaned = clean(source)
        kept = [(sp.start, sp.end) for sp in cleaned.kept]
        sentences = source_sentences(cleaned)
        assert sentences, source.id
        for s in sentences:
            assert source.text[s.start:s.end] == s.text
            assert any(a <= s.start and s.end <= b for a, b in kept), s.text
        assert [s.index for s in sentences] == list(range(len(sentences)))
    caption = "Ali Al Salem Air Base"
    assert not any(caption in s.text for src in case.sources for s in source_sentences(clean(src)))


def test_a_multi_sentence_quotation_stays_one_sentence() -> None:
    source = Source(id="s", path="", text="Butler said that \u201cThey talk often. They trust each other.\u201d\n")
    [sentence] = source_sentences(clean(source))
    assert sentence.text.endswith("\u201d")
