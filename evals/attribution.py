"""Which sources a claim names: citations, a position's sources, or source ids written in text."""

from __future__ import annotations

import re
from functools import lru_cache

from evals.units import ClaimUnit

# A bare source id counts as a mention only when it reads as one: in brackets, or next to a
# word that names a report ("the wire report", "according to local"); short ids such as
# "local" or "wire" are ordinary words otherwise.
_REPORT_WORDS = (r"(?:report|reports|reported|story|article|outlet|copy|account|version|piece|says|said|puts|gives|"
                 r"places|paper|newspaper|station|broadcaster|site|agency|service|statement|figures?|count|tally|"
                 r"estimates?|cites|quotes|writes|wrote|claims|put|puts|place|gave|give|say|carried|carries|cite|quote|reports?)")


@lru_cache(maxsize=4096)
def _mention_pattern(source_id: str) -> re.Pattern[str]:
    sid = re.escape(source_id)
    bare_ok = any(c.isdigit() or c == "_" for c in source_id)
    alternatives = [rf"[\[(]\s*(?:[\w-]+\s*,\s*)*{sid}(?:\s*,\s*[\w-]+)*\s*[\])]"]
    if bare_ok:
        alternatives.append(rf"(?<![\w-]){sid}(?![\w-])")
    else:
        alternatives.append(rf"(?<![\w-]){sid}(?:'s)?\s+{_REPORT_WORDS}\b")
        alternatives.append(rf"(?:according to|per|by|from|in) (?:the )?{sid}(?![\w-])")
        # "the wire and the broadcast put ...", "the wire, the local paper and ..."
        alternatives.append(rf"\bthe {sid}(?=\s*(?:,|and\b|or\b|\)))")
    return re.compile("|".join(alternatives), re.IGNORECASE)


def mentions(text: str, source_ids: list[str]) -> list[tuple[int, str]]:
    """(position, source id) of every source id the text names, in order."""
    found = []
    for sid in source_ids:
        found += [(m.start(), sid) for m in _mention_pattern(sid).finditer(text)]
    return sorted(found)


def cited_sources(unit: ClaimUnit, source_ids: list[str]) -> list[str]:
    """The source ids a unit cites or attributes to (known or not), without repeats."""
    ids = [c.source for c in unit.citations] + list(unit.attributed) + [sid for _, sid in mentions(unit.text, source_ids)]
    return list(dict.fromkeys(ids))


# "News 5 [broadcast]", "The State Highway Patrol [police]": the outlet's own name before its id.
_OUTLET_NAME = re.compile(r"(?<![\w,.])(?:\d+\s+)?[A-Z][\w'&.-]*(?:\s+[A-Z0-9][\w'&.-]*){0,4}\s+(?=[\[(][^\])]*[\])])")


def strip_mentions(text: str, source_ids: list[str], publishers: dict[str, set[str]] | None = None) -> str:
    """The text with source-id mentions, and the outlet names written before them, blanked out
    (ids are not claims: "[s1]" is not a number). Given each source's publisher words, only a
    name made of them is an outlet name ("News 5 [broadcast]"); "Coldharbour [wire]" is a claim."""
    spans = [m.span() for sid in source_ids for m in _mention_pattern(sid).finditer(text)]
    starts = {a for a, _ in spans}
    for m in _OUTLET_NAME.finditer(text):
        if m.end() not in starts and m.end() + 1 not in starts:
            continue
        words = {w.lower().strip(".'") for w in re.findall(r"[\w'&.-]+", m.group(0))} - {"the"}
        if publishers is None or any(words <= toks for toks in publishers.values()):
            spans.append(m.span())
    chars = list(text)
    for a, b in spans:
        chars[a:b] = " " * (b - a)
    return "".join(chars)


def _mention_groups(text: str, source_ids: list[str]) -> list[tuple[int, int, list[str]]]:
    """Runs of mentions that name several sources at once: "[a] and [b]", "[a], the Courier [b]"."""
    found = sorted((m.start(), m.end(), sid) for sid in source_ids for m in _mention_pattern(sid).finditer(text))
    groups: list[tuple[int, int, list[str]]] = []
    for start, end, sid in found:
        gap = text[groups[-1][1]:start] if groups else None
        if gap is not None and re.fullmatch(r"[\s,]*(?:and|or|&)?[\s,]*(?:the\s+)?(?:[A-Z][\w.'&-]*\s*){0,4}", gap):
            a, _, ids = groups[-1]
            groups[-1] = (a, end, ids if sid in ids else [*ids, sid])
        else:
            groups.append((start, end, [sid]))
    return groups


