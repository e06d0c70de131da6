"""`eventsum eval rescore RUN_DIR`: score a run's stored summaries again with the current scorer.

No summarizer call: only the verdicts change. The new results replace the old in one
atomic rename, so an interrupted rescore leaves the run as it was.
"""

from __future__ import annotations

import os
from pathlib import Path

from evals.run import RESULTS, RunManifest, iter_records, load_manifest, write_json_atomic
from evals.scorer import SCORER_VERSION, ScoreCard, get_scorer
from evals.suite import load_case


def rescore_run(run_dir: Path, scorer: str | None = None) -> RunManifest:
    manifest = load_manifest(run_dir)
    name = scorer or manifest.scorer
    score = get_scorer(name)
    suite = Path(manifest.suite)
    cases: dict[str, object] = {}
    tmp = run_dir / (RESULTS + ".rescore")
    with tmp.open("w", encoding="utf-8") as out:
        for record in iter_records(run_dir):
            if record.case_id not in cases:
                cases[record.case_id] = load_case(suite / record.case_id)[0]
            case = cases[record.case_id]
            if case is None:
                card = ScoreCard(case_id=record.case_id, system=record.system, error="case no longer loads")
            elif record.summary is None:
                card = record.card
            else:
                card = score(case, record.summary, record.system)  # type: ignore[arg-type]
            out.write(record.model_copy(update={"card": card}).model_dump_json() + "\n")
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, run_dir / RESULTS)
    manifest = manifest.model_copy(update={"scorer": name, "scorer_version": SCORER_VERSION})
    write_json_atomic(run_dir / "manifest.json", manifest.model_dump_json(indent=2))
    return manifest
