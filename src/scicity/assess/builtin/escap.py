"""``escap``: recency-weighted growth (ESCAP anticipated progress).

Yearly log-growth between consecutive points, ``g_i = ln(y_i / y_(i-1)) / (t_i - t_(i-1))``
(per year across a gap), averaged with weights ``w_i = (tT - t_first) / (tT - t_i)``
so recent years count more; ``yT_hat = y_last * exp(g_w (tT - t_last))``. With a
zero or negative value the linear form is used (yearly changes, ``yT_hat = y_last
+ g_w (tT - t_last)``). Classified like ``unsd`` on ``P = (yT_hat - y0) / (yT - y0)``.
"""

from __future__ import annotations

import numpy as np

from scicity.assess.batch import BatchCase, MethodArrays
from scicity.assess.case import Case
from scicity.assess.formatting import fmt
from scicity.assess.growth import ratio_toward
from scicity.assess.builtin.ratio_labels import ProgressRatioThresholds, classify, classify_batch
from scicity.assess.types import Projection, Status, Verdict

FORMULA = "g_w = sum w_i g_i / sum w_i, w_i = (tT - t_first)/(tT - t_i); yT_hat = y_last exp(g_w (tT - t_last)); P = (yT_hat - y0)/(yT - y0)"


def judge(case: Case, o: ProgressRatioThresholds) -> Verdict:
    if case.hold:
        return Verdict(Status.REGRESSING, "stagnation or regression", "", FORMULA,
                       steps=("baseline already met the target: P not computed",))
    assert case.aim is not None
    tT, t0 = float(case.tT), float(case.t0)
    log = all(y > 0 for y in case.values)
    num = den = 0.0
    steps: list[str] = []
    for (ta, ya), (tb, yb) in zip(zip(case.years, case.values), zip(case.years[1:], case.values[1:])):
        span = float(tb) - float(ta)
        g = float(np.log(yb / ya)) / span if log else (yb - ya) / span
        w = (tT - t0) / (tT - float(tb))
        num += w * g
        den += w
        steps.append(f"{ta}->{tb}: g = {fmt(g)}, w = {fmt(w)}")
    gw = num / den
    ahead = tT - float(case.tc)
    if log:
        yhat = case.yc * float(np.exp(gw * ahead))
        flags: tuple[str, ...] = ()
        steps.append(f"g_w = {fmt(gw)}; yT_hat = {fmt(case.yc)} * exp({fmt(gw)} * {fmt(ahead)}) = {fmt(yhat)}")
    else:
        yhat = case.yc + gw * ahead
        flags = ("cagr_undefined_linear_fallback",)
        steps.insert(0, "log-growth undefined (a value is zero or negative): yearly changes instead")
        steps.append(f"g_w = {fmt(gw)} per year; yT_hat = {fmt(case.yc)} + {fmt(gw)} * {fmt(ahead)} = {fmt(yhat)}")
    p = ratio_toward(yhat - case.y0, case.aim - case.y0, case.d)
    status, label = classify(p, o)
    steps.append(f"P = ({fmt(yhat)} - {fmt(case.y0)}) / ({fmt(case.aim)} - {fmt(case.y0)}) = {fmt(p)}")
    summary = (
        f"Weighting recent years more, the value would reach {fmt(yhat)} by {case.tT}, "
        f"{fmt(100 * p, 3)} % of the way from the baseline to the target: {label}."
    )
    form = "log-growth" if log else "linear"
    return Verdict(
        status, label, summary, FORMULA,
        inputs={"g_w": gw, "yT_hat": yhat, "P": p, "form": form}, steps=tuple(steps), flags=flags,
        projection=Projection(yhat, yhat, yhat, case.tT, form),
    )


def judge_batch(bc: BatchCase, o: ProgressRatioThresholds) -> MethodArrays:
    Y, ok, yrs, tT = bc.Yz, bc.ok, bc.years, bc.tT
    k, n = Y.shape
    log = np.all(~ok | (Y > 0), axis=0)
    num, den = np.zeros(n), np.zeros(n)
    prev_t, prev_y = np.full(n, np.nan), np.full(n, np.nan)
    seen = np.zeros(n, dtype=bool)
    for j in range(k):
        m = ok[j] & seen
        span = yrs[j] - prev_t
        y = Y[j]
        g = np.where(log, np.log(y / prev_y) / span, (y - prev_y) / span)
        w = (tT - bc.t0) / (tT - yrs[j])
        num = num + np.where(m, w * g, 0.0)
        den = den + np.where(m, w, 0.0)
        prev_t = np.where(ok[j], yrs[j], prev_t)
        prev_y = np.where(ok[j], y, prev_y)
        seen |= ok[j]
    gw = num / den
    ahead = tT - bc.tc
    yhat = np.where(log, bc.yc * np.exp(gw * ahead), bc.yc + gw * ahead)
    status, native = classify_batch(ratio_toward(yhat - bc.y0, bc.aim - bc.y0, bc.d), o)
    return MethodArrays(status=status, native=native, projection=np.where(bc.hold, np.nan, yhat))
