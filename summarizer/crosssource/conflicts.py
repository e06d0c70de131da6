"""Candidate conflicts: aligned sentences of different sources that give different answers.

Two sentences that report the same thing (similar enough) and each state a
figure, date, direction, place or speaker for the same slot are compared;
answers that cannot both be right make a candidate. Candidates for the same
slot are merged, other aligned sentences join the side they agree with, and a
candidate is dropped when any source states two of its answers (it is then
not a disagreement between sources but two different things).
"""

from __future__ import annotations

from itertools import combinations
from typing import Any

from pydantic import BaseModel, Field

from summarizer.crosssource.alignment import CaseText
from summarizer.crosssource.detectors import DETECTORS, Detector, Kind

MAX_CONFLICTS = 5


class ConflictSide(BaseModel):
    """One answer, the sentences that give it and their sources."""

    value: str
    sources: list[str]
    sentences: list[int]
    alternatives: list[str] = Field(description="words that identify this answer, for gold match patterns")


class ConflictCandidate(BaseModel):
    """A question the sources answer differently."""

    kind: Kind
    detector: str
    topic: str
    sides: list[ConflictSide]
    strength: float = Field(description="how alike the disagreeing sentences are (higher: surer it is one fact)")

    @property
    def question(self) -> str:
        return f"Sources disagree on {self.topic}."


class NonConflictNote(BaseModel):
    """Two wordings that look different but agree (rounding, spelling, weekday vs date)."""

    kind: Kind
    detector: str
    values: list[str]
    sentences: list[int]


class _Building:
    """A candidate while it is being assembled: slot, sides as (sentence, mention) lists."""

    def __init__(self, det: Detector, slot: str, strength: float) -> None:
        self.det = det
        self.slot = slot
        self.strength = strength
        self.sides: list[list[tuple[int, Any]]] = []

    def side_of(self, m: Any) -> int | None:
        hits = [k for k, side in enumerate(self.sides) if any(self.det.same_value(m, x) for _, x in side)]
        return hits[0] if len(hits) == 1 else None

    def add(self, i: int, m: Any) -> bool:
        k = self.side_of(m)
        if k is None:
            if any(self.det.agree(m, x) for side in self.sides for _, x in side):
                return False  # agrees with an answer without being it: not a new side
            self.sides.append([(i, m)])
            return True
        if all(j != i for j, _ in self.sides[k]):
            self.sides[k].append((i, m))
        return True


def _mentions(ct: CaseText, det: Detector) -> list[list[Any]]:
    return [[] if ct.heading[i] else det.mentions(s.text) for i, s in enumerate(ct.sentences)]


def _paired(det: Detector, ma_list: list[Any], mb_list: list[Any], sim: float) -> list[tuple[str, Any, Any]]:
    """Mentions of two sentences that answer the same question: each the other's closest match."""
    scored = []
    for a, ma in enumerate(ma_list):
        for b, mb in enumerate(mb_list):
            slot = det.slot(ma, mb)
            if slot is None:
                continue
            aff = det.affinity(ma, mb)
            if (sim >= det.min_similarity and aff >= det.min_affinity) or aff >= max(det.strong_affinity, 1):
                scored.append((aff, a, b, slot))
    best_a = {a: max((x for x in scored if x[1] == a), key=lambda x: (x[0], -x[2])) for a in {x[1] for x in scored}}
    best_b = {b: max((x for x in scored if x[2] == b), key=lambda x: (x[0], -x[1])) for b in {x[2] for x in scored}}
    return [(slot, ma_list[a], mb_list[b]) for aff, a, b, slot in scored if best_a[a] == best_b[b] == (aff, a, b, slot)]


def _pair_conflicts(det: Detector, ma_list: list[Any], mb_list: list[Any], sim: float) -> tuple[list[tuple[str, Any, Any]], list[tuple[Any, Any]]]:
    """(slot, a, b) for answers that disagree; (a, b) for answers that agree in different words."""
    conflicts, agreements = [], []
    for slot, ma, mb in _paired(det, ma_list, mb_list, sim):
        if det.agree(ma, mb):
            if det.display(ma).lower() != det.display(mb).lower():
                agreements.append((ma, mb))
            continue
        # The other sentence may give the same answer elsewhere ("12 dead ... 12 of them children").
        if any(det.fits(x, slot) and det.agree(ma, x) for x in mb_list):
            continue
        if any(det.fits(y, slot) and det.agree(mb, y) for y in ma_list):
            continue
        conflicts.append((slot, ma, mb))
    return conflicts, agreements


