"""Vectorised default ``projection``: the same model as :mod:`.calibrated`, for many series at once."""

from __future__ import annotations

import numpy as np

from scicity.assess import tdist
from scicity.assess.batch import BatchCase, MethodArrays, holds
from scicity.assess.builtin.calibrated import CalibratedOptions
from scicity.assess.builtin.projection import AWAY, LIKELY, NATIVE_LABELS, POSSIBLE, UNLIKELY
from scicity.assess.types import STATUS_CODE, Status
from scicity.domain.plan import Comparator, TargetKind


def judge_batch(bc: BatchCase, o: CalibratedOptions) -> MethodArrays:
    c = o.constants
    Y, ok, n, tT = bc.Y, bc.ok, bc.n, bc.tT
    k = Y.shape[0]
    positive = ok & (Y > 0)
    allpos = positive.sum(axis=0) == bc.npts
    Z = np.where(ok, Y, np.nan)
    with np.errstate(all="ignore"):
        Zlog = np.log(np.where(positive, Y, 1.0))
    Z = np.where(allpos[None, :] & ok, Zlog, Z)
    z0 = np.where(allpos, np.log(np.where(bc.y0 > 0, bc.y0, 1.0)), bc.y0)
    zc = np.where(allpos, np.log(np.where(bc.yc > 0, bc.yc, 1.0)), bc.yc)
    span = bc.tc - bc.t0
    h = tT - bc.tc
    b = (zc - z0) / span
    shrink = bc.spec.kind is not TargetKind.CUMULATIVE  # a running sum: the flows go on (see calibrated.model_of)
    bs = b * span / (span + c.drift_shrink_years) if shrink else b
    phi = c.damping
    steps = h if (phi == 1.0 or not shrink) else phi * (1.0 - np.power(phi, h)) / (1.0 - phi)
    center = zc + bs * steps
    sse = np.zeros(n)
    prev_t = np.full(n, np.nan)
    prev_z = np.full(n, np.nan)
    for j in range(k):
        here = ok[j]
        t = bc.years[j]
        pair = here & np.isfinite(prev_t)
        dt = t - prev_t
        e = Z[j] - prev_z - b * dt
        sse += np.where(pair, e * e / np.where(pair, dt, 1.0), 0.0)
        prev_t = np.where(here, t, prev_t)
        prev_z = np.where(here, Z[j], prev_z)
    m = bc.npts - 1
    max_abs = np.where(ok, np.abs(Y), 0.0).max(axis=0, initial=0.0)
    pooled = np.where(allpos, c.pooled_volatility, c.pooled_volatility * np.maximum(max_abs, np.abs(b)))
    v = np.sqrt((sse + c.prior_weight * pooled * pooled) / (m - 1 + c.prior_weight))
    table = np.asarray(c.kappa_table)
    with np.errstate(invalid="ignore"):
        hi = np.clip(np.ceil(np.nan_to_num(h, nan=1.0)), 1, table.size).astype(np.int64) - 1
    kappa = table[hi]
    spread = v * np.sqrt(h + h * h / span)
    sd = kappa * spread
    if c.bias_table:
        bias = np.asarray(c.bias_table)
        with np.errstate(invalid="ignore"):
            bi = np.clip(np.ceil(np.nan_to_num(h, nan=1.0)), 1, bias.size).astype(np.int64) - 1
        center = center + np.where(allpos, bias[bi] * spread, 0.0)  # log scale only (see calibrated.model_of)
    point = np.where(allpos, np.exp(center), center)

    def below(x: np.ndarray) -> np.ndarray:
        thr = x
        if allpos.any():
            logx = np.log(x, out=np.full(n, -np.inf), where=x > 0)
            thr = np.where(allpos, logx, x)
        return np.asarray(tdist.t_cdf((thr - center) / sd, c.df), dtype=float)

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
    lab = NATIVE_LABELS.index
    band = np.where(p >= o.on_track, 0, np.where(p >= o.at_risk, 1, 2))
    band[bc.d * b < 0] = 3
    code = STATUS_CODE
    status = np.array([code[Status.ON_TRACK], code[Status.AT_RISK], code[Status.OFF_TRACK], code[Status.REGRESSING]])[band]
    native = np.array([lab(LIKELY), lab(POSSIBLE), lab(UNLIKELY), lab(AWAY)])[band]
    return MethodArrays(status=status, native=native, projection=point, p_meet=p)
