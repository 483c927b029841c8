"""Vectorised ``projection``: the same fits, floors and probabilities as :mod:`.projection`, for many series.

Every sum runs over axis 0 of a year-major ``(k, n)`` matrix, which numpy adds
in year order; the one-series path adds in the same order, so both give the
same numbers. Temporaries are reused (``out=``) to keep a slice in cache.
"""

from __future__ import annotations

import numpy as np

from scicity.assess import tdist
from scicity.assess.batch import BatchCase, MethodArrays, holds
from scicity.assess.builtin.projection import AWAY, LIKELY, NATIVE_LABELS, POSSIBLE, UNLIKELY, ProjectionOptions
from scicity.assess.types import STATUS_CODE, Status
from scicity.domain.plan import Comparator


def _sum_sq(m: np.ndarray) -> np.ndarray:
    np.multiply(m, m, out=m)
    return m.sum(axis=0)


def judge_batch(bc: BatchCase, o: ProjectionOptions) -> MethodArrays:
    Yz, ok, tT, n = bc.Yz, bc.ok, bc.tT, bc.n
    yrs = bc.years[:, None]
    cnt = bc.npts.astype(float)
    # sum of the years with a value: whole numbers, so exact in any order
    st = np.zeros(n)
    for j in range(Yz.shape[0]):
        st += bc.years[j] * ok[j]
    tbar = st / cnt
    missing = ~ok
    X = np.subtract(yrs, tbar, out=bc.scratch("X"))
    X[missing] = 0.0  # x = t - tbar where a value exists, else 0
    buf = np.multiply(X, X, out=bc.scratch("buf"))
    sxx = buf.sum(axis=0)
    sy = Yz.sum(axis=0)
    sxy = np.multiply(X, Yz, out=buf).sum(axis=0)
    positive = Yz > 0  # (0 where missing)
    allpos = np.add.reduce(positive.view(np.uint8), axis=0, dtype=np.int64) == bc.npts
    sabs = sy.copy()  # sum |y| is sum y where every value is positive
    signed = np.flatnonzero(~allpos)
    if signed.size:
        sabs[signed] = np.abs(Yz[:, signed]).sum(axis=0)
    ybar = sy / cnt
    b = sxy / sxx
    # residuals y - (ybar + b x), zero where missing
    np.multiply(b, X, out=buf)
    np.add(ybar, buf, out=buf)
    np.subtract(Yz, buf, out=buf)
    buf[missing] = 0.0
    sse = _sum_sq(buf)
    yhat = ybar + b * (tT - tbar)

    Z = bc.scratch("Z")
    Z.fill(1.0)
    np.copyto(Z, Yz, where=positive)
    np.log(Z, out=Z)  # 0 where missing or not positive
    zbar = Z.sum(axis=0) / cnt
    blog = np.multiply(X, Z, out=buf).sum(axis=0) / sxx
    zhat = zbar + blog * (tT - tbar)
    FZ = np.multiply(blog, X, out=bc.scratch("FZ"))
    np.add(zbar, FZ, out=FZ)  # fitted log values zbar + b x
    np.exp(FZ, out=buf)
    np.subtract(Yz, buf, out=buf)
    buf[missing] = 0.0
    sse_lvl = _sum_sq(buf)
    np.subtract(Z, FZ, out=buf)
    buf[missing] = 0.0
    sse_z = _sum_sq(buf)

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

    point = np.where(use_log, np.exp(center), center)
    rows = bc.active
    # every row gets a valid df (inactive rows are discarded later); the normal only where needed
    nu = np.maximum(bc.npts - 2, 1)
    two = np.flatnonzero(rows & (bc.npts == 2))

    def below(v: np.ndarray) -> np.ndarray:
        """P(Y_T < v) on the model's scale."""
        thr = v
        if use_log.any():
            logv = np.log(v, out=np.full(n, -np.inf), where=v > 0)
            thr = np.where(use_log, logv, v)
        z = (thr - center) / sd
        out = np.asarray(tdist.t_cdf(z, nu), dtype=float)
        if two.size:
            out[two] = tdist.norm_cdf(z[two])
        return out

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
    band = np.where(p >= o.on_track, 0, np.where(p >= o.at_risk, 1, 2))
    band[bc.d * slope < 0] = 3
    status = np.array([code[Status.ON_TRACK], code[Status.AT_RISK], code[Status.OFF_TRACK], code[Status.REGRESSING]])[band]
    native = np.array([lab(LIKELY), lab(POSSIBLE), lab(UNLIKELY), lab(AWAY)])[band]
    return MethodArrays(status=status, native=native, projection=point, p_meet=p)
