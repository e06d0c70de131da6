"""Shorthand names and clock times, summaries counting their sources, and bracketed source
references the ids do not cover: each supported when the sources back it, flagged when not."""

import pytest
from conftest import unit_reasons

from evals.suite import Case


@pytest.mark.parametrize(("case_id", "text"), [
    ("22-drought-crop-losses", "Vic Govt unveiled a drought PKG."),  # Victoria, Government, package
    ("29-earthquake-three-tolls", "The quake struck at 22:26 GMT."),  # "2226 GMT" in the wire
    ("29-earthquake-three-tolls", "The quake struck at 03:26 local time."),  # "3:26 a.m."
    ("29-earthquake-three-tolls", "The quake struck at 10:26pm GMT."),  # 22:26 in 12-hour time
    ("22-drought-crop-losses", "The driest Apr-Oct period, with a mid-Oct heatwave."),
    ("29-earthquake-three-tolls", "The three reports give different tolls."),
    ("02-river-flood-evacuation", "Wall breach: Millbank (wire, bcast) vs Coldharbour (Gazette)."),
])
def test_supported_shorthand_and_references(newsroom_cases: dict[str, Case], case_id: str, text: str) -> None:
    assert unit_reasons(newsroom_cases[case_id], text) == []


@pytest.mark.parametrize(("case_id", "text", "reason"), [
    ("22-drought-crop-losses", "Qld Govt unveiled a drought PKG.", "name 'Qld'"),
    ("29-earthquake-three-tolls", "The quake struck at 23:26 GMT.", "number '23:26'"),
    ("29-earthquake-three-tolls", "Rescuers reached 97 villages.", "number '97'"),
    ("02-river-flood-evacuation", "Wall breach: Coldharbour (wire).", "name 'Coldharbour' is not in source wire"),
])
def test_unsupported_shorthand_and_references(newsroom_cases: dict[str, Case], case_id: str, text: str, reason: str) -> None:
    assert any(reason in r for r in unit_reasons(newsroom_cases[case_id], text)), unit_reasons(newsroom_cases[case_id], text)
