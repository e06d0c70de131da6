"""What the scorers look things up in: each source's news text, sentence by sentence.

Built once per case. Boilerplate (cleaning's dropped spans) is not in it: a
claim that only a donation appeal or a photo caption supports is unsupported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import re

from evals.anchors import EQUIVALENTS, MONTHS, number_values, token_forms, word_tokens

_DIRECTION_WORD = re.compile(r"^(north|south)?(east|west)?$|^(north|south)$")
from evals.canonical import expand
from evals.outlets import outlet_words
from summarizer.cleaning import clean_text
from summarizer.sentences import split_sentences
from summarizer.sources import CaseSources, Source
from summarizer.text import normalize, quote_in_text


@dataclass(frozen=True)
class IndexedSentence:
    source_id: str
    start: int
    end: int
    text: str
    tokens: tuple[str, ...]


@dataclass
class SourceIndex:
    """Sentences, tokens and numbers of every source's news text."""

    originals: dict[str, str]
    news: dict[str, str]
    sentences: dict[str, list[IndexedSentence]]
    tokens: dict[str, set[str]] = field(default_factory=dict)
    numbers: dict[str, set[str]] = field(default_factory=dict)
    normalized: dict[str, str] = field(default_factory=dict)
    publisher_tokens: dict[str, set[str]] = field(default_factory=dict)
    publisher_text: dict[str, str] = field(default_factory=dict)  # notices, bylines, masthead, dateline credit
    outlets: dict[str, str] = field(default_factory=dict)  # outlet name word -> source id (evals/outlets.py)

    @property
    def source_ids(self) -> list[str]:
        return list(self.originals)

    def has_token(self, token: str, scope: list[str]) -> bool:
        """A whole word in any scope source, or (for words of 6+ letters) a word it is a stem of."""
        if any(self._has_word(alt, scope) for alt in EQUIVALENTS.get(token, ())):
            return True
        return self._has_word(token, scope)

    def _has_word(self, token: str, scope: list[str]) -> bool:
        if token in MONTHS:  # "December" is "Dec" in a dateline
            return self._has_word(token[:3], scope) or any(token in self.tokens[sid] for sid in scope)
        for sid in scope:
            toks = self.tokens[sid]
            if token in toks:
                return True
            if len(token) >= 6 and token.isalpha():
                stem = token[: max(5, len(token) - 3)]
                if any(t.startswith(stem) for t in toks):
                    return True
        return False

    def has_abbreviated(self, token: str, scope: list[str]) -> bool:
        """A shorthand of a word in a scope source: a short prefix ("Vic" of "Victoria", "Prov" of
        "Province") or a consonant skeleton ("PKG" of "package", "Oppn" of "Opposition")."""
        if not (2 <= len(token) <= 5 and token.isalpha()):
            return False
        skeleton = len(token) >= 3 and sum(c in "aeiou" for c in token[1:]) <= 1
        pattern = re.compile("".join(f"{c}\\w*" for c in token)) if skeleton else None
        for sid in scope:
            for t in self.tokens[sid]:
                if len(t) < len(token) + 2 or t[0] != token[0]:
                    continue
                if (len(token) <= 4 and t.startswith(token)) or (pattern and pattern.fullmatch(t)):
                    return True
        return False

    def is_publisher_name(self, token: str) -> bool:
        """An outlet's own name, from any source's notice, byline or masthead: a name used to attribute."""
        return any(token in toks for toks in self.publisher_tokens.values())

    def has_number(self, value: str, scope: list[str]) -> bool:
        return any(value in self.numbers[sid] for sid in scope)

    def has_direction(self, key: str, scope: list[str]) -> bool:
        """'east' is in 'eastern', 'northwestern' in 'north-west' (but 'western' is not in 'southwestern')."""
        return any(t.startswith(key) or (key.startswith(t) and _DIRECTION_WORD.match(t))
                   for sid in scope for t in self.tokens[sid])

    def has_quote(self, quote: str, scope: list[str]) -> bool:
        q = normalize(quote)
        return any(q in self.normalized[sid] for sid in scope)

    def quote_in_original(self, source_id: str, quote: str) -> bool:
        return quote_in_text(quote, self.originals[source_id])


# A short title line near the top ("Kelsford Gazette", "WDCN News 5 Staff", "KRVN 4 News"), not a date.
_MASTHEAD = re.compile(r"^\s*(?:[A-Z0-9][\w'&.-]*\s*){1,6}$")
_DATE_WORD = (r"(?:\d{1,4}|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Mon|Tue|Tues|Wed|Thu|Thurs|Fri|Sat|Sun)"
              r"[a-z]*\.?)")
_DATE_LINE = re.compile(rf"^\s*(?:{_DATE_WORD},?\s*)+$")
# "WELLINGTON, Nov 12 (Global Wire) -": the agency credited in a dateline.
_DATELINE_CREDIT = re.compile(r"^[A-Z][A-Z .'-]+,[^()\n]{0,40}\(([A-Z][^()]{1,40})\)\s*[-\u2013\u2014]")


def build_index(sources: CaseSources) -> SourceIndex:
    """The index of a case's sources (memoized: scoring many summaries of one case builds it once)."""
    return _build_index_cached(tuple((s.id, s.text) for s in sources.sources))


@lru_cache(maxsize=256)
def _build_index_cached(key: tuple[tuple[str, str], ...]) -> SourceIndex:
    originals = {sid: text for sid, text in key}
    news: dict[str, str] = {}
    sentences: dict[str, list[IndexedSentence]] = {}
    publisher_tokens: dict[str, set[str]] = {}
    publisher_text: dict[str, str] = {}
    for source in (Source(id=sid, path="", text=text) for sid, text in key):
        cleaned = clean_text(source)
        news[source.id] = cleaned.text
        # The publisher's name: its notices and bylines, a masthead, a dateline's credit.
        masthead = [sp.text for sp in cleaned.spans[:4] if _MASTHEAD.match(sp.text) and not _DATE_LINE.match(sp.text)]
        credit = [m.group(1) for sp in cleaned.kept[:2] for m in [_DATELINE_CREDIT.match(sp.text)] if m]
        publisher = " ".join([sp.text for sp in cleaned.spans if sp.kind in ("notice", "byline")] + masthead + credit)
        publisher_text[source.id] = publisher
        publisher_tokens[source.id] = token_forms(word_tokens(publisher))
        sents: list[IndexedSentence] = []
        for span in cleaned.kept:
            for s in split_sentences(span.text, offset=span.start):
                sents.append(IndexedSentence(source.id, s.start, s.end, s.text, tuple(word_tokens(expand(s.text)))))
        sentences[source.id] = sents
    index = SourceIndex(originals=originals, news=news, sentences=sentences, publisher_tokens=publisher_tokens,
                        publisher_text=publisher_text)
    for sid, text in news.items():
        # Both spellings: the text as written and with shorthand and numbers in canonical form.
        canonical = expand(text)
        index.tokens[sid] = token_forms(word_tokens(text)) | token_forms(word_tokens(canonical))
        index.numbers[sid] = number_values(text) | number_values(canonical)
        index.normalized[sid] = normalize(canonical)
    index.outlets = outlet_words(index)
    return index
