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

SpanKind = Literal["news", "notice", "donation", "share", "headlines", "caption", "foreign_link", "byline", "timestamp",
                   "dateline"]

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
# "By Tom Reilly, Courts Correspondent | Updated 4:15 p.m.", "Par Sophie Lemaire | Publié le ...", "Posted by Wes",
# "(Reporting by Ann Cho; Editing by Tom Ashdown)", "Staff reporter | 11 May 2026": who wrote it, never news.
_CREDIT_LINE = re.compile(r"^(?i:(?:posted |written |words )?by|par|von|di|por)\s+[A-Z\u00c0-\u00de][^!?]*(?:(?<![.!?])|(?<=[ap]\.m\.))$"
                          r"|^(?i:staff reporter)\b[^!?]*(?<![.!?])$"
                          r"|^\((?i:(?:(?:additional )?reporting|editing|writing|compiled) by)\b[^)]*\)$")
_CREDIT_MAX_WORDS = 16
# When a page was published or updated: "Updated 10:48 PM, Jun 11, 2025", "Posted Tuesday 6:05 PM", "10:12 p.m.",
# "Thursday, 17 September 2026 | 2:14 PM CET | 3 min read".
_STAMP_LEAD = re.compile(r"^(?:last updated|first published|updated|posted|published|publi\u00e9|aktualisiert|"
                         r"actualizado|atualizado|aggiornato)\b", re.I)
_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|"
          r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_WEEKDAY = r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?"
_CLOCK = r"\d{1,2}(?:[:.h]\d{2})?\s*(?:[ap]\.?m\.?|uhr)?"
_STAMP_TOKEN = re.compile(
    rf"(?:{_WEEKDAY}|{_MONTH}|{_CLOCK}|\d{{1,2}}\.\d{{1,2}}\.\d{{2,4}}|\d{{4}}|\d{{1,2}}(?:st|nd|rd|th)?|"
    r"[A-Z]{1,2}[SD]?T|CES?T|UTC|GMT|local time|ore|de|le|\u00e0|at|on|,|\||\d+ min read|min read)", re.I)
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


def page_line_kind(line: str) -> SpanKind | None:
    """"byline" or "timestamp" for a line that says who wrote the page or when it was published, else None."""
    stripped = line.strip()
    if len(stripped.split()) <= _CREDIT_MAX_WORDS and _CREDIT_LINE.match(stripped):
        return "byline"
    return "timestamp" if is_timestamp(stripped) else None


def _is_stamp(part: str) -> bool:
    """A piece of a line made only of dates, clock times, time zones and reading times, with a date or time in it."""
    rest = _STAMP_TOKEN.sub(" ", _STAMP_LEAD.sub(" ", part))
    return not rest.strip(" :.-\u2013\u2014") and bool(re.search(r"\d|" + _WEEKDAY, part, re.I))


def is_timestamp(line: str) -> bool:
    """A line that says when the page was published or updated ("Updated 4:15 p.m.", "2 March 2026 | Supply chain"):
    every part, or the one after "Posted"/"Updated", is a date or time; other parts are section names."""
    stripped = line.strip()
    if not stripped or len(stripped.split()) > _CREDIT_MAX_WORDS:
        return False
    if _STAMP_LEAD.match(stripped):
        head = re.split(r"\s*\|\s*", stripped)[0]
        return _is_stamp(head) or len(head.split()) <= 6 and not _SENTENCE_END.search(head)
    parts = [p for p in re.split(r"\s*\|\s*", stripped) if p]
    if not any(_is_stamp(p) for p in parts):
        return False
    # The other parts are section labels or a byline, never a sentence.
    return all(_is_stamp(p) or (len(p.split()) <= 5 and not _SENTENCE_END.search(p)) or _CREDIT_LINE.match(p)
               for p in parts) and (len(parts) > 1 or _is_stamp(stripped))


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


def clean(source: Source, *, strict: bool = False) -> CleanSource:
    """Label every line of an article; retained text is never altered.

    `strict` (what a summary is written from) also leaves out bylines, timestamp lines and each paragraph's
    dateline, as spans of their own. The default is what a summary is checked against: a date the page
    gives only in its timestamp line is still the page's word.
    """
    text = source.text
    script = dominant_script(text)
    lines = _lines(text)
    kinds: list[SpanKind] = [_line_kind(text[a:b], script) for a, b in lines]
    if strict:
        kinds = [(page_line_kind(text[a:b]) or k) if k == "news" else k for (a, b), k in zip(lines, kinds, strict=True)]
    # A run of short, unpunctuated lines is a list of other stories' headlines.
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and kinds[j] == "news" and _is_headline_like(text[lines[j][0]:lines[j][1]]):
            j += 1
        if j - i >= _HEADLINE_RUN:
            kinds[i:j] = ["headlines"] * (j - i)
        i = max(j, i + 1)
    spans: list[Span] = []
    for (a, b), k in zip(lines, kinds, strict=True):
        cut = dateline_length(text[a:b]) if strict and k == "news" else 0
        if cut:
            spans.append(Span(start=a, end=a + cut, kind="dateline", text=text[a:a + cut]))
        spans.append(Span(start=a + cut, end=b, kind=k, text=text[a + cut:b]))
    return CleanSource(source_id=source.id, original=text, spans=spans)


# "KELSFORD, England, March 8 (Northline) - ", "MARROWICK, Tuesday (Wire) \u2014 ": where and when the report was
# filed, not news; with a wire flash tag ("UPDATE 2-") after it or alone.
_DATELINE = re.compile(r"^[A-Z][A-Z .'-]{2,}(?:,[^()\u2014\u2013]{0,40})?(?:\s*\([^)]{0,40}\))?\s*[-\u2014\u2013]+\s+")
_FLASH = re.compile(r"^(?:BREAKING|UPDATE(?:\s*\d+)?|EXCLUSIVE|WATCH|LIVE|ANALYSIS)\s*[:\-\u2014]\s*", re.I)


def dateline_length(text: str) -> int:
    """How many leading characters of a paragraph are its dateline and flash tag (0 when it has none)."""
    m = _DATELINE.match(text)
    cut = m.end() if m else 0
    flash = _FLASH.match(text[cut:])
    return cut + (flash.end() if flash else 0)


@lru_cache(maxsize=4096)
def _clean_cached(source_id: str, text: str, strict: bool) -> CleanSource:
    return clean(Source(id=source_id, path="", text=text), strict=strict)


def clean_text(source: Source, *, strict: bool = False) -> CleanSource:
    """`clean`, memoized on the text (scorers clean the same sources many times)."""
    return _clean_cached(source.id, source.text, strict)
