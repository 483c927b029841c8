"""``projection`` (default): a damped, shrunk random walk with drift, its spread calibrated on real series.

Measured on real yearly series (docs/methods.md, "Calibration"), a least-squares
trend with textbook intervals is overconfident and the plain latest value beats
its point projection. This method therefore:

1. works on the log scale when every value is positive (growth), else on levels;
2. takes the drift ``b = (z_c - z_0) / span`` (a random walk with drift: the
   endpoints of the judged series), **shrinks** it towards no change by
   ``span / (span + drift_shrink_years)`` — a short series earns little trust —
   and **damps** it: year j ahead carries ``damping^j`` of it;
3. takes the volatility from the series' own yearly deviations from that drift
   (per year across gaps), pooled with a volatility learnt from the corpus
   (``prior_weight`` pseudo degrees of freedom), so a two-point series gets the
   corpus's volatility — honest, wide intervals — rather than an assumed floor;
4. spreads it as a random walk with an uncertain drift,
   ``spread = v * sqrt(h + h^2 / span)``, ``sd = kappa(h) * spread``, and moves
   the projection (log scale only) by ``bias(h) * spread``: ``bias(h)`` is the median and
   ``kappa(h)`` the 80 % spread of the empirical forecast errors on the tuning
   half of the corpus (conformal calibration of location and spread by
   horizon); the distribution is a Student-t with ``df`` degrees of freedom
   (heavy tails, as the errors have).

The constants and where they come from are in :mod:`.calibrated_constants`.
The formulas are written once, vectorised (:func:`drifts`, :func:`calibrated`):
``calibrated_batch.judge_batch`` runs them on many series, :func:`judge` on a
batch of one, and explains the numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np

from scicity.assess import tdist
from scicity.assess.builtin.calibrated_constants import CONSTANTS, CalibrationConstants
from scicity.assess.batch import BatchCase, colsum, one_series
from scicity.assess.builtin.projection import BANDS, NATIVE_LABELS, _target_text, p_meet_batch, trend_band
from scicity.assess.case import Case
from scicity.assess.formatting import fmt
from scicity.assess.types import Projection, Status, Verdict
from scicity.assess.text import Msg, join
from scicity.domain.plan import TargetKind

__all__ = ["NATIVE_LABELS", "CalibratedOptions", "Calibrated", "Drifts", "Model", "calibrated", "drifts", "judge", "model_of"]

FORMULA = (
    "z = ln y (levels if a value is not positive); b = (z_c - z_0) / span; "
    "b_s = b * span / (span + k_b); z_T = z_c + b_s * sum_{j=1..h} phi^j + bias(h) * v * sqrt(h + h^2 / span) [log scale]; "
    "v^2 = (sum e_i^2 + w * v_pool^2) / (m - 1 + w), e_i = (dz_i - b dt_i) / sqrt(dt_i); "
    "sd = kappa(h) * v * sqrt(h + h^2 / span); Y_T ~ Student-t(df) on the model scale"
)


@dataclass(frozen=True)
class CalibratedOptions:
    """Settings of the default projection method; ``constants`` are the fitted ones (see calibrated_constants)."""

    on_track: float = 0.5  # p_meet at or above: on_track (more likely than not; the best hit rate on the tuning half)
    at_risk: float = 0.2  # p_meet at or above: at_risk; below: off_track
    interval: float = 0.8  # coverage of the reported interval
    constants: CalibrationConstants = field(default=CONSTANTS)

    def __post_init__(self) -> None:
        if not 0.0 <= self.at_risk <= self.on_track <= 1.0:
            raise ValueError(f"need 0 <= at_risk <= on_track <= 1, got {self.at_risk}, {self.on_track}")
        if not 0.0 < self.interval < 1.0:
            raise ValueError(f"interval must lie in (0, 1), got {self.interval}")


@dataclass(frozen=True)
class Model:
    """The predictive distribution of one series at the target year, on the model scale."""

    log: bool
    span: float
    h: float
    drift: float
    drift_shrunk: float
    steps: float
    center: float
    own_volatility: float | None
    pooled_volatility: float
    volatility: float
    kappa: float
    sd: float
    df: int
    bias: float = 0.0


def damped_steps(h: Any, phi: float) -> Any:
    """``sum_{j=1..h} phi^j`` (``h`` for ``phi = 1``); ``h`` a number or an array."""
    if phi == 1.0:
        return h
    return phi * (1.0 - np.power(phi, h)) / (1.0 - phi)


class Drifts(NamedTuple):
    """The predictive distribution at the target year of each series (arrays, one element per series)."""

    log: np.ndarray  # every value positive: the log scale
    span: np.ndarray
    h: np.ndarray
    drift: np.ndarray
    drift_shrunk: np.ndarray
    steps: np.ndarray
    center: np.ndarray
    own_volatility: np.ndarray  # NaN with two points
    pooled_volatility: np.ndarray
    volatility: np.ndarray
    kappa: np.ndarray
    sd: np.ndarray
    bias: np.ndarray


def drifts(Y: np.ndarray, ok: np.ndarray, years: np.ndarray, npts: np.ndarray, y0: np.ndarray, yc: np.ndarray,
           t0: np.ndarray, tc: np.ndarray, tT: float, c: CalibrationConstants, shrink: bool) -> Drifts:
    """The calibrated model of the columns of ``Y`` (a year per row; values where ``ok``), each with two points or more.

    ``shrink=False`` keeps the full drift: for a running sum of yearly flows (a cumulative target)
    "no change" means the flows go on, not that the sum stops growing.
    """
    k, n = Y.shape
    positive = ok & (Y > 0)
    allpos = positive.sum(axis=0) == npts
    Z = np.where(ok, Y, np.nan)
    with np.errstate(all="ignore"):
        Zlog = np.log(np.where(positive, Y, 1.0))
    Z = np.where(allpos[None, :] & ok, Zlog, Z)
    z0 = np.where(allpos, np.log(np.where(y0 > 0, y0, 1.0)), y0)
    zc = np.where(allpos, np.log(np.where(yc > 0, yc, 1.0)), yc)
    span = tc - t0
    h = tT - tc
    b = (zc - z0) / span
    bs = b * span / (span + c.drift_shrink_years) if shrink else b
    steps = damped_steps(h, c.damping) if shrink else h
    center = zc + bs * steps
    sse = _sum_sq_steps(Z, ok, years, b)
    m = npts - 1
    own = np.where(m > 1, np.sqrt(sse / np.where(m > 1, m - 1, 1)), np.nan)
    max_abs = np.where(ok, np.abs(Y), 0.0).max(axis=0, initial=0.0)
    # the corpus volatility is relative: on levels, carry it over on the series' own scale
    pooled = np.where(allpos, c.pooled_volatility, c.pooled_volatility * np.maximum(max_abs, np.abs(b)))
    v = np.sqrt((sse + c.prior_weight * pooled * pooled) / (m - 1 + c.prior_weight))
    # horizon h as a table row: a fraction of a year counts as the year it falls in (see CalibrationConstants.kappa)
    with np.errstate(invalid="ignore"):
        year = np.maximum(np.ceil(np.where(np.isnan(h), 1.0, h)), 1.0)
    table = np.asarray(c.kappa_table)
    kappa = table[np.minimum(year, table.size).astype(np.int64) - 1]
    spread = v * np.sqrt(h + h * h / span)
    sd = kappa * spread
    bias = np.zeros(n)
    if c.bias_table:  # learnt on the log scale of real series; nothing on levels
        bt = np.asarray(c.bias_table)
        bias = np.where(allpos, bt[np.minimum(year, bt.size).astype(np.int64) - 1] * spread, 0.0)
        center = center + bias
    return Drifts(allpos, span, h, b, bs, steps, center, own, pooled, v, kappa, sd, bias)


def _sum_sq_steps(Z: np.ndarray, ok: np.ndarray, years: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``sum e_i^2`` with ``e_i = (dz_i - b dt_i) / sqrt(dt_i)`` from each point to the next, in year order.

    Series with a value in every year take all steps at once; the others step from point to point across gaps.
    """
    k, n = Z.shape
    complete = ok.all(axis=0)
    if k < 2:
        return np.zeros(n)
    dt = np.diff(years)[:, None]
    e = Z[1:] - Z[:-1] - b * dt
    sse = colsum(e * e / dt)
    gaps = np.flatnonzero(~complete)
    if gaps.size:
        Zg, okg, bg = Z[:, gaps], ok[:, gaps], b[gaps]
        m = gaps.size
        sse_g = np.zeros(m)
        prev_t = np.full(m, np.nan)
        prev_z = np.full(m, np.nan)
        for j in range(k):
            here = okg[j]
            pair = here & np.isfinite(prev_t)
            dtj = years[j] - prev_t
            ej = Zg[j] - prev_z - bg * dtj
            sse_g += np.where(pair, ej * ej / np.where(pair, dtj, 1.0), 0.0)
            prev_t = np.where(here, years[j], prev_t)
            prev_z = np.where(here, Zg[j], prev_z)
        sse[gaps] = sse_g
    return sse