def _source_states(ct: CaseText, det: Detector, mentions: list[list[Any]], source_id: str, slot: str, value: Any) -> bool:
    """Whether a source gives this answer anywhere in its news text."""
    return any(det.fits(m, slot) and det.same_value(m, value) for i in ct.of_source(source_id) for m in mentions[i])


def _finish(ct: CaseText, b: _Building, mentions: list[list[Any]]) -> ConflictCandidate | None:
    det = b.det
    sides = []
    for side in b.sides:
        side = sorted(side, key=lambda e: e[0])
        sources = list(dict.fromkeys(ct.sentences[i].source_id for i, _ in side))
        sides.append((side, sources))
    if len(sides) < 2:
        return None
    seen: set[str] = set()
    for _, sources in sides:
        if seen & set(sources):
            return None
        seen |= set(sources)
    for k, (_, sources) in enumerate(sides):
        for other, (other_side, _) in enumerate(sides):
            if other != k and any(_source_states(ct, det, mentions, sid, b.slot, other_side[0][1]) for sid in sources):
                return None
    order = sorted(range(len(sides)), key=lambda k: (-len(sides[k][1]), sides[k][0][0][0]))
    rep = sides[order[0]][0][0][1]
    return ConflictCandidate(
        kind=det.kind, detector=det.name, topic=det.topic(b.slot, rep), strength=round(b.strength, 4),
        sides=[ConflictSide(value=det.display(sides[k][0][0][1]), sources=sides[k][1],
                            sentences=[i for i, _ in sides[k][0]],
                            alternatives=det.alternatives(sides[k][0][0][1])) for k in order])


def detect_conflicts(ct: CaseText, detectors: tuple[Detector, ...] = DETECTORS) -> tuple[list[ConflictCandidate], list[NonConflictNote]]:
    """Candidate conflicts (strongest first) and the differences judged not to be conflicts."""
    found: list[ConflictCandidate] = []
    notes: list[NonConflictNote] = []
    n = len(ct.sentences)
    for det in detectors:
        mentions = _mentions(ct, det)
        building: list[_Building] = []
        for i, j in combinations(range(n), 2):
            if ct.sentences[i].source_id == ct.sentences[j].source_id or not mentions[i] or not mentions[j]:
                continue
            sim = float(ct.similarity[i, j])
            conflicts, agreements = _pair_conflicts(det, mentions[i], mentions[j], sim)
            for ma, mb in agreements:
                notes.append(NonConflictNote(kind=det.kind, detector=det.name, values=[det.display(ma), det.display(mb)],
                                             sentences=[i, j]))
            for slot, ma, mb in conflicts:
                b = next((x for x in building if det.fits(ma, x.slot) and det.fits(mb, x.slot)), None)
                if b is None:
                    b = _Building(det, slot, sim)
                    building.append(b)
                b.strength = max(b.strength, sim)
                b.add(i, ma)
                b.add(j, mb)
        for b in building:
            _extend(ct, b, mentions)
            candidate = _finish(ct, b, mentions)
            if candidate is not None:
                found.append(candidate)
    found.sort(key=lambda c: (-sum(len(s.sources) for s in c.sides), -c.strength, c.sides[0].sentences[0]))
    return _distinct(found)[:MAX_CONFLICTS], _dedupe_notes(notes)


def _extend(ct: CaseText, b: _Building, mentions: list[list[Any]]) -> None:
    """Sentences aligned with a side's sentence that give one of the answers join that side."""
    members = [i for side in b.sides for i, _ in side]
    for i in members:
        for j in ct.aligned(i, b.det.min_similarity):
            if any(j == x for side in b.sides for x, _ in side):
                continue
            for m in mentions[j]:
                if b.det.fits(m, b.slot):
                    k = b.side_of(m)
                    if k is not None:
                        b.sides[k].append((j, m))
                        break


def _distinct(found: list[ConflictCandidate]) -> list[ConflictCandidate]:
    """Drop a candidate whose sides are the same sentences as a stronger one's (two detectors, one dispute)."""
    out: list[ConflictCandidate] = []
    for c in found:
        key = {frozenset(s.sentences) for s in c.sides}
        if any(key == {frozenset(s.sentences) for s in o.sides} for o in out):
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
