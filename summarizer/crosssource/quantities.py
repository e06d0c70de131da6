"""Numbers in a sentence, with what they count, and whether two of them disagree.

Rounding (49.6% / 50%), scale words (1.2 billion / 1,200 million / €1.2bn),
units (2 hours / 120 minutes, 34 parsecs / 112 light-years, 38 C / 100 F),
number words (two / 2, a couple of / 2, nine and a half) and hedges ("about",
"nearly", "at least") are not disagreements; 12 vs 14 injured is. Besides
amounts there are vote tallies (7-2), labels (exit 12) and ordinals (87th
minute): those agree only when equal.
"""

from __future__ import annotations

import math
import re
from typing import Literal

from pydantic import BaseModel

from summarizer.crosssource.context import context_around, stem
from summarizer.text import normalize

Hedge = Literal["exact", "approx", "at_least", "at_most"]
QuantityKind = Literal["amount", "tally", "label", "ordinal"]

_WORD_VALUES = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12,
}
_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "bn": 1e9, "mln": 1e6, "m": 1e6,
           "mn": 1e6, "b": 1e9, "k": 1e3, "hundred": 1e2}
_CURRENCIES = {"$": "usd", "us$": "usd", "usd": "usd", "dollar": "usd", "€": "eur", "eur": "eur", "euro": "eur",
               "£": "gbp", "gbp": "gbp", "pound": "gbp", "sterling": "gbp"}
# (dimension, factor to the dimension's base unit).
_UNITS: dict[str, tuple[str, float]] = {
    "second": ("time", 1), "minute": ("time", 60), "hour": ("time", 3600), "day": ("time", 86400),
    "week": ("time", 604800), "month": ("time", 2629800), "year": ("time", 31557600), "decade": ("time", 315576000),
    "mm": ("length", 0.001), "cm": ("length", 0.01), "m": ("length", 1), "meter": ("length", 1), "metre": ("length", 1),
    "km": ("length", 1000), "kilometer": ("length", 1000), "kilometre": ("length", 1000), "mile": ("length", 1609.34),
    "foot": ("length", 0.3048), "feet": ("length", 0.3048), "ft": ("length", 0.3048), "yard": ("length", 0.9144),
    "inch": ("length", 0.0254), "light-year": ("length", 9.4607e15), "parsec": ("length", 3.0857e16),
    "kg": ("mass", 1), "kilogram": ("mass", 1), "g": ("mass", 0.001), "gram": ("mass", 0.001),
    "tonne": ("mass", 1000), "ton": ("mass", 1000), "lb": ("mass", 0.4536), "pound": ("mass", 0.4536),
    "%": ("percent", 1), "percent": ("percent", 1), "pct": ("percent", 1),
    "kelvin": ("temperature", 1), "celsius": ("temperature", 1), "fahrenheit": ("temperature", 1),
    "hectare": ("area", 1e4), "ha": ("area", 1e4), "acre": ("area", 4046.86), "km2": ("area", 1e6),
    "sq": ("area", 1e6), "square": ("area", 1e6),
}
_APPROX = ("about", "around", "approximately", "roughly", "nearly", "almost", "some", "estimated", "an estimated",
           "close to", "nearing", "nears", "circa", "approx", "just under", "just over", "shortly before",
           "shortly after")
_AT_LEAST = ("at least", "more than", "over", "upwards of", "in excess of", "exceeding", "no fewer than", "above")
_AT_MOST = ("up to", "less than", "fewer than", "under", "below", "as many as", "no more than", "at most")
_SKIP_AFTER = frozenset("of the a an".split())
_VERBS = frozenset("were was is are be been have has had lost died fled said say says took take came come went go got "
                   "made make left remain remained stood stand put gave give rose fell rallied marched attended voted "
                   "more fewer less than".split())
# Counts of people are one thing whatever the noun: "12 people were injured" / "fourteen passengers were hurt".
PERSON_NOUNS = frozenset("people person passenger occupant resident individual victim patient adult civilian rider "
                         "casualty worker staff employee miner student child children adult soldier troop member "
                         "injured hurt killed dead wounded missing died arrested evacuated rescued displaced "
                         "hospitalised hospitalized treated".split())
_NOT_UNITS = frozenset("of in on at to for with and or from by as who which that when where while but after before "
                       "across through over during since including against among between within without throughout "
                       "near outside inside around about per each apiece "
                       "into than per a an the this its their his her".split())
# A number right after one of these is a label, not an amount ("exit 12", "Interstate 81").
_LABEL_WORDS = frozenset(
    "exit route highway interstate district flight gate terminal platform channel room section article chapter "
    "ward precinct pier berth building block lot unit phase stage category grade class round game line bus train "
    "level floor act amendment page number no station runway lane track match matchday week".split()
)
_MONTHS = r"jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"
_TIME = re.compile(r"\b\d{1,2}[:.]\d{2}\s?(?:am|pm|utc|gmt|cet|cest|bst|nzdt|nzst|edt|est|et|pt)\b|\b\d{1,2}:\d{2}\b"
                   r"|\b\d{1,2}\s?(?:am|pm)\b")
