"""Hallucination: each claim unit is supported, unsupported, or a trap.

Rules, in order (each verdict lists every reason found, with its evidence):
1. trap: the unit matches a gold trap's pattern.
2. unsupported: a citation names an unknown source, or its quote is not in that source.
3. unsupported: a name, number, place, date, compass direction or quotation in the unit
   is not in the news text of the sources it cites (uncited: of any source).
   In text, a clause that names its sources ("..., while [b] says Y") is checked against those.
4. unsupported: a role or a statement given to the wrong person (evals/relations.py), or an
   embellishment no source makes (evals/embellishment.py).
5. unsupported: a number the sources give only for something else ("2,500 families" where the
   sources' 2,500 is tents: evals/figures.py).
A source the gold declares `off_topic` reports another event: it supports nothing, and a unit
that cites it, or credits a value to it, is unsupported.
A unit whose only failures are values that a clause crediting several groups of sources
("X (a) vs Y (b)") gives to one group but another source states is `unverified`: the rules
cannot tell a wrong credit from one they misread, so they do not guess; `hybrid` asks the judge about exactly those units.
rate = unsupported and trap units / units; unverified units are counted beside it.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, Field

from evals.anchors import DATE_WORDS, Anchor, extract_anchors
from evals.canonical import expand
from evals.embellishment import embellishment_reasons
from evals.figures import figure_reasons
from evals.attribution import UNRESOLVED, cited_sources, clause_spans, credit_values, statements, strip_mentions
from evals.gold import Gold
from evals.matching import match_form, match_groups
from evals.outlets import mark_outlets
from evals.relations import role_reasons, speaker_reasons
from evals.source_index import SourceIndex
from evals.units import ClaimUnit
from summarizer.text import normalize

UnitLabel = Literal["supported", "unsupported", "trap", "unverified"]

class UnitVerdict(BaseModel):
    """The verdict on one unit, and why."""

    unit: int
    text: str
    label: UnitLabel
    reasons: list[str] = Field(default_factory=list)
    trap: str | None = None
    scope: list[str] = Field(default_factory=list, description="the sources the unit was checked against")


class HallucinationResult(BaseModel):
    rate: float
    units: int
    flagged: int
    verdicts: list[UnitVerdict]
    unverified: int = 0


def is_flagged(v: UnitVerdict) -> bool:
    """Unsupported or a trap; an unverified unit is not flagged."""
    return v.label in ("unsupported", "trap")


def _scope_text(scope: list[str], on_topic: list[str]) -> str:
    return "any source" if sorted(scope) == sorted(on_topic) else "source " + ", ".join(scope)


# Before the words: "no deal was reached", and the conditional "unless (a) deal (is) reached".
_NEGATION = re.compile(r"\b(no|not|never|none|neither|nor|without|denied|denies|deny|unless|until|whether)\b")


# After the words: "A meeting in Brussels had been hoped for but looked unlikely".
_DENIED_AFTER = re.compile(r"\b(unlikely|hoped|ruled out|denied|denies|rejected|did not|has not|had not|was not|never)\b")


def _negated(text: str, start: int, end: int) -> bool:
    """'No other works were taken' states the opposite of the trap 'other works were taken'."""
    form = match_form(text)
    before = form[:start].split()[-3:]
    after = re.split(r"[.;]", form[end:], maxsplit=1)[0].split()[:6]
    return bool(_NEGATION.search(" ".join(before)) or _DENIED_AFTER.search(" ".join(after)))


_WORD_BEFORE = re.compile(r"([A-Z][\w&-]*)\s+$")


def _in_outlet_name(a: Anchor, text: str, index: SourceIndex) -> bool:
    """The 5 of "News 5", the 4 of "Channel 4": a number that, with the capitalized word before
    it, is a source's own name (its masthead, byline or notice), not a figure."""
    if a.kind != "number":
        return False
    m = _WORD_BEFORE.search(text[:a.start])
    return bool(m) and any({m.group(1).lower(), a.key} <= toks for toks in index.publisher_tokens.values())


def _anchor_found(a: Anchor, index: SourceIndex, scope: list[str]) -> bool:
    if a.kind == "number":
        return index.has_number(a.key, scope)
    if a.kind == "direction":
        return index.has_direction(a.key, scope)
    if a.kind == "quote":
        return index.has_quote(a.key, scope)
    # A publisher's own name (in its notice or byline) may be used to say who reported what.
    if index.has_token(a.key, scope) or index.is_publisher_name(a.key):
        return True
    return a.kind == "name" and _abbreviation(a) and index.has_abbreviated(a.key, scope)


def _abbreviation(a: Anchor) -> bool:
    """Short enough to be shorthand: at most four letters ("Vic", "Ag", "Prov") or in capitals ("PKG")."""
    return len(a.key) <= 4 or a.text.isupper()


