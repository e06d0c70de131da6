"""The words around a mention, to tell whether two mentions are about the same thing.

"12 people were injured" and "injuring fourteen" share "injur"; "38 members
of a choir" and "fourteen passengers were hurt" share nothing, so they are not
compared. The window stops at clause breaks ("12 killed and 30 injured").
"""

from __future__ import annotations

import re

from summarizer.text import normalize

WINDOW = 6
_TOKEN = re.compile(r"[\w$€£%]+(?:['\-][\w]+)*|[,;:()\u2014\u2013]|\s-\s")
_BREAKS = frozenset({",", ";", ":", "(", ")", "\u2014", "\u2013", " - ", "and", "while", "but", "whereas", "or"})
_STOP = frozenset(
    "the a an of to in on at for with was were is are be been being has have had that this these those it its by as "
    "from he she they we i you his her their our who which what when where about more than some nearly almost around "
    "approximately roughly over under up least most per cent percent just only also would could will can may might "
    "said says say told tells according added reported reports there then after before into out s".split()
)
# Words news uses interchangeably for what a figure counts.
_SYNONYMS = {
    "hurt": "injur", "wound": "injur", "casualt": "injur",
    "kill": "death", "died": "death", "die": "death", "dead": "death", "fatal": "death", "live": "death",
    "household": "home", "custom": "home", "dwell": "home", "house": "home",
    "fan": "crowd", "spect": "crowd", "atten": "crowd",
    "rise": "increa", "hike": "increa", "raise": "increa", "grow": "increa", "jump": "increa", "up": "increa",
    "cut": "reduc", "trim": "reduc", "slash": "reduc", "lower": "reduc",
    "sentenc": "senten", "jail": "senten", "prison": "senten", "impri": "senten",
    "worth": "value", "valu": "value", "price": "value", "apprai": "value", "insur": "value",
}
_SUFFIXES = ("ings", "ing", "ied", "ies", "ed", "es", "s", "ly", "er", "e")


def stem(word: str) -> str:
    """A crude stem: a common suffix off, five letters kept, news synonyms folded."""
    w = word.lower().strip("'")
    for _ in range(2):  # "workers" -> "worker" -> "work"
        for suffix in _SUFFIXES:
            if len(w) > len(suffix) + 2 and w.endswith(suffix):
                w = w[: -len(suffix)]
                break
    w = w[:6] if len(w) > 6 else w
    for prefix, canonical in _SYNONYMS.items():
        if w.startswith(prefix):
            return canonical
    return w[:5]


def content_tokens(text: str) -> list[str]:
    """Stems of the content words of a text."""
    return [stem(t) for t in _TOKEN.findall(normalize(text)) if t not in _STOP and t not in _BREAKS
            and not t[0].isdigit() and len(t) > 1]


def context_around(text: str, start: int, end: int, window: int = WINDOW) -> list[str]:
    """Stems of the content words within `window` tokens of text[start:end], not crossing a clause break."""
    before = _TOKEN.findall(normalize(text[:start]))
    after = _TOKEN.findall(normalize(text[end:]))
    out: list[str] = []
    for tokens in (reversed(before), after):
        taken = 0
        for t in tokens:
            if t in _BREAKS or t.strip() in _BREAKS:
                break
            taken += 1
            if taken > window:
                break
            if t not in _STOP and not t[0].isdigit() and len(t) > 1:
                out.append(stem(t))
    return sorted(set(out))
