"""Turning picked facts and candidate conflicts into an EventSummary, using only source text.

Fact texts, conflict claims and citation quotes are source sentences verbatim.
The headline, who, what, where and when are pieces of source sentences (a title
line, a clause of the lead, names, places and dates as written); the briefing is
fact sentences plus one templated sentence per conflict that names the sources.
"""

from __future__ import annotations

import re
from collections import Counter

from summarizer.crosssource.alignment import CaseText, strip_dateline
from summarizer.crosssource.conflicts import ConflictCandidate, ConflictSide
from summarizer.crosssource.dates import dates_agree, extract_dates
from summarizer.crosssource.people import people_in
from summarizer.crosssource.places import extract_places
from summarizer.crosssource.ranking import FactGroup
from summarizer.language import language_name
from summarizer.models import Citation, EventSummary, Position, SummaryConflict, SummaryFact
from summarizer.text import normalize

BRIEFING_FACTS = 4
_HEADLINE_MAX_WORDS = 24
# Menus, bylines and shouted section labels sit where titles do.
_NOT_A_TITLE = re.compile(r"\||^\s*(?:by|posted|updated|published)\b|^[^a-z]*$", re.I)
_CLAUSE_CUTS = (" \u2014 ", " \u2013 ", "; ", ", which ", ", where ", ", as ", ", after ", ", while ", ", when ",
                ", according to ", ", police said", ", officials said", ", the ")


def shorten(text: str, max_words: int = _HEADLINE_MAX_WORDS) -> str:
    """A headline-length prefix of a sentence, cut at a clause boundary when it is too long."""
    text = strip_dateline(text).strip()
    if len(text.split()) > max_words:
        cuts = [text.find(c) for c in _CLAUSE_CUTS]
        cuts = [c for c in cuts if c > 0 and 6 <= len(text[:c].split()) <= max_words]
        if cuts:
            text = text[:min(cuts)]
    return text.rstrip(" .,;:")


def _disputed(ct: CaseText, conflicts: list[ConflictCandidate]) -> set[int]:
    return {i for c in conflicts for side in c.sides for i in side.sentences}


def _states_a_side(text: str, conflicts: list[ConflictCandidate]) -> bool:
    low = text.lower()
    return any(side.value.lower() in low for c in conflicts for side in c.sides)


def headline(ct: CaseText, facts: list[FactGroup], conflicts: list[ConflictCandidate]) -> str:
    """A title line, the one other sources back most; else the top fact's lead clause. Never a disputed answer."""
    disputed = _disputed(ct, conflicts)
    titles = [i for i, s in enumerate(ct.sentences) if ct.heading[i] and s.paragraph <= 2 and ct.usable(i)
              and not ct.foreign(i) and i not in disputed and len(s.text.split()) >= 5 and not _NOT_A_TITLE.search(s.text)
              and not _states_a_side(s.text, conflicts)]

    def support(i: int) -> tuple[int, float]:
        aligned = {ct.sentences[j].source_id for j in ct.aligned(i)}
        return len(aligned), float(sum(ct.similarity[i, j] for j in ct.aligned(i)))
    backed = [i for i in titles if support(i)[0] >= 1]
    if backed:
        best = max(backed, key=lambda i: (*support(i), -i))
        return shorten(ct.sentences[best].text)
    for g in facts:
        text = shorten(ct.sentences[g.anchor].text)
        if not _states_a_side(text, conflicts):
            return text
    return shorten(ct.sentences[facts[0].anchor].text) if facts else "Summary of the reports"


