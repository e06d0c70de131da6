"""One normalization of shorthand, numbers and units, shared by every matcher.

`expand` rewrites text into a canonical spelling that keeps its case (names are
still told by their capitals): abbreviations written out ("Thu" -> "Thursday",
"Rd" -> "Road", "yrs" -> "years", "ex-" -> "former"), numbers as plain digits
("twenty-seven" -> "27"; "25k", "25,000" and "25000" -> "25 thousand"; "£1.2m" -> "1.2 million pounds",
"nine and a half" -> "9.5", "44%" -> "44 percent"). Gold patterns,
summaries and sources all go through it, so a pattern written "two hours"
matches "2 hrs" and a source's "1.2 million" supports a summary's "£1.2m".
"""

from __future__ import annotations

import re
from functools import lru_cache

from summarizer.text import strip_accents

# Written out only when capitalized as an abbreviation is ("Sat" is Saturday, "sat" is a verb).
_CAPITAL_ABBREVIATIONS = {
    "Mon": "Monday", "Tue": "Tuesday", "Tues": "Tuesday", "Wed": "Wednesday", "Thu": "Thursday",
    "Thur": "Thursday", "Thurs": "Thursday", "Fri": "Friday", "Sat": "Saturday", "Sun": "Sunday",
    "Jan": "January", "Feb": "February", "Mar": "March", "Apr": "April", "Jun": "June", "Jul": "July",
    "Aug": "August", "Sep": "September", "Sept": "September", "Oct": "October", "Nov": "November",
    "Dec": "December",
    "Gov": "Governor", "Govt": "Government", "Ct": "Court", "Rd": "Road", "Sq": "Square", "St": "Street",
    "Ave": "Avenue", "Blvd": "Boulevard", "Univ": "University", "Hosp": "Hospital", "Elem": "Elementary",
    "Dept": "Department", "Cllr": "Councillor", "Sgt": "Sergeant", "Lt": "Lieutenant", "Capt": "Captain",
    "Col": "Colonel", "Gen": "General", "Pres": "President", "Sen": "Senator", "Insp": "Inspector",
    "Supt": "Superintendent", "Det": "Detective", "Atty": "Attorney", "Mt": "Mount", "Intl": "International",
    "Natl": "National", "Assn": "Association", "Corp": "Corporation", "Inc": "Incorporated",
    "NE": "northeast", "NW": "northwest", "SE": "southeast", "SW": "southwest",
    "NB": "northbound", "SB": "southbound", "EB": "eastbound", "WB": "westbound",
    "Auth": "Authority", "Assoc": "Association", "Comm": "Commission", "Cmdr": "Commander",
}
_ANY_CASE_ABBREVIATIONS = {
    "yrs": "years", "yr": "year", "hrs": "hours", "hr": "hour", "mins": "minutes", "secs": "seconds",
    "wks": "weeks", "wk": "week", "mths": "months", "mos": "months", "approx": "about", "govt": "government",
    "dept": "department", "kilometres": "km", "kilometers": "km", "kilometre": "km", "kilometer": "km",
    "kms": "km", "millimetres": "mm", "millimeters": "mm", "millimetre": "mm", "millimeter": "mm",
    "centimetres": "cm", "centimeters": "cm", "centimetre": "cm", "centimeter": "cm", "vs": "vs", "w/": "with", "pct": "percent", "nr": "near", "bcast": "broadcast",
    "mgmt": "management", "intl": "international", "natl": "national", "est": "estimated",
}
# Not inside a word; but after a number's hyphen: "11-wk trial", "3-hr delay".
_WORD_BOUNDARY = r"(?:(?<![\w'\u2019-])|(?<=\d-))"
# A capitalized abbreviation may follow a hyphen: "mid-Oct", "Apr-Oct".
_CAPITAL_RE = re.compile(r"(?<![\w'\u2019])(" + "|".join(sorted(_CAPITAL_ABBREVIATIONS, key=len, reverse=True))
                         + r")\.?(?![\w'\u2019])")
