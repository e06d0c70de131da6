"""`eventsum eval run`: summarize and score every (case, sample) of a suite into a run directory.

RUN_DIR/manifest.json  what was run (suite hash, system and its hash, model and settings, scorer,
                       versions, git commit, times); never a secret
RUN_DIR/results.jsonl  one RunRecord per (case, sample), appended and fsynced as each finishes
RUN_DIR/summary.json   suite means with 95% bootstrap intervals (evals/summary.py)

Resumable: a killed run (kill -9 included) leaves at most a torn last line, which is cut off
on resume; finished pairs are skipped, so nothing is lost or doubled. Work runs on a bounded
pool of asyncio workers; every record is written by the event loop alone, so lines never
interleave, and results do not depend on the concurrency.
"""

from __future__ import annotations

import asyncio
import fnmatch
import datetime as dt
import json
import os
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit, urlunsplit

from pydantic import BaseModel, Field

from eventsum import __version__
from evals.scorer import SCORER_VERSION, ScoreCard, ScoreFn, get_scorer
from evals.suite import case_dirs, load_case, suite_hash
from summarizer.errors import EventsumError
from summarizer.models import EventSummary
from summarizer.system import CallRecord, Summarizer, SystemOptions, get_system, model_of

SCHEMA_VERSION = 1
MANIFEST, RESULTS, SUMMARY = "manifest.json", "results.jsonl", "summary.json"


class RunManifest(BaseModel):
    schema_version: int = SCHEMA_VERSION
    suite: str
    suite_hash: str
    cases: int
    case_filter: str | None = None
    case_limit: int | None = None
    system: str
    system_hash: str = ""
    model: str
    settings: dict[str, object]
    scorer: str
    scorer_version: str
    judge_model: str | None = None
    samples: int
    concurrency: int
    eventsum_version: str = __version__
    git_commit: str | None = None
    started_at: str
    finished_at: str | None = None
    status: Literal["running", "finished", "interrupted"] = "running"


class RunRecord(BaseModel):
    """One line of results.jsonl: the summary, every verdict with its evidence, the metrics, the cost."""

    case_id: str
    sample: int
    system: str
    summary: EventSummary | None = None
    error: str | None = None
    raw_output: str | None = None
    calls: list[CallRecord] = Field(default_factory=list)
    input_tokens: int = 0
    output_tokens: int = 0
    retries: int = 0
    latency_s: float = 0.0
    dropped_citations: int = 0
    card: ScoreCard

    @property
    def key(self) -> tuple[str, int]:
        return (self.case_id, self.sample)


class RunProgress(BaseModel):
    done: int = 0
    total: int = 0
    errors: int = 0
    tokens: int = 0


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def git_commit() -> str | None:
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, timeout=5,
                             cwd=Path(__file__).resolve().parent, check=False)
    except OSError:
        return None
    return out.stdout.strip() or None


def redact_url(url: str | None) -> str | None:
    """A base URL without user, password or query (where tokens hide)."""
    if not url:
        return url
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = host + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def public_settings(options: SystemOptions) -> dict[str, object]:
    """The options worth recording, with nothing secret in them."""
    data = options.model_dump(exclude_none=True)
    if "base_url" in data:
        data["base_url"] = redact_url(options.base_url)
    return data


def repair_results(path: Path) -> None:
    """Cut a torn last line (a write killed half-way) so that appending resumes cleanly."""
    if not path.exists():
        return
    data = path.read_bytes()
    if data and not data.endswith(b"\n"):
        with path.open("r+b") as fh:
            fh.truncate(data.rfind(b"\n") + 1)


def iter_records(run_dir: Path) -> Iterator[RunRecord]:
    """The records of a run, one at a time (a torn last line is skipped)."""
    path = run_dir / RESULTS
    if not path.exists():
        return
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.endswith("\n"):
                yield RunRecord.model_validate_json(line)


def finished_keys(run_dir: Path) -> set[tuple[str, int]]:
    return {r.key for r in iter_records(run_dir)}


def load_manifest(run_dir: Path) -> RunManifest:
    path = run_dir / MANIFEST
    if not path.exists():
        raise EventsumError(f"{run_dir}: not a run directory (no {MANIFEST})")
    return RunManifest.model_validate_json(path.read_text(encoding="utf-8"))


def write_json_atomic(path: Path, text: str) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


class RecordWriter:
    """Appends one record per line, flushed and fsynced, so a kill loses at most the line being written."""

    def __init__(self, path: Path) -> None:
        repair_results(path)
        self._fh = path.open("a", encoding="utf-8")

    def write(self, record: RunRecord) -> None:
        self._fh.write(record.model_dump_json() + "\n")
        self._fh.flush()
        os.fsync(self._fh.fileno())

    def close(self) -> None:
        self._fh.close()


class SuiteRun(BaseModel):
    """What `eventsum eval run` was asked to do."""

    suite: Path
    system: str
    options: SystemOptions = Field(default_factory=SystemOptions)
    scorer: str = "deterministic"
    judge_model: str | None = None
    judge_base_url: str | None = None
    judge_repeats: int = Field(default=1, ge=1)
    samples: int = Field(default=1, ge=1)
    concurrency: int = Field(default=1, ge=1)
    out: Path
    resume: bool = False
    cases: str | None = Field(default=None, description="only case ids matching this glob")
    limit: int | None = Field(default=None, ge=1, description="only the first N cases (in name order)")

    def case_dirs(self) -> list[Path]:
        """The cases this run covers: the suite's, filtered by --cases, cut by --limit."""
        dirs = [d for d in case_dirs(self.suite) if self.cases is None or fnmatch.fnmatch(d.name, self.cases)]
        return dirs[: self.limit] if self.limit else dirs


