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

The formulas are written once, vectorised (:func:`fits`, :func:`trend`):
``projection_batch.judge_batch`` runs them on many series, :func:`judge` on a
batch of one, and explains the numbers (the interval is only explained).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from scicity.assess import tdist
from scicity.assess.batch import BatchCase, Workspace, colsum, holds, one_series
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
#: the trend verdicts by band (see :func:`trend_band`)
BANDS = (*TREND, (Status.REGRESSING, AWAY))
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


class Fits(NamedTuple):
    """Both least-squares lines of each series (arrays, one element per series; the log-linear where ``allpos``)."""

    n: np.ndarray  # number of points (float)
    tbar: np.ndarray
    sxx: np.ndarray
    mean_abs: np.ndarray
    b_lin: np.ndarray
    yhat_lin: np.ndarray
    sse_lin: np.ndarray
    allpos: np.ndarray  # every value positive: the log-linear line exists
    b_log: np.ndarray
    zhat_log: np.ndarray
    sse_log_levels: np.ndarray
    sse_log: np.ndarray


def _sum_sq(m: np.ndarray) -> np.ndarray:
    np.multiply(m, m, out=m)
    return colsum(m)


def fits(Yz: np.ndarray, ok: np.ndarray, years: np.ndarray, npts: np.ndarray, tT: float, ws: Workspace) -> Fits:
    """Least-squares lines through the series, the columns of ``Yz`` (0 where ``ok`` is False); sums in year order."""
    n = Yz.shape[1]

    def scratch(name: str) -> np.ndarray:
        return ws.get(name, Yz.shape)

    yrs = years[:, None]
    cnt = npts.astype(float)
    # sum of the years with a value: whole numbers, so exact in any order
    st = np.zeros(n)
    for j in range(Yz.shape[0]):
        st += years[j] * ok[j]
    tbar = st / cnt
    missing = ~ok
    X = np.subtract(yrs, tbar, out=scratch("X"))
    X[missing] = 0.0  # x = t - tbar where a value exists, else 0
    buf = np.multiply(X, X, out=scratch("buf"))
    sxx = colsum(buf)
    sy = colsum(Yz)
    sxy = colsum(np.multiply(X, Yz, out=buf))
    positive = Yz > 0  # (0 where missing)
    allpos = np.add.reduce(positive.view(np.uint8), axis=0, dtype=np.int64) == npts
    sabs = sy.copy()  # sum |y| is sum y where every value is positive
    signed = np.flatnonzero(~allpos)
    if signed.size:
        sabs[signed] = colsum(np.abs(Yz[:, signed]))
    ybar = sy / cnt
    b = sxy / sxx
    # residuals y - (ybar + b x), zero where missing
    np.multiply(b, X, out=buf)
    np.add(ybar, buf, out=buf)
    np.subtract(Yz, buf, out=buf)
    buf[missing] = 0.0
    sse = _sum_sq(buf)
    yhat = ybar + b * (tT - tbar)

    Z = scratch("Z")
    Z.fill(1.0)
    np.copyto(Z, Yz, where=positive)
    np.log(Z, out=Z)  # 0 where missing or not positive
    zbar = colsum(Z) / cnt
    blog = colsum(np.multiply(X, Z, out=buf)) / sxx
    zhat = zbar + blog * (tT - tbar)
    FZ = np.multiply(blog, X, out=scratch("FZ"))
    np.add(zbar, FZ, out=FZ)  # fitted log values zbar + b x
    np.exp(FZ, out=buf)
    np.subtract(Yz, buf, out=buf)
    buf[missing] = 0.0
    sse_lvl = _sum_sq(buf)
    np.subtract(Z, FZ, out=buf)
    buf[missing] = 0.0
    sse_z = _sum_sq(buf)
    return Fits(cnt, tbar, sxx, sabs / cnt, b, yhat, sse, allpos, blog, zhat, sse_lvl, sse_z)


