"""Claim units: the pieces of a summary that are judged one by one.

EventSummary: the headline; who, what, where, when; each fact; each conflict
position; each briefing sentence. Plain text or Markdown: each heading, each
bullet item and each sentence of a paragraph. A unit keeps what it cites and
the heading it stands under, so conflict scoring can see a "Where sources
disagree" section.
"""

from __future__ import annotations

import json
import re
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError

from summarizer.models import Citation, EventSummary
from summarizer.sentences import split_sentences

UnitKind = Literal["headline", "who", "what", "where", "when", "fact", "position", "briefing", "heading", "text"]

_BULLET = re.compile(r"^\s*(?:[-*+\u2022]|\d+[.)])\s+")
_HEADING = re.compile(r"^\s*(#{1,6}\s+.*|\*\*[^*]+\*\*:?|__[^_]+__:?|[^.!?]{2,80}:)\s*$")
_MARKUP = re.compile(r"(\*\*|__|`|^#{1,6}\s+)")


class ClaimUnit(BaseModel):
    """One claim of a summary, with where it came from and what it cites."""

    index: int
    kind: UnitKind
    text: str
    citations: list[Citation] = Field(default_factory=list)
    attributed: list[str] = Field(default_factory=list, description="source ids a conflict position names")
    conflict: int | None = Field(default=None, description="for positions: index of the summary's conflict entry")
    section: str = Field(default="", description="the heading this unit stands under (text summaries)")


def parse_summary(raw: Any) -> EventSummary | str:
    """An EventSummary (object or JSON string of one) or plain text; raises ValueError naming the problem."""
    if isinstance(raw, EventSummary):
        return raw
    if isinstance(raw, dict):
        try:
            return EventSummary.model_validate(raw)
        except ValidationError as err:
            first = err.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise ValueError(f"not a valid EventSummary: {where}: {first['msg']}") from None
    if isinstance(raw, str):
        stripped = raw.strip()
        if stripped.startswith("{"):
            try:
                return parse_summary(json.loads(stripped))
            except json.JSONDecodeError:
                pass
        if not stripped:
            raise ValueError("the summary is empty")
        return raw
    raise ValueError(f"a summary must be an EventSummary object or a string, not {type(raw).__name__}")


def _sentences(text: str) -> list[str]:
    return [s.text for s in split_sentences(text)]


def structured_units(summary: EventSummary) -> list[ClaimUnit]:
    units: list[ClaimUnit] = []

    def add(kind: UnitKind, text: str, **extra: Any) -> None:
        if text.strip():
            units.append(ClaimUnit(index=len(units), kind=kind, text=text.strip(), **extra))

    add("headline", summary.headline)
    for field in ("who", "what", "where", "when"):
        add(field, getattr(summary, field))  # type: ignore[arg-type]
    for fact in summary.facts:
        add("fact", fact.text, citations=fact.citations)
    for ci, conflict in enumerate(summary.conflicts):
        for pos in conflict.positions:
            add("position", pos.claim, citations=pos.citations, attributed=pos.sources, conflict=ci,
                section=conflict.question)
    for sentence in _sentences(summary.briefing):
        add("briefing", sentence)
    return units


def text_units(text: str) -> list[ClaimUnit]:
    units: list[ClaimUnit] = []
    section = ""
    for line in text.splitlines():
        if not line.strip():
            continue
        if _HEADING.match(line) and not _BULLET.match(line):
            section = _MARKUP.sub("", line).strip().rstrip(":")
            units.append(ClaimUnit(index=len(units), kind="heading", text=section, section=section))
            continue
        bullet = _BULLET.match(line)
        body = _MARKUP.sub("", line[bullet.end():] if bullet else line).strip()
        pieces = [body] if bullet else _sentences(body)
        for piece in pieces:
            if piece.strip():
                units.append(ClaimUnit(index=len(units), kind="text", text=piece.strip(), section=section))
    return units


def units_of(summary: EventSummary | str) -> list[ClaimUnit]:
    """Split a summary into claim units."""
    return structured_units(summary) if isinstance(summary, EventSummary) else text_units(summary)
