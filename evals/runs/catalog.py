"""Past runs under a folder, read from their manifests and summaries: for `eventsum runs list`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from evals.runs.execute import MANIFEST, SUMMARY, load_manifest
from evals.runs.lock import lock_holder
from evals.summary import METRICS
from summarizer.errors import EventsumError, InputError


class RunListing(BaseModel):
    """One run directory, as `runs list` shows it."""

    run: str
    suite: str
    system: str
    model: str
    scorer: str
    status: str = Field(description="finished | interrupted | running | stopped (its process is gone)")
    cases: int = Field(description="cases the run was asked to do")
    summaries: int | None = Field(None, description="records in summary.json; None before it is written")
    errors: int | None = None
    started_at: str
    means: dict[str, float | None] = Field(default_factory=dict, description="suite means from summary.json")


def _listing(run_dir: Path) -> RunListing:
    manifest = load_manifest(run_dir)
    status = manifest.status
    if status == "running" and lock_holder(run_dir) is None:
        status = "stopped"  # killed: nobody finished it (eventsum eval run --resume continues it)
    summary: dict[str, Any] | None = None
    if (run_dir / SUMMARY).is_file():
        try:  # read as plain JSON: a mean over no case is stored as null
            summary = json.loads((run_dir / SUMMARY).read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError):
            summary = None
    if not isinstance(summary, dict):
        summary = None
    metrics = summary.get("metrics", {}) if summary else {}
    means = {m: metrics[m].get("mean") for m in METRICS if isinstance(metrics.get(m), dict)}
    return RunListing(run=str(run_dir), suite=manifest.suite, system=manifest.system, model=manifest.model,
                      scorer=manifest.scorer, status=status, cases=manifest.cases,
                      summaries=summary.get("records") if summary else None,
                      errors=summary.get("errors") if summary else None,
                      started_at=manifest.started_at, means=means)


def list_runs(root: Path) -> tuple[list[RunListing], list[str]]:
    """Every run directory under `root` (or `root` itself), oldest first, and a problem per unreadable one."""
    if not root.is_dir():
        raise InputError(root, "no such folder of runs")
    manifests = [root / MANIFEST] if (root / MANIFEST).is_file() else sorted(root.rglob(MANIFEST))
    runs, problems = [], []
    for path in manifests:
        try:
            runs.append(_listing(path.parent))
        except EventsumError as err:
            problems.append(str(err))
    return sorted(runs, key=lambda r: (r.started_at, r.run)), problems
