"""Candidate conflicts: mentions in different sources that answer one question differently.

Two mentions (a figure, a date, a direction, a place, a speaker) of different
sources are compared when they answer the same question: their sentences are
alike, or the words around them are (words that half the case uses, such as
the event's own name, do not count). Answers that cannot both be right make a
candidate; candidates for the same question are merged; every source that
gives one of the answers joins that side. A candidate is dropped when one
source gives two answers without attributing them to different people (two
different things, or a source contradicting itself), but kept when a source
reports the dispute itself ("organisers said 25,000; police estimated 8,000").
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from pydantic import BaseModel, Field

from summarizer.crosssource.alignment import CaseText, strip_dateline
from summarizer.crosssource.context import content_tokens
from summarizer.crosssource.detectors import DETECTORS, Detector, Kind

MAX_CONFLICTS = 5
# A context word used by more than this share of the case's sentences says nothing about which fact it is.
COMMON_SHARE = 0.1
_ATTRIBUTED = re.compile(r"\b(?:said|says|say|told|estimat\w*|put (?:the|it|that)|according to|claim\w*|report\w*|"
                         r"count\w*|confirm\w*|cit(?:ed|ing)|gave|give|insist\w*|announc\w*|stated?)\b", re.I)


class ConflictSide(BaseModel):
    """One answer, the sentences that give it and their sources."""

    value: str
    sources: list[str]
    sentences: list[int]
    evidence: list[int] = Field(default_factory=list, description="the sentences compared when the dispute was found")
    alternatives: list[str] = Field(description="words that identify this answer, for gold match patterns")


class ConflictCandidate(BaseModel):
    """A question the sources answer differently."""

    kind: Kind
    detector: str
    topic: str
    sides: list[ConflictSide]
    strength: float = Field(description="how alike the disagreeing mentions are (higher: surer it is one fact)")


class NonConflictNote(BaseModel):
    """Two wordings that look different but agree (rounding, spelling, weekday vs date)."""

    kind: Kind
    detector: str
    values: list[str]
    sentences: list[int]


class _Building:
    """A candidate while it is being assembled: its question (slot) and its answers as (sentence, mention) lists."""

    def __init__(self, det: Detector, slot: str, strength: float) -> None:
        self.det = det
        self.slot = slot
        self.strength = strength
        self.sides: list[list[tuple[int, Any]]] = []

    def side_of(self, m: Any) -> int | None:
        hits = [k for k, side in enumerate(self.sides) if any(self.det.same_value(m, x) for _, x in side)]
        return hits[0] if len(hits) == 1 else None

    def add(self, i: int, m: Any) -> None:
        k = self.side_of(m)
        if k is None:
            if not any(self.det.agree(m, x) for side in self.sides for _, x in side):
                self.sides.append([(i, m)])
            return  # an answer that agrees with one side without being it joins no side
        if all(j != i for j, _ in self.sides[k]):
            self.sides[k].append((i, m))


def _same_question(b: _Building, slot: str, ma: Any, mb: Any) -> bool:
    """A new disagreeing pair belongs to a candidate when it asks the same question, or repeats two of its answers."""
    if slot == b.slot:
        return True
    ka, kb = b.side_of(ma), b.side_of(mb)
    return ka is not None and kb is not None and ka != kb


def _merge(buildings: list[_Building]) -> list[_Building]:
    """One candidate per dispute: a candidate whose every answer is an answer of another joins it."""
    out: list[_Building] = []
    for b in buildings:
        host = next((o for o in out if all(o.side_of(side[0][1]) is not None for side in b.sides)
                     and len({o.side_of(side[0][1]) for side in b.sides}) == len(b.sides)), None)
        if host is None:
            out.append(b)
            continue
        for side in b.sides:
            for i, m in side:
                host.add(i, m)
        host.strength = max(host.strength, b.strength)
    return out


def _reported_dispute(ct: CaseText, i: int, j: int) -> bool:
    """Two nearby sentences of one article that each attribute a claim to someone ("Police estimated
    8,000. The organisers said 25,000."): the article itself reports a dispute."""
    a, b = ct.sentences[i].text, ct.sentences[j].text
    return (abs(i - j) <= 2 and not ct.heading[i] and not ct.heading[j]
            and bool(_ATTRIBUTED.search(a)) and bool(_ATTRIBUTED.search(b)))


def common_words(ct: CaseText) -> frozenset[str]:
    """Context words too frequent in this case to tell one fact from another."""
    df: Counter[str] = Counter()
    for s in ct.sentences:
        df.update(set(content_tokens(s.text)))
    limit = max(3, COMMON_SHARE * len(ct.sentences))
    return frozenset(w for w, n in df.items() if n > limit)


def _paired(det: Detector, ma_list: list[Any], mb_list: list[Any], sim: float,
            common: frozenset[str]) -> list[tuple[str, Any, Any, float]]:
    """Mentions of two sentences that answer the same question, each the other's closest match."""
    scored = []
    for a, ma in enumerate(ma_list):
        for b, mb in enumerate(mb_list):
            slot = det.slot(ma, mb, common)
            if slot is None:
                continue
            aff = det.affinity(ma, mb, common)
            if (sim >= det.min_similarity and aff >= det.min_affinity) or aff >= max(det.strong_affinity, 1.0):
                scored.append((aff + det.preference(ma, mb), aff, a, b, slot))
    best_a = {a: max((x for x in scored if x[2] == a), key=lambda x: (x[0], -x[3])) for a in {x[2] for x in scored}}
    best_b = {b: max((x for x in scored if x[3] == b), key=lambda x: (x[0], -x[2])) for b in {x[3] for x in scored}}
    return [(slot, ma_list[a], mb_list[b], aff) for pref, aff, a, b, slot in scored
            if best_a[a] == best_b[b] == (pref, aff, a, b, slot)]


# Context words that mark a value as replaced ("correcting an earlier figure of four"): the source that
# reports it does not give that answer itself.
_SUPERSEDED = ("earli", "initi", "previ", "origi", "corre", "revis", "withd", "wrong", "mista", "outda")


def _superseded(m: Any) -> bool:
    return any(w.startswith(_SUPERSEDED) for w in getattr(m, "context", []))


def _answers_in(ct: CaseText, det: Detector, mentions: list[list[Any]], b: _Building) -> dict[str, dict[int, list[int]]]:
    """source -> side -> sentences where the source gives that side's answer to this question."""
    out: dict[str, dict[int, list[int]]] = {}
    for i, ms in enumerate(mentions):
        for m in ms:
            if not det.fits(m, b.slot) or _superseded(m):
                continue
            for k, side in enumerate(b.sides):
                if any(det.same_value(m, x) for _, x in side):
                    out.setdefault(ct.sentences[i].source_id, {}).setdefault(k, []).append(i)
    return out


def _finish(ct: CaseText, b: _Building, mentions: list[list[Any]]) -> ConflictCandidate | None:
    det = b.det
    if len(b.sides) < 2:
        return None
    answers = _answers_in(ct, det, mentions, b)
    for k, side in enumerate(b.sides):
        for i, m in side:
            if not _superseded(m):
                answers.setdefault(ct.sentences[i].source_id, {}).setdefault(k, []).append(i)
    if sum(1 for k in range(len(b.sides)) if any(k in by_side for by_side in answers.values())) < 2:
        return None
    dropped: set[int] = set()
    while True:
        torn = [by_side for by_side in answers.values() if len(set(by_side) - dropped) > 1 and not all(
            _ATTRIBUTED.search(ct.sentences[i].text) for k, ids in by_side.items() if k not in dropped
            for i in ids if not ct.heading[i])]
        if not torn:
            break
        # A source giving two answers unattributed: the answer fewer sources give is the doubtful one.
        support = {k: sum(1 for by_side in answers.values() if k in by_side) for k in range(len(b.sides))}
        dropped.add(min((k for k in torn[0] if k not in dropped), key=lambda k: (support[k], -k)))
        if len(b.sides) - len(dropped) < 2:
            return None
    sides = []
    for k, side in enumerate(b.sides):
        sentences = sorted({i for by_side in answers.values() for i in by_side.get(k, [])})
        sources = [sid for sid in ct.source_ids if k in answers.get(sid, {})]
        if sources and k not in dropped:
            sides.append((k, sentences, sources))
    if len(sides) < 2:
        return None
    sides.sort(key=lambda x: (-len(x[2]), x[1][0]))
    first = {k: min(side, key=lambda e: (_superseded(e[1]), ct.heading[e[0]], e[0]))[1] for k, side in enumerate(b.sides)}
    return ConflictCandidate(
        kind=det.kind, detector=det.name, topic=det.topic(b.slot, first[sides[0][0]]), strength=round(b.strength, 4),
        sides=[ConflictSide(value=det.display(first[k]), sources=sources, sentences=sentences,
                            evidence=sorted({i for i, m in b.sides[k] if not _superseded(m)} & set(sentences)),
                            alternatives=det.alternatives(first[k])) for k, sentences, sources in sides])


def _candidate_pairs(ct: CaseText, mentions: list[list[Any]]) -> list[tuple[int, int]]:
    """Pairs (i < j) of sentences with mentions worth comparing: kept similarity neighbours, and
    sentences of one article at most two apart (a reported dispute). Not all n^2 pairs: a pair less
    alike than the similarity floor is not compared."""
    pairs = set()
    n = len(ct.sentences)
    for i in range(n):
        if not mentions[i]:
            continue
        pairs.update((i, j) for j in ct.similarity.neighbours(i) if j > i and mentions[j])
        pairs.update((i, j) for j in range(i + 1, min(i + 3, n)) if mentions[j]
                     and ct.sentences[j].source_id == ct.sentences[i].source_id)
    return sorted(pairs)


def detect_conflicts(ct: CaseText, detectors: tuple[Detector, ...] = DETECTORS) -> tuple[list[ConflictCandidate], list[NonConflictNote]]:
    """Candidate conflicts (strongest first) and the differences judged not to be conflicts."""
    found: list[ConflictCandidate] = []
    notes: list[NonConflictNote] = []
    common = common_words(ct)
    for det in detectors:
        mentions = [det.mentions(strip_dateline(s.text)) if ct.usable(i) else [] for i, s in enumerate(ct.sentences)]
        building: list[_Building] = []
        for i, j in _candidate_pairs(ct, mentions):
            sim = float(ct.similarity[i, j])
            if ct.sentences[i].source_id == ct.sentences[j].source_id:
                if not _reported_dispute(ct, i, j):
                    continue
                sim = 0.0  # within one article only the words around the two figures count
            for slot, ma, mb, aff in _paired(det, mentions[i], mentions[j], sim, common):
                if det.agree(ma, mb):
                    if det.display(ma).lower() != det.display(mb).lower():
                        notes.append(NonConflictNote(kind=det.kind, detector=det.name,
                                                     values=[det.display(ma), det.display(mb)], sentences=[i, j]))
                    continue
                # The other sentence may give the same answer elsewhere ("12 dead ... 12 of them children").
                if any(det.fits(x, slot) and det.same_value(ma, x) for x in mentions[j]) or \
                        any(det.fits(y, slot) and det.same_value(mb, y) for y in mentions[i]):
                    continue
                b = next((x for x in building if _same_question(x, slot, ma, mb)), None)
                if b is None:
                    b = _Building(det, slot, 0.0)
                    building.append(b)
                b.strength = max(b.strength, sim + 0.1 * aff)
                b.add(i, ma)
                b.add(j, mb)
        for b in _merge(building):
            candidate = _finish(ct, b, mentions)
            if candidate is not None:
                found.append(candidate)
    found.sort(key=lambda c: (-c.strength, c.sides[0].sentences[0]))
    return _distinct(found)[:MAX_CONFLICTS], _dedupe_notes(notes)


def _distinct(found: list[ConflictCandidate]) -> list[ConflictCandidate]:
    """Drop a candidate whose answers come from the same sentences as a stronger one's (one dispute, two views)."""
    out: list[ConflictCandidate] = []
    for c in found:
        mine = {i for s in c.sides for i in s.sentences}
        if any(mine <= {i for s in o.sides for i in s.sentences} and c.detector == o.detector for o in out):
            continue
        out.append(c)
    return out


def _dedupe_notes(notes: list[NonConflictNote]) -> list[NonConflictNote]:
    seen: set[tuple[str, ...]] = set()
    out = []
    for note in notes:
        key = (note.kind, *sorted(v.lower() for v in note.values))
        if key not in seen:
            seen.add(key)
            out.append(note)
    return out
