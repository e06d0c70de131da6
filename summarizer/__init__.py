"""eventsum's summarizer: sources in, one canonical event summary out."""
