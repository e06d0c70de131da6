"""The judge's answer schema, built per call: one required field per id it must decide.

A fixed schema with lists ("units": [...]) lets a model leave items out, and a small model
does: it returned no unit verdicts at all. Here the schema names every unit, fact and
conflict of this call as its own required property, in order, so grammar-constrained
decoding (llama.cpp, and servers that take a JSON schema) cannot produce an incomplete
answer, and a model that ignores the schema fails validation and is re-asked.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

Outcome = Literal["surfaced", "one_sided", "omitted"]


class UnitCall(BaseModel):
    """The verdict on one claim unit."""

    supported: bool
    reason: str = Field(default="", max_length=200, description="why not, when not supported")


def unit_field(index: int) -> str:
    return f"unit_{index}"


def fact_field(fact_id: str) -> str:
    return f"fact_{fact_id}"


def conflict_field(conflict_id: str) -> str:
    return f"conflict_{conflict_id}"


def answer_model(units: list[int], facts: list[str], conflicts: list[str]) -> type[BaseModel]:
    """A model with exactly these ids as required fields (unit_3, fact_F2, conflict_C1, ...)."""
    fields: dict[str, Any] = {}
    for u in units:
        fields[unit_field(u)] = (UnitCall, Field(description=f"claim unit [{u}]: supported by the sources?"))
    for f in facts:
        fields[fact_field(f)] = (bool, Field(description=f"gold fact {f}: stated by some claim unit?"))
    for c in conflicts:
        fields[conflict_field(c)] = (Outcome, Field(description=f"gold disagreement {c}: how the summary handles it"))
    # Bounded and limited to this call's units: an unbounded list of integers lets a small model
    # repeat numbers until it runs out of tokens (the embedded judge did, on 5 of 6 summaries).
    item = Literal[tuple(units)] if units else int  # type: ignore[valid-type]
    fields["invented_units"] = (list[item], Field(default_factory=list, max_length=len(units), description=(
        "claim units that report a disagreement that is not a gold one")))
    return create_model("JudgeAnswerForCall", __config__=ConfigDict(extra="forbid"), **fields)


def as_lists(answer: BaseModel, units: list[int], facts: list[str], conflicts: list[str]) -> dict[str, Any]:
    """The per-call answer in the list form of evals.judge.JudgeAnswer."""
    data = answer.model_dump()
    return {
        "units": [{"unit": u, **data[unit_field(u)]} for u in units],
        "facts": [{"fact": f, "covered": data[fact_field(f)]} for f in facts],
        "conflicts": [{"conflict": c, "outcome": data[conflict_field(c)]} for c in conflicts],
        "invented_units": data.get("invented_units", []),
    }
