"""Errors that name the file, field or line they come from."""

from __future__ import annotations

from pathlib import Path


class EventsumError(Exception):
    """Base for every error eventsum reports to a user."""


class InputError(EventsumError):
    """Bad input: names the file and, where known, the field or line."""

    def __init__(self, path: Path | str, message: str, field: str | None = None) -> None:
        self.path = str(path)
        self.field = field
        self.message = message
        where = f"{self.path}: {field}" if field else self.path
        super().__init__(f"{where}: {message}")