UNRESOLVED = "?"
_BRACKET = re.compile(r"[\[(]([^\[\]()]{1,80})[\])]")
_MEMBER_SPLIT = re.compile(r"\s*(?:,|/|;|&|\band\b|\bor\b)\s*")
_MEMBER_LEAD = re.compile(r"^(?:per|via|according to|says|said|citing|from|the)\s+", re.IGNORECASE)
# Lower-case words that name who reports: "(police)", "(organisers, campaign)".
_REPORTER_WORDS = frozenset(
    "police organisers organizers officials authorities campaign union release statement council ministry government "
    "company firm court prosecutors defence defense agency regulator spokesman spokeswoman spokesperson witnesses "
    "residents paper broadcaster station site wire tabloid blog filing report reports".split())


def _reads_as_reference(member: str) -> bool:
    """A bracketed name of who says it: a capitalized name of up to three words ("Gazette",
    "REA release", "Natl Seismological Obs.") or a word for a reporter ("police")."""
    words = _MEMBER_LEAD.sub("", member.strip(" .")).split()
    if not words or len(words) > 4 or any(c.isdigit() for c in member):
        return False
    return words[0][:1].isupper() or all(w.lower() in _REPORTER_WORDS for w in words)


def _unresolved_groups(text: str, groups: list[tuple[int, int, list[str]]]) -> list[tuple[int, int, list[str]]]:
    """Bracketed source references the ids do not cover ("(Gazette)", "(wire, Observer)") join the
    groups as UNRESOLVED: a value next to them is not credited to the sources of another group."""
    out = list(groups)
    for m in _BRACKET.finditer(text):
        members = [x for x in _MEMBER_SPLIT.split(m.group(1)) if x.strip()]
        inside = [i for i, g in enumerate(out) if m.start() <= g[0] < m.end()]
        if inside:
            named = [x for x in members if _reads_as_reference(x)]
            if len(members) > len(inside) and named:
                i = inside[-1]
                out[i] = (out[i][0], out[i][1], [*out[i][2], UNRESOLVED])
        elif members and all(_reads_as_reference(x) for x in members):
            out.append((m.start(), m.end(), [UNRESOLVED]))
    return sorted(out)


def credit_values(text: str, positions: list[int], source_ids: list[str],
                  unresolved: bool = False) -> dict[int, list[str]]:
    """Which named sources each value at `positions` is credited to.

    A clause either names its sources after its values ("120 feet [a], 200 feet [b]") or
    before them ("[a] says 120 feet, [b] 200 feet"); which one is read from where its first
    value stands against its first mention. With `unresolved`, bracketed references to sources
    that are not ids count as groups, credited as UNRESOLVED.
    """
    groups = _mention_groups(text, source_ids)
    if unresolved:
        groups = _unresolved_groups(text, groups)
    if not groups or not positions:
        return {p: [] for p in positions}
    follow = min(positions) < groups[0][0]
    out = {}
    for p in positions:
        if follow:
            group = next((g for g in groups if g[0] >= p), groups[-1])
        else:
            group = next((g for g in reversed(groups) if g[1] <= p), groups[0])
        out[p] = group[2]
    return out


_MONTH_NAMES = "January|February|March|April|May|June|July|August|September|October|November|December"
# Clause breaks; not the comma of a date ("Tuesday, March 10", "March 10, 2026").
_CLAUSE_BREAK = re.compile(rf";|:\s|,\s+(?=while\b|whereas\b|but\b|and\b|against\b)|,\s(?!{_MONTH_NAMES}|\d{{4}}\b)"
                           r"|\s(?=while\b|whereas\b|but\b)|(?P<and_the>\s(?=and the\b))")


def clauses(text: str) -> list[str]:
    """The text cut at clause breaks outside brackets ("X [a], while Y [b]" -> two clauses)."""
    return [text[a:b] for a, b in clause_spans(text)]


def clause_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each clause of `clauses`."""
    out, depth, start = [], 0, 0
    protected = list(text)
    for i, ch in enumerate(text):
        depth += ch in "[(" 
        depth -= ch in "])" and depth > 0
        if depth:
            protected[i] = "_"
    masked = "".join(protected)
    for m in _CLAUSE_BREAK.finditer(masked):
        if m.group("and_the") and not any(c.isdigit() for c in text[start:m.start()]):
            continue  # "X at 50 and the tabloid at 45" breaks; "the wire and the Courier say 44" does not
        out.append((start, m.start()))
        start = m.end()
    out.append((start, len(text)))
    return [(a, b) for a, b in out if text[a:b].strip()]


_COARSE_BREAK = re.compile(r";\s*|\s(?=while\b|whereas\b|but\b)")


def statements(text: str) -> list[str]:
    """The text cut into statements at ';' and 'while/whereas/but' (not at commas, which
    appositions use: "X, the chairman, said ...")."""
    return [p for p in _COARSE_BREAK.split(text) if p and p.strip()]
