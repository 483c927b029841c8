"""The shared arithmetic of the methods: growth rates, ratios towards a target, threshold bands.

Every function works on Python floats, numpy scalars and numpy arrays alike, so
the one-series path (:func:`scicity.assess.assess`) and the vectorised path
(:func:`scicity.assess.assess_batch`) compute the same numbers with the same
floating-point operations.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

Num = Any  # float | np.floating | np.ndarray


def cagr(a: Num, b: Num, dt: Num) -> Num:
    """Compound annual growth rate ``(a / b) ** (1 / dt) - 1``."""
    return np.power(a / b, 1.0 / dt) - 1.0


def yearly_rate(a: Num, b: Num, dt: Num) -> Num:
    """Linear yearly change ``(a - b) / dt``."""
    return (a - b) / dt


def ratio_toward(num: Num, den: Num, d: Num) -> Num:
    """``num / den`` where ``den`` is the change the target needs (sign ``d``, or zero).

    When the target needs no change at all (``den == 0``, a strict target equal to
    the baseline), any movement towards it counts as infinitely fast and any
    movement away as infinitely slow: the result is ``±inf`` with the sign of
    ``d * num``, and ``0`` when nothing moved.
    """
    num_a = np.asarray(num, dtype=float)
    den_a = np.asarray(den, dtype=float)
    zero = den_a == 0
    with np.errstate(divide="ignore", invalid="ignore"):
        out = num_a / den_a
    if zero.any():
        edge = np.where(num_a == 0, 0.0, np.where(np.asarray(d) * num_a > 0, np.inf, -np.inf))
        out = np.where(zero, edge, out)
    return out if out.ndim else float(out)


def band(x: Num, cuts: Sequence[Num]) -> Num:
    """Index of the first cut that ``x`` reaches: ``x >= cuts[0]`` -> 0, ``>= cuts[1]`` -> 1, ...; else ``len(cuts)``.

    Cuts run from high to low and may be arrays (one cut per series). NaN reaches no cut.
    """
    x_a = np.asarray(x, dtype=float)
    out = np.zeros(x_a.shape, dtype=np.int64)
    for cut in cuts:  # cuts descend: the first cut reached is the number of cuts not reached
        out += ~(x_a >= cut)
    return out if out.ndim else int(out)
