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
import socket
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, Field

from eventsum import __version__
from evals.scorer import SCORER_VERSION, ScoreCard, ScoreFn, get_scorer
from evals.suite import case_dirs, load_case, suite_hash
from evals.runs.lock import RunLock
from summarizer.errors import EventsumError
from summarizer.redaction import redact, redact_url as _redact_url
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
    failures: list[str] = Field(default_factory=list, description="'case#sample: reason' of each failed case")
    stopped: str | None = Field(default=None, description="why the run stopped before the end, if it did")


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
    return _redact_url(url) if url else url


def public_settings(options: SystemOptions) -> dict[str, object]:
    """The options worth recording, with nothing secret in them."""
    data = options.model_dump(exclude_none=True, exclude={"seed_offset"})
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


def _report_damaged(message: str) -> None:
    print(f"error {message}", file=sys.stderr)


_reported: set[str] = set()


def iter_records(run_dir: Path, on_damaged: Callable[[str], None] | None = None) -> Iterator[RunRecord]:
    """The records of a run, one at a time, the last record per (case, sample) winning.

    A torn last line is skipped; a damaged line elsewhere is reported (file and line, once per
    process) and skipped, and every other line is still read."""
    path = run_dir / RESULTS
    if not path.exists():
        return
    latest: dict[tuple[str, int], RunRecord] = {}
    with path.open(encoding="utf-8", errors="replace") as fh:
        for n, line in enumerate(fh, 1):
            if not line.endswith("\n") or not line.strip():
                continue
            try:
                record = RunRecord.model_validate_json(line)
            except (ValueError, RecursionError) as err:
                first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
                message = f"{path}: line {n}: damaged record, skipped ({redact(first)[:200]})"
                if on_damaged is not None:
                    on_damaged(message)
                elif message not in _reported:
                    _reported.add(message)
                    _report_damaged(message)
                continue
            latest.pop(record.key, None)
            latest[record.key] = record
    yield from latest.values()


def finished_keys(run_dir: Path, keep_errors: bool = True) -> set[tuple[str, int]]:
    """(case, sample) pairs already done; with keep_errors=False an error record does not count."""
    return {r.key for r in iter_records(run_dir) if keep_errors or r.card.error is None}


def load_manifest(run_dir: Path) -> RunManifest:
    path = run_dir / MANIFEST
    if not path.exists():
        raise EventsumError(f"{run_dir}: not a run directory (no {MANIFEST})")
    try:
        return RunManifest.model_validate_json(path.read_text(encoding="utf-8"))
    except (ValueError, RecursionError) as err:
        raise EventsumError(f"{path}: damaged manifest: {str(err).splitlines()[0]}") from None


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
    keep_errors: bool = Field(default=False, description="on --resume, keep error records instead of retrying them")
    fail_fast: bool = Field(default=False, description="stop at the first case that ends in error")
    cases: str | None = Field(default=None, description="only case ids matching this glob")
    limit: int | None = Field(default=None, ge=1, description="only the first N cases (in name order)")

    def case_dirs(self) -> list[Path]:
        """The cases this run covers: the suite's, filtered by --cases, cut by --limit."""
        dirs = [d for d in case_dirs(self.suite) if self.cases is None or fnmatch.fnmatch(d.name, self.cases)]
        return dirs[: self.limit] if self.limit else dirs


def _sample_options(options: SystemOptions, sample: int) -> SystemOptions:
    # Each sample its own seed (the prompt's seed + sample index), so samples show generation
    # noise yet repeat run to run; the system adds the offset to whichever seed it uses.
    return options if sample == 0 else options.model_copy(update={"seed_offset": sample})


def scorer_of(spec: SuiteRun) -> ScoreFn:
    return get_scorer(spec.scorer, spec.judge_model, spec.judge_base_url, spec.judge_repeats)


