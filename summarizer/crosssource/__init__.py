"""`crosssource`: a deterministic, extractive multi-source summarizer (no model calls)."""

from summarizer.crosssource.pipeline import NAME, make_system
from summarizer.system import register_system

register_system(NAME, make_system)
