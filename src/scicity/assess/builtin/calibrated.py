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
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from scicity.assess import tdist
from scicity.assess.builtin.calibrated_constants import CONSTANTS, CalibrationConstants
from scicity.assess.builtin.projection import AWAY, NATIVE_LABELS, TREND, _target_text, p_meet_of
from scicity.assess.case import Case
from scicity.assess.formatting import fmt
from scicity.assess.types import Projection, Status, Verdict
from scicity.assess.text import Msg, join
from scicity.domain.plan import TargetKind

__all__ = ["NATIVE_LABELS", "CalibratedOptions", "Model", "judge", "model_of"]

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


def damped_steps(h: float, phi: float) -> float:
    """``sum_{j=1..h} phi^j`` (``h`` for ``phi = 1``)."""
    if phi == 1.0:
        return h
    return phi * (1.0 - phi**h) / (1.0 - phi)


def model_of(
    years: tuple[int, ...], values: tuple[float, ...], tT: float, c: CalibrationConstants = CONSTANTS, *, shrink: bool = True
) -> Model:
    """The calibrated predictive distribution at ``tT`` for a series of at least two points (years ascending).

    ``shrink=False`` keeps the full drift: for a running sum of yearly flows (a cumulative target)
    "no change" means the flows go on, not that the sum stops growing.
    """
    log = all(v > 0 for v in values)
    z = [math.log(v) for v in values] if log else [float(v) for v in values]
    span = float(years[-1] - years[0])
    h = tT - float(years[-1])
    b = (z[-1] - z[0]) / span
    bs = b * span / (span + c.drift_shrink_years) if shrink else b
    steps = damped_steps(h, c.damping) if shrink else h
    center = z[-1] + bs * steps
    sse = 0.0
    for i in range(1, len(z)):
        dt = float(years[i] - years[i - 1])
        e = z[i] - z[i - 1] - b * dt
        sse += e * e / dt
    m = len(z) - 1
    own = math.sqrt(sse / (m - 1)) if m > 1 else None
    pooled = c.pooled_volatility
    if not log:  # the corpus volatility is relative: carry it over on the series' own scale
        pooled = c.pooled_volatility * max(max(abs(v) for v in values), abs(b))
    v = math.sqrt((sse + c.prior_weight * pooled * pooled) / (m - 1 + c.prior_weight))
    kappa = c.kappa(h)
    spread = v * math.sqrt(h + h * h / span)
    sd = kappa * spread
    bias = c.bias(h) * spread if log else 0.0  # learnt on the log scale of real series; nothing on levels
    center += bias
    return Model(log, span, h, b, bs, steps, center, own, pooled, v, kappa, sd, c.df, bias)


def judge(case: Case, options: CalibratedOptions) -> Verdict:
    """Project the judged series to the target year with calibrated uncertainty; say how likely the target is met."""
    o = options
    cumulative = case.spec.kind is TargetKind.CUMULATIVE
    md = model_of(case.years, case.values, float(case.tT), o.constants, shrink=not cumulative)
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
        point, lo, hi = float(np.exp(md.center)), float(np.exp(lo_m)), float(np.exp(hi_m))
    else:
        point, lo, hi = md.center, lo_m, hi_m
    assert case.low is not None and case.aim is not None
    cmp = case.spec.comparator
    if md.sd > 0:
        p = p_meet_of(cmp, case.d, case.low, case.high, case.aim, md.center, md.sd, md.df, md.log)
    else:
        p = 1.0 if case.meets(point) else 0.0
        flags.append("zero_uncertainty")
    if case.d * md.drift < 0:
        status, label = Status.REGRESSING, AWAY
    elif p >= o.on_track:
        status, label = TREND[0]
    elif p >= o.at_risk:
        status, label = TREND[1]
    else:
        status, label = TREND[2]
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
