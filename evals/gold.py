"""The gold data contract: gold.json beside a case's sources/ folder.

The models are the contract; `gold.schema.json` is exported from them and a
test keeps the two in sync.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator, model_validator

from summarizer.errors import InputError

GOLD_FILE = "gold.json"

Alternative = Annotated[str, Field(min_length=1, description="one or more whole words; a trailing * makes the last word a prefix")]
MatchGroup = Annotated[list[Alternative], Field(min_length=1, description="matches when any alternative is in the text")]
Match = Annotated[list[MatchGroup], Field(min_length=1, description="matches when every group matches within one piece of text")]
SourceIds = Annotated[list[str], Field(min_length=1, description="ids (file stems) of the sources that support it")]


class _Item(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @field_validator("match", check_fields=False)
    @classmethod
    def _no_blank_alternatives(cls, groups: list[list[str]]) -> list[list[str]]:
        for gi, group in enumerate(groups):
            for alt in group:
                if not alt.strip(" *"):
                    raise ValueError(f"group {gi} has a blank alternative {alt!r}")
        return groups

    @field_validator("sources", check_fields=False)
    @classmethod
    def _known_sources(cls, ids: list[str], info: ValidationInfo) -> list[str]:
        known = (info.context or {}).get("source_ids")
        if known is not None:
            unknown = [i for i in ids if i not in known]
            if unknown:
                raise ValueError(f"unknown source id(s) {unknown}; the case has {sorted(known)}")
        if len(set(ids)) != len(ids):
            raise ValueError(f"a source id is listed twice: {ids}")
        return ids


class GoldFact(_Item):
    """A fact the sources support, with how much it matters."""

    id: str = Field(min_length=1)
    text: str = Field(min_length=1)
    weight: Literal[1, 2, 3] = Field(description="3 = core, 1 = detail")
    sources: SourceIds
    match: Match


class ConflictSide(_Item):
    """One answer to a disputed question, and who gives it."""

    value: str = Field(min_length=1)
    sources: SourceIds
    match: Match


ConflictKind = Literal["figure", "date", "place", "attribution", "cause", "correction", "quote", "other"]


class GoldConflict(_Item):
    """A question the sources answer differently."""

    id: str = Field(min_length=1)
    question: str = Field(min_length=1)
    sides: list[ConflictSide] = Field(min_length=2)
    kind: ConflictKind | None = Field(default=None, description="optional: what sort of disagreement, for suite statistics")


class NonConflict(_Item):
    """Wordings that look different but agree (rounding, spelling, units, titles)."""

    id: str = Field(min_length=1)
    note: str = Field(min_length=1)
    match: Match


class Trap(_Item):
    """A plausible claim the sources do not support."""

    id: str = Field(min_length=1)
    text: str = Field(min_length=1)
    match: Match


class Gold(BaseModel):
    """Hand-written gold for one case."""

    model_config = ConfigDict(extra="forbid")

    event: str = Field(min_length=1, description="one line naming the event")
    facts: list[GoldFact] = Field(min_length=1)
    conflicts: list[GoldConflict] = []
    non_conflicts: list[NonConflict] = []
    traps: list[Trap] = []
    off_topic: list[str] = Field(
        default=[],
        description="ids of sources in the case that report another event: they support no claim about this one",
    )
    draft: str | None = Field(
        default=None,
        description="present only in machine-written drafts (eventsum gold draft); validation refuses a gold that still has it",
    )

    @field_validator("off_topic")
    @classmethod
    def _known_off_topic(cls, ids: list[str], info: ValidationInfo) -> list[str]:
        known = (info.context or {}).get("source_ids")
        unknown = [i for i in ids if known is not None and i not in known]
        if unknown:
            raise ValueError(f"unknown source id(s) {unknown}; the case has {sorted(known)}")
        return ids

    @model_validator(mode="after")
    def _off_topic_supports_nothing(self) -> Gold:
        off = set(self.off_topic)
        for kind, items in (("facts", self.facts), ("non_conflicts", self.non_conflicts)):
            for i, item in enumerate(items):
                if off & set(getattr(item, "sources", [])):
                    raise ValueError(f"{kind}[{i}] ({item.id}) cites off-topic source(s) {sorted(off & set(item.sources))}")
        for i, c in enumerate(self.conflicts):
            for j, side in enumerate(c.sides):
                if off & set(side.sources):
                    raise ValueError(f"conflicts[{i}].sides[{j}] ({c.id}) cites off-topic source(s) "
                                     f"{sorted(off & set(side.sources))}")
        return self

    @model_validator(mode="after")
    def _unique_ids(self) -> Gold:
        seen: dict[str, str] = {}
        for kind, items in (("facts", self.facts), ("conflicts", self.conflicts),
                            ("non_conflicts", self.non_conflicts), ("traps", self.traps)):
            for i, item in enumerate(items):
                where = f"{kind}[{i}]"
                if item.id in seen:
                    raise ValueError(f"duplicate id {item.id!r} at {where} (also at {seen[item.id]})")
                seen[item.id] = where
        return self

    def fact(self, fact_id: str) -> GoldFact:
        return next(f for f in self.facts if f.id == fact_id)

    @property
    def total_weight(self) -> int:
        return sum(f.weight for f in self.facts)


def field_path(loc: tuple[int | str, ...]) -> str:
    """('facts', 2, 'sources', 0) -> 'facts[2].sources[0]'."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


