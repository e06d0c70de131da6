"""Scoring a JSON Lines file of summaries written elsewhere."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from evals.scorer import ScoreCard, ScoreFn
from evals.suite import load_suite


class ScoredFile(BaseModel):
    cards: list[ScoreCard]
    errors: list[str]

    def means(self) -> dict[str, dict[str, float | None]]:
        """Mean of each metric per system, over the cards that were scored."""
        by_system: dict[str, list[ScoreCard]] = defaultdict(list)
        for c in self.cards:
            if c.metrics:
                by_system[c.system].append(c)
        out: dict[str, dict[str, float | None]] = {}
        for system, cards in by_system.items():
            conflict = [c.metrics.conflict for c in cards if c.metrics and c.metrics.conflict is not None]
            out[system] = {
                "coverage": sum(c.metrics.coverage for c in cards if c.metrics) / len(cards),
                "hallucination": sum(c.metrics.hallucination for c in cards if c.metrics) / len(cards),
                "conflict": sum(conflict) / len(conflict) if conflict else None,
            }
        return out


def _line_error(n: int, message: str) -> ScoreCard:
    """The card of a line that holds no readable summary: no case, no system, the line number in the error."""
    return ScoreCard(case_id="", system="", error=f"line {n}: {message}")


def score_file(suite: Path, summaries: Path, score: ScoreFn) -> ScoredFile:
    """One card per non-blank line: a line that is not JSON, names an unknown case or cannot be parsed is an error card."""
    loaded = load_suite(suite)
    cases = {c.id: c for c in loaded.cases}
    cards: list[ScoreCard] = []
    errors = [str(e) for e in loaded.errors]
    with summaries.open("rb") as fh:
        for n, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            try:
                row: dict[str, Any] = json.loads(raw.decode("utf-8"))
            except UnicodeDecodeError as err:
                cards.append(_line_error(n, f"not UTF-8 text (byte {err.start})"))
                continue
            except json.JSONDecodeError as err:
                cards.append(_line_error(n, f"invalid JSON: {err.msg} (column {err.colno})"))
                continue
            except RecursionError:
                cards.append(_line_error(n, "JSON nested too deeply"))
                continue
            if not isinstance(row, dict):
                cards.append(_line_error(n, f"expected a JSON object, got {type(row).__name__}"))
                continue
            case_id, system = str(row.get("case_id", "")), str(row.get("system", ""))
            if case_id not in cases:
                cards.append(ScoreCard(case_id=case_id, system=system, error=f"line {n}: unknown case_id {case_id!r}"))
                continue
            if "summary" not in row:
                cards.append(ScoreCard(case_id=case_id, system=system, error=f"line {n}: no 'summary' field"))
                continue
            try:
                cards.append(score(cases[case_id], row["summary"], system))
            except Exception as err:  # noqa: BLE001 - one bad line must not stop the file
                cards.append(ScoreCard(case_id=case_id, system=system,
                                       error=f"line {n}: cannot be scored: {type(err).__name__}: {err}"[:500]))
    return ScoredFile(cards=cards, errors=errors)
