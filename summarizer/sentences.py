"""Sentence splitting with character offsets (pysbd: "Gen.", "a.m.", "U.S." and quotes do not break a sentence)."""

from __future__ import annotations

import re
import threading

import pysbd
from pydantic import BaseModel

from summarizer.cleaning import CleanSource


class Sentence(BaseModel):
    """A sentence as [start, end) offsets into the text it was split from, and its text."""

    start: int
    end: int
    text: str


_LOCAL = threading.local()


def _segmenter(language: str) -> pysbd.Segmenter:
    # pysbd keeps state while segmenting: one segmenter per thread, or concurrent runs garble each other.
    cache = _LOCAL.__dict__.setdefault("segmenters", {})
    if language not in cache:
        cache[language] = _new_segmenter(language)
    return cache[language]


def _new_segmenter(language: str) -> pysbd.Segmenter:
    return pysbd.Segmenter(language=language, clean=False, char_span=True)


def split_sentences(text: str, *, offset: int = 0, language: str = "en") -> list[Sentence]:
    """Split one paragraph into sentences; offsets are shifted by `offset` (the paragraph's start)."""
    out: list[Sentence] = []
    cursor = 0
    for piece in _segmenter(language).segment(text):
        body = piece.sent.strip()
        if not body:
            continue
        # Locate the sentence ourselves: pysbd's spans drift on repeated sentences.
        found = text.find(body, cursor)
        start = found if found >= 0 else cursor
        cursor = start + len(body)
        out.append(Sentence(start=offset + start, end=offset + cursor, text=text[start:cursor]))
    return out


# Repairs on top of pysbd for news prose, used by the crosssource pipeline. pysbd splits
# "at 9 a.m. Tuesday" and leaves a sentence open inside a multi-sentence quotation; a
# citation must never cut a quotation in half.
_TITLE_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof gen lt col maj capt cpt sgt cmdr adm brig rep sen gov pres st rev fr hon supt insp det".split()
)
_AMBIGUOUS_ABBREVIATION = re.compile(r"(?:\b(?:[A-Za-z]\.){2,}|\b(?:jan|feb|mar|apr|aug|sept?|oct|nov|dec|no)\.)$", re.I)
_CONTINUATION_WORDS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july august "
    "september october november december jan feb mar apr jun jul aug sep sept oct nov dec "
    "et pt ct mt utc gmt bst cet cest est edt cst cdt pst pdt nzdt nzst aest local".split()
)


class NewsSentence(Sentence):
    """A sentence of one source's retained news text, with offsets into the original article."""

    source_id: str
    index: int
    paragraph: int


def _quote_open(text: str) -> bool:
    """True when a quotation opened in `text` is not closed by its end."""
    return text.count("\u201c") > text.count("\u201d") or text.count('"') % 2 == 1


def _joins_next(current: str, following: str) -> bool:
    """Whether a pysbd boundary between two pieces is not a real sentence end."""
    words = current.split()
    nxt = following.lstrip()
    if not words or not nxt:
        return False
    last = words[-1]
    first_word = re.sub(r"\W+$", "", nxt.split()[0]).lower()
    if nxt[0].islower() or nxt[0].isdigit() or nxt[0] in ",;:)":
        return True
    if last.endswith(".") and last[:-1].lower().lstrip("(") in _TITLE_ABBREVIATIONS:
        return True
    if _AMBIGUOUS_ABBREVIATION.search(last) and first_word in _CONTINUATION_WORDS:
        return True
    return _quote_open(current)


def split_news_paragraph(text: str, *, offset: int = 0) -> list[Sentence]:
    """`split_sentences` with the news repairs: abbreviations and open quotations join pieces."""
    merged: list[Sentence] = []
    for piece in split_sentences(text, offset=offset):
        if merged and _joins_next(merged[-1].text, piece.text):
            prev = merged[-1]
            merged[-1] = Sentence(start=prev.start, end=piece.end, text=text[prev.start - offset:piece.end - offset])
        else:
            merged.append(piece)
    return merged


def source_sentences(clean: CleanSource) -> list[NewsSentence]:
    """Every sentence of a source's retained news paragraphs, in order, offsets into the original text."""
    out: list[NewsSentence] = []
    for p, span in enumerate(clean.kept):
        for s in split_news_paragraph(span.text, offset=span.start):
            out.append(NewsSentence(source_id=clean.source_id, index=len(out), paragraph=p,
                                    start=s.start, end=s.end, text=s.text))
    return out
