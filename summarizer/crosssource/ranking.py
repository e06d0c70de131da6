"""Candidate facts and which of them to report.

Each news sentence anchors a candidate fact: itself plus the most similar
sentence of every other source, if similar enough. A fact is worth more when
more sources support it, when it comes early in its article (news puts the
important first) and when it says something the facts already picked do not
(maximal marginal relevance).
"""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from summarizer.crosssource.alignment import ALIGN_THRESHOLD, CaseText

MAX_FACTS = 10
MIN_WORDS = 6
_SUPPORT_WEIGHT = 0.5
_POSITION_WEIGHT = 0.3
_LENGTH_WEIGHT = 0.2
_REDUNDANCY_WEIGHT = 0.6
# A sentence that opens on a pronoun or a bare quotation needs the sentence before it to be understood.
_DANGLING_START = re.compile(r"^(?:it|its|they|them|their|this|these|those|he|she|his|her|that|but|and|also|there)\b",
                             re.I)
_OPENS_WITH_QUOTE = re.compile(r"^[\"\u201c\u2018']")
_SPEECH = re.compile(r"\b(?:said|says|told|wrote|added|according to)\b")


class FactGroup(BaseModel):
    """A candidate fact: the anchor sentence (its text is the fact) and the sentences that support it."""

    anchor: int
    members: list[int] = Field(description="sentence indexes, the anchor first, at most one per source")
    sources: list[str]
    relevance: float


def _relevance(ct: CaseText, anchor: int, members: list[int]) -> float:
    n_sources = len(ct.source_ids) - len(ct.outliers)
    support = (len(members) - 1) / (n_sources - 1) if n_sources > 1 else 1.0
    position = 1.0 / (1.0 + ct.source_position(anchor) / 3.0)
    text = ct.sentences[anchor].text
    words = len(text.split())
    length = min(1.0, words / 18.0) * (0.7 if words > 60 else 1.0)
    score = _SUPPORT_WEIGHT * support + _POSITION_WEIGHT * position + _LENGTH_WEIGHT * length
    if _DANGLING_START.match(text):
        score *= 0.75
    if _OPENS_WITH_QUOTE.match(text) and not _SPEECH.search(text):
        score *= 0.6
    return score


def candidate_facts(ct: CaseText, threshold: float = ALIGN_THRESHOLD) -> list[FactGroup]:
    """One candidate per news sentence long enough to state a fact, best first."""
    groups = []
    for i, s in enumerate(ct.sentences):
        # A sentence in another language than the briefing's corroborates a fact but never states it.
        if ct.heading[i] or not ct.usable(i) or ct.foreign(i) or len(s.text.split()) < MIN_WORDS:
            continue
        members = [i]
        for sid in ct.source_ids:
            if sid != s.source_id:
                j = ct.best_match(i, sid, threshold)
                if j is not None:
                    members.append(j)
        sources = [ct.sentences[m].source_id for m in members]
        groups.append(FactGroup(anchor=i, members=members, sources=sources, relevance=_relevance(ct, i, members)))
    return sorted(groups, key=lambda g: (-g.relevance, g.anchor))


def select_facts(ct: CaseText, candidates: list[FactGroup], limit: int = MAX_FACTS) -> list[FactGroup]:
    """Pick up to `limit` facts by maximal marginal relevance; a sentence serves one fact only."""
    picked: list[FactGroup] = []
    used: set[int] = set()
    pool = list(candidates)
    while pool and len(picked) < limit:
        def gain(g: FactGroup) -> float:
            redundancy = max((float(ct.similarity[g.anchor, u]) for u in used), default=0.0)
            return g.relevance - _REDUNDANCY_WEIGHT * redundancy
        best = max(pool, key=lambda g: (gain(g), -g.anchor))
        pool.remove(best)
        if best.anchor in used:
            continue
        members = [m for m in best.members if m == best.anchor or m not in used]
        picked.append(best.model_copy(update={"members": members,
                                              "sources": [ct.sentences[m].source_id for m in members]}))
        used.update(members)
        pool = [g for g in pool if g.anchor not in used]
    return picked
