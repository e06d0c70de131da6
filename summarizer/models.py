"""The canonical event summary every summarizer produces and every scorer reads.

Validators check citations against the sources when the sources are passed
in the validation context (`{"sources": {source_id: text}}`): instructor then
re-asks the model with the error. Without a context (loading a stored
summary to score it) the model only checks its shape; scorers judge content.
"""

from __future__ import annotations

from pydantic import BaseModel, Field, ValidationInfo, field_validator

from summarizer.text import quote_in_text


def _context_sources(info: ValidationInfo) -> dict[str, str] | None:
    ctx = info.context or {}
    return ctx.get("sources")


class Citation(BaseModel):
    """A source id and a verbatim quote from that source."""

    source: str = Field(description="the source id (article file stem) the quote comes from")
    quote: str = Field(description="words copied exactly from that source")

    @field_validator("source")
    @classmethod
    def _source_exists(cls, value: str, info: ValidationInfo) -> str:
        sources = _context_sources(info)
        if sources is not None and value not in sources:
            raise ValueError(f"unknown source id {value!r}; use one of {sorted(sources)}")
        return value

    @field_validator("quote")
    @classmethod
    def _quote_in_source(cls, value: str, info: ValidationInfo) -> str:
        sources = _context_sources(info)
        source_id = info.data.get("source")
        if sources is not None and source_id in sources and not quote_in_text(value, sources[source_id]):
            raise ValueError(f"this quote is not in source {source_id!r}: copy the words exactly: {value[:80]!r}")
        return value


class SummaryFact(BaseModel):
    """One fact, with the citations that support it."""

    text: str = Field(min_length=1)
    citations: list[Citation] = Field(default_factory=list)


class Position(BaseModel):
    """One side of a disagreement, and which sources take it."""

    claim: str = Field(min_length=1, description="what these sources say")
    sources: list[str] = Field(default_factory=list, description="ids of the sources that say it")
    citations: list[Citation] = Field(default_factory=list)

    @field_validator("sources")
    @classmethod
    def _sources_exist(cls, value: list[str], info: ValidationInfo) -> list[str]:
        sources = _context_sources(info)
        if sources is not None:
            unknown = [s for s in value if s not in sources]
            if unknown:
                raise ValueError(f"unknown source id(s) {unknown}; use ids from {sorted(sources)}")
        return value


class SummaryConflict(BaseModel):
    """A question the sources answer differently, with each answer attributed."""

    question: str = Field(min_length=1)
    positions: list[Position] = Field(min_length=2)


class EventSummary(BaseModel):
    """One canonical summary of an event reported by several sources."""

    headline: str = Field(min_length=1)
    who: str = ""
    what: str = ""
    where: str = ""
    when: str = ""
    facts: list[SummaryFact] = Field(default_factory=list)
    conflicts: list[SummaryConflict] = Field(default_factory=list)
    briefing: str = ""