_ANY_CASE_RE = re.compile(_WORD_BOUNDARY + r"(" + "|".join(re.escape(k) for k in sorted(
    _ANY_CASE_ABBREVIATIONS, key=len, reverse=True)) + r")\.?(?![\w'\u2019])",
    re.IGNORECASE)
_VERSUS = re.compile(r"(?<=\s)v\.?(?=\s)")  # "Smith v Jones", "6 v 7"
_EX = re.compile(r"(?<![\w-])([Ee])x-(?=[A-Za-z])")
_TILDE = re.compile(r"~\s*")
_NUMBER_SIGN = re.compile(r"\b([Nn])o\.?\s?(?=\d)")  # "no. 3", "No 3" -> "number 3"

_ONES = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
         "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
         "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
         "ninety": 90}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_SUFFIX_SCALES = {"k": 1_000, "m": 1_000_000, "mn": 1_000_000, "mln": 1_000_000, "bn": 1_000_000_000,
                  "b": 1_000_000_000}
_CURRENCY = {"£": "pounds", "$": "dollars", "€": "euros", "EUR": "euros", "USD": "dollars", "GBP": "pounds"}
_CUR = r"(?P<cur>[£$€]|\b(?:EUR|USD|GBP)(?=\s?\d))"

_NUMBER_WORD = "|".join(sorted([*_ONES, *_TENS], key=len, reverse=True))
# "twenty-seven", "twenty seven", "seven", "one": one spelled number.
_SPELLED = re.compile(rf"(?<![\w-])(?:(?P<tens>{'|'.join(_TENS)})(?:[-\s](?P<unit>{'|'.join(k for k in _ONES if _ONES[k] < 10 and _ONES[k])}))?"
                      rf"|(?P<ones>{'|'.join(_ONES)}))(?![\w-])", re.IGNORECASE)
_AND_A_HALF = re.compile(r"(?<![\w.])(\d+) and a half\b", re.IGNORECASE)
_AND_SIX_MONTHS = re.compile(r"(?<![\w.])(\d+) years? and (?:6|six) months\b", re.IGNORECASE)
_THOUSANDS = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+)(?![\d,]*\.?\d)")
_MAGNITUDE = re.compile(r"(?:(?<![\w.,])|(?<=EUR)|(?<=USD)|(?<=GBP))" + _CUR + r"?\s?(?P<num>\d+(?:\.\d+)?)(?:(?P<suffix>k|m|mn|mln|bn|b)|"
                        r"\s?-?(?P<scale>thousand|million|billion|mn|mln|bn))(?![\w])", re.IGNORECASE)
_LARGE = re.compile(r"(?<![\w.,])(\d{5,})(?![\w.,]*\d)")  # 25000, not a year
_A_SCALE = re.compile(r"(?<![\w-])an? (million|billion|thousand)\b", re.IGNORECASE)
_CURRENCY_AMOUNT = re.compile(r"(?<![\w])" + _CUR + r"\s?(?P<num>\d+(?:\.\d+)?)(?![\w.,]*\d)")
_PERCENT = re.compile(r"(\d)\s?(?:%|per\s?cent\b|percent\b|pct\b|pc\b)", re.IGNORECASE)
# A unit written against its number: "98mm", "5km", "40kg" ("£1.2m" is a magnitude, read before).
_KM = re.compile(r"(\d)(km|mm|cm|kg|ml|mph|ft|lbs?)\b", re.IGNORECASE)
# Clock times as "H:MM" (the half of the day kept as written: gold may say "9:20" for "9:20 p.m."):
# "2.15pm" is "2:15 pm", "03:26" is "3:26", "2226 GMT" is "22:26 GMT".
_CLOCK_DOT = re.compile(r"(?<![\w.:])(\d{1,2})\.(\d{2})\s?(?=[ap]\.?m\b)", re.IGNORECASE)
_CLOCK_MILITARY = re.compile(r"(?<![\w.:,])([01]\d|2[0-3])([0-5]\d)(?=\s?(?:GMT|UTC|hours|hrs|local)\b)")
_CLOCK_ZERO = re.compile(r"(?<![\w.:])0(\d):(\d{2})(?![\d:])")
_ORDINAL_DIGITS = re.compile(r"(?<![\w.])(1st|2nd|3rd|[4-9]th|10th)(?!\w)", re.IGNORECASE)
_ORDINAL_WORDS = {"1st": "first", "2nd": "second", "3rd": "third", "4th": "fourth", "5th": "fifth", "6th": "sixth",
                  "7th": "seventh", "8th": "eighth", "9th": "ninth", "10th": "tenth"}


