"""Runs: one run directory per configuration (manifest, results.jsonl, summary), executed and read back."""

from evals.runs.execute import *  # noqa: F401,F403
