"""One detector per kind of checkable detail: figures, dates, compass directions, places, speakers.

A detector finds mentions in a sentence, says when two mentions answer the
same question (a "slot": what a number counts, what a direction qualifies, a
statement's words) and whether two answers can both be right. The conflict
module does the rest the same way for every kind.
"""

from __future__ import annotations

from typing import Any, Literal, Protocol

from summarizer.crosssource import dates, places, quantities, speakers
from summarizer.crosssource.context import stem
from summarizer.crosssource.names import shares_name

Kind = Literal["figure", "date", "place", "attribution"]


class Detector(Protocol):
    """Finds and compares one kind of detail. Two mentions are compared when their sentences are alike
    (`min_similarity`) and their contexts share `min_affinity` words, or their contexts share
    `strong_affinity` words whatever the sentences."""

    kind: Kind
    name: str
    min_similarity: float
    min_affinity: float
    strong_affinity: float

    def affinity(self, a: Any, b: Any, common: frozenset[str]) -> float: ...
    def preference(self, a: Any, b: Any) -> float: ...
    def mentions(self, sentence: str) -> list[Any]: ...
    def slot(self, a: Any, b: Any, common: frozenset[str]) -> str | None: ...
    def fits(self, m: Any, slot: str) -> bool: ...
    def agree(self, a: Any, b: Any) -> bool: ...
    def same_value(self, a: Any, b: Any) -> bool: ...
    def display(self, m: Any) -> str: ...
    def topic(self, slot: str, m: Any) -> str: ...
    def alternatives(self, m: Any) -> list[str]: ...


COMMON_WORD_WEIGHT = 0.5


def _weigh(words: set[str], common: frozenset[str]) -> float:
    """Shared context words as evidence: a word the whole case keeps using counts for a third."""
    return sum(COMMON_WORD_WEIGHT if w in common else 1.0 for w in words)


def _shared(a: Any, b: Any, common: frozenset[str]) -> float:
    return _weigh(set(a.context) & set(b.context), common)


class _NoPreference:
    def preference(self, a: Any, b: Any) -> float:
        """Extra weight when choosing which mention of a sentence pairs with which."""
        return 0.0


class FigureDetector:
    kind: Kind = "figure"
    name = "figure"
    min_similarity = 0.15
    min_affinity = 1
    strong_affinity = 2
    _TOPICS = {"percent": "the percentage", "usd": "the amount", "eur": "the amount", "gbp": "the amount",
               "time": "how long", "length": "the distance", "mass": "the weight"}

    def preference(self, a: quantities.Quantity, b: quantities.Quantity) -> float:
        # "twelve people" pairs with "12 people" of the other sentence before "38 members".
        return 0.75 if a.unit and stem(a.unit) == stem(b.unit) else 0.0

    def mentions(self, sentence: str) -> list[quantities.Quantity]:
        return quantities.extract_quantities(sentence)

    def affinity(self, a: quantities.Quantity, b: quantities.Quantity, common: frozenset[str]) -> float:
        # A shared counted noun ("people") is weak evidence that two figures count the same event.
        shared = set(a.context) & set(b.context)
        unit = {stem(a.unit)} & {stem(b.unit)} & shared
        # A case rarely has two vote counts: two tallies with one word in common count the same vote.
        bonus = 1.5 if a.kind == "tally" and shared else 0.0
        return _weigh(shared - unit, common) + 0.5 * len(unit) + bonus

    def slot(self, a: quantities.Quantity, b: quantities.Quantity, common: frozenset[str]) -> str | None:
        if not quantities.comparable(a, b):
            return None
        shared = sorted((set(a.context) & set(b.context)) - common)
        return f"{a.kind}|{a.dimension or ''}|{a.unit if a.dimension is None else ''}|{' '.join(shared)}"

    def fits(self, m: quantities.Quantity, slot: str) -> bool:
        kind, dimension, unit, words = slot.split("|")
        if m.kind != kind or (m.dimension or "") != dimension:
            return False
        if not dimension and unit and m.unit and stem(unit) != stem(m.unit) and (not words or not (
                quantities.counts_people(unit) and quantities.counts_people(m.unit))):
            return False
        return not words or bool(set(words.split()) & set(m.context))

    def agree(self, a: quantities.Quantity, b: quantities.Quantity) -> bool:
        if a.kind != b.kind or a.dimension != b.dimension:
            return True  # different kinds of figure cannot contradict each other
        return quantities.agree(a, b)

    def same_value(self, a: quantities.Quantity, b: quantities.Quantity) -> bool:
        if a.kind != b.kind or a.dimension != b.dimension:
            return False  # "exit 14" is not "14 hurt"
        # "at least four" agrees with 1,200 but is not the same answer; a bound is only its own number.
        if "at_least" in (a.hedge, b.hedge) or "at_most" in (a.hedge, b.hedge):
            return a.value == b.value
        return quantities.agree(a, b)

    def display(self, m: quantities.Quantity) -> str:
        return m.phrase or m.text

    def topic(self, slot: str, m: quantities.Quantity) -> str:
        if m.kind == "tally":
            return "the vote count" if "vot" in " ".join(m.context) else "the score"
        if m.kind == "label":
            return f"which {m.unit}"
        if m.kind == "ordinal":
            return f"which {m.unit}" if m.unit else "the ordinal"
        if m.dimension in self._TOPICS:
            return self._TOPICS[m.dimension]
        return f"the number of {m.unit}" if m.unit else "a figure"

    def alternatives(self, m: quantities.Quantity) -> list[str]:
        text = m.text
        for prefix in ("us$", "$", "€", "£", "eur ", "usd ", "gbp "):
            text = text.removeprefix(prefix)
        return [text.removesuffix("%").strip()]


