"""The people a case is about: full names as the sources write them.

Without a named-entity model, a person is a run of two or three capitalized
words whose last word also stands alone elsewhere ("Mark Milley" ... "Milley
said"), or that follows a personal title ("Gen.", "Judge", "Dr").
Organisations and places are kept out by their telltale words.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from summarizer.crosssource.alignment import CaseText
from summarizer.crosssource.names import name_key
from summarizer.crosssource.ranking import FactGroup

_WORD = r"[A-Z][a-z\u00c0-\u024f'\u2019]+(?:-[A-Z][a-z\u00c0-\u024f]+)?"
_FULL_NAME = re.compile(rf"(?<![\w.])({_WORD}(?:\s{_WORD}){{1,2}})(?![\w-])")
_TITLE_BEFORE = re.compile(r"(?:\b(?:Gen|Col|Lt|Maj|Capt|Sgt|Adm|Dr|Mr|Mrs|Ms|Prof|Sen|Rep|Gov|Judge|President|General|"
                           r"Colonel|Minister|Mayor|Chancellor|Cllr|Councillor|Justice|Sheriff|Chief|Officer|"
                           r"Director|Commissioner|Pope|King|Queen|Prince|Senator)\.?\s)$")
_NOT_NAME_WORDS = frozenset(
    "the a an in on at of for and but or to by from with this that these those it its he she they we our their his her "
    "january february march april may june july august september october november december monday tuesday wednesday "
    "thursday friday saturday sunday city county council university museum court energy group party authority "
    "department office park stadium street road river basin bank forces force army navy staff chiefs forum press news "
    "committee ministry company inc ltd corp capital systems space station hospital school college church police "
    "fire service services board state states united kingdom republic union federation cup league club athletic "
    "rovers district region province centre center airport port harbor harbour bay island lake mountain valley hall "
    "house senate congress parliament agency institute foundation fund bureau commission administration national "
    "international global federal general public medical regional central north south east west northern southern "
    "eastern western new old great saint st fc".split()
)


def _names(text: str) -> list[tuple[str, bool]]:
    """(full name, whether a personal title precedes it) for each candidate name."""
    out = []
    for m in _FULL_NAME.finditer(text):
        words = m.group(1).split()
        if any(w.lower().strip("'\u2019s") in _NOT_NAME_WORDS or w.lower() in _NOT_NAME_WORDS for w in words):
            continue
        out.append((m.group(1), bool(_TITLE_BEFORE.search(text[:m.start()]))))
    return out


def people_in(ct: CaseText, facts: list[FactGroup]) -> list[str]:
    """Full names of the case's people, most reported first (those in the top facts before others)."""
    lone: Counter[str] = Counter()
    for s in ct.sentences:
        for m in re.finditer(rf"(?<![\w.-])({_WORD})(?![\w-])", s.text):
            before = s.text[:m.start()].rstrip()
            after = s.text[m.end():].lstrip()
            if not re.search(rf"{_WORD}$", before) and not re.match(_WORD, after):
                lone[name_key(m.group(1))] += 1
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    sources: dict[str, set[str]] = defaultdict(set)
    for s in ct.sentences:
        for full, titled in _names(s.text):
            last = name_key(full.split()[-1])
            if titled or lone[last]:
                spellings[last][full] += 1
                sources[last].add(s.source_id)
    top_text = " ".join(ct.sentences[i].text for g in facts[:3] for i in g.members)
    top_keys = {name_key(w) for w in re.findall(_WORD, top_text)}
    ranked = sorted(spellings, key=lambda k: (k not in top_keys, -len(sources[k]), -sum(spellings[k].values()), k))
    return [min(spellings[k].items(), key=lambda kv: (-kv[1], kv[0]))[0] for k in ranked]
