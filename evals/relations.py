"""Who is said to be what, and who is said to have said what: the checks for swapped names.

Every name in a claim may occur in the sources and the claim still be false,
when it gives one person's role or words to another. Two general checks:
- role: "X, the chairman", "X's spokesman", "Chairman X": the role word must stand
  within a few words of X in some source sentence;
- speaker: "X said/warned ...": the source sentence that best matches what was
  said must have X in it or in the sentences just before it.
"""

from __future__ import annotations

import re

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from evals.anchors import NOT_NAMES, is_common_word, word_tokens
from evals.source_index import IndexedSentence, SourceIndex

ROLE_WORDS = (
    "chairman|chairwoman|spokesman|spokesperson|spokeswoman|president|commander|commander-in-chief|judge|"
    "prosecutor|minister|mayor|governor|ceo|director|coach|captain|founder|chancellor|premier|sheriff|lawyer|"
    "attorney|chief executive|head coach|lead author|author|professor|secretary|councillor|councilor|senator|officer"
)
_NAME = r"[A-Z][\w'\u2019-]+(?:\s+[A-Z][\w'\u2019-]+){0,2}"
_ROLE_PATTERNS = [
    re.compile(rf"(?P<name>{_NAME})['\u2019]s?\s+(?:\w+\s+)?(?P<role>{ROLE_WORDS})\b", re.I),       # X's spokesman
    re.compile(rf"(?P<name>{_NAME}),\s+(?:the\s+|a\s+|an\s+)?(?:[\w-]+\s+){{0,3}}?(?P<role>{ROLE_WORDS})\b"),  # X, the chairman
    re.compile(rf"\b(?P<role>{ROLE_WORDS})\s+(?P<name>{_NAME})"),                                    # Chairman X
    re.compile(rf"\b(?P<role>{ROLE_WORDS}),\s+(?P<name>{_NAME})"),                                   # the chairman, X
]
SPEECH = ("said|says|told|warned|argued|added|stressed|claimed|announced|insisted|noted|called|described|urged|"
          "explained|confirmed|denied|acknowledged|admitted|estimated|predicted|promised|pledged|vowed|praised|"
          "criticized|criticised|accused|blamed|dismissed|welcomed|wrote|writes|posted|tweeted")
_INVERTED = "said|says|added|warned|wrote|writes|noted|explained|insisted|stressed|argued|claimed|confirmed"
_SPEAKER_PATTERNS = [
    re.compile(rf"(?P<name>{_NAME})(?:,[^,]{{1,60}},)?\s+(?:{SPEECH})\b"),
    # The speaker after the verb only in inversion (', said Butler', '" added Butler') or after
    # "according to": in "called X", "told X", "says X ..." X is what is spoken of, or to.
    re.compile(rf"(?:[,\"\u201d']\s*(?:{_INVERTED})|\baccording to)\s+(?P<name>{_NAME})"),
]
_ROLE_REACH = 8
# Magnitude and unit words written out by the normalization are not what a statement is about.
_GENERIC = frozenset(ENGLISH_STOP_WORDS) | set(SPEECH.split("|")) | {
    "according", "thousand", "million", "billion", "percent", "pounds", "dollars", "euros", "about"}
_MIN_OVERLAP = 3


def _name_tokens(name: str) -> list[str]:
    return [t for t in word_tokens(name) if t not in NOT_NAMES and t not in _MONTHS_DAYS and len(t) > 1]


def _stem(token: str) -> str:
    return token[:5]


def role_reasons(text: str, index: SourceIndex, scope: list[str]) -> list[str]:
    reasons = []
    for pattern in _ROLE_PATTERNS:
        for m in pattern.finditer(text):
            names = _name_tokens(m.group("name"))
            if names and m.start("name") == 0 and is_common_word(names[0]):
                names = names[1:]  # "Plaintiffs' attorney X": capitalized only to start the sentence
            role = word_tokens(m.group("role"))
            if not names or not role:
                continue
            role_tok = role[-1]
            if not _near_in_sources(names, role_tok, index, scope):
                reasons.append(f"'{m.group('role')}' is never said of {m.group('name')} in the sources it cites")
    return list(dict.fromkeys(reasons))


