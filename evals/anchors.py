"""Anchors: the checkable parts of a claim (names, numbers, dates, places, directions, quotations).

A claim is unsupported when one of its anchors is in none of the sources it
cites. Words are compared after the same normalization as gold matching.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from summarizer.text import normalize

_WORD = re.compile(r"\d{1,2}:\d{2}(?!\d)|\d+(?:[.,]\d+)*|\w+(?:[-']\w+)*")
_RAW_WORD = re.compile(r"\d{1,2}:\d{2}(?!\d)|\$?\d+(?:[.,]\d+)*%?|[^\W\d_][\w]*(?:[-'\u2019][^\W\d_]\w*)*")
_QUOTED = re.compile(r"[\"\u201c\u201e\u00ab]([^\"\u201c\u201d\u201e\u00ab\u00bb]{3,}?)[\"\u201d\u00bb]")
_DIRECTION = re.compile(r"^(north|south|east|west)(-?(east|west))?(ern|ward|wards)?$")

NUMBER_WORDS = {
    "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9",
    "ten": "10", "eleven": "11", "twelve": "12", "thirteen": "13", "fourteen": "14", "fifteen": "15",
    "sixteen": "16", "seventeen": "17", "eighteen": "18", "nineteen": "19", "twenty": "20", "thirty": "30",
    "forty": "40", "fifty": "50", "sixty": "60", "seventy": "70", "eighty": "80", "ninety": "90",
    "hundred": "100", "dozen": "12", "second": "2", "third": "3", "fourth": "4", "fifth": "5",
}
# Capitalized words that are not names: titles, and words that start sentences.
NOT_NAMES = frozenset(ENGLISH_STOP_WORDS) | {
    "general", "gen", "colonel", "col", "president", "chairman", "chairwoman", "minister", "mayor", "governor",
    "dr", "mr", "mrs", "ms", "sir", "judge", "prime", "secretary", "chief", "commander", "officer", "spokesman",
    "spokesperson", "spokeswoman", "army", "lt", "sgt", "capt", "prof", "professor", "director", "ceo",
    "according", "both", "several", "officials", "sources", "reports", "report", "the", "a", "an", "this",
    "however", "meanwhile", "separately", "earlier", "later", "also", "still", "yet", "key", "facts", "fact",
    "where", "when", "who", "what", "why", "how", "headline", "briefing", "summary", "disagree", "disagreement",
    "sources", "source", "note", "update", "updated", "breaking", "analysis", "background", "context",
}


MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")


DATE_WORDS = frozenset(MONTHS) | {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}


_TIME_ZONE = re.compile(r"\s+(?:time|standard|daylight)\b", re.I)  # "Eastern time" is no direction
# A country and its people are one anchor: "Danish ships" is supported by "Denmark".
_DEMONYMS = {"america": "american", "britain": "british", "denmark": "danish", "sweden": "swedish",
             "germany": "german", "france": "french", "poland": "polish", "ukraine": "ukrainian", "russia": "russian",
             "spain": "spanish", "norway": "norwegian", "finland": "finnish", "netherlands": "dutch", "china": "chinese",
             "japan": "japanese", "italy": "italian", "ireland": "irish", "canada": "canadian", "australia": "australian",
             "mexico": "mexican", "india": "indian", "turkey": "turkish", "greece": "greek", "belgium": "belgian",
             "switzerland": "swiss", "austria": "austrian", "portugal": "portuguese", "england": "english",
             "scotland": "scottish", "wales": "welsh", "israel": "israeli", "iran": "iranian", "egypt": "egyptian"}
EQUIVALENTS = {**{k: (v,) for k, v in _DEMONYMS.items()}, **{v: (k,) for k, v in _DEMONYMS.items()},
               "us": ("america", "american", "united"), "america": ("american", "us"), "american": ("america", "us")}


def word_tokens(text: str) -> list[str]:
    """Normalized word tokens, possessive 's removed ("Milley's" -> "milley")."""
    return [t[:-2] if t.endswith("'s") else t for t in _WORD.findall(normalize(text))]


