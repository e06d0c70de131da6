"""Figures: a number the sources give, but for something else.

"About 2,500 families were left sleeping outdoors" has every name and number in the sources,
yet the sources' 2,500 is tents. A number in a claim is bound to the word that counts it (the
first content word after it: "2,500 families", "61 critical", "two weeks"). The claim holds
only if a source sentence that gives the number also has that word (in any inflection:
"injured" for "injuries"), or the sentence after it does. Numbers that count nothing checkable
(years, dates, clock times, "per cent", generic "people") are left to the anchor check.
"""

from __future__ import annotations

import re
from functools import lru_cache

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from evals.anchors import MONTHS, Anchor, is_sentence_start, number_values, word_tokens
from evals.source_index import IndexedSentence, SourceIndex

# Words between a number and what it counts ("12 new officers", "3 million more barrels").
_SKIP = frozenset({"thousand", "million", "billion", "trillion", "more", "new", "additional", "further", "other",
                   "extra", "full", "whole", "total", "separate"})
# Counted words too general to tell one figure from another.
_GENERIC = frozenset({"people", "persons", "person", "others", "individuals", "times", "cases", "units", "items",
                      "ones", "year", "years", "old", "day", "days", "pm", "am", "gmt", "utc", "local", "figure",
                      "figures", "number", "numbers", "total", "percent", "per", "cent", "pct", "points", "point"})
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_CALENDAR = frozenset(MONTHS) | {m[:3] for m in MONTHS} | {"sept"} | set(_WEEKDAYS) | {d[:3] for d in _WEEKDAYS}
_YEAR = re.compile(r"^(1[89]|20)\d\d$")
_SMALL = 10  # "two schools", "four occasions": small counts are phrased too many ways to bind
# The words right after a number, up to the first punctuation mark.
_PHRASE_AFTER = re.compile(r"\s+([A-Za-z][\w'\u2019-]*(?:\s+[A-Za-z][\w'\u2019-]*){0,2})")
_NOT_COUNTED = re.compile(r"(?:ing|ly)$|^(?:per|versus|vs|via|said|says|say|reported|according)$")
_BEFORE = re.compile(r"([\w'\u2019]+)[ \t]*$")