_DATE = re.compile(rf"\b(?:{_MONTHS})[a-z]*\.?\s\d{{1,2}}(?:st|nd|rd|th)?\b|\b\d{{1,2}}(?:st|nd|rd|th)?\s(?:of\s)?(?:{_MONTHS})[a-z]*\b")
_WORD_NUM = "|".join(w for w in _WORD_VALUES if w not in ("one", "hundred", "dozen"))
_NUMERAL = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_TALLY = re.compile(rf"(?<![\w.,/-])(?P<a>\d{{1,3}}|{_WORD_NUM})(?:-|\sto\s|\svotes\sto\s|-to-)(?P<b>\d{{1,3}}|{_WORD_NUM})(?![\w.,]?\d)(?!\s?(?:%|per|percent)\b)")
_HALF = re.compile(rf"(?<![\w.,])(?P<n>\d+|{_WORD_NUM}|a)(?:\sand\sa\shalf|-and-a-half|½)(?P<u>\s[a-z-]+)?")
_COMPOUND_TIME = re.compile(rf"(?<![\w.,])(?P<n1>\d+|{_WORD_NUM})\s(?P<u1>years?|hours?)\sand\s(?P<n2>\d+|{_WORD_NUM})\s(?P<u2>months?|minutes?)\b")
_NUMBER = re.compile(
    rf"(?<![\w.,/-])(?P<cur>us\$|\$|€|£|(?:eur|usd|gbp)\s)?(?P<num>{_NUMERAL})(?P<ord>st|nd|rd|th)?(?![\w.,]?\d)"
    rf"(?P<suffix>\s?%|\s(?:percent|per cent|pct)\b|(?:bn|mn|m|k|b)\b)?(?:[\s-](?P<scale>thousand|million|billion|trillion|bn|mln)\b)?"
)
_WORDS = re.compile(rf"\b(?P<couple>(?:a )?couple of)\b|\b(?:(?P<tens>twenty|thirty|forty|fifty|sixty|seventy|eighty"
                    rf"|ninety)-(?P<ones>one|two|three|four|five|six|seven|eight|nine)|(?P<word>{_WORD_NUM}|dozen))\b"
                    r"(?:\s(?P<scale>thousand|million|billion|hundred|dozen))?")
_TOKEN = re.compile(r"[\w%$€£]+(?:[-'][\w]+)*")
_AGE_AFTER = re.compile(r"-?\s?years?[- ]old\b|-year-old")
_AGE_BEFORE = re.compile(r"\b(?:aged|age)\s$")
_AGE_APPOSITION = re.compile(r", \d{1,2},")


class Quantity(BaseModel):
    """A number as stated: its value in base units, what it counts, and how firmly it is given."""

    kind: QuantityKind
    value: float
    step: float
    dimension: str | None
    unit: str
    hedge: Hedge
    text: str
    phrase: str
    context: list[str]


def _singular(word: str) -> str:
    if word in ("feet", "people", "series", "news", "us", "police", "celsius"):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss") and len(word) > 2:
        return word[:-1]
    return word


def _hedge(before: str) -> tuple[Hedge, int]:
    """The hedge right before a number, and where it starts in `before`."""
    stripped = re.sub(r"[(\[,;:\u2014]", " ", before).rstrip()
    for phrases, hedge in ((_AT_LEAST, "at_least"), (_AT_MOST, "at_most"), (_APPROX, "approx")):
        for p in sorted(phrases, key=len, reverse=True):
            if stripped.endswith(" " + p) or stripped == p:
                return hedge, len(stripped) - len(p)  # type: ignore[return-value]
    return "exact", len(before)


def _step(digits: str) -> float:
    """The rounding step a written number implies: "50" -> 10, "1.2" -> 0.1, "49.6" -> 0.1, "14" -> 1."""
    digits = digits.replace(",", "")
    if "." in digits:
        return 10.0 ** -len(digits.split(".")[1])
    stripped = digits.rstrip("0")
    return 10.0 ** (len(digits) - len(stripped)) if stripped else 1.0


def _word_value(word: str) -> float:
    return float(_WORD_VALUES[word]) if word in _WORD_VALUES else (1.0 if word == "a" else float(word))


