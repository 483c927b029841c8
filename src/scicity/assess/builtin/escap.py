"""``escap``: recency-weighted growth (ESCAP anticipated progress).

Yearly log-growth between consecutive points, ``g_i = (ln y_i - ln y_(i-1)) / (t_i - t_(i-1))``
(per year across a gap), averaged with weights ``w_i = (tT - t_first) / (tT - t_i)``
so recent years count more; ``yT_hat = y_last * exp(g_w (tT - t_last))``. With a
zero or negative value the linear form is used (yearly changes, ``yT_hat = y_last
+ g_w (tT - t_last)``). Classified like ``unsd`` on ``P = (yT_hat - y0) / (yT - y0)``.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from scicity.assess.batch import BatchCase, MethodArrays, colsum, one_series
from scicity.assess.builtin.ratio_labels import ProgressRatioThresholds, classify, classify_batch
from scicity.assess.case import Case
from scicity.assess.text import Msg, join
from scicity.assess.formatting import fmt
from scicity.assess.growth import ratio_toward
from scicity.assess.types import Projection, Status, Verdict

FORMULA = "g_w = sum w_i g_i / sum w_i, w_i = (tT - t_first)/(tT - t_i); yT_hat = y_last exp(g_w (tT - t_last)); P = (yT_hat - y0)/(yT - y0)"


class Growth(NamedTuple):
    """The numbers of the method for each series (arrays, one element per series)."""

    log: np.ndarray  # True where every value is positive: log-growth; else yearly changes
    gw: np.ndarray
    yhat: np.ndarray
    p: np.ndarray
    #: per year before the target year, ``w_i / (tT - t_first) = 1 / (tT - t_i)``
    v: tuple[float, ...]
    #: with ``terms``: the growth g_i from each year to the next, shape ``(k - 1, n)`` (series without gaps only)
    g: np.ndarray | None = None


def growth(bc: BatchCase, terms: bool = False) -> Growth:
    """The method's formulas, once, for every series of ``bc`` (a batch of one for :func:`judge`)."""
    Yz, ok, yrs, tT = bc.Yz, bc.ok, bc.years, bc.tT
    k, n = Yz.shape
    # the series on the scale of its form: logs for log-growth, levels for the linear form
    U = bc.scratch("escap_u")
    positive = Yz > 0
    log = np.add.reduce(positive.view(np.uint8), axis=0, dtype=np.int64) == bc.npts
    np.copyto(U, 1.0)
    np.copyto(U, Yz, where=positive)
    np.log(U, out=U)  # (logs of non-positive values are never needed: those series use levels)
    if not log.all():
        np.copyto(U, Yz, where=~log[None, :])
    kv = int(np.searchsorted(yrs, tT))  # years before the target year (an active series has no later point)
    v = [1.0 / (tT - float(yrs[j])) for j in range(kv)]
    num, den = np.zeros(n), np.zeros(n)
    g = None
    if kv >= 2:
        # series with a value in every year: all growth terms at once (sums over axis 0 run in year order)
        complete = np.add.reduce(ok[:kv].view(np.uint8), axis=0, dtype=np.int64) == kv
        G = np.subtract(U[1:kv], U[: kv - 1])
        G /= np.diff(yrs[:kv])[:, None]
        if terms:
            g = G.copy()
        G *= np.array(v[1:])[:, None]
        num = colsum(G)
        d_all = 0.0
        for vj in v[1:]:
            d_all += vj
        den = np.full(n, d_all)
        gaps = np.flatnonzero(~complete)
        if gaps.size:
            num[gaps], den[gaps] = _gapped(U[:kv, gaps], ok[:kv, gaps], yrs[:kv], v)
    gw = num / den
    ahead = tT - bc.tc
    yhat = np.where(log, bc.yc * np.exp(gw * ahead), bc.yc + gw * ahead)
    p = np.asarray(ratio_toward(yhat - bc.y0, bc.aim - bc.y0, bc.d), dtype=float)
    return Growth(log, gw, yhat, p, tuple(v), g)


def judge(case: Case, o: ProgressRatioThresholds) -> Verdict:
    """Explain :func:`growth` for one series."""
    if case.hold:
        return Verdict(Status.REGRESSING, "stagnation or regression", "", FORMULA,
                       steps=(Msg("baseline already met the target: P not computed"),))
    assert case.aim is not None
    tT, t0 = float(case.tT), float(case.t0)
    nums = growth(one_series(case), terms=True)
    assert nums.g is not None
    log = bool(nums.log[0])
    steps: list[str] = []
    for i, (ta, tb) in enumerate(zip(case.years, case.years[1:])):
        steps.append(f"{ta}->{tb}: g = {fmt(float(nums.g[i, 0]))}, w = {fmt((tT - t0) * nums.v[i + 1])}")
    gw, yhat, p = float(nums.gw[0]), float(nums.yhat[0]), float(nums.p[0])
    ahead = tT - float(case.tc)
    if log:
        flags: tuple[str, ...] = ()
        steps.append(f"g_w = {fmt(gw)}; yT_hat = {fmt(case.yc)} * exp({fmt(gw)} * {fmt(ahead)}) = {fmt(yhat)}")
    else:
        flags = ("cagr_undefined_linear_fallback",)
        steps.insert(0, Msg("log-growth undefined (a value is zero or negative): yearly changes instead"))
        steps.append(Msg("g_w = {gw} per year; yT_hat = {yc} + {gw} * {ahead} = {yhat}", gw=fmt(gw), yc=fmt(case.yc), ahead=fmt(ahead), yhat=fmt(yhat)))
    status, label = classify(p, o)
    steps.append(f"P = ({fmt(yhat)} - {fmt(case.y0)}) / ({fmt(case.aim)} - {fmt(case.y0)}) = {fmt(p)}")
    summary = Msg(
        "Weighting recent years more, the value would reach {yhat} by {tT}, "
        "{share} % of the way from the baseline to the target: {label}.",
        yhat=fmt(yhat), tT=case.tT, share=fmt(100 * p, 3), label=Msg(label),
    )
    form = "log-growth" if log else "linear"
    return Verdict(
        status, label, summary, FORMULA,
        inputs={"g_w": gw, "yT_hat": yhat, "P": p, "form": form}, steps=tuple(steps), flags=flags,
        projection=Projection(yhat, yhat, yhat, case.tT, form),
    )


def judge_batch(bc: BatchCase, o: ProgressRatioThresholds) -> MethodArrays:
    nums = growth(bc)
    status, native = classify_batch(nums.p, o)
    return MethodArrays(status=status, native=native, projection=np.where(bc.hold, np.nan, nums.yhat))


def _gapped(U: np.ndarray, ok: np.ndarray, yrs: np.ndarray, v: list[float]) -> tuple[np.ndarray, np.ndarray]:
    """Weighted growth sums for series with missing years: each term runs from the previous point."""
    k, n = U.shape
    prev_u, prev_t = np.empty((k, n)), np.empty((k, n))
    cur_u, cur_t = np.zeros(n), np.full(n, np.nan)
    for j in range(k):  # the point before year j, carried across gaps
        prev_u[j], prev_t[j] = cur_u, cur_t
        np.copyto(cur_u, U[j], where=ok[j])
        np.copyto(cur_t, yrs[j], where=ok[j])
    g = (U - prev_u) / (yrs[:, None] - prev_t)
    weights = np.array(v)[:, None]
    term = ok & ~np.isnan(prev_t)
    g *= weights
    g[~term] = 0.0
    return colsum(g), colsum(np.where(term, weights, 0.0))