def _when(ct: CaseText, facts: list[FactGroup], conflicts: list[ConflictCandidate]) -> str:
    if any(c.kind == "date" for c in conflicts):
        return ""
    counts: Counter[str] = Counter()
    texts: dict[str, str] = {}
    mentions = {}
    for g in facts[:3]:
        for i in _own_language(ct, g.members):
            for d in extract_dates(ct.sentences[i].text):
                key = f"{d.kind}:{d.key}"
                counts[key] += 1
                texts.setdefault(key, d.text)
                mentions.setdefault(key, d)
    if not counts:
        return ""
    ranked = [k for k, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    first = mentions[ranked[0]]
    parts = [first]
    other_kind = next((mentions[k] for k in ranked[1:] if mentions[k].kind != first.kind), None)
    if other_kind is not None and dates_agree(first, other_kind):
        parts.append(other_kind)
    parts.sort(key=lambda d: d.kind != "weekday")
    return ", ".join(d.text for d in parts)


def _where(ct: CaseText, facts: list[FactGroup], conflicts: list[ConflictCandidate]) -> str:
    disputed_words = {w.lower() for c in conflicts if c.detector == "place"
                      for side in c.sides for w in side.value.split()}
    counts: Counter[str] = Counter()
    for g in facts[:3]:
        seen: set[str] = set()
        for i in _own_language(ct, g.members):
            for p in extract_places(ct.sentences[i].text):
                name = re.sub(r"['\u2019]s$", "", p.name)
                if name.lower() in disputed_words or name in seen:
                    continue
                seen.add(name)
                counts[name] += 1
    if not counts:
        return ""
    # The place most sources name (the town, not the leisure centre in it).
    reach = {name: sum(1 for sid in ct.source_ids if name.lower() in _news_of(ct, sid).lower()) for name in counts}
    return min(counts, key=lambda name: (-reach[name], -counts[name], name))


def _own_language(ct: CaseText, members: list[int]) -> list[int]:
    """The sentences in the briefing's language: a W-field is never taken from another language."""
    return [i for i in members if not ct.foreign(i)]


def _news_of(ct: CaseText, source_id: str) -> str:
    return " ".join(s.text for s in ct.sentences if s.source_id == source_id)


def _citations(ct: CaseText, members: list[int]) -> list[Citation]:
    out, seen = [], set()
    for i in members:
        s = ct.sentences[i]
        if s.source_id not in seen:
            seen.add(s.source_id)
            out.append(Citation(source=s.source_id, quote=s.text))
    return out


def _claim_sentence(ct: CaseText, sentences: list[int], evidence: list[int] | None = None) -> int:
    """The side's clearest sentence: one the dispute was found in, a full sentence before a title line."""
    chosen = set(evidence or [])
    return min(sentences, key=lambda i: (i not in chosen, ct.heading[i], i))


_QUESTIONS = {"the amount": "How much?", "the place": "Where?", "the time": "At what time?", "the day": "On what day?",
              "the date": "On what date?", "the distance": "How far?", "the weight": "How heavy?",
              "the percentage": "What percentage?", "the vote count": "What was the vote count?",
              "the score": "What was the score?"}


def question(c: ConflictCandidate) -> str:
    """The question the sides answer, from the conflict's topic."""
    if c.topic in _QUESTIONS:
        return _QUESTIONS[c.topic]
    if c.topic.startswith("the number of "):
        noun = c.topic.removeprefix("the number of ")
        plural = noun if noun.endswith(("s", "ed", "people", "staff", "hurt")) else noun + "s"
        return f"How many {plural}?"
    if c.topic == "a figure":
        return "Which figure is right?"
    if c.topic.startswith(("where", "who", "how", "when", "which")):
        return c.topic[0].upper() + c.topic[1:] + "?"
    return f"What is {c.topic}?"


def conflict_entry(ct: CaseText, c: ConflictCandidate) -> SummaryConflict:
    positions = []
    for side in c.sides:
        claim = _claim_sentence(ct, side.sentences, side.evidence)
        per_source = [min((i for i in side.sentences if ct.sentences[i].source_id == sid),
                          key=lambda i: (i not in side.evidence, ct.heading[i], i)) for sid in side.sources]
        positions.append(Position(claim=ct.sentences[claim].text, sources=side.sources,
                                  citations=_citations(ct, [claim] + per_source)))
    return SummaryConflict(question=question(c), positions=positions)


def _ids(sources: list[str]) -> str:
    tags = [f"[{s}]" for s in sources]
    return tags[0] if len(tags) == 1 else ", ".join(tags[:-1]) + " and " + tags[-1]


def _clause_with(text: str, value: str, max_words: int = 30) -> str:
    """The part of a sentence that gives a value, with enough words around it to say what it is about."""
    text = strip_dateline(text).rstrip(" .")
    if len(text.split()) <= max_words:
        return text
    pieces = re.split(r"(?<=[,;])\s+|\s+[\u2014\u2013]\s+", text)
    at = next((k for k, p in enumerate(pieces) if value.lower() in p.lower()), None)
    if at is None:
        return " ".join(text.split()[:max_words])
    lo, hi = at, at
    while len(" ".join(pieces[lo:hi + 1]).split()) < 12 and (lo > 0 or hi < len(pieces) - 1):
        lo, hi = (lo - 1, hi) if lo > 0 else (lo, hi + 1)
    return " ".join(pieces[lo:hi + 1]).rstrip(",;")


_ANCHOR = re.compile(r"\d[\d,.:]*\d|\d|(?<![.!?]\s)(?<!^)\b[A-Z][\w'\u2019-]+"
                     r"|\b(?:north|south|east|west)(?:-?(?:east|west))?(?:ern|erly|ward|wards|bound)?\b")


def _anchors(text: str) -> set[str]:
    """Numbers and capitalized words: what a reader would check against the sources."""
    return {normalize(a).strip(".,:").removesuffix("'s") for a in _ANCHOR.findall(text)}


def _backers(ct: CaseText, text: str, sources: list[str]) -> list[str]:
    """The sources whose news text has every number and name of `text`."""
    wanted = _anchors(text)
    out = []
    for sid in sources:
        news = normalize(" ".join(s.text for s in ct.sentences if s.source_id == sid))
        if all(re.search(rf"(?<!\w){re.escape(a)}(?!\w)", news) for a in wanted):
            out.append(sid)
    return out


def _side_words(ct: CaseText, c: ConflictCandidate, side: ConflictSide) -> tuple[str, list[str]]:
    """The words that give this side's answer, and the sources that back all of them (most first)."""
    best: tuple[int, int, int, str, list[str]] | None = None
    for i in side.sentences:
        words = _clause_with(ct.sentences[i].text, side.value, 45 if c.kind == "attribution" else 30)
        backers = _backers(ct, words, side.sources)
        if ct.sentences[i].source_id not in backers:
            backers = [ct.sentences[i].source_id] + backers
        key = (int(i in side.evidence), len(backers), -int(ct.heading[i]))
        if best is None or key > best[:3]:
            best = (*key, words, backers)
    if best is None:
        return side.value, side.sources
    return best[3], best[4]


def conflict_sentence(ct: CaseText, c: ConflictCandidate) -> str:
    """"Sources disagree on X: [a] reports that A, while [b] reports that B." Each answer keeps the
    words that say what it is about, and names only sources that state every number and name in it."""
    parts = []
    for side in c.sides:
        words, backers = _side_words(ct, c, side)
        verb = "reports" if len(backers) == 1 else "report"
        foreign = sorted({ct.languages[b] for b in backers if ct.languages.get(b) not in (None, ct.language)})
        marked = f" (in {', '.join(language_name(code) for code in foreign)})" if foreign else ""
        parts.append(f"{_ids(backers)} {verb}{marked} that {words}")
    body = parts[0] + ", while " + ", and ".join(parts[1:]) if len(parts) > 1 else parts[0]
    return f"Sources disagree on {c.topic}: {body}."


def assemble(ct: CaseText, facts: list[FactGroup], conflicts: list[ConflictCandidate]) -> EventSummary:
    """The EventSummary of picked facts and conflicts."""
    summary_facts = [SummaryFact(text=ct.sentences[g.anchor].text, citations=_citations(ct, g.members)) for g in facts]
    lead = [strip_dateline(ct.sentences[g.anchor].text) for g in facts[:BRIEFING_FACTS]]
    briefing = " ".join(lead + [conflict_sentence(ct, c) for c in conflicts])
    top = facts[0].anchor if facts else None
    return EventSummary(
        headline=headline(ct, facts, conflicts),
        who=" and ".join(people_in(ct, facts)[:2]),
        what=shorten(ct.sentences[top].text) if top is not None else "",
        where=_where(ct, facts, conflicts),
        when=_when(ct, facts, conflicts),
        facts=summary_facts,
        conflicts=[conflict_entry(ct, c) for c in conflicts],
        briefing=briefing,
    )