def _unit_after(after: str) -> tuple[str, int]:
    """The noun a number counts and where it ends in `after`: the last of up to three words before a
    function word or verb ("12 new police officers" -> officer, "fire engines" -> engine); "" if none."""
    lead = len(after) - len(after.lstrip("-"))  # "two-hour": the unit is joined by a hyphen
    unit, end = "", 0
    for m in list(_TOKEN.finditer(after[lead:]))[:4]:
        w = m.group(0)
        if re.search(r"[,.;:()\u2014\u2013]", after[lead:][end - lead if end else 0:m.start()]):
            break  # the noun phrase ends at punctuation ("12 people, two of them")
        if not unit and w in _SKIP_AFTER:
            continue
        if w in _NOT_UNITS or w in _VERBS or w[0].isdigit() or (unit and w.endswith(("ed", "ing")) and w not in _UNITS):
            break
        unit, end = _singular(w), lead + m.end()
        if unit in _UNITS or unit in _CURRENCIES:
            break
    return unit, end


def _measure(unit: str, after: str, value: float) -> tuple[str | None, float, str]:
    """(dimension, value in base units, unit) for a unit word; temperatures are converted to kelvin."""
    if unit in ("degree", "°"):
        scale = re.match(r"\s*(?:degrees?|°)\s*(celsius|centigrade|c|fahrenheit|f)\b", after)
        if scale:
            unit = {"c": "celsius", "centigrade": "celsius", "f": "fahrenheit"}.get(scale.group(1), scale.group(1))
    if unit == "celsius":
        return "temperature", value + 273.15, unit
    if unit == "fahrenheit":
        return "temperature", (value - 32) * 5 / 9 + 273.15, unit
    if unit in _CURRENCIES:
        return _CURRENCIES[unit], value, unit
    if unit in _UNITS:
        dim, factor = _UNITS[unit]
        return dim, value * factor, unit
    return None, value, unit


def _overlaps(spans: list[tuple[int, int]], a: int, b: int) -> bool:
    return any(x < b and a < y for x, y in spans)


class _Reader:
    """Collects quantities from one normalized sentence, leftmost-longest, without overlaps."""

    def __init__(self, norm: str) -> None:
        self.norm = norm
        self.taken: list[tuple[int, int]] = [(m.start(), m.end()) for p in (_TIME, _DATE) for m in p.finditer(norm)]
        self.out: list[Quantity] = []

    def add(self, kind: QuantityKind, start: int, end: int, value: float, step: float, unit: str, unit_end: int,
            dimension: str | None = None, hedge: Hedge | None = None) -> None:
        if _overlaps(self.taken, start, end):
            return
        found_hedge, hedge_start = _hedge(self.norm[:start])
        self.taken.append((start, max(end, unit_end)))
        self.out.append(Quantity(
            kind=kind, value=value, step=step, dimension=dimension, unit=unit,
            hedge=hedge or (found_hedge if kind == "amount" else "exact"), text=self.norm[start:end],
            phrase=self.norm[hedge_start if kind == "amount" else start:max(end, unit_end)].strip(),
            context=sorted(set(context_around(self.norm, start, max(end, unit_end))
                               + ([stem(unit)] if unit and kind == "amount" and dimension is None else [])))))
        # The unit is in the context so that "14 injured" meets "12 people were injured".


