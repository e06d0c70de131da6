"""A suite: a directory of cases, each `CASE/sources/*.txt` plus `CASE/gold.json`.

Loading never stops at the first broken case: every problem is collected
with the file and field it concerns, and the good cases load.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from evals.gold import GOLD_FILE, Gold, gold_errors
from evals.matching import unmatched_groups
from summarizer.cleaning import clean_text
from summarizer.errors import InputError
from summarizer.sources import SOURCES_DIR, CaseSources, SourceLimits, load_case_sources


class Case(BaseModel):
    """One event: its articles and its gold."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    id: str
    path: str
    sources: CaseSources
    gold: Gold

    def source_text(self, source_id: str) -> str:
        return self.sources.by_id()[source_id].text


class SuiteLoad(BaseModel):
    """What loading a suite found: the good cases and every problem."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    path: str
    cases: list[Case]
    errors: list[InputError]

    @property
    def ok(self) -> bool:
        return not self.errors


def case_dirs(suite: Path) -> list[Path]:
    """The case directories of a suite: subfolders with a sources/ folder or a gold.json."""
    if not suite.is_dir():
        raise InputError(suite, "no such suite directory")
    return sorted(d for d in suite.iterdir()
                  if d.is_dir() and ((d / SOURCES_DIR).exists() or (d / GOLD_FILE).exists()))


def check_gold_against_sources(gold: Gold, sources: CaseSources, gold_path: Path) -> list[InputError]:
    """Every fact and conflict side must match, group by group, in the news text of each source it cites.

    Boilerplate does not count: a fact only a donation appeal supports is a gold error.
    """
    texts = {s.id: clean_text(s).text for s in sources.sources}
    errors: list[InputError] = []
    items = [(f"facts[{i}] ({f.id})", f.sources, f.match) for i, f in enumerate(gold.facts)]
    for ci, c in enumerate(gold.conflicts):
        items += [(f"conflicts[{ci}].sides[{si}] ({c.id})", s.sources, s.match) for si, s in enumerate(c.sides)]
    for where, source_ids, groups in items:
        for sid in source_ids:
            if sid not in texts:
                continue
            for gi in unmatched_groups(groups, texts[sid]):
                errors.append(InputError(gold_path, f"no alternative of group {gi} {groups[gi]} occurs in source {sid}",
                                         field=f"{where}.match"))
    return errors


def load_case(case_dir: Path, limits: SourceLimits | None = None) -> tuple[Case | None, list[InputError]]:
    try:
        sources = load_case_sources(case_dir, limits)
    except InputError as err:
        return None, [err]
    gold_path = case_dir / GOLD_FILE
    gold, errors = gold_errors(gold_path, {s.id for s in sources.sources})
    if gold is None:
        return None, errors
    errors += check_gold_against_sources(gold, sources, gold_path)
    if errors:
        return None, errors
    return Case(id=case_dir.name, path=str(case_dir), sources=sources, gold=gold), []


def load_suite(suite: Path, limits: SourceLimits | None = None) -> SuiteLoad:
    """Load every case; broken ones become errors, the rest load. `limits` default: SourceLimits.from_env()."""
    dirs = case_dirs(suite)
    cases: list[Case] = []
    errors: list[InputError] = []
    if not dirs:
        errors.append(InputError(suite, "no cases (expected CASE/sources/*.txt and CASE/gold.json)"))
    for d in dirs:
        case, errs = load_case(d, limits)
        errors += errs
        if case is not None:
            cases.append(case)
    return SuiteLoad(path=str(suite), cases=cases, errors=errors)


def iter_suite_files(suite: Path) -> Iterator[Path]:
    for d in case_dirs(suite):
        yield from sorted(p for p in d.rglob("*") if p.is_file() and (p.name == GOLD_FILE or p.parent.name == SOURCES_DIR))


def suite_hash(suite: Path) -> str:
    """Content hash of a suite's sources and gold (file names and bytes)."""
    h = hashlib.sha256()
    for p in iter_suite_files(suite):
        h.update(str(p.relative_to(suite)).encode())
        h.update(b"\0")
        h.update(p.read_bytes())
    return h.hexdigest()[:16]
