"""Which sources a claim names: citations, a position's sources, or source ids written in text."""

from __future__ import annotations

import re
from functools import lru_cache

from evals.units import ClaimUnit

# A bare source id counts as a mention only when it reads as one: in brackets, or next to a
# word that names a report ("the wire report", "according to local"); short ids such as
# "local" or "wire" are ordinary words otherwise.
_REPORT_WORDS = r"(?:report|reports|reported|story|article|outlet|copy|account|version|piece|says|said|has|puts|gives|places)"


@lru_cache(maxsize=4096)
def _mention_pattern(source_id: str) -> re.Pattern[str]:
    sid = re.escape(source_id)
    bare_ok = any(c.isdigit() or c == "_" for c in source_id)
    alternatives = [rf"[\[(]\s*(?:[\w-]+\s*,\s*)*{sid}(?:\s*,\s*[\w-]+)*\s*[\])]"]
    if bare_ok:
        alternatives.append(rf"(?<![\w-]){sid}(?![\w-])")
    else:
        alternatives.append(rf"(?<![\w-]){sid}(?:'s)?\s+{_REPORT_WORDS}\b")
        alternatives.append(rf"according to (?:the )?{sid}(?![\w-])")
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


def strip_mentions(text: str, source_ids: list[str]) -> str:
    """The text with source-id mentions blanked out (ids are not claims: "[s1]" is not a number)."""
    for sid in source_ids:
        text = _mention_pattern(sid).sub(lambda m: " " * len(m.group(0)), text)
    return text
