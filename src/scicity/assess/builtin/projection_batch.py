"""Vectorised ``projection``: the same fits, floors and probabilities as :mod:`.projection`, for many series."""

from __future__ import annotations

import numpy as np

from scicity.assess import tdist
from scicity.assess.batch import BatchCase, MethodArrays, holds
from scicity.assess.builtin.projection import AWAY, LIKELY, NATIVE_LABELS, POSSIBLE, UNLIKELY, ProjectionOptions
from scicity.assess.types import STATUS_CODE, Status
from scicity.domain.plan import Comparator


def by_df(z: np.ndarray, cnt: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Predictive CDF at ``z``: Student-t with ``cnt - 2`` df, normal where ``cnt == 2``."""
    out = np.full(z.shape, np.nan)
    for c in np.unique(cnt[rows]):
        m = rows & (cnt == c)
        out[m] = tdist.cdf(z[m], None if c == 2 else int(c) - 2)
    return out


def judge_batch(bc: BatchCase, o: ProjectionOptions) -> MethodArrays:
    """Least-squares fits for all series at once; sums over axis 0 run in year order (see BatchCase)."""
    Yz, ok, tT, n = bc.Yz, bc.ok, bc.tT, bc.n
    W = ok.astype(float)
    yrs = bc.years[:, None]
    cnt = bc.npts.astype(float)
    tbar = (W * yrs).sum(axis=0) / cnt
    X = (yrs - tbar) * W  # x = t - tbar where a value exists, else 0
    sxx = (X * X).sum(axis=0)
    sy = Yz.sum(axis=0)
    sxy = (X * Yz).sum(axis=0)
    sabs = np.abs(Yz).sum(axis=0)
    ybar = sy / cnt
    b = sxy / sxx
    R = (Yz - (ybar + b * X)) * W
    sse = (R * R).sum(axis=0)
    yhat = ybar + b * (tT - tbar)

    positive = ok & (Yz > 0)
    allpos = np.all(positive | ~ok, axis=0)
    Z = np.log(np.where(positive, Yz, 1.0))  # 0 where missing
    zbar = Z.sum(axis=0) / cnt
    blog = (X * Z).sum(axis=0) / sxx
    zhat = zbar + blog * (tT - tbar)
    FZ = zbar + blog * X
    RL = (Yz - np.exp(FZ)) * W
    sse_lvl = (RL * RL).sum(axis=0)
    RZ = (Z - FZ) * W
    sse_z = (RZ * RZ).sum(axis=0)

    use_log = allpos & (cnt >= 3) & (sse_lvl < o.loglinear_advantage * sse)
    center = np.where(use_log, zhat, yhat)
    slope = np.where(use_log, blog, b)
    sse_m = np.where(use_log, sse_z, sse)
    floor = np.where(
        use_log,
        np.maximum(o.rel_floor, o.change_floor * np.abs(blog)),
        np.maximum(o.rel_floor * (sabs / cnt), o.change_floor * np.abs(b)),
    )
    three = cnt >= 3
    s = np.sqrt(sse_m / np.where(three, cnt - 2, 1.0))
    sigma = np.where(three, np.maximum(s, floor), floor)
    dt = tT - tbar
    factor = np.sqrt(1.0 + 1.0 / cnt + dt * dt / sxx)
    sd = sigma * factor

    rows = bc.active.copy()
    q = np.full(n, np.nan)
    p_level = (1.0 + o.interval) / 2.0
    for c in np.unique(cnt[rows]):
        q[rows & (cnt == c)] = tdist.quantile(p_level, None if c == 2 else int(c) - 2)
    point = np.where(use_log, np.exp(center), center)

    def below(v: np.ndarray) -> np.ndarray:
        thr = np.where(use_log, np.where(v > 0, np.log(np.where(v > 0, v, 1.0)), -np.inf), v)
        return by_df((thr - center) / sd, cnt, rows)

    cmp = bc.spec.comparator
    if cmp in (Comparator.GT, Comparator.GE):
        p = 1.0 - below(bc.low)
    elif cmp in (Comparator.LT, Comparator.LE):
        p = below(bc.low)
    elif cmp is Comparator.EQ:
        f_aim = below(bc.aim)
        p = np.where(bc.d > 0, 1.0 - f_aim, f_aim)
    else:
        p = below(bc.high) - below(bc.low)
    p = np.clip(p, 0.0, 1.0)
    p = np.where(sd > 0, p, np.where(holds(cmp, point, bc.low, bc.high), 1.0, 0.0))

    code = STATUS_CODE
    lab = NATIVE_LABELS.index
    away = bc.d * slope < 0
    status = np.where(
        away,
        code[Status.REGRESSING],
        np.where(p >= o.on_track, code[Status.ON_TRACK], np.where(p >= o.at_risk, code[Status.AT_RISK], code[Status.OFF_TRACK])),
    )
    native = np.where(
        away, lab(AWAY), np.where(p >= o.on_track, lab(LIKELY), np.where(p >= o.at_risk, lab(POSSIBLE), lab(UNLIKELY)))
    )
    return MethodArrays(status=status, native=native, projection=point, p_meet=p)