def _sample_options(options: SystemOptions, sample: int) -> SystemOptions:
    # Each sample its own seed, so samples show generation noise yet repeat run to run.
    if sample == 0:
        return options
    return options.model_copy(update={"seed": (options.seed or 0) + sample})


def scorer_of(spec: SuiteRun) -> ScoreFn:
    return get_scorer(spec.scorer, spec.judge_model, spec.judge_base_url, spec.judge_repeats)


def summarize_and_score(case_dir: Path, sample: int, system: Summarizer, score: ScoreFn) -> RunRecord:
    """One (case, sample): never raises; a broken case or a failed summary is an error record."""
    case, errors = load_case(case_dir)
    if case is None:
        message = "; ".join(str(e) for e in errors)
        return RunRecord(case_id=case_dir.name, sample=sample, system=system.name, error=message,
                         card=ScoreCard(case_id=case_dir.name, system=system.name, error=message))
    result = system.summarize(case.sources)
    if result.summary is None:
        card = ScoreCard(case_id=case.id, system=system.name, error=f"no summary: {result.error}")
    else:
        card = score(case, result.summary, system.name)
    return RunRecord(case_id=case.id, sample=sample, system=system.name, summary=result.summary, error=result.error,
                     raw_output=result.raw_output if result.summary is None else None, calls=result.calls,
                     input_tokens=result.input_tokens, output_tokens=result.output_tokens,
                     retries=sum(c.retries for c in result.calls), latency_s=result.latency_s,
                     dropped_citations=result.dropped_citations, card=card)


def start_run(spec: SuiteRun) -> RunManifest:
    """Create or reopen the run directory; refuse to mix runs."""
    spec.out.mkdir(parents=True, exist_ok=True)
    results = spec.out / RESULTS
    if results.exists() and results.stat().st_size and not spec.resume:
        raise EventsumError(f"{spec.out} already holds results: pass --resume to continue it, or another --out")
    system = get_system(spec.system, spec.options)
    manifest = RunManifest(suite=str(spec.suite), suite_hash=suite_hash(spec.suite), cases=len(spec.case_dirs()),
                           case_filter=spec.cases, case_limit=spec.limit,
                           system=spec.system, system_hash=system.version_hash, model=model_of(system, spec.options),
                           settings=public_settings(spec.options), scorer=spec.scorer, scorer_version=SCORER_VERSION,
                           judge_model=spec.judge_model,
                           samples=spec.samples, concurrency=spec.concurrency, git_commit=git_commit(),
                           started_at=_now())
    if spec.resume and (spec.out / MANIFEST).exists():
        old = load_manifest(spec.out)
        if (old.suite_hash, old.system, old.system_hash) != (manifest.suite_hash, manifest.system, manifest.system_hash):
            raise EventsumError(f"{spec.out}: cannot resume: the suite, system or prompt changed since it started")
        manifest = manifest.model_copy(update={"started_at": old.started_at})
    write_json_atomic(spec.out / MANIFEST, manifest.model_dump_json(indent=2))
    return manifest


async def execute(spec: SuiteRun, on_progress: Callable[[RunProgress], None] | None = None) -> RunProgress:
    """Run every unfinished (case, sample) on a bounded pool of workers."""
    score = scorer_of(spec)  # fails before any model call on a bad scorer name
    done = finished_keys(spec.out) if spec.resume else set()
    dirs = spec.case_dirs()
    todo = ((d, s) for d in dirs for s in range(spec.samples) if (d.name, s) not in done)
    progress = RunProgress(done=len(done), total=len(dirs) * spec.samples)
    systems: dict[int, Summarizer] = {}
    writer = RecordWriter(spec.out / RESULTS)
    queue: asyncio.Queue[tuple[Path, int] | None] = asyncio.Queue(maxsize=spec.concurrency * 2)

    async def produce() -> None:
        for item in todo:
            await queue.put(item)
        for _ in range(spec.concurrency):
            await queue.put(None)

    async def work() -> None:
        while (item := await queue.get()) is not None:
            case_dir, sample = item
            if sample not in systems:
                systems[sample] = get_system(spec.system, _sample_options(spec.options, sample))
            record = await asyncio.to_thread(summarize_and_score, case_dir, sample, systems[sample], score)
            writer.write(record)
            progress.done += 1
            progress.errors += record.card.error is not None
            progress.tokens += record.input_tokens + record.output_tokens
            if on_progress:
                on_progress(progress)

    try:
        await asyncio.gather(produce(), *(work() for _ in range(spec.concurrency)))
    finally:
        writer.close()
    return progress


def finish_run(run_dir: Path, status: Literal["finished", "interrupted"]) -> RunManifest:
    manifest = load_manifest(run_dir).model_copy(update={"finished_at": _now(), "status": status})
    write_json_atomic(run_dir / MANIFEST, manifest.model_dump_json(indent=2))
    return manifest


def parse_thresholds(items: list[str]) -> dict[str, float]:
    """--fail-under coverage=0.6 --fail-under hallucination=0.05 -> {"coverage": 0.6, ...}."""
    out = {}
    for item in items:
        name, _, value = item.partition("=")
        try:
            out[name.strip()] = float(value)
        except ValueError:
            raise EventsumError(f"--fail-under takes METRIC=VALUE, e.g. coverage=0.6; got {item!r}") from None
    return out


def json_dumps(obj: object) -> str:
    return json.dumps(obj, indent=2, ensure_ascii=False)