def model_of(
    years: tuple[int, ...], values: tuple[float, ...], tT: float, c: CalibrationConstants = CONSTANTS, *, shrink: bool = True
) -> Model:
    """:func:`drifts` for one series of at least two points (years ascending)."""
    k = len(years)
    Y = np.array(values, dtype=float).reshape(k, 1)
    d = drifts(Y, np.ones((k, 1), dtype=bool), np.array(years, dtype=float), np.array([k]), Y[0], Y[k - 1],
               np.array([float(years[0])]), np.array([float(years[-1])]), float(tT), c, shrink)
    return _model(d, c)


def _model(d: Drifts, c: CalibrationConstants) -> Model:
    def one(a: np.ndarray) -> float:
        return float(a[0])

    own = one(d.own_volatility)
    return Model(bool(d.log[0]), one(d.span), one(d.h), one(d.drift), one(d.drift_shrunk), one(d.steps),
                 one(d.center), None if np.isnan(own) else own, one(d.pooled_volatility), one(d.volatility),
                 one(d.kappa), one(d.sd), c.df, one(d.bias))


class Calibrated(NamedTuple):
    """The model, projection, p_meet and trend band of each series."""

    model: Drifts
    point: np.ndarray
    p: np.ndarray
    band: np.ndarray  # index into BANDS


