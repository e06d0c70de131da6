"""Sources named by their outlet: "the Gazette says", "according to the Wimmera Standard", "(KPAL)".

Summaries credit claims to outlets by the name printed in the article (its masthead, byline,
notice or dateline credit), not by source id. An outlet word is a word of exactly one source's
publisher text that the news text of the case hardly uses ("Courier", "KPAL"; not "Council",
which a newsletter line and the news both use). A name in a reporting position ("the Courier
says", "according to the Courier", "told the Courier", "(Courier)") made of such a word is
marked with its source id, "the Courier [local] says", so the checks that read source ids
(per-source values, conflict sides) read it too.
"""

from __future__ import annotations

import re
from collections import Counter

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from typing import TYPE_CHECKING

from evals.anchors import MONTHS, is_common_word, word_tokens

if TYPE_CHECKING:
    from evals.source_index import SourceIndex

# Publisher-text words that name no outlet: web furniture, dates, generic media words.
_FURNITURE = frozenset(
    "news newsletter newsroom sign subscribe alerts all rights reserved copyright cookie cookies policy privacy terms "
    "settings digital media daily weekly morning evening local national breaking staff team reporter correspondent "
    "editor follow share listen live inbox free more read the and for from with our your you use site website "
    "email update updated published radio press release statement tv television channel online latest service "
    "services report reports review office agency group company foundation hospitals courts enforcement forces "
    "coast northern southern eastern western global continental football sport sports business current want "
    "signs briefing hall facebook twitter advertisement today valley metro city county state world".split())
_CAPITALIZED_RUN = re.compile(r"\b[A-Z][A-Za-z]+(?:[ \t]+[A-Z][A-Za-z]+)*\b")
_CALENDAR = frozenset(MONTHS) | {m[:3] for m in MONTHS} | {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
_MAX_NEWS_USES = 2  # an outlet name may occur a couple of times in the news text ("told the Courier")
_NAME = r"[A-Z][\w'&-]*(?:\s+[A-Z][\w'&-]*){0,3}"
_REPORTS = (r"says|said|reports|reported|puts|put|gives|gave|quotes|quoted|writes|wrote|cites|cited|estimates|"
            r"estimated|adds|added|claims|claimed|has|had|counts|counted|lists|listed|describes|described|notes|noted")
_POSITIONS = [
    re.compile(rf"\b(?:[Tt]he\s+)?(?P<name>{_NAME})(?:['\u2019]s\s+(?:report|story|article|account))?\s+(?:{_REPORTS})\b"),
    re.compile(rf"\b(?i:according to|per|told|by|in|from|via)\s+(?:[Tt]he\s+)?(?P<name>{_NAME})"),
    re.compile(rf"[(\[](?P<name>{_NAME})[)\]]"),
]
_MARKED = re.compile(r"\s*[\[(][\w\s,-]+[\])]")


def _reads_as_name(run: list[str]) -> bool:
    furniture = sum(w.lower() in _FURNITURE or w.lower() in ENGLISH_STOP_WORDS for w in run)
    return not all(is_common_word(w) for w in run) or (len(run) >= 2 and furniture <= 1)


def outlet_words(index: "SourceIndex") -> dict[str, str]:
    """Each outlet word of the case (capitalized in a source's publisher text, as in "Port
    Aldine Courier"), with the one source whose publisher text has it."""
    owners: dict[str, set[str]] = {}
    ids = {w for sid in index.source_ids for w in word_tokens(sid)}
    for sid, text in index.publisher_text.items():
        # A run of capitalized words that reads as a name ("Port Aldine Courier", "KPAL"), not
        # "Accept All Cookies" or "Courier staff".
        runs = [run.split() for run in _CAPITALIZED_RUN.findall(text)]
        for word in (w for run in runs if _reads_as_name(run) for w in run):
            t = word.lower()
            if (len(t) >= 3 and t not in _FURNITURE and t not in ENGLISH_STOP_WORDS and t not in ids
                    and t not in _CALENDAR):
                owners.setdefault(t, set()).add(sid)
    uses = Counter(t for sents in index.sentences.values() for s in sents for t in s.tokens)
    return {t: next(iter(sids)) for t, sids in owners.items() if len(sids) == 1 and uses[t] <= _MAX_NEWS_USES}


def mark_outlets(text: str, words: dict[str, str]) -> str:
    """The text with each outlet named in a reporting position followed by its source id
    (`words`: the case's `outlet_words`, kept in its SourceIndex as `outlets`)."""
    if not words:
        return text
    edits: dict[tuple[int, int], str] = {}  # (start, end) -> replacement
    for i, pattern in enumerate(_POSITIONS):
        for m in pattern.finditer(text):
            start, end = m.span("name")
            sids = {words[w] for w in re.findall(r"[a-z][\w'&-]*", m.group("name").lower()) if w in words}
            if len(sids) != 1 or (i < 2 and (_MARKED.match(text, end) or text[end:end + 1] in ")]")):
                continue  # no outlet, two outlets, or already marked ("News 5 [broadcast]")
            sid = next(iter(sids))
            # "(Courier)" becomes "(local)"; "the Courier says" becomes "the Courier [local] says".
            edits[(start, end)] = sid if i == 2 else f"{text[start:end]} [{sid}]"
    for start, end in sorted(edits, reverse=True):
        text = text[:start] + edits[(start, end)] + text[end:]
    return text
