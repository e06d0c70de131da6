"""A summarizing system: anything that turns a case's sources into an EventSummary.

Prompt versions (`summarize@v1`) and pipelines (`crosssource`) are both
systems; runs, compares and `eventsum brief` only see this interface. A system
is looked up by name in a registry, never by an if/elif chain.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from pydantic import BaseModel, Field

from summarizer.errors import EventsumError
from summarizer.models import EventSummary
from summarizer.sources import CaseSources


class CallRecord(BaseModel):
    """One model call: what it cost and how it went (never a secret)."""

    backend: str
    model: str
    prompt_id: str
    input_tokens: int = 0
    output_tokens: int = 0
    latency_s: float = 0.0
    retries: int = 0
    cached: bool = False
    error: str | None = None


class SummaryResult(BaseModel):
    """The outcome of summarizing one case: a summary, or an error with the raw output kept."""

    case_id: str
    system: str = Field(description="system name, e.g. 'summarize@v2' or 'crosssource'")
    system_hash: str = Field(description="hash of the prompt file or pipeline version")
    model: str | None = None
    summary: EventSummary | None = None
    error: str | None = None
    raw_output: str | None = None
    calls: list[CallRecord] = Field(default_factory=list)
    dropped_citations: int = 0
    latency_s: float = 0.0
    notes: list[str] = Field(default_factory=list, description="what the system did that a user should know")

    @property
    def input_tokens(self) -> int:
        return sum(c.input_tokens for c in self.calls)

    @property
    def output_tokens(self) -> int:
        return sum(c.output_tokens for c in self.calls)


class Summarizer(Protocol):
    """The one interface every system implements. `summarize` never raises for a bad case:
    it returns a SummaryResult with `error` set."""

    name: str
    version_hash: str

    def summarize(self, sources: CaseSources) -> SummaryResult: ...


def model_of(system: Summarizer, options: SystemOptions) -> str:
    """The model a system runs on, for manifests: a pipeline that calls none says so."""
    if getattr(system, "model", options.model) is None:
        return "none"
    return options.model


class SystemOptions(BaseModel):
    """What a user can choose on the command line for any system."""

    model: str = "local"
    base_url: str | None = None
    temperature: float | None = None
    seed: int | None = None
    max_tokens: int | None = None
    n_ctx: int | None = None
    use_cache: bool = True
    truncate: bool = False
    max_retries: int | None = None
    seed_offset: int = Field(0, ge=0, description="added to the seed: a run's sample index")
    timeout_s: float | None = Field(None, gt=0, description="total deadline of one model call")


SystemFactory = Callable[[str, SystemOptions], Summarizer]
_SYSTEMS: dict[str, SystemFactory] = {}


def register_system(name: str, factory: SystemFactory) -> None:
    """Register a pipeline by exact name ('crosssource'), or '*' for prompt files (NAME@VERSION)."""
    _SYSTEMS[name] = factory


def get_system(spec: str, options: SystemOptions | None = None) -> Summarizer:
    """A system by name: a registered pipeline, else a prompt NAME@VERSION."""
    _load_builtin_systems()
    options = options or SystemOptions()
    factory = _SYSTEMS.get(spec) or _SYSTEMS.get("*")
    if factory is None:
        raise EventsumError(f"unknown system {spec!r}; known: {sorted(k for k in _SYSTEMS if k != '*')}")
    return factory(spec, options)


PLUGINS_ENV = "EVENTSUM_PLUGINS"


def _load_builtin_systems() -> None:
    # Importing a system's module registers it; importing here keeps startup light for other commands.
    # EVENTSUM_PLUGINS=pkg.module,... registers a user's own systems the same way.
    import importlib
    import os

    plugins = [m.strip() for m in os.environ.get(PLUGINS_ENV, "").split(",") if m.strip()]
    for module in ("summarizer.pipeline", "summarizer.crosssource"):
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as err:
            if err.name != module:
                raise
    for module in plugins:
        try:
            importlib.import_module(module)
        except ImportError as err:
            raise EventsumError(f"{PLUGINS_ENV} names {module!r}, which cannot be imported: {err}") from None