def summarize_and_score(case_dir: Path, sample: int, system: Summarizer, score: ScoreFn) -> RunRecord:
    """One (case, sample): never raises; a broken case, a failed summary or any exception is an error record."""
    try:
        return _summarize_and_score(case_dir, sample, system, score)
    except Exception as err:  # noqa: BLE001 - RecursionError included: one case must not end the run
        message = redact(f"{type(err).__name__} while producing or scoring this case: {err}")[:2000]
        return RunRecord(case_id=case_dir.name, sample=sample, system=system.name, error=message,
                         card=ScoreCard(case_id=case_dir.name, system=system.name, error=message))


def _summarize_and_score(case_dir: Path, sample: int, system: Summarizer, score: ScoreFn) -> RunRecord:
    case, errors = load_case(case_dir)
    if case is None:
        message = "; ".join(str(e) for e in errors)
        return RunRecord(case_id=case_dir.name, sample=sample, system=system.name, error=message,
                         card=ScoreCard(case_id=case_dir.name, system=system.name, error=message))
    result = system.summarize(case.sources)
    if result.summary is None:
        card = ScoreCard(case_id=case.id, system=system.name, error=redact(f"no summary: {result.error}"))
    else:
        card = score(case, result.summary, system.name)
    return RunRecord(case_id=case.id, sample=sample, system=system.name, summary=result.summary, error=redact(result.error) if result.error else None,
                     raw_output=result.raw_output if result.summary is None else None, calls=result.calls,
                     input_tokens=result.input_tokens, output_tokens=result.output_tokens,
                     retries=sum(c.retries for c in result.calls), latency_s=result.latency_s,
                     dropped_citations=result.dropped_citations, card=card)


# Manifest fields that make two runs' results incomparable: a resume must not change them.
_CONFIG_FIELDS = ("suite_hash", "system", "system_hash", "model", "settings", "scorer", "scorer_version",
                  "judge_model", "samples")
# Consecutive errors from the very start of a run (nothing succeeded yet) that stop it early.
EARLY_STOP_AFTER = 3


def _config_of(manifest: RunManifest) -> dict[str, object]:
    data = manifest.model_dump(include=set(_CONFIG_FIELDS))
    settings = dict(data.get("settings") or {})
    settings.pop("use_cache", None)  # the cache changes speed, not answers
    data["settings"] = settings
    return data


def config_differences(old: RunManifest, new: RunManifest) -> list[str]:
    """What changed between two manifests that would mix incomparable results, in words."""
    a, b = _config_of(old), _config_of(new)
    diffs = []
    for name in _CONFIG_FIELDS:
        if name == "settings":
            sa, sb = a[name], b[name]
            for key in sorted(set(sa) | set(sb)):  # type: ignore[arg-type]
                if sa.get(key) != sb.get(key):  # type: ignore[union-attr]
                    diffs.append(f"settings.{key}: {sa.get(key)!r} -> {sb.get(key)!r}")  # type: ignore[union-attr]
        elif a[name] != b[name]:
            diffs.append(f"{name}: {a[name]!r} -> {b[name]!r}")
    return diffs


def check_endpoint(base_url: str | None, timeout: float = 5.0) -> None:
    """Fail fast, before any case, when an OpenAI-compatible server cannot be reached at all."""
    if not base_url:
        return
    parts = urlsplit(base_url)
    if not parts.hostname:
        raise EventsumError(f"--base-url {redact_url(base_url)!r} names no host")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        socket.create_connection((parts.hostname, port), timeout=timeout).close()
    except OSError as err:
        raise EventsumError(f"cannot reach {redact_url(base_url)}: {err.strerror or err}; "
                            "is the server running?") from None


