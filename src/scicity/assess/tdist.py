"""Student-t and normal distribution functions in numpy (no scipy).

The t CDF uses the exact finite series for integer degrees of freedom
(Abramowitz & Stegun 26.7.3–4); quantiles are found by bisection and cached.
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


def t_cdf(x: Any, nu: int) -> Any:
    """CDF of Student's t with ``nu`` (a positive integer) degrees of freedom."""
    if nu < 1 or int(nu) != nu:
        raise ValueError(f"t_cdf needs a positive integer nu, got {nu!r}")
    nu = int(nu)
    arr = np.asarray(x, dtype=float)
    theta = np.arctan(arr / math.sqrt(nu))
    s = np.sin(theta)
    c2 = np.cos(theta) ** 2
    acc = np.ones_like(arr)
    term = np.ones_like(arr)
    if nu % 2 == 1:
        for k in range(1, (nu - 1) // 2):
            term = term * ((2.0 * k) / (2.0 * k + 1.0)) * c2
            acc = acc + term
        if nu == 1:
            a = theta * (2.0 / math.pi)
        else:
            a = (theta + s * np.cos(theta) * acc) * (2.0 / math.pi)
    else:
        for k in range(1, nu // 2):
            term = term * ((2.0 * k - 1.0) / (2.0 * k)) * c2
            acc = acc + term
        a = s * acc
    out = np.clip(0.5 + 0.5 * a, 0.0, 1.0)
    return out if out.ndim else float(out)


def cdf(x: Any, nu: int | None) -> Any:
    """Student-t CDF with ``nu`` degrees of freedom, or the normal CDF when ``nu`` is None."""
    return norm_cdf(x) if nu is None else t_cdf(x, nu)


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
