"""A suite: a directory of cases, each `CASE/sources/*.txt` plus `CASE/gold.json`.

Loading never stops at the first problem: one pass over each case collects every
error (sources, schema, gold against the text) with the file and field it concerns,
and the good cases load.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from evals.gold import GOLD_FILE, Gold, GoldCheck, check_gold
from evals.matching import matches, unmatched_groups
from summarizer.cleaning import clean_text
from summarizer.crosssource.injection import is_injection
from summarizer.errors import InputError
from summarizer.sentences import source_sentences
from summarizer.sources import SOURCES_DIR, CaseSources, SourceLimits, load_case_sources, load_source


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
    warnings: list[InputError] = []

    @property
    def ok(self) -> bool:
        return not self.errors


def case_dirs(suite: Path) -> list[Path]:
    """The case directories of a suite: subfolders with a sources/ folder or a gold.json."""
    if not suite.is_dir():
        raise InputError(suite, "no such suite directory")
    return sorted(d for d in suite.iterdir()
                  if d.is_dir() and ((d / SOURCES_DIR).exists() or (d / GOLD_FILE).exists()))


def check_gold_against_sources(check: GoldCheck, sources: CaseSources, gold_path: Path) -> list[InputError]:
    """Every valid fact and conflict side must match, group by group, in the news text of each source it cites.

    Boilerplate does not count: a fact only a donation appeal supports is a gold error.
    """
    texts = {s.id: clean_text(s).text for s in sources.sources}
    errors: list[InputError] = []
    items = [(f"facts[{i}] ({f.id})", f.sources, f.match) for i, f in check.facts.items()]
    for ci, c in check.conflicts.items():
        items += [(f"conflicts[{ci}].sides[{si}] ({c.id})", s.sources, s.match) for si, s in enumerate(c.sides)]
    for where, source_ids, groups in items:
        for sid in source_ids:
            if sid not in texts:
                continue
            for gi in unmatched_groups(groups, texts[sid]):
                errors.append(InputError(gold_path, f"no alternative of group {gi} {groups[gi]} occurs in source {sid}",
                                         field=f"{where}.match"))
    return errors


def trap_warnings(check: GoldCheck, sources: CaseSources, gold_path: Path) -> list[InputError]:
    """A trap that matches a news sentence of a source some gold fact cites would flag a faithful summary.

    Text addressed to summarizers is left out: a trap built from an injected instruction matches it on purpose.
    """
    cited = {sid for f in check.facts.values() for sid in f.sources}
    warnings: list[InputError] = []
    for source in sources.sources:
        if source.id not in cited or not check.traps:
            continue
        for sentence in source_sentences(clean_text(source)):
            if is_injection(sentence.text):
                continue
            for ti, trap in check.traps.items():
                if not matches(trap.match, sentence.text):
                    continue
                stated = [f.id for f in check.facts.values() if source.id in f.sources and matches(f.match, sentence.text)]
                also = f" (it states {', '.join(stated)})" if stated else ""
                warnings.append(InputError(gold_path, f"matches a news sentence of source {source.id}{also}: "
                                                      f"{_quote(sentence.text)}", field=f"traps[{ti}] ({trap.id})"))
    return warnings


def _quote(text: str, limit: int = 140) -> str:
    return repr(text if len(text) <= limit else text[:limit - 3] + "...")


def _sources_one_by_one(case_dir: Path, limits: SourceLimits, first: InputError) -> tuple[CaseSources | None, list[InputError]]:
    """After a source error, read every other article so that one bad file hides no other problem.

    A case over the count or byte limit is not read at all.
    """
    folder = case_dir / SOURCES_DIR
    if folder.is_symlink() or not folder.is_dir():
        return None, [first]
    files = sorted(p for p in folder.iterdir() if p.suffix == ".txt")
    if not files or len(files) > limits.max_sources:
        return None, [first]
    sizes = [p.lstat().st_size for p in files if p.is_file() and not p.is_symlink()]
    if sum(sizes) > limits.max_case_bytes:
        return None, [first]
    good, errors = [], []
    for p in files:
        try:
            good.append(load_source(p, limits))
        except InputError as err:
            errors.append(err)
    if not errors:
        return None, [first]
    return CaseSources(case_id=case_dir.name, path=str(case_dir), sources=good), errors


class CaseCheck(BaseModel):
    """Everything one pass over a case found: the case when it is valid, every error and every warning."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    case: Case | None
    errors: list[InputError]
    warnings: list[InputError] = []


def check_case(case_dir: Path, limits: SourceLimits | None = None, *, warn: bool = False) -> CaseCheck:
    """Check a case's sources, its gold's schema and its gold against the text, all in one pass."""
    limits = limits or SourceLimits.from_env()
    errors: list[InputError] = []
    try:
        sources: CaseSources | None = load_case_sources(case_dir, limits)
    except InputError as err:
        sources, errors = _sources_one_by_one(case_dir, limits, err)
    folder = case_dir / SOURCES_DIR
    # Every article file's stem is a known id, loadable or not: a bad file is its own error, not the gold's.
    known = {p.stem for p in folder.iterdir() if p.suffix == ".txt"} if folder.is_dir() and not folder.is_symlink() else None
    gold_path = case_dir / GOLD_FILE
    check = check_gold(gold_path, known)
    errors += check.errors
    warnings: list[InputError] = []
    if sources is not None:
        errors += check_gold_against_sources(check, sources, gold_path)
        if warn:
            warnings = trap_warnings(check, sources, gold_path)
    if errors or sources is None or check.gold is None:
        return CaseCheck(case=None, errors=errors, warnings=warnings)
    return CaseCheck(case=Case(id=case_dir.name, path=str(case_dir), sources=sources, gold=check.gold), errors=[],
                     warnings=warnings)


def load_case(case_dir: Path, limits: SourceLimits | None = None) -> tuple[Case | None, list[InputError]]:
    """A valid case, or None and every problem found."""
    result = check_case(case_dir, limits)
    return result.case, result.errors


def load_suite(suite: Path, limits: SourceLimits | None = None, *, warn: bool = False) -> SuiteLoad:
    """Load every case; broken ones become errors, the rest load. `limits` default: SourceLimits.from_env().

    With `warn`, also checks every trap against the news text (slower: it splits every source into sentences).
    """
    dirs = case_dirs(suite)
    cases: list[Case] = []
    errors: list[InputError] = []
    warnings: list[InputError] = []
    if not dirs:
        errors.append(InputError(suite, "no cases (expected CASE/sources/*.txt and CASE/gold.json)"))
    for d in dirs:
        result = check_case(d, limits, warn=warn)
        errors += result.errors
        warnings += result.warnings
        if result.case is not None:
            cases.append(result.case)
    return SuiteLoad(path=str(suite), cases=cases, errors=errors, warnings=warnings)


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
