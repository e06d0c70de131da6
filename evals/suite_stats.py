"""What a suite holds, case by case: for `eventsum suites stats` and the README's suite tables."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from pydantic import BaseModel

from evals.meta import LABELS_DIR
from evals.suite import load_suite


class CaseRow(BaseModel):
    case: str
    sources: int
    words: int
    facts: int
    conflicts: str
    non_conflicts: int
    traps: int
    labelled: int


def _kinds(counter: Counter[str]) -> str:
    total = sum(counter.values())
    if not total:
        return "0"
    return f"{total} ({', '.join(f'{k} {n}' if n > 1 else k for k, n in sorted(counter.items()))})"


def suite_table(suite: Path) -> tuple[list[CaseRow], CaseRow]:
    loaded = load_suite(suite)
    labels_dir = suite / LABELS_DIR
    rows = []
    all_kinds: Counter[str] = Counter()
    for case in loaded.cases:
        kinds = Counter(c.kind or "other" for c in case.gold.conflicts)
        all_kinds += kinds
        label_file = labels_dir / f"{case.id}.jsonl"
        labelled = sum(1 for line in label_file.read_text(encoding="utf-8").splitlines() if line.strip()) \
            if label_file.exists() else 0
        rows.append(CaseRow(case=case.id, sources=len(case.sources.sources),
                            words=sum(len(s.text.split()) for s in case.sources.sources), facts=len(case.gold.facts),
                            conflicts=_kinds(kinds), non_conflicts=len(case.gold.non_conflicts),
                            traps=len(case.gold.traps), labelled=labelled))
    total = CaseRow(case=f"{len(rows)} case" + ("" if len(rows) == 1 else "s"), sources=sum(r.sources for r in rows), words=sum(r.words for r in rows),
                    facts=sum(r.facts for r in rows), conflicts=_kinds(all_kinds),
                    non_conflicts=sum(r.non_conflicts for r in rows), traps=sum(r.traps for r in rows),
                    labelled=sum(r.labelled for r in rows))
    return rows, total
