"""Progress of `eval run` on stderr: a live bar on a terminal, a plain line every few seconds elsewhere.

A CI log or a pipe cannot show a bar, and rich prints nothing there until the end; a plain line
on a timer tells the reader the run is alive and how far it got.
"""

from __future__ import annotations

import os
import threading
import time
from types import TracebackType
from typing import Protocol

from pydantic import BaseModel
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

PROGRESS_ENV = "EVENTSUM_PROGRESS_SECONDS"
DEFAULT_INTERVAL_S = 5.0


class Snapshot(BaseModel):
    """What a progress display shows; evals' RunProgress has these fields."""

    done: int = 0
    total: int = 0
    errors: int = 0
    tokens: int = 0


class Shown(Protocol):
    done: int
    total: int
    errors: int
    tokens: int


def interval_s() -> float:
    """Seconds between plain progress lines: `$EVENTSUM_PROGRESS_SECONDS`, default 5."""
    try:
        return max(0.05, float(os.environ.get(PROGRESS_ENV, DEFAULT_INTERVAL_S)))
    except ValueError:
        return DEFAULT_INTERVAL_S


class PlainProgress:
    """`LABEL: 2/30 done, 0 errors, 1,234 tokens, 42 s` on stderr at start, every interval, and at the end."""

    def __init__(self, label: str, console: Console, every_s: float) -> None:
        self.label, self.console, self.every_s = label, console, every_s
        self.state = Snapshot()
        self._started = time.monotonic()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._tick, name="eventsum-progress", daemon=True)

    def line(self) -> str:
        s = self.state
        done = f"{s.done}/{s.total} done" if s.total else f"{s.done} done"  # the total comes with the first case
        return (f"{self.label}: {done}, {s.errors} error(s), {s.tokens:,} tokens, "
                f"{time.monotonic() - self._started:.0f} s")

    def _print(self) -> None:
        self.console.print(self.line(), markup=False, highlight=False, soft_wrap=True)

    def _tick(self) -> None:
        while not self._stop.wait(self.every_s):
            self._print()

    def update(self, p: Shown) -> None:
        self.state = Snapshot(done=p.done, total=p.total, errors=p.errors, tokens=p.tokens)

    def __enter__(self) -> PlainProgress:
        self._print()
        self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self._stop.set()
        self._thread.join(timeout=1)
        if kind is None:
            self._print()


class BarProgress:
    """rich's live bar, for a terminal."""

    def __init__(self, label: str, console: Console) -> None:
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TextColumn("errors {task.fields[errors]} · tokens {task.fields[tokens]}"), TimeElapsedColumn())
        self._bar = Progress(*columns, console=console, transient=False)
        self._task = self._bar.add_task(label, total=None, errors=0, tokens=0)

    def update(self, p: Shown) -> None:
        self._bar.update(self._task, completed=p.done, total=p.total, errors=p.errors, tokens=p.tokens)

    def __enter__(self) -> BarProgress:
        self._bar.__enter__()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self._bar.__exit__(kind, exc, tb)


def run_progress(label: str, console: Console) -> PlainProgress | BarProgress:
    """The display that fits where stderr goes."""
    return BarProgress(label, console) if console.is_terminal else PlainProgress(label, console, interval_s())
