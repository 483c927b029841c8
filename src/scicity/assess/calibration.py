"""Calibration on real series: cut every series at every year, project h years ahead, compare with what happened.

For each series, each cut year ``c`` with a value, and each horizon ``h`` with a
value at ``c + h``: the judged history is the series' points in
``[c - window, c]`` (at least two), the outcome the value at ``c + h``.

- **Interval coverage**: the probability integral transform ``u = P(Y >= outcome)``
  of each method that reports ``p_meet``; the central ``L`` interval holds the
  outcome when ``(1 - L) / 2 <= u <= (1 + L) / 2``.
- **p_meet**: targets ``>= yc * exp(h * r)`` at yearly growth rates ``r`` the
  series' own history makes easy, par, hard and out of reach (:data:`TARGETS`);
  Brier score and a reliability table against whether the outcome met them.
- **Hit rate** of every registered method: a verdict of ``achieved`` or
  ``on_track`` predicts a meet.
- **Baselines** in the same run: the base rate as a constant, "the current value
  already meets it" (0 or 1), and a random walk with drift (log scale, normal,
  ``sd = s * sqrt(h (1 + h / span))`` with ``s`` the series' own volatility,
  ``|drift|`` when a series has a single change).

Every method is invariant to a positive rescaling of a series, so each row is
divided by its threshold and judged against ``>= 1`` with
:func:`scicity.assess.assess_batch`: one vectorised call per method, horizon
and target. Only series with positive values are used.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from scicity.assess import tdist
from scicity.assess.batch import assess_batch
from scicity.assess.catalogue import methods as registered_methods
from scicity.assess.types import STATUS_CODE, Status, TargetSpec
from scicity.domain.plan import Comparator, TargetKind

#: (name, offset added to the series' historical yearly log growth) — or an absolute rate with ``absolute``
TARGETS: tuple[tuple[str, str, float, bool], ...] = (
    ("easy", "history - 5 pp", -0.05, False),
    ("easy", "history - 2 pp", -0.02, False),
    ("par", "history", 0.0, False),
    ("hard", "history + 2 pp", 0.02, False),
    ("hard", "history + 5 pp", 0.05, False),
    ("out_of_reach", "history + 10 pp", 0.10, False),
    ("fixed", "hold the level", 0.0, True),
    ("fixed", "+5 % a year", math.log(1.05), True),
)
LEVELS = (0.5, 0.8, 0.95)
LENGTH_GROUPS: tuple[tuple[str, int, int], ...] = (("2", 2, 2), ("3-4", 3, 4), ("5-7", 5, 7), ("8+", 8, 10**6))
BASELINES = ("base_rate", "naive", "rw_drift")
PREDICTS_MEET = (STATUS_CODE[Status.ACHIEVED], STATUS_CODE[Status.ON_TRACK])
ANCHOR = 2000  # cut years are moved here: every method is invariant to a shift in time


@dataclass(frozen=True)
class Cases:
    """All forecast cases of a corpus as arrays (one element per case)."""

    keys: tuple[str, ...]
    cut: np.ndarray
    h: np.ndarray
    n: np.ndarray  # points in the judged history
    hist: np.ndarray  # (cases, window + 1): values at cut - window .. cut, NaN where missing
    yc: np.ndarray
    outcome: np.ndarray
    drift: np.ndarray  # historical yearly log growth: (ln yc - ln y_first) / span
    span: np.ndarray
    window: int

    @property
    def size(self) -> int:
        return int(self.cut.size)


@dataclass
class Calibration:
    """The measured figures; plain dicts so that they print as JSON as they are."""

    cases: int
    series: int
    horizons: tuple[int, ...]
    coverage: dict[str, dict[str, dict[str, float]]] = field(default_factory=dict)  # method -> level -> h -> share
    coverage_by_length: dict[str, dict[str, dict[str, float]]] = field(default_factory=dict)  # method -> "0.8" -> group
    brier: dict[str, dict[str, float]] = field(default_factory=dict)  # method -> h|"all" -> score
    brier_by_target: dict[str, dict[str, float]] = field(default_factory=dict)  # method -> target kind -> score
    reliability: dict[str, list[dict[str, float]]] = field(default_factory=dict)  # method -> bins
    hit_rate: dict[str, dict[str, float]] = field(default_factory=dict)  # method -> h|"all" -> share
    base_rate: float = float("nan")
    counts: dict[str, int] = field(default_factory=dict)  # cases per horizon
    length_counts: dict[str, int] = field(default_factory=dict)


def forecast_cases(series: Mapping[str, Mapping[int, float]], horizons: Sequence[int], window: int = 10) -> Cases:
    """Every (series, cut year, horizon) with at least two points in the window and a value at cut + h."""
    keys: list[str] = []
    cut: list[int] = []
    hs: list[int] = []
    rows: list[np.ndarray] = []
    outcome: list[float] = []
    for key in sorted(series):
        pts = {int(t): float(v) for t, v in series[key].items() if math.isfinite(v)}
        if not pts or min(pts.values()) <= 0:
            continue
        for c in sorted(pts):
            row = np.array([pts.get(t, np.nan) for t in range(c - window, c + 1)])
            if np.isfinite(row).sum() < 2:
                continue
            for h in horizons:
                if c + h in pts:
                    keys.append(key)
                    cut.append(c)
                    hs.append(h)
                    rows.append(row)
                    outcome.append(pts[c + h])
    hist = np.array(rows) if rows else np.empty((0, window + 1))
    ok = np.isfinite(hist)
    first = ok.argmax(axis=1) if rows else np.empty(0, dtype=int)
    idx = np.arange(len(rows))
    y_first = hist[idx, first] if rows else np.empty(0)
    span = (window - first).astype(float)
    yc = hist[:, -1].copy()
    with np.errstate(divide="ignore", invalid="ignore"):
        drift = np.log(yc / y_first) / span
    return Cases(tuple(keys), np.array(cut), np.array(hs), ok.sum(axis=1), hist, yc, np.array(outcome), drift, span, window)


def thresholds(cases: Cases) -> list[tuple[str, str, np.ndarray]]:
    """The targets of :data:`TARGETS` for every case: (kind, label, threshold values)."""
    out = []
    for kind, label, rate, absolute in TARGETS:
        r = rate if absolute else cases.drift + rate
        out.append((kind, label, cases.yc * np.exp(cases.h * r)))
    return out


def judge_scaled(cases: Cases, mask: np.ndarray, theta: np.ndarray, method: str) -> tuple[np.ndarray, np.ndarray | None]:
    """Status codes and p_meet of ``method`` for targets ``>= theta`` on the cases in ``mask`` (all of one horizon)."""
    h = int(cases.h[mask][0])
    spec = TargetSpec(Comparator.GE, 1.0, None, TargetKind.LEVEL, ANCHOR - cases.window, ANCHOR + h)
    years = list(range(ANCHOR - cases.window, ANCHOR + 1))
    values = cases.hist[mask] / theta[mask][:, None]
    result = assess_batch(values, years, spec, method)
    return result.status, result.p_meet


def rw_drift_p(cases: Cases, mask: np.ndarray, theta: np.ndarray) -> np.ndarray:
    """Random walk with drift on the log scale: P(Y >= theta)."""
    hist = np.log(cases.hist[mask])
    b = cases.drift[mask]
    span = cases.span[mask]
    h = cases.h[mask].astype(float)
    sse = np.zeros(hist.shape[0])
    m = np.zeros(hist.shape[0])
    prev_t = np.full(hist.shape[0], np.nan)
    prev_z = np.full(hist.shape[0], np.nan)
    for j in range(hist.shape[1]):
        here = np.isfinite(hist[:, j])
        pair = here & np.isfinite(prev_t)
        dt = np.where(pair, j - prev_t, 1.0)
        e = hist[:, j] - prev_z - b * dt
        sse += np.where(pair, e * e / dt, 0.0)
        m += pair
        prev_t = np.where(here, j, prev_t)
        prev_z = np.where(here, hist[:, j], prev_z)
    s = np.where(m > 1, np.sqrt(sse / np.maximum(m - 1, 1)), np.abs(b))
    sd = s * np.sqrt(h * (1.0 + h / span))
    center = np.log(cases.yc[mask]) + b * h
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (np.log(theta[mask]) - center) / sd
    z = np.where(sd > 0, z, np.where(np.log(theta[mask]) <= center, -np.inf, np.inf))
    return 1.0 - np.asarray(tdist.norm_cdf(z), dtype=float)


def _group(n: np.ndarray) -> np.ndarray:
    out = np.empty(n.shape, dtype=object)
    for name, lo, hi in LENGTH_GROUPS:
        out[(n >= lo) & (n <= hi)] = name
    return out


def reliability_table(p: np.ndarray, y: np.ndarray, bins: int = 10) -> list[dict[str, float]]:
    """Per bin of predicted probability: count, mean predicted, observed share."""
    out = []
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.minimum((p * bins).astype(int), bins - 1)
    for i in range(bins):
        sel = which == i
        if sel.any():
            out.append({"low": float(edges[i]), "high": float(edges[i + 1]), "n": int(sel.sum()),
                        "predicted": float(p[sel].mean()), "observed": float(y[sel].mean())})
    return out


def calibrate(
    series: Mapping[str, Mapping[int, float]],
    horizons: Sequence[int] = tuple(range(1, 11)),
    *,
    window: int = 10,
    methods: Sequence[str] | None = None,
) -> Calibration:
    """Measure coverage, Brier score, reliability and hit rate of every method and the baselines."""
    names = list(methods or registered_methods())
    cases = forecast_cases(series, horizons, window)
    hs = tuple(int(h) for h in horizons if (cases.h == h).any())
    cal = Calibration(cases=cases.size, series=len(set(cases.keys)), horizons=hs)
    if not cases.size:
        return cal
    groups = _group(cases.n)
    cal.counts = {str(h): int((cases.h == h).sum()) for h in hs}
    cal.length_counts = {g: int((groups == g).sum()) for g, _, _ in LENGTH_GROUPS}
    targets = thresholds(cases)
    # outcomes and predictions, stacked over targets: (targets, cases)
    met = np.array([cases.outcome >= th for _, _, th in targets])
    base_rate = float(met.mean())
    cal.base_rate = base_rate
    preds: dict[str, np.ndarray] = {}
    hits: dict[str, np.ndarray] = {}
    pit: dict[str, np.ndarray] = {}
    for name in names:
        status = np.zeros(met.shape, dtype=np.int64)
        p = np.full(met.shape, np.nan)
        u = np.full(cases.size, np.nan)
        has_p = False
        for h in hs:
            mask = cases.h == h
            for i, (_, _, th) in enumerate(targets):
                st, pm = judge_scaled(cases, mask, th, name)
                status[i, mask] = st
                if pm is not None:
                    has_p = True
                    p[i, mask] = pm
            if has_p:
                _, pm = judge_scaled(cases, mask, cases.outcome, name)
                assert pm is not None
                u[mask] = pm
        hits[name] = np.isin(status, PREDICTS_MEET)
        if has_p:
            preds[name] = p
            pit[name] = u
    preds["base_rate"] = np.full(met.shape, base_rate)
    preds["naive"] = np.array([(cases.yc >= th).astype(float) for _, _, th in targets])
    rw = np.full(met.shape, np.nan)
    u = np.full(cases.size, np.nan)
    for h in hs:
        mask = cases.h == h
        for i, (_, _, th) in enumerate(targets):
            rw[i, mask] = rw_drift_p(cases, mask, th)
        u[mask] = rw_drift_p(cases, mask, cases.outcome)
    preds["rw_drift"] = rw
    pit["rw_drift"] = u
    for name in ("base_rate", "naive", "rw_drift"):
        hits[name] = preds[name] >= 0.5
    H = np.broadcast_to(cases.h, met.shape)
    kinds = np.array([k for k, _, _ in targets])
    for name, p in preds.items():
        ok = np.isfinite(p)
        sq = (p - met) ** 2
        cal.brier[name] = {"all": float(sq[ok].mean())} | {str(h): float(sq[ok & (H == h)].mean()) for h in hs}
        cal.brier_by_target[name] = {k: float(sq[(kinds == k)[:, None] & ok].mean()) for k in dict.fromkeys(kinds)}
        cal.reliability[name] = reliability_table(p[ok], met[ok].astype(float))
    for name, hit in hits.items():
        right = hit == met
        cal.hit_rate[name] = {"all": float(right.mean())} | {str(h): float(right[H == h].mean()) for h in hs}
    for name, u in pit.items():
        cal.coverage[name] = {}
        cal.coverage_by_length[name] = {}
        for level in LEVELS:
            inside = ((1 - level) / 2 <= u) & (u <= (1 + level) / 2)
            cal.coverage[name][str(level)] = {str(h): float(inside[cases.h == h].mean()) for h in hs}
            cal.coverage[name][str(level)]["all"] = float(inside.mean())
            cal.coverage_by_length[name][str(level)] = {
                g: float(inside[groups == g].mean()) for g, _, _ in LENGTH_GROUPS if (groups == g).any()
            }
    return cal
