"""Shorthand names and clock times, summaries counting their sources, and bracketed source
references the ids do not cover: each supported when the sources back it, flagged when not."""

from pathlib import Path

import pytest

from evals.scorer import score_deterministic
from evals.suite import Case, load_suite

NEWSROOM = Path(__file__).resolve().parent.parent / "evals/suites/newsroom"


@pytest.fixture(scope="module")
def cases() -> dict[str, Case]:
    return {c.id: c for c in load_suite(NEWSROOM).cases}


def _reasons(case: Case, text: str) -> list[str]:
    [v] = score_deterministic(case, text).hallucination.verdicts
    return v.reasons


@pytest.mark.parametrize(("case_id", "text"), [
    ("22-drought-crop-losses", "Vic Govt unveiled a drought PKG."),  # Victoria, Government, package
    ("29-earthquake-three-tolls", "The quake struck at 22:26 GMT."),  # "2226 GMT" in the wire
    ("29-earthquake-three-tolls", "The quake struck at 03:26 local time."),  # "3:26 a.m."
    ("29-earthquake-three-tolls", "The quake struck at 10:26pm GMT."),  # 22:26 in 12-hour time
    ("22-drought-crop-losses", "The driest Apr-Oct period, with a mid-Oct heatwave."),
    ("29-earthquake-three-tolls", "The three reports give different tolls."),
    ("02-river-flood-evacuation", "Wall breach: Millbank (wire, bcast) vs Coldharbour (Gazette)."),
])
def test_supported_shorthand_and_references(cases: dict[str, Case], case_id: str, text: str) -> None:
    assert _reasons(cases[case_id], text) == []


@pytest.mark.parametrize(("case_id", "text", "reason"), [
    ("22-drought-crop-losses", "Qld Govt unveiled a drought PKG.", "name 'Qld'"),
    ("29-earthquake-three-tolls", "The quake struck at 23:26 GMT.", "number '23:26'"),
    ("29-earthquake-three-tolls", "Rescuers reached 97 villages.", "number '97'"),
    ("02-river-flood-evacuation", "Wall breach: Coldharbour (wire).", "name 'Coldharbour' is not in source wire"),
])
def test_unsupported_shorthand_and_references(cases: dict[str, Case], case_id: str, text: str, reason: str) -> None:
    assert any(reason in r for r in _reasons(cases[case_id], text)), _reasons(cases[case_id], text)
