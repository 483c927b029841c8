"""``projection`` (recommended default): trend projection to the target year with an 80 % interval.

Fit a straight line (least squares on all points since the baseline) and, where
every value is positive, a log-linear line (constant growth rate). Use the
log-linear fit only when it is clearly better: its squared error in levels is
below ``loglinear_advantage`` (default one half) of the straight line's.

Uncertainty: the predictive standard deviation at the target year is
``sd = sigma * sqrt(1 + 1/n + (tT - tbar)^2 / Sxx)`` with ``sigma = max(s, floor)``,
``s`` the residual standard deviation on ``n - 2`` degrees of freedom and
``floor = max(rel_floor * mean|y|, change_floor * |slope|)`` (on the log scale:
``max(rel_floor, change_floor * |slope|)``): no level is known better than
1 % of its size, no year-to-year noise is below a quarter of the yearly change.
With three or more points the predictive distribution is Student-t with
``n - 2`` df; with two points (no residual df) sigma *is* the floor, an assumed
scale, and the distribution is normal. ``p_meet`` is the probability that the
value at the target year meets the target; on_track if ``p_meet >= 0.8``,
at_risk if ``>= 0.4``, off_track below, regressing if the fitted trend points
away from the target.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from scicity.assess import tdist
from scicity.assess.case import Case
from scicity.assess.text import Msg, join
from scicity.assess.formatting import fmt
from scicity.assess.types import Projection, Status, Verdict
from scicity.domain.plan import Comparator

LIKELY = "likely to meet target"
POSSIBLE = "may meet target"
UNLIKELY = "unlikely to meet target"
AWAY = "trend away from target"
NATIVE_LABELS = (
    "target achieved",
    LIKELY,
    POSSIBLE,
    UNLIKELY,
    AWAY,
    "no longer meets target",
    "target missed",
    "insufficient data",
)
TREND = ((Status.ON_TRACK, LIKELY), (Status.AT_RISK, POSSIBLE), (Status.OFF_TRACK, UNLIKELY))
FORMULA = (
    "yT_hat = ybar + b (tT - tbar) [linear OLS] or exp(zbar + b (tT - tbar)) [log-linear, z = ln y]; "
    "sd = max(s, floor) * sqrt(1 + 1/n + (tT - tbar)^2 / Sxx); p_meet = P(Y_T meets target), "
    "Y_T ~ Student-t(n-2) (normal when n = 2)"
)


@dataclass(frozen=True)
class ProjectionOptions:
    """Settings of the projection method (defaults are the documented ones)."""

    on_track: float = 0.8  # p_meet at or above: on_track
    at_risk: float = 0.4  # p_meet at or above: at_risk; below: off_track
    interval: float = 0.8  # coverage of the reported interval
    rel_floor: float = 0.01  # minimum noise as a share of the mean level (or in log units)
    change_floor: float = 0.25  # minimum noise as a share of the fitted yearly change
    loglinear_advantage: float = 0.5  # log-linear chosen if SSE_log < this * SSE_linear

    def __post_init__(self) -> None:
        if not 0.0 <= self.at_risk <= self.on_track <= 1.0:
            raise ValueError(f"need 0 <= at_risk <= on_track <= 1, got {self.at_risk}, {self.on_track}")
        if not 0.0 < self.interval < 1.0:
            raise ValueError(f"interval must lie in (0, 1), got {self.interval}")
        if self.rel_floor < 0 or self.change_floor < 0 or self.loglinear_advantage < 0:
            raise ValueError("floors and loglinear_advantage must not be negative")


@dataclass(frozen=True)
class Fit:
    """The fitted trend of one series (on the model's scale: levels, or logs for log-linear)."""

    n: int
    tbar: float
    sxx: float
    mean_abs: float
    b_lin: float
    yhat_lin: float
    sse_lin: float
    b_log: float | None
    zhat_log: float | None
    sse_log_levels: float | None
    sse_log: float | None


def fit(years: tuple[int, ...], values: tuple[float, ...], tT: float) -> Fit:
    """Least-squares lines through the points (sums taken in year order, as in the batch path)."""
    n = len(years)
    st = 0.0
    for t in years:
        st += float(t)
    tbar = st / n
    sxx = sy = sxy = sabs = 0.0
    for t, y in zip(years, values):
        x = float(t) - tbar
        sxx += x * x
        sy += y
        sxy += x * y
        sabs += abs(y)
    ybar = sy / n
    b = sxy / sxx
    sse = 0.0
    for t, y in zip(years, values):
        r = y - (ybar + b * (float(t) - tbar))
        sse += r * r
    b_log = zhat = sse_lvl = sse_z = None
    if all(y > 0 for y in values):
        zs = [float(np.log(y)) for y in values]
        sz = szx = 0.0
        for t, z in zip(years, zs):
            sz += z
            szx += (float(t) - tbar) * z
        zbar = sz / n
        b_log = szx / sxx
        zhat = zbar + b_log * (tT - tbar)
        sse_lvl = sse_z = 0.0
        for t, y, z in zip(years, values, zs):
            fz = zbar + b_log * (float(t) - tbar)
            rl = y - float(np.exp(fz))
            sse_lvl += rl * rl
            rz = z - fz
            sse_z += rz * rz
    return Fit(n, tbar, sxx, sabs / n, b, ybar + b * (tT - tbar), sse, b_log, zhat, sse_lvl, sse_z)


def p_meet_of(comparator: Comparator, d: int, low: float, high: float | None, aim: float,
              center: float, sd: float, nu: int | None, log: bool) -> float:
    """P(value at tT meets the target) for a t (or normal) predictive distribution on the model scale."""

    def scale(v: float) -> float:
        if not log:
            return v
        return float(np.log(v)) if v > 0 else -math.inf

    def below(v: float) -> float:  # P(Y < v)
        return float(tdist.cdf((scale(v) - center) / sd, nu))

    if comparator in (Comparator.GT, Comparator.GE) or (comparator is Comparator.EQ and d > 0):
        p = 1.0 - below(aim if comparator is Comparator.EQ else low)
    elif comparator in (Comparator.LT, Comparator.LE) or comparator is Comparator.EQ:
        p = below(aim if comparator is Comparator.EQ else low)
    else:
        assert high is not None
        p = below(high) - below(low)
    return min(max(p, 0.0), 1.0)


def judge(case: Case, options: ProjectionOptions) -> Verdict:
    """Project the judged series to the target year and say how likely the target is met."""
    o = options
    tT = float(case.tT)
    f = fit(case.years, case.values, tT)
    n = f.n
    use_log = (
        f.sse_log_levels is not None and n >= 3 and f.sse_log_levels < o.loglinear_advantage * f.sse_lin
    )
    flags: list[str] = []
    if f.b_log is None:
        flags.append("loglinear_unavailable_nonpositive")
    if use_log:
        assert f.b_log is not None and f.zhat_log is not None and f.sse_log is not None
        center, slope, sse, floor = f.zhat_log, f.b_log, f.sse_log, max(o.rel_floor, o.change_floor * abs(f.b_log))
    else:
        center, slope, sse = f.yhat_lin, f.b_lin, f.sse_lin
        floor = max(o.rel_floor * f.mean_abs, o.change_floor * abs(f.b_lin))
    if n >= 3:
        s: float | None = float(np.sqrt(sse / (n - 2)))
        sigma = max(s, floor)
        nu: int | None = n - 2
    else:
        s, sigma, nu = None, floor, None
    if s is None or floor > s:
        flags.append("uncertainty_floor_applied")
    dt = tT - f.tbar
    factor = float(np.sqrt(1.0 + 1.0 / n + dt * dt / f.sxx))
    sd = sigma * factor
    q = tdist.quantile((1.0 + o.interval) / 2.0, nu)
    lo_m, hi_m = center - q * sd, center + q * sd
    if use_log:
        point, lo, hi = float(np.exp(center)), float(np.exp(lo_m)), float(np.exp(hi_m))
    else:
        point, lo, hi = center, lo_m, hi_m
    assert case.low is not None and case.aim is not None
    cmp = case.spec.comparator
    if sd > 0:
        p = p_meet_of(cmp, case.d, case.low, case.high, case.aim, center, sd, nu, use_log)
    else:
        p = 1.0 if case.meets(point) else 0.0
        flags.append("zero_uncertainty")
    if cmp in (Comparator.GT, Comparator.LT) and point == case.aim:
        flags.append("strict_threshold_point_projection")
    if case.d * slope < 0:
        status, label = Status.REGRESSING, AWAY
    elif p >= o.on_track:
        status, label = TREND[0]
    elif p >= o.at_risk:
        status, label = TREND[1]
    else:
        status, label = TREND[2]

    model = "log-linear" if use_log else "linear"
    endpoint = case.yc + (case.yc - case.y0) / (case.tc - case.t0) * (tT - case.tc)
    inputs: dict[str, float | int | str | None] = {
        "model": model,
        "n": n,
        "df": nu,
        "yT_hat": point,
        "yT_hat_linear": f.yhat_lin,
        "yT_hat_loglinear": None if f.zhat_log is None else float(np.exp(f.zhat_log)),
        "yT_hat_linear_endpoint": endpoint,
        "slope_linear": f.b_lin,
        "slope_loglinear": f.b_log,
        "sse_linear": f.sse_lin,
        "sse_loglinear_levels": f.sse_log_levels,
        "s": s,
        "sigma_floor": floor,
        "sigma": sigma,
        "sd_pred": sd,
        "q": q,
        "interval_low": lo,
        "interval_high": hi,
        "p_meet": p,
    }
    unit = join(Msg(""), Msg("(log scale)")) if use_log else ""
    steps = [
        Msg("linear OLS: b = {b} per year, yT_hat = {yhat}, SSE = {sse}", b=fmt(f.b_lin), yhat=fmt(f.yhat_lin),
            sse=fmt(f.sse_lin)),
        (
            Msg("log-linear: growth {g} per year, yT_hat = {yhat}, SSE (levels) = {sse}",
                g=fmt(float(np.expm1(f.b_log))), yhat=fmt(np.exp(f.zhat_log)), sse=fmt(f.sse_log_levels))
            if f.b_log is not None and f.zhat_log is not None
            else Msg("log-linear: not fitted (a value is zero or negative)")
        ),
        (Msg("model = {model} (log-linear SSE below half the linear SSE)", model=Msg(model)) if use_log
         else Msg("model = {model} (linear unless log-linear is clearly better)", model=Msg(model))),
        Msg("floor = {floor}{unit}; s = {s}; sigma = {sigma}", floor=fmt(floor), unit=unit, s=fmt(s), sigma=fmt(sigma)),
        Msg("sd = sigma * sqrt(1 + 1/{n} + ({dt})^2 / {sxx}) = {sd}{unit}", n=n, dt=fmt(tT - f.tbar), sxx=fmt(f.sxx),
            sd=fmt(sd), unit=unit),
        Msg("{level} % interval: {lo} to {hi} ({dist}, q = {q})", level=int(o.interval * 100), lo=fmt(lo), hi=fmt(hi),
            dist=Msg("t, {nu} df", nu=nu) if nu is not None else Msg("normal"), q=fmt(q)),
        Msg("p_meet = P(Y_{tT} {target}) = {p}", tT=case.tT, target=_target_text(case), p=fmt(p)),
    ]
    if "strict_threshold_point_projection" in flags:
        steps.append(Msg("the point projection {point} equals the threshold, which '{cmp}' does not count as met",
                         point=fmt(point), cmp=cmp.value))
    summary: str = Msg(
        "The {model} trend projects {point} for {tT} ({level} % interval {lo}–{hi}); "
        "probability of meeting {target}: {p} %.",
        model=Msg(model), point=fmt(point), tT=case.tT, level=int(o.interval * 100), lo=fmt(lo), hi=fmt(hi),
        target=_target_text(case), p=fmt(100 * p, 3),
    )
    if status is Status.REGRESSING:
        summary = join(summary, Msg("The trend points away from the target."))
    if nu is None:
        summary = join(summary, Msg("With two points the spread is the assumed floor, not estimated."))
    return Verdict(
        status=status,
        native_label=label,
        summary=summary,
        formula=FORMULA,
        inputs=inputs,
        steps=tuple(steps),
        flags=tuple(flags),
        projection=Projection(value=point, low=lo, high=hi, year=case.tT, model=model),
        p_meet=p,
    )


def _target_text(case: Case) -> str:
    cmp = case.spec.comparator
    if cmp is Comparator.BETWEEN:
        return Msg("between {low} and {high}", low=fmt(case.low), high=fmt(case.high))
    return Msg("{cmp} {value}", cmp=cmp.value, value=fmt(case.low))
