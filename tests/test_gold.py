"""The gold contract: validation errors name the file and the field; good gold loads."""

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from eventsum.cli import app
from evals.gold import export_schema
from evals.suite import load_suite

REPO = Path(__file__).resolve().parent.parent
SEED_CASE = REPO / "seeds" / "milley-zaluzhnyi-poland"


@pytest.fixture
def broken_suite(tmp_path: Path):
    """A copy of the seed suite whose gold can be edited by the test."""
    case = tmp_path / "suite" / SEED_CASE.name
    shutil.copytree(SEED_CASE / "sources", case / "sources")
    gold = json.loads((SEED_CASE / "gold.json").read_text())

    def write(mutate) -> Path:
        g = json.loads(json.dumps(gold))
        mutate(g)
        (case / "gold.json").write_text(json.dumps(g), encoding="utf-8")
        return tmp_path / "suite"
    return write


def _errors(suite: Path) -> list[str]:
    return [str(e) for e in load_suite(suite).errors]


def test_seed_suite_is_valid() -> None:
    result = load_suite(REPO / "seeds")
    assert result.errors == []
    case = result.cases[0]
    assert len(case.gold.facts) >= 10 and len(case.gold.traps) >= 6
    assert {s.id for s in case.sources.sources} == {p.stem for p in (SEED_CASE / "sources").glob("*.txt")}


def test_unknown_source_id_names_file_and_field(broken_suite) -> None:
    suite = broken_suite(lambda g: g["facts"][2]["sources"].append("nosuch"))
    [err] = _errors(suite)
    assert "gold.json: facts[2].sources: unknown source id(s) ['nosuch']" in err


def test_empty_match_group_names_field(broken_suite) -> None:
    suite = broken_suite(lambda g: g["facts"][0]["match"].append([]))
    [err] = _errors(suite)
    assert "gold.json: facts[0].match[3]" in err and "at least 1 item" in err


def test_one_sided_conflict_names_field(broken_suite) -> None:
    suite = broken_suite(lambda g: g["conflicts"][0]["sides"].pop())
    [err] = _errors(suite)
    assert "gold.json: conflicts[0].sides" in err and "at least 2 items" in err


def test_duplicate_ids_are_refused(broken_suite) -> None:
    suite = broken_suite(lambda g: g["traps"][0].__setitem__("id", "F1"))
    [err] = _errors(suite)
    assert "duplicate id 'F1'" in err


def test_unknown_field_is_refused(broken_suite) -> None:
    suite = broken_suite(lambda g: g["facts"][0].__setitem__("souces", ["x"]))
    assert any("facts[0].souces" in e for e in _errors(suite))


def test_fact_pattern_must_occur_in_each_cited_source(broken_suite) -> None:
    # F10 (the thanks) is only in source 000: claiming 001 supports it is a gold error.
    suite = broken_suite(lambda g: g["facts"][9]["sources"].append("001_322d7952545062e1"))
    [err] = _errors(suite)
    assert "facts[9] (F10).match" in err and "001_322d7952545062e1" in err


def test_boilerplate_does_not_support_a_fact(broken_suite) -> None:
    # The donation appeal is the only place "cup of coffee" occurs: cleaning removes it.
    fact = {"id": "F99", "text": "x", "weight": 1, "sources": ["000_fdcdf22234b24739"], "match": [["cup of coffee"]]}
    suite = broken_suite(lambda g: g["facts"].append(fact))
    assert any("F99" in e for e in _errors(suite))


def test_missing_sources_folder_and_non_utf8(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "gold.json").write_text("{}")
    (tmp_path / "b" / "sources").mkdir(parents=True)
    (tmp_path / "b" / "sources" / "s1.txt").write_bytes(b"caf\xe9 au lait")
    errors = _errors(tmp_path)
    assert any("a: sources/: missing sources/ folder" in e for e in errors)
    assert any("s1.txt: not UTF-8" in e for e in errors)