def _near_in_sources(names: list[str], role: str, index: SourceIndex, scope: list[str]) -> bool:
    for sid in scope:
        for sent in index.sentences[sid]:
            # by stem: spokesman ~ spokesperson, chairman ~ chairwoman, commander ~ commander-in-chief
            pos_role = [i for i, t in enumerate(sent.tokens) if t[:5] == role[:5]]
            if not pos_role:
                continue
            pos_name = [i for i, t in enumerate(sent.tokens) if any(t[:6] == n[:6] for n in names)]
            if any(abs(a - b) <= _ROLE_REACH for a in pos_name for b in pos_role):
                return True
    return False


def _content_stems(text: str, exclude: set[str]) -> set[str]:
    # Two letters are enough for a unit ("km" is what "kilometres" becomes).
    return {_stem(t) for t in word_tokens(text) if t not in _GENERIC and t not in exclude and len(t) > 1
            and not t.replace(".", "").isdigit()}


def speaker_reasons(text: str, index: SourceIndex, scope: list[str]) -> list[str]:
    reasons = []
    for after, pattern in zip((True, False), _SPEAKER_PATTERNS, strict=True):
        for m in pattern.finditer(text):
            names = _name_tokens(m.group("name"))
            if not names:
                continue
            # What was said: after "X said", or before "..., said X".
            said = _content_stems(text[m.end():] if after else text[:m.start()], set(names))
            if len(said) < _MIN_OVERLAP:
                continue
            scored = [(len(said & {_stem(t) for t in s.tokens}), sid, i)
                      for sid in scope for i, s in enumerate(index.sentences[sid])]
            best = max((o for o, _, _ in scored), default=0)
            if best < _MIN_OVERLAP or best < 0.4 * len(said):
                continue  # nothing in the sources clearly says this: not a question of who said it
            close = [(sid, i) for o, sid, i in scored if o >= max(_MIN_OVERLAP, 0.8 * best)]
            if not any(_speaker_nearby(index.sentences[sid], i, names)
                       or set(names) <= index.publisher_tokens.get(sid, set())  # the source itself speaks
                       for sid, i in close):
                sid, i = close[0]
                reasons.append(f"gives to {m.group('name')} what source {sid} says without them: "
                               f"'{index.sentences[sid][i].text[:90]}'")
    return list(dict.fromkeys(reasons))


def _names_someone(sentence: IndexedSentence) -> bool:
    """A proper name in the sentence: a capitalized word (the first only if it is no common word)."""
    words = _CAPITALS.findall(sentence.text)
    names = [w for w in words[1:] if w.lower() not in NOT_NAMES and w.lower() not in _MONTHS_DAYS]
    return bool(names) or bool(words and sentence.text.startswith(words[0]) and not is_common_word(words[0]))


def _speaker_nearby(sentences: list[IndexedSentence], i: int, names: list[str]) -> bool:
    """The speaker is in the sentence; or, going back over sentences that name no one (a quote
    running on), in the first earlier sentence that names someone."""
    described = False
    for j in range(i, max(-1, i - 3), -1):
        speakers = _speakers_in(sentences[j].text)
        if speakers:  # the sentence says who said it
            return bool(speakers & set(names))
        if _DESCRIBED_SPEAKER.search(sentences[j].text):
            described = True  # "the company said": an organisation the source may name anywhere
            continue
        if _PRONOUN_SPEAKER.search(sentences[j].text):
            continue  # "..., he told CKPA News": the speaker was named earlier
        if any(t in names for t in sentences[j].tokens):
            return True
        if _names_someone(sentences[j]):
            return False  # the statement belongs to someone else
    # Said by "the company" and no one else: it is theirs if the source names them at all.
    return described and any(t in names for sent in sentences for t in sent.tokens)


def _speakers_in(text: str) -> set[str]:
    """Who a source sentence says is speaking ("..., Butler added." -> {"butler"})."""
    found: set[str] = set()
    for pattern in _SPEAKER_PATTERNS:
        for m in pattern.finditer(text):
            found.update(_name_tokens(m.group("name")))
    return found


_CAPITALS = re.compile(r"\b[A-Z][a-z]+\b")
_PRONOUN_SPEAKER = re.compile(rf"\b(?:he|she|they|it)\s+(?:{SPEECH})\b", re.I)
_DESCRIBED_SPEAKER = re.compile(
    rf"\b(?:the|a)\s+(?:[\w-]+\s+)?(?:company|firm|agency|council|club|department|ministry|office|statement|"
    rf"release|court|authority|union|police|government|hospital|university|museum|school|board|operator|utility|"
    rf"carrier|group|organi[sz]ation|spokesman|spokeswoman|spokesperson|official|officials)\s+(?:{SPEECH})\b",
    re.I)
_MONTHS_DAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february",
                "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"}
