"""Student-t and normal distribution functions in numpy (no scipy).

The t CDF uses the exact finite series for integer degrees of freedom
(Abramowitz & Stegun 26.7.3–4), written with square roots instead of
trigonometric functions where it can; quantiles are found by bisection and
cached.
Projections only ever need integer degrees of freedom (``n - 2``).

Why not ``scipy.special`` (``stdtr``, ``ndtr``, ``stdtrit``)? It agrees to 1e-15
(``tests/assess/test_tdist.py`` holds these functions to it), but importing it
costs about 0.25–0.45 s CPU, which every ``scicity status`` would pay (the
default projection needs the t CDF), and its ``stdtr`` is 2–4 times slower than
:func:`t_cdf` on a slice of 16,384 series (measured for issue 14, item 5).
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
    if np.ndim(nu) == 0:
        return _t_cdf_fixed(x, _check_df(nu))
    arr = np.asarray(x, dtype=float)
    nus = np.broadcast_to(np.asarray(nu), arr.shape).ravel()
    if not nus.size:
        return np.empty(arr.shape)
    if nus.min() < 1:
        raise ValueError(f"t_cdf needs positive integer degrees of freedom, got {nus.min()!r}")
    counts = np.bincount(nus.astype(np.int64))
    common = int(counts.argmax())
    flat = arr.ravel()
    out = np.asarray(_t_cdf_fixed(flat, _check_df(common)), dtype=float)  # the usual df on everything,
    for value in np.flatnonzero(counts):  # then the other dfs where they apply
        if value != common:
            idx = np.flatnonzero(nus == value)
            out[idx] = _t_cdf_fixed(flat[idx], _check_df(value))
    return out.reshape(arr.shape)


def _check_df(nu: Any) -> int:
    if int(nu) != nu or nu < 1:
        raise ValueError(f"t_cdf needs positive integer degrees of freedom, got {nu!r}")
    return int(nu)


def _t_cdf_fixed(x: Any, nu: int) -> Any:
    """A&S 26.7.3-4 with ``theta = atan(x / sqrt(nu))``: ``sin = x / r``, ``cos = sqrt(nu) / r``, ``r = sqrt(nu + x^2)``."""
    arr = np.asarray(x, dtype=float)
    r2 = nu + arr * arr
    r = np.sqrt(r2)
    s = arr / r
    c2 = nu / r2
    acc: Any = 1.0
    term: Any = 1.0
    if nu % 2 == 1:
        for k in range(1, (nu - 1) // 2):
            term = term * ((2.0 * k) / (2.0 * k + 1.0)) * c2
            acc = acc + term
        theta = np.arctan(arr / math.sqrt(nu))
        if nu == 1:
            a = theta * (2.0 / math.pi)
        else:
            a = (theta + s * (math.sqrt(nu) / r) * acc) * (2.0 / math.pi)
    else:
        for k in range(1, nu // 2):
            term = term * ((2.0 * k - 1.0) / (2.0 * k)) * c2
            acc = acc + term
        a = s * acc
    out = np.minimum(np.maximum(0.5 + 0.5 * a, 0.0), 1.0)
    infinite = np.isinf(arr)
    if np.any(infinite):
        out = np.where(infinite, np.where(arr > 0, 1.0, 0.0), out)
    return out if np.ndim(out) else float(out)


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