def test_one_broken_case_does_not_hide_the_good_one(tmp_path: Path) -> None:
    shutil.copytree(SEED_CASE, tmp_path / "good")
    shutil.copytree(SEED_CASE, tmp_path / "bad")
    (tmp_path / "bad" / "gold.json").write_text("{not json", encoding="utf-8")
    result = load_suite(tmp_path)
    assert [c.id for c in result.cases] == ["good"]
    assert len(result.errors) == 1 and "invalid JSON" in str(result.errors[0])


def test_draft_marker_is_refused(broken_suite) -> None:
    suite = broken_suite(lambda g: g.__setitem__("draft", "written by eventsum gold draft"))
    [err] = _errors(suite)
    assert "gold.json: draft:" in err


def test_schema_file_is_in_sync_with_the_models() -> None:
    assert (REPO / "evals" / "gold.schema.json").read_text(encoding="utf-8") == export_schema(), \
        "run: python -c \"from evals.gold import export_schema; open('evals/gold.schema.json','w').write(export_schema())\""


def test_cli_validate_exit_codes(broken_suite) -> None:
    runner = CliRunner()
    ok = runner.invoke(app, ["suites", "validate", str(REPO / "seeds")])
    assert ok.exit_code == 0, ok.output
    assert "1 valid case(s)" in ok.output and "OK" in ok.output
    suite = broken_suite(lambda g: g["conflicts"][0]["sides"][1]["sources"].__setitem__(0, "ghost"))
    bad = runner.invoke(app, ["suites", "validate", str(suite)])
    assert bad.exit_code == 1
    assert "conflicts[0].sides[1].sources" in bad.output and "ghost" in bad.output


def test_newsroom_suite_is_valid_and_complete() -> None:
    result = load_suite(REPO / "evals" / "suites" / "newsroom")
    assert result.errors == []
    assert len(result.cases) >= 30
    for case in result.cases:
        assert 3 <= len(case.sources.sources) <= 5, case.id
        assert 8 <= len(case.gold.facts) <= 15, case.id
        assert len(case.gold.traps) >= 5, case.id
        labels = REPO / "evals" / "suites" / "newsroom" / "labels" / f"{case.id}.jsonl"
        assert len(labels.read_text(encoding="utf-8").splitlines()) >= 6, case.id


def test_every_problem_is_reported_in_one_pass(broken_suite) -> None:
    """A bad article, a schema error, a pattern missing from its source and the draft marker: one run shows all four."""
    def mutate(g: dict) -> None:
        g["facts"][0]["match"].append([])                      # schema
        g["facts"][1]["match"].append(["no such phrase here"])  # against the text
        g["draft"] = "written by eventsum gold draft"           # the marker
    suite = broken_suite(mutate)
    case = suite / SEED_CASE.name
    (case / "sources" / "bad name.txt").write_text("Milley met Zaluzhnyi.", encoding="utf-8")  # a bad source id
    errors = _errors(suite)
    assert any("bad name.txt" in e and "source id" in e for e in errors), errors
    assert any("facts[0].match[3]" in e for e in errors), errors
    assert any("facts[1] (" in e and "no such phrase here" in e for e in errors), errors
    assert any("gold.json: draft:" in e for e in errors), errors
    cited = len(json.loads((SEED_CASE / "gold.json").read_text())["facts"][1]["sources"])
    assert len(errors) == 3 + cited, errors  # the missing phrase once per source that cites the fact


def test_a_trap_that_matches_what_a_fact_source_states_is_warned(broken_suite) -> None:
    trap = {"id": "T99", "text": "They met for the first time (a bad trap: the sources say so).", "match": [["first in-person"]]}
    suite = broken_suite(lambda g: g["traps"].append(trap))
    assert load_suite(REPO / "seeds", warn=True).warnings == []
    result = load_suite(suite, warn=True)
    assert result.errors == [] and result.warnings
    assert all("traps[11] (T99)" in str(w) for w in result.warnings)
    assert any("F1" in str(w) and "first in-person" in str(w).lower() for w in result.warnings)
    shown = CliRunner().invoke(app, ["suites", "validate", str(suite)])
    assert shown.exit_code == 0 and "warning" in shown.output and "T99" in shown.output
