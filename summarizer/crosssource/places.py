"""Places and compass directions in a sentence, and whether two of them disagree.

"south-eastern Poland" and "south-western Poland" disagree; "eastern" and
"south-eastern" do not (one is less precise), nor do "Kyiv" and "Kiev".
Only lowercase direction words count: "South Korea" and "West Bank" are names.
"""

from __future__ import annotations

import re

from pydantic import BaseModel

from summarizer.crosssource.context import context_around
from summarizer.crosssource.names import name_key, shares_name

_DIRECTION = re.compile(
    r"(?<![\w-])(?P<ns>[Nn]orth|[Ss]outh)?(?:[- ]?(?P<ew>(?<![A-Za-z])[Ee]ast|(?<![A-Za-z])[Ww]est|east|west))?"
    r"(?P<suffix>ern|erly|wards?|[- ]?bound)?(?![\w-])"
)
_AREA_WORDS = frozenset("part parts region regions side edge outskirts suburbs corner flank area areas province".split())
_NAME_WORD = r"[A-Z][\w'\u2019.-]*"
_NAME = re.compile(_NAME_WORD + r"(?:\s(?:of\s|de\s|al\s|el\s)?" + _NAME_WORD + r"){0,3}")
_LOCATIVE = re.compile(r"\b(?P<prep>in|at|near|outside)\s(?:the\s)?(?:(?P<adj>[a-z]+(?:-[a-z]+)?)\s)?(?P<name>"
                       + _NAME_WORD + r"(?:\s(?:of\s)?" + _NAME_WORD + r"){0,3})")
_NOT_PLACES = frozenset(
    "january february march april may june july august september october november december monday tuesday wednesday "
    "thursday friday saturday sunday i he she they we it the a an this that".split()
)
_STOP_NAME_WORDS = frozenset("the of de al el city province region county state district".split())
# Words that make a capitalized phrase an institution or a subject, not a place ("Reader in Exoplanet Science").
_NOT_PLACE_WORDS = frozenset("science sciences studies affairs group party company inc ltd corp committee board "
                             "council department ministry office team club association union agency institute "
                             "foundation school faculty programme program project campaign court".split())


class Direction(BaseModel):
    """A compass direction and what it qualifies ("south-eastern Poland": se, poland)."""

    text: str
    points: str
    head: str
    context: list[str] = []


class Place(BaseModel):
    """A named place after a locative preposition ("in Kyiv")."""

    text: str
    prep: str
    name: str
    words: list[str]
    sentence_names: list[str]
    context: list[str] = []


def _head_after(sentence: str, end: int) -> tuple[str, int]:
    """The word a direction qualifies and where it ends: "southeastern Poland", "north of the city"."""
    rest = sentence[end:]
    m = re.match(r"\s+(?:of\s+)?(?:the\s+)?([\w'\u2019-]+)", rest)
    if not m:
        return "", end
    word = m.group(1)
    stop = end + m.end()
    if word.lower() in _AREA_WORDS:
        m2 = re.match(r"\s+of\s+(?:the\s+)?([\w'\u2019-]+)", sentence[stop:])
        if m2:
            word, stop = m2.group(1), stop + m2.end()
    if word[:1].isupper():
        name = _NAME.match(sentence, stop - len(word))
        if name:
            head = name.group(0).rstrip(".")
            return head, stop - len(word) + len(head)
    return word, stop


def extract_directions(sentence: str) -> list[Direction]:
    """Lowercase compass words with the place or thing they qualify."""
    out = []
    for m in _DIRECTION.finditer(sentence):
        if not (m.group("ns") or m.group("ew")):
            continue
        if m.group(0)[0].isupper() and re.match(r"\s+[A-Z]", sentence[m.end():]):
            continue  # "South Korea", "West Bank": part of a name
        # "east"/"west" alone must be an adjective or adverb of place, not part of a longer word.
        if m.start() > 0 and m.group(0)[0].isupper():
            continue  # capitalized inside a sentence: a name ("the Middle East", "North Carolina")
        points = "".join(p[0].lower() for p in (m.group("ns"), m.group("ew")) if p)
        head, stop = _head_after(sentence, m.end())
        out.append(Direction(text=sentence[m.start():stop], points=points, head=head,
                             context=context_around(sentence, m.start(), stop)))
    return out


def directions_agree(a: Direction, b: Direction) -> bool:
    """One direction contains the other ("east" and "south-east" agree; "south-east"/"south-west" do not)."""
    return set(a.points) <= set(b.points) or set(b.points) <= set(a.points)


def same_head(a: Direction, b: Direction) -> bool:
    if not a.head or not b.head:
        return False
    return shares_name(_name_words(a.head), _name_words(b.head))


def _name_words(text: str) -> list[str]:
    return [w for w in re.findall(r"[\w'\u2019-]+", text) if w.lower() not in _STOP_NAME_WORDS]


def capitalized_words(text: str) -> list[str]:
    """Every capitalized word of a text, possessives dropped (the names a sentence mentions)."""
    return [re.sub(r"['\u2019]s$", "", w) for w in re.findall(r"\b[A-Z][\w'\u2019-]*", text)]


def extract_places(sentence: str) -> list[Place]:
    """Capitalized names after in/at/near/outside, except months and weekdays."""
    names = capitalized_words(sentence)
    out = []
    for m in _LOCATIVE.finditer(sentence):
        words = [re.sub(r"['\u2019]s$", "", w.rstrip(".")) for w in _name_words(m.group("name").rstrip("."))]
        words = [w for w in words if w.lower() not in _NOT_PLACES and not any(c.isdigit() for c in w)]
        if not words or any(w.lower() in _NOT_PLACE_WORDS for w in words) or (
                len(words) == 1 and words[0].lower().endswith(("ian", "ean", "ese", "ish"))):
            continue  # an institution, or an adjective ("near the Ukrainian border")
        out.append(Place(text=m.group(0).rstrip("."), prep=m.group("prep"), name=m.group("name").rstrip("."),
                         words=words, sentence_names=names,
                         context=context_around(sentence, m.start(), m.end())))
    return out


def places_agree(a: Place, b: Place) -> bool:
    return shares_name(a.words, b.words)


def place_key(p: Place) -> str:
    return " ".join(name_key(w) for w in p.words)
