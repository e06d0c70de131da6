"""A first draft of gold.json for a new case, from the crosssource analysis, for a person to review.

Facts are the aligned sentence groups (weight by how many sources report them),
conflicts come from the conflict detector, non-conflicts from the differences
it judged harmless, and traps from what cleaning dropped (captions, headline
lists, notices) plus any off-topic source. Every fact and conflict-side
pattern is checked against the cleaned text of each source it lists, so the
draft passes the loader's checks; the `draft` marker makes validation refuse
it until a person has reviewed it and deleted the marker.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from os.path import commonprefix
from pathlib import Path

from pydantic import BaseModel

from evals.gold import ConflictSide, Gold, GoldConflict, GoldFact, NonConflict, Trap
from evals.draft_words import content_order, real_non_conflict, trap_words
from evals.matching import matches, unmatched_groups
from summarizer.cleaning import clean_text
from summarizer.crosssource.alignment import CaseText
from summarizer.crosssource.assembly import headline, question, strip_dateline
from summarizer.crosssource.names import name_key
from summarizer.crosssource.pipeline import Analysis, analyze
from summarizer.errors import EventsumError
from summarizer.sources import CaseSources
from summarizer.text import normalize

DRAFT_FACTS = 18
GROUPS_PER_FACT = 3
TRAP_ALTERNATIVES = 12
_WORD = re.compile(r"\$?\d[\d,.]*\d%?|\$?\d%?|[^\W\d_][\w'\u2019-]*")
_NUMBER_WORDS = {"2": "two", "3": "three", "4": "four", "5": "five", "6": "six", "7": "seven", "8": "eight",
                 "9": "nine", "10": "ten", "11": "eleven", "12": "twelve", "13": "thirteen", "14": "fourteen",
                 "15": "fifteen", "20": "twenty", "30": "thirty", "40": "forty", "50": "fifty", "100": "hundred"}


def draft_marker(today: dt.date) -> str:
    return f"written by eventsum gold draft on {today.isoformat()}: review every item, then delete this field"


class DraftCounts(BaseModel):
    """What a draft holds, for the command to report."""

    facts: int
    conflicts: int
    non_conflicts: int
    traps: int


def _words(text: str) -> list[str]:
    return [w.strip("'\u2019").removesuffix("'s").removesuffix("\u2019s") for w in _WORD.findall(text)]


def _alternatives(forms: list[str]) -> list[str]:
    """One group's alternatives for a word as each source spells it: a shared prefix* when the spellings
    differ only in their endings (Zaluzhnyi/Zaluzhny -> zaluzhn*), else each spelling."""
    norm = sorted({normalize(f) for f in forms if f})
    if len(norm) == 1:
        word = norm[0]
        alts = [word]
        if word.isdigit() and word in _NUMBER_WORDS:
            alts.append(_NUMBER_WORDS[word])
        return alts
    prefix = commonprefix(norm)
    if len(prefix) >= 5 and prefix.isalpha():
        return [prefix + "*"]
    return norm


def _fact_match(ct: CaseText, anchor: int, members: list[int], texts: dict[str, str],
                lowercase: set[str]) -> tuple[list[list[str]], list[str]]:
    """Match groups from the fact's own sentence (its numbers, names, key phrase), each spelled as every
    member source spells it, kept only when it matches the cleaned text of every listed source."""
    sources = list(dict.fromkeys([ct.sentences[anchor].source_id, *(ct.sentences[m].source_id for m in members)]))
    groups: list[list[str]] = []
    for word in content_order(strip_dateline(ct.sentences[anchor].text), lowercase):
        forms = [word]
        if word[:1].isupper():  # a name: each source's spelling of it (Zaluzhnyi, Zaluzhny)
            key = name_key(word)
            forms += [w for m in members for w in _words(ct.sentences[m].text) if w[:1].isalpha() and name_key(w) == key]
        group = _alternatives(forms)
        if group in groups or any(unmatched_groups([group], texts[s]) for s in sources):
            continue
        groups.append(group)
        if len(groups) >= GROUPS_PER_FACT:
            break
    return groups, sources


def _weight(n_sources: int, n_total: int) -> int:
    if n_sources >= max(2, round(0.75 * n_total)):
        return 3
    return 2 if n_sources >= 2 else 1


def _facts(analysis: Analysis, texts: dict[str, str], sides: list[ConflictSide], lowercase: set[str]) -> list[GoldFact]:
    ct = analysis.text
    usable = len(ct.source_ids) - len(ct.outliers)
    facts: list[GoldFact] = []
    for g in analysis.facts:
        text = strip_dateline(ct.sentences[g.anchor].text)
        if any(matches(side.match, text) for side in sides):
            continue  # it states one side of a disagreement: that is the conflict's, not a fact
        groups, sources = _fact_match(ct, g.anchor, g.members, texts, lowercase)
        if not groups:
            groups, sources = _fact_match(ct, g.anchor, [g.anchor], texts, lowercase)
        if not groups:
            continue
        facts.append(GoldFact(id=f"F{len(facts) + 1}", text=text, weight=_weight(len(sources), usable), sources=sources,
                              match=groups))  # type: ignore[arg-type]
    return facts


def _conflicts(analysis: Analysis, texts: dict[str, str]) -> list[GoldConflict]:
    out: list[GoldConflict] = []
    for c in analysis.conflicts:
        sides = []
        for side in c.sides:
            group = [a for a in side.alternatives if a.strip(" *")]
            sources = [s for s in side.sources if group and not unmatched_groups([group], texts[s])]
            if sources:
                sides.append(ConflictSide(value=side.value, sources=sources, match=[group]))
        if len(sides) >= 2:
            out.append(GoldConflict(id=f"C{len(out) + 1}", question=question(c), sides=sides, kind=c.kind))
    return out


def _non_conflicts(analysis: Analysis, sides: list[ConflictSide]) -> list[NonConflict]:
    out: list[NonConflict] = []
    for note in analysis.non_conflicts:
        alts = sorted({normalize(v).strip(" .,") for v in note.values if normalize(v).strip(" .,")})
        if len(alts) < 2 or not real_non_conflict(note.kind, note.detector, note.values):
            continue
        if any(matches(side.match, v) for side in sides for v in note.values):
            continue  # a disputed value cannot also be agreed on
        out.append(NonConflict(id=f"N{len(out) + 1}", match=[alts],
                               note=f"{note.detector}: '" + "' and '".join(note.values) + "' agree"))
    return out


def _traps(case: CaseSources, analysis: Analysis, lowercase: set[str]) -> list[Trap]:
    ct = analysis.text
    news = normalize(" ".join(s.text for i, s in enumerate(ct.sentences) if ct.usable(i)))
    pieces: list[tuple[str, str]] = []
    for source in case.sources:
        clean = clean_text(source)
        runs: dict[str, list[str]] = {}
        for span in clean.dropped:
            if span.kind in ("share", "byline"):
                continue
            runs.setdefault(span.kind, []).append(span.text)
        for kind, spans in runs.items():
            pieces.append((f"{kind} in {source.id}", " / ".join(spans)))
    for sid in analysis.text.outliers:
        pieces.append((f"off-topic source {sid}", " ".join(s.text for s in analysis.text.sentences if s.source_id == sid)))
    for i, s in enumerate(analysis.text.sentences):
        if analysis.text.ignored[i] and s.source_id not in analysis.text.outliers:
            pieces.append((f"text addressed to summarizers in {s.source_id}", s.text))
    traps: list[Trap] = []
    for label, text in pieces:
        words = trap_words(text, news, lowercase, TRAP_ALTERNATIVES)
        if words:
            short = text if len(text) <= 160 else text[:157] + "..."
            traps.append(Trap(id=f"T{len(traps) + 1}", text=f"Anything from the {label}: {short}", match=[words]))
    return traps


def _lowercase_vocabulary(case: CaseSources) -> set[str]:
    """Every word some source writes in lower case: a capitalized one of these is a common word, not a name."""
    return {normalize(w) for s in case.sources for w in _WORD.findall(s.text) if w[:1].islower()}


def draft_gold(case: CaseSources, today: dt.date | None = None) -> tuple[dict, DraftCounts]:
    """The draft as a JSON-ready dict (the `draft` marker first) and what it holds."""
    analysis = analyze(case, max_facts=DRAFT_FACTS)
    texts = {s.id: clean_text(s).text for s in case.sources}
    lowercase = _lowercase_vocabulary(case)
    conflicts = _conflicts(analysis, texts)
    sides = [side for c in conflicts for side in c.sides]
    facts = _facts(analysis, texts, sides, lowercase)
    if not facts:
        raise EventsumError(f"{case.path}: no sentence could be turned into a checkable fact")
    gold = Gold(event=headline(analysis.text, analysis.facts, analysis.conflicts), facts=facts,
                conflicts=conflicts, non_conflicts=_non_conflicts(analysis, sides),
                traps=_traps(case, analysis, lowercase), draft=draft_marker(today or dt.date.today()))
    data = gold.model_dump(exclude_none=True)
    ordered = {"draft": data.pop("draft"), **data}
    return ordered, DraftCounts(facts=len(gold.facts), conflicts=len(gold.conflicts),
                                non_conflicts=len(gold.non_conflicts), traps=len(gold.traps))


def write_draft(case: CaseSources, out: Path, force: bool = False) -> DraftCounts:
    """Write the draft to `out`; an existing file is kept unless `force`."""
    if out.exists() and not force:
        raise EventsumError(f"{out}: already exists; use --force to replace it, or --out to write elsewhere")
    data, counts = draft_gold(case)
    out.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return counts