def calibrated(bc: BatchCase, o: CalibratedOptions) -> Calibrated:
    """The method's formulas, once, for every series of ``bc`` (a batch of one for :func:`judge`)."""
    c = o.constants
    md = drifts(bc.Y, bc.ok, bc.years, bc.npts, bc.y0, bc.yc, bc.t0, bc.tc, bc.tT, c,
                shrink=bc.spec.kind is not TargetKind.CUMULATIVE)
    point = np.where(md.log, np.exp(md.center), md.center)
    p = p_meet_batch(bc, md.center, md.sd, point, md.log, lambda z: np.asarray(tdist.t_cdf(z, c.df), dtype=float))
    return Calibrated(md, point, p, trend_band(p, bc.d * md.drift, o.on_track, o.at_risk))


def judge(case: Case, options: CalibratedOptions) -> Verdict:
    """Explain :func:`calibrated` for one series: the projection, its interval and how likely the target is met."""
    o = options
    cumulative = case.spec.kind is TargetKind.CUMULATIVE
    nums = calibrated(one_series(case), o)
    md = _model(nums.model, o.constants)
    point, p = float(nums.point[0]), float(nums.p[0])
    flags: list[str] = []
    if not md.log:
        flags.append("level_scale_nonpositive_values")
    if md.own_volatility is None:
        flags.append("volatility_from_corpus_only")
    if cumulative:
        flags.append("cumulative_flows_continue")
    q = tdist.quantile((1.0 + o.interval) / 2.0, md.df)
    lo_m, hi_m = md.center - q * md.sd, md.center + q * md.sd
    if md.log:
        lo, hi = float(np.exp(lo_m)), float(np.exp(hi_m))
    else:
        lo, hi = lo_m, hi_m
    assert case.low is not None and case.aim is not None
    if not md.sd > 0:
        flags.append("zero_uncertainty")
    status, label = BANDS[int(nums.band[0])]
    model = "damped drift (log scale)" if md.log else "damped drift (levels)"
    unit = Msg(" (log scale)") if md.log else ""
    c = o.constants
    inputs: dict[str, float | int | str | None] = {
        "model": model,
        "span": md.span,
        "h": md.h,
        "drift": md.drift,
        "drift_shrunk": md.drift_shrunk,
        "damped_steps": md.steps,
        "bias": md.bias,
        "volatility_own": md.own_volatility,
        "volatility_pooled": md.pooled_volatility,
        "volatility": md.volatility,
        "kappa": md.kappa,
        "sd_pred": md.sd,
        "df": md.df,
        "q": q,
        "yT_hat": point,
        "interval_low": lo,
        "interval_high": hi,
        "p_meet": p,
    }
    growth = Msg(" ({rate} % a year)", rate=fmt(100 * float(np.expm1(md.drift)))) if md.log else ""
    steps = [
        Msg("drift b = (z_c - z_0) / span = (z_{tc} - z_{t0}) / {span} = {b}{unit}{growth}", tc=case.tc, t0=case.t0,
            span=fmt(md.span), b=fmt(md.drift), unit=unit, growth=growth),
        Msg("shrunk towards no change: b_s = b * {span} / ({span} + {k}) = {bs}", span=fmt(md.span),
            k=fmt(c.drift_shrink_years), bs=fmt(md.drift_shrunk)),
        Msg("damped over h = {h} years (phi = {phi}): {steps} years of drift", h=fmt(md.h), phi=fmt(c.damping),
            steps=fmt(md.steps)),
        Msg("median error of such projections at h = {h} on real series (log scale only): {spreads} spreads = "
            "{bias}{unit} added; yT_hat = {point}", h=fmt(md.h), spreads=fmt(c.bias(md.h)) if md.log else 0,
            bias=fmt(md.bias), unit=unit, point=fmt(point)),
        Msg("volatility: own {own}, corpus {pooled} (weight {w}) -> v = {v}{unit}", own=fmt(md.own_volatility),
            pooled=fmt(md.pooled_volatility), w=fmt(c.prior_weight), v=fmt(md.volatility), unit=unit),
        Msg("sd = kappa(h) * v * sqrt(h + h^2 / span) = {kappa} * {v} * sqrt({h} + {h}^2 / {span}) = {sd}{unit}",
            kappa=fmt(md.kappa), v=fmt(md.volatility), h=fmt(md.h), span=fmt(md.span), sd=fmt(md.sd), unit=unit),
        Msg("{level} % interval: {lo} to {hi} (t, {df} df, q = {q})", level=int(o.interval * 100), lo=fmt(lo),
            hi=fmt(hi), df=md.df, q=fmt(q)),
        Msg("p_meet = P(Y_{tT} {target}) = {p}", tT=case.tT, target=_target_text(case), p=fmt(p)),
    ]
    summary = Msg(
        "The calibrated projection gives {point} for {tT} ({level} % interval {lo}–{hi}); "
        "probability of meeting {target}: {p} %.",
        point=fmt(point), tT=case.tT, level=int(o.interval * 100), lo=fmt(lo), hi=fmt(hi),
        target=_target_text(case), p=fmt(100 * p, 3),
    )
    if status is Status.REGRESSING:
        summary = join(summary, Msg("The series moves away from the target."))
    if md.own_volatility is None:
        summary = join(summary, Msg("With two points the spread is the volatility seen in real series, hence wide."))
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