ItemT = TypeVar("ItemT", bound=_Item)


class GoldCheck(BaseModel):
    """One gold.json read in one pass: the gold when it is valid, every problem, and the items that are
    valid on their own (keyed by index), so that text checks run even when another item is broken."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    gold: Gold | None = None
    errors: list[InputError] = []
    facts: dict[int, GoldFact] = {}
    conflicts: dict[int, GoldConflict] = {}
    traps: dict[int, Trap] = {}


def _valid_items(data: object, kind: str, model: type[ItemT]) -> dict[int, ItemT]:
    """The items of one list that validate alone (source ids unchecked: only known ids get text checks)."""
    items = data.get(kind) if isinstance(data, dict) else None
    out: dict[int, ItemT] = {}
    for i, raw in enumerate(items if isinstance(items, list) else []):
        try:
            out[i] = model.model_validate(raw)
        except ValidationError:
            continue
    return out


def check_gold(path: Path, source_ids: set[str] | None) -> GoldCheck:
    """Parse and validate one gold.json; every problem names the file and the field."""
    try:
        raw = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        return GoldCheck(errors=[InputError(path, "missing gold.json")])
    except UnicodeDecodeError as err:
        return GoldCheck(errors=[InputError(path, f"not UTF-8 (byte {err.start})")])
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as err:
        return GoldCheck(errors=[InputError(path, f"invalid JSON: {err.msg}", field=f"line {err.lineno} column {err.colno}")])
    try:
        gold = Gold.model_validate(data, context={"source_ids": source_ids})
    except ValidationError as err:
        errors = [InputError(path, e["msg"].removeprefix("Value error, "), field=field_path(e["loc"])) for e in err.errors()]
        if isinstance(data, dict) and data.get("draft") is not None:
            errors.append(_draft_error(path, str(data["draft"])))
        return GoldCheck(errors=errors, facts=_valid_items(data, "facts", GoldFact),
                         conflicts=_valid_items(data, "conflicts", GoldConflict), traps=_valid_items(data, "traps", Trap))
    errors = [_draft_error(path, gold.draft)] if gold.draft is not None else []
    return GoldCheck(gold=gold, errors=errors, facts=dict(enumerate(gold.facts)),
                     conflicts=dict(enumerate(gold.conflicts)), traps=dict(enumerate(gold.traps)))


def _draft_error(path: Path, draft: str) -> InputError:
    return InputError(path, f"this gold is a machine-written draft ({draft}); review it, then delete the field", field="draft")


def gold_errors(path: Path, source_ids: set[str] | None) -> tuple[Gold | None, list[InputError]]:
    """Parse and validate one gold.json: the gold (None when invalid) and every problem."""
    check = check_gold(path, source_ids)
    return check.gold, check.errors


def load_gold(path: Path, source_ids: set[str] | None = None) -> Gold:
    """Load a gold.json or raise the first problem."""
    gold, errors = gold_errors(path, source_ids)
    if errors:
        raise errors[0]
    if gold is None:  # unreachable: no errors means a parsed gold
        raise InputError(path, "could not be read")
    return gold


def export_schema() -> str:
    """The JSON Schema of gold.json, as written to evals/gold.schema.json."""
    return json.dumps(Gold.model_json_schema(), indent=2, ensure_ascii=False) + "\n"
