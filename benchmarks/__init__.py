"""Benchmarks: speed and memory goals are measured here, never by timed tests."""
