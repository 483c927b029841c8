"""Student-t and normal distribution functions in numpy (no scipy).

The t CDF uses the exact finite series for integer degrees of freedom
(Abramowitz & Stegun 26.7.3–4), elementwise so that series with different
degrees of freedom are evaluated together; quantiles are found by bisection
and cached.
Projections only ever need integer degrees of freedom (``n - 2``).
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

import numpy as np

_erfc = np.frompyfunc(math.erfc, 1, 1)


def norm_cdf(x: Any) -> Any:
    """Standard normal CDF, ``0.5 * erfc(-x / sqrt 2)``."""
    arr = np.asarray(x, dtype=float)
    out = 0.5 * np.asarray(_erfc(-arr / math.sqrt(2.0)), dtype=float)
    return out if out.ndim else float(out)


def t_cdf(x: Any, nu: Any) -> Any:
    """CDF of Student's t; ``nu`` is a positive integer, or an integer array (one df per element of ``x``)."""
    nu_a = np.asarray(nu)
    if nu_a.size == 0:
        return np.zeros(np.shape(x))
    if np.any(nu_a < 1) or np.any(np.asarray(nu_a, dtype=float) != np.floor(nu_a)):
        raise ValueError(f"t_cdf needs positive integer degrees of freedom, got {nu!r}")
    arr = np.asarray(x, dtype=float)
    nu_a = np.broadcast_to(nu_a.astype(np.int64), arr.shape)
    theta = np.arctan(arr / np.sqrt(nu_a.astype(float)))
    s = np.sin(theta)
    cos = np.cos(theta)
    c2 = cos * cos
    odd = (nu_a % 2) == 1
    # terms of the finite series: odd nu uses k < (nu - 1) // 2, even nu k < nu // 2
    limit = np.where(odd, (nu_a - 1) // 2, nu_a // 2)
    acc = np.ones_like(arr)
    term = np.ones_like(arr)
    for k in range(1, int(limit.max(initial=1))):
        coef = np.where(odd, (2.0 * k) / (2.0 * k + 1.0), (2.0 * k - 1.0) / (2.0 * k))
        term = term * coef * c2
        acc = np.where(k < limit, acc + term, acc)
    a_odd = np.where(nu_a == 1, theta * (2.0 / math.pi), (theta + s * cos * acc) * (2.0 / math.pi))
    a = np.where(odd, a_odd, s * acc)
    out = np.clip(0.5 + 0.5 * a, 0.0, 1.0)
    return out if out.ndim else float(out)


def cdf(x: Any, nu: int | None) -> Any:
    """Student-t CDF with ``nu`` degrees of freedom, or the normal CDF when ``nu`` is None."""
    return norm_cdf(x) if nu is None else t_cdf(x, nu)


def predictive_cdf(x: np.ndarray, npts: np.ndarray) -> np.ndarray:
    """Elementwise CDF of the projection's predictive distribution: t with ``npts - 2`` df, normal for two points."""
    two = npts <= 2
    out = t_cdf(x, np.where(two, 1, npts - 2))
    if two.any():
        out = np.where(two, 0.0, out)
        out[two] = norm_cdf(x[two])
    return out


@lru_cache(maxsize=256)
def quantile(p: float, nu: int | None) -> float:
    """The ``p`` quantile of Student's t (``nu`` df) or of the standard normal (``nu`` None)."""
    if not 0.0 < p < 1.0:
        raise ValueError(f"quantile needs 0 < p < 1, got {p!r}")
    lo, hi = -1.0, 1.0
    while cdf(lo, nu) > p:
        lo *= 2.0
    while cdf(hi, nu) < p:
        hi *= 2.0
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if cdf(mid, nu) < p:
            lo = mid
        else:
            hi = mid
        if hi - lo < 1e-13:
            break
    return 0.5 * (lo + hi)
