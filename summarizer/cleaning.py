"""Source cleaning: mark boilerplate spans, keep offsets into the text as published.

Cleaning never rewrites retained text. It works line by line (a published
article is a sequence of paragraphs, one per line) and labels each line as
news or as one kind of boilerplate, so any quote can be traced back to the
original file by its character offsets.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache
from typing import Literal

from pydantic import BaseModel

from summarizer.sources import Source

SpanKind = Literal["news", "notice", "donation", "share", "headlines", "caption", "foreign_link", "byline"]

_NOTICE = re.compile(
    r"copyright|©|all rights reserved|privacy (and|&) cookie|cookie (policy|policies|settings|notice)|we use cookies"
    r"|terms of (use|service)|permission must be|active hyperlink|reprint|is supported by the|sign up for|newsletter"
    r"|subscribe (to|now)|follow us on|accept (all )?cookies|^advertisement$|^read more\b|^related:|^see also\b",
    re.I,
)
# Phrases no news sentence uses: a notice whatever the paragraph's length.
_NOTICE_ANY_LENGTH = re.compile(r"permission must be|active hyperlink|all rights reserved|written permission|"
                                r"this (material|article) may not be (published|reproduced)", re.I)
_DONATION = re.compile(
    r"donat(e|ion)|become a patron|patreon|join our community|support (us|our (work|journalism|reporting))"
    r"|cup of coffee|readers like you|you could close this page|help us (produce|keep)",
    re.I,
)
_SHARE = re.compile(r"^(share( on| this)?:?|total|shares?|tweet|email|print|facebook|twitter|linkedin|whatsapp|"
                    r"copy link|\d+( shares?)?|comments?)$", re.I)
_CAPTION = re.compile(r"\((image|photo) credit|\bphoto( credit)?:|\(photo\b|\bcredit: [^)]*\)\s*$|getty images"
                      r"|\(ap photo|\bfile photo\b|\bpictured\b", re.I)
_BYLINE = re.compile(r"^(by [A-Z][\w.' -]{2,60}|[A-Z][\w .'-]{1,40} \| [A-Z][\w .'-]{1,40})$")
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*\s*$")
_HEADLINE_RUN = 3
_HEADLINE_MAX_WORDS = 22


class Span(BaseModel):
    """A stretch of the original text: [start, end) character offsets, and what it is."""

    start: int
    end: int
    kind: SpanKind
    text: str


class CleanSource(BaseModel):
    """A source with every line labelled; only `news` spans are handed on."""

    source_id: str
    original: str
    spans: list[Span]

    @property
    def kept(self) -> list[Span]:
        return [s for s in self.spans if s.kind == "news"]

    @property
    def dropped(self) -> list[Span]:
        return [s for s in self.spans if s.kind != "news"]

    @property
    def text(self) -> str:
        """The retained paragraphs, one per line (each exactly as published)."""
        return "\n".join(s.text for s in self.kept)


def _script(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return name.split(" ")[0] if name else ""


def dominant_script(text: str) -> str:
    counts = Counter(_script(c) for c in text if c.isalpha())
    return counts.most_common(1)[0][0] if counts else "LATIN"


def _line_kind(line: str, script: str) -> SpanKind:
    stripped = line.strip()
    words = stripped.split()
    if _SHARE.match(stripped):
        return "share"
    if _DONATION.search(stripped):
        return "donation"
    if _CAPTION.search(stripped):
        return "caption"
    if (len(words) <= 25 and _NOTICE.search(stripped)) or _NOTICE_ANY_LENGTH.search(stripped):
        return "notice"
    if len(words) <= 8 and _BYLINE.match(stripped):
        return "byline"
    letters = [c for c in stripped if c.isalpha()]
    if letters and len(words) <= 30:
        foreign = sum(1 for c in letters if _script(c) != script)
        if foreign > len(letters) / 2:
            return "foreign_link"
    return "news"


def _is_headline_like(line: str) -> bool:
    # Other stories' headlines have four words or more; a masthead ("STATE HIGHWAY PATROL") fewer.
    words = [w for w in line.split() if any(c.isalpha() for c in w)]
    return 4 <= len(words) <= _HEADLINE_MAX_WORDS and not _SENTENCE_END.search(line)


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank line, end excluding the newline and trailing blanks."""
    out = []
    for m in re.finditer(r"[^\n]+", text):
        seg = m.group(0)
        if seg.strip():
            lead = len(seg) - len(seg.lstrip())
            out.append((m.start() + lead, m.start() + len(seg.rstrip())))
    return out


def clean(source: Source) -> CleanSource:
    """Label every line of an article; retained text is never altered."""
    text = source.text
    script = dominant_script(text)
    lines = _lines(text)
    kinds: list[SpanKind] = [_line_kind(text[a:b], script) for a, b in lines]
    # A run of short, unpunctuated lines is a list of other stories' headlines.
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and kinds[j] == "news" and _is_headline_like(text[lines[j][0]:lines[j][1]]):
            j += 1
        if j - i >= _HEADLINE_RUN:
            kinds[i:j] = ["headlines"] * (j - i)
        i = max(j, i + 1)
    spans = [Span(start=a, end=b, kind=k, text=text[a:b]) for (a, b), k in zip(lines, kinds, strict=True)]
    return CleanSource(source_id=source.id, original=text, spans=spans)


@lru_cache(maxsize=4096)
def _clean_cached(source_id: str, text: str) -> CleanSource:
    return clean(Source(id=source_id, path="", text=text))


def clean_text(source: Source) -> CleanSource:
    """`clean`, memoized on the text (scorers clean the same sources many times)."""
    return _clean_cached(source.id, source.text)
