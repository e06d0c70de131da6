"""Loading sources and cases: one article per file, the file stem is the source id.

Sources are untrusted input. A source id ends up inside prompt fences and
Markdown, so it must match a safe character set; a symlink or special file
could pull in text from outside the suite, so only regular files are read;
and size limits stop a huge case before it costs gigabytes of memory.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from summarizer.errors import InputError

SOURCES_DIR = "sources"
# Letters, digits, dot, underscore, hyphen; not starting with a dot (no hidden files, no "..").
SOURCE_ID = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}")
# Limits stay well inside 2 GB of memory and 2 minutes on 2 cores; raise them with EVENTSUM_MAX_* or --max-*.
DEFAULT_MAX_SOURCES = 200
DEFAULT_MAX_SOURCE_BYTES = 512 * 1024
DEFAULT_MAX_CASE_BYTES = 1024 * 1024
# `suites validate` warns about a source or case above this share of a limit.
NEAR_LIMIT = 0.8


class SourceLimits(BaseModel):
    """How much input one case may have: sources, bytes per source, bytes in all."""

    max_sources: int = Field(DEFAULT_MAX_SOURCES, ge=1, description="sources per case (EVENTSUM_MAX_SOURCES)")
    max_source_bytes: int = Field(DEFAULT_MAX_SOURCE_BYTES, ge=1,
                                  description="bytes per source (EVENTSUM_MAX_SOURCE_BYTES)")
    max_case_bytes: int = Field(DEFAULT_MAX_CASE_BYTES, ge=1, description="bytes per case (EVENTSUM_MAX_CASE_BYTES)")

    @classmethod
    def from_env(cls, **overrides: int | None) -> SourceLimits:
        """Defaults, then EVENTSUM_MAX_SOURCES / _SOURCE_BYTES / _CASE_BYTES, then explicit overrides."""
        values: dict[str, int] = {}
        for name in cls.model_fields:
            env = os.environ.get(f"EVENTSUM_{name.upper()}")
            if env:
                try:
                    values[name] = int(env)
                except ValueError:
                    raise InputError(f"EVENTSUM_{name.upper()}", f"not a whole number: {env!r}") from None
            if overrides.get(name) is not None:
                values[name] = int(overrides[name])  # type: ignore[arg-type]
        try:
            return cls(**values)
        except ValidationError as err:
            raise InputError("limits", "; ".join(f"{e['loc'][0]}: {e['msg']}" for e in err.errors())) from None

    def describe(self) -> str:
        return (f"at most {self.max_sources} sources, {self.max_source_bytes} bytes per source, "
                f"{self.max_case_bytes} bytes per case")


class Source(BaseModel):
    """One article, exactly as published (UTF-8 text)."""

    model_config = ConfigDict(frozen=True)

    id: str
    path: str
    text: str


class CaseSources(BaseModel):
    """The articles of one case, in file-name order."""

    case_id: str
    path: str
    sources: list[Source]

    def by_id(self) -> dict[str, Source]:
        return {s.id: s for s in self.sources}


def check_source_id(path: Path) -> str:
    """The file stem as a source id, or an error naming the file: nothing is renamed silently."""
    sid = path.stem
    if not SOURCE_ID.fullmatch(sid):
        raise InputError(path, f"source id {sid!r} (the file stem) may only use letters, digits, '.', '_' and '-', "
                               "must not start with '.', and is at most 128 characters; rename the file")
    return sid


def _regular_file(path: Path) -> os.stat_result:
    """lstat the path: a symlink or special file (FIFO, device, socket) is an error naming it."""
    try:
        st = path.lstat()
    except FileNotFoundError:
        raise InputError(path, "no such article file or case directory") from None
    if stat.S_ISLNK(st.st_mode):
        raise InputError(path, f"is a symlink (to {os.readlink(path)!r}); sources must be regular files")
    if not stat.S_ISREG(st.st_mode):
        raise InputError(path, "is not a regular file (a FIFO, device, socket or directory); sources must be "
                               "regular files")
    return st


def load_source(path: Path, limits: SourceLimits | None = None) -> Source:
    """Read one article; non-UTF-8 bytes, a bad id, a symlink or an oversized file is an error naming the file."""
    limits = limits or SourceLimits.from_env()
    sid = check_source_id(path)
    st = _regular_file(path)
    if st.st_size > limits.max_source_bytes:
        raise InputError(path, f"{st.st_size} bytes is over the limit of {limits.max_source_bytes} bytes per source "
                               "(raise it with --max-source-bytes or EVENTSUM_MAX_SOURCE_BYTES)")
    # O_NOFOLLOW: the file cannot be swapped for a symlink between the check and the read.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(fd, "rb") as fh:
        raw = fh.read(limits.max_source_bytes + 1)
    if len(raw) > limits.max_source_bytes:
        raise InputError(path, f"over the limit of {limits.max_source_bytes} bytes per source "
                               "(raise it with --max-source-bytes or EVENTSUM_MAX_SOURCE_BYTES)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputError(path, f"not UTF-8 text (byte {err.start}: {raw[err.start:err.start + 1]!r})") from None
    if not text.strip():
        raise InputError(path, "the article is empty")
    return Source(id=sid, path=str(path), text=text)


def _check_case(where: Path, paths: list[Path], limits: SourceLimits) -> None:
    """Refuse a case with too many sources or too many bytes before reading any of it."""
    if len(paths) > limits.max_sources:
        raise InputError(where, f"{len(paths)} sources is over the limit of {limits.max_sources} sources per case "
                                "(raise it with --max-sources or EVENTSUM_MAX_SOURCES)")
    sizes = [(p, _regular_file(p).st_size) for p in paths]
    for p, size in sizes:
        if size > limits.max_source_bytes:
            raise InputError(p, f"{size} bytes is over the limit of {limits.max_source_bytes} bytes per source "
                                "(raise it with --max-source-bytes or EVENTSUM_MAX_SOURCE_BYTES)")
    total = sum(size for _, size in sizes)
    if total > limits.max_case_bytes:
        raise InputError(where, f"{total} bytes of sources is over the limit of {limits.max_case_bytes} bytes per "
                                "case (raise it with --max-case-bytes or EVENTSUM_MAX_CASE_BYTES)")


def load_case_sources(case_dir: Path, limits: SourceLimits | None = None) -> CaseSources:
    """Load CASE_DIR/sources/*.txt; a missing or empty sources/ folder, a symlink or a limit is an error."""
    limits = limits or SourceLimits.from_env()
    folder = case_dir / SOURCES_DIR
    if folder.is_symlink():
        raise InputError(folder, "is a symlink; the sources/ folder must be a real directory inside the suite")
    if not folder.is_dir():
        raise InputError(case_dir, "missing sources/ folder", field="sources/")
    files = sorted(p for p in folder.iterdir() if p.suffix == ".txt")
    if not files:
        raise InputError(folder, "no .txt articles in sources/", field="sources/")
    _check_case(case_dir, files, limits)
    return CaseSources(case_id=case_dir.name, path=str(case_dir),
                       sources=[load_source(p, limits) for p in files])


def load_articles(paths: list[Path], limits: SourceLimits | None = None) -> CaseSources:
    """Load a case directory, or a list of article files as one ad-hoc case."""
    limits = limits or SourceLimits.from_env()
    if len(paths) == 1 and paths[0].is_dir() and not paths[0].is_symlink():
        return load_case_sources(paths[0], limits)
    _check_case(paths[0], paths, limits)
    sources = [load_source(p, limits) for p in paths]
    ids = [s.id for s in sources]
    if len(set(ids)) != len(ids):
        raise InputError(paths[0], f"two articles share a file stem (source id): {ids}")
    return CaseSources(case_id="adhoc", path=str(paths[0].parent), sources=sources)


def near_limits(case: CaseSources, limits: SourceLimits) -> list[str]:
    """Warnings for a case whose sources, or whose size, are near a limit (for `suites validate`)."""
    out = []
    sizes = {s.id: len(s.text.encode("utf-8")) for s in case.sources}
    if len(sizes) >= NEAR_LIMIT * limits.max_sources:
        out.append(f"{len(sizes)} sources, near the limit of {limits.max_sources}")
    for sid, n in sizes.items():
        if n >= NEAR_LIMIT * limits.max_source_bytes:
            out.append(f"source {sid}: {n} bytes, near the limit of {limits.max_source_bytes} per source")
    if sum(sizes.values()) >= NEAR_LIMIT * limits.max_case_bytes:
        out.append(f"{sum(sizes.values())} bytes in all, near the limit of {limits.max_case_bytes} per case")
    return out
