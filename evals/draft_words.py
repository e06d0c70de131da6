"""Which words of a drafted gold item make a good match pattern, and which drafted notes are real.

A fact's pattern comes from its own sentence: its numbers, then its names, then its key phrase (the
longest run of content words), never from words that are common in every article. A trap's words
must be names or numbers that only the boilerplate uses, not title-case common words ("Watch Live").
A non-conflict is kept only when its wordings differ yet agree (rounding, units, spelled numbers).
"""

from __future__ import annotations

import re

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from evals.canonical import expand
from summarizer.text import normalize

# scikit-learn's list, less the words that carry news content ("fire", "first", "bill", "system"...),
# plus reporting verbs and fillers that every news sentence has.
_KEEP = {"fire", "first", "last", "bill", "system", "interest", "amount", "found", "side", "top", "back", "front",
         "detail", "call", "move", "mill", "empty", "full", "serious", "bottom", "third", "former"}
STOP = (frozenset(ENGLISH_STOP_WORDS) - _KEEP) | frozenset(
    "said says say told according added including began begun occurred brought took made came come comes went got gave "
    "set used called like just also new would could week year years day days time times people officials official "
    "spokesman spokeswoman statement report reports reported news early late later earlier cause reason result "
    "way thing things lot kind sort".split())
CALENDAR = re.compile(r"^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun)", re.I)
# Web page furniture and generic place nouns: capitalized in headlines and menus, but never a name alone.
FURNITURE = frozenset(
    "watch live weather traffic photo photos credit file copyright rights reserved privacy terms cookie cookies "
    "settings posted updated share subscribe newsletter advertisement related read more sign follow home video "
    "listen latest stories headlines menu search login comments breaking opinion sport sports business world local "
    "river county street road city park centre center hall school bridge station lake hill valley bay north south "
    "east west".split())
# Titles and ranks are capitalized but name no one: a fact's pattern takes the person's name instead.
TITLES = frozenset("general gen colonel col army navy chief chiefs staff joint president minister commander chairman "
                   "officer spokesman spokesperson armed forces mr mrs ms dr sir lord mayor governor senator judge "
                   "secretary director manager".split())
_TOKEN = re.compile(r"\$?\d[\d,.:]*\d%?|\$?\d%?|[^\W\d_][\w'\u2019-]*")
_SEGMENT_START = re.compile(r"(?:^|[|/\n]|[.!?]\s)\s*$")


def tokens(text: str) -> list[tuple[int, str]]:
    """(offset, word) for every word and number, possessives dropped."""
    out = []
    for m in _TOKEN.finditer(text):
        w = m.group(0).strip("'\u2019").removesuffix("'s").removesuffix("\u2019s").rstrip(".,:")
        if w:
            out.append((m.start(), w))
    return out


def is_number(word: str) -> bool:
    return word[:1].isdigit() or word[:1] == "$"


def starts_segment(text: str, offset: int) -> bool:
    """The word opens a sentence, a line or a headline: its capital says nothing."""
    return bool(_SEGMENT_START.search(text[:offset]))


def content_order(text: str, lowercase_vocab: set[str]) -> list[str]:
    """A fact sentence's telling words, best first: numbers, names, then the key phrase and other content words."""
    words = tokens(text)
    numbers, names, phrase_runs, run = [], [], [], []
    for k, (offset, w) in enumerate(words):
        low = normalize(w)
        capital = w[:1].isupper() and not (starts_segment(text, offset) and low in lowercase_vocab)
        if is_number(w) and len(w.strip("$%")) >= 1:
            numbers.append(w)
        elif capital and low not in STOP and len(w) >= 3:
            names.append(w)
        elif not w[:1].isupper() and low not in STOP and len(w) >= 3 and not is_number(w):
            run.append(w)
            continue
        if run:
            phrase_runs.append(run)
        run = []
    if run:
        phrase_runs.append(run)
    # The key phrase: the longest run of adjacent content words ("electrical fault"); later runs win ties.
    phrase_runs.sort(key=len, reverse=True)
    content = [w for r in phrase_runs for w in r]
    late = [w for w in names if CALENDAR.match(w) or normalize(w) in TITLES]
    # Proper names first: a capitalized word the case never writes in lower case (Milley, not Army).
    names = sorted((w for w in names if w not in late), key=lambda w: normalize(w) in lowercase_vocab)
    ordered: list[str] = []
    for w in [*numbers, *names, *content, *late]:
        if normalize(w) not in {normalize(x) for x in ordered}:
            ordered.append(w)
    return ordered


def trap_words(text: str, news: str, lowercase_vocab: set[str], limit: int) -> list[str]:
    """Names and long numbers of a boilerplate span that the news never uses: no common words."""
    out: list[str] = []
    for offset, w in tokens(text):
        alt = normalize(w)
        if is_number(w):
            ok = len(w.strip("$%")) >= 3
        else:
            ok = (w[:1].isupper() and len(w) >= 4 and alt not in STOP and alt not in FURNITURE
                  and not CALENDAR.match(alt) and alt not in lowercase_vocab and not starts_segment(text, offset))
        if ok and alt not in out and not re.search(rf"(?<!\w){re.escape(alt)}", news):
            out.append(alt)
    return out[:limit]


_HEDGES = re.compile(r"\b(?:about|around|roughly|some|nearly|almost|approximately|more than|over|under|less than|"
                     r"up to|at least|just|an estimated|estimated)\b")
_VALUE = re.compile(r"(\d+(?:\.\d+)?)(?:\s(thousand|million|billion|dozen))?")
_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "dozen": 12.0, "": 1.0}


def _amounts(text: str) -> list[float]:
    return [float(n) * _SCALE[s] for n, s in _VALUE.findall(normalize(expand(text)).replace(",", ""))]


def real_non_conflict(kind: str, detector: str, values: list[str]) -> bool:
    """Wordings worth a non-conflict: they look different but agree. Identical numbers with a hedge are
    trivial; different times or different speakers are not known to agree, so none is invented."""
    forms = {_HEDGES.sub("", normalize(v)).strip(" .,") for v in values}
    if detector == "speaker":
        keys = [{w for _, w in tokens(v) if w[:1].isupper()} for v in values]
        return len(forms) > 1 and bool(set.intersection(*keys)) and all(len(v.split()) <= 6 for v in values)
    if kind != "figure":
        return kind == "date" and detector == "date"  # a weekday against its date
    amounts = [_amounts(v) for v in values]
    if any(not a for a in amounts):
        return False
    written = {tuple(re.findall(r"\d[\d,.]*", normalize(v))) for v in values}
    if len(written) == 1:
        return False  # the same number, hedged or not: nothing looks different
    units = {re.sub(r"[\d,.\s]|\b(?:thousand|million|billion)\b", "", _HEDGES.sub("", normalize(expand(v)))) for v in values}
    if len(units) > 1 and len({round(a[0]) for a in amounts}) > 1:
        return False  # different units (acres, hectares): agreement is not checked here, so not claimed
    first = [a[0] for a in amounts]
    return max(first) <= 1.05 * min(first)  # rounding: within 5%
