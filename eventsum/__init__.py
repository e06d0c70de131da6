"""eventsum: write and evaluate multi-source news event summaries."""

__version__ = "0.1.0"