class DateDetector(_NoPreference):
    kind: Kind = "date"
    name = "date"
    min_similarity = 0.3
    min_affinity = 1
    strong_affinity = 3

    def affinity(self, a: dates.DateMention, b: dates.DateMention, common: frozenset[str]) -> float:
        return _shared(a, b, common)

    def mentions(self, sentence: str) -> list[dates.DateMention]:
        return dates.extract_dates(sentence)

    def slot(self, a: dates.DateMention, b: dates.DateMention, common: frozenset[str]) -> str | None:
        return "date"

    def fits(self, m: dates.DateMention, slot: str) -> bool:
        return True

    def agree(self, a: dates.DateMention, b: dates.DateMention) -> bool:
        return dates.dates_agree(a, b)

    def same_value(self, a: dates.DateMention, b: dates.DateMention) -> bool:
        # A source that mentions a weekday does not thereby "know" every date: only the same mention counts.
        return a.kind == b.kind and a.key == b.key

    def display(self, m: dates.DateMention) -> str:
        return m.text

    def topic(self, slot: str, m: dates.DateMention) -> str:
        return "the day" if m.kind == "weekday" else "the date"

    def alternatives(self, m: dates.DateMention) -> list[str]:
        return [m.text.replace(".", "")]


class TimeDetector(_NoPreference):
    kind: Kind = "date"
    name = "time"
    min_similarity = 0.15
    min_affinity = 1
    strong_affinity = 2

    def affinity(self, a: dates.ClockTime, b: dates.ClockTime, common: frozenset[str]) -> float:
        return _shared(a, b, common)

    def mentions(self, sentence: str) -> list[dates.ClockTime]:
        return dates.extract_times(sentence)

    def slot(self, a: dates.ClockTime, b: dates.ClockTime, common: frozenset[str]) -> str | None:
        return None if a.role and b.role and a.role != b.role else "time"

    def fits(self, m: dates.ClockTime, slot: str) -> bool:
        return True

    def agree(self, a: dates.ClockTime, b: dates.ClockTime) -> bool:
        return dates.times_agree(a, b)

    def same_value(self, a: dates.ClockTime, b: dates.ClockTime) -> bool:
        return not a.zoned and not b.zoned and abs(a.minutes - b.minutes) <= (30 if a.hedged or b.hedged else 5)

    def display(self, m: dates.ClockTime) -> str:
        return m.text

    def topic(self, slot: str, m: dates.ClockTime) -> str:
        return "the time"

    def alternatives(self, m: dates.ClockTime) -> list[str]:
        return [m.text.split()[0].replace(".", ":") if ":" in m.text or "." in m.text.split()[0] else m.text]