def fit(years: tuple[int, ...], values: tuple[float, ...], tT: float) -> Fit:
    """:func:`fits` for one series (years ascending)."""
    k = len(years)
    f = fits(np.array(values, dtype=float).reshape(k, 1), np.ones((k, 1), dtype=bool), np.array(years, dtype=float),
             np.array([k]), float(tT), Workspace())
    log = bool(f.allpos[0])

    def one(a: np.ndarray) -> float:
        return float(a[0])

    return Fit(k, one(f.tbar), one(f.sxx), one(f.mean_abs), one(f.b_lin), one(f.yhat_lin), one(f.sse_lin),
               one(f.b_log) if log else None, one(f.zhat_log) if log else None,
               one(f.sse_log_levels) if log else None, one(f.sse_log) if log else None)


def p_meet_batch(bc: BatchCase, center: np.ndarray, sd: np.ndarray, point: np.ndarray, log: np.ndarray,
                 cdf: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    """P(value at tT meets the target) for each series, ``cdf`` being the predictive CDF in units of ``sd``.

    ``center`` and ``sd`` are on the model's scale (logs where ``log``); with no spread (``sd`` not
    positive) the point projection decides: 1 or 0.
    """
    n = bc.n

    def below(v: np.ndarray) -> np.ndarray:  # P(Y_T < v)
        thr = v
        if log.any():
            logv = np.log(v, out=np.full(n, -np.inf), where=v > 0)
            thr = np.where(log, logv, v)
        return cdf((thr - center) / sd)

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
    p = np.minimum(np.maximum(p, 0.0), 1.0)
    return np.where(sd > 0, p, np.where(holds(cmp, point, bc.low, bc.high), 1.0, 0.0))


def trend_band(p: np.ndarray, toward: np.ndarray, on_track: float, at_risk: float) -> np.ndarray:
    """Index into :data:`BANDS`: by ``p_meet``, or 3 (away) where the trend points away from the target."""
    out = np.where(p >= on_track, 0, np.where(p >= at_risk, 1, 2))
    out[toward < 0] = 3
    return out


class Trend(NamedTuple):
    """The projection of each series to the target year (arrays, one element per series)."""

    fit: Fits
    use_log: np.ndarray
    center: np.ndarray  # on the model's scale
    slope: np.ndarray
    floor: np.ndarray
    s: np.ndarray  # residual sd (NaN with two points)
    sigma: np.ndarray
    factor: np.ndarray
    sd: np.ndarray
    point: np.ndarray
    p: np.ndarray
    band: np.ndarray  # index into BANDS


def trend(bc: BatchCase, o: ProjectionOptions) -> Trend:
    """The method's formulas, once, for every series of ``bc`` (a batch of one for :func:`judge`)."""
    f = fits(bc.Yz, bc.ok, bc.years, bc.npts, bc.tT, bc.workspace)
    cnt = f.n
    use_log = f.allpos & (cnt >= 3) & (f.sse_log_levels < o.loglinear_advantage * f.sse_lin)
    center = np.where(use_log, f.zhat_log, f.yhat_lin)
    slope = np.where(use_log, f.b_log, f.b_lin)
    sse_m = np.where(use_log, f.sse_log, f.sse_lin)
    floor = np.where(
        use_log,
        np.maximum(o.rel_floor, o.change_floor * np.abs(f.b_log)),
        np.maximum(o.rel_floor * f.mean_abs, o.change_floor * np.abs(f.b_lin)),
    )
    three = cnt >= 3
    s = np.where(three, np.sqrt(sse_m / np.where(three, cnt - 2, 1.0)), np.nan)
    sigma = np.where(three, np.maximum(s, floor), floor)
    dt = bc.tT - f.tbar
    factor = np.sqrt(1.0 + 1.0 / cnt + dt * dt / f.sxx)
    sd = sigma * factor
    point = np.where(use_log, np.exp(center), center)
    # Student-t with n - 2 df, normal with two points (rows with fewer are discarded later)
    p = p_meet_batch(bc, center, sd, point, use_log, lambda z: tdist.predictive_cdf(z, bc.npts))
    return Trend(f, use_log, center, slope, floor, s, sigma, factor, sd, point, p,
                 trend_band(p, bc.d * slope, o.on_track, o.at_risk))


def judge(case: Case, options: ProjectionOptions) -> Verdict:
    """Explain :func:`trend` for one series: the projection, its interval and how likely the target is met."""
    o = options
    tT = float(case.tT)
    tr = trend(one_series(case), o)
    n = case.n
    use_log = bool(tr.use_log[0])

    def one(a: np.ndarray) -> float:
        return float(a[0])

    log_fit = bool(tr.fit.allpos[0])
    b_lin, yhat_lin, sse_lin = one(tr.fit.b_lin), one(tr.fit.yhat_lin), one(tr.fit.sse_lin)
    b_log = one(tr.fit.b_log) if log_fit else None
    zhat_log = one(tr.fit.zhat_log) if log_fit else None
    sse_log_levels = one(tr.fit.sse_log_levels) if log_fit else None
    tbar, sxx = one(tr.fit.tbar), one(tr.fit.sxx)
    flags: list[str] = []
    if not log_fit:
        flags.append("loglinear_unavailable_nonpositive")
    center, floor, sigma, sd, point, p = one(tr.center), one(tr.floor), one(tr.sigma), one(tr.sd), one(tr.point), one(tr.p)
    s: float | None = one(tr.s) if n >= 3 else None
    nu: int | None = n - 2 if n >= 3 else None
    if s is None or floor > s:
        flags.append("uncertainty_floor_applied")
    q = tdist.quantile((1.0 + o.interval) / 2.0, nu)
    lo_m, hi_m = center - q * sd, center + q * sd
    if use_log:
        lo, hi = float(np.exp(lo_m)), float(np.exp(hi_m))
    else:
        lo, hi = lo_m, hi_m
    assert case.low is not None and case.aim is not None
    cmp = case.spec.comparator
    if not sd > 0:
        flags.append("zero_uncertainty")
    if cmp in (Comparator.GT, Comparator.LT) and point == case.aim:
        flags.append("strict_threshold_point_projection")
    status, label = BANDS[int(tr.band[0])]

    model = "log-linear" if use_log else "linear"
    endpoint = case.yc + (case.yc - case.y0) / (case.tc - case.t0) * (tT - case.tc)
    inputs: dict[str, float | int | str | None] = {
        "model": model,
        "n": n,
        "df": nu,
        "yT_hat": point,
        "yT_hat_linear": yhat_lin,
        "yT_hat_loglinear": None if zhat_log is None else float(np.exp(zhat_log)),
        "yT_hat_linear_endpoint": endpoint,
        "slope_linear": b_lin,
        "slope_loglinear": b_log,
        "sse_linear": sse_lin,
        "sse_loglinear_levels": sse_log_levels,
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
        Msg("linear OLS: b = {b} per year, yT_hat = {yhat}, SSE = {sse}", b=fmt(b_lin), yhat=fmt(yhat_lin),
            sse=fmt(sse_lin)),
        (
            Msg("log-linear: growth {g} per year, yT_hat = {yhat}, SSE (levels) = {sse}",
                g=fmt(float(np.expm1(b_log))), yhat=fmt(np.exp(zhat_log)), sse=fmt(sse_log_levels))
            if b_log is not None and zhat_log is not None
            else Msg("log-linear: not fitted (a value is zero or negative)")
        ),
        (Msg("model = {model} (log-linear SSE below half the linear SSE)", model=Msg(model)) if use_log
         else Msg("model = {model} (linear unless log-linear is clearly better)", model=Msg(model))),
        Msg("floor = {floor}{unit}; s = {s}; sigma = {sigma}", floor=fmt(floor), unit=unit, s=fmt(s), sigma=fmt(sigma)),
        Msg("sd = sigma * sqrt(1 + 1/{n} + ({dt})^2 / {sxx}) = {sd}{unit}", n=n, dt=fmt(tT - tbar), sxx=fmt(sxx),
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