def judge_unit(unit: ClaimUnit, gold: Gold, index: SourceIndex) -> UnitVerdict:
    """Apply the rules above to one unit."""
    for trap in gold.traps:
        hits = match_groups(trap.match, unit.text, loose=True)
        if hits and not _negated(unit.text, min(h.start for h in hits), max(h.end for h in hits)):
            return UnitVerdict(unit=unit.index, text=unit.text, label="trap", trap=trap.id,
                               reasons=[f"matches trap {trap.id} ('{' + '.join(h.text for h in hits)}'): {trap.text}"])
    reasons: list[str] = []
    uncertain: list[str] = []  # reasons the rules cannot settle
    cited = cited_sources(unit, index.source_ids)
    unknown = [s for s in cited if s not in index.originals]
    reasons += [f"cites unknown source '{s}'" for s in unknown]
    for c in unit.citations:
        if c.source in index.originals and not index.quote_in_original(c.source, c.quote):
            reasons.append(f"quote not in source {c.source}: '{c.quote[:80]}'")
    # Citations and a position's sources scope the whole unit; ids named in text scope their clause.
    # A source the gold declares off-topic reports another event: it supports nothing here.
    on_topic = [s for s in index.source_ids if s not in gold.off_topic] or index.source_ids
    declared = [c.source for c in unit.citations] + list(unit.attributed)
    reasons += [f"cites source '{s}', which reports another event" for s in dict.fromkeys(declared)
                if s in gold.off_topic]
    scope = [s for s in declared if s in on_topic] or on_topic
    # Anchors are read on the whole unit (so "..., Warsaw, ..." is not a sentence start), then each
    # is checked in its clause: a value against the sources named next to it ("12 [a], 14 [b]"),
    # and against each of them ("[a] and [b] give 44 percent"). Shorthand is written out first.
    text = mark_outlets(expand(unit.text), index.outlets)  # "the Courier says" -> "the Courier [local] says"
    plain_text = strip_mentions(text, index.source_ids, index.publisher_tokens)
    anchors = [a for a in extract_anchors(plain_text) if not _in_outlet_name(a, text, index)]
    for start, end in clause_spans(text):
        clause = text[start:end]
        inside = [a for a in anchors if start <= a.start < end]
        values = [a.start - start for a in inside if a.kind in ("number", "direction") or a.key in DATE_WORDS]
        credit = credit_values(clause, values or [a.start - start for a in inside], index.source_ids,
                               unresolved=True)
        several = len({tuple(v) for v in credit.values()}) > 1  # credits split between groups: may be misread
        for a in inside:
            named = credit.get(a.start - start, [])
            if UNRESOLVED in named:
                named = []  # credited to a source the rules cannot name: checked against the scope
            off = [sid for sid in named if sid in gold.off_topic]
            reasons += [f"{a.kind} '{a.text}' is credited to source '{sid}', which reports another event" for sid in off]
            named = [sid for sid in named if sid not in off]
            if named and (a.kind in ("number", "direction") or a.key in DATE_WORDS):
                missing = [sid for sid in named if not _anchor_found(a, index, [sid])]
                if missing:
                    reasons.append(f"{a.kind} '{a.text}' is not in source {', '.join(missing)}")
                    if several and _anchor_found(a, index, on_topic):
                        uncertain.append(reasons[-1] + " (but is in another source)")
            elif not _anchor_found(a, index, named or scope):
                reasons.append(f"{a.kind} '{a.text}' is not in {_scope_text(named or scope, on_topic)}")
                if named and several and _anchor_found(a, index, on_topic):
                    uncertain.append(reasons[-1] + " (but is in another source)")
    if not reasons:
        for statement in statements(text):
            plain = strip_mentions(statement, index.source_ids)
            reasons += role_reasons(plain, index, scope) + speaker_reasons(plain, index, scope)
        reasons += embellishment_reasons(strip_mentions(text, index.source_ids), index, on_topic)
    if not reasons:
        reasons += figure_reasons(text, anchors, index, scope)

    if not reasons:
        label: UnitLabel = "supported"
    elif len(uncertain) == len(reasons) and not unit.citations and not unit.attributed:
        # a credit written in the text may be misread; a structured citation is not
        label, reasons = "unverified", uncertain
    else:
        label = "unsupported"
    return UnitVerdict(unit=unit.index, text=unit.text, label=label, reasons=reasons, scope=scope)



def score_hallucination(units: list[ClaimUnit], gold: Gold, index: SourceIndex) -> HallucinationResult:
    verdicts = [judge_unit(u, gold, index) for u in units if u.kind != "heading" or u.text.strip()]
    return summarize_verdicts(verdicts)


def summarize_verdicts(verdicts: list[UnitVerdict]) -> HallucinationResult:
    """The rate and counts of a list of unit verdicts."""
    flagged = sum(is_flagged(v) for v in verdicts)
    return HallucinationResult(rate=flagged / len(verdicts) if verdicts else 0.0, units=len(verdicts),
                               flagged=flagged, verdicts=verdicts,
                               unverified=sum(v.label == "unverified" for v in verdicts))
