"""Gold match patterns: a list of groups; text matches when every group has an alternative in it.

An alternative is one or more whole words (`four` is not in "fourteen"); a
trailing `*` makes its last word a prefix (`zaluzhn*` matches "Zaluzhnyi").
A number is a whole token: `3` is not in "3.75" and `000` is not in "1,000".
Text and alternatives both go through `evals.canonical` (shorthand, number words,
magnitudes, units) and then `normalize`, so "two hours" matches "2 hrs".
"""

from __future__ import annotations

import re
from functools import lru_cache

from pydantic import BaseModel

from evals.canonical import expand
from summarizer.text import normalize

MatchGroups = list[list[str]]


class MatchHit(BaseModel):
    """Which alternative of which group matched, and where in the normalized text."""

    group: int
    alternative: str
    start: int
    end: int
    text: str


_DROPPABLE = frozenset({"was", "were", "is", "are", "has", "have", "had", "been", "be", "the", "a", "an"})


@lru_cache(maxsize=65536)
def compile_alternative(alternative: str, loose: bool = False) -> re.Pattern[str]:
    """One alternative as a regex over normalized text. Loose, it also matches with an
    appositive comma between its words ("Priya Nandakumar, was jailed" for "nandakumar was
    jailed") and without its inner auxiliaries and articles ("tanyard estate cleared" for
    "tanyard estate was cleared"); inflections stay exact: a trap often turns on tense ("reached a deal" is not
    "unless it reaches a deal")."""
    prefix = alternative.rstrip().endswith("*")
    words = match_form(alternative.rstrip().rstrip("*")).split(" ")
    if loose and len(words) >= 3:
        # Telegraphic briefs drop auxiliaries and articles: "Tanyard estate cleared" for
        # "tanyard estate was cleared". Only inner words, so the alternative keeps its ends.
        body = re.escape(words[0]) + "".join(
            (rf"(?:,?\s{re.escape(w)})?" if w in _DROPPABLE else rf",?\s{re.escape(w)}") for w in words[1:-1])
        body += rf",?\s{re.escape(words[-1])}"
    else:
        body = (r",?\s" if loose else " ").join(re.escape(w) for w in words)
    # A number is a whole token: not the "52" of "3:52", the "75" of "3.75" or the "000" of "1,000".
    left = r"(?<!\w)(?<!\d[.,:])" if body[:1].isdigit() else r"(?<!\w)"
    if prefix:
        right = r"\w*"
    elif words[-1][-1:].isdigit():
        right = r"(?!\w)(?![.,:]\d)"
    else:
        right = r"(?!\w)"
    return re.compile(left + body + right)


@lru_cache(maxsize=65536)
def _literal(alternative: str) -> str:
    """The normalized text every match of the alternative contains (its words without the `*`)."""
    return match_form(alternative.rstrip().rstrip("*"))


def match_form(text: str) -> str:
    """The one form every matcher compares: canonical spelling, then normalized."""
    return normalize(expand(text))


def find_alternative(alternative: str, normalized_text: str, loose: bool = False) -> re.Match[str] | None:
    # A substring test first: most alternatives are absent, and `in` is far cheaper than a regex.
    if not loose and _literal(alternative) not in normalized_text:
        return None
    return compile_alternative(alternative, loose).search(normalized_text)


def match_groups(groups: MatchGroups, text: str, *, normalized: bool = False,
                 loose: bool = False) -> list[MatchHit] | None:
    """The first hit of each group when every group matches, else None (`loose`: see
    compile_alternative; used for traps)."""
    norm = text if normalized else match_form(text)
    hits: list[MatchHit] = []
    for i, group in enumerate(groups):
        hit = None
        for alt in group:
            m = find_alternative(alt, norm, loose)
            if m:
                hit = MatchHit(group=i, alternative=alt, start=m.start(), end=m.end(), text=m.group(0))
                break
        if hit is None:
            return None
        hits.append(hit)
    return hits


def matches(groups: MatchGroups, text: str, *, normalized: bool = False) -> bool:
    return match_groups(groups, text, normalized=normalized) is not None


def unmatched_groups(groups: MatchGroups, text: str) -> list[int]:
    """Indexes of the groups with no alternative in the text (for gold checks)."""
    norm = match_form(text)
    return [i for i, g in enumerate(groups) if not any(find_alternative(a, norm) for a in g)]


