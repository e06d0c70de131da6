"""Kept so `from evals.run import ...` still works; the code lives in evals/runs/."""

from evals.runs.execute import *  # noqa: F401,F403
from evals.runs.execute import _sample_options, summarize_and_score  # noqa: F401