def token_forms(tokens: list[str]) -> set[str]:
    """Tokens plus the parts and the joined form of hyphenated ones ("south-east" -> south, east, southeast)."""
    out = set(tokens)
    for t in tokens:
        if "-" in t:
            out.update(t.split("-"))
            out.add(t.replace("-", ""))
    return out


_ORDINAL = re.compile(r"^(\d+)(?:st|nd|rd|th)$")
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_ONES = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}


# Nouns a summary counts its own sources and their versions with.
_META_COUNT = re.compile(r"\s+(?:main\s+|competing\s+|rival\s+|different\s+)?(?:sides|sources|reports|accounts|"
                         r"outlets|versions|articles|stories|camps|tolls|estimates|tallies|counts|narratives)\b", re.I)
_CLOCK = re.compile(r"^\d{1,2}:\d{2}$")
_CLOCK_HALF = re.compile(r"(?<![\w:])(\d{1,2}):(\d{2})(?:\s?([ap])\.?m\b)?", re.IGNORECASE)


def _number(token: str) -> str | None:
    ordinal = _ORDINAL.match(token)
    if ordinal:
        return ordinal.group(1)
    tens, _, ones = token.partition("-")
    if tens in _TENS and ones in _ONES:  # "twenty-seven"
        return str(_TENS[tens] + _ONES[ones])
    if _CLOCK.match(token):  # "22:26"; "3:00" is "3", as "3 a.m." is
        return token.removesuffix(":00")
    digits = token.lstrip("$").rstrip("%")
    if digits[:1].isdigit():
        digits = digits.replace(",", "") if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", digits) else digits
        return digits.rstrip(".").replace(",", ".")
    return NUMBER_WORDS.get(token)


_SCALE_WORDS = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_SCALE_AFTER = re.compile(r"\s+(thousand|million|billion)\b", re.IGNORECASE)


def _times(value: str, scale: int) -> str:
    """A number times a scale as plain digits: ("4.1", 1000) -> "4100"."""
    try:
        product = float(value) * scale
    except ValueError:
        return value
    return f"{product:.6f}".rstrip("0").rstrip(".")


_DOT_THOUSANDS = re.compile(r"^\d{1,3}(\.\d{3})+$")
_COMMA_DECIMAL = re.compile(r"^\d+,\d{1,2}$")


def number_values(text: str) -> set[str]:
    """Every number in a text as canonical digits ("two" -> "2", "1,000" -> "1000"); a source in
    a language that writes "4.100" for 4100 or "9,6" for 9.6 gets those readings too."""
    out = set()
    tokens = word_tokens(text)
    for i, tok in enumerate(tokens):
        scale = _SCALE_WORDS.get(tokens[i + 1]) if i + 1 < len(tokens) else None
        if scale and _number(tok):
            out.add(_times(_number(tok) or "", scale))  # "4.1 thousand" is 4100
        if _DOT_THOUSANDS.match(tok):
            out.add(tok.replace(".", ""))
        if _COMMA_DECIMAL.match(tok):
            out.add(tok.replace(",", "."))
        whole = _number(tok)
        if whole:
            out.add(whole)
        if _CLOCK.match(tok):
            out.add(tok.split(":")[0])  # "3:26" supports "about 3 a.m."
        for part in tok.split("-"):
            value = _number(part)
            if value:
                out.add(value)
    for m in _CLOCK_HALF.finditer(text):  # "10:26 p.m." is "22:26", and "22:26" is "10:26"
        hour, minute = int(m.group(1)), m.group(2)
        if m.group(3) and m.group(3).lower() == "p" and hour < 12:
            out.add(f"{hour + 12}:{minute}")
        elif hour > 12:
            out.add(f"{hour - 12}:{minute}")
    return out


@dataclass(frozen=True)
class Anchor:
    kind: str  # name | number | direction | quote
    text: str  # as written in the claim
    key: str  # what is looked up: a normalized token, canonical number or normalized quote
    start: int = 0  # where it stands in the claim