def _stems(word: str) -> set[str]:
    """A word's inflection-free forms: 'injuries' -> {injuries, injury, injur}; 'voted' -> {vote, vot};
    a compound's and its parts' ('light-years' -> light-year, lightyear, year, ...)."""
    if "-" in word:
        parts = [p for p in word.split("-") if p]
        return {f for w in [word.replace("-", ""), *parts] for f in _stems(w)}
    forms = {word}
    for suffix, repl in (("ies", "y"), ("ied", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"),
                         ("ing", ""), ("ing", "e"), ("ly", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            forms.add(word[: len(word) - len(suffix)] + repl)
    if len(word) >= 6:
        forms.add(word[:5])
    return forms


@lru_cache(maxsize=65536)
def _sentence_numbers(sentence: IndexedSentence) -> frozenset[str]:
    return frozenset(number_values(sentence.text))


@lru_cache(maxsize=65536)
def _sentence_stems(sentence: IndexedSentence) -> frozenset[str]:
    return frozenset(s for t in sentence.tokens if not t[:1].isdigit() for s in _stems(t))


# Verbs between a number and the state it counts ("61 are hospitalised", "12 were injured").
_AUX = frozenset({"are", "were", "is", "was", "remain", "remained", "remains"})
_PHRASE_WORDS = 3


def _bound_phrase(text: str, start: int, end: int, value: str) -> tuple[str, ...] | None:
    """The content words a number written at text[start:end] counts ("2,500 tents" -> (tents,);
    "12 new police officers" -> (police, officers)), or None when it counts nothing checkable:
    a year, a date, a time, a score or tally ("7-2"), part of a name ("Interstate 81", "CV-15"),
    a percentage or a small count."""
    if _YEAR.match(value) or ":" in value or not value.replace(".", "").isdigit() or float(value) <= _SMALL:
        return None
    if text[start - 1:start] in ("-", ":", "/") or text[end:end + 1] in ("-", ":", "/", "%"):
        return None
    before = _BEFORE.search(text[:start])
    if before and before.group(1).lower() in _CALENDAR:
        return None
    if before and before.group(1)[:1].isupper() and not is_sentence_start(text, before.start()):
        return None  # "Interstate 81", "News 5"
    m = _PHRASE_AFTER.match(text, end)
    if not m:
        return None
    if m.group(1)[:1].isupper():
        return None  # "38 Greater Bethel choir members": a name follows, not what is counted
    words: list[str] = []
    tokens = word_tokens(m.group(1))
    if tokens and tokens[0] in _AUX:
        tokens = tokens[1:]
    for tok in tokens:
        if tok in _SKIP and not words or tok in ("and", "or") and words:
            continue  # "24 ships and submarines" counts both
        head = tok.split("-")[-1]
        if tok in _GENERIC or head in _GENERIC or tok in _CALENDAR or tok in ENGLISH_STOP_WORDS or len(tok) <= 2:
            break
        if not tok.replace("-", "").isalpha() or _NOT_COUNTED.search(tok):
            break  # "12 according to", "8,000 officially": a number followed by no noun
        words.append(tok)
        if len(words) == _PHRASE_WORDS:
            break
    return tuple(words) or None


def _bound_word(text: str, start: int, end: int, value: str) -> str | None:
    """The first word a number counts (see `_bound_phrase`)."""
    phrase = _bound_phrase(text, start, end, value)
    return phrase[0] if phrase else None


def counted_word(text: str, a: Anchor) -> str | None:
    """The word a number counts in a claim, or None when it counts nothing checkable."""
    return _bound_word(text, a.start, a.start + len(a.text), a.key)


_NUMBER_TEXT = re.compile(r"\d+(?:[.,]\d+)*")


@lru_cache(maxsize=65536)
def _sentence_bindings(sentence: IndexedSentence) -> tuple[tuple[str, frozenset[str]], ...]:
    """(value, the stems of the words it counts) for each number in a source sentence that counts
    something."""
    out = []
    for m in _NUMBER_TEXT.finditer(sentence.text):
        for value in number_values(m.group(0)):
            phrase = _bound_phrase(sentence.text, m.start(), m.end(), value)
            if phrase:
                out.append((value, frozenset(f for w in phrase for f in _stems(w))))
    return tuple(out)


def _shorthand(short: str, word: str) -> bool:
    """'bldgs' is shorthand for 'buildings': same first letter, its letters in order, longer word."""
    if len(word) <= len(short) or word[0] != short[0] or not word.isalpha():
        return False
    rest = iter(word)
    return all(c in rest for c in short)


def _same_thing(words: tuple[str, ...], stems: frozenset[str]) -> bool:
    """A claim's counted words name what a source's do: a shared stem, or one word ending the
    other ("ships" of "warships")."""
    return any(_stems(w) & stems or any(len(w) >= 4 and (s.endswith(w) or w.endswith(s)) for s in stems)
               for w in words)


def _binding(words: tuple[str, ...], sentences: list[IndexedSentence], value: str) -> str:
    """'bound' if a sentence giving the value counts the same thing with it, or has the word
    anywhere (or the next sentence has) without another number counting it; 'other' if the
    sentences giving it count something else with it ("2,500 tents", or "24 ships and
    submarines, 15 aircraft" for "15 submarines"); else 'unknown'."""
    word = words[0]
    stems = _stems(word)
    other = False
    for i, s in enumerate(sentences):
        if value not in _sentence_numbers(s):
            continue
        bindings = _sentence_bindings(s)
        counted = [b for v, b in bindings if v == value]
        if any(_same_thing(words, b) for b in counted):
            return "bound"
        # The word is there, but another number of the sentence counts it: the figures are swapped.
        swapped = bool(counted) and any(v != value and _same_thing(words, b) for v, b in bindings)
        nearby = _sentence_stems(s) | (_sentence_stems(sentences[i + 1]) if i + 1 < len(sentences) else frozenset())
        if not swapped and (stems & nearby or (len(word) <= 5 and any(_shorthand(word, t) for t in s.tokens))):
            return "bound"
        other = other or bool(counted)
    return "other" if other else "unknown"


def figure_reasons(text: str, anchors: list[Anchor], index: SourceIndex, scope: list[str]) -> list[str]:
    """A reason for each number whose scope sources give it only for something else."""
    reasons = []
    for a in anchors:
        if a.kind != "number":
            continue
        words = _bound_phrase(text, a.start, a.start + len(a.text), a.key)
        if words is None:
            continue
        results = {_binding(words, index.sentences.get(sid, []), a.key) for sid in scope}
        if "other" in results and "bound" not in results:
            reasons.append(f"number '{a.text}' is in the sources, but not for '{words[0]}'")
    return reasons
