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
from summarizer.crosssource.names import name_key, same_name
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
    "eastern western new old great saint st fc alliance metro litigation advertiser observer herald times post "
    "gazette tribune journal express mail telegraph chronicle network media holdings orbital brewery brasserie "
    "capital partners airlines airways science sciences studies exercise operation project campaign programme "
    "program trust infirmary association society institute centre network record dispatch today daily weekly "
    "wire press agency biologics pharmaceuticals pharma technologies group inc co plc llc posted updated published "
    "jan feb mar apr jun jul aug sep sept oct nov dec mon tue wed thu fri sat sun".split()
)


_TITLE_WORDS = frozenset("gen col lt maj capt sgt adm dr mr mrs ms prof sen rep gov judge president general colonel "
                         "minister mayor chancellor cllr councillor justice sheriff chief officer director "
                         "commissioner pope king queen prince senator sir dame lord lady executive chair chairman "
                         "chairwoman spokesman spokeswoman spokesperson leader secretary premier governor".split())


def _names(text: str) -> list[tuple[str, bool]]:
    """(full name, whether a personal title precedes it) for each candidate name."""
    out = []
    for m in _FULL_NAME.finditer(text):
        words = m.group(1).split()
        titled = bool(_TITLE_BEFORE.search(text[:m.start()]))
        while words and words[0].lower().rstrip(".") in _TITLE_WORDS:
            words, titled = words[1:], True
        while words and words[-1].lower().rstrip(".") in _TITLE_WORDS:
            words = words[:-1]
        if len(words) < 2 or any(w.lower().strip("'\u2019s") in _NOT_NAME_WORDS or w.lower() in _NOT_NAME_WORDS
                                 for w in words):
            continue
        out.append((" ".join(words), titled))
    return out


def people_in(ct: CaseText, facts: list[FactGroup]) -> list[str]:
    """Full names of the case's people, most reported first (those in the top facts before others)."""
    lone: Counter[str] = Counter()
    for s in ct.sentences:
        for m in re.finditer(rf"(?<![\w.-])({_WORD})(?![\w-])", s.text):
            before = s.text[:m.start()].rstrip()
            after = s.text[m.end():].lstrip()
            prev = re.search(rf"({_WORD})\.?$", before)
            # "Cllr Oduya", "Gen. Milley": a title before a surname still leaves it standing alone.
            if (not prev or prev.group(1).lower() in _TITLE_WORDS) and not re.match(_WORD, after):
                lone[name_key(m.group(1))] += 1
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    sources: dict[str, set[str]] = defaultdict(set)
    for i, s in enumerate(ct.sentences):
        if ct.heading[i] or not ct.usable(i) or ct.foreign(i):
            continue  # titles are in Title Case: every word looks like a name
        for full, titled in _names(s.text):
            last = name_key(full.split()[-1])
            # One person spelled two ways (Havrylenko / Gavrilenko) is one entry.
            last = next((k for k in spellings if same_name(k, last)), last)
            if titled or lone[last]:
                spellings[last][full] += 1
                sources[last].add(s.source_id)
    top_text = " ".join(ct.sentences[i].text for g in facts[:3] for i in g.members)
    top_keys = {name_key(w) for w in re.findall(_WORD, top_text)}
    ranked = sorted(spellings, key=lambda k: (k not in top_keys, -len(sources[k]), -sum(spellings[k].values()), k))
    return [min(spellings[k].items(), key=lambda kv: (-kv[1], kv[0]))[0] for k in ranked]