class DirectionDetector(_NoPreference):
    kind: Kind = "place"
    name = "direction"
    min_similarity = 0.3
    min_affinity = 0
    strong_affinity = 2

    def affinity(self, a: places.Direction, b: places.Direction, common: frozenset[str]) -> float:
        return _shared(a, b, common)
    _WORDS = {"n": "north", "s": "south", "e": "east", "w": "west"}

    def mentions(self, sentence: str) -> list[places.Direction]:
        return [d for d in places.extract_directions(sentence) if d.head]

    def slot(self, a: places.Direction, b: places.Direction, common: frozenset[str]) -> str | None:
        return a.head if places.same_head(a, b) else None

    def fits(self, m: places.Direction, slot: str) -> bool:
        return places.same_head(m, places.Direction(text=slot, points="", head=slot))

    def agree(self, a: places.Direction, b: places.Direction) -> bool:
        return places.directions_agree(a, b)

    def same_value(self, a: places.Direction, b: places.Direction) -> bool:
        return set(a.points) == set(b.points)

    def display(self, m: places.Direction) -> str:
        return m.text

    def topic(self, slot: str, m: places.Direction) -> str:
        return f"where in {slot}" if slot[:1].isupper() else f"the direction from the {slot}"

    def alternatives(self, m: places.Direction) -> list[str]:
        words = [self._WORDS[p] for p in m.points]
        if len(words) == 1:
            return [words[0] + "*"]
        return [f"{words[0]}{words[1]}*", f"{words[0]}-{words[1]}*", f"{words[0]} {words[1]}*"]


class PlaceDetector(_NoPreference):
    kind: Kind = "place"
    name = "place"
    min_similarity = 0.1
    min_affinity = 1
    strong_affinity = 2
    _GROUPS = {"in": "in", "at": "in", "near": "near", "outside": "outside"}

    def affinity(self, a: places.Place, b: places.Place, common: frozenset[str]) -> float:
        return _shared(a, b, common)

    def mentions(self, sentence: str) -> list[places.Place]:
        return places.extract_places(sentence)

    def slot(self, a: places.Place, b: places.Place, common: frozenset[str]) -> str | None:
        # Only a place the other sentence does not name at all is a candidate ("in Poland" vs "in
        # southeastern Poland" is the same place, more or less precisely).
        if self._GROUPS[a.prep] != self._GROUPS[b.prep]:
            return None
        if shares_name(a.words, b.sentence_names) or shares_name(b.words, a.sentence_names):
            return None
        return self._GROUPS[a.prep]

    def fits(self, m: places.Place, slot: str) -> bool:
        return self._GROUPS[m.prep] == slot

    def agree(self, a: places.Place, b: places.Place) -> bool:
        return places.places_agree(a, b)

    def same_value(self, a: places.Place, b: places.Place) -> bool:
        return places.places_agree(a, b)

    def display(self, m: places.Place) -> str:
        return m.text

    def topic(self, slot: str, m: places.Place) -> str:
        return "the place"

    def alternatives(self, m: places.Place) -> list[str]:
        return [" ".join(m.words)]


class SpeakerDetector(_NoPreference):
    kind: Kind = "attribution"
    name = "speaker"
    # The same words in two mouths is evidence enough; the sentences around them may differ.
    min_similarity = 0.0
    min_affinity = 0
    strong_affinity = 0

    def affinity(self, a: speakers.Statement, b: speakers.Statement, common: frozenset[str]) -> float:
        return len(set(a.words) & set(b.words))

    def mentions(self, sentence: str) -> list[speakers.Statement]:
        return speakers.extract_statements(sentence)

    def slot(self, a: speakers.Statement, b: speakers.Statement, common: frozenset[str]) -> str | None:
        if not speakers.same_statement(a, b, common):
            return None
        return " ".join(a.words)

    def fits(self, m: speakers.Statement, slot: str) -> bool:
        probe = speakers.Statement(speaker=m.speaker, words=slot.split(), quoted=m.quoted)
        return speakers.same_statement(m, probe, frozenset())

    def agree(self, a: speakers.Statement, b: speakers.Statement) -> bool:
        # Reported speech ("officials said ...") is often given to whoever spoke for an institution:
        # only two named speakers disagree about it. A quotation belongs to one person.
        if not (a.quoted and b.quoted) and not (a.speaker.names and b.speaker.names):
            return True
        return not speakers.speakers_differ(a.speaker, b.speaker)

    def same_value(self, a: speakers.Statement, b: speakers.Statement) -> bool:
        return speakers.same_speaker(a.speaker, b.speaker)

    def display(self, m: speakers.Statement) -> str:
        return m.speaker.text

    def topic(self, slot: str, m: speakers.Statement) -> str:
        return "who made the statement"

    def alternatives(self, m: speakers.Statement) -> list[str]:
        return m.speaker.names[-1:] or m.speaker.roles[-1:]


DETECTORS: tuple[Detector, ...] = (FigureDetector(), DateDetector(), TimeDetector(), DirectionDetector(),
                                   PlaceDetector(), SpeakerDetector())
