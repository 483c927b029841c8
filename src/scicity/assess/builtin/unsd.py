"""``unsd``: projection ratio of the UN SDG progress chart (2023 form).

Project ``yT_hat = yc * (1 + ga) ** (tT - tc)`` with the actual CAGR ``ga``
(linear ``yc + (yc - y0) / (tc - t0) * (tT - tc)`` when the baseline or latest
value is zero or negative), then ``P = (yT_hat - y0) / (yT - y0)``; classified
by :mod:`.ratio_labels`.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from scicity.assess.batch import BatchCase, MethodArrays, one_series
from scicity.assess.builtin.ratio_labels import ProgressRatioThresholds, classify, classify_batch
from scicity.assess.case import Case
from scicity.assess.text import Msg, join
from scicity.assess.formatting import fmt, pct
from scicity.assess.growth import cagr, ratio_toward, yearly_rate
from scicity.assess.types import Projection, Status, Verdict

FORMULA = "yT_hat = yc (1 + ga)^(tT - tc), ga = (yc/y0)^(1/(tc-t0)) - 1 (linear if a value <= 0); P = (yT_hat - y0) / (yT - y0)"


class Ratio(NamedTuple):
    """The numbers of the method for each series (arrays, one element per series)."""

    cagr: np.ndarray  # True where the compound form applies (y0 and yc positive)
    ga: np.ndarray  # the CAGR, or the linear yearly change where it is undefined
    yhat: np.ndarray
    p: np.ndarray


def ratio(bc: BatchCase) -> Ratio:
    """The method's formulas, once, for every series of ``bc`` (a batch of one for :func:`judge`)."""
    pos = (bc.y0 > 0) & (bc.yc > 0)
    dt_c, ahead = bc.tc - bc.t0, bc.tT - bc.tc
    ga_c = cagr(bc.yc, bc.y0, dt_c)
    rate = yearly_rate(bc.yc, bc.y0, dt_c)
    yhat = np.where(pos, bc.yc * np.power(1.0 + ga_c, ahead), bc.yc + rate * ahead)
    p = ratio_toward(yhat - bc.y0, bc.aim - bc.y0, bc.d)
    return Ratio(pos, np.where(pos, ga_c, rate), yhat, np.asarray(p, dtype=float))


def judge(case: Case, o: ProgressRatioThresholds) -> Verdict:
    """Explain :func:`ratio` for one series."""
    if case.hold:
        return Verdict(Status.REGRESSING, "stagnation or regression", "", FORMULA,
                       steps=(Msg("baseline already met the target: P not computed"),))
    assert case.aim is not None
    y0, yc, yT = case.y0, case.yc, case.aim
    dt_c, ahead = case.tc - case.t0, float(case.tT - case.tc)
    nums = ratio(one_series(case))
    ga, yhat, p = float(nums.ga[0]), float(nums.yhat[0]), float(nums.p[0])
    flags: tuple[str, ...] = ()
    if nums.cagr[0]:
        form = "cagr"
        steps = [
            f"ga = ({fmt(yc)} / {fmt(y0)})^(1/{dt_c}) - 1 = {fmt(ga)}",
            f"yT_hat = {fmt(yc)} * (1 + {fmt(ga)})^{fmt(ahead)} = {fmt(yhat)}",
        ]
    else:
        form = "linear"
        flags = ("cagr_undefined_linear_fallback",)
        steps = [
            Msg("CAGR undefined (a value is zero or negative): linear projection"),
            Msg("rate = ({yc} - {y0}) / {dt} = {ga} per year", yc=fmt(yc), y0=fmt(y0), dt=dt_c, ga=fmt(ga)),
            f"yT_hat = {fmt(yc)} + {fmt(ga)} * {fmt(ahead)} = {fmt(yhat)}",
        ]
    status, label = classify(p, o)
    steps.append(f"P = ({fmt(yhat)} - {fmt(y0)}) / ({fmt(yT)} - {fmt(y0)}) = {fmt(p)}")
    growth = pct(ga) if form == "cagr" else Msg("{rate} per year", rate=fmt(ga))
    summary = Msg(
        "At the recent pace ({growth}) the value would reach {yhat} by {tT}, "
        "{share} % of the way from the baseline to the target: {label}.",
        growth=growth, yhat=fmt(yhat), tT=case.tT, share=fmt(100 * p, 3), label=Msg(label),
    )
    return Verdict(
        status, label, summary, FORMULA,
        inputs={"ga": ga, "yT_hat": yhat, "P": p, "form": form}, steps=tuple(steps), flags=flags,
        projection=Projection(yhat, yhat, yhat, case.tT, form),
    )


def judge_batch(bc: BatchCase, o: ProgressRatioThresholds) -> MethodArrays:
    nums = ratio(bc)
    status, native = classify_batch(nums.p, o)
    return MethodArrays(status=status, native=native, projection=np.where(bc.hold, np.nan, nums.yhat))
