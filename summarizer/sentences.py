"""Sentence splitting with character offsets (pysbd: "Gen.", "a.m.", "U.S." and quotes do not break a sentence)."""

from __future__ import annotations

from functools import lru_cache

import pysbd
from pydantic import BaseModel


class Sentence(BaseModel):
    """A sentence as [start, end) offsets into the text it was split from, and its text."""

    start: int
    end: int
    text: str


@lru_cache(maxsize=4)
def _segmenter(language: str) -> pysbd.Segmenter:
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
