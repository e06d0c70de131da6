"""Honest statistics for suite means and paired comparisons (numpy; fixed seeds, so reports repeat).

- Mean with a 95% bootstrap interval, resampling cases.
- Paired difference B - A with a paired bootstrap interval (resampling cases)
  and a paired sign-flip permutation test (exact for up to 16 cases).
"""

from __future__ import annotations

import itertools

import numpy as np
from pydantic import BaseModel

RESAMPLES = 2000
SEED = 20240117
_EXACT_UP_TO = 16
_PERMUTATIONS = 20000


def format_p(p: float) -> str:
    """A p-value as every page and table prints it: three decimals, or <0.001."""
    if p != p:  # nan: no pairs to test
        return "–"
    return "<0.001" if p < 0.001 else f"{p:.3f}"


class Interval(BaseModel):
    mean: float
    low: float
    high: float
    n: int


class PairedDiff(BaseModel):
    mean_a: float
    mean_b: float
    diff: float
    low: float
    high: float
    p_value: float
    n: int
    better: int
    worse: int
    ties: int


def bootstrap_mean(values: list[float], resamples: int = RESAMPLES, seed: int = SEED) -> Interval:
    """Mean of per-case values with a percentile bootstrap 95% interval."""
    x = np.asarray(values, dtype=float)
    if x.size == 0:
        return Interval(mean=float("nan"), low=float("nan"), high=float("nan"), n=0)
    rng = np.random.default_rng(seed)
    means = x[rng.integers(0, x.size, size=(resamples, x.size))].mean(axis=1)
    low, high = np.percentile(means, [2.5, 97.5])
    return Interval(mean=float(x.mean()), low=float(low), high=float(high), n=int(x.size))


def sign_flip_p_value(diffs: np.ndarray, seed: int = SEED) -> float:
    """Two-sided p-value of the mean paired difference under random sign flips."""
    n = diffs.size
    observed = abs(diffs.mean())
    if n == 0 or np.allclose(diffs, 0):
        return 1.0
    if n <= _EXACT_UP_TO:  # every sign pattern, the observed one included: exact
        signs = np.array(list(itertools.product((1.0, -1.0), repeat=n)))
        flipped = np.abs((signs * diffs).mean(axis=1))
        return float(np.sum(flipped >= observed - 1e-12) / len(flipped))
    # Monte Carlo: (k + 1) / (N + 1), so a p-value is never reported as zero.
    signs = np.random.default_rng(seed).choice((1.0, -1.0), size=(_PERMUTATIONS, n))
    flipped = np.abs((signs * diffs).mean(axis=1))
    return float((np.sum(flipped >= observed - 1e-12) + 1) / (len(flipped) + 1))


def paired_difference(a: list[float], b: list[float], resamples: int = RESAMPLES, seed: int = SEED) -> PairedDiff:
    """B - A over paired cases: mean difference, paired bootstrap 95% interval, permutation p-value."""
    xa, xb = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if xa.shape != xb.shape:
        raise ValueError("paired values must have the same length")
    d = xb - xa
    if d.size == 0:
        nan = float("nan")
        return PairedDiff(mean_a=nan, mean_b=nan, diff=nan, low=nan, high=nan, p_value=1.0, n=0, better=0, worse=0, ties=0)
    rng = np.random.default_rng(seed)
    means = d[rng.integers(0, d.size, size=(resamples, d.size))].mean(axis=1)
    low, high = np.percentile(means, [2.5, 97.5])
    return PairedDiff(mean_a=float(xa.mean()), mean_b=float(xb.mean()), diff=float(d.mean()), low=float(low),
                      high=float(high), p_value=sign_flip_p_value(d, seed), n=int(d.size),
                      better=int(np.sum(d > 1e-12)), worse=int(np.sum(d < -1e-12)), ties=int(np.sum(np.abs(d) <= 1e-12)))