@lru_cache(maxsize=1)
def _common_words() -> frozenset[str]:
    from english_words import get_english_words_set

    # Lower-case dictionary entries are common words; capitalized ones are proper names.
    return frozenset(w for w in get_english_words_set(["web2"], lower=False) if w.islower())


def _base_forms(w: str) -> set[str]:
    """The word and what it may be inflected from: households -> household, announced -> announce."""
    forms = {w}
    if w.endswith("ies"):
        forms.add(w[:-3] + "y")
    if w.endswith("es"):
        forms.add(w[:-2])
    if w.endswith("s") and not w.endswith("ss"):
        forms.add(w[:-1])
    if w.endswith("ied"):
        forms.add(w[:-3] + "y")
    if w.endswith("ed"):
        forms.update({w[:-2], w[:-1], w[:-3]})
    if w.endswith("ing"):
        forms.update({w[:-3], w[:-3] + "e", w[:-4]})
    if w.endswith("ily"):
        forms.add(w[:-3] + "y")
    if w.endswith("ly"):
        forms.add(w[:-2])
    return {f for f in forms if len(f) >= 3}


def is_common_word(word: str) -> bool:
    """A lower-case dictionary word, allowing for plural, past tense, -ing and -ly endings."""
    return bool(_base_forms(word.lower()) & _common_words())


def is_sentence_start(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \t\"'\u201c\u2018([*-")
    return not before or before[-1] in ".!?:\n"


def extract_anchors(text: str) -> list[Anchor]:
    """The names, numbers, directions and quotations a claim states."""
    anchors: list[Anchor] = []
    for m in _QUOTED.finditer(text):
        quote = m.group(1).strip(" ,.")
        if len(quote.split()) >= 2:
            anchors += [Anchor("quote", part.strip(), normalize(part.strip(" ,.")), m.start())
                        for part in re.split(r"\.\.\.|\u2026", quote) if len(part.split()) >= 2]
    for m in _RAW_WORD.finditer(text):
        raw = m.group(0)
        whole = word_tokens(raw)
        if whole and _DIRECTION.match(whole[0].replace("-", "")):
            if _TIME_ZONE.match(text, m.end()):
                continue
            anchors.append(Anchor("direction", raw, whole[0].replace("-", ""), m.start()))
            continue
        compound = whole and _number(whole[0]) is not None
        for piece in raw.split("-") if "-" in raw and not raw[:1].isdigit() and not compound else [raw]:
            tokens = word_tokens(piece)
            if not tokens:
                continue
            tok = tokens[0]
            value = _number(tok)
            if value == "1":
                continue  # "one" is too common a word to be a figure ("one of the workers")
            if value and value.isdigit() and int(value) <= 10 and _META_COUNT.match(text, m.end()):
                continue  # "the two sides", "all three reports": the summary counting its sources

            scale = _SCALE_AFTER.match(text, m.end()) if value and tok[:1].isdigit() else None
            if scale:
                value = _times(value or "", _SCALE_WORDS[scale.group(1).lower()])  # "4.1 thousand"
            if value:
                # "second"/"third" are too often not numbers ("a second meeting"); digits always count.
                if tok[:1].isdigit() or tok not in ("second", "third", "fourth", "fifth", "dozen", "hundred"):
                    shown = raw + scale.group(0) if scale else raw
                    anchors.append(Anchor("number", shown, value, m.start()))
            elif _DIRECTION.match(tok):
                anchors.append(Anchor("direction", piece, tok, m.start()))
            elif piece[:1].isupper() and tok not in NOT_NAMES and len(tok) > 1:
                if (piece.isupper() and len(piece) <= 2) or re.fullmatch(r"[A-Z]{1,2}['\u2019][a-z]{1,2}", piece):
                    continue  # "TV", "US", "OK'd": abbreviations too common to check
                if piece.isupper() and is_common_word(tok):
                    continue  # a headline in capitals: "NORDHAVN BUYS VANDERLINDE"
                if is_sentence_start(text, m.start()) and piece[1:].islower() and is_common_word(tok):
                    continue  # "Households", "Announced": capitalized only because a sentence starts
                anchors.append(Anchor("name", piece, tok, m.start()))
    return anchors
