"""Dates and weekdays in a sentence, and whether two of them disagree.

"Tuesday" and "January 17" agree unless a year is stated and makes January 17
another weekday; "Jan. 17", "17 January" and "January 17th" are one date.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from pydantic import BaseModel

from summarizer.crosssource.context import context_around

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")
_MONTH_RE = (r"(?P<{g}>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
             r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_DAY_RE = r"(?P<{g}>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR_RE = r"(?:,?\s(?P<{g}>(?:19|20)\d\d))?"
_MONTH_DAY = re.compile(r"\b" + _MONTH_RE.format(g="m1") + r"\s" + _DAY_RE.format(g="d1") + r"\b"
                        + _YEAR_RE.format(g="y1"), re.I)
_DAY_MONTH = re.compile(r"\b" + _DAY_RE.format(g="d2") + r"\s(?:of\s)?" + _MONTH_RE.format(g="m2") + r"\b"
                        + _YEAR_RE.format(g="y2"), re.I)
_WEEKDAY = re.compile(r"\b(" + "|".join(WEEKDAYS) + r")\b", re.I)


class DateMention(BaseModel):
    """A weekday or a calendar date as written in a sentence."""

    kind: Literal["weekday", "date"]
    text: str
    weekday: int | None = None
    month: int | None = None
    day: int | None = None
    year: int | None = None
    context: list[str] = []

    @property
    def key(self) -> str:
        return WEEKDAYS[self.weekday or 0] if self.kind == "weekday" else f"{self.month:02d}-{self.day:02d}"


def _month(name: str) -> int:
    return next(i for i, m in enumerate(_MONTHS, 1) if m.startswith(name.lower().rstrip(".")[:3]))


def extract_dates(sentence: str) -> list[DateMention]:
    """Weekdays and month-day dates ("January 17", "17 Jan", "Jan. 17th, 2023")."""
    out: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for pattern, (mg, dg, yg) in ((_MONTH_DAY, ("m1", "d1", "y1")), (_DAY_MONTH, ("m2", "d2", "y2"))):
        for m in pattern.finditer(sentence):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            day = int(m.group(dg))
            # A month name is capitalized: "they may 5 times" and "march 3 miles" are not dates.
            if not 1 <= day <= 31 or not m.group(mg)[0].isupper():
                continue
            taken.append((m.start(), m.end()))
            year = int(m.group(yg)) if m.group(yg) else None
            out.append(DateMention(kind="date", text=m.group(0), month=_month(m.group(mg)), day=day, year=year,
                                   context=context_around(sentence, m.start(), m.end())))
    for m in _WEEKDAY.finditer(sentence):
        out.append(DateMention(kind="weekday", text=m.group(0), weekday=WEEKDAYS.index(m.group(1).lower()),
                               context=context_around(sentence, m.start(), m.end())))
    return out


def _weekday_of(date: DateMention) -> int | None:
    if date.year is None or date.month is None or date.day is None:
        return None
    try:
        return dt.date(date.year, date.month, date.day).weekday()
    except ValueError:
        return None


def dates_agree(a: DateMention, b: DateMention) -> bool:
    """Whether two mentions can name the same day."""
    if a.kind == b.kind == "weekday":
        return a.weekday == b.weekday
    if a.kind == b.kind == "date":
        same_day = (a.month, a.day) == (b.month, b.day)
        return same_day and (a.year is None or b.year is None or a.year == b.year)
    date, weekday = (a, b) if a.kind == "date" else (b, a)
    known = _weekday_of(date)
    return known is None or known == weekday.weekday


_CLOCK = re.compile(r"\b(?P<h>[012]?\d)(?:[:.](?P<m>[0-5]\d))?\s?(?P<ap>a\.?m\.?|p\.?m\.?)(?![\w])|\b(?P<h24>[012]\d):(?P<m24>[0-5]\d)\b",
                    re.I)
_CLOCK_HEDGE = re.compile(r"(?:about|around|approximately|roughly|shortly (?:before|after)|just (?:before|after)|"
                          r"some time (?:before|after)|circa|nearly|almost)\s*$", re.I)
# A time in another zone is the same moment written differently: never compared.
_ZONE = re.compile(r"\b(?:UTC|GMT|BST|CET|CEST|EST|EDT|CST|CDT|PST|PDT|ET|PT|NZDT|NZST|AEST|AEDT|IST|JST)\b|"
                   r"\b(?:local|UK|US|British|Eastern|Pacific|Central) time\b", re.I)


# A time that opens a period is not comparable with one that closes it ("from 6:10 a.m. until 8 p.m.").
_ROLES = {"start": "from|since|starting|beginning|began|begins|start", "end": "until|till|to|through|ending|ended|by"}


class ClockTime(BaseModel):
    """A time of day as written ("about 3:15 a.m."): minutes after midnight, and how firmly given."""

    text: str
    minutes: int
    hedged: bool
    zoned: bool
    role: str = ""
    context: list[str] = []


def extract_times(sentence: str) -> list[ClockTime]:
    """Times of day; those in a sentence that names a time zone are marked (they are not compared)."""
    zoned = bool(_ZONE.search(sentence))
    out = []
    for m in _CLOCK.finditer(sentence):
        if m.group("h24"):
            hour, minute = int(m.group("h24")), int(m.group("m24"))
        else:
            hour, minute = int(m.group("h")) % 12, int(m.group("m") or 0)
            if m.group("ap").lower().startswith("p"):
                hour += 12
        if hour > 23:
            continue
        before = re.sub(r"(?:about|around|approximately|roughly|shortly|just|after|before|some time)\s*$", "",
                        sentence[:m.start()].rstrip(), flags=re.I).rstrip()
        role = next((r for r, words in _ROLES.items() if re.search(rf"\b(?:{words})$", before, re.I)), "")
        out.append(ClockTime(text=m.group(0).strip(), minutes=hour * 60 + minute, role=role,
                             hedged=bool(_CLOCK_HEDGE.search(sentence[:m.start()])), zoned=zoned,
                             context=context_around(sentence, m.start(), m.end(), window=10)))
    return out


def times_agree(a: ClockTime, b: ClockTime) -> bool:
    """Within a few minutes (half an hour when hedged); a gap of whole hours may be a time zone."""
    gap = abs(a.minutes - b.minutes)
    gap = min(gap, 24 * 60 - gap)
    if a.zoned or b.zoned or gap % 60 <= 5 or gap % 60 >= 55:
        return True
    return gap <= (30 if a.hedged or b.hedged else 5)
