"""Which sources a claim names: citations, a position's sources, or source ids written in text."""

from __future__ import annotations

import re
from functools import lru_cache

from evals.units import ClaimUnit

# A bare source id counts as a mention only when it reads as one: in brackets, or next to a
# word that names a report ("the wire report", "according to local"); short ids such as
# "local" or "wire" are ordinary words otherwise.
_REPORT_WORDS = (r"(?:report|reports|reported|story|article|outlet|copy|account|version|piece|says|said|has|puts|gives|"
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
        alternatives.append(rf"\bthe {sid}(?=\s*(?:,|and\b|or\b|'s\b|\)))")
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
_OUTLET_NAME = re.compile(r"(?<![\w,.])[A-Z][\w'&.-]*(?:\s+[A-Z0-9][\w'&.-]*){0,4}\s+(?=[\[(][^\])]*[\])])")


def strip_mentions(text: str, source_ids: list[str]) -> str:
    """The text with source-id mentions, and the outlet names written before them, blanked out
    (ids are not claims: "[s1]" is not a number)."""
    spans = [m.span() for sid in source_ids for m in _mention_pattern(sid).finditer(text)]
    starts = {a for a, _ in spans}
    spans += [m.span() for m in _OUTLET_NAME.finditer(text) if m.end() in starts or m.end() + 1 in starts]
    chars = list(text)
    for a, b in spans:
        chars[a:b] = " " * (b - a)
    return "".join(chars)


def nearest_mentions(text: str, position: int, source_ids: list[str]) -> list[str]:
    """The ids of the mention group nearest to a position: "12 [a], 14 [b, c]" gives 14 to b and c."""
    found = [(m.start(), m.end(), sid) for sid in source_ids for m in _mention_pattern(sid).finditer(text)]
    if not found:
        return []
    found.sort()
    groups: list[list[tuple[int, int, str]]] = [[found[0]]]
    for item in found[1:]:
        gap = text[groups[-1][-1][1]:item[0]]
        # "[a] and [b]", "[a], the Courier [b]": one group naming several sources
        if re.fullmatch(r"[\s,]*(?:and|or|&)?[\s,]*(?:the\s+)?(?:[A-Z][\w.'&-]*\s*){0,4}", gap):
            groups[-1].append(item)
        else:
            groups.append([item])
    def distance(group: list[tuple[int, int, str]]) -> int:
        a, b = group[0][0], group[-1][1]
        return 0 if a <= position < b else min(abs(position - a), abs(position - b))
    best = min(groups, key=distance)
    return list(dict.fromkeys(sid for _, _, sid in best))


_CLAUSE_BREAK = re.compile(r";|:\s|,\s+(?=while\b|whereas\b|but\b|and\b|against\b)|,\s|\s(?=while\b|whereas\b|but\b)")


def clauses(text: str) -> list[str]:
    """The text cut at clause breaks outside brackets ("X [a], while Y [b]" -> two clauses)."""
    out, depth, start = [], 0, 0
    protected = list(text)
    for i, ch in enumerate(text):
        depth += ch in "[(" 
        depth -= ch in "])" and depth > 0
        if depth:
            protected[i] = "_"
    masked = "".join(protected)
    for m in _CLAUSE_BREAK.finditer(masked):
        out.append(text[start:m.start()])
        start = m.end()
    out.append(text[start:])
    return [c for c in out if c.strip()]