def start_run(spec: SuiteRun) -> RunManifest:
    """Create or reopen the run directory and lock it; refuse to mix runs or configurations."""
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
        diffs = config_differences(old, manifest)
        if diffs:
            raise EventsumError(f"{spec.out}: cannot resume: the run's configuration changed ({'; '.join(diffs)}). "
                                "Start a new run with another --out, or resume with the original options")
        manifest = manifest.model_copy(update={"started_at": old.started_at})
    RunLock(spec.out).acquire()
    try:
        if spec.options.model.startswith("openai") and manifest.model != "none":
            check_endpoint(spec.options.base_url)
        write_json_atomic(spec.out / MANIFEST, manifest.model_dump_json(indent=2))
    except BaseException:
        RunLock(spec.out).release()
        raise
    return manifest


def cancel_calls_in_flight() -> None:
    """Ctrl-C: stop retry waits and abort HTTP calls, so the run ends within seconds."""
    from summarizer.backends.openai_compat import close_all_clients
    from summarizer.backends.transport import CANCELLED

    CANCELLED.set()
    close_all_clients()


async def execute(spec: SuiteRun, on_progress: Callable[[RunProgress], None] | None = None) -> RunProgress:
    """Run every unfinished (case, sample) on a bounded pool of workers."""
    score = scorer_of(spec)  # fails before any model call on a bad scorer name
    done = finished_keys(spec.out, keep_errors=spec.keep_errors) if spec.resume else set()
    dirs = spec.case_dirs()
    todo = ((d, s) for d in dirs for s in range(spec.samples) if (d.name, s) not in done)
    progress = RunProgress(done=len(done), total=len(dirs) * spec.samples)
    systems: dict[int, Summarizer] = {}
    writer = RecordWriter(spec.out / RESULTS)
    queue: asyncio.Queue[tuple[Path, int] | None] = asyncio.Queue(maxsize=spec.concurrency * 2)
    # Our own pool, sized to --concurrency: asyncio's default one has min(32, cores + 4) threads.
    pool = ThreadPoolExecutor(max_workers=spec.concurrency, thread_name_prefix="eventsum-case")
    loop = asyncio.get_running_loop()
    started_ok = False
    early_errors = 0
    stop = asyncio.Event()

    async def produce() -> None:
        for item in todo:
            if stop.is_set():
                break
            await queue.put(item)
        for _ in range(spec.concurrency):
            await queue.put(None)

    async def work() -> None:
        nonlocal started_ok, early_errors
        while (item := await queue.get()) is not None:
            if stop.is_set():
                continue
            case_dir, sample = item
            if sample not in systems:
                systems[sample] = get_system(spec.system, _sample_options(spec.options, sample))
            record = await loop.run_in_executor(pool, summarize_and_score, case_dir, sample, systems[sample], score)
            writer.write(record)
            progress.done += 1
            failed = record.card.error is not None
            progress.errors += failed
            progress.tokens += record.input_tokens + record.output_tokens
            if failed:
                progress.failures.append(f"{record.case_id}#{record.sample}: {record.error or record.card.error}")
            if not failed:
                started_ok = True
            elif not started_ok:
                early_errors += 1
            if failed and spec.fail_fast and not stop.is_set():
                progress.stopped = f"--fail-fast: {record.case_id} ended in error"
                stop.set()
            elif early_errors >= EARLY_STOP_AFTER and not started_ok and not stop.is_set():
                progress.stopped = (f"the first {early_errors} cases all ended in error; stopping early "
                                    f"(last: {record.error or record.card.error})")
                stop.set()
            if on_progress:
                on_progress(progress)

    try:
        await asyncio.gather(produce(), *(work() for _ in range(spec.concurrency)))
    except asyncio.CancelledError:
        cancel_calls_in_flight()
        raise
    finally:
        writer.close()
        pool.shutdown(wait=False, cancel_futures=True)
    return progress


def finish_run(run_dir: Path, status: Literal["finished", "interrupted"]) -> RunManifest:
    """Stamp the manifest with the end time and status, and release the run lock."""
    manifest = load_manifest(run_dir).model_copy(update={"finished_at": _now(), "status": status})
    write_json_atomic(run_dir / MANIFEST, manifest.model_dump_json(indent=2))
    RunLock(run_dir).release()
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
