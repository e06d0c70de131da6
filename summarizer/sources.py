"""Loading sources and cases: one article per file, the file stem is the source id."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict

from summarizer.errors import InputError

SOURCES_DIR = "sources"


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


def load_source(path: Path) -> Source:
    """Read one article; non-UTF-8 bytes are an error naming the file and byte offset."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputError(path, f"not UTF-8 text (byte {err.start}: {raw[err.start:err.start + 1]!r})") from None
    if not text.strip():
        raise InputError(path, "the article is empty")
    return Source(id=path.stem, path=str(path), text=text)


def load_case_sources(case_dir: Path) -> CaseSources:
    """Load CASE_DIR/sources/*.txt; a missing or empty sources/ folder is an error."""
    folder = case_dir / SOURCES_DIR
    if not folder.is_dir():
        raise InputError(case_dir, "missing sources/ folder", field="sources/")
    files = sorted(p for p in folder.iterdir() if p.suffix == ".txt" and p.is_file())
    if not files:
        raise InputError(folder, "no .txt articles in sources/", field="sources/")
    return CaseSources(case_id=case_dir.name, path=str(case_dir), sources=[load_source(p) for p in files])


def load_articles(paths: list[Path]) -> CaseSources:
    """Load a case directory, or a list of article files as one ad-hoc case."""
    if len(paths) == 1 and paths[0].is_dir():
        return load_case_sources(paths[0])
    for p in paths:
        if not p.is_file():
            raise InputError(p, "no such article file or case directory")
    sources = [load_source(p) for p in paths]
    ids = [s.id for s in sources]
    if len(set(ids)) != len(ids):
        raise InputError(paths[0], f"two articles share a file stem (source id): {ids}")
    return CaseSources(case_id="adhoc", path=str(paths[0].parent), sources=sources)
