"""One run at a time per run directory: RUN_DIR/run.lock holds the pid of the run writing it."""

from __future__ import annotations

import os
from pathlib import Path

from summarizer.errors import EventsumError

LOCK = "run.lock"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class RunLock:
    """Taken with O_EXCL; a lock left by a dead process is taken over."""

    def __init__(self, run_dir: Path) -> None:
        self.path = run_dir / LOCK

    def acquire(self) -> None:
        for _ in range(3):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                try:
                    pid = int(self.path.read_text().strip() or "0")
                except (OSError, ValueError):
                    pid = 0
                if pid and pid != os.getpid() and _alive(pid):
                    raise EventsumError(f"{self.path.parent}: another run (pid {pid}) is writing to it; "
                                        f"wait for it, or use another --out") from None
                self.path.unlink(missing_ok=True)  # stale: its holder is gone
                continue
            with os.fdopen(fd, "w") as fh:
                fh.write(f"{os.getpid()}\n")
            return
        raise EventsumError(f"{self.path}: cannot take the run lock")

    def release(self) -> None:
        try:
            if int(self.path.read_text().strip() or "0") == os.getpid():
                self.path.unlink()
        except (OSError, ValueError):
            pass


def lock_holder(run_dir: Path) -> int | None:
    """The pid of the live process writing to `run_dir`, if one is."""
    try:
        pid = int((run_dir / LOCK).read_text().strip() or "0")
    except (OSError, ValueError):
        return None
    return pid if pid and _alive(pid) else None