def _fmt(value: float) -> str:
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return text or "0"


def _keep_case(original: str, replacement: str) -> str:
    return replacement[:1].upper() + replacement[1:] if original[:1].isupper() else replacement


def _spelled(m: re.Match[str]) -> str:
    if m.group("ones"):
        return str(_ONES[m.group("ones").lower()])
    value = _TENS[m.group("tens").lower()] + (_ONES[m.group("unit").lower()] if m.group("unit") else 0)
    return str(value)


def _scaled(value: float) -> str:
    """A large number in one spelling: "25 thousand", "1.2 million", "412.6 million"."""
    for word in ("billion", "million", "thousand"):
        if value >= _SCALES[word]:
            return f"{_fmt(value / _SCALES[word])} {word}"
    return _fmt(value)


def _magnitude(m: re.Match[str]) -> str:
    scale_word = (m.group("suffix") or m.group("scale") or "").lower()
    scale = _SCALES.get(scale_word) or _SUFFIX_SCALES[scale_word]
    value = _scaled(float(m.group("num")) * scale)
    currency = m.group("cur")
    return f"{value} {_CURRENCY[currency]}" if currency else value


def _currency(m: re.Match[str]) -> str:
    return f"{m.group('num')} {_CURRENCY[m.group('cur')]}"


@lru_cache(maxsize=131072)
def expand(text: str) -> str:
    """The text with shorthand written out and numbers in one spelling, case kept."""
    if not text:
        return text
    text = strip_accents(text)  # "kilomètres" is "kilometres"; every matcher folds accents anyway
    text = _CLOCK_DOT.sub(r"\1:\2 ", text)
    text = _CLOCK_MILITARY.sub(lambda m: f"{int(m.group(1))}:{m.group(2)}", text)
    text = _CLOCK_ZERO.sub(r"\1:\2", text)
    text = _EX.sub(lambda m: _keep_case(m.group(1), "former "), text)
    text = _CAPITAL_RE.sub(lambda m: _CAPITAL_ABBREVIATIONS[m.group(1)], text)
    text = _ANY_CASE_RE.sub(lambda m: _keep_case(m.group(1), _ANY_CASE_ABBREVIATIONS[m.group(1).lower()]), text)
    text = _VERSUS.sub("vs", text)
    text = _TILDE.sub("about ", text)
    text = _NUMBER_SIGN.sub(lambda m: _keep_case(m.group(1), "number "), text)
    text = _SPELLED.sub(_spelled, text)
    text = _AND_A_HALF.sub(lambda m: f"{m.group(1)}.5", text)
    text = _AND_SIX_MONTHS.sub(lambda m: f"{m.group(1)}.5 years", text)
    text = _THOUSANDS.sub(lambda m: _scaled(int(m.group(1).replace(",", ""))), text)
    text = _LARGE.sub(lambda m: _scaled(int(m.group(1))), text)
    text = _A_SCALE.sub(lambda m: "1 " + m.group(1), text)
    text = _MAGNITUDE.sub(_magnitude, text)
    text = _CURRENCY_AMOUNT.sub(_currency, text)
    text = _PERCENT.sub(r"\1 percent", text)
    text = _KM.sub(lambda m: f"{m.group(1)} {m.group(2).lower()}", text)
    text = _ORDINAL_DIGITS.sub(lambda m: _ORDINAL_WORDS[m.group(1).lower()], text)
    return text