def extract_quantities(sentence: str) -> list[Quantity]:
    """Every number in a sentence except dates, times, years and model codes."""
    norm = normalize(sentence)
    r = _Reader(norm)
    for m in _COMPOUND_TIME.finditer(norm):
        u1, u2 = _singular(m.group("u1")), _singular(m.group("u2"))
        value = _word_value(m.group("n1")) * _UNITS[u1][1] + _word_value(m.group("n2")) * _UNITS[u2][1]
        r.add("amount", m.start(), m.end(), value, _UNITS[u2][1], u1, m.end(), dimension="time")
    for m in _HALF.finditer(norm):
        unit, unit_len = _unit_after(m.group("u") or "")
        value = _word_value(m.group("n")) + 0.5
        dim, base, unit = _measure(unit, norm[m.end():], value)
        r.add("amount", m.start(), m.end("n") + len(" and a half"), base, 0.5 * (base / value), unit,
              m.end("n") + len(" and a half") + unit_len, dimension=dim)
    for m in _TALLY.finditer(norm):
        a, b = _word_value(m.group("a")), _word_value(m.group("b"))
        before = norm[max(0, m.start() - 40):m.start()]
        after = norm[m.end():m.end() + 40]
        # "7-2" is a tally in a vote or a score; "5-10 minutes" is a range and "3-4" alone may be anything.
        if re.search(r"\b(vot\w*|won|win\w*|beat\w*|defeat\w*|lost|loss|score\w*|tally|margin|approv\w*|ballot\w*)\b",
                     before + " " + after) and not _unit_after(norm[m.end():])[0] in _UNITS:
            r.add("tally", m.start(), m.end(), max(a, b) * 1000 + min(a, b), 1.0, "tally", m.end(), dimension="tally")
    for m in _NUMBER.finditer(norm):
        num = m.group("num")
        start, end = m.start(), m.end()
        if _AGE_AFTER.match(norm, end) or _AGE_BEFORE.search(norm[:start]) or _AGE_APPOSITION.match(norm, start - 2):
            continue  # an age is a fact about one person, not a figure two reports could dispute
        if not m.group("cur") and "," not in num and "." not in num and len(num) == 4 and 1800 <= int(num) <= 2100:
            continue  # a year
        value = float(num.replace(",", ""))
        step = _step(num)
        prev = re.search(r"([a-z]+)\.?\s$", norm[:start])
        if m.group("ord"):
            unit, unit_end = _unit_after(norm[end:])
            r.add("ordinal", start, end, value, 1.0, unit, end + unit_end, dimension=f"ordinal:{unit}")
            continue
        if prev and prev.group(1) in _LABEL_WORDS and not m.group("cur"):
            r.add("label", start - len(prev.group(0)), end, value, 1.0, prev.group(1), end,
                  dimension=f"label:{prev.group(1)}")
            continue
        suffix = (m.group("suffix") or "").strip()
        cur = (m.group("cur") or "").strip()
        scale = 1.0
        if suffix in ("%", "percent", "per cent", "pct"):
            r.add("amount", start, end, value, step, "%", end, dimension="percent")
            continue
        if suffix in _SCALES and (cur or re.match(r"\s(?:dollars?|euros?|pounds?|sterling)\b", norm[end:])):
            scale = _SCALES[suffix]
        elif suffix:
            # "5.8m" without a currency is metres; let the unit reader see the suffix.
            end = m.end("num")
        if m.group("scale"):
            scale *= _SCALES[m.group("scale")]
        if cur:
            unit_end = end
            r.add("amount", start, end, value * scale, step * scale, cur, unit_end, dimension=_CURRENCIES[cur])
            continue
        unit, unit_len = _unit_after(norm[end:])
        dim, base, unit = _measure(unit, norm[end:], value * scale)
        factor = base / (value * scale) if value and dim not in ("temperature",) else 1.0
        r.add("amount", start, end, base, step * scale * factor, unit, end + unit_len, dimension=dim)
    for m in _WORDS.finditer(norm):
        if m.group("couple"):
            value, hedge = 2.0, "approx"
        elif m.group("tens"):
            value, hedge = float(_WORD_VALUES[m.group("tens")] + _WORD_VALUES[m.group("ones")]), None
        else:
            value = float(_WORD_VALUES[m.group("word")])
            hedge = "approx" if m.group("word") == "dozen" else None
        scale = ({"dozen": 12.0, **_SCALES}[m.group("scale")] if m.group("scale") else 1.0)
        unit, unit_len = _unit_after(norm[m.end():])
        dim, base, unit = _measure(unit, norm[m.end():], value * scale)
        factor = base / (value * scale) if dim not in ("temperature",) else 1.0
        r.add("amount", m.start(), m.end(), base, scale * factor, unit, m.end() + unit_len, dimension=dim,
              hedge=hedge)  # type: ignore[arg-type]
    return r.out


def counts_people(unit: str) -> bool:
    return unit in PERSON_NOUNS or _singular(unit) in PERSON_NOUNS


def comparable(a: Quantity, b: Quantity) -> bool:
    """Whether two numbers count the same kind of thing (people are not money; ships are not sailors)."""
    if a.kind != b.kind or a.dimension != b.dimension:
        return False
    if a.dimension is None and a.kind == "amount" and stem(a.unit) != stem(b.unit):
        return (counts_people(a.unit) and counts_people(b.unit)) or not a.unit or not b.unit
    return True


def agree(a: Quantity, b: Quantity) -> bool:
    """Whether two comparable numbers can both be right (rounding, units, hedges)."""
    x, y = a.value, b.value
    if math.isclose(x, y, rel_tol=1e-9):
        return True
    if a.kind != "amount":
        return False
    for bound, other in ((a, b), (b, a)):
        if bound.hedge in ("at_least", "at_most"):
            if other.hedge in ("at_least", "at_most"):
                return True
            inside = other.value >= bound.value * 0.999 if bound.hedge == "at_least" else other.value <= bound.value * 1.001
            # "more than 400" for 412 is a rounding; "at least 38" dead against a count of 52 is not.
            close = abs(other.value - bound.value) <= 0.2 * abs(bound.value)
            return inside and (close or other.hedge == "approx")
    big = max(abs(x), abs(y))
    rel = abs(x - y) / big
    if rel <= 0.02 and (a.unit != b.unit or big >= 100):
        return True  # a unit conversion, or a rounding of a large figure
    coarse = max(a.step, b.step)
    if abs(x - y) <= coarse / 2 * 1.0001 and rel <= 0.1:
        return True  # one is the other rounded: 49.6% / 50%, 1,187 / 1,200
    return "approx" in (a.hedge, b.hedge) and rel <= 0.03
